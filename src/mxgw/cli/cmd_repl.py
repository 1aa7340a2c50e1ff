"""`mxgw repl`: an async Python prompt with a connected client and an open session.

    mxgw repl --endpoint sim                       interactive (stdin is a terminal)
    mxgw repl --profile plant1 < checks.py          statements from stdin
    mxgw repl --profile plant1 --exec checks.py     statements from a file

Scripted runs print each top-level expression's value as one JSON line, close the
session and stop at the first failing statement: a Python traceback of the script
(gateway errors: one line) on stderr, then the usual one-line JSON error, and the
usual exit code (1 for a Python error in the script).

ptpython and prompt_toolkit are imported here only, and only for the interactive
prompt, so neither `import mxgw` nor any other command pays for them.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from . import _exit

if TYPE_CHECKING:
    from ..repl._main import Connected, ReplSettings
    from ..repl._runner import ScriptError
    from ._context import CommandContext


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--exec", dest="exec_file", metavar="FILE",
        help="run the statements of FILE (`-` for stdin) in the preloaded namespace, "
             "print each expression's value as a JSON line, close the session, exit "
             "(non-zero at the first error); piped stdin does the same")
    parser.add_argument(
        "--client-name", default="mxgw-repl", metavar="NAME",
        help="the client name registered with the gateway (default mxgw-repl)")
    parser.add_argument(
        "--no-history", action="store_true",
        help="do not read or write the history file (repl_history in the data folder)")
    parser.add_argument(
        "--no-reconnect", action="store_true",
        help="when the session is lost (gateway restarted, connection dropped), do not "
             "open a new one (scripts never do: they stop at the failing statement)")


async def run(ctx: CommandContext, args: argparse.Namespace) -> int:
    from ..repl._main import ReplSettings, read_source

    interactive = args.exec_file is None and sys.stdin.isatty()
    settings = ReplSettings(
        debug=ctx.debug, profile=ctx.profile, client_name=args.client_name,
        history=not args.no_history, interactive=interactive,
        reconnect=interactive and not args.no_reconnect,
    )
    if not settings.interactive:
        try:
            settings.script, settings.script_name = read_source(args.exec_file)
        except OSError as exc:
            raise _exit.UsageError(f"--exec: cannot read {args.exec_file}: "
                                   f"{exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise _exit.UsageError(f"the script is not UTF-8 text ({exc.reason} at byte "
                                   f"{exc.start})") from None
        return await _scripted(ctx, settings)
    return await _interactive(ctx, settings)


def _terminal_writer(ctx: CommandContext, above_prompt: bool) -> Any:
    """A writer for the terminal that never raises once the terminal is gone.

    Results are written straight to the terminal (`above_prompt=False`): the prompt is
    not running then, and the text is on screen before the next prompt starts. Watch
    output arrives while the prompt runs, so it goes through `sys.stdout`, which is
    prompt_toolkit's patch_stdout proxy there and prints above the prompt line.
    """
    real = ctx.out.stream
    gone = False

    def write(text: str) -> None:
        nonlocal gone
        if gone:
            return
        stream = ctx.out.stream if above_prompt else real
        try:
            stream.write(text)
            stream.flush()
        except OSError:
            # EIO / EPIPE: the terminal was closed. Nobody can read this any more,
            # and the exit path (closing the session) must go on regardless.
            gone = True

    return write


async def _interactive(ctx: CommandContext, settings: ReplSettings) -> int:
    from ..repl._console import ReplConsole, interact, start_tag_cache
    from ..repl._history import open_history
    from ..repl._info import connection_monitor, follow_link, repl_info
    from ..repl._main import with_session
    from ..repl._watch import print_change

    client = await ctx.client()
    write = _terminal_writer(ctx, above_prompt=False)
    write_above = _terminal_writer(ctx, above_prompt=True)

    async def body(connected: Connected) -> int:
        cache = start_tag_cache(client, settings.debug)
        monitor = connection_monitor(client)
        info = repl_info(connected, settings, monitor, cache)
        history = None
        if settings.history:
            try:
                history = open_history(secrets=ctx.runtime.secrets)
            except OSError as exc:
                write(f"history disabled: cannot use {exc.filename}: {exc.strerror}\n")
        console = ReplConsole(connected.namespace, info, write, debug=settings.debug,
                              tag_cache=cache, history=history)
        follow_link(connected.link, info, monitor, cache, console.app.invalidate)
        try:
            reason = await interact(console)
        finally:
            monitor.stop()
            await cache.stop()
        return _exit.INTERRUPTED if reason.startswith("SIG") else _exit.OK

    # Notices (a watch stopped, the session lost, reconnected) arrive while the prompt
    # runs: above it, like watch output.
    return await with_session(client, settings, body, on_change=print_change(write_above),
                              notice=lambda text: write_above(text + "\n"), report_close=True)


async def _scripted(ctx: CommandContext, settings: ReplSettings) -> int:
    from .._signals import until_terminated
    from ..repl._main import json_ready, with_session
    from ..repl._runner import ScriptError, run_script

    client = await ctx.client()

    def on_change(watch: Any, change: Any) -> None:
        ctx.out.line({"watch": watch.id, "tag": change.tag, "value": json_ready(change.value)})

    def notice(text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    async def script(connected: Connected) -> int:
        try:
            await run_script(settings.script or "", settings.script_name, connected.namespace,
                             emit=lambda result: ctx.out.line(json_ready(result)))
        except ScriptError as exc:
            return _report_script_error(ctx, exc)
        except SystemExit as exc:
            # exit(n) / sys.exit(n) in a script: its code, after the session closes.
            return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        return _exit.OK

    async def body(connected: Connected) -> int:
        terminated, code = await until_terminated(script(connected))
        if terminated:
            notice(f"terminated by a signal; closing session {connected.session.session_id}")
            return _exit.INTERRUPTED
        return code if code is not None else _exit.INTERRUPTED

    return await with_session(client, settings, body, on_change=on_change, notice=notice)


def _report_script_error(ctx: CommandContext, exc: ScriptError) -> int:
    """stderr: the script's traceback (gateway errors: only with --debug), then the
    one-line JSON error every mxgw command prints, with the script's file and line."""
    from .._errors import MxGatewayError
    from ..repl._display import format_error

    error = exc.error
    secrets = ctx.runtime.secrets
    gateway = isinstance(error, MxGatewayError)
    if ctx.debug or not gateway:
        sys.stderr.write(_exit.scrub(format_error(error, debug=True), secrets) + "\n")
    fields = _exit.error_fields(error, secrets)
    if not gateway:
        # A bug in the user's script, not in mxgw: say what it was, not "internal error".
        fields["message"] = _exit.scrub(f"{type(error).__name__}: {error}", secrets)
    fields["message"] = f"{exc.filename} line {exc.lineno}: {fields['message']}"
    sys.stderr.write(json.dumps({"error": fields}, sort_keys=True, ensure_ascii=True) + "\n")
    sys.stderr.flush()
    code: int = fields["exitCode"]
    return code
