"""The built-in contract's generated classes, as the static types of the messages the
public API hands out or takes (events, alarms, prepared commands and their replies).

Imported only under TYPE_CHECKING: at run time those messages are whatever classes the
contract in use makes (mxgw._rpc._contract).
"""

from __future__ import annotations

from .._proto.mxaccess_gateway.v1.mxaccess_gateway_pb2 import (
    ActiveAlarmSnapshot,
    AlarmFeedMessage,
    MxCommandReply,
    MxCommandRequest,
    MxEvent,
)

__all__ = ["ActiveAlarmSnapshot", "AlarmFeedMessage", "MxCommandReply", "MxCommandRequest",
           "MxEvent"]
