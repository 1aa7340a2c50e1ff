"""Alarms driven by attribute values, and their feed.

Each `AlarmDef` (a tank level over a limit, a pump fault flag) has a condition state:

    inactive --raise--> ACTIVE --ack--> ACTIVE_ACKED --clear--> inactive (CLEARED)
    ACTIVE --value returns--> RETURNED_UNACKED --ack--> inactive (CLEARED)
    RETURNED_UNACKED --value over limit again--> ACTIVE (RETRIGGER)

Active alarms (everything not inactive) are what StreamAlarms snapshots and
QueryActiveAlarms returns. References are `Provider!Group.Tag`, e.g.
`Galaxy!Area_Tanks.Tank001.Level.HiHi`; GUIDs are stable per alarm.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._galaxy import AlarmDef, Attribute, Galaxy
from ._values import TYPES, utc_now

if TYPE_CHECKING:
    from mxgw._proto import gateway_pb2 as pb

    from ._wire import Wire

# Condition states and transition kinds by their names in the contract (without the
# prefix); the numbers are the contract's, looked up when a message is made.
ACTIVE, ACTIVE_ACKED, RETURNED_UNACKED, CLEARED = (
    "ACTIVE", "ACTIVE_ACKED", "RETURNED_UNACKED", "CLEARED")
RAISE, ACKNOWLEDGE, CLEAR, RETRIGGER = "RAISE", "ACKNOWLEDGE", "CLEAR", "RETRIGGER"
ACK_OK, ACK_UNKNOWN, ACK_NOT_ACTIVE = 0, 1, 2  # native_status of an acknowledge
_SUBSCRIBER_BACKLOG = 10_000
_DOUBLE = TYPES["double"]


@dataclass(eq=False)
class Alarm:
    definition: AlarmDef
    reference: str
    guid: str
    area: str
    state: str = CLEARED
    raised_at: datetime | None = None
    changed_at: datetime | None = None
    operator_user: str = ""
    operator_comment: str = ""
    in_alarm: bool = False  # the condition at the last evaluation: transitions are edges

    def matches(self, prefix: str) -> bool:
        prefix = prefix.lower()
        return (not prefix or self.reference.lower().startswith(prefix)
                or self.source.lower().startswith(prefix) or self.guid == prefix)

    @property
    def source(self) -> str:
        return self.definition.attr.reference

    def _common(self, wire: Wire) -> dict[str, Any]:
        d = self.definition
        to_mx = wire.values.to_mx
        limit = d.limit_value()
        fields: dict[str, Any] = {
            "alarm_full_reference": self.reference,
            "source_object_reference": self.source,
            "alarm_type_name": d.type_name,
            "severity": d.severity,
            "operator_user": self.operator_user,
            "operator_comment": self.operator_comment,
            "category": d.category,
            "description": d.description,
            "current_value": to_mx(d.source.value, d.source.dtype, d.source.is_array),
            "alarm_guid": self.guid,
        }
        if limit is not None:
            fields["limit_value"] = to_mx(limit, _DOUBLE)
        return fields

    def snapshot(self, wire: Wire) -> pb.ActiveAlarmSnapshot:
        snap = wire.pb.ActiveAlarmSnapshot(
            condition_state=wire.number("AlarmConditionState", self.state), area=self.area,
            **self._common(wire))
        if self.raised_at:
            snap.original_raise_time.FromDatetime(self.raised_at)
        if self.changed_at:
            snap.last_transition_time.FromDatetime(self.changed_at)
        return snap

    def transition(self, wire: Wire, kind: str) -> pb.OnAlarmTransitionEvent:
        event = wire.pb.OnAlarmTransitionEvent(
            transition_kind=wire.number("AlarmTransitionKind", kind),
            condition_state=wire.number("AlarmConditionState", self.state),
            **self._common(wire))
        if self.raised_at:
            event.original_raise_time.FromDatetime(self.raised_at)
        if self.changed_at:
            event.transition_time.FromDatetime(self.changed_at)
        return event


TransitionListener = Callable[[Alarm, "pb.OnAlarmTransitionEvent"], None]


class AlarmManager:
    def __init__(self, galaxy: Galaxy, wire: Wire) -> None:
        self.galaxy = galaxy
        self.wire = wire
        self._pb = wire.pb
        self.started = utc_now()
        self.degraded = False  # the alarm provider's health (control.set_alarm_provider)
        self.degraded_reason = ""
        self.provider_since = self.started
        self.alarms: list[Alarm] = []
        self._by_source: dict[int, list[Alarm]] = {}
        self._by_key: dict[str, Alarm] = {}
        self.listeners: list[TransitionListener] = []
        self._feeds: list[tuple[str, asyncio.Queue[pb.AlarmFeedMessage | None]]] = []
        for d in galaxy.alarms:
            reference = f"{galaxy.name}!{d.attr.obj.area}.{d.attr.reference}"
            alarm = Alarm(d, reference, str(uuid.uuid5(uuid.NAMESPACE_URL, reference)),
                          d.attr.obj.area)
            self.alarms.append(alarm)
            watched = [d.source] + ([d.limit] if isinstance(d.limit, Attribute) else [])
            for attr in watched:
                attr.watched = True
                self._by_source.setdefault(id(attr), []).append(alarm)
            self._by_key[reference.lower()] = alarm
            self._by_key[alarm.guid] = alarm
        galaxy.listeners.append(self.on_changes)
        for alarm in self.alarms:
            self._evaluate(alarm)

    # -- state machine
    def on_changes(self, changed: list[Attribute]) -> None:
        for attr in changed:
            for alarm in self._by_source.get(id(attr), ()):
                self._evaluate(alarm)

    def _evaluate(self, alarm: Alarm) -> None:
        in_alarm = alarm.definition.condition()
        if in_alarm == alarm.in_alarm:
            return
        alarm.in_alarm = in_alarm
        state = alarm.state
        if in_alarm and state == CLEARED:
            alarm.raised_at = utc_now()
            alarm.operator_user = alarm.operator_comment = ""
            self._move(alarm, ACTIVE, RAISE)
        elif in_alarm and state == RETURNED_UNACKED:
            self._move(alarm, ACTIVE, RETRIGGER)
        elif not in_alarm and state == ACTIVE:
            self._move(alarm, RETURNED_UNACKED, CLEAR)
        elif not in_alarm and state == ACTIVE_ACKED:
            self._move(alarm, CLEARED, CLEAR)

    def _move(self, alarm: Alarm, state: str, kind: str) -> None:
        alarm.state = state
        alarm.changed_at = utc_now()
        flag = alarm.definition.attr
        if flag is not alarm.definition.source:  # e.g. Level.Hi mirrors the condition
            active = state in (ACTIVE, ACTIVE_ACKED)
            if flag.value != active:
                self.galaxy.set(flag, active)
        event = alarm.transition(self.wire, kind)
        for listener in self.listeners:
            listener(alarm, event)
        message = self._pb.AlarmFeedMessage(transition=event)
        for prefix, queue in list(self._feeds):
            if alarm.matches(prefix):
                self._offer(queue, message)

    def acknowledge(self, reference: str, comment: str = "", operator: str = "") -> int:
        """native_status: 0 done (or already acknowledged), 1 unknown, 2 not active."""
        alarm = self._by_key.get(reference.strip().strip("{}").lower())
        if alarm is None:
            return ACK_UNKNOWN
        if alarm.state == CLEARED:
            return ACK_NOT_ACTIVE
        if alarm.state == ACTIVE_ACKED:
            return ACK_OK
        alarm.operator_user, alarm.operator_comment = operator, comment
        target = ACTIVE_ACKED if alarm.state == ACTIVE else CLEARED
        self._move(alarm, target, ACKNOWLEDGE)
        return ACK_OK

    # -- reading
    def active(self, prefix: str = "") -> list[Alarm]:
        return [a for a in self.alarms if a.state != CLEARED and a.matches(prefix)]

    def snapshots(self, prefix: str = "") -> list[pb.ActiveAlarmSnapshot]:
        return [a.snapshot(self.wire) for a in self.active(prefix)]

    def provider_status(self) -> pb.AlarmProviderStatus:
        status = self._pb.AlarmProviderStatus(
            mode=self._pb.ALARM_PROVIDER_MODE_ALARMMGR, degraded=self.degraded,
            reason=self.degraded_reason)
        status.since.FromDatetime(self.provider_since)
        return status

    def set_provider(self, degraded: bool, reason: str) -> None:
        """A change of the provider's health: `since` restarts and every feed is told."""
        self.degraded, self.degraded_reason = degraded, reason if degraded else ""
        self.provider_since = utc_now()
        message = self._pb.AlarmFeedMessage(provider_status=self.provider_status())
        for _, queue in list(self._feeds):
            self._offer(queue, message)

    def subscribe(self, prefix: str) -> asyncio.Queue[pb.AlarmFeedMessage | None]:
        """A feed queue: snapshot, snapshot_complete, provider_status already in it."""
        queue: asyncio.Queue[pb.AlarmFeedMessage | None] = asyncio.Queue()
        feed = self._pb.AlarmFeedMessage
        for snap in self.snapshots(prefix):
            queue.put_nowait(feed(active_alarm=snap))
        queue.put_nowait(feed(snapshot_complete=self._pb.SnapshotComplete()))
        queue.put_nowait(feed(provider_status=self.provider_status()))
        self._feeds.append((prefix, queue))
        return queue

    def unsubscribe(self, queue: asyncio.Queue[pb.AlarmFeedMessage | None]) -> None:
        self._feeds = [(p, q) for p, q in self._feeds if q is not queue]

    def close_feeds(self) -> None:
        for _, queue in self._feeds:
            queue.put_nowait(None)

    def _offer(self, queue: asyncio.Queue[pb.AlarmFeedMessage | None],
               message: pb.AlarmFeedMessage) -> None:
        # A subscriber that stops reading is cut off rather than growing without bound.
        if queue.qsize() >= _SUBSCRIBER_BACKLOG:
            self.unsubscribe(queue)
            queue.put_nowait(None)
        else:
            queue.put_nowait(message)
