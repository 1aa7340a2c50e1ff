"""The one exception the state objects raise to refuse a call with a gRPC status."""

from __future__ import annotations

import grpc


class RpcError(Exception):
    """Refuse the current call with `code`; `details` must never contain a secret."""

    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


def invalid(details: str) -> RpcError:
    return RpcError(grpc.StatusCode.INVALID_ARGUMENT, details)


def not_found(details: str) -> RpcError:
    return RpcError(grpc.StatusCode.NOT_FOUND, details)
