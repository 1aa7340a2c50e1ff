"""MXAccess command semantics for `Invoke`: one method per command kind.

A command either refuses the call (RpcError: malformed request), fails as MXAccess does
(a reply with MXACCESS_FAILURE, an HRESULT and statuses), or succeeds. Bulk commands run
their items in input order and report failures per item.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._alarms import AlarmManager
from ._auth import EVENTS_READ, INVOKE_READ, INVOKE_SECURE, INVOKE_WRITE
from ._events import WRITE_COMPLETE
from ._galaxy import parse_address
from ._limits import Budget
from ._reads import read_bulk
from ._rpc import invalid
from ._sessions import Item, Server, Session
from ._status import E_ACCESSDENIED, E_INVALIDARG
from ._users import Users
from ._writes import WriteRequest, check_write

if TYPE_CHECKING:
    from mxgw._proto import gateway_pb2 as pb

    from ._wire import Wire

# Command kind (MxCommandKind without its prefix) -> (payload field, scope). Kinds not
# listed need `admin` (fail closed).
COMMANDS: dict[str, tuple[str, str]] = {
    "REGISTER": ("register_command", INVOKE_READ),
    "UNREGISTER": ("unregister_command", INVOKE_READ),
    "ADD_ITEM": ("add_item_command", INVOKE_READ),
    "ADD_ITEM2": ("add_item2_command", INVOKE_READ),
    "REMOVE_ITEM": ("remove_item_command", INVOKE_READ),
    "ADVISE": ("advise_command", INVOKE_READ),
    "ADVISE_SUPERVISORY": ("advise_supervisory_command", INVOKE_READ),
    "UN_ADVISE": ("un_advise_command", INVOKE_READ),
    "WRITE": ("write_command", INVOKE_WRITE),
    "WRITE2": ("write2_command", INVOKE_WRITE),
    "WRITE_SECURED": ("write_secured_command", INVOKE_SECURE),
    "WRITE_SECURED2": ("write_secured2_command", INVOKE_SECURE),
    "AUTHENTICATE_USER": ("authenticate_user_command", INVOKE_SECURE),
    "ARCHESTRA_USER_TO_ID": ("archestra_user_to_id_command", INVOKE_SECURE),
    "SUSPEND": ("suspend_command", INVOKE_READ),
    "ACTIVATE": ("activate_command", INVOKE_READ),
    "DRAIN_EVENTS": ("drain_events_command", EVENTS_READ),
    "ADD_ITEM_BULK": ("add_item_bulk_command", INVOKE_READ),
    "ADVISE_ITEM_BULK": ("advise_item_bulk_command", INVOKE_READ),
    "REMOVE_ITEM_BULK": ("remove_item_bulk_command", INVOKE_READ),
    "UN_ADVISE_ITEM_BULK": ("un_advise_item_bulk_command", INVOKE_READ),
    "SUBSCRIBE_BULK": ("subscribe_bulk_command", INVOKE_READ),
    "UNSUBSCRIBE_BULK": ("unsubscribe_bulk_command", INVOKE_READ),
    "SUBSCRIBE_ALARMS": ("subscribe_alarms_command", EVENTS_READ),
    "UNSUBSCRIBE_ALARMS": ("unsubscribe_alarms_command", EVENTS_READ),
    "ACKNOWLEDGE_ALARM": ("acknowledge_alarm_command", INVOKE_WRITE),
    "QUERY_ACTIVE_ALARMS": ("query_active_alarms_command", EVENTS_READ),
    "ACKNOWLEDGE_ALARM_BY_NAME": ("acknowledge_alarm_by_name_command", INVOKE_WRITE),
    "READ_BULK": ("read_bulk_command", INVOKE_READ),
    "WRITE_BULK": ("write_bulk_command", INVOKE_WRITE),
    "WRITE2_BULK": ("write2_bulk_command", INVOKE_WRITE),
    "WRITE_SECURED_BULK": ("write_secured_bulk_command", INVOKE_SECURE),
    "WRITE_SECURED2_BULK": ("write_secured2_bulk_command", INVOKE_SECURE),
}


class _Failure(Exception):
    """An MXAccess failure of one command or one bulk item (never leaves this module)."""

    def __init__(self, message: str, hresult: int = E_INVALIDARG) -> None:
        super().__init__(message)
        self.hresult = hresult


class CommandRunner:
    """Runs commands against one session's state."""

    def __init__(self, users: Users, alarms: AlarmManager, wire: Wire) -> None:
        self.users = users
        self.alarms = alarms
        self._pb = wire.pb
        self._status = wire.status
        kinds = wire.pb.MxCommandKind
        # The contract's kind numbers -> (kind name, payload field, scope).
        self._kinds = {kinds.Value(f"MX_COMMAND_KIND_{name}"): (name, *entry)
                       for name, entry in COMMANDS.items()}

    def scope(self, command: pb.MxCommand) -> str:
        """The scope a command needs; a kind that does not match its payload is
        malformed."""
        entry = self._kinds.get(command.kind)
        if entry is None:
            raise invalid(f"unsupported command kind {command.kind}")
        name, field, scope = entry
        if command.WhichOneof("payload") != field:
            raise invalid(f"command kind MX_COMMAND_KIND_{name} needs payload {field}")
        return scope

    def run(self, session: Session, command: pb.MxCommand) -> pb.MxCommandReply:
        field = self._kinds[command.kind][1]
        payload = getattr(command, field)
        reply = self._pb.MxCommandReply(session_id=session.session_id, kind=command.kind)
        handler: Callable[[Session, Any, pb.MxCommandReply], None] = getattr(
            self, "_" + field.removesuffix("_command"))
        try:
            handler(session, payload, reply)
        except _Failure as failure:  # the payload keeps what the command filled (native_status)
            return self._status.mx_failure(reply, failure.hresult, str(failure))
        return self._status.ok(reply)

    # -- lookups
    @staticmethod
    def _server(session: Session, handle: int) -> Server:
        server = session.server(handle)
        if server is None:
            raise _Failure(f"unknown server handle {handle}")
        return server

    @staticmethod
    def _item(session: Session, server_handle: int, item_handle: int) -> Item:
        item = session.item(server_handle, item_handle)
        if item is None:
            raise _Failure(f"unknown item handle {item_handle} on server {server_handle}")
        return item

    def _add(self, session: Session, server_handle: int, tag: str, context: str = "") -> Item:
        server = self._server(session, server_handle)
        address = parse_address(tag)
        if address is None:
            raise _Failure(f"invalid tag address syntax: {tag!r}")
        return session.add_item(server, address, context)

    # -- single-item commands
    def _register(self, s: Session, p: pb.RegisterCommand, r: pb.MxCommandReply) -> None:
        r.register.server_handle = s.register(p.client_name)

    def _unregister(self, s: Session, p: pb.UnregisterCommand, r: pb.MxCommandReply) -> None:
        self._server(s, p.server_handle)
        s.unregister(p.server_handle)

    def _add_item(self, s: Session, p: pb.AddItemCommand, r: pb.MxCommandReply) -> None:
        r.add_item.item_handle = self._add(s, p.server_handle, p.tag_address).handle

    def _add_item2(self, s: Session, p: pb.AddItem2Command, r: pb.MxCommandReply) -> None:
        item = self._add(s, p.server_handle, p.tag_address, p.item_context)
        r.add_item2.item_handle = item.handle

    def _remove_item(self, s: Session, p: pb.RemoveItemCommand, r: pb.MxCommandReply) -> None:
        s.remove_item(self._item(s, p.server_handle, p.item_handle))

    def _advise(self, s: Session, p: pb.AdviseCommand, r: pb.MxCommandReply) -> None:
        s.advise(self._item(s, p.server_handle, p.item_handle))

    def _advise_supervisory(self, s: Session, p: pb.AdviseSupervisoryCommand,
                            r: pb.MxCommandReply) -> None:
        s.advise(self._item(s, p.server_handle, p.item_handle), supervisory=True)

    def _un_advise(self, s: Session, p: pb.UnAdviseCommand, r: pb.MxCommandReply) -> None:
        s.unadvise(self._item(s, p.server_handle, p.item_handle))

    def _suspend(self, s: Session, p: pb.SuspendCommand, r: pb.MxCommandReply) -> None:
        self._item(s, p.server_handle, p.item_handle).suspended = True
        r.suspend.status.CopyFrom(self._status.ok_status())

    def _activate(self, s: Session, p: pb.ActivateCommand, r: pb.MxCommandReply) -> None:
        item = self._item(s, p.server_handle, p.item_handle)
        if item.suspended:
            item.suspended = False
            if item.advised:
                s.push_data_change(item)
        r.activate.status.CopyFrom(self._status.ok_status())

    def _drain_events(self, s: Session, p: pb.DrainEventsCommand, r: pb.MxCommandReply) -> None:
        if p.max_events < 0:
            raise invalid("max_events must be >= 0")
        events = s.take(p.max_events, Budget())
        r.drain_events.events.extend(s.events.decode(e) for e in events)

    # -- writes and users
    def _write_one(self, s: Session, server_handle: int, req: WriteRequest) -> None:
        """Accept a write at once (or fail with E_INVALIDARG); its outcome comes later."""
        self._server(s, server_handle)
        item = s.item(server_handle, req.item_handle)
        if item is None or not item.advised:
            raise _Failure(f"item {req.item_handle} is not advised")
        asyncio.get_running_loop().call_soon(self._complete_write, s, item, req)

    def _complete_write(self, s: Session, item: Item, req: WriteRequest) -> None:
        status, apply = check_write(item, req, self.users, s)
        s.push(WRITE_COMPLETE, item.handle_bytes + s.events.write_complete_fragment(status, 0))
        if apply is not None:
            apply()

    def _write(self, s: Session, p: pb.WriteCommand, r: pb.MxCommandReply) -> None:
        self._write_one(s, p.server_handle, WriteRequest(p.item_handle, p.value))

    def _write2(self, s: Session, p: pb.Write2Command, r: pb.MxCommandReply) -> None:
        self._write_one(s, p.server_handle,
                        WriteRequest(p.item_handle, p.value, timestamp=p.timestamp_value))

    def _write_secured(self, s: Session, p: pb.WriteSecuredCommand, r: pb.MxCommandReply
                       ) -> None:
        self._write_one(s, p.server_handle, WriteRequest(
            p.item_handle, p.value, True, p.current_user_id, p.verifier_user_id))

    def _write_secured2(self, s: Session, p: pb.WriteSecured2Command, r: pb.MxCommandReply
                        ) -> None:
        self._write_one(s, p.server_handle, WriteRequest(
            p.item_handle, p.value, True, p.current_user_id, p.verifier_user_id,
            p.timestamp_value))

    def _authenticate_user(self, s: Session, p: pb.AuthenticateUserCommand,
                           r: pb.MxCommandReply) -> None:
        self._server(s, p.server_handle)
        user_id = self.users.authenticate(p.user_name, p.password)
        if user_id is None:
            raise _Failure("authentication failed", hresult=E_ACCESSDENIED)
        s.users[user_id] = p.user_name
        r.authenticate_user.user_id = user_id

    def _archestra_user_to_id(self, s: Session, p: pb.ArchestraUserToIdCommand,
                              r: pb.MxCommandReply) -> None:
        self._server(s, p.server_handle)
        user_id = self.users.by_guid(p.user_id_guid)
        if user_id is None:
            raise _Failure(f"unknown user GUID {p.user_id_guid!r}")
        r.archestra_user_to_id.user_id = user_id

    # -- alarms through the session
    def _subscribe_alarms(self, s: Session, p: pb.SubscribeAlarmsCommand,
                          r: pb.MxCommandReply) -> None:
        s.alarm_filter = p.subscription_expression

    def _unsubscribe_alarms(self, s: Session, p: pb.UnsubscribeAlarmsCommand,
                            r: pb.MxCommandReply) -> None:
        s.alarm_filter = None

    def _acknowledge_alarm(self, s: Session, p: pb.AcknowledgeAlarmCommand,
                           r: pb.MxCommandReply) -> None:
        self._ack(p.alarm_guid, p, r)

    def _acknowledge_alarm_by_name(self, s: Session, p: pb.AcknowledgeAlarmByNameCommand,
                                   r: pb.MxCommandReply) -> None:
        self._ack(f"{p.provider_name}!{p.group_name}.{p.alarm_name}", p, r)

    def _ack(self, reference: str, p: Any, r: pb.MxCommandReply) -> None:
        status = self.alarms.acknowledge(reference, p.comment, p.operator_user)
        r.acknowledge_alarm.native_status = status
        if status != 0:
            raise _Failure(f"no active alarm {reference!r}")

    def _query_active_alarms(self, s: Session, p: pb.QueryActiveAlarmsCommand,
                             r: pb.MxCommandReply) -> None:
        r.query_active_alarms.snapshots.extend(self.alarms.snapshots(p.alarm_filter_prefix))

    # -- bulk commands (in input order, failures per item)
    def _results(self, s: Session, server_handle: int, keys: list[Any],
                 one: Callable[[Any], Item]) -> pb.BulkSubscribeReply:
        reply = self._pb.BulkSubscribeReply()
        self._server(s, server_handle)
        for key in keys:
            result = reply.results.add(server_handle=server_handle)
            try:
                item = one(key)
                result.item_handle, result.tag_address = item.handle, item.address.text
                result.was_successful = True
            except _Failure as failure:
                result.error_message = str(failure)
                if isinstance(key, str):
                    result.tag_address = key
                else:
                    result.item_handle = key
        return reply

    def _add_item_bulk(self, s: Session, p: pb.AddItemBulkCommand, r: pb.MxCommandReply) -> None:
        r.bulk_subscribe.CopyFrom(self._results(
            s, p.server_handle, list(p.tag_addresses),
            lambda tag: self._add(s, p.server_handle, tag)))

    def _subscribe_bulk(self, s: Session, p: pb.SubscribeBulkCommand, r: pb.MxCommandReply
                        ) -> None:
        def one(tag: str) -> Item:
            item = self._add(s, p.server_handle, tag)
            s.advise(item)
            return item
        r.bulk_subscribe.CopyFrom(self._results(s, p.server_handle, list(p.tag_addresses), one))

    def _handle_bulk(self, s: Session, p: Any, r: pb.MxCommandReply,
                     action: Callable[[Item], None]) -> None:
        def one(handle: int) -> Item:
            item = self._item(s, p.server_handle, handle)
            action(item)
            return item
        r.bulk_subscribe.CopyFrom(self._results(s, p.server_handle, list(p.item_handles), one))

    def _advise_item_bulk(self, s: Session, p: pb.AdviseItemBulkCommand, r: pb.MxCommandReply
                          ) -> None:
        self._handle_bulk(s, p, r, s.advise)

    def _un_advise_item_bulk(self, s: Session, p: pb.UnAdviseItemBulkCommand,
                             r: pb.MxCommandReply) -> None:
        self._handle_bulk(s, p, r, s.unadvise)

    def _remove_item_bulk(self, s: Session, p: pb.RemoveItemBulkCommand, r: pb.MxCommandReply
                          ) -> None:
        self._handle_bulk(s, p, r, s.remove_item)

    def _unsubscribe_bulk(self, s: Session, p: pb.UnsubscribeBulkCommand, r: pb.MxCommandReply
                          ) -> None:
        self._handle_bulk(s, p, r, s.remove_item)  # unadvise, then remove

    def _read_bulk(self, s: Session, p: pb.ReadBulkCommand, r: pb.MxCommandReply) -> None:
        if p.timeout_ms < 0:
            raise invalid("timeout_ms must be >= 0")
        server = self._server(s, p.server_handle)
        r.bulk_read.results.extend(read_bulk(s, server, list(p.tag_addresses)))

    def _write_bulk_entries(self, s: Session, server_handle: int, requests: list[WriteRequest],
                            r: pb.MxCommandReply) -> None:
        self._server(s, server_handle)
        for req in requests:
            result = r.bulk_write.results.add(server_handle=server_handle,
                                              item_handle=req.item_handle)
            try:
                self._write_one(s, server_handle, req)
                result.was_successful = True
            except _Failure as failure:
                result.error_message, result.hresult = str(failure), failure.hresult

    def _write_bulk(self, s: Session, p: pb.WriteBulkCommand, r: pb.MxCommandReply) -> None:
        self._write_bulk_entries(s, p.server_handle, [
            WriteRequest(e.item_handle, e.value) for e in p.entries], r)

    def _write2_bulk(self, s: Session, p: pb.Write2BulkCommand, r: pb.MxCommandReply) -> None:
        self._write_bulk_entries(s, p.server_handle, [
            WriteRequest(e.item_handle, e.value, timestamp=e.timestamp_value)
            for e in p.entries], r)

    def _write_secured_bulk(self, s: Session, p: pb.WriteSecuredBulkCommand,
                            r: pb.MxCommandReply) -> None:
        self._write_bulk_entries(s, p.server_handle, [
            WriteRequest(e.item_handle, e.value, True, e.current_user_id, e.verifier_user_id)
            for e in p.entries], r)

    def _write_secured2_bulk(self, s: Session, p: pb.WriteSecured2BulkCommand,
                             r: pb.MxCommandReply) -> None:
        self._write_bulk_entries(s, p.server_handle, [
            WriteRequest(e.item_handle, e.value, True, e.current_user_id, e.verifier_user_id,
                         e.timestamp_value) for e in p.entries], r)
