"""The doctor's gateway steps: auth, session, read, galaxy, alarms, contract.

Scopes are found without side effects (checked against the simulator's scope table,
mxgw/sim/_auth.py and _commands.py, which follow the contract): a call the key may make is
answered past the scope check (a result, NOT_FOUND, an MXAccess failure), one it may not
gets PERMISSION_DENIED. The probes:

    session:close   CloseSession of an id no session can have ("mxgw-doctor-probe")
    metadata:read   GetLastDeployTime (reads)
    events:read     QueryActiveAlarms with a prefix no alarm has (reads, ends at once)
    session:open    OpenSession: the doctor's own session, lease 60 s, closed at once
    invoke:read     Advise, invoke:write Write, invoke:secure WriteSecured: in that new
                    session, before anything is registered in it, to server and item
                    handle 0; handles start at 1 and belong to their session, so no
                    handle exists that a write could reach, and no value can change.
                    AuthenticateUser is not probed: a failed login can lock an account.

The session step reports that session (open, lease, clock, close); the read step opens
one more for its read, as `mxgw get` does. Both have a 60 s lease, so even a doctor
killed half-way leaves nothing behind for long.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .. import _errors
from .._channel import auth_metadata
from .._timefmt import iso_utc
from ._doctor import Doctor, Failed, NotApplicable
from ._doctor_net import Target

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from .._client import GatewayClient
    from .._session import Session

SCOPES = ("session:open", "session:close", "invoke:read", "invoke:write", "invoke:secure",
          "events:read", "metadata:read")
PROBE_SESSION_ID = "mxgw-doctor-probe"  # not `session-<32 hex>`: no session has it
PROBE_PREFIX = "mxgw-doctor-probe!"  # an alarm prefix that no alarm reference has
LEASE = 60.0  # seconds: what the doctor asks for its sessions
DEFAULT_LEASE = 1800.0  # what a gateway that ignores the requested lease grants
CLOCK_TOLERANCE = 2.0  # seconds of skew not worth a word
_KEY_HINT = ("check the key: MXGATEWAY_API_KEY, --api-key-env NAME or the profile's "
             "api_key_env; keys look like mxgw_<keyId>_<secret> and belong to one gateway")


@dataclass
class SessionProbe:
    """The session the scope probes ran in, for the session step."""

    session_id: str = ""
    open_ms: float = 0.0
    close_ms: float = 0.0
    sent: datetime | None = None
    received: datetime | None = None
    lease_expires_at: datetime | None = None
    final: str | None = None
    close_error: _errors.MxGatewayError | None = None
    outcome: Exception | None = None  # NotApplicable or Failed when no session opened


@dataclass
class Gateway:
    """The gateway steps' shared state: one client, the scopes found, the probe session."""

    target: Target
    tag: str | None
    scopes: dict[str, bool | None] = field(default_factory=lambda: dict.fromkeys(SCOPES))
    unprobed: dict[str, str] = field(default_factory=dict)
    probe: SessionProbe = field(default_factory=SessionProbe)
    _client: GatewayClient | None = None

    async def client(self) -> GatewayClient:
        if self._client is None:
            from .._client import GatewayClient

            self._client = await GatewayClient.connect(self.target.connect_options())
        return self._client

    async def aclose(self) -> None:
        """Close the channel, and any session a failure left open (streams are cancelled)."""
        if self._client is not None:
            await self._client.close(close_sessions=True)

    @property
    def doctor(self) -> Doctor:
        return self.target.doctor

    def lacks(self, scope: str) -> bool:
        return self.scopes[scope] is False

    async def find_scope(self, scope: str, call: Awaitable[Any]) -> None:
        """Find `scope` with `call`. The key probe came first, so the channel works: an
        UNAVAILABLE now is a backend of the gateway (its step will say), not the key."""
        try:
            self.scopes[scope] = await _granted(call)
        except _errors.MxGatewayTransportError as exc:
            if exc.grpc_code != "UNAVAILABLE":
                raise
            self.unprobed[scope] = "the gateway answered UNAVAILABLE"


async def _granted(call: Awaitable[Any]) -> bool:
    """Did the call get past the scope check? Authentication and transport errors raise."""
    try:
        await call
    except _errors.MxGatewayAuthorizationError:
        return False
    except (_errors.MxGatewayAuthenticationError, _errors.MxGatewayTransportError,
            _errors.MxGatewayReadOnlyError):
        raise
    except _errors.MxGatewayError:
        return True  # refused after the scope check: the call itself was not possible
    return True


async def _drain(stream: Any) -> None:
    try:
        async for _ in stream:
            break
    finally:
        await stream.aclose()


# ------------------------------------------------------------------ auth (and session)


async def auth(g: Gateway) -> str:
    client = await g.client()
    try:
        g.scopes["session:close"] = await _granted(
            client.close_session(PROBE_SESSION_ID, "mxgw doctor: scope probe"))
    except _errors.MxGatewayAuthenticationError as exc:
        hint = _KEY_HINT if g.target.options.api_key else (
            "no API key was given: set MXGATEWAY_API_KEY (or --api-key-env NAME, or "
            "api_key_env in the profile)")
        # The gateway's own words, without the probe's operation in front of them.
        said = exc.message.partition(f"{exc.grpc_code}: ")[2] or exc.message
        raise Failed(_errors.MxGatewayAuthenticationError(
            f"the gateway refused the API key: {exc.grpc_code}: {said}",
            grpc_code=exc.grpc_code), hint) from exc
    await g.find_scope("metadata:read", client.galaxy.last_deploy_time())
    await g.find_scope("events:read", _drain(client.query_active_alarms(PROBE_PREFIX)))
    await _probe_session(g, client)
    granted = [s for s in SCOPES if g.scopes[s]]
    missing = [s for s in SCOPES if g.scopes[s] is False]
    text = "key accepted" if g.target.options.api_key else "no API key, and none asked for"
    text += f"; scopes: {', '.join(granted) or 'none'}"
    if missing:
        text += f"; missing: {', '.join(missing)}"
        g.doctor.hint("auth", f"calls that need {', '.join(missing)} get PERMISSION_DENIED "
                              "(exit 4); ask the gateway's administrator for a key with them "
                              "if you need them")
    for reason in sorted(set(g.unprobed.values())):
        scopes = [s for s, r in g.unprobed.items() if r == reason]
        text += f"; not probed: {', '.join(scopes)} ({reason})"
    return text


async def _probe_session(g: Gateway, client: GatewayClient) -> None:
    p = g.probe
    p.sent = datetime.now(UTC)
    started = time.perf_counter()
    try:
        session = await client.open_session(name="mxgw doctor", lease=LEASE)
    except _errors.MxGatewayAuthorizationError:
        g.scopes["session:open"] = False
        p.outcome = NotApplicable("the key lacks session:open")
        _unprobed(g, "they need a session")
        return
    except (_errors.MxGatewayAuthenticationError, _errors.MxGatewayTransportError):
        raise
    except _errors.MxGatewayError as exc:
        g.scopes["session:open"] = True
        p.outcome = Failed(exc, "the gateway refused a session: too many open (64), or its "
                                "worker could not start; see the gateway's log")
        _unprobed(g, "no session could be opened")
        return
    p.open_ms = round((time.perf_counter() - started) * 1000, 1)
    p.received = datetime.now(UTC)
    p.session_id, p.lease_expires_at = session.session_id, session.lease_expires_at
    g.scopes["session:open"] = True
    try:
        # Nothing is registered in this session: handle 0 names no item (see the module).
        await g.find_scope("invoke:read", session.advise(0, 0))
        try:
            await g.find_scope("invoke:write", session.write(0, 0, 0))
            await g.find_scope("invoke:secure", session.write_secured(0, 0, 0, current_user_id=0))
        except _errors.MxGatewayReadOnlyError:
            g.unprobed.update(dict.fromkeys(("invoke:write", "invoke:secure"),
                                            "the profile is read-only: no write is sent"))
    finally:
        started = time.perf_counter()
        try:
            p.final = await session.close("mxgw doctor: scope probe done")
        except _errors.MxGatewayError as exc:
            p.close_error = exc
        p.close_ms = round((time.perf_counter() - started) * 1000, 1)


def _unprobed(g: Gateway, reason: str) -> None:
    g.unprobed.update(dict.fromkeys(("invoke:read", "invoke:write", "invoke:secure"), reason))


async def session(g: Gateway) -> str:
    p = g.probe
    if p.outcome is not None:
        raise p.outcome
    g.doctor.took("session", p.open_ms + p.close_ms)
    text = f"opened {p.session_id} ({p.open_ms:g} ms) for the scope probes"
    if p.close_error is not None:
        if not isinstance(p.close_error, _errors.MxGatewayAuthorizationError):
            raise Failed(p.close_error)
        g.doctor.hint("session", "a key without session:close leaves every session open "
                                 "until its lease runs out")
        text += (f"; not closed: the key lacks session:close (its {LEASE:g} s lease ends "
                 "it)")
    elif p.final != "CLOSED":
        raise Failed(_errors.MxGatewaySessionError(
            f"closing {p.session_id} left it {p.final}, not CLOSED"))
    else:
        text += f"; closed ({p.final}, {p.close_ms:g} ms)"
    clock, hint = _lease_clock(p)
    if hint:
        g.doctor.hint("session", hint)
    return f"{text}; {clock}"


def _lease_clock(p: SessionProbe) -> tuple[str, str | None]:
    """Compare the lease end the gateway sent with the lease asked for: clock skew."""
    if p.lease_expires_at is None or p.sent is None or p.received is None:
        return "the gateway sent no lease_expires_at (clocks not compared)", None
    skews = {}
    for lease in (LEASE, DEFAULT_LEASE):
        # The gateway computed its lease end between sending and receiving: a window.
        early = (p.lease_expires_at - p.sent).total_seconds() - lease
        late = (p.lease_expires_at - p.received).total_seconds() - lease
        skews[lease] = late if late > 0 else early if early < 0 else 0.0
        if abs(skews[lease]) <= CLOCK_TOLERANCE:
            granted = "as asked" if lease == LEASE else (
                f"its default {DEFAULT_LEASE:g} s, not the {LEASE:g} s asked for")
            return (f"lease granted {granted}, to {iso_utc(p.lease_expires_at)}: the clocks "
                    f"agree within {CLOCK_TOLERANCE:g} s"), None
    skew = skews[LEASE]
    return (f"lease_expires_at {iso_utc(p.lease_expires_at)} is {_duration(skew)} "
            f"{'later' if skew > 0 else 'earlier'} than {LEASE:g} s from now: the gateway's "
            f"clock is that much {'ahead of' if skew > 0 else 'behind'} this machine's (or "
            "it granted another lease than the one asked for)"), (
            "clock skew makes timestamps misleading; synchronise both clocks (on Windows: "
            "w32tm /resync)")


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 120:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.0f} min" if seconds < 7200 else f"{seconds / 3600:.1f} h"


# ------------------------------------------------------------------ read


async def read(g: Gateway) -> str:
    if g.tag is None:
        raise NotApplicable("no tag to read", "pass --tag OBJECT.ATTRIBUTE, a tag you know "
                                              "(e.g. --tag Pump001.Speed), to check a read")
    for scope in ("session:open", "invoke:read"):
        if g.lacks(scope):
            raise NotApplicable(f"the key lacks {scope}")
    client = await g.client()
    session = await client.open_session(name="mxgw doctor (read)", lease=LEASE)
    try:
        values = await session.read(g.tag)
    finally:
        await _close(g, session)
    value = values.get(g.tag) or next(iter(values.values()))
    if not value.ok:
        raise Failed(_errors.MxAccessError(
            f"{g.tag}: {value.error or value.quality_text}", statuses=value.statuses),
            "check the tag (OBJECT.ATTRIBUTE as `mxgw browse` shows it), and that its "
            "object is deployed and on scan")
    from .._json import dumps

    text = (f"{g.tag} = {dumps(value.value)} ({value.data_type}, "
            f"{value.quality_text}, {iso_utc(value.timestamp) if value.timestamp else 'no time'})")
    if value.timestamp is not None:
        ahead = (value.timestamp - datetime.now(UTC)).total_seconds()
        if ahead > CLOCK_TOLERANCE:
            text += (f"; its source time is {_duration(ahead)} ahead of this machine's clock "
                     "(the gateway's or the data source's clock is ahead)")
    return text


async def _close(g: Gateway, session: Session) -> None:
    try:
        await session.close("mxgw doctor done")
    except _errors.MxGatewayAuthorizationError:
        if not g.lacks("session:close"):
            raise  # otherwise the session step has said so already; the lease ends it


# ------------------------------------------------------------------ galaxy, alarms


async def galaxy(g: Gateway) -> str:
    if g.lacks("metadata:read"):
        raise NotApplicable("the key lacks metadata:read")
    from .cmd_galaxy import connection_failure

    connection = await (await g.client()).galaxy.test_connection()
    failure = connection_failure(connection)
    if failure is not None:
        raise Failed(failure, "check the Galaxy Repository's SQL Server and the gateway's "
                              "access to it; browsing and tag completion need it, reads and "
                              "writes do not")
    return f"TestConnection ok: {connection.message or 'no message'}"


async def alarms(g: Gateway) -> str:
    if g.lacks("events:read"):
        raise NotApplicable("the key lacks events:read")
    from .._rpc._alarms import provider_status

    feed = (await g.client()).stream_alarms(PROBE_PREFIX)
    status = None
    try:
        async for message in feed:  # the prefix matches nothing: no snapshot to read
            status = provider_status(message)
            if status is not None:
                break
    finally:
        await feed.aclose()
    if status is None:
        raise Failed(_errors.MxGatewayCommandError(
            "the alarm feed ended without an alarm provider status"))
    since = iso_utc(status.since) if status.since else "an unknown time"
    if status.degraded:
        raise Failed(_errors.MxGatewayCommandError(
            f"the alarm provider ({status.mode}) is degraded since {since}: "
            f"{status.reason or 'no reason given'}"),
            "alarms and acknowledgements may be missing or late until it recovers; see "
            "the gateway's log on its host")
    return f"alarm provider {status.mode}, healthy since {since}"


# ------------------------------------------------------------------ contract


async def contract(g: Gateway) -> str:
    from .. import _reflection
    from .._rpc._contract import services as ours

    client = await g.client()
    try:
        found = await _reflection.list_services(
            client.channel, auth_metadata(g.target.options.api_key), g.target.timeout)
    except _errors.MxGatewayAuthorizationError as exc:
        raise NotApplicable(f"the gateway's reflection refused this key: {exc}") from exc
    if found is None:
        raise NotApplicable("the gateway offers no reflection")
    service, services = found
    absent = [name for name in ours() if name not in services]
    offered = f"{service}, without {', '.join(absent)}" if absent else service
    return await compare_contract(g, offered)


async def compare_contract(g: Gateway, service: str) -> str:
    """Does the gateway's contract agree with the one in use? The check every command
    makes before its first call (`client.verify_contract()`), reported as a step."""
    client = await g.client()
    where = client.contract.describe()
    in_use = where["source"] + (f" {where['path']}" if "path" in where else "")
    try:
        verification = await client.verify_contract()
    except _errors.MxGatewayContractError as exc:
        raise Failed(exc, "speak the gateway's contract: `mxgw contract fetch` stores it "
                          "for this endpoint (or --contract FILE); `mxgw contract diff` "
                          "lists every difference") from exc
    if not verification.verified:
        raise NotApplicable(f"reflection offered ({service}), but it describes none of "
                            "the services the tool uses")
    detail = (f"reflection offered ({service}); the contract in use ({in_use}) agrees with "
              "the gateway's on every message, field and enum value the tool uses")
    if verification.undescribed:
        detail += f" (not described: {', '.join(verification.undescribed)})"
    return detail
