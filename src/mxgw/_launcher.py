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
1. sets `GRPC_VERBOSITY=ERROR` unless it is set (grpc reads it when first imported);
2. refuses a platform or Python the pyz was not built for;
3. finds or makes the extraction folder `<root>/mxgw-<build id>`: root is `$SHIV_ROOT`
   when set, else `~/.shiv`, else (home not writable) a per-user folder in the temp folder;
4. puts it first on `sys.path`, ahead of `PYTHONPATH` and site-packages;
5. removes extractions of other mxgw builds that have not been started for a day;
6. runs `mxgw.cli.main`.
Any failure before step 6 prints the CLI's one-line JSON error on stderr and exits 9.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

EXIT_LAUNCHER = 9  # documented in the README's build section; the CLI uses 0-8 and 130
EXIT_INTERRUPTED = 130
PREFIX = "mxgw-"
STALE_SECONDS = 24 * 3600
WINDOWS_MAX_PATH = 259  # MAX_PATH (260) minus the terminating NUL
ID_LENGTH = 16


class LauncherError(Exception):
    """The pyz cannot start here; `kind` is the JSON error's `type`."""

    def __init__(self, kind: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.extra = extra


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
    extra = {"supportedTarget": target, "supportedPythons": pythons,
             "target": here, "python": version}
    if sys.implementation.name != "cpython":
        raise LauncherError("UnsupportedPython",
                            f"{supports}; this is {sys.implementation.name} {version}", **extra)
    if "free-threading" in sys.version:  # 3.13t loads only cp313t modules: none bundled
        raise LauncherError("UnsupportedPython",
                            f"{supports}; this is a free-threaded CPython {version}", **extra)
    if here != target:
        raise LauncherError("UnsupportedPlatform", f"{supports}; this is {here}", **extra)
    if version not in pythons:
        raise LauncherError("UnsupportedPython", f"{supports}; this is CPython {version}",
                            **extra)
    needed = build.get("glibc")
    if needed:
        have = _glibc()
        wanted = tuple(int(p) for p in needed.split("."))
        if have is None or have < wanted:
            shown = "no glibc" if have is None else "glibc " + ".".join(map(str, have))
            raise LauncherError("UnsupportedPlatform",
                                f"{supports}, needing glibc {needed}; this host has {shown}",
                                **extra)


# ------------------------------------------------------------------ where to extract


def _temp_root() -> str:
    import tempfile

    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return os.path.join(tempfile.gettempdir(), f"mxgw-{user}")


def candidate_roots(env: dict[str, str] | os._Environ[str]) -> list[str]:
    """Roots to try, best first. An explicit SHIV_ROOT is the only one (no silent fallback)."""
    explicit = env.get("SHIV_ROOT")
    if explicit:
        return [os.path.abspath(os.path.expanduser(explicit))]
    return [os.path.join(os.path.expanduser("~"), ".shiv"), _temp_root()]


def _check_private(root: str) -> None:
    """A shared temp folder must be ours alone, or another user could plant code in it."""
    if not hasattr(os, "getuid"):
        return  # Windows: %TEMP% is per user and ACL-protected
    info = os.lstat(root)
    import stat

    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise PermissionError(f"{root} is not a private folder of this user")


def extract(archive: str, root: str, name: str, longest: int = 0) -> str:
    """Extract the archive's site-packages to root/name; return that folder.

    Extracts into a private temporary sibling and renames it into place, so a reader never
    sees half a tree and two first runs at once cannot corrupt each other (the loser's
    rename fails and it uses the winner's folder).
    """
    final = os.path.join(root, name)
    if sys.platform == "win32" and len(final) + 1 + longest > WINDOWS_MAX_PATH:
        raise OSError(f"{final} is too deep for the longest bundled path ({longest} chars)")
    os.makedirs(root, mode=0o700, exist_ok=True)
    if root == _temp_root():
        _check_private(root)
    import shutil
    import zipfile

    tmp = f"{final}.{os.getpid()}.tmp"
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                rel = info.filename
                if not rel.startswith("site-packages/") or rel.endswith("/"):
                    continue
                parts = rel.split("/")[1:]
                if any(p in ("", ".", "..") for p in parts):
                    raise LauncherError("ExtractionError", f"unsafe path in archive: {rel}")
                dest = os.path.join(tmp, *parts)
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                with zf.open(info) as src, open(dest, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
        try:
            os.rename(tmp, final)
        except OSError:
            if not os.path.isdir(final):
                raise
            shutil.rmtree(tmp, ignore_errors=True)  # another first run won the race
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _force_aside(folder: str) -> None:
    """SHIV_FORCE_EXTRACT (a repair the user asked for): remove the old extraction.

    Renamed first, so a half-removed tree is never found under the real name.
    """
    if os.path.isdir(folder):
        aside = f"{folder}.{os.getpid()}.old"
        os.rename(folder, aside)
        import shutil

        shutil.rmtree(aside, ignore_errors=True)


def find_or_extract(archive: str, build: dict[str, Any],
                    env: dict[str, str] | os._Environ[str]) -> str:
    """The extraction folder for this build, extracting it on first run."""
    name = PREFIX + build["build_id"][:ID_LENGTH]
    roots = candidate_roots(env)
    force = env.get("SHIV_FORCE_EXTRACT", "").lower() in ("1", "true", "yes")
    if not force:
        for root in roots:
            folder = os.path.join(root, name)
            if os.path.isdir(folder):
                return folder
    failures = []
    for root in roots:
        try:
            if force:
                _force_aside(os.path.join(root, name))
            return extract(archive, root, name, build.get("longest_path", 0))
        except OSError as exc:
            failures.append(f"{root}: {exc.strerror or exc}")
    hint = ("set SHIV_ROOT to a writable folder" if "SHIV_ROOT" not in env
            else "SHIV_ROOT must name a writable folder")
    if sys.platform == "win32":
        hint += " with a short path, e.g. C:\\mxgw"
    raise LauncherError("ExtractionError",
                        f"cannot extract {os.path.basename(archive)}: {'; '.join(failures)}; "
                        f"{hint}", roots=roots)


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


def error_line(exc: BaseException) -> tuple[str, int]:
    """The CLI's one-line JSON error for a launcher failure, and its exit code."""
    import json

    if isinstance(exc, KeyboardInterrupt):
        kind, message, extra, code = "KeyboardInterrupt", "interrupted", {}, EXIT_INTERRUPTED
    elif isinstance(exc, LauncherError):
        kind, message, extra, code = exc.kind, str(exc), exc.extra, EXIT_LAUNCHER
    else:
        kind, message, extra, code = "LauncherError", f"{type(exc).__name__}: {exc}", {}, \
            EXIT_LAUNCHER
    fields = {"type": kind, "message": message, "exitCode": code, "grpcCode": None,
              "protocolStatus": None, "hresult": None, **extra}
    return json.dumps({"error": fields}, sort_keys=True, ensure_ascii=True), code


def prepare(archive: str, build: dict[str, Any]) -> str:
    """Steps 1-5 of the module docstring; returns the extraction folder, now on sys.path."""
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
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
            from mxgw.cli import main as cli_main
        except ImportError as exc:
            raise LauncherError("ExtractionError",
                                f"the extraction in {folder} is damaged ({exc}); "
                                "run once with SHIV_FORCE_EXTRACT=1") from exc
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001  (the contract: any failure
        # before the CLI runs is one JSON line, never a traceback)
        line, code = error_line(exc)
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
        sys.exit(code)
    sys.exit(cli_main())

