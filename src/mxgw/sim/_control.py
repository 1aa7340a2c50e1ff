"""The control handle: drive the simulator from a test or a demo script.

Every method is synchronous and must be called on the simulator's event loop (the test's
loop when the simulator runs in-process), so a change is visible to the next RPC.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import grpc

from ._auth import ALL_SCOPES
from ._sessions import SessionInfo
from ._values import to_json

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._server import Simulator


class SimControl:
    """Knobs for values, deploys, time and fault injection.

        sim.control.tick()                                  # values move one step
        sim.control.set_value("Tank001.Level", 97.0)        # raises Level.Hi and Level.HiHi
        sim.control.fail_next(1, grpc.StatusCode.UNAVAILABLE, method="Invoke")
    """

    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator

    def __repr__(self) -> str:
        return f"<SimControl {self._sim.endpoint}>"

    # -- values
    def tick(self, n: int = 1) -> None:
        """Advance the galaxy `n` ticks (each tick is one batch of changes)."""
        self._sim.galaxy.tick(n)

    def set_value(self, tag: str, value: Any, quality: int = 192) -> None:
        """Set `Object.Attribute` to a Python value (list for arrays) and quality."""
        self._sim.galaxy.set_tag(tag, value, quality)

    def get_value(self, tag: str) -> Any:
        """The attribute's current value in JSON types (times as ISO strings)."""
        attr = self._sim.galaxy.attribute(tag)
        if attr is None:
            raise KeyError(f"no attribute {tag!r}")
        attr.refresh()
        return to_json(attr.value)

    def deploy(self) -> None:
        """A galaxy deploy: new deploy time and cache sequence, one DeployEvent each."""
        self._sim.deploys.deploy()

    def advance_time(self, seconds: float) -> None:
        """Move the simulator's clock (leases expire, replay ring entries age)."""
        self._sim.advance_time(seconds)

    # -- keys and sessions
    def make_key(self, scopes: Iterable[str] = ALL_SCOPES) -> str:
        """A new API key with exactly these scopes (e.g. {"session:open"})."""
        return self._sim.keys.make_key(scopes)

    def sessions(self) -> list[SessionInfo]:
        return self._sim.sessions.info()

    @property
    def open_session_count(self) -> int:
        return len(self._sim.sessions.sessions)

    @property
    def cancelled_streams(self) -> int:
        """Streams the client cancelled (not those the server ended)."""
        return self._sim.faults.cancelled_streams

    # -- faults
    def set_latency(self, seconds: float) -> None:
        """Delay every following call by `seconds` (0 turns it off)."""
        if seconds < 0:
            raise ValueError("latency must be >= 0")
        self._sim.faults.latency = seconds

    def fail_next(self, n: int, code: grpc.StatusCode, message: str = "",
                  method: str | None = None) -> None:
        """The next `n` calls (of `method`, e.g. "Invoke", if given) fail with `code`."""
        self._sim.faults.fail_next(n, code, message, method)

    def fault_session(self, session_id: str, reason: str = "worker process exited") -> None:
        """The session's worker fails: FAULTED, its stream ends with UNAVAILABLE."""
        session = self._sim.sessions.sessions.get(session_id)
        if session is None:
            raise KeyError(f"no open session {session_id!r}")
        session.fault(reason, grpc.StatusCode.UNAVAILABLE)

    def drop_event_streams(self, session_id: str | None = None) -> int:
        """End attached event streams with UNAVAILABLE (sessions stay READY)."""
        return self._sim.sessions.drop_streams(session_id)

    def set_galaxy_connection(self, ok: bool, message: str = "") -> None:
        """What the Galaxy Repository's TestConnection answers: `ok` and `message` (by
        default the healthy message when ok). The other Galaxy calls still answer."""
        from ._servicer_galaxy import HEALTHY

        self._sim.galaxy_service.connection = (ok, message or (HEALTHY if ok else ""))

    def set_alarm_provider(self, degraded: bool, reason: str = "") -> None:
        """The alarm provider's health: StreamAlarms sends its provider_status (`degraded`,
        `reason`, `since` = now) to every feed at once, and to each new feed after the
        snapshot. `degraded=False` makes it healthy again."""
        self._sim.alarms.set_provider(degraded, reason)

    def stop_accepting(self) -> None:
        """Refuse every new call with UNAVAILABLE until resume_accepting()."""
        self._sim.faults.accepting = False

    def resume_accepting(self) -> None:
        self._sim.faults.accepting = True
