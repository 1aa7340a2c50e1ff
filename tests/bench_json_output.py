"""Benchmark the JSON output paths against a producer faster than any consumer (a script;
pytest does not collect bench_*.py).

    .venv/bin/python tests/bench_json_output.py [--events 100000] [--repeat 3] [--only NAMES]

The producer is the grpc-js replay gateway (tests/peers/replay.py, node and npm needed):
Python builds every message once and node only sends the bytes, so the consumer is the
bottleneck (a Python gRPC server streams at most ~7,000-8,000 messages/s here). Each
consumer is quoted as a ratio to the bare consumer of the same calls, measured just
before it: by rate (wall time) and by CPU per item of the consuming process (this one, all
threads, or the child), bare CPU / its CPU:

  bare            the same calls with grpc.aio and no library: the stream read in a loop
                  (messages parsed), the one-shot calls replayed from the producer's log
                  with the request bytes the command sent, on a fresh channel each time
  library         session.stream_events() with and without resume, session.subscribe()
                  not reading its changes, and reading each one's value, quality and
                  timestamp ("fields read": a change's value is converted on first read)
  cli streams     `mxgw stream-events`, `watch`, `alarms --follow`, `stream-alarms`,
                  `galaxy-watch`, each a child process writing to a file; "steady" takes
                  out the start-up: (N - 1) / (time for N - time for 1); quoted against
                  the bare stream and against "bare+print", the bare loop printing each
                  message with mxgw._protojson.to_json_text to a file (measured between
                  the bare loop and the command, each round; its encoders' caches emptied
                  first, as the command's are in its new process)
  cli one-shots   `galaxy-discover` (10,000 objects), `read-bulk` and `get` (1,000 tags),
                  run in this process (stdout to a file), so start-up is not counted;
                  besides the bare replay, a second floor: the same replay printing
                  each reply with mxgw._protojson.to_json_text to a file ("bare+print"),
                  what any Python consumer printing the data as JSON pays at least
  encoders        CPU per message: json_format.MessageToDict + json.dumps (the reference)
                  against mxgw._protojson, on the messages streamed; and per item each
                  command prints, making it (library) and `mxgw._json.dumps` (CLI)

Prints a table per round and one JSON document at the end (min, median, max per row).
Run it on a quiet machine (see `uptime`): other processes share the 2 cores.
The functions are meant to be called one by one too (`measure_*`, `scenario`, `producer`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "peers"))

import grpc
from google.protobuf import json_format, message_factory
from google.protobuf.message import Message
from jspeer import install
from replay import Call, ReplayGateway, Stream, Unary, path, replay_gateway

import mxgw
from mxgw import _protojson
from mxgw._proto import galaxy_pb2 as gpb
from mxgw._proto import gateway_pb2 as pb
from mxgw.sim._values import TYPES
from mxgw.sim._wire import Wire

to_mx, ok_status = Wire.builtin().values.to_mx, Wire.builtin().status.ok_status

SESSION = "session-" + "5e" * 16
SERVER = 1
EPOCH = 1_780_000_000  # seconds; the first tick of the stream
TICK_NANOS = 250_000_000
OK = pb.ProtocolStatus(code=pb.PROTOCOL_STATUS_CODE_OK)

GATEWAY = "MxAccessGateway"
OPEN, CLOSE, INVOKE = (path(pb, GATEWAY, m) for m in ("OpenSession", "CloseSession", "Invoke"))
EVENTS, ALARMS = path(pb, GATEWAY, "StreamEvents"), path(pb, GATEWAY, "StreamAlarms")
DISCOVER = path(gpb, "GalaxyRepository", "DiscoverHierarchy")
DEPLOYS = path(gpb, "GalaxyRepository", "WatchDeployEvents")


# ------------------------------------------------------------------ the messages


def tags(count: int) -> list[str]:
    return [f"Area{i // 100:02d}.Pump{i:04d}.Speed" for i in range(count)]


def _value(n: int) -> pb.MxValue:
    """Mostly doubles, like a plant; some ints, bools, strings and floats."""
    kind = ("double", "double", "double", "int", "bool", "string", "float", "double")[n % 8]
    raw = {"double": n * 0.37 + 0.5, "int": n % 5000, "bool": n % 3 == 0,
           "string": f"batch {n % 97}", "float": n * 0.25}[kind]
    return to_mx(raw, TYPES[kind])


def _stamp(message: Any, tick: int, offset_ms: int = 0) -> None:
    nanos = tick * TICK_NANOS + offset_ms * 1_000_000
    message.seconds, message.nanos = EPOCH + nanos // 10**9, nanos % 10**9


def data_changes(count: int, items: int) -> list[bytes]:
    """OnDataChange events 1..count (contiguous worker_sequence) over `items` items; the
    events of one tick (`items` of them) share their worker and gateway timestamps."""
    out = []
    for n in range(count):
        tick = n // items
        event = pb.MxEvent(session_id=SESSION, family=pb.MX_EVENT_FAMILY_ON_DATA_CHANGE,
                           worker_sequence=n + 1, server_handle=SERVER,
                           item_handle=n % items + 1, value=_value(n), quality=192,
                           statuses=[ok_status()], on_data_change=pb.OnDataChangeEvent())
        _stamp(event.source_timestamp, tick, n % 200)
        _stamp(event.worker_timestamp, tick)
        _stamp(event.gateway_receive_timestamp, tick)
        out.append(event.SerializeToString())
    return out


def _transition(n: int) -> pb.OnAlarmTransitionEvent:
    transition = pb.OnAlarmTransitionEvent(
        alarm_full_reference=f"Galaxy!Area{n % 50:02d}.Tank{n % 400:03d}.Level.Hi",
        source_object_reference=f"Tank{n % 400:03d}", alarm_type_name="Hi",
        transition_kind=1 + n % 4, severity=1 + n % 999, category="Process",
        description="Tank level high", current_value=_value(n), limit_value=_value(n + 1),
        alarm_guid=f"{n:08x}-0000-4000-8000-000000000000", condition_state=1 + n % 4)
    _stamp(transition.original_raise_time, n // 100)
    _stamp(transition.transition_time, n // 100, n % 100)
    return transition


def alarm_feed(count: int) -> list[bytes]:
    """The feed StreamAlarms sends: 100 active alarms, snapshot_complete, transitions."""
    out = [pb.AlarmFeedMessage(active_alarm=pb.ActiveAlarmSnapshot(
        alarm_full_reference=f"Galaxy!Area00.Tank{n:03d}.Level.Hi", condition_state=1,
        severity=500, current_value=_value(n), area="Area00")) for n in range(100)]
    out.append(pb.AlarmFeedMessage(snapshot_complete=pb.SnapshotComplete()))
    out += [pb.AlarmFeedMessage(transition=_transition(n)) for n in range(count - len(out))]
    return [m.SerializeToString() for m in out]


def deploy_events(count: int) -> list[bytes]:
    out = []
    for n in range(count):
        event = gpb.DeployEvent(sequence=n + 1)
        _stamp(event.time_of_last_deploy, n)
        _stamp(event.observed_at, n, 3)
        out.append(event.SerializeToString())
    return out


def _galaxy_object(n: int) -> gpb.GalaxyObject:
    name = f"Pump{n:05d}"
    attributes = [gpb.GalaxyAttribute(
        attribute_name=a, full_tag_reference=f"{name}.{a}", mx_data_type=t,
        data_type_name=type_name, security_classification=n % 3, is_historized=a == "Speed",
        is_alarm=a == "Fault") for a, t, type_name in (
        ("Speed", 4, "Double"), ("Running", 1, "Boolean"), ("Fault", 1, "Boolean"),
        ("Setpoint", 4, "Double"), ("Mode", 2, "Integer"))]
    return gpb.GalaxyObject(
        gobject_id=n + 100, tag_name=name, contained_name=f"P{n % 100:02d}",
        browse_name=name, parent_gobject_id=n // 100 + 1, category_id=10,
        template_chain=["$Pump", "$UserDefined"], attributes=attributes,
        hierarchical_name=f"Area{n // 100:02d}.{name}", hosted_by_gobject_id=3)


def galaxy_pages(objects: int, page: int) -> dict[str, bytes]:
    """DiscoverHierarchy replies by page token ("" first, then "p1", "p2", ...)."""
    replies = {}
    for first in range(0, objects, page):
        token = f"p{first // page}" if first else ""
        following = f"p{first // page + 1}" if first + page < objects else ""
        reply = gpb.DiscoverHierarchyReply(
            objects=[_galaxy_object(n) for n in range(first, min(objects, first + page))],
            next_page_token=following, total_object_count=objects, cache_sequence=7)
        replies[token] = reply.SerializeToString()
    return replies


def _reply(kind: str, **payload: Any) -> bytes:
    return pb.MxCommandReply(session_id=SESSION, kind=getattr(pb, f"MX_COMMAND_KIND_{kind}"),
                             protocol_status=OK, **payload).SerializeToString()


def read_bulk_reply(names: list[str]) -> bytes:
    results = []
    for n, tag in enumerate(names):
        result = pb.BulkReadResult(server_handle=SERVER, tag_address=tag, item_handle=n + 1,
                                   was_successful=True, value=_value(n), quality=192,
                                   statuses=[ok_status()])
        _stamp(result.source_timestamp, 0, n % 200)
        results.append(result)
    return _reply("READ_BULK", bulk_read=pb.BulkReadReply(results=results))


def scenario(events: int, tag_count: int = 1000, objects: int = 10_000
             ) -> dict[str, Unary | Stream]:
    """Every call the measured consumers make, answered from prebuilt bytes."""
    names = tags(tag_count)
    subscribed = pb.BulkSubscribeReply(results=[pb.SubscribeResult(
        server_handle=SERVER, tag_address=tag, item_handle=n + 1, was_successful=True)
        for n, tag in enumerate(names)])
    invoke = {
        "MX_COMMAND_KIND_REGISTER": _reply("REGISTER",
                                           register=pb.RegisterReply(server_handle=SERVER)),
        "MX_COMMAND_KIND_UNREGISTER": _reply("UNREGISTER"),
        "MX_COMMAND_KIND_SUBSCRIBE_BULK": _reply("SUBSCRIBE_BULK", bulk_subscribe=subscribed),
        "MX_COMMAND_KIND_UNSUBSCRIBE_BULK": _reply("UNSUBSCRIBE_BULK",
                                                   bulk_subscribe=subscribed),
        "MX_COMMAND_KIND_READ_BULK": read_bulk_reply(names),
    }
    return {
        OPEN: Unary({"": pb.OpenSessionReply(session_id=SESSION, protocol_status=OK,
                                             gateway_protocol_version=1).SerializeToString()}),
        CLOSE: Unary({"": pb.CloseSessionReply(
            session_id=SESSION, final_state=pb.SESSION_STATE_CLOSED,
            protocol_status=OK).SerializeToString()}),
        INVOKE: Unary(invoke, key="command.kind"),
        EVENTS: Stream(data_changes(events, tag_count)),
        ALARMS: Stream(alarm_feed(events)),
        DEPLOYS: Stream(deploy_events(events)),
        DISCOVER: Unary(galaxy_pages(objects, 1000), key="page_token"),
    }


@contextlib.contextmanager
def producer(events: int) -> Iterator[ReplayGateway]:
    with replay_gateway(install(), scenario(events)) as gateway:
        yield gateway


# ------------------------------------------------------------------ bare consumers


def _methods() -> dict[str, Any]:
    """gRPC path -> method descriptor, for every method of the contract."""
    found = {}
    for module in (pb, gpb):
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                found[f"/{service.full_name}/{method.name}"] = method
    return found


METHODS = _methods()


def _parser(route: str) -> Callable[[bytes], Message]:
    return message_factory.GetMessageClass(METHODS[route].output_type).FromString


@dataclass(frozen=True)
class Timing:
    """Wall seconds, and CPU seconds of the consuming process (None: not measurable)."""

    wall: float
    cpu: float | None

    def __sub__(self, other: Timing) -> Timing:
        cpu = None if self.cpu is None or other.cpu is None else self.cpu - other.cpu
        return Timing(self.wall - other.wall, cpu)


def run(consumer: Coroutine[Any, Any, float]) -> Timing:
    """Run a consumer coroutine (which returns its own wall seconds) on a new loop, with
    this process's CPU seconds (all threads: grpc's too) around it."""
    cpu = time.process_time()
    wall = asyncio.run(consumer)
    return Timing(wall, time.process_time() - cpu)


def _fresh_encoders() -> None:
    """Forget mxgw._protojson's encoders and the printed values they cached, as in a new
    process: the stream is replayed the same every time, and a command run as a child
    process meets every value (a float, a second, a fraction) for the first time."""
    from mxgw import _protojson_gen

    _protojson._TEXT.clear()
    _protojson._JSONABLE.clear()
    _protojson_gen._GENERATOR = None


async def bare_stream(endpoint: str, route: str, request: bytes, count: int,
                      printed: bool = False) -> float:
    """Seconds for a bare grpc.aio loop to read and parse `count` messages of a stream;
    with `printed`, each message written to a file as compact JSON as well."""
    with tempfile.TemporaryFile("w") as out:
        async with grpc.aio.insecure_channel(endpoint) as channel:
            start = time.perf_counter()
            call = channel.unary_stream(route, response_deserializer=_parser(route))(request)
            seen = 0
            if printed:
                _fresh_encoders()
                write, text = out.write, _protojson.to_json_text
                async for message in call:
                    write(text(message) + "\n")
                    seen += 1
                    if seen == count:
                        break
                out.flush()
            else:
                async for _ in call:
                    seen += 1
                    if seen == count:
                        break
            elapsed = time.perf_counter() - start
            call.cancel()
    if seen != count:
        raise RuntimeError(f"{route}: {seen} of {count} messages")
    return elapsed


async def bare_calls(endpoint: str, calls: list[Call], printed: bool = False) -> float:
    """Seconds to replay `calls` (what one command sent) on a fresh channel, replies
    parsed; with `printed`, each reply written to a file as compact JSON as well."""
    with tempfile.TemporaryFile("w") as out:
        start = time.perf_counter()
        async with grpc.aio.insecure_channel(endpoint) as channel:
            for call in calls:
                parse = _parser(call.path)
                if METHODS[call.path].server_streaming:
                    stream = channel.unary_stream(call.path, response_deserializer=parse)
                    async for message in stream(call.request):
                        if printed:
                            out.write(_protojson.to_json_text(message) + "\n")
                else:
                    unary = channel.unary_unary(call.path, response_deserializer=parse)
                    reply = await unary(call.request)
                    if printed:
                        out.write(_protojson.to_json_text(reply) + "\n")
            out.flush()
        return time.perf_counter() - start


# ------------------------------------------------------------------ consumers


async def library_stream_events(endpoint: str, count: int, resume: bool) -> float:
    async with await mxgw.GatewayClient.connect(endpoint, plaintext=True) as client:
        session = client.attach_session(SESSION)
        start = time.perf_counter()
        seen = 0
        async for _ in session.stream_events(resume=resume):
            seen += 1
            if seen == count:
                break
        return time.perf_counter() - start


async def library_subscribe(endpoint: str, count: int, read: bool = False) -> float:
    """subscribe() taking `count` changes; with `read`, reading each one's value,
    quality and timestamp (a change's value is converted when first read)."""
    async with await mxgw.GatewayClient.connect(endpoint, plaintext=True) as client:
        async with await client.open_session() as session:
            start = time.perf_counter()
            seen = 0
            async for change in session.subscribe(tags(1000)):
                if read:
                    value = change.value
                    _ = value.value, value.quality, value.timestamp
                seen += 1
                if seen == count:
                    break
            return time.perf_counter() - start


def _cli(endpoint: str, *argv: str) -> list[str]:
    return [*argv, "--endpoint", endpoint, "--plaintext", "--compact"]


def _children_cpu() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_child(endpoint: str, argv: list[str], lines: int) -> Timing:
    """`python -m mxgw ARGV > file` until it ends; checks that it printed `lines` lines."""
    with tempfile.TemporaryFile() as out:
        cpu = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "mxgw", *_cli(endpoint, *argv)],
                              stdout=out, stderr=subprocess.PIPE, check=False)
        wall = time.perf_counter() - start
        after = _children_cpu()
        if done.returncode != 0:
            raise RuntimeError(f"mxgw {argv[0]}: exit {done.returncode}: {done.stderr!r}")
        out.seek(0)
        printed = sum(1 for _ in out)
    if printed != lines:
        raise RuntimeError(f"mxgw {argv[0]}: {printed} lines, expected {lines}")
    return Timing(wall, None if cpu is None or after is None else after - cpu)


def cli_in_process(endpoint: str, argv: list[str]) -> Timing:
    """`mxgw.cli.main(ARGV)` in this process, stdout to a file."""
    from mxgw.cli import main

    # Write-only, as stdout is: a readable text file resets its decoder on every write.
    with tempfile.TemporaryFile("w") as out, contextlib.redirect_stdout(out):
        cpu = time.process_time()
        start = time.perf_counter()
        code = main(_cli(endpoint, *argv))
        timing = Timing(time.perf_counter() - start, time.process_time() - cpu)
    if code != 0:
        raise RuntimeError(f"mxgw {argv[0]}: exit {code}")
    return timing


# ------------------------------------------------------------------ the measurements


@dataclass(frozen=True)
class Row:
    name: str
    items: int
    timing: Timing
    bare: Row | None = None  # the bare consumer of the same calls, measured just before
    note: str = ""

    @property
    def rate(self) -> float:
        return self.items / self.timing.wall

    @property
    def cpu_us(self) -> float | None:
        """CPU µs per item of the consuming process."""
        return None if self.timing.cpu is None else self.timing.cpu / self.items * 1e6

    def ratios(self) -> dict[str, float]:
        """rate / the bare rate ("wall"), and bare CPU / this CPU per item ("cpu")."""
        if self.bare is None:
            return {}
        found = {"wall": self.rate / self.bare.rate}
        if self.cpu_us and self.bare.cpu_us:
            found["cpu"] = self.bare.cpu_us / self.cpu_us
        return found


BARE_STREAMS = {
    "bare StreamEvents": (EVENTS, pb.StreamEventsRequest(session_id=SESSION)),
    "bare StreamAlarms": (ALARMS, pb.StreamAlarmsRequest()),
    "bare WatchDeployEvents": (DEPLOYS, gpb.WatchDeployEventsRequest()),
}


def _cli_streams(names: str) -> dict[str, tuple[list[str], str]]:
    """name -> (argv without the count, the bare stream it is compared with)."""
    return {
        "mxgw stream-events": (["stream-events", "--session-id", SESSION, "--max-events"],
                               "bare StreamEvents"),
        "mxgw watch": (["watch", f"@{names}", "--count"], "bare StreamEvents"),
        "mxgw alarms --follow": (["alarms", "--follow", "--count"], "bare StreamAlarms"),
        "mxgw stream-alarms": (["stream-alarms", "--max-messages"], "bare StreamAlarms"),
        "mxgw galaxy-watch": (["galaxy-watch", "--count"], "bare WatchDeployEvents"),
    }


@contextlib.contextmanager
def _tag_file() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        names = Path(folder) / "tags.txt"
        names.write_text("\n".join(tags(1000)) + "\n")
        yield str(names)


def producer_cpu(gateway: ReplayGateway) -> float | None:
    """CPU seconds node has used so far (Linux; None elsewhere)."""
    try:
        fields = Path(f"/proc/{gateway.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_bare(gateway: ReplayGateway, events: int, name: str,
                 printed: Row | None = None) -> Row:
    """A bare stream consumer, noting how busy the producer was meanwhile: near 100%
    would mean node, not the consumer, set the rate. With `printed` (the bare row just
    measured), the "bare+print" floor: the same loop printing each message with
    to_json_text to a file, quoted against that bare row."""
    route, request = BARE_STREAMS[name]
    before = producer_cpu(gateway)
    timing = run(bare_stream(gateway.endpoint, route, request.SerializeToString(), events,
                             printed is not None))
    after = producer_cpu(gateway)
    busy = "" if before is None or after is None else (
        f"producer busy {(after - before) / timing.wall:.0%}")
    if printed is None:
        return Row(name, events, timing, note=busy)
    return Row(name.replace("bare", "bare+print", 1), events, timing, printed,
               "to_json_text to a file; " + busy)


def measure_library(gateway: ReplayGateway, events: int) -> list[Row]:
    """The library's stream consumers, each after its own bare consumer."""
    endpoint = gateway.endpoint
    consumers = {
        "session.stream_events()": lambda: library_stream_events(endpoint, events, False),
        "session.stream_events(resume=True)": lambda: library_stream_events(endpoint, events,
                                                                            True),
        "session.subscribe()": lambda: library_subscribe(endpoint, events),
        "session.subscribe() (fields read)": lambda: library_subscribe(endpoint, events,
                                                                       True),
    }
    rows = []
    for name, consumer in consumers.items():
        bare = measure_bare(gateway, events, "bare StreamEvents")
        rows += [bare, Row(name, events, run(consumer()), bare)]
    return rows


def measure_cli_streams(gateway: ReplayGateway, events: int) -> list[Row]:
    """Each streaming command as a child process writing to a file, after its own bare
    consumer and that consumer printing ("bare+print", what any Python consumer printing
    the messages as JSON pays at least); and its steady rate: the same command for 1 item
    taken off (start-up, connecting, the first reply), quoted against both floors."""
    rows = []
    with _tag_file() as names:
        for name, (argv, bare_name) in _cli_streams(names).items():
            bare = measure_bare(gateway, events, bare_name)
            printed = measure_bare(gateway, events, bare_name, bare)
            full = cli_child(gateway.endpoint, [*argv, str(events)], events)
            one = cli_child(gateway.endpoint, [*argv, "1"], 1)
            rows += [bare, printed, Row(name, events, full, bare, "child process > file"),
                     Row(name + " (steady)", events - 1, full - one, bare,
                         "minus the same for 1 item"),
                     Row(name + " (steady, to bare+print)", events - 1, full - one, printed,
                         "minus the same for 1 item")]
    return rows


def measure_one_shots(gateway: ReplayGateway, repeat: int = 5) -> list[Row]:
    """galaxy-discover (10,000 objects), read-bulk and get (1,000 tags), in this process,
    each against the bare replay of the calls it made (best of `repeat` each)."""
    endpoint = gateway.endpoint
    rows = []
    with _tag_file() as names:
        commands = {
            "mxgw galaxy-discover": (["galaxy-discover"], 10_000),
            "mxgw read-bulk": (["read-bulk", "--session-id", SESSION, "--server-handle",
                                str(SERVER), f"@{names}"], 1000),
            "mxgw get": (["get", f"@{names}"], 1000),
        }
        for name, (argv, items) in commands.items():
            gateway.forget_calls()
            cli_in_process(endpoint, argv)
            calls = gateway.calls()
            ours = min((cli_in_process(endpoint, argv) for _ in range(repeat)),
                       key=lambda t: t.wall)
            bare = min((run(bare_calls(endpoint, calls)) for _ in range(repeat)),
                       key=lambda t: t.wall)
            printed = min((run(bare_calls(endpoint, calls, True)) for _ in range(repeat)),
                          key=lambda t: t.wall)
            bare_row = Row(f"bare {name[5:]} calls", items, bare,
                           note=f"{len(calls)} calls replayed")
            printed_row = Row(f"bare+print {name[5:]} calls", items, printed, bare_row,
                              "replies printed with to_json_text")
            rows += [bare_row, printed_row, Row(name, items, ours, bare_row, "in process"),
                     Row(name + " (to bare+print)", items, ours, printed_row, "in process")]
    return rows


def _cpu_per_item(fn: Callable[[Any], Any], items: list[Any], rounds: int = 3) -> float:
    """Best CPU seconds per item over `rounds` passes."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for item in items:
            fn(item)
        best = min(best, (time.process_time() - start) / len(items))
    return best


def _reference(message: Message) -> str:
    # json_format's answer (the reference the fast encoders match).
    return json.dumps(json_format.MessageToDict(message, always_print_fields_with_no_presence=True),
                      sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def _compact(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def encoder_samples(count: int = 5000) -> dict[str, tuple[Callable[[bytes], Message],
                                                          list[bytes]]]:
    """Per printed message type: its parser and `count` (or so) messages as bytes."""
    pages = galaxy_pages(count, 1000)
    reply = pb.MxCommandReply.FromString(read_bulk_reply(tags(1000)))
    return {
        "MxEvent": (pb.MxEvent.FromString, data_changes(count, 1000)),
        "AlarmFeedMessage": (pb.AlarmFeedMessage.FromString, alarm_feed(count)),
        "DeployEvent": (gpb.DeployEvent.FromString, deploy_events(count)),
        "GalaxyObject": (gpb.GalaxyObject.FromString, [
            o.SerializeToString() for page in pages.values()
            for o in gpb.DiscoverHierarchyReply.FromString(page).objects]),
        "BulkReadResult": (pb.BulkReadResult.FromString,
                           [r.SerializeToString() for r in reply.bulk_read.results]),
    }


def measure_encoders(count: int = 5000) -> dict[str, dict[str, float]]:
    """CPU µs per message: parsing it, json_format's JSON, and mxgw._protojson's (each message
    parsed once, so caches see a stream's mix, not one message over and over)."""
    out = {}
    for name, (parse, data) in encoder_samples(count).items():
        messages = [parse(b) for b in data]
        if any(_protojson.to_json_text(m) != _reference(m) for m in messages):
            raise AssertionError(f"{name}: to_json_text differs from json_format")
        costs = {
            "parse": _cpu_per_item(parse, data),
            "MessageToDict+dumps (reference)": _cpu_per_item(_reference, messages),
            "to_json_text": _cpu_per_item(_protojson.to_json_text, messages),
            "to_jsonable+dumps": _cpu_per_item(lambda m: _compact(_protojson.to_jsonable(m)),
                                               messages),
            "to_jsonable": _cpu_per_item(_protojson.to_jsonable, messages),
        }
        out[name] = {k: round(v * 1e6, 2) for k, v in costs.items()}
    return out


def measure_printed(count: int = 2000) -> dict[str, dict[str, float]]:
    """CPU µs per item each command prints: making the item from its message (the
    library's part, in the seam; 0 where the message itself is printed) and
    `mxgw._json.dumps` (the CLI's part; read-bulk and get print one document of such
    items)."""
    from mxgw._changes import DataChange
    from mxgw._json import dumps
    from mxgw._rpc._contract import Contract
    from mxgw._rpc._galaxy import deploy_event, galaxy_object
    from mxgw._rpc._records import read_result, tag_value
    from mxgw.cli.cmd_tasks import Reading

    contract = Contract.builtin()
    samples = encoder_samples(count)
    events = [pb.MxEvent.FromString(b) for b in samples["MxEvent"][1]]
    reply = pb.MxCommandReply.FromString(read_bulk_reply(tags(1000)))
    rows = list(reply.bulk_read.results)

    def parsed(kind: str) -> list[Message]:
        parse, data = samples[kind]
        return [parse(b) for b in data]

    makers: dict[str, tuple[list[Any], Callable[[Any], Any]]] = {
        "stream-events (MxEvent)": (events, lambda e: e),
        "watch (DataChange)": (events, lambda e: DataChange(
            "Pump001.Speed", tag_value(contract, e), e.worker_sequence)),
        "alarms (AlarmFeedMessage)": (parsed("AlarmFeedMessage"), lambda m: m),
        "galaxy-watch (DeployEvent)": (parsed("DeployEvent"), lambda m: deploy_event(m, 0)),
        "galaxy-discover (GalaxyObject)": (parsed("GalaxyObject"), galaxy_object),
        "read-bulk (BulkReadResult)": (rows, lambda r: read_result(contract, r)),
        "get (a value row)": (rows, lambda r: Reading(r.tag_address,
                                                        read_result(contract, r).value)),
    }
    out = {}
    for name, (sources, make) in makers.items():
        items = [make(source) for source in sources]
        out[name] = {"make": round(_cpu_per_item(make, sources) * 1e6, 2),
                     "dumps": round(_cpu_per_item(dumps, items) * 1e6, 2)}
    return out


# ------------------------------------------------------------------ the report


def _print_round(number: int, rows: list[Row]) -> None:
    print(f"\nround {number} (load average {os.getloadavg()[0]:.2f})", file=sys.stderr)
    print(f"  {'consumer':44s} {'items/s':>10s}  {'ratio':>5s}  {'CPU µs':>7s}  "
          f"{'ratio':>5s}", file=sys.stderr)
    for row in rows:
        ratio = row.ratios()
        cpu = f"{row.cpu_us:7.1f}" if row.cpu_us is not None else "      -"
        print(f"  {row.name:44s} {row.rate:>10,.0f}  {ratio.get('wall', 1.0):5.2f}  {cpu}  "
              f"{ratio.get('cpu', 1.0):5.2f}  {row.note}", file=sys.stderr)


def _spread(values: list[float]) -> dict[str, float]:
    return {"min": round(min(values), 3), "median": round(statistics.median(values), 3),
            "max": round(max(values), 3)}


def summary(rounds: list[list[Row]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per consumer: min, median and max over the rounds (and over its bare runs, for a
    bare consumer) of its rate, CPU per item and ratios."""
    grouped: dict[str, list[Row]] = {}
    for rows in rounds:
        for row in rows:
            grouped.setdefault(row.name, []).append(row)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, rows in grouped.items():
        out[name] = {"rate": _spread([r.rate for r in rows])}
        cpu = [r.cpu_us for r in rows if r.cpu_us is not None]
        if cpu:
            out[name]["cpu_us"] = _spread(cpu)
        for kind in ("wall", "cpu"):
            found = [r.ratios()[kind] for r in rows if kind in r.ratios()]
            if found:
                out[name][f"ratio_{kind}"] = _spread(found)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000,
                        help="messages per stream (default 100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--only", default="encoders,streams,library,cli,one-shots",
                        help="comma-separated parts: encoders, streams (bare, library and "
                             "cli), library, cli, one-shots (with their bare consumers)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if "streams" in only:
        only |= {"library", "cli"}
    report: dict[str, Any] = {"load_average_start": os.getloadavg(), "events": args.events}
    if "encoders" in only:
        report["encoders_us_per_message"] = measure_encoders()
        report["printed_us_per_item"] = measure_printed()
        print(json.dumps({k: report[k] for k in ("encoders_us_per_message",
                                                 "printed_us_per_item")}, indent=2),
              file=sys.stderr)
    rounds: list[list[Row]] = []
    with producer(args.events) as gateway:
        for number in range(1, args.repeat + 1):
            rows = []
            if "library" in only:
                rows += measure_library(gateway, args.events)
            if "cli" in only:
                rows += measure_cli_streams(gateway, args.events)
            if "one-shots" in only:
                rows += measure_one_shots(gateway)
            if rows:
                _print_round(number, rows)
                rounds.append(rows)
    if rounds:
        report["rows"] = summary(rounds)
    report["load_average_end"] = os.getloadavg()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
