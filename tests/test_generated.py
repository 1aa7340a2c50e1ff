"""The committed generated code is exactly what `build.py proto` produces from proto/."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sharedkit import load_build_script

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "src" / "mxgw" / "_proto"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_committed_generated_code_is_up_to_date(tmp_path: Path) -> None:
    build = load_build_script()
    out = tmp_path / "_proto"
    build.generate(out, python=Path(sys.executable))  # type: ignore[attr-defined]
    fresh, committed = _tree(out), _tree(COMMITTED)
    assert sorted(fresh) == sorted(committed), "generated file set differs: run build.py proto"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"generated code is stale, run `python3 build.py proto`: {stale}"
    assert not filecmp.dircmp(out, COMMITTED).diff_files


def test_a_protoset_is_the_contract_generated_from(tmp_path: Path) -> None:
    """`--protoset FILE` (the gateway's own FileDescriptorSet): ours plus a message only
    the protoset has gives the committed code plus that message, nothing else."""
    build = load_build_script()
    proto = tmp_path / "proto"
    shutil.copytree(ROOT / "proto", proto)
    [gateway] = proto.rglob("mxaccess_gateway.proto")
    gateway.write_text(gateway.read_text() + "\nmessage OnlyInTheProtoset {}\n")
    protoset = tmp_path / "contract.protoset"
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{proto}", "--include_imports",
                    f"--descriptor_set_out={protoset}",
                    *sorted(p.relative_to(proto).as_posix() for p in proto.rglob("*.proto"))],
                   check=True, timeout=120)
    out = tmp_path / "_proto"
    build.generate(out, protoset=protoset, python=Path(sys.executable))  # type: ignore[attr-defined]
    fresh, committed = _tree(out), _tree(COMMITTED)
    assert sorted(fresh) == sorted(committed)
    changed = sorted(name for name in fresh if fresh[name] != committed[name])
    assert [Path(name).name for name in changed] == [
        "mxaccess_gateway_pb2.py", "mxaccess_gateway_pb2.pyi"]
    assert all(b"OnlyInTheProtoset" in fresh[name] for name in changed)


def test_generate_refuses_a_contract_without_our_packages(tmp_path: Path) -> None:
    build = load_build_script()
    protos = tmp_path / "protos"
    protos.mkdir()
    (protos / "other.proto").write_text('syntax = "proto3";\npackage other.v1;\nmessage X {}\n')
    with pytest.raises(build.BuildError):  # type: ignore[attr-defined]
        build.generate(tmp_path / "out", proto_dir=protos, python=Path(sys.executable))
