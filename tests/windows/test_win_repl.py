"""`mxgw repl` on Windows CPython (under Wine), on 3.11, 3.12 and 3.13: piped scripts,
--exec with exit()/quit() (the embeddable Python has no `site`), the interactive prompt
on a real Windows console (Wine's console host on a pseudo-terminal) with Ctrl-C
cancelling a call (ptpython #582: the Windows event loop has no add_signal_handler),
Ctrl-Z then Enter, and Ctrl-Break / closing the console, scripted and interactive.

Console events (Ctrl-C, Ctrl-Break, the close event) are delivered by wintool.py the
way Windows' console host does: a thread at kernel32!CtrlRoutine in the target process.
Keys are typed on the pseudo-terminal.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import winekit
from conftest import Mxgw, Running

from mxgw.testing import RunningSimulator, run_simulator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "repl"))
from pty_session import PtySession

pytestmark = [pytest.mark.windows, pytest.mark.slow]


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[RunningSimulator]:
    """A simulator on this (Linux) side: the test counts the sessions left open."""
    async with run_simulator(tick_interval=None) as running:
        yield running


def connect(sim: RunningSimulator) -> tuple[list[str], dict[str, str]]:
    return ["--endpoint", sim.endpoint, "--plaintext"], {"MXGATEWAY_API_KEY": sim.api_key}


async def in_thread(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Wine commands block; the simulator must keep serving on this loop meanwhile."""
    return await asyncio.to_thread(function, *args, **kwargs)


@pytest.mark.asyncio
async def test_piped_script_prints_json_lines_and_closes(mxgw: Mxgw,
                                                         sim: RunningSimulator) -> None:
    args, env = connect(sim)
    script = 'await read("TestChildObject.TestIntArray[]")\r\nserver\r\n'
    done = await in_thread(mxgw.run, "repl", *args, env=env, stdin=script)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines[0]["value"] == [10, 20, 30, 40, 50] and lines[1] == 1
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
@pytest.mark.parametrize(("statement", "code"), [("exit(3)", 3), ("quit(4)", 4)])
async def test_exit_in_an_exec_script_without_site(mxgw: Mxgw, sim: RunningSimulator,
                                                   tmp_path: Path, statement: str,
                                                   code: int) -> None:
    script = tmp_path / "nightly check.py"
    script.write_text(f"1\n{statement}\n2\n", newline="\r\n")
    args, env = connect(sim)
    done = await in_thread(mxgw.run, "repl", *args, "--exec",
                           mxgw.wine.windows_path(script), env=env)
    assert (done.returncode, done.stdout.split()) == (code, ["1"]), done.stderr
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
@pytest.mark.parametrize("event", ["ctrl-break", "close", "ctrl-c"])
async def test_console_event_stops_a_script_and_closes_the_session(
        mxgw: Mxgw, sim: RunningSimulator, tmp_path: Path, event: str) -> None:
    script = tmp_path / "slow.py"
    script.write_text("'started'\nawait asyncio.sleep(3600)\n")
    args, env = connect(sim)
    running = Running(mxgw.wine, [mxgw.python, mxgw.pyz, "repl", *args, "--exec",
                                  mxgw.wine.windows_path(script)], env=env,
                      events=tmp_path / "events")
    try:
        await in_thread(running.wait_for, '"started"')
        assert sim.control.open_session_count == 1
        running.send(event)
        assert await in_thread(running.wait) == 130
    finally:
        running.kill()
    assert sim.control.open_session_count == 0


class Prompt:
    """The interactive REPL on a console: Wine's console host on a pseudo-terminal."""

    def __init__(self, mxgw: Mxgw, sim: RunningSimulator, events: Path) -> None:
        args, env = connect(sim)
        # Under wintool (console events) and NO_WMI (see winekit: jedi calls platform).
        argv = [mxgw.python, "C:\\wintool.py", "run", mxgw.wine.windows_path(events), "--",
                mxgw.python, "-c", winekit.NO_WMI, mxgw.pyz, "repl", *args, "--no-history"]
        self.events = events
        self.pty = PtySession(mxgw.wine.command(*argv), env=mxgw.wine.env(env))

    async def prompt(self, after: int = 0) -> int:
        await self.pty.expect(r">>>", winekit.BOUND, after=after)
        return len(self.pty.screen)

    def send(self, event: str) -> None:
        with open(self.events, "a", encoding="ascii") as f:
            f.write(event + "\n")


@pytest_asyncio.fixture
async def prompt(mxgw: Mxgw, sim: RunningSimulator, tmp_path: Path) -> AsyncIterator[Prompt]:
    session = Prompt(mxgw, sim, tmp_path / "events")
    try:
        yield session
    finally:
        session.pty.close()


@pytest.mark.asyncio
async def test_prompt_ctrl_c_cancels_a_call_then_ctrl_z_enter_quits(
        prompt: Prompt, sim: RunningSimulator) -> None:
    pty = prompt.pty
    mark = await prompt.prompt()
    pty.type('await read("TestChildObject.TestInt")\r')
    # The next prompt is looked for after the result, not after the screen's end: it may
    # have come in the same read as the result (under load, CI).
    result = await pty.expect(r"INTEGER\s+Good", after=mark)
    mark = await prompt.prompt(result.end())
    # The call is running once "sleeping" is printed; Ctrl-C then cancels it (ptpython's
    # own loop.add_signal_handler would raise NotImplementedError here: #582).
    pty.type('print("sleep" + "ing"); await asyncio.sleep(3600)\r')  # not echoed as is
    await pty.expect(r"sleeping", after=mark)
    prompt.send("ctrl-c")  # what the console host does for a Ctrl-C typed in its window
    cancelled = await pty.expect(r"cancelled", after=mark)
    mark = await prompt.prompt(cancelled.end())
    assert sim.control.open_session_count == 1
    # Wine's console host leaves the terminal's ISIG on, so a typed Ctrl-Z would be
    # SIGTSTP for Wine, not a key; turned off, Ctrl-Z reaches the console as a key.
    pty.disable_signals()
    pty.type("\x1a\r")
    assert await pty.wait_exit() == 0
    await pty.expect(r"session \S+ closed \(CLOSED\)", after=mark)
    assert sim.control.open_session_count == 0


@pytest.mark.asyncio
@pytest.mark.parametrize("event", ["ctrl-break", "close"])
async def test_prompt_ctrl_break_or_closing_the_console_closes_the_session(
        prompt: Prompt, sim: RunningSimulator, event: str) -> None:
    mark = await prompt.prompt()
    assert sim.control.open_session_count == 1
    prompt.send(event)
    assert await prompt.pty.wait_exit() == 130
    await prompt.pty.expect(r"session \S+ closed \(CLOSED\)", after=mark)
    assert sim.control.open_session_count == 0
