"""`mxgw repl` end to end: a real process under a pseudo-terminal, a real simulator.

The first test is what an engineer does: `python -m mxgw repl --endpoint sim`, an
awaited read, Ctrl-D. The others run the simulator in this test process so they can
ask it, after the REPL is gone, whether the session was closed on every way out.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from mxgw.testing import RunningSimulator, run_simulator

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminal")

if sys.platform != "win32":
    from pty_session import BOUND, PtySession

PROMPT = r">>>"
SESSION = r"session (session-[0-9a-f]+) \(client name"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MXGATEWAY_")}
    env["MXGW_HOME"] = str(tmp_path)
    env.update(extra)
    return env


@pytest.mark.asyncio
async def test_endpoint_sim_awaited_read_then_ctrl_d(tmp_path: Path) -> None:
    # --debug: the in-process simulator logs each call, CloseSession included.
    term = PtySession.mxgw("repl", "--endpoint", "sim", "--debug", env=_env(tmp_path))
    try:
        await term.expect(PROMPT)
        term.type('await write("TestChildObject.TestInt", 4242)\r')
        mark = len(term.screen)
        term.type('await session.read("TestChildObject.TestInt")\r')
        value = await term.expect(r"TestChildObject\.TestInt\s+4242\s+INTEGER\s+Good",
                                  after=mark)
        await _ctrl_d(term, value.end())
        closed = await term.expect(r"session (session-[0-9a-f]+) closed \((\w+)\)")
        assert closed.group(2) == "CLOSED"
        assert await term.wait_exit() == 0
        opened = re.search(SESSION, term.screen)
        assert opened is not None and opened.group(1) == closed.group(1)
        # The simulator's own log: it received and completed CloseSession.
        assert re.search(rf"mxgw\.sim INFO CloseSession {opened.group(1)} -> OK", term.screen)
        history = (tmp_path / "repl_history").read_text()
        assert 'await session.read("TestChildObject.TestInt")' in history
    finally:
        term.close()


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[RunningSimulator]:
    async with run_simulator() as running:
        yield running


def _connect_args(sim: RunningSimulator) -> list[str]:
    return ["repl", "--endpoint", sim.endpoint, "--plaintext"]


async def _ctrl_d(term: Any, after: int) -> None:
    """Ctrl-D once the next prompt is drawn: before that the terminal may still be in
    cooked mode, where the line discipline, not the REPL, would take the key."""
    await term.expect(PROMPT, after=after)
    term.type("\x04")


async def _start(sim: RunningSimulator, tmp_path: Path, *extra: str) -> tuple[Any, str]:
    term = PtySession.mxgw(*_connect_args(sim), *extra,
                           env=_env(tmp_path, MXGATEWAY_API_KEY=sim.api_key))
    await term.expect(PROMPT)
    session_id = (await term.expect(SESSION)).group(1)
    assert session_id in {s.session_id for s in sim.control.sessions()}
    return term, session_id


def _assert_closed(sim: RunningSimulator, session_id: str) -> None:
    assert session_id not in {s.session_id for s in sim.control.sessions()}
    assert sim.control.open_session_count == 0


async def _quit_closes(term: Any, sim: RunningSimulator, session_id: str,
                       last: re.Match[str]) -> None:
    """Ctrl-D after the output `last`; the REPL exits 0 and the session is closed."""
    await _ctrl_d(term, last.end())
    assert await term.wait_exit() == 0
    _assert_closed(sim, session_id)


@pytest.mark.asyncio
@pytest.mark.parametrize("how", ["ctrl-d", "exit()", "sigterm", "terminal closed"])
async def test_every_way_out_closes_the_session(sim: RunningSimulator, tmp_path: Path,
                                                how: str) -> None:
    term, session_id = await _start(sim, tmp_path)
    try:
        if how == "ctrl-d":
            term.type("\x04")
        elif how == "exit()":
            term.type("exit()\r")
        elif how == "sigterm":
            term.proc.send_signal(signal.SIGTERM)
        else:
            term.hang_up()
        code = await term.wait_exit()
        if how == "terminal closed":
            # SIGHUP (130) or the prompt reading end-of-file first (0): both are fine,
            # what matters is that the session was closed.
            assert code in (0, 130)
        else:
            assert code == (130 if how == "sigterm" else 0)
        _assert_closed(sim, session_id)
    finally:
        term.close()


@pytest.mark.asyncio
async def test_ctrl_c_cancels_a_slow_call_and_the_prompt_survives(
        sim: RunningSimulator, tmp_path: Path) -> None:
    term, session_id = await _start(sim, tmp_path)
    try:
        sim.control.set_latency(3600)
        mark = len(term.screen)
        term.type('print("call" + "ing"); await read("Pump001.Speed")\r')
        # "calling" (not the typed text) shows the statement is running: the terminal
        # is back in cooked mode, so Ctrl-C is a real SIGINT now.
        await term.expect(r"calling", after=mark)
        mark = len(term.screen)
        term.type("\x03")
        await term.expect(r"cancelled", after=mark)
        sim.control.set_latency(0)
        mark = len(term.screen)
        term.type("6 * 7\r")
        await _quit_closes(term, sim, session_id, await term.expect(r"\b42\b", after=mark))
    finally:
        sim.control.set_latency(0)
        term.close()


@pytest.mark.asyncio
async def test_watch_prints_above_the_prompt_and_stops(sim: RunningSimulator,
                                                       tmp_path: Path) -> None:
    term, session_id = await _start(sim, tmp_path)
    try:
        term.type('w = watch("TestChildObject.TestInt")\r')
        await term.expect(r"\[watch 1\] TestChildObject\.TestInt\s+\d+\s+INTEGER")
        sim.control.set_value("TestChildObject.TestInt", 777)
        await term.expect(r"\[watch 1\] TestChildObject\.TestInt\s+777\s+INTEGER")
        term.type("watches()\r")
        await term.expect(r"<watch 1 running, \d+ changes: TestChildObject\.TestInt>")
        term.type("w.stop()\r")

        async def stopped() -> re.Match[str]:
            # Unsubscribing takes a round trip: the watch says `stopping` until it is
            # done. Asked again until then, however long that takes (bounded below).
            while True:
                mark = len(term.screen)
                term.type("w\r")
                state = await term.expect(r"<watch 1 (running|stopping|stopped)", after=mark)
                if state.group(1) == "stopped":
                    return state
                assert state.group(1) == "stopping"
                await asyncio.sleep(0.1)

        await _quit_closes(term, sim, session_id, await asyncio.wait_for(stopped(), BOUND))
    finally:
        term.close()


@pytest.mark.asyncio
async def test_unusable_history_folder_only_disables_history(sim: RunningSimulator,
                                                              tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    term = PtySession.mxgw(*_connect_args(sim), env=_env(
        tmp_path, MXGATEWAY_API_KEY=sim.api_key, MXGW_HOME=str(not_a_folder)))
    try:
        await term.expect(r"history disabled")
        banner = await term.expect(SESSION)
        await _quit_closes(term, sim, banner.group(1), banner)
    finally:
        term.close()


@pytest.mark.asyncio
async def test_accepted_lines_leave_no_toolbar_in_the_scrollback(sim: RunningSimulator,
                                                                 tmp_path: Path) -> None:
    term, session_id = await _start(sim, tmp_path)
    toolbar = re.compile(rf"\| {session_id} .*\| connection ")
    try:
        # The toolbar: `127.0.0.1:PORT | session-... | connection up | tags ready (96 tags)`.
        last = None
        for command, output in (('await read("TestChildObject.TestInt")', r"\d+\s+INTEGER"),
                                ("6 * 7", r"\n42\b"),
                                ('await read("Pump001.Speed", "Tank001.Level")',
                                 r"Tank001\.Level\s+[\d.]+\s+DOUBLE")):
            mark = len(term.screen)
            term.type(command + "\r")
            last = await term.expect(output, after=mark)
            await term.expect(r"\n>>>", after=last.end())
        assert last is not None
        lines = term.terminal_lines()
        prompts = [i for i, line in enumerate(lines) if line.startswith(">>>")]
        assert len(prompts) == 4, "\n".join(lines)
        assert re.search(r"(?m)^\d+  INTEGER  Good", "\n".join(lines)), "\n".join(lines)
        # The toolbar belongs to the prompt being edited: below the last `>>>`, never
        # above the output of an accepted line.
        above = [line for line in lines[:prompts[-1]] if toolbar.search(line)]
        assert above == [], "\n".join(lines)
        await _quit_closes(term, sim, session_id, last)
    finally:
        term.close()


class SimProcess:
    """`python -m mxgw.sim --no-auth` in a child process that can be stopped and started
    again on the same port, as a gateway service restart does; its --verbose log (one
    line per call) is kept."""

    def __init__(self) -> None:
        self.port = 0
        self.proc: asyncio.subprocess.Process | None = None
        self.log = ""
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.log = ""
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "mxgw.sim", "--no-auth", "--verbose", "--port",
            str(self.port), "--tick-interval", "0.2",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), BOUND)
        self.port = int(json.loads(line)["endpoint"].rsplit(":", 1)[1])
        self._reader = asyncio.get_running_loop().create_task(self._read(self.proc.stderr))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        while line := await stream.readline():
            self.log += line.decode("utf-8", "replace")

    async def stop(self) -> None:
        """SIGTERM and wait for the process (and its log) to end."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            await asyncio.wait_for(self.proc.wait(), BOUND)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, BOUND)

    def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()


@pytest_asyncio.fixture
async def sim_process() -> AsyncIterator[SimProcess]:
    sim = SimProcess()
    await sim.start()
    try:
        yield sim
    finally:
        sim.kill()
        await sim.stop()


@pytest.mark.asyncio
async def test_the_repl_survives_a_gateway_restart(sim_process: SimProcess,
                                                   tmp_path: Path) -> None:
    term = PtySession.mxgw("repl", "--endpoint", f"127.0.0.1:{sim_process.port}",
                           "--plaintext", env=_env(tmp_path))
    try:
        await term.expect(PROMPT)
        first = (await term.expect(SESSION)).group(1)
        term.type('w = watch("Pump001.Speed")\r')
        await term.expect(r"\[watch 1\] Pump001\.Speed\s+[\d.]+\s+DOUBLE")

        mark = len(term.screen)  # before stopping: the REPL may notice before it is over
        await sim_process.stop()
        await term.expect(r"lost[^\n]*; reconnecting", after=mark)
        await sim_process.start()  # the same port
        back = await term.expect(r"reconnected \(session (session-[0-9a-f]+)\)", after=mark)
        second = back.group(1)
        assert second != first
        # The watch goes on printing from the new session, without anyone asking.
        await term.expect(r"\[watch 1\] Pump001\.Speed\s+[\d.]+\s+DOUBLE", after=back.end())
        mark = len(term.screen)
        term.type('await read("TestChildObject.TestInt")\r')
        await term.expect(r"\d+\s+INTEGER\s+Good", after=mark)
        # Each notice is a line of its own above the prompt, not text inside the prompt.
        lines = term.logical_lines()
        notices = [line for line in lines if re.search(r"; reconnecting$|^reconnected", line)]
        assert len(notices) == 2, "\n".join(lines)
        assert re.match(r"(connection to \S+|session \S+) lost", notices[0]), "\n".join(lines)
        assert notices[1] == f"reconnected (session {second})", "\n".join(lines)
        # `session` is the new session, also through a variable that held the old one.
        mark = len(term.screen)
        term.type("print(session.session_id, w)\r")
        shown = await term.expect(r"(session-[0-9a-f]+) <watch 1 running", after=mark)
        assert shown.group(1) == second
        await _ctrl_d(term, shown.end())
        await term.expect(rf"session {second} closed \(CLOSED\)")
        assert await term.wait_exit() == 0
        await sim_process.stop()
        # The restarted gateway (its log starts at its start) saw the new session opened,
        # subscribed and closed.
        for call in (r"OpenSession\b.* -> OK", rf"Invoke {second} SUBSCRIBE_BULK -> OK",
                     rf"CloseSession {second} -> OK"):
            assert re.search(call, sim_process.log), sim_process.log
    finally:
        term.close()


@pytest.mark.asyncio
async def test_no_reconnect_says_the_session_is_lost_and_leaves_it(sim: RunningSimulator,
                                                                   tmp_path: Path) -> None:
    term, session_id = await _start(sim, tmp_path, "--no-reconnect")
    try:
        # The gateway forgets the session, as after a restart.
        term.type("await client.close_session(session.session_id)\r")
        await term.expect(r"'CLOSED'")
        mark = len(term.screen)
        term.type('await read("TestChildObject.TestInt")\r')
        await term.expect(r"MxGatewaySessionError: register: NOT_FOUND", after=mark)
        lost = await term.expect(rf"session {session_id} lost \(register: NOT_FOUND[^\n]*\); "
                                 r"not reconnecting \(--no-reconnect\)", after=mark)
        await term.expect(r"\| connection lost \(--no-reconnect\)", after=lost.end())
        mark = len(term.screen)
        term.type("session.session_id\r")
        shown = await term.expect(r"'(session-[0-9a-f]+)'", after=mark)
        assert shown.group(1) == session_id  # no new session
        await _ctrl_d(term, shown.end())
        assert await term.wait_exit() == 0
        _assert_closed(sim, session_id)
    finally:
        term.close()


@pytest.mark.asyncio
async def test_first_contact_is_told_before_the_prompt(tmp_path: Path) -> None:
    # The notice is held back until a command goes on; the prompt starting is that
    # moment (before: it came only after Ctrl-D, below everything the user did).
    async with run_simulator(tls=True, tick_interval=None) as tls_sim:
        term = PtySession.mxgw("repl", "--endpoint", tls_sim.endpoint, "--tls",
                               env=_env(tmp_path, MXGATEWAY_API_KEY=tls_sim.api_key))
        try:
            prompt = await term.expect(PROMPT)
            notice = re.search(r'"notice": ?"trusting new gateway certificate"', term.screen)
            assert notice is not None and notice.start() < prompt.start(), term.screen
            await _ctrl_d(term, prompt.start())
            assert await term.wait_exit() == 0
            assert len(re.findall("trusting new gateway certificate", term.screen)) == 1
        finally:
            term.close()
        assert tls_sim.control.open_session_count == 0


@pytest.mark.asyncio
async def test_the_bare_secret_of_the_key_in_use_is_never_displayed(sim: RunningSimulator,
                                                                    tmp_path: Path) -> None:
    # Results and tracebacks at the prompt redact it, as the history and error lines do.
    bare = sim.api_key.split("_", 2)[2]
    term, session_id = await _start(sim, tmp_path, "--no-history")
    try:
        bare_name = "b" + "a" + "re"
        term.type(f"{bare_name} = ''.join(reversed({bare[::-1]!r}))\r")
        await term.expect(PROMPT, after=len(term.screen))
        mark = len(term.screen)
        term.type(f"{bare_name}\r")
        await term.expect(r"'<redacted>'", after=mark)
        mark = len(term.screen)
        term.type(f"raise ValueError({bare_name})\r")
        last = await term.expect(r"ValueError: <redacted>", after=mark)
        assert bare not in term.screen
        await _quit_closes(term, sim, session_id, last)
    finally:
        term.close()


@pytest.mark.asyncio
@pytest.mark.parametrize(("line", "code"), [("exit(3)", 3), ("quit(4)", 4), ("exit(0)", 0)])
async def test_exit_with_a_code_at_the_prompt_closes_and_exits_with_it(
        sim: RunningSimulator, tmp_path: Path, line: str, code: int) -> None:
    # As at Python's own prompt; ptpython's `exit` took no argument (a TypeError traceback).
    term, session_id = await _start(sim, tmp_path, "--no-history")
    try:
        term.type(line + "\r")
        assert await term.wait_exit() == code
        assert "Traceback" not in term.screen
        _assert_closed(sim, session_id)
    finally:
        term.close()
