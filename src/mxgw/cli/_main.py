"""The dispatcher: find the command, parse, run it, and turn any failure into an exit code.

`main(argv)` is the console script; `run_line(argv, runtime)` is what `batch` calls for
each stdin line, in the same process, with the same runtime (so connections are reused).
"""

from __future__ import annotations

import importlib
import os
import sys

from .._json import error_line, redact, warning_line
from . import _exit
from ._exit import UnavailableError, UsageError
from ._output import Output
from ._parser import command_parser, split_command, top_level_help, unknown_command
from ._table import COMMANDS, CommandSpec

# asyncio, logging, json, traceback and the connection context are imported where they
# are used: `mxgw version` and `mxgw --help` must start fast (see tests/bench_startup.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    import logging
    from collections.abc import MutableMapping, Sequence
    from typing import Any, NoReturn

    from ._context import Runtime

# Commands that cannot run as a line of `batch`.
NOT_IN_BATCH = frozenset({"batch", "sim", "repl"})
# Commands that handle SIGTERM/SIGHUP themselves (the REPL leaves its prompt).
OWN_SIGNALS = frozenset({"repl"})


def argv_secrets(argv: Sequence[str]) -> set[str]:
    """Values given to --api-key on the command line, to be scrubbed from every message."""
    found: set[str] = set()
    for i, word in enumerate(argv):
        if word == "--api-key" and i + 1 < len(argv):
            found.add(argv[i + 1])
        elif word.startswith("--api-key="):
            found.add(word.split("=", 1)[1])
    return found


def load(spec: CommandSpec) -> Any:
    """Import the command's module (only now) and return its add_arguments/run holder."""
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        if exc.name == spec.module:
            raise UnavailableError(
                f"`mxgw {spec.name}` is not available in this build "
                f"(module {spec.module} is missing)") from exc
        raise
    family = getattr(module, "COMMANDS", None)
    return family[spec.name] if family is not None else module


def resolve_spec(argv: Sequence[str]) -> tuple[CommandSpec | None, list[str]]:
    command, rest = split_command(argv)
    if command is None:
        return None, rest
    spec = COMMANDS.get(command)
    if spec is None:
        raise unknown_command(command)
    return spec, rest


# Flags that bound or narrow a stream, named (when the command has them) by the --collect
# cap's error.
STREAM_BOUNDS = ("--count", "--max-events", "--max-messages", "--duration", "--prefix",
                 "--root-tag", "--root-path", "--max-depth", "--glob")


def _parse(spec: CommandSpec, rest: Sequence[str], in_batch: bool) -> tuple[Any, argparse.Namespace, Output]:
    entry = load(spec)
    parser = command_parser(spec)
    entry.add_arguments(parser)
    args = parser.parse_args(rest)
    pretty = False if in_batch and args.pretty is None else args.pretty
    known = {option for action in parser._actions for option in action.option_strings}
    out = Output(pretty=pretty, collect=bool(getattr(args, "collect", False)),
                 bounds=tuple(f for f in STREAM_BOUNDS if f in known))
    # A streaming command's "stop after N" (--count, --max-events, ...) is `args.count`.
    for action in parser._actions:
        if action.dest == "count":
            out.check_count(args.count, action.option_strings[0])
    return entry, args, out


def _offline(spec: CommandSpec, entry: Any, args: argparse.Namespace) -> bool:
    """Whether this invocation runs without an event loop (`run_offline(args, out)`)."""
    return spec.kind == "offline" or (spec.kind == "either" and not entry.connects(args))


def _run_offline(spec: CommandSpec, rest: Sequence[str], in_batch: bool = False) -> int | None:
    """An offline command runs without an event loop; None: this one connects after all."""
    entry, args, out = _parse(spec, rest, in_batch)
    if not _offline(spec, entry, args):
        return None
    code: int = entry.run_offline(args, out)
    return code


async def run_line(argv: Sequence[str], runtime: Runtime) -> int:
    """Parse and run one command line inside an event loop; exceptions propagate."""
    from ._context import CommandContext

    spec, rest = resolve_spec(argv)
    if spec is None:
        raise UsageError("no command; `mxgw --help` lists the commands")
    if runtime.in_batch and spec.name in NOT_IN_BATCH:
        raise UsageError(f"`{spec.name}` cannot run inside `batch`")
    if spec.kind == "raw":
        raise UsageError(f"`{spec.name}` must be run on its own")
    entry, args, out = _parse(spec, rest, runtime.in_batch)
    if _offline(spec, entry, args):
        code: int = entry.run_offline(args, out)
        return code
    out.pending = runtime.notices
    ctx = CommandContext(spec, args, runtime, out)
    await ctx.prepare()
    if spec.write:
        ctx.check_writable()  # the CLI's one read-only refusal: before connecting
    try:
        code = await entry.run(ctx, args)
    finally:
        out.close()  # the stream lines still in the buffer, before any error line
    return code


async def _run_main(argv: Sequence[str], spec: CommandSpec, secrets: set[str],
                    warnings: list[str], notices: list[Any]) -> int:
    from .._signals import until_terminated
    from ._context import Runtime

    # One set: keys and passwords learnt while running are scrubbed from the error line
    # and the debug log as well. One list: warnings (an unconfirmed session close, an
    # audit log that could not be written) reach stderr after the command.
    runtime = Runtime(secrets, warnings, notices)

    async def run() -> int:
        try:
            return await run_line(argv, runtime)
        finally:
            await runtime.aclose()

    if spec.name in OWN_SIGNALS:
        return await run()
    # SIGTERM, SIGHUP and Ctrl-Break take the Ctrl-C path: cancel, close, exit 130.
    terminated, code = await until_terminated(run())
    return _exit.INTERRUPTED if terminated or code is None else code


def report(exc: BaseException, *, debug: bool, secrets: set[str],
           warnings: Sequence[str] = (), notices: Sequence[Any] = ()) -> int:
    """Write the one-line JSON error (and the traceback with --debug) to stderr.

    Warnings of the same run (a cleanup that failed after the error) and notices not yet
    printed (a first contact) are fields of that line, so stderr still holds exactly one
    line without --debug."""
    if debug:
        import traceback

        sys.stderr.write(redact("".join(traceback.format_exception(exc)), secrets))
    return write_error(_exit.error_fields(exc, secrets, warnings, notices=notices))


def write_error(fields: dict[str, Any]) -> int:
    """The JSON error line on stderr; returns its exit code."""
    sys.stderr.write(error_line(fields) + "\n")
    sys.stderr.flush()
    code: int = fields["exitCode"]
    return code


def report_warnings(warnings: list[str], notices: list[Any] | None = None) -> None:
    """The notices held back, then one JSON line per warning, on stderr (after a command
    that succeeded or was interrupted); the lists are emptied."""
    if notices:
        from ._output import flush_notices

        flush_notices(notices)
    if not warnings:
        return
    for warning in warnings:
        sys.stderr.write(warning_line(warning) + "\n")
    sys.stderr.flush()
    warnings.clear()


def _silence_stdout() -> None:
    # After a broken pipe, the interpreter's final flush must not raise again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout has no file descriptor (tests): nothing will be flushed at exit


def _run_raw(spec: CommandSpec, rest: list[str]) -> int:
    if spec.name == "sim":
        try:
            from ..sim.__main__ import main as sim_main
        except ModuleNotFoundError as exc:
            raise UnavailableError("`mxgw sim`: the simulator is not part of this build") from exc
        return int(sim_main(rest) or 0)
    raise UnavailableError(f"no runner for `{spec.name}`")


def _debug_logging(secrets: set[str]) -> logging.Handler:
    """Send the library's debug log to stderr through the same secret scrubbing as errors.

    The whole formatted record is scrubbed, so a traceback logged with exc_info is too.
    """
    import logging

    class Scrubbing(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return redact(super().format(record), secrets)

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(Scrubbing("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("mxgw")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def quiet_grpc(debug: bool, env: MutableMapping[str, str] | None = None) -> None:
    """Keep grpc's C-core log lines off stderr, which holds one JSON line on failure.

    grpc reads GRPC_VERBOSITY once, when it is first imported, so this runs before any
    command imports it; ERROR still printed lines (a bad CA file, a bad key character).
    --debug lets grpc's errors through; a GRPC_VERBOSITY you set is kept.
    """
    if "grpc" in sys.modules:
        return  # too late to matter (a test calling main() in-process): leave it alone
    env = os.environ if env is None else env
    env.setdefault("GRPC_VERBOSITY", "ERROR" if debug else "NONE")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one mxgw command line; return its exit code (see `mxgw --help`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    quiet_grpc(debug)
    secrets = argv_secrets(argv)
    handler = _debug_logging(secrets) if debug else None
    try:
        return _main(argv, debug, secrets)
    finally:
        if handler is not None:
            import logging

            logger = logging.getLogger("mxgw")
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)


def run() -> NoReturn:
    """The process's entry point (the console script, the pyz's launcher, `python -m
    mxgw`): main() on sys.argv, then exit with its code. In-process callers (tests,
    `batch`) call main() instead.

    Interpreter shutdown has the garbage collector walk every object left (grpc's,
    protobuf's, every module's): about a tenth of a one-shot `get`'s CPU time. Frozen,
    they are skipped; the rest of shutdown (atexit handlers, flushing stdout) runs as
    usual. The command has closed its sessions and channels and the event loop is
    closed by then, so what the walk would collect is only garbage."""
    code = main()
    import gc

    gc.freeze()
    sys.exit(code)


def _main(argv: list[str], debug: bool, secrets: set[str]) -> int:
    warnings: list[str] = []
    notices: list[Any] = []
    try:
        spec, rest = resolve_spec(argv)
        if spec is None and "--version" in rest:
            spec, rest = COMMANDS["version"], [a for a in rest if a != "--version"]
        if spec is None:
            if rest and rest[0] in ("-h", "--help"):
                sys.stdout.write(top_level_help())
                return 0
            if sys.stderr.isatty():
                # Someone typed `mxgw`: show the commands. A script (stderr captured) gets
                # the one JSON line every failure gets, its command word having come out
                # empty (`mxgw $CMD --endpoint ...`).
                sys.stderr.write(top_level_help())
            raise UsageError("no command; `mxgw --help` lists the commands")
        if spec.kind == "raw":
            return _run_raw(spec, rest)
        if spec.kind in ("offline", "either"):
            code = _run_offline(spec, rest)
            if code is not None:
                return code
        import asyncio

        code = asyncio.run(_run_main(argv, spec, secrets, warnings, notices))
        report_warnings(warnings, notices)
        return code
    except SystemExit as exc:  # --help of a command
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        report_warnings(warnings, notices)
        return _exit.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return _exit.OK
    except Exception as exc:  # noqa: BLE001 - the one wrapper: every failure becomes an exit code
        return report(exc, debug=debug, secrets=secrets, warnings=warnings, notices=notices)
