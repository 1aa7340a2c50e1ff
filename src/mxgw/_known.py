"""known_gateways.json: the certificate trusted for each gateway endpoint (SSH's known_hosts).

    {"gateways": {"gateway01:5120": {"firstSeen": "2026-11-21T08:00:00.000000Z",
                                     "lastSeen": "2026-11-22T08:00:00.000000Z",
                                     "sha256": "3f:a0:...:9c"}},
     "version": 1}

Endpoints are named by `Endpoint.key` (host lower-cased, port filled in, no scheme, IPv6
in brackets). A fingerprint is the SHA-256 of the DER certificate in lower-case colon hex
(`colon_hex`; `mxgw._channel.fingerprint` computes it, the simulator prints it).

Every read and write holds the file's lock and a write replaces the file atomically
(mxgw._files), so looking up and storing is one step: of two processes meeting a new
gateway at once, one stores it and the other finds it known. A missing file is an empty
one; a corrupt one is a KnownGatewaysFileError naming the file, and is never overwritten.
No grpc here.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from . import _errors, _files
from ._endpoint import parse_endpoint
from ._log import log
from ._timefmt import now_utc

VERSION = 1
_HEX_DIGITS = frozenset("0123456789abcdef")



def colon_hex(hexdigest: str) -> str:
    """`3fa0...` -> `3f:a0:...`: the one printed form of a certificate fingerprint."""
    return ":".join(hexdigest[i:i + 2] for i in range(0, len(hexdigest), 2))


def parse_fingerprint(text: str, what: str = "tls_pin") -> str:
    """A SHA-256 fingerprint as users paste it (colon or plain hex, any case) -> colon_hex.

    Raises MxGatewayConfigError (a ValueError) naming `what` when it is not 64 hex digits.
    """
    digits = "".join(text.split()).replace(":", "").lower()
    if len(digits) != 64 or not set(digits) <= _HEX_DIGITS:
        raise _errors.MxGatewayConfigError(
            f"{what}: not a SHA-256 fingerprint (64 hex digits, colons optional, e.g. what "
            f"`mxgw sim --tls` prints): {text.strip()[:100]!r}")
    return colon_hex(digits)


@dataclass(frozen=True)
class KnownGateway:
    """One entry of the file."""

    endpoint: str
    sha256: str
    first_seen: str
    last_seen: str


@dataclass(frozen=True)
class CertificateTrust:
    """How a TLS connection's certificate was trusted (`GatewayClient.certificate_trust`).

    `status` is one of
        "new"        first contact: the certificate was stored in `file` just now
        "known"      it is the one stored in `file`, trusted since `first_seen`
        "pinned"     it is the one given as `tls_pin` (no file involved)
        "not-stored" trusted on first use for this client only (`known_gateways=None`)

        trust = client.certificate_trust      # None for plaintext, a CA file, system roots
        if trust and trust.status == "new":
            print("first contact with", trust.endpoint, trust.sha256)
    """

    endpoint: str
    sha256: str
    status: str
    first_seen: str | None = None
    file: str | None = None

    @property
    def description(self) -> str:
        """The transport description `GatewayClient.transport_description` shows."""
        if self.status == "new":
            return f"TLS (trust-on-first-use: new, now pinned SHA-256 {self.sha256})"
        if self.status == "known":
            return (f"TLS (trust-on-first-use: pinned, known since {self.first_seen}, "
                    f"SHA-256 {self.sha256})")
        if self.status == "pinned":
            return f"TLS (pinned by tls_pin, SHA-256 {self.sha256})"
        return f"TLS (trust-on-first-use, pinned SHA-256 {self.sha256})"


def accept_hint(endpoint: str, presented: str) -> str:
    return (f"check the certificate on the gateway host (there, `mxgw trust add "
            f"localhost:{endpoint.rsplit(':', 1)[1]}` prints its SHA-256); if it is the one "
            f"presented, accept it with `mxgw trust add {endpoint} --pin {presented}`")


def changed_error(entry: KnownGateway, presented: str, file: str
                  ) -> _errors.MxGatewayCertificateChangedError:
    return _errors.MxGatewayCertificateChangedError(
        f"refused: the TLS certificate of {entry.endpoint} has changed. Known since "
        f"{entry.first_seen} with SHA-256 {entry.sha256}, it now presents SHA-256 "
        f"{presented}. Nothing was sent, not the API key either. A machine in the middle "
        f"looks like this, and so does a gateway whose certificate was renewed: "
        f"{accept_hint(entry.endpoint, presented)} (known gateways file {file})",
        endpoint=entry.endpoint, expected=entry.sha256, presented=presented,
        first_seen=entry.first_seen)


def pin_error(endpoint: str, pin: str, presented: str
              ) -> _errors.MxGatewayCertificateChangedError:
    return _errors.MxGatewayCertificateChangedError(
        f"refused: {endpoint} presents a TLS certificate with SHA-256 {presented}, not the "
        f"pinned {pin} (--tls-pin / tls_pin). Nothing was sent, not the API key either",
        endpoint=endpoint, expected=pin, presented=presented)


class KnownGateways:
    """The known-gateways file at `path`; every method takes the file's lock.

        store = KnownGateways(mxgw._paths.known_gateways_file())
        trust = store.check("gateway01:5120", "3f:a0:...")   # "new" or "known", or raises
    """

    def __init__(self, path: str | PurePath) -> None:
        self.path = Path(path)

    def entries(self) -> list[KnownGateway]:
        """Every entry, sorted by endpoint; a missing file (even in a folder that cannot
        be made) is an empty list."""
        if not self.path.exists():
            return []
        with self._lock():
            return sorted(self._read().values(), key=lambda e: e.endpoint)

    def lookup(self, endpoint: str) -> KnownGateway | None:
        """The entry for `endpoint`, or None. Only reads: unlike `check`, nothing is stored
        or refreshed, and a missing file stays missing (`mxgw doctor` reports, never trusts)."""
        if not self.path.exists():
            return None
        with self._lock():
            return self._read().get(endpoint)

    def check(self, endpoint: str, presented: str) -> CertificateTrust:
        """Trust `presented` for `endpoint` if it is the stored one or the first one.

        First contact stores it ("new"); the stored certificate is "known" (its lastSeen
        is refreshed when the file can be written); any other raises
        MxGatewayCertificateChangedError and leaves the file as it was.
        """
        now = now_utc()
        with self._lock():
            gateways = self._read()
            entry = gateways.get(endpoint)
            if entry is None:
                gateways[endpoint] = KnownGateway(endpoint, presented, now, now)
                self._write(gateways)
                return CertificateTrust(endpoint, presented, "new", now, str(self.path))
            if entry.sha256 != presented:
                raise changed_error(entry, presented, str(self.path))
            gateways[endpoint] = KnownGateway(endpoint, presented, entry.first_seen, now)
            try:
                self._write(gateways)
            except _errors.KnownGatewaysFileError as exc:
                # Only lastSeen is lost; the trust decision stands.
                log.info("known gateways: lastSeen of %s not updated: %s", endpoint, exc)
            return CertificateTrust(endpoint, presented, "known", entry.first_seen,
                                    str(self.path))

    def add(self, endpoint: str, sha256: str, *, replace: bool
            ) -> tuple[KnownGateway, KnownGateway | None]:
        """Store `sha256` for `endpoint`; returns (the entry now, the entry before or None).

        The same certificate leaves the file as it is. A different stored one is replaced
        only with `replace`, otherwise this raises MxGatewayCertificateChangedError (an
        explicit pin is how to accept a new certificate).
        """
        now = now_utc()
        with self._lock():
            gateways = self._read()
            old = gateways.get(endpoint)
            if old is not None and old.sha256 == sha256:
                return old, old
            if old is not None and not replace:
                raise changed_error(old, sha256, str(self.path))
            entry = KnownGateway(endpoint, sha256, now, now)
            gateways[endpoint] = entry
            self._write(gateways)
            return entry, old

    def forget(self, endpoint: str) -> KnownGateway | None:
        """Remove `endpoint`; returns the removed entry, or None when it was not known."""
        with self._lock():
            gateways = self._read()
            old = gateways.pop(endpoint, None)
            if old is not None:
                self._write(gateways)
            return old

    # ------------------------------------------------------------ the file

    def _problem(self, what: str) -> _errors.KnownGatewaysFileError:
        return _errors.KnownGatewaysFileError(f"known gateways file {self.path}: {what}")

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        stack = contextlib.ExitStack()
        try:  # only taking the lock: what the body raises passes through untouched
            stack.enter_context(_files.locked(self.path))
        except TimeoutError as exc:
            raise self._problem(f"locked by another process for more than "
                                f"{_files.LOCK_TIMEOUT:g} s") from exc
        except OSError as exc:
            raise self._problem(
                f"cannot lock it: {exc.strerror or exc} (use --tls-pin, or set MXGW_HOME "
                "to a folder you can write)") from exc
        with stack:
            yield

    def _read(self) -> dict[str, KnownGateway]:
        try:
            text = _files.read_text_or_none(self.path)
        except (OSError, UnicodeDecodeError) as exc:
            raise self._problem(f"cannot read it: {getattr(exc, 'strerror', None) or exc}"
                                ) from exc
        if text is None:
            return {}
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise self._corrupt(f"not valid JSON ({exc})") from exc
        return self._parse(doc)

    def _corrupt(self, what: str) -> _errors.KnownGatewaysFileError:
        return self._problem(f"{what}; fix it, or move it away to start over (every "
                             "gateway is then trusted on first use again)")

    def _parse(self, doc: Any) -> dict[str, KnownGateway]:
        if not isinstance(doc, dict) or not isinstance(doc.get("gateways"), dict):
            raise self._corrupt('not a known gateways file (an object with "version" and '
                                '"gateways")')
        if doc.get("version") != VERSION:
            raise self._corrupt(f"version {doc.get('version')!r} is not {VERSION} (written "
                                "by another mxgw version?)")
        gateways: dict[str, KnownGateway] = {}
        for name, raw in doc["gateways"].items():
            fields = ("sha256", "firstSeen", "lastSeen")
            if not isinstance(raw, dict) or not all(isinstance(raw.get(f), str) for f in fields):
                raise self._corrupt(f"entry {name!r} needs the strings {', '.join(fields)}")
            try:
                key = parse_endpoint(name).key
                sha256 = parse_fingerprint(raw["sha256"], f"entry {name!r}")
            except ValueError as exc:
                raise self._corrupt(str(exc)) from exc
            if key in gateways:
                raise self._corrupt(f"{key} is listed twice")
            gateways[key] = KnownGateway(key, sha256, raw["firstSeen"], raw["lastSeen"])
        return gateways

    def _write(self, gateways: dict[str, KnownGateway]) -> None:
        doc = {"version": VERSION, "gateways": {
            key: {"sha256": e.sha256, "firstSeen": e.first_seen, "lastSeen": e.last_seen}
            for key, e in gateways.items()}}
        text = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
        try:
            _files.write_private(self.path, text)
        except OSError as exc:
            raise self._problem(f"cannot write it: {exc.strerror or exc}") from exc
