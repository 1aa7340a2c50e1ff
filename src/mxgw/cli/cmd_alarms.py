"""stream-alarms, query-active-alarms, acknowledge-alarm (session-less)."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import add_bounds, guarded_write, print_stream
from ._context import Command, CommandContext


def add_prefix(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--prefix", default="", metavar="TEXT",
                        help="only alarms whose reference starts with TEXT")


def _stream_arguments(parser: argparse.ArgumentParser) -> None:
    add_prefix(parser)
    add_bounds(parser, "--max-messages")


async def stream_alarms(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    return await print_stream(ctx, client.stream_alarms(prefix=args.prefix), args.count,
                              args.duration)


async def query_active_alarms(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    return await print_stream(ctx, client.query_active_alarms(prefix=args.prefix))


def add_ack_operator(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--comment", default="", help="operator comment")
    parser.add_argument("--operator", default="", help="operator user name")
    parser.add_argument("--node", default="", help="operator node")
    parser.add_argument("--domain", default="", help="operator domain")
    parser.add_argument("--full-name", default="", help="operator full name")


def _ack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reference", required=True,
                        help="alarm GUID or full reference, e.g. "
                             "Galaxy!Area_Tanks.Tank001.Level.HiHi")
    add_ack_operator(parser)


async def acknowledge(ctx: CommandContext, args: argparse.Namespace) -> int:
    """Shared by `acknowledge-alarm --reference R` and `ack R`."""
    details: dict[str, Any] = {
        "command": ctx.name, "reference": args.reference, "comment": args.comment,
        "operator": args.operator, "node": args.node, "domain": args.domain,
        "fullName": args.full_name,
    }

    async def send() -> Any:
        client = await ctx.client()
        return await client.acknowledge_alarm(
            args.reference, comment=args.comment, operator=args.operator, node=args.node,
            domain=args.domain, full_name=args.full_name)

    sent, reply = await guarded_write(ctx, "acknowledge-alarm", details, send)
    if sent:
        ctx.out.emit({"ok": True, "reference": args.reference, "nativeStatus": reply})
    return 0


COMMANDS = {
    "stream-alarms": Command(_stream_arguments, stream_alarms),
    "query-active-alarms": Command(add_prefix, query_active_alarms),
    "acknowledge-alarm": Command(_ack_arguments, acknowledge),
}
