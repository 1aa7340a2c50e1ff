"""The JSON output benchmark's parts still run against the replay gateway (counts only:
benchmarks are never timed assertions). Skipped with the reason without node and npm."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "peers"))

import bench_json_output as bench
from jspeer import peer_or_skip

EVENTS = 300


def test_the_benchmark_consumers_read_every_message() -> None:
    peer_or_skip()
    with bench.producer(EVENTS) as gateway:
        rows = [bench.measure_bare(gateway, EVENTS, name) for name in bench.BARE_STREAMS]
        rows += bench.measure_library(gateway, EVENTS)
        timing = bench.cli_in_process(gateway.endpoint, ["get", *bench.tags(1000)])
    consumers = ["session.stream_events()", "session.stream_events(resume=True)",
                 "session.subscribe()", "session.subscribe() (fields read)"]
    assert [r.name for r in rows] == [*bench.BARE_STREAMS, *(
        name for consumer in consumers for name in ("bare StreamEvents", consumer))]
    assert all(r.items == EVENTS and r.timing.wall > 0 for r in rows)
    assert all("wall" in r.ratios() for r in rows if r.name in consumers)
    assert timing.wall > 0  # and exit code 0: cli_in_process raises otherwise


def test_every_sample_prints_as_json_format_does() -> None:
    for name, (parse, data) in bench.encoder_samples(200).items():
        for message in map(parse, data):
            assert bench._protojson.to_json_text(message) == bench._reference(message), name


def test_the_bare_print_floor_reads_every_message() -> None:
    peer_or_skip()
    with bench.producer(EVENTS) as gateway:
        rows = [bench.measure_bare(gateway, EVENTS, name, bench.measure_bare(
            gateway, EVENTS, name)) for name in bench.BARE_STREAMS]
    assert [r.name for r in rows] == [name.replace("bare", "bare+print")
                                      for name in bench.BARE_STREAMS]
    assert all(r.items == EVENTS and "wall" in r.ratios() for r in rows)
