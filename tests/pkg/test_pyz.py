"""The built host pyz, run as a user runs it: `python mxgw.pyz ...` in a fresh process.

The CI smoke of issue 6: version (no grpc imported), a one-shot `get` against the
embedded simulator, a piped REPL script, and `sim` as a separate process with a one-shot
command against it over TCP. Plus reproducibility and what the pyz contains.
"""

from __future__ import annotations

import io
import json
import queue
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from pkgkit import HEAVY, PYTHON, extractions, one_json_error, pyz_names, run_pyz
from sharedkit import ROOT, build

from mxgw._launcher import host_target

pytestmark = pytest.mark.slow


def test_version_reports_the_build_and_imports_no_grpc(host_pyz: Path,
                                                         env: dict[str, str]) -> None:
    run_pyz(host_pyz, "version", env=env)  # the first run may extract
    done = run_pyz(host_pyz, "version", env=env, python_flags=("-X", "importtime"))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["pyz"] is True
    assert doc["target"] == host_target()
    assert doc["pythons"] == [PYTHON]
    assert doc["contract"] == "built-in"
    if (ROOT / ".git").exists():
        # The build's commit (HEAD may have moved on since in a shared work tree).
        assert re.fullmatch(r"[0-9a-f]{40}", doc["commit"])
        assert subprocess.run(["git", "merge-base", "--is-ancestor", doc["commit"], "HEAD"],
                              cwd=ROOT, check=False).returncode == 0
        assert isinstance(doc["dirty"], bool)
    imported = _imported(done.stderr)
    assert "mxgw.cli" in imported  # the importtime output is what we think it is
    assert "_mxgw_launcher" in imported
    assert "_mxgw_launcher_extract" not in imported  # an ordinary start compiles only half
    heavy = sorted(m for m in imported if m.split(".")[0] in {h.split(".")[0] for h in HEAVY}
                   and any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == []
    # Without site (here, setuptools' .pth loads typing before mxgw does), as on a plain
    # gateway host: nothing on the version path imports typing, the generated
    # _build_info included (~9 ms).
    bare = run_pyz(host_pyz, "version", env=env, python_flags=("-S", "-X", "importtime"))
    assert bare.returncode == 0, bare.stderr
    assert {"mxgw._build_info", "mxgw.cli"} <= _imported(bare.stderr)
    assert "typing" not in _imported(bare.stderr)
    # A start that finds its extraction in the first root never works out the temp root
    # (tempfile, shutil, random: ~5 ms).
    assert "tempfile" not in _imported(bare.stderr)


def _imported(importtime: str) -> set[str]:
    """The modules named by `python -X importtime` output."""
    return {line.rpartition("|")[2].strip() for line in importtime.splitlines()
            if line.startswith("import time:")}


def test_get_against_the_embedded_simulator(host_pyz: Path, env: dict[str, str]) -> None:
    done = run_pyz(host_pyz, "get", "TestChildObject.TestInt", "--endpoint", "sim",
                   "--compact", env=env)
    assert done.returncode == 0, done.stderr
    [value] = json.loads(done.stdout)["values"]
    assert value["tag"] == "TestChildObject.TestInt"
    assert value["ok"] is True
    assert value["dataType"] == "INTEGER"
    # GRPC_VERBOSITY=NONE from the CLI: no grpc log lines on stderr.
    assert done.stderr == ""


def test_piped_repl_script(host_pyz: Path, env: dict[str, str]) -> None:
    script = ('values = await session.read("TestChildObject.TestInt")\n'
              'values["TestChildObject.TestInt"].ok\n'
              'import os\n'
              'os.environ["GRPC_VERBOSITY"]\n'
              '6 * 7\n')
    done = run_pyz(host_pyz, "repl", "--endpoint", "sim", "--no-history", env=env,
                   stdin=script)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == [True, "NONE", 42]


def test_user_grpc_verbosity_is_kept(host_pyz: Path, env: dict[str, str]) -> None:
    done = run_pyz(host_pyz, "repl", "--endpoint", "sim", "--no-history",
                   env={**env, "GRPC_VERBOSITY": "ERROR"},
                   stdin='import os\nos.environ["GRPC_VERBOSITY"]\n')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == "ERROR"


def _first_line(proc: subprocess.Popen[str], timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    reader = proc.stdout
    threading.Thread(target=lambda: lines.put(reader.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"`mxgw.pyz sim` printed nothing in {timeout} s")


def test_sim_process_and_a_one_shot_command_over_tcp(host_pyz: Path,
                                                      env: dict[str, str]) -> None:
    proc = subprocess.Popen([sys.executable, str(host_pyz), "sim", "--port", "0"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        start = json.loads(_first_line(proc, 60))
        assert start["reflection"] is True  # grpcio-reflection is bundled
        done = run_pyz(host_pyz, "get", "TestChildObject.TestInt", "Tank001.Level",
                       "--endpoint", start["endpoint"], "--plaintext", "--compact",
                       env={**env, "MXGATEWAY_API_KEY": start["apiKey"]})
        assert done.returncode == 0, done.stderr
        values = json.loads(done.stdout)["values"]
        assert [(v["tag"], v["ok"]) for v in values] == [("TestChildObject.TestInt", True),
                                                         ("Tank001.Level", True)]
        # grpc logged its own lines before the JSON error: for a CA file without a
        # certificate (four E-lines even at GRPC_VERBOSITY=ERROR) and for a handshake
        # with a plaintext gateway. One line is all stderr holds now.
        garbage = Path(env["MXGW_HOME"]).parent / "garbage.pem"
        garbage.write_text("not a certificate\n")
        for flags, code in ((["--endpoint", f"https://{start['endpoint']}", "--ca-file",
                              str(garbage)], 2),
                            (["--endpoint", start["endpoint"], "--require-cert-validation"],
                             3)):
            done = run_pyz(host_pyz, "get", "TestChildObject.TestInt", "--timeout", "5",
                           *flags, env={**env, "MXGATEWAY_API_KEY": start["apiKey"]})
            assert done.returncode == code, done.stderr
            one_json_error(done)
    finally:
        proc.terminate()  # SIGTERM: the simulator's clean-shutdown path
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        stderr = proc.stderr.read() if proc.stderr else ""
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
    assert code == 0, stderr
    assert "Traceback" not in stderr


def test_two_builds_of_the_same_tree_are_byte_identical(tmp_path: Path) -> None:
    """shiv --reproducible plus our deterministic staging. Built from a snapshot of the
    tree, because other work lands in a shared work tree between two builds."""
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, snapshot / name)
    shutil.copytree(ROOT / "src", snapshot / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    first, second = tmp_path / "a" / "mxgw.pyz", tmp_path / "b" / "mxgw.pyz"
    build("--no-run", "--source", str(snapshot), "--output", str(first))
    build("--no-run", "--source", str(snapshot), "--output", str(second))
    if first.read_bytes() != second.read_bytes():
        a, b = contents(first), contents(second)
        differ = sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))
        pytest.fail(f"two builds differ in: {differ[:20]}")


def contents(pyz: Path) -> dict[str, bytes]:
    """Every entry of the pyz and of its payload, by name."""
    with zipfile.ZipFile(pyz) as outer:
        found = {n: outer.read(n) for n in outer.namelist()}
    with zipfile.ZipFile(io.BytesIO(found.pop("site-packages.zip"))) as inner:
        found.update((n, inner.read(n)) for n in inner.namelist())
    return found


def test_contents_are_pruned_and_complete(host_pyz: Path) -> None:
    outer, names = pyz_names(host_pyz)
    # Few entries: zipimport reads them all at every start; the bundle is one of them.
    # The launcher's bytecode is there for this Python (zipimport cannot cache it).
    assert sorted(outer) == ["__main__.py", "_mxgw_launcher.py", "_mxgw_launcher.pyc",
                             "_mxgw_launcher_extract.py", "environment.json",
                             "site-packages.zip"]
    with zipfile.ZipFile(host_pyz) as zf:
        main = zf.read("__main__.py").decode()
        assert zf.getinfo("site-packages.zip").compress_type == zipfile.ZIP_STORED
    assert all(n.startswith("site-packages/") for n in names)  # shiv's layout inside
    tops = {n.split("/")[1] for n in names}
    for never in ("grpc_tools", "pip", "setuptools", "pytest", "_pytest", "bin"):
        assert never not in tops
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if "typeshed/stubs/" in n]
    assert [n for n in names if n.startswith("site-packages/jedi/third_party/typeshed/stdlib/")]
    for needed in ("mxgw/py.typed", "mxgw/_proto/__init__.py", "mxgw/cli/__init__.py",
                   "mxgw/sim/__main__.py", "grpc/_cython/_credentials/roots.pem",
                   "grpc_reflection/v1alpha/reflection.py"):
        assert f"site-packages/{needed}" in names
    assert f"'target': '{host_target()}'" in main
    assert f"'pythons': ['{PYTHON}']" in main


def test_repl_completion_works_without_typeshed_stubs(host_pyz: Path, env: dict[str, str],
                                                      tmp_path: Path) -> None:
    """jedi (ptpython's completer) from the extraction still completes live objects,
    the standard library and builtins after build.py pruned its third-party stubs."""
    assert run_pyz(host_pyz, "version", env=env).returncode == 0
    [folder] = extractions(Path(env["SHIV_ROOT"]))
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import jedi, os, json\n"
        "assert jedi.__file__.startswith(sys.argv[1]), jedi.__file__\n"
        "ns = {'os': os, 'json': json}\n"
        "def names(src): return [c.name for c in jedi.Interpreter(src, [ns]).complete()]\n"
        "print(json.dumps([names(\"'abc'.upp\"), names('os.pa'), names('x = [1]\\nx.app'),"
        " names('json.du'), names('open(\"f\").rea')]))\n")
    # Its own parso cache: parso writes the shared one (~/.cache/parso) in place, and a
    # test worker completing at the same moment read a half-written pickle (EOFError).
    done = subprocess.run([sys.executable, "-c", probe, str(folder)], capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**env, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    upper, os_path, append, dumps, read = json.loads(done.stdout)
    assert "upper" in upper
    assert "path" in os_path
    assert "append" in append
    assert "dumps" in dumps
    assert "readline" in read
