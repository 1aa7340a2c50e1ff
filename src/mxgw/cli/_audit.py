"""The local audit log of writes and alarm acknowledgements (JSON Lines).

Location: `mxgw._paths.audit_log_file()` (MXGW_HOME/audit.jsonl when MXGW_HOME is set).
One line per write attempt, dry runs included. Never credentials: the caller passes
names, tags and values only, and every string is scrubbed of anything key-shaped.
On POSIX the file is readable by the user only (0600; its folder 0700 when we make it).
A log that cannot be written does not stop the write: `append` raises OSError and the
caller reports it as a warning.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterable
from typing import Any

from .. import _files, _paths
from .._timefmt import now_utc
from ._exit import scrub
from ._output import to_jsonable


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


def _scrubbed(obj: Any, secrets: tuple[str, ...]) -> Any:
    # Scrubbed before encoding: a secret with a quote, a backslash or a non-ASCII letter
    # no longer matches itself once json.dumps has escaped it.
    if isinstance(obj, str):
        return scrub(obj, secrets)
    if isinstance(obj, dict):
        return {key: _scrubbed(value, secrets) for key, value in obj.items()}
    if isinstance(obj, list):
        return [_scrubbed(value, secrets) for value in obj]
    return obj


def append(action: str, details: dict[str, Any], *, endpoint: str | None,
           profile: str | None, secrets: Iterable[str] = ()) -> None:
    record = {
        "time": now_utc(),
        "action": action,
        "endpoint": endpoint,
        "profile": profile,
        "osUser": _user(),
        "pid": os.getpid(),
        **details,
    }
    line = json.dumps(_scrubbed(to_jsonable(record), tuple(secrets)), sort_keys=True,
                      ensure_ascii=True)
    path = _files.private_file(_paths.audit_log_file())
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
