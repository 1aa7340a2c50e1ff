"""The one place that maps errors: gRPC status codes and protocol statuses to exceptions.

    with map_errors("open session", session=True):    # grpc.aio.AioRpcError -> MxGateway*
        reply = await stub(request)
    check_reply(contract, reply, "write")              # protocol status, HRESULT, statuses
    check_event(contract, event, "write Pump001.Speed")  # an OnWriteComplete that failed

Nothing else in mxgw turns a gRPC or protocol code into an exception class.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator, Sequence
from typing import Any

import grpc

from .. import _errors
from .._channel import PLAINTEXT_HINT
from .._status import StatusInfo, failures
from . import _names as n
from ._contract import Contract
from ._records import statuses

_GRPC_ERRORS: dict[grpc.StatusCode, type[_errors.MxGatewayError]] = {
    grpc.StatusCode.UNAUTHENTICATED: _errors.MxGatewayAuthenticationError,
    grpc.StatusCode.PERMISSION_DENIED: _errors.MxGatewayAuthorizationError,
    grpc.StatusCode.UNAVAILABLE: _errors.MxGatewayTransportError,
    grpc.StatusCode.DEADLINE_EXCEEDED: _errors.MxGatewayTransportError,
    grpc.StatusCode.CANCELLED: _errors.MxGatewayTransportError,
    grpc.StatusCode.INVALID_ARGUMENT: _errors.MxGatewayCommandError,
    grpc.StatusCode.OUT_OF_RANGE: _errors.MxGatewayCommandError,
    grpc.StatusCode.UNIMPLEMENTED: _errors.MxGatewayCommandError,
    grpc.StatusCode.NOT_FOUND: _errors.MxGatewayCommandError,
    grpc.StatusCode.FAILED_PRECONDITION: _errors.MxGatewayCommandError,
    grpc.StatusCode.ALREADY_EXISTS: _errors.MxGatewaySessionError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: _errors.MxGatewayCommandError,
    grpc.StatusCode.ABORTED: _errors.MxGatewayWorkerError,
}
# On session-scoped calls these name the session: not found, not ready or faulted; too
# many sessions or too many pending commands.
_SESSION_CODES = frozenset({grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION,
                            grpc.StatusCode.RESOURCE_EXHAUSTED})
# RESOURCE_EXHAUSTED texts that mean a message (or its status text) was over a size limit:
# grpc's own ("Received message larger than max", "metadata size exceeds soft limit") and
# grpc-dotnet's ("exceeds the maximum configured message size"). Never a session matter.
_SIZE_MARKERS = ("larger than max", "message size", "metadata size", "message length",
                 "exceeds the maximum")
SIZE_HINT = ("a message over the size limit: ask for less per call (fewer tags in one "
             "bulk or read, a narrower browse), or raise max_message_bytes")
# A gateway's status text is kept to this many characters (it may quote a 16 KB name).
_DETAILS_LIMIT = 500

# Protocol status (the ProtocolStatusCode value without its prefix) -> error class.
_PROTOCOL_ERRORS: dict[str, type[_errors.MxGatewayError]] = {
    "INVALID_REQUEST": _errors.MxGatewayCommandError,
    "PROTOCOL_VIOLATION": _errors.MxGatewayCommandError,
    "CANCELED": _errors.MxGatewayCommandError,
    "SESSION_NOT_FOUND": _errors.MxGatewaySessionError,
    "SESSION_NOT_READY": _errors.MxGatewaySessionError,
    "WORKER_UNAVAILABLE": _errors.MxGatewayWorkerError,
    "TIMEOUT": _errors.MxGatewayWorkerError,
    "MXACCESS_FAILURE": _errors.MxAccessError,
}
_PROTOCOL_PREFIX = n.PROTOCOL_STATUS.prefix

# Codes a resuming event stream may retry; everything else is final.
RETRYABLE_STREAM_CODES = frozenset({"UNAVAILABLE", "ABORTED"})

# A session-scoped call that fails with these can never succeed on that session again: the
# gateway no longer knows it (restarted: NOT_FOUND) or has faulted it (FAILED_PRECONDITION).
_LOST_SESSION_CODES = frozenset({"NOT_FOUND", "FAILED_PRECONDITION"})
_LOST_STATUSES = frozenset(_PROTOCOL_PREFIX + code
                           for code in ("SESSION_NOT_FOUND", "WORKER_UNAVAILABLE"))


def session_lost(error: BaseException) -> bool:
    """True when `error` (from a call or stream of a session) says the session is gone or
    unreachable: the channel or worker is unavailable, the gateway lost or faulted it."""
    if not isinstance(error, _errors.MxGatewayError):
        return False
    if error.grpc_code == "UNAVAILABLE" or error.protocol_status in _LOST_STATUSES:
        return True
    return (isinstance(error, _errors.MxGatewaySessionError)
            and error.grpc_code in _LOST_SESSION_CODES)


def _tls_hint(details: str, endpoint: str) -> str | None:
    low = details.lower()
    if "certificate verify failed" in low or "certificate_verify_failed" in low:
        return (f"the certificate presented by {endpoint} is not trusted; pass the issuing CA "
                "with --ca-file, or omit --ca-file/--require-cert-validation to use "
                "trust-on-first-use")
    if "peer name" in low or "hostname" in low:
        return (f"the certificate presented by {endpoint} does not name that host; "
                "set --server-name-override to a name in its certificate")
    markers = ("wrong_version_number", "wrong version number", "handshake", "ssl", "tls",
               "record", "eof")
    if any(m in low for m in markers):
        return f"TLS handshake with {endpoint} failed: {PLAINTEXT_HINT}"
    return None


def _shorten(details: str) -> str:
    if len(details) <= _DETAILS_LIMIT:
        return details
    return f"{details[:_DETAILS_LIMIT]}... ({len(details) - _DETAILS_LIMIT} more characters)"


@contextlib.contextmanager
def map_errors(
    operation: str, *, session: bool = False, tls: bool = False, endpoint: str = ""
) -> Iterator[None]:
    """Turn a grpc error raised inside the block into the matching MxGatewayError.

    `session=True` marks session-scoped calls, where NOT_FOUND, FAILED_PRECONDITION and
    RESOURCE_EXHAUSTED mean the session is gone, not ready or faulted, or the gateway has
    no room for another session or command. A RESOURCE_EXHAUSTED about a message's size is
    a refused command everywhere. `tls` adds a hint to handshake failures. Text that
    cannot be put into a request (a lone surrogate from undecodable bytes) is an
    MxGatewayConfigError.
    """
    try:
        yield
    except grpc.aio.AioRpcError as exc:
        code = exc.code()
        details = exc.details() or ""
        cls = _GRPC_ERRORS.get(code, _errors.MxGatewayError)
        hint = None
        if code == grpc.StatusCode.RESOURCE_EXHAUSTED and any(
                marker in details.lower() for marker in _SIZE_MARKERS):
            cls, hint = _errors.MxGatewayCommandError, SIZE_HINT
        elif session and code in _SESSION_CODES:
            cls = _errors.MxGatewaySessionError
        elif tls and code == grpc.StatusCode.UNAVAILABLE:
            hint = _tls_hint(details, endpoint)
        message = f"{operation}: {code.name}: {_shorten(details)}" + (
            f" ({hint})" if hint else "")
        # The finished frames of the failed call (grpc's own hold the call object) are
        # cleared: an error kept while its client closes (the CLI reports after its
        # `finally`) kept the call, and with it the channel, alive, so close() waited out
        # the connection watch's bound. The traceback still names every line.
        traceback.clear_frames(exc.__traceback__)
        raise cls(message, grpc_code=code.name) from exc
    except UnicodeEncodeError as exc:
        raise _errors.MxGatewayConfigError(
            f"{operation}: text that cannot be sent as UTF-8 ({exc.reason} at character "
            f"{exc.start}); undecodable bytes in a name or value?") from None


def describe_failure(hresult: int | None, failed: Sequence[StatusInfo]) -> str:
    parts = []
    if hresult:
        parts.append(f"HRESULT 0x{hresult & 0xFFFFFFFF:08X}")
    parts.extend(str(s) for s in failed)
    return "; ".join(parts)


def check_status(contract: Contract, status: n.ProtocolStatus, operation: str, *,
                 hresult: int | None = None, decoded: tuple[StatusInfo, ...] = (),
                 diagnostic: str = "", reply: Any = None, strict: bool = True) -> None:
    """Raise the typed error a reply's protocol status asks for.

    With `strict` (the default, used by every method except `*_raw`), a protocol status
    of OK with a negative HRESULT or a failing status entry raises MxAccessError too.
    Placeholder statuses (UNSPECIFIED, UNKNOWN) never fail.
    """
    code = contract.short_name(n.PROTOCOL_STATUS, status.code)
    failed = failures(decoded)
    if code in ("OK", "UNSPECIFIED"):
        if not strict or not ((hresult is not None and hresult < 0) or failed):
            return
        code = "MXACCESS_FAILURE"
    cls = _PROTOCOL_ERRORS.get(code, _errors.MxGatewayCommandError)
    text = status.message or diagnostic
    detail = describe_failure(hresult, failed)
    message = f"{operation}: {code}" + (f": {text}" if text else "") + (
        f" [{detail}]" if detail else "")
    kwargs: dict[str, Any] = {"protocol_status": _PROTOCOL_PREFIX + code,
                              "hresult": hresult or None}
    if cls is _errors.MxAccessError:
        raise _errors.MxAccessError(message, statuses=failed, reply=reply, **kwargs)
    if issubclass(cls, _errors.MxGatewayCommandError):
        raise cls(message, reply=reply, **kwargs)
    raise cls(message, **kwargs)


def check_reply(contract: Contract, reply: n.MxCommandReply, operation: str, *,
                strict: bool = True) -> n.MxCommandReply:
    """`check_status` for an Invoke reply (its HRESULT, statuses and diagnostic too)."""
    check_status(contract, reply.protocol_status, operation, hresult=reply.hresult,
                 decoded=statuses(contract, reply.statuses),
                 diagnostic=reply.diagnostic_message, reply=reply, strict=strict)
    return reply


def check_event(contract: Contract, event: n.MxEvent, operation: str) -> n.MxEvent:
    """Raise MxAccessError when an event (e.g. OnWriteComplete) reports a failure: a
    negative HRESULT or a failing status entry. Placeholders never fail."""
    hresult = int(event.hresult) if event.HasField("hresult") else None
    failed = failures(statuses(contract, event.statuses))
    if failed or (hresult is not None and hresult < 0):
        raise _errors.MxAccessError(
            f"{operation} failed: {describe_failure(hresult, failed)}", statuses=failed,
            hresult=hresult)
    return event

