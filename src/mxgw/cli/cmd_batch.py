"""`batch`: one full command line per stdin line, run by the same dispatcher in-process.

After each command: its output, then the line `__MXGW_BATCH_EOR__`. A failing command
prints `{"type": "error", "error": MESSAGE, "errorType", "exitCode", ...}` on stdout and
the loop goes on. An empty line or end of input ends the batch. Connections (and a
`--endpoint sim` simulator) are opened once and reused by every line. Lines are split
like a POSIX shell but backslashes are kept, so Windows paths need no doubling.
`batch` exits 0 when every line succeeded, else the exit code of the last failing line.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys

from ._context import CommandContext
from ._exit import UsageError, error_fields

END_OF_RECORD = "__MXGW_BATCH_EOR__"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # each line carries its own options


def split_line(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.escape = ""  # keep C:\path\to\ca.pem intact
    try:
        return list(lexer)
    except ValueError as exc:
        raise UsageError(f"cannot split the line: {exc}") from None


async def run(ctx: CommandContext, args: argparse.Namespace) -> int:
    from ._main import run_line

    runtime = ctx.runtime
    runtime.in_batch = True
    worst = 0
    while True:
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line.strip():
            break
        try:
            code = await run_line(split_line(line), runtime)
        except Exception as exc:  # noqa: BLE001 - the batch protocol reports and goes on
            fields = error_fields(exc, runtime.secrets)
            code = fields["exitCode"]
            ctx.out.line({"type": "error", "error": fields["message"],
                          "errorType": fields["type"], "exitCode": code,
                          "grpcCode": fields["grpcCode"],
                          "protocolStatus": fields["protocolStatus"],
                          "hresult": fields["hresult"]})
        worst = code or worst
        ctx.out.raw(END_OF_RECORD)
    return worst
