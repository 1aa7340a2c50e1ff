"""Files private to the user: a folder made 0700, files written 0600, atomically, under a lock.

    with locked(path):                       # path + ".lock", exclusive, across processes
        text = read_text_or_none(path)
        write_private(path, new_text)        # temp file in the same folder, then os.replace

The lock is `fcntl.flock` on POSIX and `msvcrt.locking` on Windows, on a separate lock
file, so readers and writers of `path` can take it without racing the rename. Readers
take it too: on Windows a file that another process holds open cannot be replaced.
Modes are POSIX only; on Windows the folder under %APPDATA% is the user's already.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_TIMEOUT = 30.0  # seconds; a lock held longer than this is a stuck process, not a race


def private_folder(folder: Path) -> None:
    """Create `folder` (and its parents) 0700 if missing; an existing folder is left as is."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)


def private_file(path: os.PathLike[str] | str) -> Path:
    """Create `path` (to append to) if missing, in a private folder: the file 0600, and an
    existing one readable by others narrowed to 0600 (the audit log and the REPL history
    hold tags, values and the OS user). Returns it as a Path."""
    target = Path(path)
    private_folder(target.parent)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    if os.name != "nt" and target.stat().st_mode & 0o077:
        os.chmod(target, 0o600)
    return target


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            # One byte at offset 0 (locking past the end of an empty file is allowed).
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        # Closing the handle frees the region too, but Windows does so "eventually".
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of `path` (the file `path.lock`); TimeoutError after
    `timeout` seconds (default LOCK_TIMEOUT).

    The lock belongs to the open file, so two threads of one process exclude each other too.
    """
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    private_folder(path.parent)
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{lock_path} is held by another process")
            time.sleep(0.01)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def read_text_or_none(path: Path) -> str | None:
    """The file's text, or None when it does not exist (any other OSError propagates).

    A UTF-8 byte order mark is dropped: Windows PowerShell 5.1 and older Notepads write one.
    """
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None


def write_private(path: Path, text: str,
                  replace: Callable[[str, Path], None] = os.replace) -> None:
    """Write `text` to `path` atomically: a 0600 temp file in the same folder, then a rename.

    A reader sees the old file or the new one, never half of one. On Windows a rename over
    a file that a virus scanner or indexer has open fails for a moment, so a refused
    rename is retried for half a second.
    """
    private_folder(path.parent)
    import tempfile  # (with shutil and random) only when a file is written

    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        for attempt in range(10):
            try:
                replace(temp, path)
                break
            except PermissionError:
                if attempt == 9:
                    raise
                time.sleep(0.05)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
