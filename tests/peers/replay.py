"""A gateway that answers from prebuilt bytes, run by the grpc-js peer (js/replay.js).

Python builds the messages, node only sends them, so the producer outruns any Python
consumer (a Python gRPC server streams at most ~7,000-8,000 messages/s on our machines)::

    methods = {
        path(gateway_pb2, "MxAccessGateway", "Invoke"):
            Unary(replies={"MX_COMMAND_KIND_REGISTER": reply.SerializeToString()},
                  key="command.kind"),
        path(gateway_pb2, "MxAccessGateway", "StreamEvents"): Stream([e.SerializeToString() ...]),
    }
    with replay_gateway(install(), methods) as gateway:
        ...  # connect to gateway.endpoint (plaintext); gateway.calls() lists what was asked

A unary reply is chosen by the value at `key`, a dotted path into the decoded request
(enums by name), or is the one reply under "" when `key` is None. A stream sends all its
messages as fast as the client reads them, then ends cleanly.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from jspeer import JsPeer


@dataclass(frozen=True)
class Unary:
    replies: dict[str, bytes]
    key: str | None = None


@dataclass(frozen=True)
class Stream:
    messages: list[bytes] = field(repr=False)


@dataclass(frozen=True)
class Call:
    path: str
    request: bytes


@dataclass
class ReplayGateway:
    endpoint: str
    log: Path
    pid: int  # node's, e.g. to see whether the producer was the bottleneck

    def calls(self) -> list[Call]:
        """Every call so far, in order (path, raw request bytes)."""
        if not self.log.exists():
            return []
        lines = self.log.read_text().splitlines()
        return [Call(d["path"], base64.b64decode(d["request"])) for d in map(json.loads, lines)]

    def forget_calls(self) -> None:
        self.log.unlink(missing_ok=True)


def path(module: ModuleType, service: str, method: str) -> str:
    """The gRPC path of `service.method` in a generated *_pb2 module."""
    found = module.DESCRIPTOR.services_by_name[service]
    return f"/{found.full_name}/{found.methods_by_name[method].name}"


def _write(file: Path, messages: list[bytes]) -> str:
    with file.open("wb") as out:
        for message in messages:
            out.write(len(message).to_bytes(4, "big"))
            out.write(message)
    return str(file)


@contextmanager
def replay_gateway(peer: JsPeer, methods: dict[str, Unary | Stream]) -> Iterator[ReplayGateway]:
    """Start js/replay.js serving `methods`; stop it on the way out."""
    with tempfile.TemporaryDirectory(prefix="mxgw-replay-") as folder:
        tmp = Path(folder)
        log = tmp / "calls.log"
        specs: dict[str, object] = {}
        for number, (name, spec) in enumerate(methods.items()):
            if isinstance(spec, Stream):
                specs[name] = {"stream": _write(tmp / f"{number}.bin", spec.messages)}
            else:
                replies = {k: _write(tmp / f"{number}-{i}.bin", [v])
                           for i, (k, v) in enumerate(spec.replies.items())}
                specs[name] = {"key": spec.key, "replies": replies}
        (tmp / "config.json").write_text(json.dumps({"log": str(log), "methods": specs}))
        errors = tmp / "stderr.txt"
        with errors.open("wb") as stderr, subprocess.Popen(
                peer.command("replay.js", "--config", str(tmp / "config.json")),
                env=peer.env(), stdout=subprocess.PIPE, stderr=stderr) as proc:
            try:
                assert proc.stdout is not None
                line = proc.stdout.readline()
                if not line:
                    proc.wait(10)
                    raise RuntimeError(f"replay.js did not start: {errors.read_text()}")
                yield ReplayGateway(f"127.0.0.1:{json.loads(line)['port']}", log, proc.pid)
            finally:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
