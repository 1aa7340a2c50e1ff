"""MxCommandRequest builders: one row per command the session sends.

    request = command(contract, session_id, "add_item", server_handle, "Pump001.Speed")
    request = command(contract, session_id, "write_bulk", server_handle,
                      [(item_handle, mx_value, user_id), ...])

A row names the payload's message in the table; everything else follows from the table:
the payload member is the MxCommand field of that type (`add_item_command`), the kind is
the member without `_command` (`ADD_ITEM`), and the positional arguments fill the
payload's fields in the order the table declares them (bulk write entries too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import _names as n
from ._contract import Contract
from ._errors import map_errors
from ._table import fields, named

# Session method -> payload message.
COMMANDS: dict[str, type[Any]] = {
    "register": n.RegisterCommand,
    "unregister": n.UnregisterCommand,
    "add_item": n.AddItemCommand,
    "add_item2": n.AddItem2Command,
    "remove_item": n.RemoveItemCommand,
    "advise": n.AdviseCommand,
    "advise_supervisory": n.AdviseSupervisoryCommand,
    "unadvise": n.UnAdviseCommand,
    "write": n.WriteCommand,
    "write2": n.Write2Command,
    "write_secured": n.WriteSecuredCommand,
    "write_secured2": n.WriteSecured2Command,
    "authenticate_user": n.AuthenticateUserCommand,
    "drain_events": n.DrainEventsCommand,
    "add_item_bulk": n.AddItemBulkCommand,
    "subscribe_bulk": n.SubscribeBulkCommand,
    "read_bulk": n.ReadBulkCommand,
    "advise_item_bulk": n.AdviseItemBulkCommand,
    "remove_item_bulk": n.RemoveItemBulkCommand,
    "unadvise_item_bulk": n.UnAdviseItemBulkCommand,
    "unsubscribe_bulk": n.UnsubscribeBulkCommand,
    "write_bulk": n.WriteBulkCommand,
    "write2_bulk": n.Write2BulkCommand,
    "write_secured_bulk": n.WriteSecuredBulkCommand,
    "write_secured2_bulk": n.WriteSecured2BulkCommand,
}

# Command kinds a read-only client refuses (those of prepared requests too).
WRITE_KINDS = frozenset({
    "WRITE", "WRITE2", "WRITE_SECURED", "WRITE_SECURED2", "WRITE_BULK", "WRITE2_BULK",
    "WRITE_SECURED_BULK", "WRITE_SECURED2_BULK", "ACKNOWLEDGE_ALARM",
    "ACKNOWLEDGE_ALARM_BY_NAME",
})

_MEMBERS = {annotation: name for name, annotation in fields(n.MxCommand).items()}


def member(op: str) -> str:
    """The MxCommand payload member of a command: "add_item" -> "add_item_command"."""
    return _MEMBERS[COMMANDS[op].__name__]


def kind(op: str) -> str:
    """The MxCommandKind of a command, without its prefix: "unadvise" -> "UN_ADVISE"."""
    return member(op).removesuffix("_command").upper()


def _fill(message: Any, spec: type[Any], values: Sequence[Any]) -> None:
    for (name, annotation), value in zip(fields(spec).items(), values, strict=True):
        target = getattr(message, name)
        if annotation.startswith("Repeated["):
            entry = named(annotation.removeprefix("Repeated[").removesuffix("]"))
            if entry is not None:  # repeated messages: one tuple of fields per entry
                for row in value:
                    _fill(target.add(), entry, row)
            else:
                target.extend(value)
        elif hasattr(target, "CopyFrom"):
            target.CopyFrom(value)
        else:
            setattr(message, name, value)


def command(contract: Contract, session_id: str, op: str, *args: Any) -> n.MxCommandRequest:
    """The MxCommandRequest for `op` ("add_item", "write_bulk", ...) and its arguments."""
    with map_errors(op.replace("_", " ")):
        request = contract.new(n.MxCommandRequest)
        request.session_id = session_id
        request.command.kind = contract.number(n.COMMAND_KIND, kind(op))
        payload = getattr(request.command, member(op))
        payload.SetInParent()
        _fill(payload, COMMANDS[op], args)
    return request


def command_kind(contract: Contract, request: n.MxCommandRequest) -> str:
    return contract.short_name(n.COMMAND_KIND, request.command.kind)


def is_write(contract: Contract, request: n.MxCommandRequest) -> bool:
    return command_kind(contract, request) in WRITE_KINDS
