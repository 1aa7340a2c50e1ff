"""The launcher's parts, in-process, on a small hand-made archive (no pyz build needed).

test_pyz_launcher.py runs the same behaviours through a real pyz.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path

import pytest

from mxgw import _launcher, _launcher_extract
from mxgw._launcher_extract import LauncherError

HERE = {"name": "mxgw.pyz", "target": _launcher.host_target(),
        "pythons": [f"{sys.version_info[0]}.{sys.version_info[1]}"], "glibc": None,
        "build_id": "0123456789abcdef" * 4, "longest_path": 20}


def archive(path: Path, members: dict[str, str]) -> Path:
    """A pyz-shaped archive: `members` go into its payload (site-packages.zip)."""
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w") as inner:
        for name, text in members.items():
            inner.writestr(name, text)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("__main__.py", "")
        zf.writestr(_launcher_extract.PAYLOAD, payload.getvalue())
    return path


def test_check_host_accepts_this_interpreter() -> None:
    _launcher.check_host(HERE)


def test_check_host_names_what_the_pyz_supports() -> None:
    with pytest.raises(LauncherError) as caught:
        _launcher.check_host({**HERE, "pythons": ["3.10", "3.99"]})
    assert caught.value.kind == "UnsupportedPython"
    assert "built for" in str(caught.value) and "3.10, 3.99" in str(caught.value)
    assert caught.value.extra["supportedPythons"] == ["3.10", "3.99"]
    with pytest.raises(LauncherError) as caught:
        _launcher.check_host({**HERE, "target": "win-arm64"})
    assert caught.value.kind == "UnsupportedPlatform"
    assert str(caught.value).endswith(f"this is {_launcher.host_target()}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc is Linux-only")
def test_check_host_wants_new_enough_glibc() -> None:
    _launcher.check_host({**HERE, "glibc": "2.5"})
    with pytest.raises(LauncherError, match="needing glibc 99.0"):
        _launcher.check_host({**HERE, "glibc": "99.0"})


def test_roots_an_explicit_shiv_root_has_no_fallback(tmp_path: Path) -> None:
    assert _launcher.candidate_roots({"SHIV_ROOT": str(tmp_path)}) == [str(tmp_path)]
    default = _launcher.candidate_roots({})
    assert default[0] == os.path.join(os.path.expanduser("~"), ".shiv")
    assert len(default) == 2 and "mxgw-" in os.path.basename(default[1])


def test_extract_strips_site_packages_and_is_atomic(tmp_path: Path) -> None:
    zpath = archive(tmp_path / "a.pyz", {"site-packages/pkg/__init__.py": "X = 1\n"})
    folder = _launcher_extract.extract(str(zpath), str(tmp_path / "root"), "mxgw-0123456789abcdef")
    assert Path(folder, "pkg", "__init__.py").read_text() == "X = 1\n"
    assert sorted(os.listdir(tmp_path / "root")) == ["mxgw-0123456789abcdef"]  # no .tmp left


def test_extract_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    zpath = archive(tmp_path / "a.pyz", {"site-packages/../evil.py": ""})
    with pytest.raises(LauncherError, match="unsafe path"):
        _launcher_extract.extract(str(zpath), str(tmp_path / "root"), "mxgw-0123456789abcdef")
    assert os.listdir(tmp_path / "root") == []  # the half-made .tmp folder is gone
    assert not (tmp_path / "evil.py").exists()


def test_find_or_extract_reuses_and_falls_back(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    zpath = archive(tmp_path / "a.pyz", {"site-packages/pkg/__init__.py": ""})
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    fallback = tmp_path / "fallback"
    monkeypatch.setattr(_launcher, "candidate_roots",
                        lambda env: [str(blocked / ".shiv"), str(fallback)])
    folder = _launcher.find_or_extract(str(zpath), HERE, {})
    assert folder == str(fallback / "mxgw-0123456789abcdef")
    marker = Path(folder, "pkg", "marker")
    marker.write_text("")
    assert _launcher.find_or_extract(str(zpath), HERE, {}) == folder  # reused, not redone
    assert marker.exists()
    forced = _launcher.find_or_extract(str(zpath), HERE, {"SHIV_FORCE_EXTRACT": "1"})
    assert forced == folder and not marker.exists()


def test_no_writable_root_is_one_clear_error(tmp_path: Path) -> None:
    zpath = archive(tmp_path / "a.pyz", {"site-packages/pkg/__init__.py": ""})
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(LauncherError) as caught:
        _launcher.find_or_extract(str(zpath), HERE, {"SHIV_ROOT": str(blocked)})
    assert caught.value.kind == "ExtractionError"
    assert "SHIV_ROOT must name a writable folder" in str(caught.value)


def test_remove_stale_only_touches_old_mxgw_extractions(tmp_path: Path) -> None:
    old = time.time() - 2 * _launcher.STALE_SECONDS
    names = {
        "mxgw-aaaaaaaaaaaaaaaa": old,            # another build, not started for 2 days
        "mxgw-bbbbbbbbbbbbbbbb": time.time(),    # another build, started just now: in use
        "mxgw-cccccccccccccccc.123.tmp": old,    # a crashed first run
        "mxgw-0123456789abcdef": old,            # ours (kept whatever its age)
        "mxgw-notours": old,                      # not a name the launcher makes
        "something-else": old,
    }
    for name, mtime in names.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "f.py").write_text("")
        os.utime(tmp_path / name, (mtime, mtime))
    removed = _launcher.remove_stale(str(tmp_path), "mxgw-0123456789abcdef", time.time())
    assert sorted(removed) == ["mxgw-aaaaaaaaaaaaaaaa", "mxgw-cccccccccccccccc.123.tmp"]
    assert sorted(os.listdir(tmp_path)) == ["mxgw-0123456789abcdef", "mxgw-bbbbbbbbbbbbbbbb",
                                            "mxgw-notours", "something-else"]


def test_error_line_has_the_cli_error_fields() -> None:
    from mxgw.cli._exit import error_fields

    line, code = _launcher_extract.error_line(LauncherError("UnsupportedPython", "nope", python="3.9"))
    assert code == _launcher_extract.EXIT_LAUNCHER == 9
    assert "\n" not in line
    error = json.loads(line)["error"]
    assert set(error_fields(RuntimeError("x"))) <= set(error)
    assert error["type"] == "UnsupportedPython" and error["exitCode"] == 9
    _, interrupted = _launcher_extract.error_line(KeyboardInterrupt())
    assert interrupted == 130
