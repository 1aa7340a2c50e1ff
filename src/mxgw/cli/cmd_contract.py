"""`contract`: the wire contract. `contract` shows the built-in one (or the --contract
file's); `contract diff --protoset FILE` compares the built-in one with the gateway's
published descriptor set; `contract fetch` (connection options) downloads the gateway's by
server reflection and stores it for the endpoint; `contract diff` without --protoset
compares the contract in use with the live gateway's.

The diff covers every message, field (number, type, label, message/enum type) and enum
value of the contract compared, i.e. everything the tool can send or read. Names only the
gateway has are listed as `extra` and do not count as disagreement. Exit 0 when the two
agree on everything the tool uses; exit 6 (and the report on stdout) when they do not.
"""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path
from typing import Any

from ._exit import OK, REFUSED, UsageError
from ._output import Output

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._context import CommandContext


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=["show", "diff", "fetch"], default="show",
                        help="show (default), diff, or fetch (from the gateway, by reflection)")
    parser.add_argument("--protoset", metavar="FILE",
                        help="the gateway's FileDescriptorSet (e.g. mxaccessgw-client-v1.protoset)")


def connects(args: argparse.Namespace) -> bool:
    """`contract fetch` and `contract diff` without --protoset talk to the gateway."""
    return bool(args.action == "fetch" or (args.action == "diff" and not args.protoset))


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


def diff(ours: dict[str, Any], theirs: dict[str, Any], label: str = "builtin"
         ) -> dict[str, Any]:
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
                                    "problem": "differs", label: shape,
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
    if args.action == "show":
        if args.protoset:
            raise UsageError("--protoset goes with `contract diff`")
        from .._options import ENV_CONTRACT  # the variable ClientOptions reads

        chosen = args.contract or os.environ.get(ENV_CONTRACT)
        if chosen:
            from .._rpc._contract import Contract

            contract = Contract.load(chosen)
            out.emit({**contract.describe(), **summary(contract.files())})
        else:
            out.emit({"source": "built-in", **summary(builtin_files())})
        return OK
    ours = builtin_files()
    theirs = load_protoset(args.protoset)
    report = diff(index(ours), index(theirs))
    report["builtin"] = summary(ours)
    report["gateway"] = summary(theirs)
    out.emit(report)
    return OK if report["agree"] else REFUSED


# ------------------------------------------------------------------ fetch and live diff


async def _gateway_contract(ctx: CommandContext) -> tuple[Any, bytes, str, list[str]]:
    """(the gateway's contract, its descriptor set, the reflection service, services it
    does not describe), by reflection on a channel of its own options: the
    stored contract (maybe the one being replaced) is not loaded for it."""
    import dataclasses

    from .._channel import auth_metadata
    from .._errors import MxGatewayCommandError
    from .._rpc._contract import Contract
    from .._rpc._verify import fetch

    options = dataclasses.replace(ctx.options, contract=Contract.builtin())
    client = await ctx.runtime.client(options)
    found = await fetch(client.channel, auth_metadata(options.api_key), options.timeout)
    if found is None:
        raise MxGatewayCommandError(
            f"{options.endpoint} offers no server reflection (UNIMPLEMENTED): use the "
            "gateway's descriptor set with --contract FILE (its repository publishes "
            "clients/proto/descriptors/mxaccessgw-client-v1.protoset)",
            grpc_code="UNIMPLEMENTED")
    return found


async def run(ctx: CommandContext, args: argparse.Namespace) -> int:
    if args.protoset:
        raise UsageError("--protoset goes with `contract diff` and no connection")
    if args.action == "fetch":
        return await fetch_contract(ctx)
    return await live_diff(ctx)


async def fetch_contract(ctx: CommandContext) -> int:
    """Download, check (the load-time check: exit 6 listing each name), store, audit."""
    from .. import _contract_store
    from .._rpc._contract import refusal

    gateway, data, reflection, _ = await _gateway_contract(ctx)
    endpoint = ctx.options.endpoint
    problems = gateway.problems()  # the load-time check, on the contract as fetched
    if problems:
        raise refusal(f"contract {endpoint} disagrees with the tool", problems)
    services = sorted(f"{f.package}.{s.name}" for f in gateway.files() for s in f.service)
    stored = _contract_store.store(endpoint, data, services=services, reflection=reflection)
    ctx.audit("contract", {"change": "fetched", **stored.record()}, always=True)
    ctx.out.emit(stored.record())
    return OK


async def live_diff(ctx: CommandContext) -> int:
    """The contract in use against the live gateway's, as `diff --protoset` reports."""
    from .._contract_store import chosen

    contract = chosen(ctx.options.contract, ctx.options.endpoint)
    gateway, _, reflection, undescribed = await _gateway_contract(ctx)
    ours, theirs = (
        [f for f in c.files() if not f.package.startswith("google.protobuf")]
        for c in (contract, gateway))  # the well-known imports are protobuf's, not theirs
    report = diff(index(ours), index(theirs), "inUse")
    report["inUse"] = {**contract.describe(), **summary(ours)}
    report["gateway"] = {"endpoint": ctx.options.endpoint, "reflection": reflection,
                         **summary(theirs)}
    if undescribed:
        report["undescribed"] = undescribed
    ctx.out.emit(report)
    return OK if report["agree"] else REFUSED
