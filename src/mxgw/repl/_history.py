"""REPL history in the user's data folder, minus anything that looks like a secret.

Lines that mention a password, key, token or secret, that contain something shaped
like an mxgw API key, or that contain a secret in use (the key, its bare secret part)
are never written to the file. They stay recallable
with the up arrow for the rest of the session (prompt_toolkit keeps them in
memory), which is what people expect when fixing a typo in such a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath

from prompt_toolkit.history import FileHistory, History, ThreadedHistory

from .._errors import redact
from .._files import private_file
from .._paths import history_file

# Deliberately broad: a false positive only costs one history entry.
_SECRET_WORDS = re.compile(
    r"(?i)pass(?:word|wd|phrase)|\bpwd\b|\bpw\b|-pw\b|secret|token|credential"
    r"|api[_-]?key|private[_-]?key|\bkey\b|_key\b|\bkey_|authenticate_user"
)


def is_secret(line: str, secrets: Iterable[str] = ()) -> bool:
    """True when `line` must not be written to the history file: it mentions a secret by
    name, holds something key-shaped, or holds one of `secrets` (the key in use, its bare
    secret part, passwords learnt while running)."""
    return (bool(_SECRET_WORDS.search(line)) or redact(line) != line
            or any(secret and secret in line for secret in secrets))


class FilteredFileHistory(FileHistory):
    """A FileHistory whose file never receives lines that `is_secret()` flags.

    `secrets` is read at every store (a live set: secrets learnt later count too)."""

    def __init__(self, filename: str, secrets: Iterable[str] = ()) -> None:
        super().__init__(filename)
        self._secrets = secrets

    def store_string(self, string: str) -> None:
        if is_secret(string, self._secrets):
            return
        super().store_string(string)


def open_history(path: PurePath | None = None, secrets: Iterable[str] = ()) -> History:
    """The REPL's history at `path` (default `mxgw._paths.history_file()`).

    The folder is created private to the user; the file too, since commands can
    still contain tag values people consider sensitive.
    """
    target = private_file(path if path is not None else history_file())
    return ThreadedHistory(FilteredFileHistory(str(target), secrets))
