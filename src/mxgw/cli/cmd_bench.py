"""bench-read-bulk and bench-stream-events: one JSON object in the cross-language schema.

    language, command, endpoint, clientName, bulkSize, durationSeconds, warmupSeconds,
    durationMs, tags, totalCalls, successfulCalls, failedCalls, totalReadResults,
    cachedReadResults, callsPerSecond, latencyMs {p50, p95, p99, max, mean}

Percentiles use rank = q * (n - 1) with linear interpolation. Calls during the warm-up are
made but not counted. bench-stream-events counts each event as a call and its latency as
the time from the gateway's receive timestamp to its arrival here (same-host clocks).
Progress goes to stderr only when stderr is a terminal. The session is the command's
own (short lease, always closed); a close the gateway does not confirm is a warning.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import sys
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

from .._log import log
from ._common import words
from ._context import Command, CommandContext
from ._parser import non_negative_float, positive_float, positive_int

DEFAULT_TAGS = [f"TestMachine_{i:03d}.TestChangingInt" for i in range(1, 7)]


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """rank = q * (n - 1), linear interpolation between the neighbouring samples."""
    if not sorted_values:
        return 0.0
    rank = q * (len(sorted_values) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def latency_summary(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": percentile(ordered, 0.50),
        "p95": percentile(ordered, 0.95),
        "p99": percentile(ordered, 0.99),
        "max": ordered[-1] if ordered else 0.0,
        "mean": sum(ordered) / len(ordered) if ordered else 0.0,
    }


class Tally:
    """Counts and latencies of the measured (post warm-up) part of a run."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.total = self.ok = self.failed = self.results = self.cached = 0
        self.started = 0.0

    def document(self, ctx: CommandContext, args: argparse.Namespace, tags: list[str],
                 elapsed: float) -> dict[str, Any]:
        return {
            "language": "python",
            "command": ctx.name,
            "endpoint": ctx.options.endpoint,
            "clientName": args.client_name,
            "bulkSize": len(tags),
            "durationSeconds": args.duration,
            "warmupSeconds": args.warmup,
            "durationMs": elapsed * 1000.0,
            "tags": tags,
            "totalCalls": self.total,
            "successfulCalls": self.ok,
            "failedCalls": self.failed,
            "totalReadResults": self.results,
            "cachedReadResults": self.cached,
            "callsPerSecond": self.total / elapsed if elapsed > 0 else 0.0,
            "latencyMs": latency_summary(self.latencies),
        }


class Progress:
    def __init__(self, name: str) -> None:
        self.name = name
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def tick(self, tally: Tally, now: float) -> None:
        if self.enabled and now - self.last >= 1.0:
            self.last = now
            sys.stderr.write(f"\r{self.name}: {tally.total} calls, {tally.failed} failed")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tags", nargs="+", default=DEFAULT_TAGS, metavar="TAG",
                        help="tags to read or advise, @FILE or - (default "
                             "TestMachine_001..006.TestChangingInt)")
    parser.add_argument("--bulk-size", type=positive_int, metavar="N",
                        help="tags per call: the tag list is repeated or cut to N")
    # --duration-seconds / --warmup-seconds: what the cross-language benchmark scripts pass
    # to every client CLI (the schema's own keys are durationSeconds and warmupSeconds).
    parser.add_argument("--duration", "--duration-seconds", dest="duration",
                        type=positive_float, default=10.0, metavar="SECONDS")
    parser.add_argument("--warmup", "--warmup-seconds", dest="warmup",
                        type=non_negative_float, default=2.0, metavar="SECONDS")
    parser.add_argument("--client-name", default="mxgw-bench")
    parser.add_argument("--subscribe", action="store_true",
                        help="bench-read-bulk: advise the tags first (cached reads)")


def bench_tags(ctx: CommandContext, args: argparse.Namespace) -> list[str]:
    tags = words(ctx, args.tags)  # @FILE and - as every other tag list
    size = args.bulk_size or len(tags)
    return [tags[i % len(tags)] for i in range(size)]


@contextlib.asynccontextmanager
async def bench_session(ctx: CommandContext, args: argparse.Namespace, tags: list[str],
                        subscribe: bool) -> AsyncIterator[tuple[Any, int]]:
    """(session, server handle), tags subscribed if asked. The session is a transient one:
    closing it drops the subscriptions too, and an unconfirmed close is a warning (the
    measurement is still reported)."""
    async with ctx.transient_session(args.client_name) as session:
        server = await session.register(args.client_name)
        if subscribe:
            await session.subscribe_bulk(server, tags)
        yield session, server


async def read_bulk(ctx: CommandContext, args: argparse.Namespace) -> int:
    tags = bench_tags(ctx, args)
    tally = Tally()
    progress = Progress(ctx.name)
    clock = time.perf_counter
    async with bench_session(ctx, args, tags, args.subscribe) as (session, server):
        start = clock()
        warm_until = start + args.warmup
        end = warm_until + args.duration
        measuring = args.warmup <= 0
        if measuring:
            tally.started = start
        while (now := clock()) < end:
            if not measuring and now >= warm_until:
                measuring, tally.started = True, now
            began = clock()
            try:
                results = await session.read_bulk(server, tags)
                failed = False
            except Exception as exc:  # noqa: BLE001 - a failed call is counted, the run goes on
                log.debug("read_bulk failed: %s", exc)
                results, failed = [], True
            took = (clock() - began) * 1000.0
            if measuring:
                tally.total += 1
                tally.failed += failed
                tally.ok += not failed
                tally.results += len(results)
                tally.cached += sum(1 for r in results if getattr(r, "was_cached", False))
                tally.latencies.append(took)
            progress.tick(tally, clock())
        elapsed = clock() - (tally.started or start)
        progress.done()
    ctx.out.emit(tally.document(ctx, args, tags, elapsed))
    return 0


def _received_at(event: Any) -> datetime | None:
    from .._rpc._events import received_at

    return received_at(event)


async def stream_events(ctx: CommandContext, args: argparse.Namespace) -> int:
    tags = bench_tags(ctx, args)
    tally = Tally()
    progress = Progress(ctx.name)
    loop = asyncio.get_running_loop()
    async with bench_session(ctx, args, tags, True) as (session, _):
        start = loop.time()
        warm_until = start + args.warmup
        end = warm_until + args.duration
        async with contextlib.aclosing(session.stream_events()) as events:
            while (remaining := end - loop.time()) > 0:
                try:
                    event = await asyncio.wait_for(anext(events), remaining)
                except (TimeoutError, StopAsyncIteration):
                    break
                now = loop.time()
                if now < warm_until:
                    continue
                tally.started = tally.started or now
                tally.total += 1
                tally.ok += 1
                tally.results += 1
                received = _received_at(event)
                if received is not None:
                    delay = datetime.now(UTC) - received
                    tally.latencies.append(max(delay.total_seconds() * 1000.0, 0.0))
                progress.tick(tally, now)
        elapsed = loop.time() - (tally.started or warm_until)
        progress.done()
    ctx.out.emit(tally.document(ctx, args, tags, max(elapsed, 0.0)))
    return 0


COMMANDS = {
    "bench-read-bulk": Command(_arguments, read_bulk),
    "bench-stream-events": Command(_arguments, stream_events),
}
