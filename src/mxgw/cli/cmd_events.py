"""stream-events (JSON Lines until --max-events, --duration or Ctrl-C) and drain-events."""

from __future__ import annotations

import argparse

from ._common import add_bounds, print_stream
from ._context import Command, CommandContext
from ._parser import non_negative_int


def _stream_arguments(parser: argparse.ArgumentParser) -> None:
    add_bounds(parser, "--max-events")
    parser.add_argument("--after-sequence", type=non_negative_int, default=0, metavar="SEQ",
                        help="replay events after this worker sequence (0 = no replay)")
    parser.add_argument("--resume", action="store_true",
                        help="reconnect after a dropped stream (bounded backoff)")


async def stream_events(ctx: CommandContext, args: argparse.Namespace) -> int:
    session = await ctx.attached_session()
    source = session.stream_events(after_sequence=args.after_sequence, resume=args.resume)
    return await print_stream(ctx, source, args.count, args.duration)


def _drain_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-events", type=non_negative_int, default=0, metavar="N",
                        help="at most N events (0 = all queued)")


async def drain_events(ctx: CommandContext, args: argparse.Namespace) -> int:
    session = await ctx.attached_session()
    events = await session.drain_events(max_events=args.max_events)
    ctx.out.emit({"sessionId": session.session_id, "events": list(events)})
    return 0


COMMANDS = {
    "stream-events": Command(_stream_arguments, stream_events),
    "drain-events": Command(_drain_arguments, drain_events),
}
