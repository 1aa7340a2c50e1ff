"""MXAccess statuses and OPC DA qualities as readable text. Pure tables: no grpc, no proto.

A status entry is a real failure only when its category is set and is neither OK nor
PENDING: UNSPECIFIED and UNKNOWN entries are unpopulated placeholders the gateway sends
for slots MXAccess left empty, so they never make a call fail.
"""

from __future__ import annotations

from dataclasses import dataclass

# MxStatusDetail numbers (MX_E_*) that the contract names. Numbers not listed here print
# as "MX_E_<n>" rather than a guessed name; add them as they are confirmed.
DETAIL_NAMES: dict[int, str] = {
    0: "MX_S_Success",
    6: "MX_E_InvalidReference",
    1003: "MX_E_IndexOutOfRange",
    1005: "MX_E_IncorrectDataType",
    1007: "MX_E_NotWriteable",
    1012: "MX_E_SecuredWrite",
    1013: "MX_E_VerifiedWrite",
}

_DETAIL_TEXT: dict[int, str] = {
    6: "invalid reference (no such object or attribute)",
    1003: "array index out of range",
    1005: "incorrect data type for this attribute",
    1007: "attribute is not writeable",
    1012: "secured write: authenticate a user and use write_secured",
    1013: "verified write: needs a verifier user as well",
}

_NOT_FAILURES = frozenset({"UNSPECIFIED", "UNKNOWN", "OK", "PENDING"})


@dataclass(frozen=True)
class StatusInfo:
    """One decoded MxStatusProxy.

    category / source: enum names without prefix ("CONFIGURATION_ERROR", "RESPONDING_LMX");
    detail: the MxStatusDetail number; detail_name: "MX_E_InvalidReference";
    text: the gateway's diagnostic text, or a description of the detail.
    """

    category: str
    source: str
    detail: int
    detail_name: str
    text: str
    is_failure: bool

    # The seam hands out one record for equal statuses (a bulk read's 1,000 rows share
    # one), so the record printer keeps each one's text (mxgw._jsontext, which imports
    # no records): frozen, with immutable fields, it never changes.
    _shared_record = True

    @classmethod
    def from_parts(cls, category: str, source: str, detail: int, text: str) -> StatusInfo:
        is_failure = category not in _NOT_FAILURES
        name = DETAIL_NAMES.get(detail, f"MX_E_{detail}")
        if not text:
            text = _DETAIL_TEXT.get(detail, "") if is_failure or detail else ""
        return cls(category, source, detail, name, text, is_failure)

    def __str__(self) -> str:
        label = self.category.replace("_", " ").lower()
        return f"{label}: {self.detail_name}" + (f" ({self.text})" if self.text else "")


def failures(statuses: tuple[StatusInfo, ...]) -> tuple[StatusInfo, ...]:
    """The entries that are real failures (placeholders and OK/PENDING dropped)."""
    return tuple([s for s in statuses if s.is_failure])  # (a list: faster than a generator)


# OPC DA quality: the top two bits are Good/Uncertain/Bad, the next four the substatus,
# the low two the limit bits.
_QUALITY: dict[int, str] = {
    0x00: "Bad",
    0x04: "Bad: configuration error",
    0x08: "Bad: not connected",
    0x0C: "Bad: device failure",
    0x10: "Bad: sensor failure",
    0x14: "Bad: last known value",
    0x18: "Bad: communication failure",
    0x1C: "Bad: out of service",
    0x20: "Bad: waiting for initial data",
    0x40: "Uncertain",
    0x44: "Uncertain: last usable value",
    0x50: "Uncertain: sensor not accurate",
    0x54: "Uncertain: engineering units exceeded",
    0x58: "Uncertain: sub-normal",
    0xC0: "Good",
    0xD8: "Good: local override",
}
_LIMITS = {1: "low limited", 2: "high limited", 3: "constant"}


def quality_text(quality: int) -> str:
    """`192` -> "Good", `4` -> "Bad: configuration error", `0x41` -> "Uncertain (low limited)"."""
    base = quality & 0xFC
    text = _QUALITY.get(base)
    if text is None:
        major = {0x00: "Bad", 0x40: "Uncertain", 0xC0: "Good"}.get(base & 0xC0, "Invalid")
        text = f"{major}: substatus {(base >> 2) & 0x0F}"
    limit = _LIMITS.get(quality & 0x03)
    return f"{text} ({limit})" if limit else text


def is_good(quality: int) -> bool:
    return quality & 0xC0 == 0xC0
