"""Run a command under a pseudo-terminal and wait (bounded) for text on its screen.

Used by the end-to-end REPL tests and by bench_repl_startup.py. POSIX only. The
child gets the pty as its controlling terminal, so typed Ctrl-C becomes SIGINT and
closing our end sends it SIGHUP, as with a real terminal window.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
from collections.abc import Mapping, Sequence

BOUND = 60.0  # seconds: an upper bound on every wait, never an assertion
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]")


def plain(text: str) -> str:
    """Screen text without escape sequences and carriage returns."""
    return _ANSI.sub("", text).replace("\r", "")


# Makes stdin (the pty) the controlling terminal, then becomes the real command. A
# trampoline process instead of `preexec_fn`: Python code between fork() and exec()
# can deadlock on locks held by grpc's threads in this (test) process.
_TRAMPOLINE = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


class PtySession:
    def __init__(self, argv: Sequence[str], env: Mapping[str, str] | None = None,
                 rows: int = 40, cols: int = 160) -> None:
        self.rows, self.cols = rows, cols
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        child_env = dict(os.environ if env is None else env)
        child_env.setdefault("TERM", "xterm")
        child_env.setdefault("PROMPT_TOOLKIT_NO_CPR", "1")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, *argv], stdin=slave, stdout=slave,
            stderr=slave, env=child_env, start_new_session=True, close_fds=True)
        os.close(slave)
        os.set_blocking(self.master, False)
        self.raw = ""
        self._changed = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.master, self._on_readable)
        self._closed = False

    @classmethod
    def mxgw(cls, *args: str, env: Mapping[str, str] | None = None) -> PtySession:
        return cls([sys.executable, "-m", "mxgw", *args], env=env)

    def _on_readable(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # EIO: the child closed the terminal
            data = b""
        if not data:
            self._loop.remove_reader(self.master)
        self.raw += data.decode("utf-8", "replace")
        self._changed.set()

    @property
    def screen(self) -> str:
        return plain(self.raw)

    def terminal_lines(self) -> list[str]:
        """What a terminal shows after the output so far: its scrollback, then the screen,
        as a terminal emulator (pyte) draws them, with cursor movements and erasures
        applied. `screen` only strips escapes, so it still holds text that was erased."""
        import pyte

        emulator = pyte.HistoryScreen(self.cols, self.rows, history=10_000)
        pyte.Stream(emulator).feed(self.raw)
        scrollback = ["".join(line[x].data for x in range(self.cols))
                      for line in emulator.history.top]
        return [line.rstrip() for line in (*scrollback, *emulator.display)]

    def logical_lines(self) -> list[str]:
        """`terminal_lines()` with the lines the terminal wrapped at its width joined
        again: one entry per line of output."""
        joined: list[str] = []
        carry = ""
        for line in self.terminal_lines():
            carry += line
            if len(line) < self.cols:
                joined.append(carry)
                carry = ""
        return [*joined, carry] if carry else joined

    async def expect(self, pattern: str, bound: float = BOUND, after: int = 0) -> re.Match[str]:
        """Wait until `pattern` (a regex) appears in the screen text after offset `after`."""
        regex = re.compile(pattern)

        async def wait() -> re.Match[str]:
            while True:
                found = regex.search(self.screen, after)
                if found is not None:
                    return found
                self._changed.clear()
                await self._changed.wait()

        try:
            return await asyncio.wait_for(wait(), bound)
        except TimeoutError:
            raise AssertionError(
                f"{pattern!r} did not appear; screen so far:\n{self.screen[-3000:]}") from None

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    async def wait_exit(self, bound: float = BOUND) -> int:
        async def wait() -> int:
            while self.proc.poll() is None:
                await asyncio.sleep(0.05)
            return self.proc.returncode

        try:
            return await asyncio.wait_for(wait(), bound)
        except TimeoutError:
            raise AssertionError(f"the process did not exit; screen:\n{self.screen[-3000:]}"
                                 ) from None

    def disable_signals(self) -> None:
        """Turn the terminal's ISIG off: Ctrl-C, Ctrl-Z and Ctrl-\\ become plain keys."""
        attrs = termios.tcgetattr(self.master)
        attrs[3] &= ~termios.ISIG
        termios.tcsetattr(self.master, termios.TCSANOW, attrs)

    def hang_up(self) -> None:
        """Close our end of the terminal, as closing the terminal window does."""
        if not self._closed:
            self._closed = True
            self._loop.remove_reader(self.master)
            os.close(self.master)

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.hang_up()
