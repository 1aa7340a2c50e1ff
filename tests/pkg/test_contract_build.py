"""`build.py --proto-dir DIR` / `--protoset FILE`: the pyz is generated from the gateway's
own contract, in a staging copy (src/mxgw/_proto is never touched)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from pkgkit import clean_env, run_pyz
from sharedkit import ROOT, build

pytestmark = pytest.mark.slow

PROTO_OUT = ROOT / "src" / "mxgw" / "_proto"


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_build_against_another_contract(tmp_path: Path) -> None:
    # "The gateway's own contract": ours plus a message only it has.
    contract = tmp_path / "gateway-proto"
    shutil.copytree(ROOT / "proto", contract)
    [gateway] = contract.rglob("mxaccess_gateway.proto")
    gateway.write_text(gateway.read_text() + "\nmessage OnlyInTheGatewaysContract {}\n")
    before = tree_digest(PROTO_OUT)
    out = tmp_path / "mxgw.pyz"
    build("--proto-dir", str(contract), "--no-run", "--output", str(out))
    assert tree_digest(PROTO_OUT) == before  # regenerated in staging, not in src/

    env = clean_env(tmp_path)
    version = json.loads(run_pyz(out, "version", env=env).stdout)
    assert version["contract"].startswith("proto-dir sha256:")
    done = run_pyz(out, "repl", "--endpoint", "sim", "--no-history", env=env,
                   stdin="hasattr(gateway_pb2, 'OnlyInTheGatewaysContract')\n"
                         "(await session.read('TestChildObject.TestInt'))"
                         "['TestChildObject.TestInt'].ok\n")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == [True, True]
