"""The launcher's rarely needed half: first-run extraction and the JSON error. Stdlib only.

Kept apart from `_launcher.py` so that an ordinary start, which finds its extraction
already there, does not pay for compiling this (modules in a zip are compiled from
source on every start: zipimport cannot cache bytecode). In the pyz it is stored as
`_mxgw_launcher_extract.py` next to `_mxgw_launcher.py`.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import zipfile

TYPE_CHECKING = False  # typing itself costs milliseconds at every start
if TYPE_CHECKING:
    from typing import Any

EXIT_LAUNCHER = 9  # documented in the README's build section; the CLI uses 0-8 and 130
EXIT_INTERRUPTED = 130
WINDOWS_MAX_PATH = 259  # MAX_PATH (260) minus the terminating NUL
PAYLOAD = "site-packages.zip"  # the bundled packages, an archive inside the pyz (build.py)


class LauncherError(Exception):
    """The pyz cannot start here; `kind` is the JSON error's `type`."""

    def __init__(self, kind: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.extra = extra


def check_private(root: str) -> None:
    """A shared temp folder must be ours alone, or another user could plant code in it."""
    if not hasattr(os, "getuid"):
        return  # Windows: %TEMP% is per user and ACL-protected
    import stat

    info = os.lstat(root)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise PermissionError(f"{root} is not a private folder of this user")


def extract(archive: str, root: str, name: str, longest: int = 0,
            private: bool = False) -> str:
    """Extract the pyz's payload (shiv's site-packages/ tree) to root/name; return it.

    Extracts into a temporary sibling and renames it into place, so a reader never sees
    half a tree and two first runs at once cannot corrupt each other (the loser's rename
    fails and it uses the winner's folder).
    """
    final = os.path.join(root, name)
    if sys.platform == "win32" and len(final) + 1 + longest > WINDOWS_MAX_PATH:
        raise OSError(f"{final} is too deep for the longest bundled path ({longest} chars)")
    os.makedirs(root, mode=0o700, exist_ok=True)
    if private:
        check_private(root)
    tmp = f"{final}.{os.getpid()}.tmp"
    try:
        with zipfile.ZipFile(archive) as outer:
            # The payload is stored uncompressed; reading it whole avoids ZipExtFile's
            # slow backward seeks, and it is at most a few tens of MB.
            payload = io.BytesIO(outer.read(PAYLOAD))
        made: set[str] = set()
        with zipfile.ZipFile(payload) as zf:
            for info in zf.infolist():
                rel = info.filename
                if not rel.startswith("site-packages/") or rel.endswith("/"):
                    continue
                parts = rel.split("/")[1:]
                if any(p in ("", ".", "..") for p in parts):
                    raise LauncherError("ExtractionError", f"unsafe path in archive: {rel}")
                dest = os.path.join(tmp, *parts)
                folder = os.path.dirname(dest)
                if folder not in made:  # ~2,200 files in ~240 folders
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                write_new_file(dest, zf.read(info))
        compile_bytecode(tmp, final)
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


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_new_file(path: str, data: bytes) -> None:
    """Create `path` holding `data`, with the fewest system calls.

    Most of a first run is creating files, and Python's open() adds several calls to
    each (a buffered stream, an isatty and an fstat): measured under Wine, the first
    run wrote its ~2,200 files in 2.0 s with os.open() against 5.6 s with open().
    """
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


# What every one-shot command imports; compiled at extraction (see compile_bytecode).
COMPILED_AT_EXTRACTION = ("mxgw", "grpc", "google")


def compile_bytecode(folder: str, final: str) -> None:
    """Write this Python's .pyc files for what every command imports into the new
    extraction, before it is renamed into place (tracebacks name `final`).

    Python writes them itself on first import, but not where PYTHONDONTWRITEBYTECODE is
    set (containers often set it) or the extraction is read-only: then every `get` would
    compile ~150 modules again (~0.25 s). The REPL's packages (prompt_toolkit, jedi,
    pygments: ~1.5 s to compile) are left to Python, so the first run stays short.
    """
    import compileall

    compileall.compile_dir(folder, maxlevels=0, ddir=final, quiet=2)  # typing_extensions
    for name in COMPILED_AT_EXTRACTION:
        compileall.compile_dir(os.path.join(folder, name), ddir=os.path.join(final, name),
                               quiet=2)


def force_aside(folder: str) -> None:
    """SHIV_FORCE_EXTRACT (a repair the user asked for): remove the old extraction.

    Renamed first, so a half-removed tree is never found under the real name.
    """
    if os.path.isdir(folder):
        aside = f"{folder}.{os.getpid()}.old"
        os.rename(folder, aside)
        shutil.rmtree(aside, ignore_errors=True)


def extract_first_fit(archive: str, roots: list[str], name: str, *, longest: int,
                      force: bool, private_root: str | None, explicit: bool) -> str:
    """Extract into the first root that works; one clear error when none does."""
    failures = []
    for root in roots:
        try:
            if force:
                force_aside(os.path.join(root, name))
            return extract(archive, root, name, longest, private=root == private_root)
        except OSError as exc:
            failures.append(f"{root}: {exc.strerror or exc}")
    hint = ("SHIV_ROOT must name a writable folder" if explicit
            else "set SHIV_ROOT to a writable folder")
    if sys.platform == "win32":
        hint += " with a short path, e.g. C:\\mxgw"
    raise LauncherError("ExtractionError",
                        f"cannot extract {os.path.basename(archive)}: {'; '.join(failures)}; "
                        f"{hint}", roots=roots)


def error_line(exc: BaseException) -> tuple[str, int]:
    """The CLI's one-line JSON error for a launcher failure, and its exit code."""
    import json

    if isinstance(exc, KeyboardInterrupt):
        kind, message, extra, code = "KeyboardInterrupt", "interrupted", {}, EXIT_INTERRUPTED
    elif isinstance(exc, LauncherError):
        kind, message, extra, code = exc.kind, str(exc), exc.extra, EXIT_LAUNCHER
    else:
        kind, message, extra, code = ("LauncherError", f"{type(exc).__name__}: {exc}", {},
                                      EXIT_LAUNCHER)
    fields = {"type": kind, "message": message, "exitCode": code, "grpcCode": None,
              "protocolStatus": None, "hresult": None, **extra}
    return json.dumps({"error": fields}, sort_keys=True, ensure_ascii=True), code
