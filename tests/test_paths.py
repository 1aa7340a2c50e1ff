from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest

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


# What a one-shot command uses instead of pathlib (with urllib.parse and ipaddress, ~3.5 ms
# of every start): the same text and the same answers.

def test_posix_normal_is_what_pure_posix_path_makes() -> None:
    from pathlib import PurePosixPath

    for path in ("", ".", "/", "//", "///", "////a", "//a//b/", "a", "a/", "./a/./b/.",
                 "/a/../b", "../..", "a//b", "/tmp/x/", "~/x", "a/.b/..c"):
        assert _paths.posix_normal(path) == str(PurePosixPath(path)), path


def test_text_is_the_folder_functions_path_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    for env in ({"HOME": "/home/op/"}, {"HOME": "/home//op", "XDG_CONFIG_HOME": "/cfg/./x/"},
                {"MXGW_HOME": "rel/home/"}, {"MXGW_HOME": "//srv/mxgw"}):
        assert _paths.text("config", "known_gateways.json", env=env) == str(
            _paths.known_gateways_file(env))
        assert _paths.text("config", "config.toml", env=env) == str(
            _paths.default_config_file(env))
        assert _paths.text("state", "audit.jsonl", env=env) == str(_paths.audit_log_file(env))
        assert _paths.text("data", env=env) == str(_paths.data_dir(env))
    monkeypatch.delenv("HOME", raising=False)  # then both ask the password database
    assert _paths.text("config", env={}) == str(_paths.config_dir({}))


def test_exists_and_is_dir_answer_as_pathlib_does(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "dir").mkdir()
    for name in ("file", "dir", "missing", "file/below", "dir/", "bad\0name"):
        path = str(tmp_path) + "/" + name
        assert _paths.exists(path) == Path(path).exists(), name
        assert _paths.is_dir(path) == Path(path).is_dir(), name
