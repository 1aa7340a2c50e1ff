"""MXAccess status proxies, HRESULTs and the protocol-status helpers for replies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mxgw._proto import gateway_pb2 as pb

E_INVALIDARG = 0x80070057 - 2**32  # HRESULTs travel as signed int32
E_ACCESSDENIED = 0x80070005 - 2**32
E_FAIL = 0x80004005 - 2**32

# MXAccess status details used by the simulator.
INVALID_REFERENCE = 6
INDEX_OUT_OF_RANGE = 1003
INCORRECT_DATA_TYPE = 1005
NOT_WRITEABLE = 1007
SECURED_WRITE = 1012
VERIFIED_WRITE = 1013
DETAIL_NAMES = {
    INVALID_REFERENCE: "InvalidReference",
    INDEX_OUT_OF_RANGE: "IndexOutOfRange",
    INCORRECT_DATA_TYPE: "IncorrectDataType",
    NOT_WRITEABLE: "NotWriteable",
    SECURED_WRITE: "SecuredWrite",
    VERIFIED_WRITE: "VerifiedWrite",
}
# The category of each detail, and MXAccess's own numbers for the categories and the
# source used (raw_category, raw_detected_by: they do not follow the contract's numbers).
_CATEGORY = {
    INVALID_REFERENCE: "CONFIGURATION_ERROR",
    INDEX_OUT_OF_RANGE: "CONFIGURATION_ERROR",
    INCORRECT_DATA_TYPE: "CONFIGURATION_ERROR",
    NOT_WRITEABLE: "CONFIGURATION_ERROR",
    SECURED_WRITE: "SECURITY_ERROR",
    VERIFIED_WRITE: "SECURITY_ERROR",
}
_NATIVE_CATEGORY = {"OK": 0, "CONFIGURATION_ERROR": 4, "OPERATIONAL_ERROR": 5,
                    "SECURITY_ERROR": 6}
_SOURCE = "RESPONDING_AUTOMATION_OBJECT"
_NATIVE_SOURCE = 5


class Statuses:
    """Status proxies and reply statuses in one contract."""

    def __init__(self, messages: Any) -> None:
        self._pb = pb = messages
        self._category = {name: getattr(pb, f"MX_STATUS_CATEGORY_{name}")
                          for name in _NATIVE_CATEGORY}
        self._source = getattr(pb, f"MX_STATUS_SOURCE_{_SOURCE}")
        self._ok_code = pb.PROTOCOL_STATUS_CODE_OK
        self._failure_code = pb.PROTOCOL_STATUS_CODE_MXACCESS_FAILURE
        self.ok_category = self._category["OK"]

    def ok_status(self) -> pb.MxStatusProxy:
        # COM's VARIANT_TRUE is -1: `success` is the numeric value, not a bool.
        return self._pb.MxStatusProxy(
            success=-1, category=self.ok_category, detected_by=self._source,
            raw_category=_NATIVE_CATEGORY["OK"], raw_detected_by=_NATIVE_SOURCE)

    def failure_status(self, detail: int, text: str = "") -> pb.MxStatusProxy:
        category = _CATEGORY.get(detail, "OPERATIONAL_ERROR")
        return self._pb.MxStatusProxy(
            success=0,
            category=self._category[category],
            detected_by=self._source,
            detail=detail,
            raw_category=_NATIVE_CATEGORY[category],
            raw_detected_by=_NATIVE_SOURCE,
            diagnostic_text=text or DETAIL_NAMES.get(detail, ""),
        )

    def ok(self, reply: pb.MxCommandReply) -> pb.MxCommandReply:
        reply.protocol_status.code = self._ok_code
        return reply

    def mx_failure(self, reply: pb.MxCommandReply, hresult: int, message: str,
                   *statuses: pb.MxStatusProxy) -> pb.MxCommandReply:
        """An MXAccess failure: a successful RPC whose reply says MXACCESS_FAILURE."""
        reply.protocol_status.code = self._failure_code
        reply.protocol_status.message = message
        reply.hresult = hresult
        reply.diagnostic_message = message
        reply.statuses.extend(statuses)
        return reply
