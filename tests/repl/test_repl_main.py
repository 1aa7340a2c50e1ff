"""with_session: whatever ends the REPL's body, the watches stop and the session closes."""

from __future__ import annotations

from typing import Any

import pytest

import mxgw
from mxgw.repl._main import Connected, ReplSettings, with_session
from mxgw.repl._watch import Watch
from mxgw.testing import run_simulator


@pytest.mark.asyncio
async def test_an_exception_in_the_body_still_closes_the_session() -> None:
    async with run_simulator(tick_interval=None) as sim:
        options = mxgw.ClientOptions(sim.endpoint, api_key=sim.api_key, plaintext=True)
        async with await mxgw.GatewayClient.connect(options) as client:
            notices: list[str] = []
            seen: dict[str, Any] = {}

            async def body(connected: Connected) -> int:
                seen["session"] = connected.session.session_id
                seen["open"] = sim.control.open_session_count
                seen["watch"] = connected.helpers.watch("TestChildObject.TestInt")
                raise RuntimeError("a bug in the prompt")

            with pytest.raises(RuntimeError, match="a bug in the prompt"):
                await with_session(client, ReplSettings(), body, on_change=lambda w, c: None,
                                   notice=notices.append, report_close=True)
            assert seen["open"] == 1
            assert sim.control.open_session_count == 0
            assert notices == [f"session {seen['session']} closed (CLOSED)"]
            watch: Watch = seen["watch"]
            assert not watch.running and "stopped" in repr(watch)


def test_every_option_of_mxgw_repl_is_in_the_readme() -> None:
    import argparse
    import re
    from pathlib import Path

    from mxgw.cli import cmd_repl

    parser = argparse.ArgumentParser(add_help=False)
    cmd_repl.add_arguments(parser)
    options = {flag for action in parser._actions for flag in action.option_strings}
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: repl -->", 1)[1].split("<!-- /section: repl -->")[0]
    documented = set(re.findall(r"(?m)^\| `(--[a-z-]+)", section))
    assert "--no-reconnect" in options
    assert options <= documented, options - documented
