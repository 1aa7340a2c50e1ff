"""The simulator's ArchestrA users, for AuthenticateUser and secured/verified writes.

Demo users: `operator` / `operator-pw` and `supervisor` / `supervisor-pw`. Passwords are
compared by hash and never stored or logged in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class User:
    user_id: int
    name: str
    guid: str
    digest: bytes = field(repr=False)  # a password hash: never in a repr


def _digest(password: str) -> bytes:
    return hashlib.sha256(b"mxgw-sim:" + password.encode()).digest()


class Users:
    def __init__(self) -> None:
        self._by_name: dict[str, User] = {}
        for user_id, (name, password) in enumerate(
            [("operator", "operator-pw"), ("supervisor", "supervisor-pw")], start=1
        ):
            guid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"mxgw-sim-user:{name}"))
            self._by_name[name] = User(user_id, name, guid, _digest(password))

    def authenticate(self, name: str, password: str) -> int | None:
        user = self._by_name.get(name.lower())
        if user is None or not hmac.compare_digest(user.digest, _digest(password)):
            return None
        return user.user_id

    def by_guid(self, guid: str) -> int | None:
        for user in self._by_name.values():
            if user.guid.lower() == guid.strip("{}").lower():
                return user.user_id
        return None

    def guid(self, name: str) -> str:
        return self._by_name[name].guid
