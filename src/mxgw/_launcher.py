"""The launcher of mxgw.pyz: runs before anything bundled is importable. Stdlib only.

build.py builds the pyz with shiv, then replaces shiv's `__main__` (which calls shiv's
bootstrap) with `_launcher_main.py`, which checks that the Python is new enough to parse
this module, stored in the pyz as `_mxgw_launcher.py`, and calls `main(BUILD)`. We do not call
shiv's bootstrap because on a gateway host it: dies with a raw traceback when the home
folder is not writable (service accounts); extracts to `~/.shiv/<pyz name>_<64 hex>/
site-packages/`, too deep for Windows' 260-character paths; puts the bundle after the
`PYTHONPATH` entries, so those shadow it; never removes old extractions; and imports
subprocess, compileall, shutil and zipfile on every start even when nothing is extracted.

In order, `main()`:
1. refuses a platform or Python the pyz was not built for;
2. finds or makes the extraction folder `<root>/mxgw-<build id>`: root is `$SHIV_ROOT`
   when set, else `~/.shiv`, else (home not writable) a per-user folder in the temp folder;
3. puts it first on `sys.path`, ahead of `PYTHONPATH` and site-packages;
4. removes extractions of other mxgw builds that have not been started for a day;
5. runs `mxgw.cli.run` (which keeps grpc's own log lines off stderr, on every path).
Any failure before step 5 prints the CLI's one-line JSON error on stderr and exits 9.

An ordinary start (extraction already there) imports only os and sys; extraction and
errors live in `_launcher_extract.py`, compiled only when needed (see there why).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing itself costs milliseconds at every start
if TYPE_CHECKING:
    from typing import Any, NoReturn

PREFIX = "mxgw-"
ID_LENGTH = 16
STALE_SECONDS = 24 * 3600


def _slow() -> Any:
    """_launcher_extract: a sibling module in the package, a top-level one in the pyz."""
    if __package__:
        from . import _launcher_extract

        return _launcher_extract
    import _mxgw_launcher_extract  # type: ignore[import-not-found]

    return _mxgw_launcher_extract


# ------------------------------------------------------------------ what runs us


def host_target() -> str:
    """This interpreter's target name, as build.py's `--target` spells it."""
    if sys.platform == "win32":
        # sys.version names the build's CPU: "(AMD64)", "(ARM64)" or "32 bit (Intel)".
        if "ARM64" in sys.version:
            return "win-arm64"
        return "win-amd64" if sys.maxsize > 2**32 else "win32"
    machine = os.uname().machine.lower()
    if machine in ("amd64", "x86_64") and sys.maxsize <= 2**32:
        machine = "i686"  # 32-bit Python on a 64-bit kernel
    system = "linux" if sys.platform.startswith("linux") else sys.platform
    return f"{system}-{machine}"


def _glibc() -> tuple[int, ...] | None:
    try:
        found = os.confstr("CS_GNU_LIBC_VERSION")  # "glibc 2.35"; None or error on musl
    except (AttributeError, ValueError, OSError):
        return None
    if not found or not found.startswith("glibc "):
        return None
    return tuple(int(part) for part in found.split()[1].split(".")[:2] if part.isdigit())


def check_host(build: dict[str, Any]) -> None:
    """Raise LauncherError naming what the pyz supports if this interpreter is not it."""
    target, pythons = build["target"], build["pythons"]
    here = host_target()
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    supports = f"{build['name']} is built for {target} with CPython {', '.join(pythons)}"
    problem = None
    if sys.implementation.name != "cpython":
        kind, problem = "UnsupportedPython", f"this is {sys.implementation.name} {version}"
    elif "free-threading" in sys.version:  # 3.13t loads only cp313t modules: none bundled
        kind, problem = "UnsupportedPython", f"this is a free-threaded CPython {version}"
    elif here != target:
        kind, problem = "UnsupportedPlatform", f"this is {here}"
    elif version not in pythons:
        kind, problem = "UnsupportedPython", f"this is CPython {version}"
    elif build.get("glibc"):
        needed = build["glibc"]
        have = _glibc()
        if have is None or have < tuple(int(p) for p in needed.split(".")):
            shown = "no glibc" if have is None else "glibc " + ".".join(map(str, have))
            kind, problem = "UnsupportedPlatform", f"this host has {shown}"
            supports += f", needing glibc {needed}"
    if problem is not None:
        raise _slow().LauncherError(kind, f"{supports}; {problem}", supportedTarget=target,
                                    supportedPythons=pythons, target=here, python=version)


# ------------------------------------------------------------------ where to extract


def _temp_root() -> str:
    import tempfile

    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return os.path.join(tempfile.gettempdir(), f"mxgw-{user}")


def _first_root(env: dict[str, str] | os._Environ[str]) -> str:
    explicit = env.get("SHIV_ROOT")
    if explicit:
        return os.path.abspath(os.path.expanduser(explicit))
    return os.path.join(os.path.expanduser("~"), ".shiv")


def candidate_roots(env: dict[str, str] | os._Environ[str]) -> list[str]:
    """Roots to try, best first. An explicit SHIV_ROOT is the only one (no silent fallback)."""
    if env.get("SHIV_ROOT"):
        return [_first_root(env)]
    return [_first_root(env), _temp_root()]


def find_or_extract(archive: str, build: dict[str, Any],
                    env: dict[str, str] | os._Environ[str]) -> str:
    """The extraction folder for this build, extracting it on first run."""
    name = PREFIX + build["build_id"][:ID_LENGTH]
    force = env.get("SHIV_FORCE_EXTRACT", "").lower() in ("1", "true", "yes")
    # The usual start finds the build in the first root: the temp root is worked out only
    # when it does not (tempfile and what it imports are ~5 ms of every start otherwise).
    if not force and os.path.isdir(folder := os.path.join(_first_root(env), name)):
        return folder
    roots = candidate_roots(env)
    if not force:
        for root in roots[1:]:
            folder = os.path.join(root, name)
            if os.path.isdir(folder):
                return folder
    explicit = bool(env.get("SHIV_ROOT"))
    return str(_slow().extract_first_fit(
        archive, roots, name, longest=build.get("longest_path", 0), force=force,
        private_root=None if explicit else roots[-1], explicit=explicit))


def remove_stale(root: str, keep: str, now: float) -> list[str]:
    """Remove other builds' extractions (and leftovers) not started for STALE_SECONDS.

    Only names this launcher makes are touched, so a shared SHIV_ROOT is safe. A folder in
    use on Windows cannot be renamed, so it is skipped and retried on a later start.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        base = name.split(".", 1)[0]
        ours = (len(base) == len(PREFIX) + ID_LENGTH and base.startswith(PREFIX)
                and all(c in "0123456789abcdef" for c in base[len(PREFIX):]))
        if not ours or name == keep:
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_SECONDS:
                continue
            doomed = entry.path if name.endswith(".del") else f"{entry.path}.del"
            if doomed != entry.path:
                os.rename(entry.path, doomed)
        except OSError:
            continue  # in use or already gone: a later start tries again
        import shutil

        shutil.rmtree(doomed, ignore_errors=True)
        removed.append(name)
    return removed


# ------------------------------------------------------------------ main


def prepare(archive: str, build: dict[str, Any]) -> str:
    """Steps 1-4 of the module docstring; returns the extraction folder, now on sys.path."""
    check_host(build)
    folder = find_or_extract(archive, build, os.environ)
    try:
        os.utime(folder)  # "last started", read by remove_stale in other builds
    except OSError:
        pass  # a read-only pre-extracted SHIV_ROOT is fine; only cleanup needs the stamp
    sys.path.insert(0, folder)
    import time

    remove_stale(os.path.dirname(folder), os.path.basename(folder), time.time())
    return folder


def main(build: dict[str, Any]) -> NoReturn:
    """Run the pyz. `build` holds the build's facts (build_id, target, pythons, glibc,
    longest_path, name), written into `__main__.py` by build.py."""
    archive = os.path.dirname(os.path.abspath(__file__))
    try:
        folder = prepare(archive, build)
        try:
            from mxgw.cli import run as cli_run
        except ImportError as exc:
            raise _slow().LauncherError(
                "ExtractionError", f"the extraction in {folder} is damaged ({exc}); "
                "run once with SHIV_FORCE_EXTRACT=1") from exc
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001  (the contract: any failure
        # before the CLI runs is one JSON line, never a traceback)
        line, code = _slow().error_line(exc)
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
        sys.exit(code)
    cli_run()
