"""`contract`: the built-in wire contract; `contract diff --protoset FILE`: compare it with
the gateway's published descriptor set.

The diff covers every message, field (number, type, label, message/enum type) and enum
value of the built-in contract, i.e. everything the tool can send or read. Names only the
gateway has are listed as `extra` and do not count as disagreement. Exit 0 when the two
agree on everything the tool uses; exit 6 (and the report on stdout) when they do not.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

from ._exit import OK, REFUSED, UsageError
from ._output import Output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=["show", "diff"], default="show",
                        help="show (default) or diff")
    parser.add_argument("--protoset", metavar="FILE",
                        help="the gateway's FileDescriptorSet (e.g. mxaccessgw-client-v1.protoset)")


def builtin_files() -> list[Any]:
    from .._rpc._contract import Contract

    return list(Contract.builtin().files())


def load_protoset(path: str) -> list[Any]:
    from google.protobuf import descriptor_pb2
    from google.protobuf.message import DecodeError

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    fds = descriptor_pb2.FileDescriptorSet()
    try:
        fds.ParseFromString(data)
    except DecodeError as exc:
        raise UsageError(f"{path} is not a FileDescriptorSet: {exc}") from None
    if not fds.file:
        raise UsageError(f"{path} holds no proto files")
    return list(fds.file)


def _type_name(number: int) -> str:
    from google.protobuf.descriptor_pb2 import FieldDescriptorProto

    return str(FieldDescriptorProto.Type.Name(number))  # type: ignore[arg-type]


def _label_name(number: int) -> str:
    from google.protobuf.descriptor_pb2 import FieldDescriptorProto

    return str(FieldDescriptorProto.Label.Name(number))  # type: ignore[arg-type]


def _walk(prefix: str, messages: Any, enums: Any, out: dict[str, Any]) -> None:
    for enum in enums:
        out[f"{prefix}.{enum.name}"] = ("enum", {v.name: v.number for v in enum.value})
    for msg in messages:
        name = f"{prefix}.{msg.name}"
        fields = {f.name: {"number": f.number, "type": _type_name(f.type),
                           "label": _label_name(f.label),
                           "typeName": f.type_name.lstrip(".")} for f in msg.field}
        out[name] = ("message", fields)
        _walk(name, msg.nested_type, msg.enum_type, out)


def index(files: list[Any]) -> dict[str, Any]:
    """Full name -> ("message", {field: shape}) or ("enum", {value: number})."""
    out: dict[str, Any] = {}
    for f in files:
        _walk(f.package, f.message_type, f.enum_type, out)
        for service in f.service:
            out[f"{f.package}.{service.name}"] = ("service", {
                m.name: {"input": m.input_type.lstrip("."), "output": m.output_type.lstrip("."),
                         "serverStreaming": m.server_streaming} for m in service.method})
    return out


def diff(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    differences: list[dict[str, Any]] = []
    for name, (kind, members) in sorted(ours.items()):
        if name not in theirs:
            differences.append({"name": name, "kind": kind, "problem": "missing"})
            continue
        their_kind, their_members = theirs[name]
        if their_kind != kind:
            differences.append({"name": name, "kind": kind, "problem": f"is a {their_kind}"})
            continue
        for member, shape in sorted(members.items()):
            if member not in their_members:
                differences.append({"name": f"{name}.{member}", "kind": kind,
                                    "problem": "missing"})
            elif their_members[member] != shape:
                differences.append({"name": f"{name}.{member}", "kind": kind,
                                    "problem": "differs", "builtin": shape,
                                    "gateway": their_members[member]})
    extra = sorted(n for n in theirs if n not in ours)
    for name, (kind, members) in sorted(ours.items()):
        if name in theirs and theirs[name][0] == kind:
            extra += sorted(f"{name}.{m}" for m in theirs[name][1] if m not in members)
    return {"agree": not differences, "differences": differences, "extra": extra}


def summary(files: list[Any]) -> dict[str, Any]:
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.name):
        digest.update(f.SerializeToString(deterministic=True))
    return {
        "files": sorted(f.name for f in files),
        "packages": sorted({f.package for f in files}),
        "services": {f"{f.package}.{s.name}": [m.name for m in s.method]
                     for f in files for s in f.service},
        "sha256": digest.hexdigest(),
    }


def run_offline(args: argparse.Namespace, out: Output) -> int:
    ours = builtin_files()
    if args.action == "show":
        if args.protoset:
            raise UsageError("--protoset goes with `contract diff`")
        out.emit(summary(ours))
        return OK
    if not args.protoset:
        raise UsageError("`contract diff` needs --protoset FILE")
    theirs = load_protoset(args.protoset)
    report = diff(index(ours), index(theirs))
    report["builtin"] = summary(ours)
    report["gateway"] = summary(theirs)
    out.emit(report)
    return OK if report["agree"] else REFUSED
