"""Per-item results of bulk commands. Bulk commands never fail as a whole for one bad
item: check `was_successful` (or `ok`) on each result. Field names follow the contract;
the seam (mxgw._rpc._records) fills them from the replies.

A read's results are here; those of the commands that subscribe and write are in
mxgw._write_results, so that `mxgw get` does not make their classes."""

from __future__ import annotations

from dataclasses import dataclass

from . import _errors
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
class BulkReadResult:
    server_handle: int
    tag_address: str
    item_handle: int
    was_successful: bool
    error_message: str
    was_cached: bool
    value: TagValue

    @property
    def ok(self) -> bool:
        return self.was_successful and self.value.ok
