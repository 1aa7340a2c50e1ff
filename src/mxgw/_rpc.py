"""The RPC seam: stub calls, deadlines, metadata, error mapping, and every proto name.

Nothing else in the library names a proto field, an enum value or an rpc: a renamed field
in the gateway's real contract is a one-line change here. The rest of the library talks in
plain Python (handles, tags, rows, `StatusInfo`) and passes messages through opaquely.

Errors are mapped in exactly one place: `map_errors` (gRPC status codes) and
`check_reply` (protocol status codes, HRESULTs and MXAccess statuses).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, cast

from ._channel import PLAINTEXT_HINT, prepare_grpc_environment

prepare_grpc_environment()  # before grpc loads: the resolver is chosen at grpc init

import grpc
from google.protobuf.duration_pb2 import Duration

from . import _errors
from ._proto import galaxy_pb2, galaxy_pb2_grpc, gateway_pb2, gateway_pb2_grpc
from ._status import StatusInfo, failures

pb = gateway_pb2
gpb = galaxy_pb2
# The services the tool calls, by full name (what server reflection lists).
SERVICE_NAMES = tuple(service.full_name for module in (gateway_pb2, galaxy_pb2)
                      for service in module.DESCRIPTOR.services_by_name.values())

# ---------------------------------------------------------------- error mapping

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

# Deadlines of their own for opening and closing a session, whatever the per-call timeout:
# a tiny --timeout must not leave a session open on the gateway (an OpenSession that
# expires after the gateway created the session, a CloseSession cut short).
SESSION_CALL_FLOOR = 5.0
CLOSE_DEADLINE_CAP = 30.0


def close_deadline(timeout: float | None) -> float:
    """CloseSession's deadline: the per-call timeout, at least 5 s and at most 30 s."""
    return min(max(timeout or CLOSE_DEADLINE_CAP, SESSION_CALL_FLOOR), CLOSE_DEADLINE_CAP)


def open_deadline(timeout: float | None) -> float | None:
    """OpenSession's deadline: the per-call timeout, at least 5 s (None stays None)."""
    return None if timeout is None else max(timeout, SESSION_CALL_FLOOR)

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

# Codes a resuming event stream may retry; everything else is final.
RETRYABLE_STREAM_CODES = frozenset({"UNAVAILABLE", "ABORTED"})

# A session-scoped call that fails with these can never succeed on that session again: the
# gateway no longer knows it (restarted: NOT_FOUND) or has faulted it (FAILED_PRECONDITION).
_LOST_SESSION_CODES = frozenset({"NOT_FOUND", "FAILED_PRECONDITION"})
_LOST_STATUSES = frozenset({"PROTOCOL_STATUS_CODE_SESSION_NOT_FOUND",
                            "PROTOCOL_STATUS_CODE_WORKER_UNAVAILABLE"})


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
        raise cls(message, grpc_code=code.name) from exc
    except UnicodeEncodeError as exc:
        raise _errors.MxGatewayConfigError(
            f"{operation}: text that cannot be sent as UTF-8 ({exc.reason} at character "
            f"{exc.start}); undecodable bytes in a name or value?") from None


def _enum_short(enum: Any, number: int, prefix: str) -> str:
    try:
        return str(enum.Name(number)).removeprefix(prefix)
    except ValueError:
        return str(number)


def statuses(proxies: Sequence[Any]) -> tuple[StatusInfo, ...]:
    """Decode repeated MxStatusProxy into StatusInfo records."""
    return tuple(
        StatusInfo.from_parts(
            _enum_short(pb.MxStatusCategory, p.category, "MX_STATUS_CATEGORY_"),
            _enum_short(pb.MxStatusSource, p.detected_by, "MX_STATUS_SOURCE_"),
            p.detail,
            p.diagnostic_text,
        )
        for p in proxies
    )


def describe_failure(hresult: int | None, failed: Sequence[StatusInfo]) -> str:
    parts = []
    if hresult:
        parts.append(f"HRESULT 0x{hresult & 0xFFFFFFFF:08X}")
    parts.extend(str(s) for s in failed)
    return "; ".join(parts)


def check_reply(reply: Any, operation: str, *, strict: bool = True) -> Any:
    """Raise the typed error a reply's protocol status asks for; return the reply.

    With `strict` (the default, used by every method except `*_raw`), a reply whose
    protocol status is OK but carries a negative HRESULT or a failing status entry also
    raises MxAccessError. Placeholder statuses (UNSPECIFIED, UNKNOWN) never fail.
    """
    fields = reply.DESCRIPTOR.fields_by_name
    code = _enum_short(pb.ProtocolStatusCode, reply.protocol_status.code, "PROTOCOL_STATUS_CODE_")
    hresult = reply.hresult if "hresult" in fields else None
    decoded = statuses(reply.statuses) if "statuses" in fields else ()
    failed = failures(decoded)
    diagnostic = reply.diagnostic_message if "diagnostic_message" in fields else ""
    text = reply.protocol_status.message or diagnostic
    if code in ("OK", "UNSPECIFIED"):
        if not strict or not ((hresult is not None and hresult < 0) or failed):
            return reply
        code = "MXACCESS_FAILURE"
    cls = _PROTOCOL_ERRORS.get(code, _errors.MxGatewayCommandError)
    detail = describe_failure(hresult, failed)
    message = f"{operation}: {code}" + (f": {text}" if text else "") + (
        f" [{detail}]" if detail else "")
    kwargs: dict[str, Any] = {"protocol_status": "PROTOCOL_STATUS_CODE_" + code,
                              "hresult": hresult or None}
    if cls is _errors.MxAccessError:
        raise _errors.MxAccessError(message, statuses=failed, reply=reply, **kwargs)
    if issubclass(cls, _errors.MxGatewayCommandError):
        raise cls(message, reply=reply, **kwargs)
    raise cls(message, **kwargs)


def check_event(event: Any, operation: str) -> Any:
    """Raise MxAccessError when an event (e.g. OnWriteComplete) reports a failure: a
    negative HRESULT or a failing status entry. Placeholders never fail."""
    hresult = int(event.hresult) if event.HasField("hresult") else None
    failed = failures(statuses(event.statuses))
    if failed or (hresult is not None and hresult < 0):
        raise _errors.MxAccessError(
            f"{operation} failed: {describe_failure(hresult, failed)}", statuses=failed,
            hresult=hresult)
    return event


# ---------------------------------------------------------------- the stubs


class OpenedSession(NamedTuple):
    session_id: str
    lease_expires_at: datetime | None  # the gateway's clock: None when it sends none


class Rpc:
    """The stubs on one channel, the API-key metadata and the unary deadline."""

    def __init__(
        self,
        channel: grpc.aio.Channel,
        metadata: tuple[tuple[str, str], ...],
        timeout: float | None,
        *,
        tls: bool,
        endpoint: str,
    ) -> None:
        # The generated stubs carry no annotations.
        stub: Any = gateway_pb2_grpc.MxAccessGatewayStub
        self._gateway = stub(channel)
        stub = galaxy_pb2_grpc.GalaxyRepositoryStub
        self._galaxy = stub(channel)
        self._metadata = metadata  # holds the API key: never printed
        self.timeout = timeout
        self._tls = tls
        self._endpoint = endpoint

    def __repr__(self) -> str:
        return f"<Rpc {self._endpoint}>"

    def errors(self, operation: str, *,
               session: bool = False) -> contextlib.AbstractContextManager[None]:
        return map_errors(operation, session=session, tls=self._tls, endpoint=self._endpoint)

    async def _unary(self, method: Any, request: Any, operation: str, *, session: bool,
                     timeout: float | None = None) -> Any:
        deadline = self.timeout if timeout is None else timeout
        with self.errors(operation, session=session):
            return await method(request, metadata=self._metadata, timeout=deadline)

    def _stream(self, method: Any, request: Any, timeout: float | None = None) -> Any:
        """A server stream; `timeout` for streams that end by themselves, none for those
        that run until cancelled (keepalive pings watch their connection)."""
        return method(request, metadata=self._metadata, timeout=timeout)

    # gateway
    async def open_session(self, name: str, version: str, lease: float | None
                           ) -> OpenedSession:
        with self.errors("open session"):
            request = pb.OpenSessionRequest(client_session_name=name, client_version=version)
        if lease is not None:
            request.requested_lease.CopyFrom(Duration(seconds=int(lease)))
        reply = await self._unary(self._gateway.OpenSession, request, "open session",
                                  session=True, timeout=open_deadline(self.timeout))
        check_reply(reply, "open session")
        return OpenedSession(str(reply.session_id), timestamp(reply, "lease_expires_at"))

    async def close_session(self, session_id: str, reason: str) -> str:
        operation = f"close session {session_id}"
        with self.errors(operation):
            request = pb.CloseSessionRequest(session_id=session_id, reason=reason)
        reply = await self._unary(self._gateway.CloseSession, request, operation,
                                  session=True, timeout=close_deadline(self.timeout))
        check_reply(reply, operation)
        return _enum_short(pb.SessionState, reply.final_state, "SESSION_STATE_")

    async def invoke(self, request: Any, operation: str, *, strict: bool,
                     timeout: float | None = None) -> Any:
        reply = await self._unary(self._gateway.Invoke, request, operation, session=True,
                                  timeout=timeout)
        return check_reply(reply, operation, strict=strict)

    def stream_events(self, session_id: str, after_sequence: int) -> Any:
        with self.errors("stream events"):
            request = pb.StreamEventsRequest(session_id=session_id,
                                             after_worker_sequence=after_sequence)
        return self._stream(self._gateway.StreamEvents, request)

    async def acknowledge_alarm(self, reference: str, comment: str, operator: str, node: str,
                                domain: str, full_name: str) -> int:
        with self.errors("acknowledge alarm"):
            request = pb.AcknowledgeAlarmRequest(
                alarm_full_reference=reference, comment=comment, operator_user=operator,
                operator_node=node, operator_domain=domain, operator_full_name=full_name)
        reply = await self._unary(self._gateway.AcknowledgeAlarm, request, "acknowledge alarm",
                                  session=False)
        check_reply(reply, "acknowledge alarm")
        return int(reply.native_status)

    def stream_alarms(self, prefix: str) -> Any:
        with self.errors("stream alarms"):
            request = pb.StreamAlarmsRequest(alarm_filter_prefix=prefix)
        return self._stream(self._gateway.StreamAlarms, request)

    def query_active_alarms(self, prefix: str) -> Any:
        # Ends by itself after the last active alarm, so it carries the call deadline.
        with self.errors("query active alarms"):
            request = pb.QueryActiveAlarmsRequest(alarm_filter_prefix=prefix)
        return self._stream(self._gateway.QueryActiveAlarms, request, self.timeout)

    # galaxy
    async def galaxy_test_connection(self) -> tuple[bool, str]:
        reply = await self._unary(self._galaxy.TestConnection, gpb.TestConnectionRequest(),
                                  "galaxy test connection", session=False)
        return bool(reply.ok), str(reply.message)

    async def galaxy_last_deploy(self) -> tuple[datetime | None, str]:
        reply = await self._unary(self._galaxy.GetLastDeployTime, gpb.GetLastDeployTimeRequest(),
                                  "galaxy last deploy time", session=False)
        return timestamp(reply, "time_of_last_deploy"), str(reply.cache_state)

    async def galaxy_discover(self, page_size: int, page_token: str, root: RootSpec,
                              filters: GalaxyFilters, max_depth: int | None
                              ) -> tuple[list[Any], str, int]:
        operation = "galaxy discover hierarchy"
        with self.errors(operation):
            request = gpb.DiscoverHierarchyRequest(page_size=page_size, page_token=page_token)
            if root.kind is not None:
                setattr(request, f"root_{_ROOT_FIELDS[root.kind]}", root.value)
            if max_depth is not None:
                request.max_depth.value = max_depth
            _apply_filters(request, filters)
        reply = await self._unary(self._galaxy.DiscoverHierarchy, request, operation,
                                  session=False)
        return list(reply.objects), str(reply.next_page_token), int(reply.total_object_count)

    async def galaxy_browse(self, page_size: int, page_token: str, parent: RootSpec,
                            filters: GalaxyFilters) -> tuple[list[tuple[Any, bool]], str]:
        operation = "galaxy browse children"
        with self.errors(operation):
            request = gpb.BrowseChildrenRequest(page_size=page_size, page_token=page_token)
            if parent.kind is not None:
                setattr(request, f"parent_{_ROOT_FIELDS[parent.kind]}", parent.value)
            _apply_filters(request, filters)
        reply = await self._unary(self._galaxy.BrowseChildren, request, operation,
                                  session=False)
        flags = list(reply.child_has_children) + [False] * len(reply.children)
        return list(zip(reply.children, flags)), str(reply.next_page_token)

    def galaxy_watch(self) -> Any:
        return self._stream(self._galaxy.WatchDeployEvents, gpb.WatchDeployEventsRequest())


# ---------------------------------------------------------------- galaxy helpers


class RootSpec(NamedTuple):
    kind: str | None  # "id", "tag_name", "contained_path" or None (whole galaxy)
    value: int | str | None


class GalaxyFilters(NamedTuple):
    category_ids: Sequence[int] = ()
    template_chain_contains: Sequence[str] = ()
    tag_name_glob: str = ""
    include_attributes: bool | None = None
    alarm_bearing_only: bool = False
    historized_only: bool = False


_ROOT_FIELDS = {"id": "gobject_id", "tag_name": "tag_name", "contained_path": "contained_path"}


def _apply_filters(request: Any, f: GalaxyFilters) -> None:
    request.category_ids.extend(f.category_ids)
    request.template_chain_contains.extend(f.template_chain_contains)
    request.tag_name_glob = f.tag_name_glob
    if f.include_attributes is not None:
        request.include_attributes = f.include_attributes
    request.alarm_bearing_only = f.alarm_bearing_only
    request.historized_only = f.historized_only


def deploy_event_parts(event: Any) -> tuple[int, datetime | None, datetime | None]:
    return (int(event.sequence), timestamp(event, "time_of_last_deploy"),
            timestamp(event, "observed_at"))


def alarm_feed_kind(message: Any) -> str:
    """"active_alarm", "snapshot_complete", "transition" or "provider_status"."""
    return str(message.WhichOneof("payload") or "")


class ProviderStatus(NamedTuple):
    mode: str  # "ALARMMGR", "SUBTAG" or "UNSPECIFIED"
    degraded: bool
    reason: str
    since: datetime | None


def provider_status(message: Any) -> ProviderStatus | None:
    """The alarm provider's status in an AlarmFeedMessage; None for the other members."""
    if alarm_feed_kind(message) != "provider_status":
        return None
    status = message.provider_status
    return ProviderStatus(_enum_short(pb.AlarmProviderMode, status.mode, "ALARM_PROVIDER_MODE_"),
                          bool(status.degraded), str(status.reason), timestamp(status, "since"))


# ---------------------------------------------------------------- commands

# op -> (MxCommandKind suffix, payload member, payload fields in positional order)
_COMMANDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "register": ("REGISTER", "register_command", ("client_name",)),
    "unregister": ("UNREGISTER", "unregister_command", ("server_handle",)),
    "add_item": ("ADD_ITEM", "add_item_command", ("server_handle", "tag_address")),
    "add_item2": ("ADD_ITEM2", "add_item2_command",
                  ("server_handle", "tag_address", "item_context")),
    "remove_item": ("REMOVE_ITEM", "remove_item_command", ("server_handle", "item_handle")),
    "advise": ("ADVISE", "advise_command", ("server_handle", "item_handle")),
    "advise_supervisory": ("ADVISE_SUPERVISORY", "advise_supervisory_command",
                           ("server_handle", "item_handle")),
    "unadvise": ("UN_ADVISE", "un_advise_command", ("server_handle", "item_handle")),
    "write": ("WRITE", "write_command", ("server_handle", "item_handle", "value", "user_id")),
    "write2": ("WRITE2", "write2_command",
               ("server_handle", "item_handle", "value", "timestamp_value", "user_id")),
    "write_secured": ("WRITE_SECURED", "write_secured_command",
                      ("server_handle", "item_handle", "value", "current_user_id",
                       "verifier_user_id")),
    "write_secured2": ("WRITE_SECURED2", "write_secured2_command",
                       ("server_handle", "item_handle", "value", "current_user_id",
                        "verifier_user_id", "timestamp_value")),
    "authenticate_user": ("AUTHENTICATE_USER", "authenticate_user_command",
                          ("server_handle", "user_name", "password")),
    "drain_events": ("DRAIN_EVENTS", "drain_events_command", ("max_events",)),
    "add_item_bulk": ("ADD_ITEM_BULK", "add_item_bulk_command",
                      ("server_handle", "tag_addresses")),
    "subscribe_bulk": ("SUBSCRIBE_BULK", "subscribe_bulk_command",
                       ("server_handle", "tag_addresses")),
    "read_bulk": ("READ_BULK", "read_bulk_command",
                  ("server_handle", "tag_addresses", "timeout_ms")),
    "advise_item_bulk": ("ADVISE_ITEM_BULK", "advise_item_bulk_command",
                         ("server_handle", "item_handles")),
    "remove_item_bulk": ("REMOVE_ITEM_BULK", "remove_item_bulk_command",
                         ("server_handle", "item_handles")),
    "unadvise_item_bulk": ("UN_ADVISE_ITEM_BULK", "un_advise_item_bulk_command",
                           ("server_handle", "item_handles")),
    "unsubscribe_bulk": ("UNSUBSCRIBE_BULK", "unsubscribe_bulk_command",
                         ("server_handle", "item_handles")),
    "write_bulk": ("WRITE_BULK", "write_bulk_command", ("server_handle", "entries")),
    "write2_bulk": ("WRITE2_BULK", "write2_bulk_command", ("server_handle", "entries")),
    "write_secured_bulk": ("WRITE_SECURED_BULK", "write_secured_bulk_command",
                           ("server_handle", "entries")),
    "write_secured2_bulk": ("WRITE_SECURED2_BULK", "write_secured2_bulk_command",
                            ("server_handle", "entries")),
}

# Bulk write entry fields, in the order the session passes them.
_ENTRIES: dict[str, tuple[str, ...]] = {
    "write_bulk": ("item_handle", "value", "user_id"),
    "write2_bulk": ("item_handle", "value", "timestamp_value", "user_id"),
    "write_secured_bulk": ("item_handle", "value", "current_user_id", "verifier_user_id"),
    "write_secured2_bulk": ("item_handle", "value", "timestamp_value", "current_user_id",
                            "verifier_user_id"),
}

# Command kinds a read-only client refuses.
_WRITE_KINDS = frozenset({
    "WRITE", "WRITE2", "WRITE_SECURED", "WRITE_SECURED2", "WRITE_BULK", "WRITE2_BULK",
    "WRITE_SECURED_BULK", "WRITE_SECURED2_BULK", "ACKNOWLEDGE_ALARM",
    "ACKNOWLEDGE_ALARM_BY_NAME",
})


def _fill(message: Any, names: Sequence[str], values: Sequence[Any]) -> None:
    for name, value in zip(names, values, strict=True):
        target = getattr(message, name)
        if isinstance(value, list):
            target.extend(value)
        elif hasattr(target, "CopyFrom"):
            target.CopyFrom(value)
        else:
            setattr(message, name, value)


def command(session_id: str, op: str, *args: Any) -> Any:
    """Build the MxCommandRequest for `op` ("add_item", "write_bulk", ...).

    Bulk write entries are tuples in the order of `_ENTRIES[op]`.
    """
    kind, member, names = _COMMANDS[op]
    with map_errors(op.replace("_", " ")):
        request = pb.MxCommandRequest(session_id=session_id)
        request.command.kind = cast(Any, pb.MxCommandKind.Value("MX_COMMAND_KIND_" + kind))
        payload = getattr(request.command, member)
        payload.SetInParent()
        if op in _ENTRIES:
            server_handle, rows = args
            payload.server_handle = server_handle
            for row in rows:
                _fill(payload.entries.add(), _ENTRIES[op], row)
        else:
            _fill(payload, names, args)
    return request


def command_kind(request: Any) -> str:
    return _enum_short(pb.MxCommandKind, request.command.kind, "MX_COMMAND_KIND_")


def is_write(request: Any) -> bool:
    return command_kind(request) in _WRITE_KINDS


def request_session_id(request: Any) -> str:
    return str(request.session_id)


def set_request_session_id(request: Any, session_id: str) -> None:
    request.session_id = session_id


_SCALARS = {"register": ("register", "server_handle"), "add_item": ("add_item", "item_handle"),
            "add_item2": ("add_item2", "item_handle"),
            "authenticate_user": ("authenticate_user", "user_id")}


def reply_scalar(reply: Any, op: str) -> int:
    member, name = _SCALARS[op]
    return int(getattr(getattr(reply, member), name))


def drained_events(reply: Any) -> list[Any]:
    return list(reply.drain_events.events)


class SubscribeRow(NamedTuple):
    server_handle: int
    tag: str
    item_handle: int
    ok: bool
    error: str


class Sample(NamedTuple):
    value: Any  # MxValue message
    quality: int
    timestamp: datetime | None
    statuses: tuple[StatusInfo, ...]


class ReadRow(NamedTuple):
    server_handle: int
    tag: str
    item_handle: int
    ok: bool
    error: str
    cached: bool
    sample: Sample


class WriteRow(NamedTuple):
    server_handle: int
    item_handle: int
    ok: bool
    error: str
    hresult: int
    statuses: tuple[StatusInfo, ...]


def subscribe_rows(reply: Any) -> list[SubscribeRow]:
    return [SubscribeRow(r.server_handle, r.tag_address, r.item_handle, r.was_successful,
                         r.error_message) for r in reply.bulk_subscribe.results]


def read_rows(reply: Any) -> list[ReadRow]:
    return [ReadRow(r.server_handle, r.tag_address, r.item_handle, r.was_successful,
                    r.error_message, r.was_cached, sample(r)) for r in reply.bulk_read.results]


def write_rows(reply: Any) -> list[WriteRow]:
    return [WriteRow(r.server_handle, r.item_handle, r.was_successful, r.error_message,
                     r.hresult, statuses(r.statuses)) for r in reply.bulk_write.results]


# ---------------------------------------------------------------- events


class EventInfo(NamedTuple):
    sequence: int
    family: str  # "ON_DATA_CHANGE", "ON_WRITE_COMPLETE", ..., "UNSPECIFIED"
    server_handle: int
    item_handle: int
    hresult: int | None
    replay_gap: tuple[int, int] | None  # (requested_after_sequence, oldest_available_sequence)


def event_info(event: Any) -> EventInfo:
    gap = None
    if event.HasField("replay_gap"):
        gap = (int(event.replay_gap.requested_after_sequence),
               int(event.replay_gap.oldest_available_sequence))
    return EventInfo(
        int(event.worker_sequence),
        _enum_short(pb.MxEventFamily, event.family, "MX_EVENT_FAMILY_"),
        int(event.server_handle), int(event.item_handle),
        int(event.hresult) if event.HasField("hresult") else None, gap)


def sample(message: Any) -> Sample:
    """Value, quality, source timestamp and statuses of an MxEvent or a BulkReadResult."""
    return Sample(message.value, int(message.quality), timestamp(message, "source_timestamp"),
                  statuses(message.statuses))


def timestamp(message: Any, name: str) -> datetime | None:
    if not message.HasField(name):
        return None
    return getattr(message, name).ToDatetime(tzinfo=UTC)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- values

_VALUE_FIELDS = {"bool": "bool_value", "int32": "int32_value", "int64": "int64_value",
                 "float": "float_value", "double": "double_value", "string": "string_value",
                 "time": "time_value", "elapsed": "elapsed_value", "array": "array_value",
                 "raw": "raw_value"}
_VALUE_KINDS = {v: k for k, v in _VALUE_FIELDS.items()}


def make_value(kind: str | None, payload: Any, data_type: str, variant: str) -> Any:
    """An MxValue. For "array" the payload is (element data type, element variant, [MxValue]).

    A payload protobuf cannot hold (a time or elapsed time out of its range, a string
    with a lone surrogate) raises MxGatewayConfigError."""
    number: Any = pb.MxDataType.Value("MX_DATA_TYPE_" + data_type)
    mx = pb.MxValue(data_type=number, variant_type=variant, raw_data_type=number - 2)
    try:
        if kind is None:
            mx.is_null = True
        elif kind == "time":
            mx.time_value.FromDatetime(payload)
        elif kind == "elapsed":
            mx.elapsed_value.FromTimedelta(payload)
        elif kind == "array":
            element_type, element_variant, values = payload
            mx.array_value.element_data_type = cast(
                Any, pb.MxDataType.Value("MX_DATA_TYPE_" + element_type))
            mx.array_value.element_variant_type = element_variant
            mx.array_value.values.extend(values)
        else:
            setattr(mx, _VALUE_FIELDS[kind], payload)
    except (ValueError, OverflowError) as exc:  # UnicodeEncodeError is a ValueError
        raise _errors.MxGatewayConfigError(f"the value cannot be sent: {exc}") from None
    return mx


def value_parts(mx: Any) -> tuple[str | None, Any, str, bool]:
    """(kind, payload, data type name, is_null) of an MxValue; array payload is [MxValue]."""
    member = mx.WhichOneof("value")
    kind = _VALUE_KINDS.get(member) if member else None
    data_type = _enum_short(pb.MxDataType, mx.data_type, "MX_DATA_TYPE_")
    payload: Any = None
    if kind == "time":
        payload = mx.time_value.ToDatetime(tzinfo=UTC)
    elif kind == "elapsed":
        payload = timedelta(seconds=mx.elapsed_value.seconds,
                            microseconds=mx.elapsed_value.nanos // 1000)
    elif kind == "array":
        payload = list(mx.array_value.values)
    elif kind is not None:
        payload = getattr(mx, member)
    return kind, payload, data_type, bool(mx.is_null)
