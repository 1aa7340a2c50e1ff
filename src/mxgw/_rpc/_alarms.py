"""The alarm feed and alarm records: what the doctor and the REPL read of them.

    alarm_feed_kind(message)     "active_alarm", "snapshot_complete", "transition", ...
    provider_status(message)     the alarm provider's mode and health (ProviderStatus)
    alarm_summary(message)       the columns the REPL shows for an alarm

Alarms reach callers as messages (printed with the proto3 JSON mapping). Enum names are
read from each message's own descriptor, so the alarms of any contract show theirs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from . import _names as n
from ._records import timestamp
from ._table import Enum
from ._values import from_mx_value


def alarm_feed_kind(message: Any) -> str:
    """Which member of an AlarmFeedMessage is set: "active_alarm", "snapshot_complete",
    "transition" or "provider_status" ("" for none)."""
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
    return _provider(message.provider_status)


def _provider(status: n.AlarmProviderStatus) -> ProviderStatus:
    return ProviderStatus(_enum_name(status, "mode"), bool(status.degraded),
                          str(status.reason), timestamp(status.since, status, "since"))


class AlarmSummary(NamedTuple):
    """What an alarm record shows at a glance (one line of the REPL's `alarms()`)."""

    reference: str
    state: str  # "ACTIVE"; for a transition "ACKNOWLEDGE -> ACTIVE_ACKED"
    severity: int
    has_value: bool
    value: Any  # the current value (None when the alarm carries none)
    limit: Any  # the limit it is compared with (None when none)
    time: datetime | None  # of the transition (a snapshot: the last one), else the raise
    operator: str
    comment: str


def _enum_name(message: Any, field: str) -> str:
    """An enum field's value name without its prefix, from the message's own descriptor
    (so the alarms of any contract show their names)."""
    number = getattr(message, field)
    enum = message.DESCRIPTOR.fields_by_name[field].enum_type
    value = enum.values_by_number.get(number)
    if value is None:
        return str(number)
    return str(value.name).removeprefix(Enum(enum.full_name, ()).prefix)


def _alarm(alarm: Any, transition: bool) -> AlarmSummary:
    state = _enum_name(alarm, "condition_state")
    raised = timestamp(alarm.original_raise_time, alarm, "original_raise_time")
    if transition:
        event: n.OnAlarmTransitionEvent = alarm
        state = f"{_enum_name(alarm, 'transition_kind')} -> {state}"
        time = timestamp(event.transition_time, event, "transition_time")
    else:
        snapshot: n.ActiveAlarmSnapshot = alarm
        time = timestamp(snapshot.last_transition_time, snapshot, "last_transition_time")
    has_value = alarm.HasField("current_value")
    return AlarmSummary(
        alarm.alarm_full_reference, state, int(alarm.severity), has_value,
        from_mx_value(alarm.current_value) if has_value else None,
        from_mx_value(alarm.limit_value) if alarm.HasField("limit_value") else None,
        time or raised, alarm.operator_user, alarm.operator_comment)


def alarm_summary(message: Any) -> AlarmSummary | ProviderStatus | str | None:
    """An alarm snapshot, transition, provider status or feed message at a glance: an
    AlarmSummary, a ProviderStatus, a word for a feed marker ("snapshot complete"), or
    None for a message that is not about alarms."""
    kind = type(message).DESCRIPTOR.name
    if kind == "AlarmFeedMessage":
        member = alarm_feed_kind(message)
        if not member:
            return "(empty alarm feed message)"
        if member == "snapshot_complete":
            return "snapshot complete"
        message = getattr(message, member)
        kind = type(message).DESCRIPTOR.name
    if kind == "AlarmProviderStatus":
        return _provider(message)
    if kind in ("ActiveAlarmSnapshot", "OnAlarmTransitionEvent"):
        return _alarm(message, kind == "OnAlarmTransitionEvent")
    return None
