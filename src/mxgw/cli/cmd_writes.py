"""write, write2, write-secured, write-secured2 on a session named by --session-id.

Secured writes take user ids (`--current-user-id`, from `authenticate-user`) or a user name
whose password comes from an environment variable or a prompt (`--user`), never argv.
"""

from __future__ import annotations

import argparse
from typing import Any

from .._values import parse_value
from ._common import (
    add_credentials,
    add_item_handle,
    add_typed_value,
    guarded_write,
    password,
    typed_value,
)
from ._context import Command, CommandContext
from ._exit import UsageError
from ._parser import int32


def add_timestamp(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timestamp", required=True, metavar="ISO8601",
                        help="value timestamp (ISO 8601; no offset = UTC; `now`)")


def add_secured(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--current-user-id", type=int32, metavar="N",
                        help="from `authenticate-user` (or use --user)")
    parser.add_argument("--verifier-user-id", type=int32, default=0, metavar="N",
                        help="verifier's user id for a VerifiedWrite (default 0: none)")
    add_credentials(parser, verifier=True)


async def user_ids(ctx: CommandContext, args: argparse.Namespace, session: Any,
                   server_handle: int) -> tuple[int, int]:
    """(current, verifier) user ids from the id flags or by authenticating the named users."""
    current = args.current_user_id
    verifier = args.verifier_user_id
    if args.user:
        secret = password(ctx, args.user, args.password_env)
        current = await session.authenticate_user(server_handle, args.user, secret)
    if getattr(args, "verifier", None):
        secret = password(ctx, args.verifier, args.verifier_password_env, "verifier")
        verifier = await session.authenticate_user(server_handle, args.verifier, secret)
    if current is None:
        raise UsageError(f"`mxgw {ctx.name}` needs --current-user-id N or --user NAME")
    return current, verifier


def _arguments(parser: argparse.ArgumentParser, *, timestamp: bool, secured: bool) -> None:
    add_item_handle(parser)
    add_typed_value(parser)
    if timestamp:
        add_timestamp(parser)
    if secured:
        add_secured(parser)
    else:
        parser.add_argument("--user-id", type=int32, default=0, metavar="N",
                            help="MXAccess user id (default 0: none)")


async def write(ctx: CommandContext, args: argparse.Namespace) -> int:
    value = typed_value(args)
    data_type = args.type
    timestamp = parse_value(args.timestamp, "datetime") if "2" in ctx.name else None
    secured = ctx.name.startswith("write-secured")
    details: dict[str, Any] = {
        "command": ctx.name, "sessionId": ctx.session_id(), "serverHandle": args.server_handle,
        "itemHandle": args.item_handle, "type": args.type, "value": value,
    }
    if timestamp is not None:
        details["timestamp"] = timestamp
    if secured:
        details["user"] = args.user or args.current_user_id
        details["verifier"] = getattr(args, "verifier", None) or args.verifier_user_id

    async def send() -> None:
        session = await ctx.attached_session()
        handles = (args.server_handle, args.item_handle, value)
        if secured:
            current, verifier = await user_ids(ctx, args, session, args.server_handle)
            if timestamp is None:
                await session.write_secured(*handles, current_user_id=current,
                                            verifier_user_id=verifier, data_type=data_type)
            else:
                await session.write_secured2(*handles, timestamp, current_user_id=current,
                                             verifier_user_id=verifier, data_type=data_type)
        elif timestamp is None:
            await session.write(*handles, user_id=args.user_id, data_type=data_type)
        else:
            await session.write2(*handles, timestamp, user_id=args.user_id, data_type=data_type)

    sent, _ = await guarded_write(ctx, ctx.name, details, send)
    if sent:
        ctx.out.emit({"ok": True, **details})
    return 0


def _make(timestamp: bool, secured: bool) -> Command:
    return Command(lambda p: _arguments(p, timestamp=timestamp, secured=secured), write)


COMMANDS = {
    "write": _make(False, False),
    "write2": _make(True, False),
    "write-secured": _make(False, True),
    "write-secured2": _make(True, True),
}
