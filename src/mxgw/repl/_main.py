"""Start the REPL: open the session, preload the namespace, run, always close.

    session = await client.open_session(name=...)     # closed in `finally`, always
    server  = await session.register(client_name)
    namespace = build_namespace(...)
    interactive prompt (stdin is a terminal)  or  run_script(stdin / --exec FILE)

Every way out - Ctrl-D, exit(), an exception, SIGTERM, SIGHUP when the terminal
closes, the first failing statement of a script - passes through the same
`finally`: stop the watches, stop the tag loader, close the session.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TextIO

from .._errors import MxGatewayError
from ._display import format_error, scrub_secrets
from ._namespace import Helpers, build_namespace
from ._watch import Watch, Watches

CLIENT_NAME = "mxgw-repl"


@dataclass
class ReplSettings:
    """What `mxgw repl` was asked to do (from the command line)."""

    script: str | None = None        # source text of --exec FILE or piped stdin
    script_name: str = "<stdin>"
    interactive: bool = True
    debug: bool = False
    profile: str | None = None
    client_name: str = CLIENT_NAME
    history: bool = True


@dataclass
class Connected:
    """The objects the REPL was started with (after the session is open)."""

    client: Any
    session: Any
    server: int
    helpers: Helpers
    watches: Watches
    namespace: dict[str, Any]


async def _close_session(
    session: Any, reason: str, notice: Callable[[str], None], report: bool
) -> None:
    try:
        # Shielded: a second Ctrl-C or a cancelled caller must not leave the
        # session open on the gateway.
        state = await asyncio.shield(session.close(reason=reason))
    except MxGatewayError as exc:
        notice(f"closing session {session.session_id}: {format_error(exc)}")
        return
    if report:
        # The gateway's own word (CloseSessionReply.final_state), e.g. CLOSED.
        notice(f"session {session.session_id} closed ({state})")


async def with_session(
    client: Any,
    settings: ReplSettings,
    body: Callable[[Connected], Awaitable[int]],
    *,
    on_change: Callable[[Watch, Any], None],
    notice: Callable[[str], None],
    report_close: bool = False,
) -> int:
    """Open and register a session, build the namespace, run `body`, always close."""
    session = await client.open_session(name=settings.client_name)
    reason = "mxgw repl exit"
    watches: Watches | None = None
    try:
        server = int(await session.register(settings.client_name))
        watches = Watches(session, on_change, notice, settings.debug)
        helpers = Helpers(client, session, watches)
        namespace = build_namespace(client, session, server, helpers)
        return await body(Connected(client, session, server, helpers, watches, namespace))
    except BaseException as exc:
        reason = f"mxgw repl: {type(exc).__name__}"
        raise
    finally:
        if watches is not None:
            await watches.stop_all()
        await _close_session(session, reason, notice, report_close)


def json_ready(obj: Any) -> Any:
    """A script result as a JSON-friendly value (repr text when there is no mapping)."""
    from ..cli._output import to_jsonable

    try:
        return scrub_secrets(to_jsonable(obj))
    except TypeError:
        return scrub_secrets(repr(obj))


def read_source(path: str | None, stdin: TextIO | None = None) -> tuple[str, str]:
    """The script text and its name: `--exec FILE`, `--exec -` or piped stdin."""
    if path is None or path == "-":
        return (stdin or sys.stdin).read(), "<stdin>"
    with open(path, encoding="utf-8") as f:
        return f.read(), path
