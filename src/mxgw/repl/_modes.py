"""The REPL's two ways to run: at an interactive prompt, or a script to its end.

    code = await interactive(client, settings, stdout=lambda: sys.stdout, secrets=...)
    code = await scripted(client, settings, emit=print_json_line)

Both open the session through `_main.with_session` (always closed). `interactive` returns
the prompt's exit status (an `exit(n)`'s n, else 0), or None when a signal ended it.
`scripted` prints each top-level expression's value through `emit` as a JSON-ready
document and returns the script's own exit code (`exit(n)`; 0 when it ran to its end),
or None when a signal ended it; its first failing statement raises `_runner.ScriptError`
once the session is closed. Exit codes and the JSON error line are the command line's business
(mxgw.cli.cmd_repl); ptpython loads only for `interactive`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from .._json import redact
from .._signals import until_terminated
from ._main import Connected, ReplSettings, exit_status, json_ready, with_session
from ._runner import run_script
from ._watch import Watch

Write = Callable[[str], None]


def _terminal_writer(stdout: Callable[[], TextIO], above_prompt: bool,
                     secrets: Iterable[str] = ()) -> Write:
    """A writer for the terminal that never raises once the terminal is gone, and that
    redacts on the way every secret this run knows (`secrets`, a live set: the key in
    use and its bare secret part, which nothing else recognises as a secret).

    Results are written straight to the terminal (`above_prompt=False`): the prompt is
    not running then, and the text is on screen before the next prompt starts. Watch
    output arrives while the prompt runs, so it goes through `stdout()` as it is then,
    prompt_toolkit's patch_stdout proxy, which prints above the prompt line.
    """
    real = stdout()
    gone = False

    def write(text: str) -> None:
        nonlocal gone
        if gone:
            return
        stream = stdout() if above_prompt else real
        try:
            stream.write(redact(text, secrets))
            stream.flush()
        except OSError:
            # EIO / EPIPE: the terminal was closed. Nobody can read this any more,
            # and the exit path (closing the session) must go on regardless.
            gone = True

    return write


async def interactive(client: Any, settings: ReplSettings, *, stdout: Callable[[], TextIO],
                      secrets: Iterable[str]) -> int | None:
    """The prompt, until the user leaves; returns its exit status, None for a signal."""
    from ._console import ReplConsole, interact, start_tag_cache
    from ._history import open_history
    from ._info import connection_monitor, follow_link, repl_info
    from ._watch import print_change

    write = _terminal_writer(stdout, above_prompt=False, secrets=secrets)
    write_above = _terminal_writer(stdout, above_prompt=True, secrets=secrets)

    async def body(connected: Connected) -> int | None:
        cache = start_tag_cache(client, settings.debug)
        monitor = connection_monitor(client)
        info = repl_info(connected, settings, monitor, cache)
        history = None
        if settings.history:
            try:
                history = open_history(secrets=secrets)
            except OSError as exc:
                write(f"history disabled: cannot use {exc.filename}: {exc.strerror}\n")
        console = ReplConsole(connected.namespace, info, write, debug=settings.debug,
                              tag_cache=cache, history=history)
        follow_link(connected.link, info, monitor, cache, console.app.invalidate)
        try:
            reason = await interact(console)
            return None if reason.startswith("SIG") else console.exit_code
        finally:
            monitor.stop()
            await cache.stop()

    # Notices (a watch stopped, the session lost, reconnected) arrive while the prompt
    # runs: above it, like watch output.
    return await with_session(client, settings, body, on_change=print_change(write_above),
                              notice=lambda text: write_above(text + "\n"), report_close=True)


def _notice(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


async def scripted(client: Any, settings: ReplSettings, *,
                   emit: Callable[[Any], None], secrets: Iterable[str] = ()) -> int | None:
    """Run the script; its exit code, or None when a signal stopped it (ScriptError when
    a statement failed)."""

    def on_change(watch: Watch, change: Any) -> None:
        emit({"watch": watch.id, "tag": change.tag, "value": json_ready(change.value, secrets)})

    async def script(connected: Connected) -> int:
        try:
            await run_script(settings.script or "", settings.script_name, connected.namespace,
                             emit=lambda result: emit(json_ready(result, secrets)))
        except SystemExit as exc:
            # exit(n) / sys.exit(n) in a script: its code, after the session closes.
            return exit_status(exc.code)
        return 0

    async def body(connected: Connected) -> int | None:
        terminated, code = await until_terminated(script(connected))
        if terminated:
            _notice(f"terminated by a signal; closing session {connected.session.session_id}")
            return None
        return code

    return await with_session(client, settings, body, on_change=on_change, notice=_notice)
