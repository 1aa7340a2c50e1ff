"""Per-item results of the bulk commands that subscribe and write (a read's are in
mxgw._results). Check `was_successful` (or `ok`) on each result; field names follow the
contract; the seam (mxgw._rpc._records) fills them from the replies."""

from __future__ import annotations

from dataclasses import dataclass

from ._status import StatusInfo, failures


@dataclass(frozen=True)
class SubscribeResult:
    server_handle: int
    tag_address: str
    item_handle: int
    was_successful: bool
    error_message: str

    @property
    def ok(self) -> bool:
        return self.was_successful


@dataclass(frozen=True)
class BulkWriteResult:
    server_handle: int
    item_handle: int
    was_successful: bool
    error_message: str
    hresult: int
    statuses: tuple[StatusInfo, ...]

    @property
    def ok(self) -> bool:
        return self.was_successful and self.hresult >= 0 and not failures(self.statuses)
