"""`build.py --protoset` runs the run-time load check at build time: a descriptor set that
lacks a name the tool uses fails the build, listing each by full name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from contractkit import variant

ROOT = Path(__file__).resolve().parents[1]


def generate(out: Path, protoset: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "_generate", str(out),
                           "--protoset", str(protoset)], capture_output=True, text=True,
                          timeout=300, check=False, cwd=ROOT)


def test_a_renamed_used_field_fails_the_build_naming_it(tmp_path: Path) -> None:
    protoset = variant(tmp_path, renumber=False,
                       rename="mxaccess_gateway.v1.WriteCommand.value")
    done = generate(tmp_path / "out", protoset)
    assert done.returncode == 1
    assert "the contract disagrees with the tool in 1 name" in done.stderr
    assert "  mxaccess_gateway.v1.WriteCommand.value: missing" in done.stderr
    assert not (tmp_path / "out").exists()


def test_renumbered_fields_build(tmp_path: Path) -> None:
    done = generate(tmp_path / "out", variant(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "__init__.py").is_file()
