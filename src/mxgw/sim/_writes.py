"""The outcome of an accepted write: which status its OnWriteComplete carries.

Checks run in the order MXAccess reports them: unknown tag, not writeable, security
(SecuredWrite needs an authenticated user, VerifiedWrite a second, different one), index,
then type. A successful write stores the value, which advised items then see change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._galaxy import GOOD, SECURED_WRITE, VERIFIED_WRITE
from ._status import (
    INCORRECT_DATA_TYPE,
    INDEX_OUT_OF_RANGE,
    INVALID_REFERENCE,
    NOT_WRITEABLE,
)
from ._status import SECURED_WRITE as SECURED_WRITE_DETAIL
from ._status import VERIFIED_WRITE as VERIFIED_WRITE_DETAIL
from ._values import WriteTypeError, coerce, from_mx

if TYPE_CHECKING:
    from mxgw._proto import gateway_pb2 as pb

    from ._sessions import Item, Session
    from ._users import Users


@dataclass(frozen=True)
class WriteRequest:
    item_handle: int
    value: pb.MxValue
    secured: bool = False
    current_user_id: int = 0
    verifier_user_id: int = 0
    timestamp: pb.MxValue | None = None


def _timestamp(req: WriteRequest) -> datetime | None:
    if req.timestamp is not None and req.timestamp.HasField("time_value"):
        value = from_mx(req.timestamp)
        return value if isinstance(value, datetime) else None
    return None


def check_write(
    item: Item, req: WriteRequest, users: Users, session: Session
) -> tuple[pb.MxStatusProxy, Callable[[], None] | None]:
    """(status for OnWriteComplete, the action that stores the value or None)."""
    failure_status = session.manager.wire.status.failure_status
    attr = item.attr
    if attr is None:
        return failure_status(INVALID_REFERENCE), None
    if not attr.writable:
        return failure_status(NOT_WRITEABLE), None
    if attr.security == SECURED_WRITE and not (
        req.secured and req.current_user_id in session.users
    ):
        return failure_status(SECURED_WRITE_DETAIL), None
    if attr.security == VERIFIED_WRITE and not (
        req.secured
        and req.current_user_id in session.users
        and req.verifier_user_id in session.users
        and req.verifier_user_id != req.current_user_id
    ):
        return failure_status(VERIFIED_WRITE_DETAIL), None
    attr.refresh()
    index = item.address.index
    written = from_mx(req.value)
    try:
        if index:  # Attr[n]: one element, 1-based
            current = list(attr.value or [])
            if not attr.is_array or not 1 <= index <= len(current):
                return failure_status(INDEX_OUT_OF_RANGE), None
            current[index - 1] = coerce(written, attr.dtype)
            new_value: Any = current
        elif attr.is_array:  # Attr[] or Attr: the whole array, resizing it
            if not isinstance(written, list):
                raise WriteTypeError("an array attribute needs an array value")
            new_value = [coerce(v, attr.dtype) for v in written]
        else:
            if index == 0:  # Attr[] on a scalar
                return failure_status(INDEX_OUT_OF_RANGE), None
            new_value = coerce(written, attr.dtype)
    except WriteTypeError:
        return failure_status(INCORRECT_DATA_TYPE), None
    galaxy = session.manager.galaxy
    when = _timestamp(req)

    def apply() -> None:
        attr.store(new_value, GOOD, when)
        galaxy.notify([attr])

    return session.manager.wire.status.ok_status(), apply
