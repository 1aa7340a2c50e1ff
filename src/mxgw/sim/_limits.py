"""The 16 MiB message limit, refused as the real gateway refuses it.

The gateway is a grpc-dotnet service: when a reply (or one message of a stream) is larger
than its MaxSendMessageSize, grpc-dotnet fails the call while serializing it, with
RESOURCE_EXHAUSTED "Sending message exceeds the maximum configured message size.". It
never trims a reply or fails single items. The simulator answers the same, and notices
while it builds a reply entry by entry, so a reply that cannot be sent is never built whole
(a 100-fold ReadBulk of a 5 MB string would otherwise take gigabytes to refuse).
"""

from __future__ import annotations

import grpc

from ._rpc import RpcError

MAX_MESSAGE_BYTES = 16 * 1024 * 1024  # contract: 16 MiB both ways
TOO_LARGE = "Sending message exceeds the maximum configured message size."


def too_large() -> RpcError:
    return RpcError(grpc.StatusCode.RESOURCE_EXHAUSTED, TOO_LARGE)


def checked(data: bytes) -> bytes:
    """`data`, the serialized message, unless it is over the limit."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise too_large()
    return data


class Budget:
    """The running size of a reply's repeated entries, refused once they pass the limit.

    Counts each entry with its tag and one length byte and leaves out the reply's other
    fields: a lower bound of the reply's size, so it never refuses a reply that fits (the
    serialized reply is checked again as a whole, exactly)."""

    def __init__(self) -> None:
        self.used = 0

    def add(self, size: int) -> None:
        self.used += size + 2
        if self.used > MAX_MESSAGE_BYTES:
            raise too_large()
