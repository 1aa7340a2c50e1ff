"""Where mxgw keeps the user's files, on Windows and elsewhere.

    config   %APPDATA%\\mxgw            $XDG_CONFIG_HOME/mxgw  (~/.config/mxgw)    config.toml,
                                                                          known_gateways.json
    data     %LOCALAPPDATA%\\mxgw       $XDG_DATA_HOME/mxgw    (~/.local/share/mxgw) REPL history
    state    %LOCALAPPDATA%\\mxgw       $XDG_STATE_HOME/mxgw   (~/.local/state/mxgw) audit log

`MXGW_HOME` overrides all three (one folder), for service accounts and tests. The
functions take the environment and OS name as arguments so tests can simulate Windows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePath, PureWindowsPath

_APP = "mxgw"


def _home(env: Mapping[str, str], os_name: str) -> PurePath:
    if os_name == "nt":
        return PureWindowsPath(env.get("USERPROFILE") or str(Path.home()))
    return Path(env.get("HOME") or str(Path.home()))


def _folder(
    kind: str, env: Mapping[str, str] | None, os_name: str | None
) -> PurePath:
    env = os.environ if env is None else env
    os_name = os.name if os_name is None else os_name
    override = env.get("MXGW_HOME")
    if override:
        return (PureWindowsPath if os_name == "nt" else Path)(override)
    if os_name == "nt":
        var = "APPDATA" if kind == "config" else "LOCALAPPDATA"
        fallback = ("AppData", "Roaming") if kind == "config" else ("AppData", "Local")
        base = env.get(var)
        root = PureWindowsPath(base) if base else _home(env, os_name).joinpath(*fallback)
        return root / _APP
    xdg: dict[str, tuple[str, tuple[str, ...]]] = {
        "config": ("XDG_CONFIG_HOME", (".config",)),
        "data": ("XDG_DATA_HOME", (".local", "share")),
        "state": ("XDG_STATE_HOME", (".local", "state")),
    }
    var, posix_fallback = xdg[kind]
    base = env.get(var)
    root = Path(base) if base else Path(_home(env, os_name)).joinpath(*posix_fallback)
    return root / _APP


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

