"""write-bulk, write2-bulk, write-secured-bulk, write-secured2-bulk.

Entries are `ITEM_HANDLE=VALUE` words (or `@file` / `-`), all of one `--type`;
`--timestamp` applies to every entry of the 2-variants, the user ids to every entry of
the secured ones.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._common import add_server_handle, add_strict, check_strict, guarded_write, handles, words
from ._context import Command, CommandContext
from ._parser import int32
from ._values import TYPE_NAMES, library_type, parse_scalar, parse_value, split_assignment
from .cmd_bulk import check_size
from .cmd_writes import add_secured, add_timestamp, user_ids

_METHODS = {
    "write-bulk": "write_bulk",
    "write2-bulk": "write2_bulk",
    "write-secured-bulk": "write_secured_bulk",
    "write-secured2-bulk": "write_secured2_bulk",
}


def _arguments(parser: argparse.ArgumentParser, *, timestamp: bool, secured: bool) -> None:
    add_server_handle(parser)
    parser.add_argument("--type", required=True, help=f"value type: {', '.join(TYPE_NAMES)}")
    parser.add_argument("entries", nargs="+", metavar="ITEM_HANDLE=VALUE",
                        help="entries, @FILE (one per line) or - (stdin)")
    if timestamp:
        add_timestamp(parser)
    if secured:
        add_secured(parser)
    else:
        parser.add_argument("--user-id", type=int32, default=0, metavar="N")
    add_strict(parser)


async def write_bulk(ctx: CommandContext, args: argparse.Namespace) -> int:
    entries: list[tuple[int, Any]] = []
    for word in words(ctx, args.entries):
        handle_text, value_text = split_assignment(word)
        entries.append((handles([handle_text])[0], parse_value(value_text, args.type)))
    check_size(ctx.name, entries)
    timestamp = parse_scalar(args.timestamp, "datetime") if "2" in ctx.name else None
    secured = "secured" in ctx.name
    details: dict[str, Any] = {
        "command": ctx.name, "sessionId": ctx.session_id(), "serverHandle": args.server_handle,
        "type": args.type,
        "entries": [{"itemHandle": h, "value": v} for h, v in entries],
    }
    if timestamp is not None:
        details["timestamp"] = timestamp

    async def send() -> list[Any]:
        session = await ctx.attached_session()
        method: Any = getattr(session, _METHODS[ctx.name])
        kwargs: dict[str, Any] = {"data_type": library_type(args.type)}
        rows: list[Any] = list(entries)
        if timestamp is not None:
            rows = [(h, v, timestamp) for h, v in entries]
        if secured:
            current, verifier = await user_ids(ctx, args, session, args.server_handle)
            kwargs.update(current_user_id=current, verifier_user_id=verifier)
        else:
            kwargs["user_id"] = args.user_id
        return list(await method(args.server_handle, rows, **kwargs))

    sent, results = await guarded_write(ctx, ctx.name, details, send)
    if sent and results is not None:
        ctx.out.emit({"serverHandle": args.server_handle, "results": results})
        check_strict(args, results)
    return 0


def _make(name: str) -> Command:
    return Command(lambda p: _arguments(p, timestamp="2" in name, secured="secured" in name),
                   write_bulk)


COMMANDS = {name: _make(name) for name in _METHODS}
