"""Where mxgw keeps the user's files, on Windows and elsewhere.

    config   %APPDATA%\\mxgw            $XDG_CONFIG_HOME/mxgw  (~/.config/mxgw)    config.toml,
                                                                          known_gateways.json
    data     %LOCALAPPDATA%\\mxgw       $XDG_DATA_HOME/mxgw    (~/.local/share/mxgw) REPL history
    state    %LOCALAPPDATA%\\mxgw       $XDG_STATE_HOME/mxgw   (~/.local/state/mxgw) audit log

`MXGW_HOME` overrides all three (one folder), for service accounts and tests. The
functions take the environment and OS name as arguments so tests can simulate Windows.
"""

from __future__ import annotations

import errno
import os
import posixpath
from collections.abc import Callable, Mapping

TYPE_CHECKING = False  # typing is not imported at run time: `mxgw version` uses this module
if TYPE_CHECKING:
    from pathlib import PurePath

# pathlib is imported where a PurePath is made, not here: with urllib.parse and ipaddress
# it is ~3.5 ms of every command's start, and a one-shot command only needs the text of
# two paths (`text`) and whether they exist (`exists`, `is_dir`).

_APP = "mxgw"
# Where pathlib's exists() and is_dir() answer False instead of raising (Python 3.11).
_IGNORED_ERRNOS = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def _join(os_name: str) -> Callable[..., str]:
    if os_name == "nt":
        import ntpath

        return ntpath.join
    return posixpath.join


def _home(env: Mapping[str, str], os_name: str) -> str:
    found = env.get("USERPROFILE" if os_name == "nt" else "HOME")
    if found:
        return found
    home = os.path.expanduser("~")  # what Path.home() asks
    if home.startswith("~"):
        raise RuntimeError("Could not determine home directory.")  # as Path.home() does
    return home


def _folder_text(kind: str, env: Mapping[str, str] | None, os_name: str | None) -> str:
    """The folder as joined text (made a PurePath by `_folder`, normalized by `text`)."""
    env = os.environ if env is None else env
    os_name = os.name if os_name is None else os_name
    override = env.get("MXGW_HOME")
    if override:
        return override
    join = _join(os_name)
    if os_name == "nt":
        var = "APPDATA" if kind == "config" else "LOCALAPPDATA"
        fallback = ("AppData", "Roaming") if kind == "config" else ("AppData", "Local")
        base = env.get(var)
        root = base if base else join(_home(env, os_name), *fallback)
        return join(root, _APP)
    xdg: dict[str, tuple[str, tuple[str, ...]]] = {
        "config": ("XDG_CONFIG_HOME", (".config",)),
        "data": ("XDG_DATA_HOME", (".local", "share")),
        "state": ("XDG_STATE_HOME", (".local", "state")),
    }
    var, posix_fallback = xdg[kind]
    base = env.get(var)
    root = base if base else join(_home(env, os_name), *posix_fallback)
    return join(root, _APP)


def _folder(
    kind: str, env: Mapping[str, str] | None, os_name: str | None
) -> PurePath:
    from pathlib import Path, PureWindowsPath

    os_name = os.name if os_name is None else os_name
    return (PureWindowsPath if os_name == "nt" else Path)(_folder_text(kind, env, os_name))


def text(kind: str, *names: str, env: Mapping[str, str] | None = None) -> str:
    """`names` in the folder `kind` ("config", "data" or "state") on this machine, as
    str() of the PurePath the functions below return; on POSIX without pathlib."""
    joined = _join(os.name)(_folder_text(kind, env, os.name), *names)
    if os.name == "nt":
        from pathlib import PureWindowsPath

        return str(PureWindowsPath(joined))
    return posix_normal(joined)


def posix_normal(path: str) -> str:
    """str(PurePosixPath(path)): empty and "." parts dropped, "//" kept as a root (POSIX
    allows it) but three or more slashes made one, "." for nothing. (tests/test_paths.py
    compares it with pathlib.)"""
    root = ("//" if path.startswith("//") and not path.startswith("///")
            else "/" if path.startswith("/") else "")
    parts = [part for part in path.split("/") if part and part != "."]
    return root + "/".join(parts) if root or parts else "."


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno in _IGNORED_ERRNOS:
            return None
        raise
    except ValueError:  # an embedded NUL: no such file
        return None


def exists(path: str) -> bool:
    """Path(path).exists() (on Windows, that itself: its errors are other ones)."""
    if os.name == "nt":
        from pathlib import Path

        return Path(path).exists()
    return _stat(path) is not None


def is_dir(path: str) -> bool:
    """Path(path).is_dir(), as `exists`."""
    if os.name == "nt":
        from pathlib import Path

        return Path(path).is_dir()
    import stat

    found = _stat(path)
    return found is not None and stat.S_ISDIR(found.st_mode)


def config_dir(env: Mapping[str, str] | None = None, os_name: str | None = None) -> PurePath:
    """The folder of `config.toml` (profiles)."""
    return _folder("config", env, os_name)


def data_dir(env: Mapping[str, str] | None = None, os_name: str | None = None) -> PurePath:
    """The folder of the REPL history and other per-user data."""
    return _folder("data", env, os_name)


def state_dir(env: Mapping[str, str] | None = None, os_name: str | None = None) -> PurePath:
    """The folder of the write audit log."""
    return _folder("state", env, os_name)


def default_config_file(env: Mapping[str, str] | None = None, os_name: str | None = None) -> PurePath:
    return config_dir(env, os_name) / "config.toml"


def known_gateways_file(env: Mapping[str, str] | None = None,
                        os_name: str | None = None) -> PurePath:
    """The certificates trusted on first use, by endpoint (see mxgw._known)."""
    return config_dir(env, os_name) / "known_gateways.json"


def audit_log_file(env: Mapping[str, str] | None = None, os_name: str | None = None) -> PurePath:
    return state_dir(env, os_name) / "audit.jsonl"


def history_file(env: Mapping[str, str] | None = None, os_name: str | None = None) -> PurePath:
    return data_dir(env, os_name) / "repl_history"

