"""The doctor's DER certificate reader, checked against `cryptography` (a test dependency)
on certificates it builds: names, both time encodings, self-signed or issued, garbage."""

from __future__ import annotations

import datetime
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mxgw._x509 import parse_certificate

UTC = datetime.UTC


def make_der(cn: str | None = "gw01", *, dns: tuple[str, ...] = (), ips: tuple[str, ...] = (),
             not_before: datetime.datetime | None = None,
             not_after: datetime.datetime | None = None, issuer: str | None = None) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)] if cn else [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Plant")])
    issuer_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]) if issuer else (
        subject)
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before or now - datetime.timedelta(days=1))
               .not_valid_after(not_after or now + datetime.timedelta(days=90)))
    names: list[x509.GeneralName] = [x509.DNSName(n) for n in dns]
    names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                    critical=True)
    cert = builder.sign(key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


def test_names_and_validity_agree_with_cryptography() -> None:
    der = make_der("localhost", dns=("localhost", "gw01.plant.local"),
                   ips=("127.0.0.1", "::1", "10.1.2.3"))
    reference = x509.load_der_x509_certificate(der)
    info = parse_certificate(der)
    assert info.subject_cn == "localhost" and info.self_signed
    assert info.dns_names == ("localhost", "gw01.plant.local")
    assert info.ip_addresses == ("127.0.0.1", "::1", "10.1.2.3")
    assert info.not_before == reference.not_valid_before_utc
    assert info.not_after == reference.not_valid_after_utc
    assert info.names == ("localhost", "gw01.plant.local", "127.0.0.1", "::1", "10.1.2.3")


@pytest.mark.parametrize(("not_before", "not_after"), [
    (datetime.datetime(1999, 1, 2, 3, 4, 5, tzinfo=UTC),   # UTCTime, 19xx
     datetime.datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)),  # UTCTime, 20xx
    (datetime.datetime(2026, 1, 1, tzinfo=UTC),
     datetime.datetime(2051, 6, 30, 12, 0, 0, tzinfo=UTC)),  # GeneralizedTime (2050 on)
])
def test_both_time_encodings(not_before: datetime.datetime, not_after: datetime.datetime
                             ) -> None:
    info = parse_certificate(make_der(not_before=not_before, not_after=not_after))
    assert (info.not_before, info.not_after) == (not_before, not_after)


def test_an_issued_certificate_without_alt_names_falls_back_to_its_cn() -> None:
    info = parse_certificate(make_der("gw01.plant.local", issuer="Plant Issuing CA"))
    assert not info.self_signed and info.issuer_cn == "Plant Issuing CA"
    assert info.dns_names == () and info.names == ("gw01.plant.local",)
    assert info.matches("GW01.plant.local.") and not info.matches("localhost")
    nameless = parse_certificate(make_der(None))
    assert nameless.subject_cn is None and nameless.names == ()
    assert not nameless.matches("localhost")


def test_matching_follows_rfc_6125() -> None:
    info = parse_certificate(make_der(dns=("*.plant.local", "localhost"), ips=("::1",)))
    assert info.matches("gw01.plant.local") and info.matches("LOCALHOST")
    assert not info.matches("a.gw01.plant.local")  # a wildcard covers one label
    assert not info.matches("plant.local")
    assert info.matches("::1") and info.matches("[::1]") and info.matches("0:0::1")
    assert not info.matches("127.0.0.1")  # an IP matches IP names only
    assert not info.matches("gw01")


@pytest.mark.parametrize("der", [b"", b"\x30", b"\x30\x82\xff\xff", b"\x02\x01\x00",
                                 b"\x30\x03\x02\x01\x00", b"\x1f" * 10])
def test_garbage_is_a_value_error(der: bytes) -> None:
    with pytest.raises(ValueError, match="DER|TBSCertificate|Certificate"):
        parse_certificate(der)


def test_a_truncated_certificate_is_a_value_error() -> None:
    der = make_der(dns=("localhost",))
    for cut in (10, len(der) // 2, len(der) - 1):
        with pytest.raises(ValueError):
            parse_certificate(der[:cut])
