"""API keys and scopes, as the real gateway checks them (contract part A').

A key is `mxgw_<keyId>_<secret>`: keyId is alphanumeric, the secret 43 URL-safe characters.
Only a hash of each secret is kept, and no message ever contains a key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

SESSION_OPEN = "session:open"
SESSION_CLOSE = "session:close"
INVOKE_READ = "invoke:read"
INVOKE_WRITE = "invoke:write"
INVOKE_SECURE = "invoke:secure"
EVENTS_READ = "events:read"
METADATA_READ = "metadata:read"
ADMIN = "admin"
ALL_SCOPES = frozenset(
    {SESSION_OPEN, SESSION_CLOSE, INVOKE_READ, INVOKE_WRITE, INVOKE_SECURE, EVENTS_READ,
     METADATA_READ, ADMIN}
)
READ_ONLY_SCOPES = frozenset({SESSION_OPEN, SESSION_CLOSE, INVOKE_READ, EVENTS_READ,
                              METADATA_READ})

_KEY = re.compile(r"^mxgw_([A-Za-z0-9]+)_([A-Za-z0-9_-]{43})$")


class AuthError(Exception):
    """`code` is "UNAUTHENTICATED" or "PERMISSION_DENIED"; the message holds no key."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class _Key:
    digest: bytes = field(repr=False)  # the secret's hash: never in a repr
    scopes: frozenset[str]


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


class KeyStore:
    """The keys the simulator accepts. `enabled=False` is the no-auth mode."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._keys: dict[str, _Key] = {}

    def make_key(self, scopes: Iterable[str]) -> str:
        scopes = frozenset(scopes)
        unknown = scopes - ALL_SCOPES
        if unknown:
            raise ValueError(f"unknown scopes: {sorted(unknown)}")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)  # 43 characters
        self._keys[key_id] = _Key(_digest(secret), scopes)
        return f"mxgw_{key_id}_{secret}"

    def authenticate(self, authorization: str | None) -> frozenset[str]:
        """The scopes of the key in the `authorization` metadata value, or AuthError."""
        if not self.enabled:
            return ALL_SCOPES
        if not authorization:
            raise AuthError("UNAUTHENTICATED", "missing API key (authorization: Bearer ...)")
        kind, _, token = authorization.partition(" ")
        match = _KEY.match(token.strip()) if kind.lower() == "bearer" else None
        if match is None:
            raise AuthError("UNAUTHENTICATED", "malformed API key")
        key = self._keys.get(match.group(1))
        if key is None or not hmac.compare_digest(key.digest, _digest(match.group(2))):
            raise AuthError("UNAUTHENTICATED", "unknown API key")
        return key.scopes

    @staticmethod
    def authorize(scopes: frozenset[str], scope: str) -> None:
        if scope not in scopes:
            raise AuthError("PERMISSION_DENIED", f"API key lacks scope {scope}")
