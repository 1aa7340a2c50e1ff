"""The REPL's session: open it, preload the namespace, run a mode (`_modes`), always close.

    session = await client.open_session(name=...)     # closed in `finally`, always
    server  = await session.register(client_name)
    link = SessionLink(client, ..., session, server)  # reconnects (interactive only)
    namespace = build_namespace(client, link.proxy, server, ...)
    interactive prompt (stdin is a terminal)  or  run_script(stdin / --exec FILE)

Every way out - Ctrl-D, exit(), an exception, SIGTERM, SIGHUP when the terminal
closes, the first failing statement of a script - passes through the same
`finally`: stop the watches, stop reconnecting, close the session (the current one:
after a reconnect, the new one).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO, TypeVar

from .._json import scrub, to_jsonable
from ._namespace import Helpers, build_namespace
from ._reconnect import SessionLink, close_session
from ._watch import Watch, Watches

CLIENT_NAME = "mxgw-repl"
T = TypeVar("T")


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
    reconnect: bool = True           # reopen a lost session (off: --no-reconnect, scripts)


@dataclass
class Connected:
    """The objects the REPL was started with (after the session is open).

    `session` is the namespace's `session` (`_proxy.ReplSession`: the current session,
    also after a reconnect); `link.session` and `link.server` are the current ones.
    """

    client: Any
    session: Any
    link: SessionLink
    helpers: Helpers
    watches: Watches
    namespace: dict[str, Any]


async def with_session(
    client: Any,
    settings: ReplSettings,
    body: Callable[[Connected], Awaitable[T]],
    *,
    on_change: Callable[[Watch, Any], None],
    notice: Callable[[str], None],
    report_close: bool = False,
) -> T:
    """Open and register a session, build the namespace, run `body`, always close."""
    session = await client.open_session(name=settings.client_name)
    reason = "mxgw repl exit"
    watches: Watches | None = None
    link: SessionLink | None = None
    try:
        server = int(await session.register(settings.client_name))
        link = linked = SessionLink(client, settings.client_name, session, server,
                                    notice=notice, enabled=settings.reconnect,
                                    announce=settings.interactive)
        watches = Watches(linked, on_change, notice, settings.debug)
        helpers = Helpers(client, linked.proxy, watches)
        namespace = build_namespace(client, linked.proxy, server, helpers)

        def rebind() -> None:
            # `session` follows by itself (a stand-in); `server` is a plain int.
            namespace["server"] = linked.server

        linked.on_change(rebind)
        return await body(Connected(client, linked.proxy, linked, helpers, watches, namespace))
    except BaseException as exc:
        reason = f"mxgw repl: {type(exc).__name__}"
        raise
    finally:
        if watches is not None:
            await watches.stop_all()
        if link is not None:
            await link.aclose(reason, report_close)
        else:
            # register failed: the session opened for it is closed all the same.
            await close_session(session, reason, notice, report=False)


def exit_status(code: object) -> int:
    """The exit status of `exit(code)` / SystemExit, as Python gives it: None is 0, an int
    (True and False too) itself, anything else (a message) 1."""
    if code is None:
        return 0
    return int(code) if isinstance(code, int) else 1


def json_ready(obj: Any, secrets: Iterable[str] = ()) -> Any:
    """A script result as a JSON-friendly value, secrets scrubbed (its repr() text when it
    has no JSON form); `secrets` are the ones this run knows (the key's bare secret)."""
    try:
        return scrub(to_jsonable(obj), secrets)
    except TypeError:
        return scrub(repr(obj), secrets)


def read_source(path: str | None, stdin: TextIO | None = None) -> tuple[str, str]:
    """The script text and its name: `--exec FILE`, `--exec -` or piped stdin."""
    if path is None or path == "-":
        return (stdin or sys.stdin).read(), "<stdin>"
    with open(path, encoding="utf-8") as f:
        return f.read(), path
