"""Sessions: handles, items, the bounded event queue, the replay ring, the lease.

All state changes happen on the server's event loop and are synchronous; a stream waits
on the session's `wakeup` event and drains the queue between awaits.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import secrets
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import grpc

from ._alarms import Alarm
from ._events import ALARM_TRANSITION, DATA_CHANGE, FAMILIES, varint
from ._galaxy import Address, Attribute, Galaxy
from ._limits import Budget
from ._options import SimOptions
from ._rpc import RpcError, invalid, not_found

if TYPE_CHECKING:
    from mxgw._proto import gateway_pb2 as pb

    from ._wire import Wire

# Session states, by their SessionState names (the contract's numbers are the servicer's).
READY, CLOSED, FAULTED = "READY", "CLOSED", "FAULTED"
_TOMBSTONES = 4096  # closed session ids remembered, so CloseSession stays idempotent
TAKEOVER_GRACE = 1.0  # seconds a new event subscriber waits for the attached one to end


async def _within(awaitable: Coroutine[Any, Any, Any], seconds: float) -> bool:
    """Whether `awaitable` finished within `seconds` (it is cancelled if not)."""
    try:
        await asyncio.wait_for(awaitable, seconds)
    except TimeoutError:
        return False
    return True


class _Handles:
    """Handles from 1, the smallest free one reused first (MXAccess behaviour)."""

    def __init__(self) -> None:
        self._next = 1
        self._free: list[int] = []

    def take(self) -> int:
        if self._free:
            return heapq.heappop(self._free)
        self._next += 1
        return self._next - 1

    def give_back(self, handle: int) -> None:
        heapq.heappush(self._free, handle)


@dataclass(eq=False, slots=True)
class Item:
    session: Session
    server_handle: int
    handle: int
    address: Address
    context: str = ""
    attr: Attribute | None = None  # resolved on Advise; None there means unknown tag
    advised: bool = False
    supervisory: bool = False
    suspended: bool = False
    handle_bytes: bytes = b""


@dataclass(eq=False)
class Server:
    handle: int
    client_name: str
    items: dict[int, Item] = field(default_factory=dict)
    item_handles: _Handles = field(default_factory=_Handles)


class Session:
    def __init__(self, manager: SessionManager, session_id: str, client_name: str,
                 lease: float) -> None:
        self.manager = manager
        self.session_id = session_id
        self.client_name = client_name
        self.state = READY
        self.fault_reason = ""
        self.fault_code = grpc.StatusCode.FAILED_PRECONDITION
        self.lease = lease
        self.lease_expires = manager.clock() + lease
        self.servers: dict[int, Server] = {}
        self.server_handles = _Handles()
        self.users: dict[int, str] = {}  # authenticated user ids
        self.alarm_filter: str | None = None  # SubscribeAlarms expression
        self.pending = 0
        self.subscriber: Any = None  # the attached stream's context, if any
        self.released = asyncio.Event()  # set when the subscriber detaches
        self.dropped = False  # control.drop_event_streams: the stream ends UNAVAILABLE
        self.wakeup = asyncio.Event()
        self.queue: deque[bytes] = deque()
        self.queue_first = 1  # sequence of queue[0]
        self.next_seq = 1
        self.ring: deque[tuple[int, float, bytes]] = deque(maxlen=manager.options.replay_ring)
        self._clock = manager.clock
        self._queue_limit = manager.options.event_queue_limit
        self.events = events = manager.wire.events
        # Each family's prefix with the sequence's key: an event is prefix, number, body.
        self._prefix = {family: events.session_prefix(session_id, family) + events.sequence_tag
                        for family in FAMILIES}

    @property
    def subscribed(self) -> bool:
        return self.subscriber is not None

    async def attach(self, context: Any) -> None:
        """Become the session's one event subscriber (ALREADY_EXISTS if there is one).

        A client that cancels its stream and reconnects at once can reach the server before
        its cancel does (grpc-js often does: the new stream is read before the old one's
        reset is acted on), so the old stream still looks live. The new subscriber waits up
        to TAKEOVER_GRACE for the attached stream to end and then takes over; a stream
        still live after that is a second subscriber, refused."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TAKEOVER_GRACE
        while (old := self.subscriber) is not None and not (old.cancelled() or old.done()):
            remaining = deadline - loop.time()
            self.released.clear()
            if remaining <= 0 or not await _within(self.released.wait(), remaining):
                raise RpcError(grpc.StatusCode.ALREADY_EXISTS,
                               "session already has an event subscriber")
        self.subscriber = context
        self.dropped = False

    def detach(self, context: Any) -> None:
        if self.subscriber is context:
            self.subscriber = None
            self.released.set()
        self.touch()

    # -- lease and state
    def touch(self) -> None:
        self.lease_expires = self.manager.clock() + self.lease

    def require_ready(self) -> None:
        if self.state == FAULTED:
            raise RpcError(grpc.StatusCode.FAILED_PRECONDITION,
                           f"session faulted: {self.fault_reason}")
        if self.state != READY:
            raise RpcError(grpc.StatusCode.FAILED_PRECONDITION, "session not ready")

    def fault(self, reason: str, code: grpc.StatusCode = grpc.StatusCode.FAILED_PRECONDITION
              ) -> None:
        if self.state == READY:
            self.state = FAULTED
            self.fault_reason = reason
            self.fault_code = code
            self._detach_items()
            self.wakeup.set()

    def close(self) -> None:
        self.state = CLOSED
        self._detach_items()
        self.queue.clear()
        self.wakeup.set()

    def _detach_items(self) -> None:
        for server in self.servers.values():
            for item in server.items.values():
                if item.attr is not None:
                    item.attr.subscribers.discard(item)

    # -- handles
    def server(self, handle: int) -> Server | None:
        return self.servers.get(handle)

    def item(self, server_handle: int, item_handle: int) -> Item | None:
        server = self.servers.get(server_handle)
        return server.items.get(item_handle) if server else None

    def register(self, client_name: str) -> int:
        handle = self.server_handles.take()
        self.servers[handle] = Server(handle, client_name)
        return handle

    def unregister(self, handle: int) -> None:
        server = self.servers.pop(handle)
        for item in server.items.values():
            self.unadvise(item)
        self.server_handles.give_back(handle)

    def add_item(self, server: Server, address: Address, context: str = "") -> Item:
        handle = server.item_handles.take()
        item = Item(self, server.handle, handle, address, context,
                    handle_bytes=self.events.handles(server.handle, handle))
        server.items[handle] = item
        return item

    def remove_item(self, item: Item) -> None:
        self.unadvise(item)
        server = self.servers[item.server_handle]
        del server.items[item.handle]
        server.item_handles.give_back(item.handle)

    def advise(self, item: Item, supervisory: bool = False) -> None:
        """Advise: the current value (or the unknown-tag status) is the first event."""
        item.supervisory = supervisory
        if item.advised:
            return
        item.advised = True
        item.attr = self.manager.galaxy.attribute(item.address.reference)
        if item.attr is not None:
            item.attr.subscribers.add(item)
        self.push_data_change(item, fresh=True)

    def unadvise(self, item: Item) -> None:
        if item.advised:
            item.advised = False
            if item.attr is not None:
                item.attr.subscribers.discard(item)

    # -- events
    def push_data_change(self, item: Item, fresh: bool = False) -> None:
        if item.suspended:
            return
        fragment = self.events.data_change_fragment(item.attr, item.address.index, fresh)
        self.push(DATA_CHANGE, item.handle_bytes + fragment)

    def push(self, family: str, body: bytes) -> None:
        """Queue one event; past the queue bound the session faults (EventQueueOverflow)."""
        if self.state != READY:
            return
        seq = self.next_seq
        self.next_seq = seq + 1
        data = self._prefix[family] + varint(seq) + body
        queue = self.queue
        queue.append(data)
        self.ring.append((seq, self._clock(), data))
        if len(queue) > self._queue_limit:
            self.fault("EventQueueOverflow")
            return
        if not self.wakeup.is_set():
            self.wakeup.set()

    def take(self, limit: int = 0, budget: Budget | None = None) -> list[bytes]:
        """Pop up to `limit` queued events (0 = all). With a `budget`, refuse (taking none)
        when they would not fit in one message."""
        count = len(self.queue) if limit <= 0 else min(limit, len(self.queue))
        if budget is not None:
            for data in itertools.islice(self.queue, count):
                budget.add(len(data))
        out = [self.queue.popleft() for _ in range(count)]
        self.queue_first += count
        return out

    def replay(self, after: int) -> Iterator[bytes]:
        """Events after `after` already taken from the queue, with the gap sentinel first
        when some of them are no longer in the ring (by count or by age)."""
        if after <= 0 or after + 1 >= self.queue_first:
            return
        horizon = self.manager.clock() - self.manager.options.replay_seconds
        kept = [(seq, data) for seq, when, data in self.ring
                if when >= horizon and after < seq < self.queue_first]
        oldest = kept[0][0] if kept else self.queue_first
        if oldest > after + 1:
            yield self.events.replay_gap(self.session_id, after, oldest)
        for _, data in kept:
            yield data


@dataclass(frozen=True)
class SessionInfo:
    session_id: str
    state: str
    client_name: str


class SessionManager:
    """Every session; the galaxy listener that turns changes into queued events."""

    def __init__(self, options: SimOptions, galaxy: Galaxy, clock: Callable[[], float],
                 wire: Wire) -> None:
        self.options = options
        self.wire = wire
        self.galaxy = galaxy
        self.clock = clock
        self.sessions: dict[str, Session] = {}
        self._closed: OrderedDict[str, str] = OrderedDict()
        galaxy.listeners.append(self.on_changes)

    def on_changes(self, changed: list[Attribute]) -> None:
        fragment = self.wire.events.data_change_fragment
        family = DATA_CHANGE
        for attr in changed:
            if attr.subscribers:
                # A copy: an overflowing session faults and detaches its items mid-loop.
                for item in list(attr.subscribers):
                    if not item.suspended:
                        item.session.push(
                            family, item.handle_bytes + fragment(attr, item.address.index))

    def on_alarm(self, alarm: Alarm, event: pb.OnAlarmTransitionEvent) -> None:
        """Sessions that ran SubscribeAlarms get transitions as ON_ALARM_TRANSITION events."""
        fragment = b""
        for session in self.sessions.values():
            if session.alarm_filter is not None and alarm.matches(session.alarm_filter):
                fragment = fragment or self.wire.events.alarm_fragment(event)
                session.push(ALARM_TRANSITION, fragment)

    def drop_streams(self, session_id: str | None = None) -> int:
        dropped = 0
        for session in self.sessions.values():
            if session.subscribed and session_id in (None, session.session_id):
                session.dropped = True
                session.wakeup.set()
                dropped += 1
        return dropped

    def open(self, client_name: str, lease: float | None) -> Session:
        if len(self.sessions) >= self.options.max_sessions:
            raise RpcError(grpc.StatusCode.RESOURCE_EXHAUSTED,
                           f"too many sessions (limit {self.options.max_sessions})")
        session_id = f"session-{secrets.token_hex(16)}"
        session = Session(self, session_id, client_name, lease or self.options.lease_seconds)
        self.sessions[session_id] = session
        return session

    def get(self, session_id: str) -> Session:
        if not session_id:
            raise invalid("session_id is required")
        session = self.sessions.get(session_id)
        if session is None:
            raise not_found(f"session not found: {session_id}")
        return session

    def close(self, session_id: str) -> str:
        """Idempotent: a session closed before answers CLOSED again."""
        if not session_id:
            raise invalid("session_id is required")
        session = self.sessions.pop(session_id, None)
        if session is None:
            if session_id in self._closed:
                return CLOSED
            raise not_found(f"session not found: {session_id}")
        session.close()
        self._closed[session_id] = CLOSED
        while len(self._closed) > _TOMBSTONES:
            self._closed.popitem(last=False)
        return CLOSED

    def expire_leases(self) -> None:
        """Close sessions whose lease ran out; an attached stream keeps a lease alive."""
        now = self.clock()
        for session in list(self.sessions.values()):
            if session.subscribed:
                session.touch()
            elif session.lease_expires <= now:
                self.close(session.session_id)

    def info(self) -> list[SessionInfo]:
        return [SessionInfo(s.session_id, s.state, s.client_name)
                for s in self.sessions.values()]

    def close_all(self) -> None:
        for session_id in list(self.sessions):
            self.close(session_id)
