"""`batch`: one full command line per stdin line, run by the same dispatcher in-process.

After each command: its output, then the line `__MXGW_BATCH_EOR__`. A failing command
prints `{"type": "error", "error": MESSAGE, "errorType", "exitCode", ...}` on stdout and
the loop goes on. An empty line or end of input ends the batch. Connections (and a
`--endpoint sim` simulator) are opened once and reused by every line. The connection
options given to `batch` itself are the default of every line; a line's own override
them, one by one. Lines are split like a POSIX shell but backslashes are kept, so
Windows paths need no doubling. `batch` exits 0 when every line succeeded, else the exit
code of the last failing line.

stdin is read on a daemon thread, one line at a time: a blocked read must not keep the
process alive after Ctrl-C or SIGTERM (asyncio's default executor is joined at exit).
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import threading
from typing import Any

from ._context import CONNECTION_DESTS, CommandContext
from ._exit import UsageError, error_fields
from ._parser import add_connection_options

END_OF_RECORD = "__MXGW_BATCH_EOR__"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_connection_options(parser)  # defaults for the lines


def split_line(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.escape = ""  # keep C:\path\to\ca.pem intact
    try:
        return list(lexer)
    except ValueError as exc:
        raise UsageError(f"cannot split the line: {exc}") from None


def _settle(future: asyncio.Future[bytes], line: bytes | None,
            error: BaseException | None) -> None:
    if future.done():
        return  # the batch was cancelled meanwhile
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(line or b"")


async def read_line() -> bytes:
    """The next line of stdin as bytes (b"" at the end), read on a daemon thread."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[bytes] = loop.create_future()
    stdin = sys.stdin

    def read() -> None:
        line: bytes | None = None
        error: BaseException | None = None
        try:
            buffer = getattr(stdin, "buffer", None)
            line = (buffer.readline() if buffer is not None
                    else stdin.readline().encode("utf-8", "surrogateescape"))
        except Exception as exc:  # noqa: BLE001 - handed to the awaiting task
            error = exc
        try:
            loop.call_soon_threadsafe(_settle, future, line, error)
        except RuntimeError:
            pass  # the loop is gone: nobody waits for this line any more

    threading.Thread(target=read, name="mxgw-batch-stdin", daemon=True).start()
    return await future


def decode_line(data: bytes, number: int) -> str:
    encoding = getattr(sys.stdin, "encoding", None) or "utf-8"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise UsageError(f"batch line {number} is not {encoding} text") from None


async def run(ctx: CommandContext, args: argparse.Namespace) -> int:
    from ._main import report_warnings, run_line

    runtime = ctx.runtime
    runtime.in_batch = True
    runtime.defaults = {dest: getattr(args, dest) for dest in CONNECTION_DESTS
                        if getattr(args, dest, None) is not None}
    worst = 0
    number = 0
    while True:
        data = await read_line()
        number += 1
        if not data.strip():
            break
        try:
            code = await run_line(split_line(decode_line(data, number)), runtime)
        except Exception as exc:  # noqa: BLE001 - the batch protocol reports and goes on
            code = _report(ctx, exc)
        report_warnings(runtime.warnings, runtime.notices)
        worst = code or worst
        ctx.out.raw(END_OF_RECORD)
    return worst


def _report(ctx: CommandContext, exc: Exception) -> int:
    runtime = ctx.runtime
    fields = error_fields(exc, runtime.secrets, runtime.warnings)
    runtime.warnings.clear()
    record: dict[str, Any] = {
        "type": "error", "error": fields["message"], "errorType": fields["type"],
        "exitCode": fields["exitCode"], "grpcCode": fields["grpcCode"],
        "protocolStatus": fields["protocolStatus"], "hresult": fields["hresult"]}
    if "warnings" in fields:
        record["warnings"] = fields["warnings"]
    ctx.out.line(record)
    code: int = fields["exitCode"]
    return code
