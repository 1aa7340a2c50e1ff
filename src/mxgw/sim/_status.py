"""MXAccess status proxies, HRESULTs and the protocol-status helpers for replies."""

from __future__ import annotations

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
_CATEGORY = {
    INVALID_REFERENCE: pb.MX_STATUS_CATEGORY_CONFIGURATION_ERROR,
    INDEX_OUT_OF_RANGE: pb.MX_STATUS_CATEGORY_CONFIGURATION_ERROR,
    INCORRECT_DATA_TYPE: pb.MX_STATUS_CATEGORY_CONFIGURATION_ERROR,
    NOT_WRITEABLE: pb.MX_STATUS_CATEGORY_CONFIGURATION_ERROR,
    SECURED_WRITE: pb.MX_STATUS_CATEGORY_SECURITY_ERROR,
    VERIFIED_WRITE: pb.MX_STATUS_CATEGORY_SECURITY_ERROR,
}


def ok_status() -> pb.MxStatusProxy:
    # COM's VARIANT_TRUE is -1: `success` is the numeric value, not a bool.
    return pb.MxStatusProxy(
        success=-1,
        category=pb.MX_STATUS_CATEGORY_OK,
        detected_by=pb.MX_STATUS_SOURCE_RESPONDING_AUTOMATION_OBJECT,
        raw_category=pb.MX_STATUS_CATEGORY_OK - 2,
        raw_detected_by=pb.MX_STATUS_SOURCE_RESPONDING_AUTOMATION_OBJECT - 2,
    )


def failure_status(
    detail: int, category: pb.MxStatusCategory | None = None, text: str = ""
) -> pb.MxStatusProxy:
    category = category if category is not None else _CATEGORY.get(
        detail, pb.MX_STATUS_CATEGORY_OPERATIONAL_ERROR)
    source = pb.MX_STATUS_SOURCE_RESPONDING_AUTOMATION_OBJECT
    return pb.MxStatusProxy(
        success=0,
        category=category,
        detected_by=source,
        detail=detail,
        raw_category=category - 2,
        raw_detected_by=source - 2,
        diagnostic_text=text or DETAIL_NAMES.get(detail, ""),
    )


def ok(reply: pb.MxCommandReply) -> pb.MxCommandReply:
    reply.protocol_status.code = pb.PROTOCOL_STATUS_CODE_OK
    return reply


def mx_failure(
    reply: pb.MxCommandReply, hresult: int, message: str, *statuses: pb.MxStatusProxy
) -> pb.MxCommandReply:
    """An MXAccess failure: a successful RPC whose reply says MXACCESS_FAILURE."""
    reply.protocol_status.code = pb.PROTOCOL_STATUS_CODE_MXACCESS_FAILURE
    reply.protocol_status.message = message
    reply.hresult = hresult
    reply.diagnostic_message = message
    reply.statuses.extend(statuses)
    return reply
