"""`put --user NAME [--verifier NAME]`: secured and verified writes, each awaited.

The library's `write_tag` writes without user ids, so the secured path is built here on
public Session calls: its own server handle, AuthenticateUser for the operator (and the
verifier), then per tag AddItem, Advise, WriteSecured and the item's OnWriteComplete.
Passwords come from the environment or a no-echo prompt (`_common.password`), never argv.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from ._common import guarded_write, password
from ._context import CommandContext
from ._values import library_type


async def _completion(ctx: CommandContext, listener: Any, tag: str) -> None:
    """Wait for the write's OnWriteComplete; raise MxAccessError when it reports failure."""
    from .. import _errors, _rpc
    from .._values import TagValue

    wait = ctx.options.timeout
    try:
        got = await asyncio.wait_for(listener.get(), wait)
    except TimeoutError:
        raise _errors.MxGatewayWorkerError(
            f"write {tag}: no OnWriteComplete within {wait} s") from None
    if got is None:
        raise _errors.MxGatewaySessionError(f"write {tag}: the session was closed")
    info, event = got
    failed = tuple(s for s in TagValue.from_message(event).statuses if s.is_failure)
    if failed or (info.hresult is not None and info.hresult < 0):
        raise _errors.MxAccessError(
            f"write {tag} failed: {_rpc.describe_failure(info.hresult, failed)}",
            statuses=failed, hresult=info.hresult)


async def secured_put(ctx: CommandContext, args: argparse.Namespace, session: Any,
                      writes: list[dict[str, Any]]) -> None:
    server = await session.register(f"mxgw-put-{args.user}")
    current = await session.authenticate_user(
        server, args.user, password(ctx, args.user, args.password_env))
    verifier = 0
    if args.verifier:
        verifier = await session.authenticate_user(
            server, args.verifier,
            password(ctx, args.verifier, args.verifier_password_env, "verifier"))
    for write in writes:
        item = await session.add_item(server, write["tag"])
        await session.advise(server, item)
        listener = session.listen(
            lambda info, item=item: info.family == "ON_WRITE_COMPLETE"
            and info.server_handle == server and info.item_handle == item)

        async def send(write: dict[str, Any] = write, item: int = item,
                       listener: Any = listener) -> None:
            await session.write_secured(server, item, write["value"],
                                        current_user_id=current, verifier_user_id=verifier,
                                        data_type=library_type(write["type"]))
            await _completion(ctx, listener, write["tag"])

        try:
            await guarded_write(ctx, "put", {"command": "put", **write, "user": args.user,
                                             "verifier": args.verifier}, send)
        finally:
            session.unlisten(listener)
