"""The `mxaccess_gateway.v1.MxAccessGateway` service over the simulator's state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import grpc

from mxgw._proto import gateway_pb2 as pb

from ._alarms import ACK_OK, AlarmManager
from ._auth import EVENTS_READ, INVOKE_WRITE, SESSION_CLOSE, SESSION_OPEN
from ._calls import Rpc
from ._commands import CommandRunner, command_scope
from ._faults import Faults
from ._options import MAX_LEASE_SECONDS
from ._rpc import RpcError, invalid
from ._sessions import READY, SessionManager
from ._status import E_INVALIDARG
from ._values import utc_now

SERVICE = "mxaccess_gateway.v1.MxAccessGateway"
GATEWAY_PROTOCOL_VERSION = 1
WORKER_PROTOCOL_VERSION = 1
CAPABILITIES = ["bulk", "read-bulk", "write-secured", "alarms", "event-replay"]
_STREAM_BATCH = 512


def _invoke_scope(request: pb.MxCommandRequest) -> str:
    if not request.HasField("command"):
        raise invalid("command is required")
    return command_scope(request.command)


class GatewayServicer:
    def __init__(self, sessions: SessionManager, runner: CommandRunner, alarms: AlarmManager,
                 faults: Faults) -> None:
        self.sessions = sessions
        self.runner = runner
        self.alarms = alarms
        self.faults = faults

    def rpcs(self) -> list[Rpc]:
        return [
            Rpc("OpenSession", self.open_session, pb.OpenSessionRequest, SESSION_OPEN,
                serializer=pb.OpenSessionReply.SerializeToString),
            Rpc("CloseSession", self.close_session, pb.CloseSessionRequest, SESSION_CLOSE,
                serializer=pb.CloseSessionReply.SerializeToString),
            Rpc("Invoke", self.invoke, pb.MxCommandRequest, _invoke_scope,
                serializer=pb.MxCommandReply.SerializeToString, own_latency=True),
            Rpc("StreamEvents", self.stream_events, pb.StreamEventsRequest, EVENTS_READ,
                streaming=True),  # yields prebuilt bytes (see _events)
            Rpc("AcknowledgeAlarm", self.acknowledge_alarm, pb.AcknowledgeAlarmRequest,
                INVOKE_WRITE, serializer=pb.AcknowledgeAlarmReply.SerializeToString),
            Rpc("StreamAlarms", self.stream_alarms, pb.StreamAlarmsRequest, EVENTS_READ,
                streaming=True, serializer=pb.AlarmFeedMessage.SerializeToString),
            Rpc("QueryActiveAlarms", self.query_active_alarms, pb.QueryActiveAlarmsRequest,
                EVENTS_READ, streaming=True,
                serializer=pb.ActiveAlarmSnapshot.SerializeToString),
        ]

    async def open_session(self, request: pb.OpenSessionRequest, context: Any
                           ) -> pb.OpenSessionReply:
        lease = None
        if request.HasField("requested_lease"):
            # Not ToTimedelta(): a peer may send any int64 of seconds (OverflowError).
            asked = request.requested_lease
            lease = asked.seconds + asked.nanos / 1e9
            if lease < 0:
                raise invalid("requested_lease must not be negative")
            # Granted, not refused, as leases go: the reply's lease_expires_at says how long.
            lease = min(lease, MAX_LEASE_SECONDS)
        session = self.sessions.open(request.client_session_name, lease or None)
        reply = pb.OpenSessionReply(
            session_id=session.session_id, backend_name="mxaccess-worker",
            gateway_protocol_version=GATEWAY_PROTOCOL_VERSION,
            worker_protocol_version=WORKER_PROTOCOL_VERSION, capabilities=CAPABILITIES,
            protocol_status=pb.ProtocolStatus(code=pb.PROTOCOL_STATUS_CODE_OK),
        )
        reply.lease_expires_at.FromDatetime(utc_now() + timedelta(seconds=session.lease))
        return reply

    async def close_session(self, request: pb.CloseSessionRequest, context: Any
                            ) -> pb.CloseSessionReply:
        state = self.sessions.close(request.session_id)
        return pb.CloseSessionReply(
            session_id=request.session_id, final_state=state,
            protocol_status=pb.ProtocolStatus(code=pb.PROTOCOL_STATUS_CODE_OK))

    async def invoke(self, request: pb.MxCommandRequest, context: Any) -> pb.MxCommandReply:
        session = self.sessions.get(request.session_id)
        session.require_ready()
        session.touch()
        if session.pending >= self.sessions.options.max_pending_commands:
            raise RpcError(grpc.StatusCode.RESOURCE_EXHAUSTED,
                           f"too many pending commands (limit "
                           f"{self.sessions.options.max_pending_commands})")
        session.pending += 1
        try:
            await self.faults.delay()
            session.require_ready()
            reply = self.runner.run(session, request.command)
        finally:
            session.pending -= 1
        reply.correlation_id = request.client_correlation_id
        return reply

    async def stream_events(self, request: pb.StreamEventsRequest, context: Any
                            ) -> AsyncIterator[bytes]:
        session = self.sessions.get(request.session_id)
        session.require_ready()
        after = request.after_worker_sequence
        if after >= session.next_seq:
            raise invalid(f"after_worker_sequence {after} is beyond the last event "
                          f"({session.next_seq - 1})")
        await session.attach(context)
        try:
            for data in session.replay(after):
                yield data
            while True:
                if session.subscriber is not context:
                    return  # a reconnect took over from this (cancelled) stream
                if session.dropped:
                    raise RpcError(grpc.StatusCode.UNAVAILABLE, "event stream dropped")
                if session.state == pb.SESSION_STATE_FAULTED:  # ends at once, queue or not
                    raise RpcError(session.fault_code, f"session faulted: {session.fault_reason}")
                if session.queue:
                    # Skip what the client says it has (events it got before a reconnect).
                    skip = max(0, after - session.queue_first + 1)
                    batch = session.take(_STREAM_BATCH)
                    for data in batch[skip:] if skip else batch:
                        yield data
                elif session.state != READY:
                    return  # closed: the stream ends normally
                else:
                    session.wakeup.clear()
                    await session.wakeup.wait()
        finally:
            session.detach(context)

    async def acknowledge_alarm(self, request: pb.AcknowledgeAlarmRequest, context: Any
                                ) -> pb.AcknowledgeAlarmReply:
        if not request.alarm_full_reference.strip():
            raise invalid("alarm_full_reference is required")
        status = self.alarms.acknowledge(request.alarm_full_reference, request.comment,
                                         request.operator_user)
        reply = pb.AcknowledgeAlarmReply(native_status=status)
        if status == ACK_OK:
            reply.protocol_status.code = pb.PROTOCOL_STATUS_CODE_OK
        else:
            reply.protocol_status.code = pb.PROTOCOL_STATUS_CODE_MXACCESS_FAILURE
            reply.protocol_status.message = reply.diagnostic_message = (
                f"no active alarm {request.alarm_full_reference!r}")
            reply.hresult = E_INVALIDARG
        return reply

    async def stream_alarms(self, request: pb.StreamAlarmsRequest, context: Any
                            ) -> AsyncIterator[pb.AlarmFeedMessage]:
        queue = self.alarms.subscribe(request.alarm_filter_prefix)
        try:
            while True:
                message = await queue.get()
                if message is None:
                    raise RpcError(grpc.StatusCode.UNAVAILABLE, "alarm feed closed")
                yield message
        finally:
            self.alarms.unsubscribe(queue)

    async def query_active_alarms(self, request: pb.QueryActiveAlarmsRequest, context: Any
                                  ) -> AsyncIterator[pb.ActiveAlarmSnapshot]:
        for snapshot in self.alarms.snapshots(request.alarm_filter_prefix):
            yield snapshot
