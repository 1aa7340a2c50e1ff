"""`mxgw repl`: its options, and what its runs mean on the command line.

    mxgw repl --endpoint sim                       interactive (stdin is a terminal)
    mxgw repl --profile plant1 < checks.py          statements from stdin
    mxgw repl --profile plant1 --exec checks.py     statements from a file

The runs themselves are mxgw.repl's (`_modes`: the prompt, a script). Here they become
exit codes: a signal 130; a script's `exit(n)` n; its first failing statement a Python
traceback of the script (gateway errors: one line; the traceback with --debug) on stderr,
then the usual one-line JSON error naming the file and line, and the usual exit code (1
for a Python error in the script).

ptpython and prompt_toolkit are imported only for the interactive prompt, so neither
`import mxgw` nor any other command pays for them.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .._json import redact
from . import _exit

if TYPE_CHECKING:
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
    from ..repl._modes import interactive, scripted
    from ..repl._runner import ScriptError
    from ._output import flush_notices

    is_interactive = args.exec_file is None and sys.stdin.isatty()
    settings = ReplSettings(
        debug=ctx.debug, profile=ctx.profile, client_name=args.client_name,
        history=not args.no_history, interactive=is_interactive,
        reconnect=is_interactive and not args.no_reconnect,
    )
    if is_interactive:
        client = await ctx.client()
        # The prompt writes to the terminal itself, not through ctx.out: its start is the
        # command going on, so the notices held back (a first contact) are told now.
        flush_notices(ctx.out.pending)
        status = await interactive(client, settings, stdout=lambda: ctx.out.stream,
                                   secrets=ctx.runtime.secrets)
        return _exit.INTERRUPTED if status is None else status
    try:
        settings.script, settings.script_name = read_source(args.exec_file)
    except OSError as exc:
        raise _exit.UsageError(f"--exec: cannot read {args.exec_file}: "
                               f"{exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise _exit.UsageError(f"the script is not UTF-8 text ({exc.reason} at byte "
                               f"{exc.start})") from None
    try:
        code = await scripted(await ctx.client(), settings, emit=ctx.out.line,
                              secrets=ctx.runtime.secrets)
    except ScriptError as exc:
        return _report_script_error(ctx, exc)
    return _exit.INTERRUPTED if code is None else code


def _report_script_error(ctx: CommandContext, exc: ScriptError) -> int:
    """stderr: the script's traceback (gateway errors: only with --debug), then the
    one-line JSON error every mxgw command prints, with the script's file and line; the
    warnings and the notices held back so far are its fields, as in `_main.report`."""
    from ._main import write_error

    runtime = ctx.runtime
    text = exc.traceback(ctx.debug)
    if text is not None:
        sys.stderr.write(redact(text, runtime.secrets) + "\n")
    fields = _exit.error_fields(exc.error, runtime.secrets, runtime.warnings,
                                message=exc.describe(), notices=runtime.notices)
    runtime.warnings.clear()
    runtime.notices.clear()  # told in the error line: not again after it
    return write_error(fields)
