"""The subscribe bulks and read-bulk on a session named by --session-id.

Tags or item handles are positional words, or `@file` (one per line), or `-` (stdin).
Results keep the input order; a bad item fails alone (`wasSuccessful` false) and the
command still succeeds unless --strict is given (then exit 7).
"""

from __future__ import annotations

import argparse
from typing import Any

from ._common import add_server_handle, add_strict, check_strict, handles, words
from ._context import Command, CommandContext
from ._parser import non_negative_int

# command -> (session method, takes tags (else item handles))
_BULKS = {
    "add-item-bulk": ("add_item_bulk", True),
    "subscribe-bulk": ("subscribe_bulk", True),
    "advise-item-bulk": ("advise_item_bulk", False),
    "remove-item-bulk": ("remove_item_bulk", False),
    "unadvise-item-bulk": ("unadvise_item_bulk", False),
    "unsubscribe-bulk": ("unsubscribe_bulk", False),
    "read-bulk": ("read_bulk", True),
}


def check_size(name: str, entries: list[Any]) -> None:
    """The library's bulk limit, checked before connecting (and before a --dry-run)."""
    from .._results import check_bulk_size

    check_bulk_size(name, len(entries))


def _arguments(parser: argparse.ArgumentParser, tags: bool, read: bool) -> None:
    add_server_handle(parser)
    parser.add_argument("entries", nargs="+", metavar="TAG" if tags else "ITEM_HANDLE",
                        help="values, @FILE (one per line) or - (stdin)")
    add_strict(parser)
    if read:
        parser.add_argument("--timeout-ms", type=non_negative_int, default=0,
                            help="per-read timeout (0 = gateway default)")


async def bulk(ctx: CommandContext, args: argparse.Namespace) -> int:
    method_name, takes_tags = _BULKS[ctx.name]
    entries: list[Any] = words(ctx, args.entries)
    if not takes_tags:
        entries = handles(entries)
    check_size(ctx.name, entries)
    session = await ctx.attached_session()
    method: Any = getattr(session, method_name)
    if ctx.name == "read-bulk":
        results = await method(args.server_handle, entries, timeout_ms=args.timeout_ms)
    else:
        results = await method(args.server_handle, entries)
    results = list(results)
    ctx.out.emit({"serverHandle": args.server_handle, "results": results})
    check_strict(args, results)
    return 0


def _make(name: str) -> Command:
    takes_tags = _BULKS[name][1]
    return Command(lambda p: _arguments(p, takes_tags, name == "read-bulk"), bulk)


COMMANDS = {name: _make(name) for name in _BULKS}
