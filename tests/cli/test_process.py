"""The real process: Ctrl-C (SIGINT) and a reader that closes the pipe early."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from typing import IO, AnyStr

import pytest

WATCH = [sys.executable, "-m", "mxgw", "watch", "--endpoint", "sim",
         "TestMachine_001.TestChangingInt"]


def _env(tmp_path: object) -> dict[str, str]:
    return {**os.environ, "MXGW_HOME": str(tmp_path), "PYTHONUNBUFFERED": "1"}


def _first_line(stream: IO[AnyStr] | None) -> AnyStr:
    """The first line of the child's output, waiting at most 60 s (never for ever)."""
    assert stream is not None
    lines: list[AnyStr] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(60)
    assert lines, "no output within 60 s"
    return lines[0]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_exits_130_quietly(tmp_path: object) -> None:
    proc = subprocess.Popen(WATCH, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=_env(tmp_path))
    try:
        first = _first_line(proc.stdout)  # streaming has started: a session is open
        assert '"tag":"TestMachine_001.TestChangingInt"' in first
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err == ""


@pytest.mark.parametrize("unbuffered", [True, False])
def test_closed_pipe_exits_quietly(tmp_path: object, unbuffered: bool) -> None:
    # Buffered, the closed pipe is found by a timed flush, and the next line raises it.
    env = _env(tmp_path)
    if not unbuffered:
        del env["PYTHONUNBUFFERED"]
    proc = subprocess.Popen(WATCH, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert proc.stdout is not None
        assert _first_line(proc.stdout)
        proc.stdout.close()  # like `| head -1`
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert err == b""


def test_a_stream_line_reaches_a_pipe_while_the_stream_is_idle(tmp_path: object) -> None:
    # stdout to a pipe is block-buffered and stream lines are not flushed one by one: the
    # timed flush must still deliver the current value while no further change comes
    # (TestInt never changes), as `mxgw watch TAG | tool` needs. Without it the line
    # would come out only when --duration ends the process, ten minutes later.
    env = {k: v for k, v in _env(tmp_path).items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen([sys.executable, "-m", "mxgw", "watch", "--endpoint", "sim",
                             "TestChildObject.TestInt", "--duration", "600"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        first = _first_line(proc.stdout)
        assert b'"tag":"TestChildObject.TestInt"' in first
        assert proc.poll() is None  # still watching: the line came while it waited
    finally:
        proc.kill()
        proc.communicate()
