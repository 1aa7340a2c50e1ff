"""The preloaded helpers, tag completion and toolbar against the in-process simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

import mxgw
from mxgw import _errors
from mxgw.repl._completion import TagCache, TagCompleter, galaxy_tag_names
from mxgw.repl._namespace import HELPER_NAMES, PRELOADED, Helpers, Listing, build_namespace
from mxgw.repl._reconnect import SessionLink
from mxgw.repl._toolbar import ReplInfo, toolbar_fragments
from mxgw.repl._watch import Watches
from mxgw.testing import RunningSimulator, run_simulator

BOUND = 20.0  # seconds: an upper bound on every wait, never an assertion


class Env:
    def __init__(self, sim: RunningSimulator, client: Any, session: Any) -> None:
        self.sim, self.client, self.session = sim, client, session
        self.changes: list[Any] = []
        self.notices: list[str] = []
        self.link = SessionLink(client, "repl-test", session, 1, notice=self.notices.append,
                                enabled=False)
        self.watches = Watches(self.link, lambda w, c: self.changes.append((w.id, c)),
                               self.notices.append)
        self.helpers = Helpers(client, self.link.proxy, self.watches)


async def _env(read_only: bool) -> AsyncIterator[Env]:
    async with run_simulator(tick_interval=None) as sim:
        options = mxgw.ClientOptions(sim.endpoint, api_key=sim.api_key, plaintext=True,
                                     read_only=read_only)
        async with (await mxgw.GatewayClient.connect(options) as client,
                    await client.open_session(name="repl-test") as session):
            env = Env(sim, client, session)
            try:
                yield env
            finally:
                await env.watches.stop_all()


@pytest_asyncio.fixture
async def env() -> AsyncIterator[Env]:
    async for value in _env(read_only=False):
        yield value


@pytest_asyncio.fixture
async def ro_env() -> AsyncIterator[Env]:
    async for value in _env(read_only=True):
        yield value


@pytest.mark.asyncio
async def test_read_one_tag_gives_a_tag_value_several_give_a_dict(env: Env) -> None:
    env.sim.control.set_value("TestChildObject.TestInt", 12)
    one = await env.helpers.read("TestChildObject.TestInt")
    assert isinstance(one, mxgw.TagValue) and one.value == 12
    several = await env.helpers.read("TestChildObject.TestInt", "Pump001.Model")
    assert list(several) == ["TestChildObject.TestInt", "Pump001.Model"]
    assert several["Pump001.Model"].value == "PX-200"


@pytest.mark.asyncio
async def test_write_then_read_back(env: Env) -> None:
    await env.helpers.write("Tank001.HiHiLimit", 90.0)
    assert env.sim.control.get_value("Tank001.HiHiLimit") == 90.0


@pytest.mark.asyncio
async def test_read_only_guard_refuses_write_and_ack_before_sending(ro_env: Env) -> None:
    with pytest.raises(_errors.MxGatewayReadOnlyError, match="read-only") as write:
        await ro_env.helpers.write("Tank001.HiHiLimit", 90.0)
    with pytest.raises(_errors.MxGatewayReadOnlyError) as ack:
        await ro_env.helpers.ack("Galaxy!Area_Tanks.Tank001.Level.HiHi")
    # The library's refusals: the helpers have no guard of their own.
    assert str(write.value) == str(_errors.read_only_refusal("write"))
    assert str(ack.value) == str(_errors.read_only_refusal("acknowledge alarm"))
    assert ro_env.sim.control.get_value("Tank001.HiHiLimit") == 95.0
    assert (await ro_env.helpers.read("Tank001.HiHiLimit")).value == 95.0


@pytest.mark.asyncio
async def test_watch_delivers_changes_lists_and_stops(env: Env) -> None:
    watch = env.helpers.watch("TestChildObject.TestInt")
    assert env.helpers.watches() == [watch] and watch.running

    async def changes(n: int) -> None:
        while len(env.changes) < n:
            await asyncio.sleep(0.02)

    await asyncio.wait_for(changes(1), BOUND)  # the current value comes first
    env.sim.control.set_value("TestChildObject.TestInt", 99)
    await asyncio.wait_for(changes(2), BOUND)
    watch_id, change = env.changes[-1]
    assert watch_id == watch.id and change.tag == "TestChildObject.TestInt"
    assert change.value.value == 99
    env.helpers.unwatch(watch.id)
    await asyncio.wait_for(asyncio.wait([watch.task]), BOUND)
    assert not watch.running and "stopped" in repr(watch)
    assert env.notices == []


@pytest.mark.asyncio
async def test_browse_lists_children_and_attributes(env: Env) -> None:
    top = await env.helpers.browse()
    assert isinstance(top, Listing)
    assert {"Area_Pumps", "Area_Tanks", "Area_Test"} <= {row.name for row in top}
    pump = await env.helpers.browse("Pump001")
    speed = next(row for row in pump if row.name == "Pump001.Speed")
    assert speed.kind == "attribute"
    assert "Pump001.Speed" in repr(pump) and "\n" in repr(pump)


@pytest.mark.asyncio
async def test_browse_shows_at_the_prompt_as_the_readme_says(env: Env) -> None:
    # `Pump001  object  $Pump` one per line (`+`: has children), not Row{...} records.
    from mxgw.repl._display import format_result

    pumps = format_result(await env.helpers.browse("Area_Pumps")).splitlines()
    assert pumps[0] == "Pump001  object  $Pump"
    top = format_result(await env.helpers.browse())
    assert top.splitlines()[0].split() == ["Area_Pumps", "area", "$Area", "+"]
    assert "Row{" not in top


@pytest.mark.asyncio
async def test_alarms_snapshot_by_prefix(env: Env) -> None:
    env.sim.control.set_value("Tank001.Level", 99.0)
    found = await env.helpers.alarms("Galaxy!Area_Tanks.Tank001")
    assert found, "the HiHi alarm of Tank001 should be active"
    assert all("Tank001" in str(alarm) for alarm in found)


@pytest.mark.asyncio
async def test_namespace_has_everything_the_banner_promises(env: Env) -> None:
    namespace = build_namespace(env.client, env.session, 1, env.helpers)
    for name in ("client", "session", "server", "galaxy", "mxgw", "asyncio", "gateway_pb2",
                 "galaxy_pb2", "read", "write", "watch", "watches", "unwatch", "browse",
                 "alarms", "ack", "mxhelp"):
        assert name in namespace
    # The banner's lists name exactly what is there, nothing more, nothing less; exit and
    # quit stand in for the builtins `site` adds (absent without it: embeddable Python).
    names = {n for n in namespace if not n.startswith("__")}
    assert names == {*PRELOADED, *HELPER_NAMES, "exit", "quit"}
    assert namespace["galaxy"] is env.client.galaxy
    assert "await read(" in repr(namespace["mxhelp"])


@pytest.mark.asyncio
async def test_tag_cache_loads_in_background_and_completes_in_strings(env: Env) -> None:
    cache = TagCache()
    completer = TagCompleter(cache)
    event = CompleteEvent(text_inserted=True)
    assert list(completer.get_completions(Document('read("Pump00'), event)) == []
    cache.start(lambda: galaxy_tag_names(env.client.galaxy))
    await asyncio.wait_for(asyncio.wait([cache.task]), BOUND)
    assert cache.state.startswith("ready")
    found = [c.text for c in completer.get_completions(Document('await read("pump001.sp'),
                                                       event)]
    assert found == ["Pump001.Speed"]
    # Outside a string literal, tags are not offered (Python completion is).
    assert list(completer.get_completions(Document("pump001.sp"), event)) == []


def test_toolbar_shows_endpoint_session_profile_read_only_and_connection() -> None:
    info = ReplInfo(endpoint="gw01:5120", transport="TLS", session_id="session-1",
                    client_name="mxgw-repl", server=1, profile="plant", read_only=True,
                    connection=lambda: "down", tags=lambda: "loading")
    text = "".join(fragment[1] for fragment in toolbar_fragments(info))
    for expected in ("gw01:5120", "session-1", "profile plant", "read-only",
                     "connection down", "tags loading"):
        assert expected in text


@pytest.mark.asyncio
async def test_connection_probe_reads_the_channel_state(env: Env) -> None:
    from mxgw.repl._info import channel_probe

    await env.helpers.read("TestChildObject.TestInt")
    assert channel_probe(env.client)() == "up"


@pytest.mark.asyncio
async def test_banner_says_how_the_tls_certificate_was_trusted() -> None:
    from mxgw.repl._info import ConnectionMonitor, repl_info
    from mxgw.repl._main import Connected, ReplSettings
    from mxgw.repl._toolbar import banner

    texts = []
    async with run_simulator(tls=True, tick_interval=None) as sim:
        options = mxgw.ClientOptions(sim.endpoint, api_key=sim.api_key)
        for _ in range(2):  # first contact, then a known gateway
            async with (await mxgw.GatewayClient.connect(options) as client,
                        await client.open_session(name="repl-test") as session):
                link = SessionLink(client, "repl-test", session, 1, notice=print)
                watches = Watches(link, lambda w, c: None, lambda text: None)
                helpers = Helpers(client, link.proxy, watches)
                connected = Connected(client, link.proxy, link, helpers, watches, {})
                info = repl_info(connected, ReplSettings(), ConnectionMonitor(lambda: "up"),
                                 TagCache())
                texts.append(banner(info))
                assert session.session_id in texts[-1] and sim.endpoint in texts[-1]
    first, second = texts
    # the simulator serves reflection: the contract was verified by the session's opening
    assert "\ncontract built-in, verified against the gateway by reflection\n" in first
    assert (f"over TLS (trust-on-first-use: new, now pinned SHA-256 {sim.certificate_sha256})"
            in first)
    assert "over TLS (trust-on-first-use: pinned, known since " in second
    assert str(sim.certificate_sha256) in second


def test_the_banner_line_of_each_contract_source() -> None:
    from mxgw.repl._toolbar import contract_line

    assert contract_line({"source": "file", "path": "gw.protoset", "sha256": "ab" * 32,
                          "verified": False, "how": "not offered"}) == (
        "contract file gw.protoset (sha256 abababababab...), unverified (reflection not "
        "offered)")
    assert contract_line({"source": "fetched", "endpoint": "gw:5120",
                          "fetched": "2026-12-01T10:00:00Z", "verified": True,
                          "how": "reflection"}) == (
        "contract fetched from gw:5120 at 2026-12-01T10:00:00Z, verified against the "
        "gateway by reflection")


@pytest.mark.parametrize("code, status", [(None, 0), (0, 0), (3, 3), (False, 0), (True, 1),
                                          ("bye", 1)])
def test_exit_codes_at_the_prompt_and_in_scripts_are_pythons(code: object, status: int) -> None:
    # One rule for both: the prompt's copy made exit(False) status 1.
    from mxgw.repl._main import exit_status

    assert exit_status(code) == status
