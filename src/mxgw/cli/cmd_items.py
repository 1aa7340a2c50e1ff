"""Single MXAccess calls on a session named by --session-id: register .. unadvise,
authenticate-user."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import add_credentials, add_item_handle, add_server_handle, password
from ._context import Command, CommandContext


def _register_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client-name", default="mxgw", help="MXAccess client name")


async def register(ctx: CommandContext, args: argparse.Namespace) -> int:
    session = await ctx.attached_session()
    handle = await session.register(args.client_name)
    ctx.out.emit({"sessionId": session.session_id, "serverHandle": handle})
    return 0


async def unregister(ctx: CommandContext, args: argparse.Namespace) -> int:
    session = await ctx.attached_session()
    await session.unregister(args.server_handle)
    ctx.out.emit({"ok": True, "serverHandle": args.server_handle})
    return 0


def _add_item_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_handle(parser)
    parser.add_argument("--tag", required=True, help="tag address, e.g. Pump001.Speed")


def _add_item2_arguments(parser: argparse.ArgumentParser) -> None:
    _add_item_arguments(parser)
    parser.add_argument("--item-context", required=True, help="AddItem2 item context")


async def add_item(ctx: CommandContext, args: argparse.Namespace) -> int:
    session = await ctx.attached_session()
    if ctx.name == "add-item2":
        handle = await session.add_item2(args.server_handle, args.tag, args.item_context)
    else:
        handle = await session.add_item(args.server_handle, args.tag)
    ctx.out.emit({"serverHandle": args.server_handle, "tag": args.tag, "itemHandle": handle})
    return 0


_ITEM_METHODS = {
    "remove-item": "remove_item",
    "advise": "advise",
    "advise-supervisory": "advise_supervisory",
    "unadvise": "unadvise",
}


async def item_call(ctx: CommandContext, args: argparse.Namespace) -> int:
    session = await ctx.attached_session()
    method: Any = getattr(session, _ITEM_METHODS[ctx.name])
    await method(args.server_handle, args.item_handle)
    ctx.out.emit({"ok": True, "serverHandle": args.server_handle,
                  "itemHandle": args.item_handle})
    return 0


def _authenticate_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_handle(parser)
    add_credentials(parser)


async def authenticate_user(ctx: CommandContext, args: argparse.Namespace) -> int:
    if not args.user:
        from ._exit import UsageError

        raise UsageError("authenticate-user needs --user NAME")
    secret = password(ctx, args.user, args.password_env)
    session = await ctx.attached_session()
    user_id = await session.authenticate_user(args.server_handle, args.user, secret)
    ctx.out.emit({"serverHandle": args.server_handle, "user": args.user, "userId": user_id})
    return 0


COMMANDS = {
    "register": Command(_register_arguments, register),
    "unregister": Command(add_server_handle, unregister),
    "add-item": Command(_add_item_arguments, add_item),
    "add-item2": Command(_add_item2_arguments, add_item),
    "authenticate-user": Command(_authenticate_arguments, authenticate_user),
    **{name: Command(add_item_handle, item_call) for name in _ITEM_METHODS},
}
