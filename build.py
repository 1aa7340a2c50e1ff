#!/usr/bin/env python3
"""Build, test and regenerate mxgw. Standard library only, so it runs on a fresh machine.

    python3 build.py                      build dist/mxgw.pyz for this machine and run it
                                          once against the embedded simulator
    python3 build.py --target win-amd64 --python 3.11,3.12,3.13
                                          build dist/mxgw-win-amd64.pyz for a gateway host
                                          (targets: win-amd64, win32, linux-x86_64)
    python3 build.py --protoset FILE | --proto-dir DIR
                                          build against the gateway's own contract
    python3 build.py test [PYTEST ARGS]   create .venv if needed, install, run the test suite
    python3 build.py proto                regenerate src/mxgw/_proto from proto/
    python3 build.py proto --protoset FILE | --proto-dir DIR
                                          regenerate from the gateway's own contract

Everything that needs third-party packages runs inside .venv, which this script creates
and keeps installed (it reinstalls when pyproject.toml changes).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PROTO_DIR = ROOT / "proto"
PROTO_OUT = ROOT / "src" / "mxgw" / "_proto"
PROTO_PACKAGE = "mxgw._proto"
# The two proto packages the tool is built on; their names are exact (contract part A).
GATEWAY_PACKAGE = "mxaccess_gateway.v1"
GALAXY_PACKAGE = "galaxy_repository.v1"


class BuildError(Exception):
    """A build step failed; the message says which and why."""


# ------------------------------------------------------------------ venv


def venv_python(venv: Path = VENV) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def run(cmd: list[str | os.PathLike[str]], **kwargs: object) -> None:
    printable = " ".join(str(c) for c in cmd)
    print(f"+ {printable}", flush=True)
    result = subprocess.run([str(c) for c in cmd], check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise BuildError(f"command failed with exit code {result.returncode}: {printable}")


def _install_stamp(extras: str) -> tuple[Path, str]:
    """The file recording that .venv has the project with `extras`, and the content it
    must have to be current (the digest of pyproject.toml)."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return VENV / f".mxgw-installed-{extras.replace(',', '-')}", wanted


def _installed(extras: str) -> bool:
    stamp, wanted = _install_stamp(extras)
    return stamp.exists() and stamp.read_text().strip() == wanted


def ensure_venv(extras: str = "test") -> Path:
    """Create .venv if missing and install the project with `extras`; return its python."""
    python = venv_python()
    if not python.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    if not _installed(extras):
        # Editable, so tests see the working tree; it still goes through the build
        # backend, so a broken pyproject.toml fails here (a wheel test covers the rest).
        run([python, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]"], cwd=ROOT)
        stamp, wanted = _install_stamp(extras)
        stamp.write_text(wanted)
    return python


# ------------------------------------------------------------------ proto generation


def generate(
    out_dir: Path,
    *,
    proto_dir: Path | None = None,
    protoset: Path | None = None,
    python: Path | None = None,
) -> None:
    """Generate the `mxgw._proto` package into `out_dir` (which must not exist yet).

    Runs grpc_tools inside `python` (default: this interpreter if it has grpc_tools,
    else the project's .venv).
    """
    if python is None:
        python = Path(sys.executable) if _has_grpc_tools() else ensure_venv()
    cmd: list[str | os.PathLike[str]] = [python, str(ROOT / "build.py"), "_generate", str(out_dir)]
    if protoset is not None:
        cmd += ["--protoset", str(Path(protoset).resolve())]
    else:
        cmd += ["--proto-dir", str(Path(proto_dir or PROTO_DIR).resolve())]
    run(cmd, cwd=ROOT)


def _has_grpc_tools() -> bool:
    try:
        import grpc_tools  # type: ignore[import-untyped]  # noqa: F401  (only probing)
    except ImportError:
        return False
    return True


def _generate_here(out_dir: Path, proto_dir: Path | None, protoset: Path | None) -> None:
    """The part of `generate` that needs grpc_tools; runs inside the venv."""
    from google.protobuf import descriptor_pb2
    from grpc_tools import protoc

    if out_dir.exists():
        raise BuildError(f"{out_dir} already exists")
    with tempfile.TemporaryDirectory(prefix="mxgw-proto-") as tmp:
        work = Path(tmp)
        if protoset is None:
            assert proto_dir is not None
            sources = sorted(str(p.relative_to(proto_dir)) for p in proto_dir.rglob("*.proto"))
            if not sources:
                raise BuildError(f"no .proto files under {proto_dir}")
            protoset = work / "contract.protoset"
            _protoc(protoc, [f"-I{proto_dir}", f"--descriptor_set_out={protoset}",
                             "--include_imports", *sources])
        data = Path(protoset).read_bytes()
        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(data)
        ours = [f for f in fds.file if not f.name.startswith("google/protobuf/")]
        by_package = {f.package: f.name for f in ours}
        for package in (GATEWAY_PACKAGE, GALAXY_PACKAGE):
            if package not in by_package:
                raise BuildError(f"the contract has no file for package {package}")
        problems = _name_problems(out_dir, data)
        if problems:
            raise BuildError(
                f"the contract disagrees with the tool in {len(problems)} "
                f"name{'s' if len(problems) > 1 else ''} (what `mxgw --contract FILE` "
                "refuses at run time, exit 6):\n  " + "\n  ".join(problems))
        gen = work / "out"
        gen.mkdir()
        _protoc(protoc, [f"--descriptor_set_in={protoset}", f"--python_out={gen}",
                         f"--pyi_out={gen}", f"--grpc_python_out={gen}",
                         *(f.name for f in ours)])
        modules = {_module_of(f.name) for f in ours}
        for path in sorted(gen.rglob("*.py*")):
            _rewrite_imports(path, modules)
        for folder in sorted({p.parent for p in gen.rglob("*.py")} - {gen}):
            for parent in [folder, *folder.parents]:
                if parent == gen:
                    break
                (parent / "__init__.py").touch()
        (gen / "__init__.py").write_text(_index_source(by_package), newline="\n")
        shutil.copytree(gen, out_dir)


def _name_problems(out_dir: Path, protoset: bytes) -> list[str]:
    """The run-time load check (`mxgw.Contract.problems()`) of the source being built: every
    message, field, enum value and rpc the tool uses, missing or typed differently."""
    staged = out_dir.parent  # .../src/mxgw/_proto of a staged copy: check its own table
    src = staged.parent if (staged / "_rpc" / "_table.py").is_file() else ROOT / "src"
    sys.path.insert(0, str(src))
    try:
        from mxgw._rpc._contract import Contract  # the staged source's table
    finally:
        sys.path.remove(str(src))
    contract = Contract.from_descriptor_set(protoset, source="build", check=False)
    return contract.problems()


def _protoc(protoc: object, args: list[str]) -> None:
    import grpc_tools

    well_known = Path(grpc_tools.__file__).parent / "_proto"
    code = protoc.main(["protoc", f"-I{well_known}", *args])  # type: ignore[attr-defined]
    if code != 0:
        raise BuildError(f"protoc failed ({code}): {' '.join(args)}")


def _module_of(proto_name: str) -> str:
    return proto_name[: -len(".proto")].replace("/", ".")


def _rewrite_imports(path: Path, modules: set[str]) -> None:
    """Make generated cross-imports absolute under mxgw._proto.

    protoc writes `from mxaccess_gateway.v1 import mxaccess_gateway_pb2`, which only
    resolves with the generated tree on sys.path; we ship it inside our package instead.
    """
    text = path.read_text()

    def fix_from(match: re.Match[str]) -> str:
        parent, leaf = match.group(1), match.group(2)
        base = leaf.removesuffix("_pb2_grpc").removesuffix("_pb2")
        if f"{parent}.{base}" in modules:
            return f"from {PROTO_PACKAGE}.{parent} import {leaf}"
        return match.group(0)

    def fix_import(match: re.Match[str]) -> str:
        dotted, alias = match.group(1), match.group(2)
        base = dotted.removesuffix("_pb2_grpc").removesuffix("_pb2")
        if base in modules:
            parent, _, leaf = f"{PROTO_PACKAGE}.{dotted}".rpartition(".")
            return f"from {parent} import {leaf} as {alias}"
        return match.group(0)

    text = re.sub(r"^from ([\w.]+) import (\w+)", fix_from, text, flags=re.MULTILINE)
    text = re.sub(r"^import ([\w.]+) as (\w+)", fix_import, text, flags=re.MULTILINE)
    path.write_text(text, newline="\n")


def _index_source(by_package: dict[str, str]) -> str:
    def line(package: str, suffix: str, alias: str) -> str:
        parent, _, leaf = f".{_module_of(by_package[package])}{suffix}".rpartition(".")
        return f"from {parent or '.'} import {leaf} as {alias}"

    return "\n".join([
        '"""Generated by `build.py proto`: do not edit.',
        "",
        "Stable names for the generated modules, whatever the contract's file layout.",
        '"""',
        "",
        line(GATEWAY_PACKAGE, "_pb2", "gateway_pb2"),
        line(GATEWAY_PACKAGE, "_pb2_grpc", "gateway_pb2_grpc"),
        line(GALAXY_PACKAGE, "_pb2", "galaxy_pb2"),
        line(GALAXY_PACKAGE, "_pb2_grpc", "galaxy_pb2_grpc"),
        "",
        '__all__ = ["galaxy_pb2", "galaxy_pb2_grpc", "gateway_pb2", "gateway_pb2_grpc"]',
        "",
    ])


def cmd_generate(args: argparse.Namespace) -> int:
    _generate_here(args.out, args.proto_dir, args.protoset)
    return 0


def cmd_proto(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="mxgw-proto-out-") as tmp:
        staged = Path(tmp) / "_proto"
        generate(staged, proto_dir=args.proto_dir, protoset=args.protoset)
        if PROTO_OUT.exists():
            shutil.rmtree(PROTO_OUT)
        shutil.copytree(staged, PROTO_OUT)
    print(f"regenerated {PROTO_OUT.relative_to(ROOT)}")
    return 0


# ------------------------------------------------------------------ test


# Options after which `build.py test` leaves the worker count to pytest: the caller's own
# xdist options (and -n, -nN), and modes that want one process (a debugger, live output,
# stepwise, listing rather than running).
SERIAL_OPTIONS = frozenset({"--numprocesses", "--dist", "--pdb", "--trace", "-s",
                            "--capture=no", "--sw", "--stepwise", "--collect-only", "--co",
                            "--setup-plan", "--setup-only", "--fixtures",
                            "--fixtures-per-test", "--markers", "-h", "--help", "--version"})


def test_workers(cpus: int | None = None) -> int:
    """Most of the suite's time is waiting (processes starting, Wine, round trips on
    127.0.0.1), not computing: two workers per core this process may use, at least two
    (three run the Windows Pythons), at most eight (memory: each worker is a pytest)."""
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else os.cpu_count() or 1
    return max(2, min(8, 2 * cpus))


# pytest's short options that take a value: in a cluster (`-xs`, `-vk expr`) the letters
# after one of these are its value, not options.
_VALUE_LETTERS = frozenset("kmpcorWn")


def _short_flags(arg: str) -> set[str]:
    """The single-letter options of a cluster such as `-xs` (as `-x`, `-s`)."""
    if not arg.startswith("-") or arg.startswith("--") or len(arg) < 3:
        return set()
    found = set()
    for letter in arg[1:]:
        if not letter.isalpha():
            break
        found.add("-" + letter)
        if letter in _VALUE_LETTERS:
            break
    return found


def pytest_arguments(given: list[str]) -> list[str]:
    """`given`, after -n N --dist loadgroup (tests/conftest.py hands each group of tests
    that share one resource to one worker) unless `given` decides how the tests run."""
    for i, arg in enumerate(given):
        if arg in SERIAL_OPTIONS or arg.split("=", 1)[0] in SERIAL_OPTIONS:
            return given
        if _short_flags(arg) & SERIAL_OPTIONS:
            return given
        if arg.startswith("-n") or arg == "-pno:xdist" or given[i:i + 2] == ["-p", "no:xdist"]:
            return given
    return ["-n", str(test_workers()), "--dist", "loadgroup", *given]


def cmd_test(args: argparse.Namespace) -> int:
    python = ensure_venv("test")
    env = dict(os.environ)
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    # Exit code 5 (no tests collected) is a failure too: it is returned as-is.
    return subprocess.call([str(python), "-m", "pytest", *pytest_arguments(args.pytest_args)],
                           cwd=ROOT, env=env)


# ------------------------------------------------------------------ pyz

DIST = ROOT / "dist"
LAUNCHER = ROOT / "src" / "mxgw" / "_launcher.py"
FILES = ROOT / "src" / "mxgw" / "_files.py"  # locked(): the lock around the build cache
DEPS_BOUND = 1800.0  # seconds another build may hold the cache lock: pip fetching wheels
BUILD_CACHE = VENV / "mxgw-build-cache"
# pip --platform tags per cross target. pip does not widen manylinux_2_N to older glibc
# versions by itself, so every tag up to the ceiling (glibc 2.28, RHEL 8) is listed.
PLATFORM_TAGS: dict[str, list[str]] = {
    "win-amd64": ["win_amd64"],
    "win32": ["win32"],
    "linux-x86_64": [f"manylinux_2_{n}_x86_64" for n in range(28, 4, -1)]
    + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"],
}
# What the pyz never uses, relative to site-packages, and why it goes.
PRUNE: tuple[tuple[str, str], ...] = (
    ("bin", "console scripts pip wrote for the build machine"),
    ("jedi/third_party/typeshed/stubs",
     "third-party stubs; REPL completion works without them (jedi needs typeshed/stdlib: kept)"),
)
# Install bookkeeping: differs between the per-Python trees and nothing reads it at run time.
BOOKKEEPING = frozenset({"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"})
NEVER_BUNDLED = ("grpc_tools", "pip", "setuptools", "pytest", "_pytest", "shiv")
# The README's first command ends by running this from the built pyz.
SMOKE = ["get", "TestChildObject.TestInt", "--endpoint", "sim"]
SHEBANG = b"#!/usr/bin/env python3\n"
PAYLOAD = "site-packages.zip"  # the bundle inside the pyz; see make_pyz (and _launcher_extract)


def load_source(name: str, path: Path) -> ModuleType:
    """A stdlib-only module of src/mxgw, loaded from its file (no .venv needed)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_launcher() -> ModuleType:
    """src/mxgw/_launcher.py: its host_target() names targets for both sides."""
    return load_source("mxgw_launcher", LAUNCHER)


def parse_pythons(text: str) -> list[str]:
    versions = sorted({v.strip() for v in text.split(",") if v.strip()},
                      key=lambda v: tuple(int(p) for p in v.split(".")))
    bad = [v for v in versions if not re.fullmatch(r"3\.\d{1,2}", v) or int(v[2:]) < 11]
    if bad or not versions:
        raise argparse.ArgumentTypeError(f"want CPython versions >= 3.11 like 3.11,3.12: {text}")
    return versions


def ensure_build_venv() -> Path:
    """.venv with shiv and grpcio-tools. The test extras include the build's, so inside a
    `build.py test` run (tests/pkg builds pyz files) this installs nothing."""
    return venv_python() if _installed("test") else ensure_venv("build")


def python_version_of(python: Path) -> str:
    out = subprocess.run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def git_commit(source: Path) -> tuple[str | None, bool | None]:
    """HEAD and whether what goes into the pyz differs from it."""
    if not (source / ".git").exists():
        return None, None  # an export or a copy: say so rather than guess
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True,
                              text=True, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--", "src", "proto",
                                 "pyproject.toml", "README.md"], cwd=source,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, None  # no git here
    return head, bool(status.strip())


def contract_label(protoset: Path | None, proto_dir: Path | None) -> str:
    if protoset is None and proto_dir is None:
        return "built-in"
    digest = hashlib.sha256()
    if protoset is not None:
        digest.update(Path(protoset).read_bytes())
        return f"protoset {Path(protoset).name} sha256:{digest.hexdigest()[:16]}"
    assert proto_dir is not None
    for path in sorted(Path(proto_dir).rglob("*.proto")):
        digest.update(path.relative_to(proto_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return f"proto-dir sha256:{digest.hexdigest()[:16]}"


def stage_project(source: Path, work: Path, python: Path, protoset: Path | None,
                  proto_dir: Path | None) -> Path:
    """A copy of the project to build the wheel from, with _proto regenerated if asked.

    Building from a copy keeps setuptools' build/ and egg-info out of the shared tree and
    lets concurrent builds (tests, a developer) run without stepping on each other.
    """
    project = work / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(source / name, project / name)
    shutil.copytree(source / "src", project / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    if protoset is not None or proto_dir is not None:
        out = project / "src" / "mxgw" / "_proto"
        shutil.rmtree(out)
        generate(out, proto_dir=proto_dir, protoset=protoset, python=python)
    return project


def build_wheel(python: Path, project: Path, out: Path) -> Path:
    run([python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", out, project])
    wheels = sorted(out.glob("mxgw-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one mxgw wheel in {out}, found {wheels}")
    return wheels[0]


def wheel_metadata(wheel: Path) -> tuple[str, list[str]]:
    """The version and the runtime requirements, from the wheel's METADATA."""
    from email.parser import HeaderParser

    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = HeaderParser().parsestr(zf.read(name).decode("utf-8"))
    requires = [r for r in meta.get_all("Requires-Dist") or [] if "extra ==" not in r]
    return str(meta["Version"]), requires


def install_deps(python: Path, requires: list[str], target: str, version: str, native: bool,
                 constraints: list[str], refresh: bool) -> Path:
    """Binary wheels of `requires` for one Python, installed into a cached folder.

    The cache key is everything that decides the result, so the same inputs give the same
    tree (and a byte-identical pyz) without asking the index again; --refresh-deps re-asks.
    """
    spec = {"requires": requires, "target": target, "python": version, "native": native,
            "constraints": constraints, "tags": PLATFORM_TAGS.get(target, [])}
    key = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]
    folder = BUILD_CACHE / f"{target}-cp{version.replace('.', '')}-{key}"
    # Builds running at once (the test suite's workers) share the cache: one installs a
    # tree while the others wait for it, rather than each fetching the same wheels.
    with load_source("mxgw_files", FILES).locked(folder, timeout=DEPS_BOUND):
        return _install_deps(python, requires, target, version, native, constraints, refresh,
                             folder)


def _install_deps(python: Path, requires: list[str], target: str, version: str, native: bool,
                  constraints: list[str], refresh: bool, folder: Path) -> Path:
    if folder.is_dir() and not refresh:
        print(f"  deps for CPython {version}: cached {folder.relative_to(ROOT)}", flush=True)
        return folder
    BUILD_CACHE.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{folder}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    cmd: list[str | os.PathLike[str]] = [
        python, "-m", "pip", "install", "--quiet", "--no-compile", "--only-binary=:all:",
        "--target", tmp]
    if not native:
        cmd += ["--python-version", version, "--implementation", "cp",
                *(f"--platform={tag}" for tag in PLATFORM_TAGS[target])]
    if constraints:
        pins = tmp.with_suffix(".constraints.txt")
        pins.write_text("\n".join(constraints) + "\n")
        cmd += ["--constraint", pins]
    try:
        run([*cmd, *requires])
    finally:
        if constraints:
            pins.unlink(missing_ok=True)
    if refresh and folder.is_dir():
        stale = Path(f"{folder}.{os.getpid()}.old")
        folder.rename(stale)
        shutil.rmtree(stale)
    tmp.rename(folder)
    return folder


def installed_pins(tree: Path) -> list[str]:
    """name==version for every distribution in a --target tree, to pin the next Python."""
    pins = []
    for info in sorted(tree.glob("*.dist-info")):
        name, _, version = info.name[: -len(".dist-info")].partition("-")
        pins.append(f"{name}=={version}")
    return pins


def pruned_by(rel: str) -> str | None:
    """Why `rel` (a posix path in site-packages) is left out of the pyz, or None."""
    for prefix, reason in PRUNE:
        if rel == prefix or rel.startswith(prefix + "/"):
            return f"{prefix} ({reason})"
    parts = rel.split("/")
    if "__pycache__" in parts or rel.endswith(".pyc"):
        return "__pycache__ (compiled for the build machine's Python)"
    if "tests" in parts[:-1]:
        return "tests/ (dependencies' own test suites)"
    return None


def merge_tree(source: Path, dest: Path, removed: dict[str, set[str]]) -> list[str]:
    """Copy `source` into `dest` file by file, leaving out what PRUNE names (recorded in
    `removed`); return the files that differ from ones already there (conflicts).

    pip --target skips folders that exist, so several Pythons' trees are merged here:
    the pure-Python files are identical, the extension modules carry the Python version
    in their names, and anything else that differs is a conflict that fails the build.
    """
    conflicts = []
    for folder, dirs, files in os.walk(source):
        dirs.sort()
        base = Path(folder).relative_to(source)
        for name in sorted(files):
            rel = base / name
            why = pruned_by(rel.as_posix())
            if why is not None:
                removed.setdefault(why, set()).add(rel.as_posix())
                continue
            if base.name.endswith(".dist-info") and name in BOOKKEEPING:
                continue
            path, target = Path(folder) / name, dest / rel
            if target.exists():
                if target.read_bytes() == path.read_bytes():
                    continue
                if base.name.endswith(".dist-info") and name == "WHEEL":
                    # Same release, a wheel per Python: the tags are the union of theirs.
                    lines = target.read_text().splitlines()
                    lines += [t for t in path.read_text().splitlines() if t not in lines]
                    target.write_text("\n".join(lines) + "\n", newline="\n")
                    continue
                conflicts.append(rel.as_posix())
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return conflicts


def install_wheel(wheel: Path, site: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            if parts[0].endswith(".dist-info") and parts[-1] in BOOKKEEPING:
                continue
            zf.extract(name, site)


def dict_source(facts: dict[str, object]) -> str:
    """`facts` as a Python dict literal, one sorted key per line (same facts, same bytes)."""
    return "{\n" + "".join(f"    {k!r}: {facts[k]!r},\n" for k in sorted(facts)) + "}"


def write_build_info(site: Path, info: dict[str, object]) -> None:
    """Replace mxgw/_build_info.py in the staging tree (src/ keeps the source default).

    No annotation and no typing import: `mxgw version` imports this module, and typing
    alone costs ~9 ms where nothing else on that path loads it.
    """
    (site / "mxgw" / "_build_info.py").write_text(
        '"""Generated by build.py for this pyz: do not edit (see src/mxgw/_build_info.py)."""'
        f"\n\nINFO = {dict_source(info)}\n", newline="\n")


def regularize_namespaces(site: Path) -> None:
    """Give bundled namespace packages (google) an __init__ that extends its path.

    A namespace portion loses to a regular package of the same name anywhere on sys.path,
    even after it, so a stray google/__init__.py on PYTHONPATH would hide protobuf.
    A regular package first on sys.path wins, and the __init__ still adds the other
    portions on sys.path, as pkgutil.extend_path would (pkgutil itself costs ~13 ms).
    """
    for folder in sorted(p for p in site.iterdir() if p.is_dir()):
        if "." in folder.name or (folder / "__init__.py").exists():
            continue
        if any(folder.glob("*/__init__.py")):
            (folder / "__init__.py").write_text(NAMESPACE_INIT, newline="\n")


NAMESPACE_INIT = """\
# Added by build.py (see regularize_namespaces): this package first, then any other
# portions of it on sys.path.
import os as _os
import sys as _sys

__path__ += [_p for _p in (_os.path.join(_e, __name__) for _e in _sys.path
                           if isinstance(_e, str))
             if _p not in __path__ and _os.path.isdir(_p)]
"""


def extension_name(target: str, version: str) -> str | None:
    """grpc's compiled module for one Python on a known target (None: unknown target)."""
    tag = version.replace(".", "")
    return {
        "win-amd64": f"cygrpc.cp{tag}-win_amd64.pyd",
        "win32": f"cygrpc.cp{tag}-win32.pyd",
        "linux-x86_64": f"cygrpc.cpython-{tag}-x86_64-linux-gnu.so",
    }.get(target)


def check_contents(site: Path, target: str, pythons: list[str]) -> None:
    """Fail the build on what must never ship or must always ship."""
    problems = [f"{name} must not be bundled" for name in NEVER_BUNDLED
                if (site / name).exists()]
    cython = site / "grpc" / "_cython"
    for version in pythons:
        name = extension_name(target, version)
        if name is not None and not (cython / name).exists():
            problems.append(f"grpc's extension module for CPython {version} is missing: {name}")
    foreign = (".so",) if target.startswith("win") else (".pyd", ".dll")
    problems += [f"{p.relative_to(site).as_posix()} is not for {target}"
                 for p in sorted(site.rglob("*")) if p.suffix in foreign]
    tags = re.compile(r"\.(?:cpython-|cp)(3\d+)")
    wanted = {v.replace(".", "") for v in pythons}
    problems += [f"{p.relative_to(site).as_posix()} is for another Python"
                 for p in sorted(site.rglob("*")) if p.suffix in (".so", ".pyd")
                 and (m := tags.search(p.name)) and m.group(1) not in wanted]
    if problems:
        raise BuildError("the pyz contents are wrong:\n  " + "\n  ".join(problems))


def glibc_floor(site: Path) -> str | None:
    """The newest glibc any bundled manylinux wheel needs (its least demanding tag)."""
    legacy = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
    floor: tuple[int, int] | None = None
    for wheel in site.glob("*.dist-info/WHEEL"):
        needs = []
        for line in wheel.read_text().splitlines():
            platform = line.partition("Tag:")[2].strip().rpartition("-")[2]
            if m := re.match(r"manylinux_(\d+)_(\d+)_", platform):
                needs.append((int(m.group(1)), int(m.group(2))))
            elif (base := platform.partition("_")[0]) in legacy:
                needs.append(legacy[base])
        if needs and (floor is None or min(needs) > floor):
            floor = min(needs)
    return None if floor is None else f"{floor[0]}.{floor[1]}"


def main_source(stub: Path, build: dict[str, object]) -> str:
    """The pyz's __main__.py: _launcher_main.py with the build's facts filled in."""
    text = stub.read_text()
    line = "BUILD = {}  # build.py replaces this line with the build's facts\n"
    if text.count(line) != 1:
        raise BuildError(f"{stub} must contain exactly one line {line.strip()!r}")
    return text.replace(line, f"BUILD = {dict_source(build)}\n")


def make_pyz(python: Path, site: Path, out: Path, package: Path, build: dict[str, object],
             work: Path) -> str:
    """shiv builds the archive; we rearrange it for a fast start and our launcher.

    shiv --reproducible fixes every timestamp and sorts the entries, and its build id is a
    hash of the contents. We keep its environment.json and its site-packages/ entries
    (names, order, timestamps) but move those into one stored inner archive, PAYLOAD:
    zipimport reads the whole central directory of the pyz on every start, and ~2,200
    entries cost ~15-20 ms each time, whereas the launcher opens the payload only on the
    first run. shiv's __main__ and bootstrap are replaced by our launcher: `package` is the
    staged src/mxgw holding _launcher_main.py, _launcher.py and _launcher_extract.py, stored
    at the archive's root as __main__.py, _mxgw_launcher.py and _mxgw_launcher_extract.py.
    Returns the build id.
    """
    raw = work / "shiv.pyz"
    env = {k: v for k, v in os.environ.items() if k != "PIP_REQUIRE_VIRTUALENV"}
    run([python, "-m", "shiv", "--site-packages", site, "--reproducible", "--uncompressed",
         "--entry-point", "mxgw.cli:run", "--output-file", raw], env=env)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{out}.{os.getpid()}.tmp")
    payload = work / PAYLOAD
    with zipfile.ZipFile(raw) as src:
        meta = src.getinfo("environment.json")
        build_id = str(json.loads(src.read(meta))["build_id"])
        with zipfile.ZipFile(payload, "w", zipfile.ZIP_DEFLATED) as packed:
            for info in src.infolist():
                if info.filename.startswith("site-packages/"):
                    _add(packed, info.filename, src.read(info), info.date_time,
                         info.external_attr)
        parts = [
            ("environment.json", src.read(meta), zipfile.ZIP_DEFLATED),
            (PAYLOAD, payload.read_bytes(), zipfile.ZIP_STORED),  # stored: read in one go
            ("__main__.py", main_source(package / "_launcher_main.py",
                                        {**build, "build_id": build_id}).encode("utf-8"),
             zipfile.ZIP_DEFLATED),
            ("_mxgw_launcher.py", (package / "_launcher.py").read_bytes(),
             zipfile.ZIP_DEFLATED),
            *launcher_bytecode(python, package / "_launcher.py", work, build),
            ("_mxgw_launcher_extract.py", (package / "_launcher_extract.py").read_bytes(),
             zipfile.ZIP_DEFLATED),
        ]
        with open(tmp, "wb") as fd:
            fd.write(SHEBANG)
            with zipfile.ZipFile(fd, "w") as dst:
                for name, data, compression in parts:
                    _add(dst, name, data, meta.date_time, 0o644 << 16, compression)
    tmp.chmod(0o755)
    os.replace(tmp, out)
    return build_id


def launcher_bytecode(python: Path, launcher: Path, work: Path,
                      build: dict[str, object]) -> list[tuple[str, bytes, int]]:
    """_mxgw_launcher.pyc for the build's Python, when the pyz is for that Python.

    zipimport cannot cache bytecode, so every start compiles modules loaded from the pyz
    (~6 ms for the launcher). It does load a .pyc stored next to the source, and falls back
    to the source when the magic number is another Python's. Unchecked-hash, so the
    archive's fixed timestamps do not matter; same source and Python, same bytes.
    """
    version = python_version_of(python)
    if version not in build["pythons"]:  # type: ignore[operator]
        return []
    pyc = work / "_mxgw_launcher.pyc"
    script = ("import py_compile as c, sys; c.compile(sys.argv[1], sys.argv[2], "
              "'_mxgw_launcher.py', doraise=True, "
              "invalidation_mode=c.PycInvalidationMode.UNCHECKED_HASH)")
    run([python, "-c", script, launcher, pyc])
    return [("_mxgw_launcher.pyc", pyc.read_bytes(), zipfile.ZIP_DEFLATED)]


def _add(archive: zipfile.ZipFile, name: str, data: bytes,
         date_time: tuple[int, int, int, int, int, int], external_attr: int,
         compression: int = zipfile.ZIP_DEFLATED) -> None:
    entry = zipfile.ZipInfo(name, date_time)
    entry.external_attr = external_attr
    entry.compress_type = compression
    archive.writestr(entry, data)


def cmd_build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    if args.protoset is not None and not args.protoset.is_file():
        raise BuildError(f"--protoset: no such file: {args.protoset}")
    if args.proto_dir is not None and not args.proto_dir.is_dir():
        raise BuildError(f"--proto-dir: no such folder: {args.proto_dir}")
    launcher = load_launcher()
    host = str(launcher.host_target())
    python = ensure_build_venv()
    host_python = python_version_of(python)
    target = args.target or host
    pythons = args.python or [host_python]
    native = target == host and pythons == [host_python]
    if not native and target not in PLATFORM_TAGS:
        raise BuildError(f"cannot cross-build for {target}; targets: {', '.join(PLATFORM_TAGS)}")
    out = args.output or (DIST / ("mxgw.pyz" if args.target is None and args.python is None
                                  else f"mxgw-{target}.pyz"))
    print(f"building {out.name} for {target}, CPython {', '.join(pythons)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="mxgw-build-") as tmp:
        work = Path(tmp)
        source = (args.source or ROOT).resolve()
        project = stage_project(source, work, python, args.protoset, args.proto_dir)
        wheel = build_wheel(python, project, work / "wheel")
        version, requires = wheel_metadata(wheel)
        site = work / "site-packages"
        site.mkdir()
        pins: list[str] = []
        removed: dict[str, set[str]] = {}
        for py in pythons:
            tree = install_deps(python, requires, target, py, native, pins, args.refresh_deps)
            pins = pins or installed_pins(tree)
            conflicts = merge_tree(tree, site, removed)
            if conflicts:
                raise BuildError(f"CPython {py}'s packages differ from the others': "
                                 + ", ".join(conflicts[:10]))
        install_wheel(wheel, site)
        commit, dirty = git_commit(source)
        write_build_info(site, {
            "version": version, "commit": commit, "dirty": dirty, "target": target,
            "pythons": pythons, "contract": contract_label(args.protoset, args.proto_dir),
            "pyz": True})
        regularize_namespaces(site)
        check_contents(site, target, pythons)
        files = [p for p in site.rglob("*") if p.is_file()]
        longest = max(len(p.relative_to(site).as_posix()) for p in files)
        build_id = make_pyz(python, site, out, project / "src" / "mxgw", {
            "name": out.name, "target": target, "pythons": pythons,
            "glibc": glibc_floor(site) if target.startswith("linux") else None,
            "longest_path": longest}, work)
    for what, paths in sorted(removed.items()):
        print(f"  left out {len(paths)} files: {what}")
    size = out.stat().st_size
    print(f"built {out} ({size / 1e6:.1f} MB, {len(files)} files when extracted, longest path "
          f"{longest} chars, build id {build_id[:16]}) in {time.monotonic() - started:.0f} s",
          flush=True)
    if target == host and host_python in pythons and not args.no_run:
        smoke(out, python, host_python)
    return 0


def smoke(pyz: Path, venv_python: Path, version: str) -> None:
    """Run one real subcommand from the built pyz and print its JSON."""
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    python = sys.executable if here == version else str(venv_python)
    cmd = [python, str(pyz), *SMOKE]
    print(f"+ {' '.join(cmd)}", flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        raise BuildError(f"the built pyz failed (exit {result.returncode}): "
                         f"{result.stderr.strip()[-2000:]}")


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", help="win-amd64, win32 or linux-x86_64 (default: this "
                        "machine); the pyz is then named mxgw-TARGET.pyz")
    parser.add_argument("--python", type=parse_pythons, metavar="3.11,3.12,3.13",
                        help="CPython versions to bundle (default: the one running .venv)")
    contract = parser.add_mutually_exclusive_group()
    contract.add_argument("--protoset", type=Path,
                          help="build against this FileDescriptorSet (the gateway's own)")
    contract.add_argument("--proto-dir", type=Path, help="build against these .proto files")
    parser.add_argument("--output", type=Path, help="where to write the pyz")
    parser.add_argument("--source", type=Path, help="build this copy of the project "
                        "(pyproject.toml, README.md, src/) instead of this checkout")
    parser.add_argument("--no-run", action="store_true",
                        help="do not run the built pyz against the embedded simulator")
    parser.add_argument("--refresh-deps", action="store_true",
                        help="ask the package index again instead of using .venv's cache")
    parser.set_defaults(func=cmd_build)
    sub = parser.add_subparsers(dest="command")

    p_test = sub.add_parser("test", help="run the test suite in .venv")
    p_test.add_argument("pytest_args", nargs="*", help="passed to pytest as they are")
    p_test.set_defaults(func=cmd_test)

    p_proto = sub.add_parser("proto", help="regenerate src/mxgw/_proto")
    source = p_proto.add_mutually_exclusive_group()
    source.add_argument("--protoset", type=Path, help="a FileDescriptorSet (the gateway's own)")
    source.add_argument("--proto-dir", type=Path, help="a folder of .proto files")
    p_proto.set_defaults(func=cmd_proto)

    p_gen = sub.add_parser("_generate", help=argparse.SUPPRESS)
    p_gen.add_argument("out", type=Path)
    p_gen.add_argument("--protoset", type=Path)
    p_gen.add_argument("--proto-dir", type=Path)
    p_gen.set_defaults(func=cmd_generate)

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["test"]:
        # Everything after `test` goes to pytest untouched (argparse would eat "-q").
        args = argparse.Namespace(command="test", func=cmd_test, pytest_args=argv[1:])
    else:
        args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
