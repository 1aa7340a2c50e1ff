"""TLS for the simulator: a given certificate and key, or a generated self-signed one.

The self-signed certificate's SANs are localhost, this host's name, 127.0.0.1 and ::1 (as
the real gateway's generated one). It is made with the `cryptography` package when it is
importable (it is in the `test` extras), else with the `openssl` command; with neither, the
simulator stops with a clear error asking for one of them or for --cert-file/--key-file.
"""

from __future__ import annotations

import datetime
import ipaddress
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
from pathlib import Path

import grpc

from ._options import SimOptions


class TlsSetupError(ValueError):
    """No certificate could be loaded or made; the message says what to do."""


def _names() -> list[str]:
    names = ["localhost"]
    host = socket.gethostname()
    if host and host not in names:
        names.append(host)
    return names


_IPS = ["127.0.0.1", "::1"]


def _organization() -> str:
    # A subject of its own per certificate: a verifier looks an issuer up by subject, so
    # two self-signed certificates that share one (an older simulator's, still trusted
    # in a certificate store) would be taken for each other and fail verification.
    return f"mxgw simulator {secrets.token_hex(8)}"


def _with_cryptography() -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, _organization())])
    now = datetime.datetime.now(datetime.UTC)
    sans: list[x509.GeneralName] = [x509.DNSName(n) for n in _names()]
    sans += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in _IPS]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _with_openssl(openssl: str) -> tuple[bytes, bytes]:
    san = ",".join([f"DNS:{n}" for n in _names()] + [f"IP:{ip}" for ip in _IPS])
    with tempfile.TemporaryDirectory(prefix="mxgw-sim-tls-") as tmp:
        cert, key = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
        command = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                   "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out",
                   str(cert), "-days", "365", "-subj", f"/CN=localhost/O={_organization()}", "-addext",
                   f"subjectAltName={san}"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise TlsSetupError(f"openssl could not make a certificate: {done.stderr.strip()}")
        return cert.read_bytes(), key.read_bytes()


def self_signed(use_cryptography: bool = True) -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) for a fresh self-signed localhost certificate."""
    if use_cryptography:
        try:
            return _with_cryptography()
        except ImportError:
            pass  # no `cryptography`: fall back to the openssl command below
    openssl = shutil.which("openssl")
    if openssl is None:
        raise TlsSetupError(
            "cannot make a self-signed certificate: install the 'cryptography' package or "
            "put the 'openssl' command on PATH, or pass --cert-file and --key-file")
    return _with_openssl(openssl)


class _Encrypted(Exception):
    """OpenSSL asked for a password: grpc cannot use an encrypted key."""


def _refuse_password() -> bytes:
    raise _Encrypted  # instead of OpenSSL prompting on the console


def check_pair(cert_file: str, key_file: str, cert: bytes) -> None:
    """Refuse a certificate or key grpc could not serve, naming the file.

    grpc only finds out when it binds, and then says "Failed to bind" (and logs to
    stderr), which reads like a port problem; the standard `ssl` module parses the same
    PEM forms, so it checks the pair first."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_verify_locations(cadata=cert.decode("ascii"))
    except (UnicodeDecodeError, ssl.SSLError):
        raise TlsSetupError(f"{cert_file}: no PEM certificate in it") from None
    try:
        context.load_cert_chain(cert_file, key_file, password=_refuse_password)
    except _Encrypted:
        raise TlsSetupError(f"{key_file}: the private key is encrypted; give an "
                            "unencrypted PEM key") from None
    except ssl.SSLError as exc:
        if exc.reason == "KEY_VALUES_MISMATCH":
            raise TlsSetupError(f"{key_file}: the private key does not match the "
                                f"certificate in {cert_file}") from None
        raise TlsSetupError(f"{key_file}: no PEM private key in it") from None
    except OSError as exc:
        raise TlsSetupError(f"cannot read certificate or key: {exc}") from None


def server_credentials(options: SimOptions) -> tuple[grpc.ServerCredentials, bytes]:
    """Credentials to serve with, and the certificate PEM clients should trust."""
    if options.cert_file and options.key_file:
        try:
            cert = Path(options.cert_file).read_bytes()
            key = Path(options.key_file).read_bytes()
        except OSError as exc:
            raise TlsSetupError(f"cannot read certificate or key: {exc}") from exc
        check_pair(options.cert_file, options.key_file, cert)
    else:
        cert, key = self_signed()
    return grpc.ssl_server_credentials([(key, cert)]), cert
