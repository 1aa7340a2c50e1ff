"""Which contract a client speaks, and the contracts fetched from gateways by reflection.

    contract = chosen(options.contract, options.endpoint)   # a Contract, loaded now
    describe_choice(flag_or_env_or_profile, endpoint)       # what `version` prints (no parse)
    stored = lookup("gateway01:5120")                       # a fetched contract, or None
    store("gateway01:5120", data, services=[...], reflection="grpc.reflection.v1...")

The choice, highest first: `ClientOptions.contract` (a Contract, or the path of a
descriptor set: `--contract`, `MXGW_CONTRACT`, the profile's `contract`), then the
contract `mxgw contract fetch` stored for the endpoint, then the built-in one.

A fetched contract is one JSON file per endpoint in the config folder's `contracts/`
(`gateway01_5120.json`: endpoint, sha256, fetch time, services, the reflection service
that answered, and the descriptor set in base64), written 0600 and atomically under a
lock, like known_gateways.json. Nothing here imports grpc or protobuf: `version` uses it.
"""

from __future__ import annotations

import os
import re

from . import _paths
from ._contract_file import read_file
from ._errors import MxGatewayConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path
    from typing import Any

    from ._rpc._contract import Contract


_FOLDER = "contracts"


def folder(env: Mapping[str, str] | None = None) -> Path:
    """`contracts/` in the user's config folder (MXGW_HOME when set)."""
    from pathlib import Path  # (urllib.parse and ipaddress: ~3.5 ms of every start)

    return Path(_paths.config_dir(env)) / _FOLDER


def path_for(endpoint: str, env: Mapping[str, str] | None = None) -> Path:
    """The stored contract's file for `endpoint` (its known_gateways key, made a file
    name: `[::1]:5120` -> `__1__5120.json`)."""
    from ._endpoint import parse_endpoint  # dataclasses: not on `version`'s path

    key = parse_endpoint(endpoint).key
    return folder(env) / (re.sub(r"[^A-Za-z0-9.-]", "_", key) + ".json")


class Stored:
    """A contract fetched from `endpoint` at `fetched` (UTC, ISO 8601)."""

    __slots__ = ("data", "endpoint", "fetched", "file", "reflection", "services", "sha256")

    def __init__(self, endpoint: str, sha256: str, fetched: str, services: Sequence[str],
                 reflection: str, data: bytes, file: str) -> None:
        self.endpoint, self.sha256, self.fetched = endpoint, sha256, fetched
        self.services, self.reflection = list(services), reflection
        self.data, self.file = data, file

    def details(self) -> dict[str, str]:
        """`version`'s and the contract's `details`: endpoint, time, sha256, file."""
        return {"endpoint": self.endpoint, "fetched": self.fetched, "sha256": self.sha256,
                "file": self.file}

    def record(self) -> dict[str, Any]:
        """What `contract fetch` prints and the audit log records."""
        return {"endpoint": self.endpoint, "sha256": self.sha256, "fetched": self.fetched,
                "services": self.services, "reflection": self.reflection, "file": self.file}

    def __repr__(self) -> str:
        return f"<Stored contract {self.endpoint} {self.fetched}>"


def lookup(endpoint: str, env: Mapping[str, str] | None = None) -> Stored | None:
    """The contract fetched for `endpoint`, or None. A damaged file is a config error
    naming it (fetch again, or delete it)."""
    if not _paths.is_dir(_paths.text("config", _FOLDER, env=env)):  # folder(env), as text
        return None  # nothing was ever fetched (and `version` imports nothing more)
    import base64
    import binascii
    import json

    from . import _files
    from ._endpoint import parse_endpoint

    path = path_for(endpoint, env)
    text = _files.read_text_or_none(path)
    if text is None:
        return None

    try:
        doc = json.loads(text)
        stored = Stored(str(doc["endpoint"]), str(doc["sha256"]), str(doc["fetched"]),
                        [str(s) for s in doc["services"]], str(doc["reflection"]),
                        base64.b64decode(doc["descriptorSet"], validate=True), str(path))
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise MxGatewayConfigError(
            f"stored contract {path} is damaged: run `mxgw contract fetch` again, or delete "
            "it") from None
    if stored.endpoint != parse_endpoint(endpoint).key:
        raise MxGatewayConfigError(
            f"stored contract {path} belongs to {stored.endpoint}, not "
            f"{parse_endpoint(endpoint).key}: run `mxgw contract fetch` again")
    return stored


def store(endpoint: str, data: bytes, *, services: Sequence[str], reflection: str,
          env: Mapping[str, str] | None = None) -> Stored:
    """Store `data` (a serialized FileDescriptorSet) as `endpoint`'s contract."""
    import base64
    import hashlib
    import json

    from . import _files
    from ._endpoint import parse_endpoint
    from ._timefmt import now_utc

    path = path_for(endpoint, env)
    stored = Stored(parse_endpoint(endpoint).key, hashlib.sha256(data).hexdigest(),
                    now_utc(), sorted(services), reflection, data, str(path))
    doc = {"endpoint": stored.endpoint, "sha256": stored.sha256, "fetched": stored.fetched,
           "services": stored.services, "reflection": reflection,
           "descriptorSet": base64.b64encode(data).decode("ascii")}
    with _files.locked(path):
        _files.write_private(path, json.dumps(doc, indent=2, sort_keys=True) + "\n")
    return stored


# ------------------------------------------------------------------ the choice


def chosen(contract: Contract | str | os.PathLike[str] | None, endpoint: str,
           env: Mapping[str, str] | None = None) -> Contract:
    """The contract a client for `endpoint` speaks, loaded (and checked) now."""
    from ._rpc._contract import Contract

    if isinstance(contract, Contract):
        return contract
    if contract is not None:
        return Contract.load(contract)
    stored = lookup(endpoint, env)
    if stored is None:
        return Contract.builtin()
    return Contract.from_descriptor_set(stored.data, source="fetched",
                                        details=stored.details())


def describe_choice(contract: str | os.PathLike[str] | None, endpoint: str | None,
                    env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What `version` shows of the contract a command would speak, without parsing it
    (protobuf stays unloaded): a file's path and sha256, a fetched one's endpoint and time."""
    if contract is not None:
        return {"source": "file", **read_file(contract)[1]}
    stored = lookup(endpoint, env) if endpoint else None
    if stored is not None:
        return {"source": "fetched", **stored.details()}
    return {"source": "built-in"}
