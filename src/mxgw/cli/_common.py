"""Pieces several command families share: handle and value options, credentials, the
write wrapper (--dry-run, audit), and the one bounded stream loop (`drain`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from .._values import TYPE_NAMES, parse_value
from ._context import CommandContext
from ._exit import StrictFailureError, UsageError
from ._parser import int32, non_negative_int, positive_float
from ._words import expand_arguments

T = TypeVar("T")


def add_server_handle(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server-handle", type=int32, required=True, metavar="N",
                        help="from `mxgw register`")


def add_item_handle(parser: argparse.ArgumentParser) -> None:
    add_server_handle(parser)
    parser.add_argument("--item-handle", type=int32, required=True, metavar="N",
                        help="from `mxgw add-item`")


def add_typed_value(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--type", required=required, metavar="TYPE",
                        help=f"value type: {', '.join(TYPE_NAMES)} (or an alias: i4, "
                             "mxinteger, time, ...)")
    parser.add_argument("--value", action="append", required=required, metavar="TEXT",
                        help="the value (arrays: 1,2,3 or --value repeated)")


def typed_value(args: argparse.Namespace) -> Any:
    return parse_value(args.value, args.type)  # MxGatewayConfigError: exit 2


def add_strict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true",
                        help="exit 7 when any item of the bulk result failed")


def add_bounds(parser: argparse.ArgumentParser, count_flag: str = "--count") -> None:
    parser.add_argument(count_flag, dest="count", type=non_negative_int, default=0,
                        metavar="N", help="stop after N items (0 = no limit)")
    parser.add_argument("--duration", type=positive_float, metavar="SECONDS",
                        help="stop after this many seconds")


def words(ctx: CommandContext, items: list[str]) -> list[str]:
    """Positional words with `@file` and `-` expanded (`-` is not allowed inside batch)."""
    if "-" in items and ctx.runtime.in_batch:
        raise UsageError("`-` (stdin) cannot be used inside batch: stdin holds the batch")
    result = expand_arguments(items)
    if not result:
        raise UsageError(f"`mxgw {ctx.name}` needs at least one entry")
    return result


def handles(texts: list[str]) -> list[int]:
    try:
        return [int32(t) for t in texts]
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"item handle {exc}") from None


def check_strict(args: argparse.Namespace, results: list[Any]) -> None:
    if not getattr(args, "strict", False):
        return
    failed = [r for r in results if not _succeeded(r)]
    if failed:
        raise StrictFailureError(f"{len(failed)} of {len(results)} items failed (--strict)")


def _succeeded(result: Any) -> bool:
    for name in ("ok", "was_successful"):
        if hasattr(result, name):
            return bool(getattr(result, name))
    return True


# ------------------------------------------------------------------ credentials


def add_credentials(parser: argparse.ArgumentParser, *, verifier: bool = False) -> None:
    group = parser.add_argument_group("credentials (passwords never on the command line)")
    group.add_argument("--user", metavar="NAME", help="user for a secured write")
    group.add_argument("--password-env", metavar="VAR", default="MXGW_PASSWORD",
                       help="environment variable with the user's password "
                            "(default MXGW_PASSWORD; else a prompt on a terminal)")
    if verifier:
        group.add_argument("--verifier", metavar="NAME", help="verifier for a verified write")
        group.add_argument("--verifier-password-env", metavar="VAR",
                           default="MXGW_VERIFIER_PASSWORD",
                           help="environment variable with the verifier's password "
                                "(default MXGW_VERIFIER_PASSWORD)")


def password(ctx: CommandContext, user: str, env_name: str, role: str = "user") -> str:
    """From the environment, else a no-echo prompt on a terminal; never from argv."""
    value = os.environ.get(env_name)
    if not value and sys.stdin.isatty() and not ctx.runtime.in_batch:
        import getpass  # prompts are rare; termios is not loaded otherwise

        value = getpass.getpass(f"password for {role} {user}: ")
    if not value:
        raise UsageError(f"no password for {role} '{user}': set {env_name}, or run in a "
                         "terminal to be asked (passwords are never taken from argv)")
    ctx.runtime.add_secret(value)
    return value


# ------------------------------------------------------------------ writes


async def guarded_write(ctx: CommandContext, action: str, details: dict[str, Any],
                        operation: Callable[[], Awaitable[T]]) -> tuple[bool, T | None]:
    """Run a write: show instead of send on --dry-run, audit always. (A read-only
    profile never gets here: the dispatcher refuses write commands before connecting.)

    Returns (sent, result); on a dry run the plan has been printed and nothing was sent.
    """
    if getattr(ctx.args, "dry_run", False):
        ctx.audit(action, {**details, "dryRun": True, "outcome": "dry-run"})
        ctx.out.emit({"dryRun": True, "action": action, **details})
        return False, None
    try:
        result = await operation()
    except BaseException as exc:
        ctx.audit(action, {**details, "dryRun": False, "outcome": type(exc).__name__})
        raise
    ctx.audit(action, {**details, "dryRun": False, "outcome": "ok"})
    return True, result


# ------------------------------------------------------------------ streams


async def drain(source: AsyncIterator[T], each: Callable[[T], object], count: int = 0,
                duration: float | None = None) -> None:
    """Hand the items of `source` to `each` until `count` items (0 = all) or `duration`
    seconds have passed (None: no limit), or the source ends.

    The source is closed on the way out (so the gRPC stream is cancelled) whatever happens.
    One loop, with no generator of its own between the stream and the printer.
    """
    seen = 0
    window = asyncio.timeout(duration)
    try:
        async with window:
            async for item in source:
                each(item)
                seen += 1
                if seen == count:
                    break
    except TimeoutError:
        if not window.expired():
            raise  # the source's own, not the end of --duration
    finally:
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            await aclose()


async def print_stream(ctx: CommandContext, source: AsyncIterator[Any], count: int = 0,
                       duration: float | None = None) -> int:
    """Print the items of `source` (bounded as `drain` bounds them): JSON Lines, or the
    --collect array at the end. A stream that ends at its own limit is success (0)."""
    await drain(source, ctx.out.item, count, duration)
    ctx.out.finish()
    return 0
