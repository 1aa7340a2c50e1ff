"""Per-item results of bulk commands. Bulk commands never fail as a whole for one bad
item: check `was_successful` (or `ok`) on each result. Field names follow the contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _errors, _rpc
from ._status import StatusInfo, failures
from ._values import TagValue

MAX_BULK_ITEMS = 1000
"""Most items one bulk command may carry; larger lists are refused before sending.
Use `Session.chunked(...)` (or the conveniences) to split them, keeping result order."""


def check_bulk_size(operation: str, count: int) -> None:
    """Refuse a bulk of more than MAX_BULK_ITEMS entries (MxGatewayConfigError). The one
    home of the rule: the session checks before sending, the CLI before connecting."""
    if count > MAX_BULK_ITEMS:
        raise _errors.MxGatewayConfigError(
            f"{operation}: {count} entries is more than the {MAX_BULK_ITEMS} one bulk "
            "command takes; split the list (session.chunked does it for you)")


@dataclass(frozen=True)
class SubscribeResult:
    server_handle: int
    tag_address: str
    item_handle: int
    was_successful: bool
    error_message: str

    @classmethod
    def from_row(cls, row: _rpc.SubscribeRow) -> SubscribeResult:
        return cls(row.server_handle, row.tag, row.item_handle, row.ok, row.error)

    @property
    def ok(self) -> bool:
        return self.was_successful

    def to_dict(self) -> dict[str, Any]:
        return {"serverHandle": self.server_handle, "tagAddress": self.tag_address,
                "itemHandle": self.item_handle, "wasSuccessful": self.was_successful,
                "errorMessage": self.error_message}


@dataclass(frozen=True)
class BulkReadResult:
    server_handle: int
    tag_address: str
    item_handle: int
    was_successful: bool
    error_message: str
    was_cached: bool
    value: TagValue

    @classmethod
    def from_row(cls, row: _rpc.ReadRow) -> BulkReadResult:
        value = TagValue.from_sample(row.sample, None if row.ok else (row.error or "read failed"))
        return cls(row.server_handle, row.tag, row.item_handle, row.ok, row.error, row.cached,
                   value)

    @property
    def ok(self) -> bool:
        return self.was_successful and self.value.ok

    def to_dict(self) -> dict[str, Any]:
        return {"serverHandle": self.server_handle, "tagAddress": self.tag_address,
                "itemHandle": self.item_handle, "wasSuccessful": self.was_successful,
                "errorMessage": self.error_message, "wasCached": self.was_cached,
                **self.value.to_dict()}


@dataclass(frozen=True)
class BulkWriteResult:
    server_handle: int
    item_handle: int
    was_successful: bool
    error_message: str
    hresult: int
    statuses: tuple[StatusInfo, ...]

    @classmethod
    def from_row(cls, row: _rpc.WriteRow) -> BulkWriteResult:
        return cls(row.server_handle, row.item_handle, row.ok, row.error, row.hresult,
                   row.statuses)

    @property
    def ok(self) -> bool:
        return self.was_successful and self.hresult >= 0 and not failures(self.statuses)

    def to_dict(self) -> dict[str, Any]:
        return {"serverHandle": self.server_handle, "itemHandle": self.item_handle,
                "wasSuccessful": self.was_successful, "errorMessage": self.error_message,
                "hresult": self.hresult, "statuses": [s.to_dict() for s in self.statuses]}
