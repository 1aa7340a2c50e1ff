"""REPL history in the user's data folder, minus anything that looks like a secret.

Lines that mention a password, key, token or secret, or that contain something
shaped like an mxgw API key, are never written to the file. They stay recallable
with the up arrow for the rest of the session (prompt_toolkit keeps them in
memory), which is what people expect when fixing a typo in such a line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

from prompt_toolkit.history import FileHistory, History, ThreadedHistory

from .._errors import redact
from .._paths import history_file

# Deliberately broad: a false positive only costs one history entry.
_SECRET_WORDS = re.compile(
    r"(?i)pass(?:word|wd|phrase)|\bpwd\b|\bpw\b|-pw\b|secret|token|credential"
    r"|api[_-]?key|private[_-]?key|\bkey\b|_key\b|\bkey_|authenticate_user"
)


def is_secret(line: str) -> bool:
    """True when `line` must not be written to the history file."""
    return bool(_SECRET_WORDS.search(line)) or redact(line) != line


class FilteredFileHistory(FileHistory):
    """A FileHistory whose file never receives lines that `is_secret()` flags."""

    def store_string(self, string: str) -> None:
        if is_secret(string):
            return
        super().store_string(string)


def open_history(path: PurePath | None = None) -> History:
    """The REPL's history at `path` (default `mxgw._paths.history_file()`).

    The folder is created private to the user; the file too, since commands can
    still contain tag values people consider sensitive.
    """
    target = Path(path if path is not None else history_file())
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    return ThreadedHistory(FilteredFileHistory(str(target)))
