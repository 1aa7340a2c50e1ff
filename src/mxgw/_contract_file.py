"""Reading a contract file (a descriptor set): its bytes and the details that name it.

Its own module because both sides need it without each other: `Contract.load` parses the
bytes (protobuf), `mxgw version` names the file by path and sha256 without parsing it
(no protobuf, no grpc), through mxgw._contract_store.
"""

from __future__ import annotations

import os

from ._errors import MxGatewayConfigError


def read_file(path: str | os.PathLike[str]) -> tuple[bytes, dict[str, str]]:
    """A contract file's bytes and its details (path, sha256): what `Contract.load`
    parses and what `version` names without parsing. Unreadable: MxGatewayConfigError."""
    import hashlib

    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        raise MxGatewayConfigError(
            f"contract {os.fspath(path)}: cannot read it ({exc.strerror or exc})") from None
    return data, {"path": os.fspath(path), "sha256": hashlib.sha256(data).hexdigest()}
