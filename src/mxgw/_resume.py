"""`session.events()`: the session's event stream, checked for lost events and, with
`resume`, reopened after the last sequence seen. Kept apart from mxgw._streams so that
a command that never streams events (`mxgw get`) does not make these classes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from typing import Any, Literal

from . import _errors
from ._log import log
from ._rpc._calls import Rpc
from ._rpc._errors import RETRYABLE_STREAM_CODES
from ._rpc._events import replay_gap
from ._streams import CallRegistry, iterate


@dataclass(frozen=True)
class StreamGap:
    """Events were lost between `expected` and `received` (exclusive).

    kind "sequence": worker_sequence jumped; kind "replay": the gateway's replay ring no
    longer held the events asked for with `after_sequence` (its replay_gap sentinel).
    """

    expected: int
    received: int
    kind: Literal["sequence", "replay"]

    @property
    def lost(self) -> int:
        return max(0, self.received - self.expected)

    def error(self) -> _errors.MxGatewayStreamGapError:
        what = "replay gap" if self.kind == "replay" else "sequence gap"
        return _errors.MxGatewayStreamGapError(
            f"events lost ({what}): expected worker_sequence {self.expected}, "
            f"got {self.received}", expected=self.expected, received=self.received)


@dataclass(frozen=True)
class ResumePolicy:
    """Bounded reconnects with exponential backoff (seconds)."""

    max_retries: int = 5
    initial_backoff: float = 0.1
    max_backoff: float = 2.0

    def delay(self, attempt: int) -> float:
        # The exponent is capped: 2.0 ** 1024 overflows, and a caller that never gives up
        # (the REPL's reconnect) gets there after a long enough outage.
        return float(min(self.max_backoff, self.initial_backoff * 2.0 ** min(attempt - 1, 64)))


async def events(
    open_call: Callable[[int], Any],
    rpc: Rpc,
    calls: CallRegistry,
    *,
    after_sequence: int,
    resume: bool,
    on_gap: Literal["raise", "event"],
    policy: ResumePolicy,
) -> AsyncGenerator[Any, None]:
    """MxEvents, checking worker_sequence continuity; with `resume`, reconnect after
    UNAVAILABLE or a stream the gateway ended, passing the last sequence seen.

    Lost events are never silent: a gap raises MxGatewayStreamGapError, or with
    `on_gap="event"` is yielded as a StreamGap. Only UNAVAILABLE/ABORTED and clean ends are
    retried (never UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT or NOT_FOUND).
    """
    last = after_sequence
    attempt = 0
    while True:
        failure: _errors.MxGatewayError | None = None
        stream = iterate(open_call(last), rpc, "stream events", calls, session=True)
        try:
            async with contextlib.aclosing(stream):
                async for event in stream:
                    attempt = 0
                    sequence = event.worker_sequence
                    sentinel = replay_gap(event)
                    gap: StreamGap | None = None
                    if sentinel is not None:
                        requested, oldest = sentinel
                        gap = StreamGap(requested + 1, oldest, "replay")
                        last = max(last, oldest - 1)
                    elif last and sequence and sequence <= last:
                        continue  # replayed again after a reconnect: already delivered
                    elif last and sequence > last + 1:
                        gap = StreamGap(last + 1, sequence, "sequence")
                    if gap is not None:
                        if on_gap == "raise":
                            raise gap.error()
                        yield gap
                        if sentinel is not None:
                            continue
                    last = sequence or last
                    yield event
        except _errors.MxGatewayStreamGapError:
            raise
        except _errors.MxGatewayError as exc:
            if not resume or exc.grpc_code not in RETRYABLE_STREAM_CODES:
                raise
            failure = exc
        if not resume or calls.closed:
            return
        attempt += 1
        if attempt > policy.max_retries:
            raise _errors.MxGatewayTransportError(
                f"event stream lost: gave up after {policy.max_retries} reconnects"
                + (f" ({failure.message})" if failure else ""), grpc_code=(
                    failure.grpc_code if failure else None)) from failure
        log.info("event stream dropped; reconnecting after sequence %d (attempt %d)",
                 last, attempt)
        await asyncio.sleep(policy.delay(attempt))
