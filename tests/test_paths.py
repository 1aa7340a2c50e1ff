from __future__ import annotations

from pathlib import PureWindowsPath

from mxgw import _paths


def test_linux_defaults_follow_xdg_fallbacks() -> None:
    env = {"HOME": "/home/op"}
    assert str(_paths.default_config_file(env, "posix")) == "/home/op/.config/mxgw/config.toml"
    assert str(_paths.history_file(env, "posix")) == "/home/op/.local/share/mxgw/repl_history"
    assert str(_paths.audit_log_file(env, "posix")) == "/home/op/.local/state/mxgw/audit.jsonl"


def test_linux_honours_xdg_variables() -> None:
    env = {"HOME": "/home/op", "XDG_CONFIG_HOME": "/cfg", "XDG_STATE_HOME": "/st"}
    assert str(_paths.config_dir(env, "posix")) == "/cfg/mxgw"
    assert str(_paths.state_dir(env, "posix")) == "/st/mxgw"


def test_windows_uses_appdata_and_localappdata() -> None:
    env = {"APPDATA": r"C:\Users\op\AppData\Roaming", "LOCALAPPDATA": r"C:\Users\op\AppData\Local"}
    assert _paths.default_config_file(env, "nt") == PureWindowsPath(
        r"C:\Users\op\AppData\Roaming\mxgw\config.toml")
    assert _paths.audit_log_file(env, "nt") == PureWindowsPath(
        r"C:\Users\op\AppData\Local\mxgw\audit.jsonl")


def test_windows_without_appdata_falls_back_to_profile() -> None:
    env = {"USERPROFILE": r"C:\Users\svc"}
    assert _paths.history_file(env, "nt") == PureWindowsPath(
        r"C:\Users\svc\AppData\Local\mxgw\repl_history")


def test_mxgw_home_overrides_everything() -> None:
    env = {"HOME": "/home/op", "MXGW_HOME": "/srv/mxgw"}
    assert str(_paths.config_dir(env, "posix")) == "/srv/mxgw"
    assert str(_paths.audit_log_file(env, "posix")) == "/srv/mxgw/audit.jsonl"
    assert _paths.data_dir({"MXGW_HOME": r"D:\mxgw"}, "nt") == PureWindowsPath(r"D:\mxgw")
