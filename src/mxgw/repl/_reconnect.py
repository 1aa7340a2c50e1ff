"""The REPL's hold on its session: notice that it is lost, open a new one, tell everyone.

    link = SessionLink(client, "mxgw-repl", session, server, notice=print)
    link.proxy                  # what the namespace calls `session` (`_proxy.ReplSession`)
    await link.ready(timeout)   # the current session; waits while reconnecting
    link.lost(error, session)   # `error` ended a call or stream of `session`
    link.on_change(callback)    # called after every change of state, session or server
    await link.aclose(...)      # at exit: stop reconnecting, close what is open

Whoever sees the loss first reports it: a call through the proxy, a watch whose event
stream failed, or the connection monitor seeing the channel fail. What counts as lost is
`mxgw._rpc._errors.session_lost` (UNAVAILABLE; the session NOT_FOUND or FAILED_PRECONDITION; a
worker unavailable). The call that found it fails as it did; nothing is sent twice.

Reconnecting opens and registers a new session on the same client, so on the same
channel: the TLS trust decided when connecting still holds, and a gateway that now
presents another certificate is refused (`client.check_certificate()` says which), never
re-trusted. Attempts back off (BACKOFF: 0.5 s doubling to 5 s) and go on until they
succeed or you quit; authentication, permission and certificate errors stop them for
good. The old session is closed in the background with a bounded deadline (after a
gateway restart the gateway no longer knows it; after a dropped connection it may, and
should not keep it).

With `enabled=False` (`--no-reconnect`, and scripts, which should fail fast with their
exit code) a loss only changes the state to "lost", for the toolbar, and says so once
when `announce` (not in scripts: their stderr is the failing statement's error).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from .. import _errors
from .._log import log
from .._resume import ResumePolicy
from .._rpc._errors import session_lost
from ._display import format_error
from ._proxy import ReplSession

Notice = Callable[[str], None]

# The REPL never gives up (max_retries is not used): it tries until the gateway answers.
BACKOFF = ResumePolicy(initial_backoff=0.5, max_backoff=5.0)
CLOSE_BOUND = 5.0  # seconds to close a session that is lost or replaced
# Errors that retrying cannot fix: the key, its scopes, the gateway's certificate.
FINAL = (_errors.MxGatewayAuthenticationError, _errors.MxGatewayAuthorizationError,
         _errors.MxGatewayCertificateChangedError)


class SessionLink:
    """The current session and server handle of a REPL, and its state:

        up            the session is usable (as far as anyone knows)
        reconnecting  it was lost; a new one is being opened
        stopped       it was lost and reconnecting stopped (`final_error` says why)
        lost          it was lost and reconnecting is off
        closed        the REPL is leaving
    """

    def __init__(self, client: Any, name: str, session: Any, server: int, *,
                 notice: Notice, enabled: bool = True, announce: bool = True,
                 policy: ResumePolicy = BACKOFF) -> None:
        self._client = client
        self._name = name
        self.session = session
        self.server = server
        self.enabled = enabled
        self._announce = announce
        self.state = "up"
        self.final_error: Exception | None = None
        self._notice = notice
        self._policy = policy
        self._callbacks: list[Callable[[], None]] = []
        self._settled = asyncio.Event()
        self._settled.set()
        self._task: asyncio.Task[None] | None = None
        self._closing: set[asyncio.Task[None]] = set()
        self.proxy = ReplSession(self)

    @property
    def endpoint(self) -> str:
        return str(self._client.options.endpoint)

    @property
    def call_timeout(self) -> float | None:
        """How long a call made while reconnecting waits (the client's per-call timeout)."""
        timeout: float | None = self._client.options.timeout
        return timeout

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _set_state(self, state: str) -> None:
        self.state = state
        for callback in self._callbacks:
            callback()

    def connection_text(self, channel: str) -> str:
        """The toolbar's word for the connection: the channel's state while the session
        is up, else what happened to the session."""
        return {
            "up": channel,
            "reconnecting": "reconnecting",
            "stopped": "lost (not reconnecting)",
            "lost": "lost (--no-reconnect)",
        }.get(self.state, self.state)

    # -- noticing a loss --------------------------------------------------------

    def lost(self, error: BaseException, session: Any) -> bool:
        """`error` ended a call or stream of `session`. True when the caller may wait for
        `ready()` and try again: `session` was replaced, or a reconnect started for it."""
        if session is not self.session:
            return self.state != "closed"
        if self.state == "reconnecting":
            return True
        if self.state != "up" or not session_lost(error):
            return False
        return self._start(f"session {session.session_id} lost ({error})")

    def channel_down(self) -> None:
        """The connection monitor saw the channel fail (TRANSIENT_FAILURE). Without
        reconnecting, that alone does not make the session lost (the toolbar already says
        `connection down`; the gateway may still have it when the channel is back)."""
        if self.state == "up" and self.enabled:
            self._start(f"connection to {self.endpoint} lost")

    def _start(self, what: str) -> bool:
        if not self.enabled:
            self._set_state("lost")
            if self._announce:
                self._notice(f"{what}; not reconnecting (--no-reconnect)")
            return False
        self._settled.clear()
        self._set_state("reconnecting")
        self._notice(f"{what}; reconnecting")
        self._task = asyncio.get_running_loop().create_task(self._reconnect(),
                                                           name="mxgw-reconnect")
        return True

    # -- reconnecting -----------------------------------------------------------

    async def _reconnect(self) -> None:
        attempt = 0
        said = ""
        while True:
            attempt += 1
            try:
                session, server = await self._attempt()
                break
            except FINAL as exc:
                self._stop(exc, "not retried: fix the key, its scopes or the trust in the "
                                "certificate, then start the REPL again")
                return
            except _errors.MxGatewayError as exc:
                log.info("reconnect attempt %d failed: %s", attempt, exc.message)
                if attempt > 1 and exc.message != said:
                    # Why it does not work, once it did not work twice; and again only
                    # when the reason changes (down, then refusing sessions, ...).
                    said = exc.message
                    self._notice(f"still reconnecting: {said}")
            except Exception as exc:  # noqa: BLE001 - a bug: say so rather than hang
                self._stop(exc, "a bug in mxgw, please report it (with --debug)")
                return
            await self._pause(self._policy.delay(attempt))
        old = self.session
        self.session, self.server = session, server
        self._set_state("up")
        self._settled.set()
        self._notice(f"reconnected (session {session.session_id})")
        self._close_later(old)

    async def _pause(self, delay: float) -> None:
        """Wait `delay` seconds, or less when the channel was down and connects again:
        grpc retries the connection on its own backoff (kicked here when it idles), and
        the moment it reaches the gateway is the moment to open the session. A channel
        that is up (the gateway answers, but refuses) waits the whole delay."""
        channel = self._client.channel
        state = channel.get_state(try_to_connect=True)
        if state.name == "READY":
            await asyncio.sleep(delay)
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                while state.name != "READY":
                    await channel.wait_for_state_change(state)
                    state = channel.get_state(try_to_connect=True)

    async def _attempt(self) -> tuple[Any, int]:
        try:
            session = await self._client.open_session(name=self._name)
        except _errors.MxGatewayTransportError:
            # Perhaps the handshake: the channel accepts only the certificate trusted on
            # connecting. Which certificate the gateway presents now is worth a clear
            # refusal (and no further attempts), not an endless UNAVAILABLE.
            await self._client.check_certificate()
            raise
        try:
            return session, int(await session.register(self._name))
        except BaseException:
            await self._close_quietly(session, "mxgw repl: register failed after reconnect")
            raise

    def _stop(self, error: Exception, advice: str) -> None:
        self.final_error = error
        self._set_state("stopped")
        self._settled.set()
        self._notice(f"reconnecting stopped: {format_error(error).splitlines()[-1]}; "
                     f"{advice}")

    async def ready(self, timeout: float | None = None) -> Any:
        """The session to use; while reconnecting, wait up to `timeout` seconds for it.

        Raises MxGatewayTransportError when the reconnect takes longer (the call is not
        sent; reconnecting goes on), MxGatewaySessionError when reconnecting stopped.
        """
        if self.state == "reconnecting":
            try:
                async with asyncio.timeout(timeout):
                    await self._settled.wait()
            except TimeoutError:
                raise _errors.MxGatewayTransportError(
                    f"not sent: still reconnecting to {self.endpoint} after {timeout:g} s "
                    "(the REPL keeps trying; the toolbar says when it is back)") from None
        if self.state == "stopped" and self.final_error is not None:
            raise _errors.MxGatewaySessionError(
                "not sent: the session was lost and reconnecting stopped: "
                f"{format_error(self.final_error).splitlines()[-1]}")
        return self.session

    def replaced(self, session: Any) -> bool:
        """True when `session` is no longer the current one (a reconnect replaced it)."""
        return session is not self.session

    # -- closing ----------------------------------------------------------------

    def _close_later(self, session: Any) -> None:
        task = asyncio.get_running_loop().create_task(
            self._close_quietly(session, "mxgw repl: replaced after a reconnect"))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _close_quietly(self, session: Any, reason: str) -> None:
        # Nobody to tell: the gateway may rightly not know the session any more.
        await close_session(session, reason, log.info, report=False, bound=CLOSE_BOUND)

    async def aclose(self, reason: str, report: bool) -> None:
        """Stop reconnecting and close the current session (bounded when it was lost);
        say how it went when `report` (or when the close fails)."""
        was = self.state
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait([task])
        self._set_state("closed")
        if self._closing:
            await asyncio.wait(list(self._closing), timeout=CLOSE_BOUND)
        await close_session(self.session, reason, self._notice, report=report,
                            bound=None if was == "up" else CLOSE_BOUND)


async def close_session(session: Any, reason: str, notice: Notice, *, report: bool,
                        bound: float | None = None) -> None:
    """Close `session` and say how it went when `report` (always when it fails).

    Shielded: a second Ctrl-C or a cancelled caller must not leave the session open on
    the gateway. `bound` (seconds) is for a session that was lost: the gateway may not
    know it, or not be there at all.
    """
    try:
        state = await asyncio.wait_for(asyncio.shield(session.close(reason=reason)), bound)
    except _errors.MxGatewayError as exc:
        notice(f"closing session {session.session_id}: {format_error(exc)}")
        return
    except TimeoutError:
        notice(f"closing session {session.session_id}: no answer within {bound:g} s "
               "(the gateway is unreachable)")
        return
    if report:
        # The gateway's own word (CloseSessionReply.final_state), e.g. CLOSED.
        notice(f"session {session.session_id} closed ({state})")
