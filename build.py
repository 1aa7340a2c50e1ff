#!/usr/bin/env python3
"""Build, test and regenerate mxgw. Standard library only, so it runs on a fresh machine.

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
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

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
    result = subprocess.run([str(c) for c in cmd], **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise BuildError(f"command failed with exit code {result.returncode}: {printable}")


def ensure_venv(extras: str = "test") -> Path:
    """Create .venv if missing and install the project with `extras`; return its python."""
    python = venv_python()
    if not python.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    stamp = VENV / f".mxgw-installed-{extras.replace(',', '-')}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != wanted:
        # Editable, so tests see the working tree; it still goes through the build
        # backend, so a broken pyproject.toml fails here (a wheel test covers the rest).
        run([python, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]"], cwd=ROOT)
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
        import grpc_tools  # noqa: F401  (only probing)
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
        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(Path(protoset).read_bytes())
        ours = [f for f in fds.file if not f.name.startswith("google/protobuf/")]
        by_package = {f.package: f.name for f in ours}
        for package in (GATEWAY_PACKAGE, GALAXY_PACKAGE):
            if package not in by_package:
                raise BuildError(f"the contract has no file for package {package}")
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

    text = re.sub(r"^from ([\w.]+) import (\w+)", fix_from, text, flags=re.M)
    text = re.sub(r"^import ([\w.]+) as (\w+)", fix_import, text, flags=re.M)
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


def cmd_test(args: argparse.Namespace) -> int:
    python = ensure_venv("test")
    env = dict(os.environ)
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    # Exit code 5 (no tests collected) is a failure too: it is returned as-is.
    return subprocess.call([str(python), "-m", "pytest", *args.pytest_args], cwd=ROOT, env=env)


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
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
    p_gen.set_defaults(func=lambda a: _generate_here(a.out, a.proto_dir, a.protoset) or 0)

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["test"]:
        # Everything after `test` goes to pytest untouched (argparse would eat "-q").
        args = argparse.Namespace(command="test", func=cmd_test, pytest_args=argv[1:])
    else:
        args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
