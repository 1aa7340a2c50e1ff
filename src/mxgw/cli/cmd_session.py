"""ping, open-session, close-session, smoke."""

from __future__ import annotations

import argparse
import time
from typing import Any

from ._common import drain
from ._context import Command, CommandContext, no_arguments
from ._parser import positive_float


async def ping(ctx: CommandContext, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    client = await ctx.client()
    async with ctx.transient_session() as session:
        session_id = session.session_id
    ctx.out.emit({
        "ok": True,
        "endpoint": ctx.options.endpoint,
        "transport": client.transport_description,
        "sessionId": session_id,
        "roundTripMs": round((time.perf_counter() - started) * 1000, 3),
        "contract": client.contract_status(),
    })
    return 0


def _open_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", default="mxgw", help="client session name (default mxgw)")
    parser.add_argument("--lease", type=positive_float, metavar="SECONDS",
                        help="requested lease (the gateway default is 1800 s)")


async def open_session(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    session = await client.open_session(name=args.name, lease=args.lease)
    # Deliberately left open: the caller closes it with `mxgw close-session`.
    ctx.out.emit({"sessionId": session.session_id, "endpoint": ctx.options.endpoint})
    return 0


def _close_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reason", default="", help="recorded by the gateway")


async def close_session(ctx: CommandContext, args: argparse.Namespace) -> int:
    session_id = ctx.session_id()
    client = await ctx.client()
    final = await client.close_session(session_id, reason=args.reason)
    ctx.out.emit({"sessionId": session_id, "finalState": final})
    return 0


def _smoke_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--item", default="TestChildObject.TestInt",
                        help="tag to advise (default TestChildObject.TestInt)")
    parser.add_argument("--wait", type=positive_float, default=10.0, metavar="SECONDS",
                        help="how long to wait for the first event (default 10)")


async def smoke(ctx: CommandContext, args: argparse.Namespace) -> int:
    client = await ctx.client()
    async with ctx.transient_session("mxgw smoke") as session:
        server = await session.register("mxgw-smoke")
        item = await session.add_item(server, args.item)
        await session.advise(server, item)
        events: list[Any] = []
        await drain(session.stream_events(), events.append, 1, args.wait)
        if not events:
            from .._errors import MxGatewayTransportError

            raise MxGatewayTransportError(f"smoke: no event for {args.item} within {args.wait} s")
        _check_first_event(client.contract, args.item, events[0])
        ctx.out.emit({
            "ok": True,
            "endpoint": ctx.options.endpoint,
            "transport": client.transport_description,
            "sessionId": session.session_id,
            "serverHandle": server,
            "itemHandle": item,
            "firstEvent": events[0],
        })
    return 0


def _check_first_event(contract: Any, item: str, event: Any) -> None:
    """A first data change that is bad (an unknown tag, bad quality) fails the smoke test,
    exit 7 as `get` does: the path worked, but the item did not."""
    from .._errors import MxAccessError
    from .._rpc._events import event_info
    from .._rpc._records import tag_value

    if event_info(contract, event).family != "ON_DATA_CHANGE":
        return
    value = tag_value(contract, event)
    if not value.ok:
        failing = [s for s in value.statuses if s.is_failure]
        reason = failing[0].detail_name if failing else value.quality_text
        raise MxAccessError(f"smoke: the first event for {item} is bad: {reason} "
                            f"(quality {value.quality} {value.quality_text})",
                            statuses=failing)


COMMANDS = {
    "ping": Command(no_arguments, ping),
    "open-session": Command(_open_arguments, open_session),
    "close-session": Command(_close_arguments, close_session),
    "smoke": Command(_smoke_arguments, smoke),
}
