"""Read what `mxgw doctor` reports from a DER certificate: validity, names, self-signed.

The standard `ssl` module decodes a peer certificate only after verifying it, and the
gateway's self-signed one is usually not verifiable; `cryptography` is not a runtime
dependency, and `ssl._ssl._test_decode_cert` is private and wants a file path (a temp file
that Windows will not let OpenSSL reopen while it is open). So this is a small DER reader
for the few fields needed (RFC 5280): it walks the TBSCertificate's tag-length-value
structure and never interprets anything else. No grpc, no third-party code.

    info = parse_certificate(der)
    info.not_after, info.dns_names, info.matches("localhost")
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import UTC, datetime

_SEQUENCE, _OCTET_STRING = 0x30, 0x04
_UTC_TIME, _GENERALIZED_TIME = 0x17, 0x18
_VERSION, _EXTENSIONS = 0xA0, 0xA3  # [0] EXPLICIT, [3] EXPLICIT in TBSCertificate
_DNS_NAME, _IP_ADDRESS = 0x82, 0x87  # GeneralName [2] IA5String, [7] OCTET STRING
_COMMON_NAME = bytes.fromhex("550403")  # 2.5.4.3
_SUBJECT_ALT_NAME = bytes.fromhex("551d11")  # 2.5.29.17
_STRINGS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x14: "latin-1", 0x1E: "utf-16-be"}
_TIME = re.compile(r"(\d{12}|\d{14})(?:\.\d+)?Z")


@dataclass(frozen=True)
class CertificateInfo:
    """The fields of an X.509 certificate that the doctor shows and checks."""

    subject_cn: str | None
    issuer_cn: str | None
    not_before: datetime
    not_after: datetime
    dns_names: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    self_signed: bool  # issuer and subject are the same name

    @property
    def names(self) -> tuple[str, ...]:
        """The names a TLS client checks: the subjectAltNames, else the subject's CN."""
        if self.dns_names or self.ip_addresses:
            return self.dns_names + self.ip_addresses
        return (self.subject_cn,) if self.subject_cn else ()

    def matches(self, host: str) -> bool:
        """Does the certificate name `host` (RFC 6125: IPs exactly, `*.` one label)?"""
        try:
            address = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            address = None
        if address is not None:
            return any(ipaddress.ip_address(ip) == address for ip in self.ip_addresses)
        wanted = host.lower().rstrip(".")
        for name in self.dns_names or ((self.subject_cn,) if self.subject_cn else ()):
            pattern = name.lower().rstrip(".")
            if pattern == wanted:
                return True
            if (pattern.startswith("*.") and "." in wanted
                    and wanted.split(".", 1)[1] == pattern[2:]):
                return True
        return False


def _read(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of the content, end of the content) of the element at `pos`."""
    if pos + 2 > len(data):
        raise ValueError("truncated DER element")
    tag, first = data[pos], data[pos + 1]
    if tag & 0x1F == 0x1F:
        raise ValueError("multi-byte DER tags are not used in certificates")
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if not 1 <= count <= 4 or pos + count > len(data):
            raise ValueError("bad DER length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("DER element runs past its container")
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    items = []
    while start < end:
        item = _read(data, start)
        if item[2] > end:
            raise ValueError("DER element runs past its container")
        items.append(item)
        start = item[2]
    return items


def _expect(item: tuple[int, int, int], tag: int, what: str) -> tuple[int, int, int]:
    if item[0] != tag:
        raise ValueError(f"{what}: expected DER tag 0x{tag:02x}, found 0x{item[0]:02x}")
    return item


def _time(data: bytes, item: tuple[int, int, int]) -> datetime:
    tag, start, end = item
    text = data[start:end].decode("ascii", "replace")
    match = _TIME.fullmatch(text)
    if tag not in (_UTC_TIME, _GENERALIZED_TIME) or match is None:
        raise ValueError(f"bad certificate time {text!r}")
    digits = match.group(1)
    if tag == _UTC_TIME:
        if len(digits) != 12:
            raise ValueError(f"bad UTCTime {text!r}")
        year = int(digits[:2])
        digits = str(1900 + year if year >= 50 else 2000 + year) + digits[2:]  # RFC 5280
    elif len(digits) != 14:
        raise ValueError(f"bad GeneralizedTime {text!r}")
    return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def _common_name(data: bytes, item: tuple[int, int, int]) -> str | None:
    for rdn in _children(data, item[1], item[2]):
        for attribute in _children(data, rdn[1], rdn[2]):
            parts = _children(data, attribute[1], attribute[2])
            if len(parts) == 2 and data[parts[0][1]:parts[0][2]] == _COMMON_NAME:
                tag, start, end = parts[1]
                return data[start:end].decode(_STRINGS.get(tag, "latin-1"), "replace")
    return None


def _alt_names(data: bytes, extensions: tuple[int, int, int]
               ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    dns: list[str] = []
    ips: list[str] = []
    for extension in _children(data, extensions[1], extensions[2]):
        parts = _children(data, extension[1], extension[2])
        if not parts or data[parts[0][1]:parts[0][2]] != _SUBJECT_ALT_NAME:
            continue
        value = _expect(parts[-1], _OCTET_STRING, "subjectAltName")
        names = _expect(_read(data, value[1]), _SEQUENCE, "GeneralNames")
        for tag, start, end in _children(data, names[1], names[2]):
            if tag == _DNS_NAME:
                dns.append(data[start:end].decode("ascii", "replace"))
            elif tag == _IP_ADDRESS and end - start in (4, 16):
                ips.append(str(ipaddress.ip_address(data[start:end])))
    return tuple(dns), tuple(ips)


def parse_certificate(der: bytes) -> CertificateInfo:
    """Decode a DER X.509 certificate; ValueError when it is not one."""
    certificate = _expect(_read(der, 0), _SEQUENCE, "Certificate")
    tbs = _expect(_read(der, certificate[1]), _SEQUENCE, "TBSCertificate")
    fields = _children(der, tbs[1], tbs[2])
    if fields and fields[0][0] == _VERSION:
        fields = fields[1:]
    if len(fields) < 6:
        raise ValueError("TBSCertificate has too few fields")
    # serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, ...
    issuer = _expect(fields[2], _SEQUENCE, "issuer")
    validity = _children(der, *_expect(fields[3], _SEQUENCE, "validity")[1:])
    subject = _expect(fields[4], _SEQUENCE, "subject")
    if len(validity) != 2:
        raise ValueError("validity needs notBefore and notAfter")
    dns: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()
    for item in fields[6:]:
        if item[0] == _EXTENSIONS:
            dns, ips = _alt_names(der, _expect(_read(der, item[1]), _SEQUENCE, "extensions"))
    return CertificateInfo(
        subject_cn=_common_name(der, subject), issuer_cn=_common_name(der, issuer),
        not_before=_time(der, validity[0]), not_after=_time(der, validity[1]),
        dns_names=dns, ip_addresses=ips,
        self_signed=der[issuer[1]:issuer[2]] == der[subject[1]:subject[2]])
