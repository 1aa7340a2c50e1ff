"""Windows-side helper of the Wine suite: runs under the embeddable Windows Python.

    python.exe wintool.py run EVENTS -- COMMAND...   run COMMAND; deliver console events
    python.exe wintool.py addcert STORE DER [OID]    add a certificate to a machine store
    python.exe wintool.py delcert STORE DER          remove it again

`run` starts COMMAND with this process's standard handles, then watches the file
EVENTS for lines naming console control events (`ctrl-c`, `ctrl-break`, `close`) and
delivers each to COMMAND the way Windows' console host does: a thread in the target
process at kernel32!CtrlRoutine with the event as its argument (Wine 8 cannot send
Ctrl-Break with GenerateConsoleCtrlEvent, and no API sends the close event). Exits
with COMMAND's exit code. Diagnostics go to stderr, prefixed "wintool:".

`addcert` adds a DER certificate to the LocalMachine store STORE (ROOT, CA) through
crypt32, as `certutil -addstore` does; with OID, its enhanced key usage property is
set to that purpose alone (e.g. code signing, so it is not trusted for TLS servers).

Stdlib and ctypes only: this file is not imported by the tests, it is copied into
the Wine prefix and run there.
"""

import ctypes
import signal
import subprocess
import sys
import time
from ctypes import wintypes

EVENTS = {"ctrl-c": 0, "ctrl-break": 1, "close": 2}
POLL = 0.05  # seconds between looks at the events file

kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
kernel32.GetModuleHandleW.restype = ctypes.c_void_p
kernel32.GetProcAddress.restype = ctypes.c_void_p
kernel32.GetProcAddress.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
kernel32.OpenProcess.restype = ctypes.c_void_p
kernel32.CreateRemoteThread.restype = ctypes.c_void_p
kernel32.CreateRemoteThread.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                        ctypes.c_void_p, ctypes.c_void_p, wintypes.DWORD,
                                        ctypes.c_void_p]
kernel32.CloseHandle.argtypes = [ctypes.c_void_p]


class _Blob(ctypes.Structure):
    """CRYPT_DATA_BLOB."""

    _fields_ = [("size", wintypes.DWORD), ("data", ctypes.c_void_p)]


def say(text: str) -> None:
    sys.stderr.write(f"wintool: {text}\n")
    sys.stderr.flush()


def deliver(pid: int, event: str) -> None:
    """What the console host does for a control event: CtrlRoutine(event) in the target."""
    routine = kernel32.GetProcAddress(kernel32.GetModuleHandleW("kernel32"), b"CtrlRoutine")
    process = kernel32.OpenProcess(0x1FFFFF, False, pid)  # PROCESS_ALL_ACCESS
    if not process or not routine:
        raise ctypes.WinError(ctypes.get_last_error())
    try:
        thread = kernel32.CreateRemoteThread(process, None, 0, routine,
                                             ctypes.c_void_p(EVENTS[event]), 0, None)
        if not thread:
            raise ctypes.WinError(ctypes.get_last_error())
        kernel32.CloseHandle(thread)
    finally:
        kernel32.CloseHandle(process)


def run(events_path: str, command: list[str]) -> int:
    # No CREATE_NEW_PROCESS_GROUP: Wine then ignores every control event, not only Ctrl-C.
    child = subprocess.Popen(command, stdin=0, stdout=1, stderr=2)
    # A Ctrl-C typed on the terminal reaches every process of the console: it is the
    # child's to handle, and this process must outlive it.
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    say(f"started {child.pid}")
    seen = 0
    while child.poll() is None:
        try:
            with open(events_path, encoding="ascii") as f:
                lines = f.read().split()
        except FileNotFoundError:
            lines = []
        for event in lines[seen:]:
            say(f"delivering {event}")
            deliver(child.pid, event)
        seen = len(lines)
        time.sleep(POLL)
    say(f"exit {child.returncode}")
    return child.returncode


def addcert(store_name: str, der_path: str, purpose: str | None = None) -> int:
    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)
    crypt32.CertOpenStore.restype = ctypes.c_void_p
    crypt32.CertOpenStore.argtypes = [ctypes.c_void_p, wintypes.DWORD, ctypes.c_void_p,
                                      wintypes.DWORD, ctypes.c_void_p]
    crypt32.CertAddEncodedCertificateToStore.argtypes = [
        ctypes.c_void_p, wintypes.DWORD, ctypes.c_char_p, wintypes.DWORD, wintypes.DWORD,
        ctypes.POINTER(ctypes.c_void_p)]
    crypt32.CertSetCertificateContextProperty.argtypes = [
        ctypes.c_void_p, wintypes.DWORD, wintypes.DWORD, ctypes.c_void_p]
    crypt32.CertFreeCertificateContext.argtypes = [ctypes.c_void_p]
    crypt32.CertCloseStore.argtypes = [ctypes.c_void_p, wintypes.DWORD]
    system_store, local_machine = 10, 2 << 16  # CERT_STORE_PROV_SYSTEM_W, ..._LOCAL_MACHINE
    encoding = 0x10001  # X509_ASN_ENCODING | PKCS_7_ASN_ENCODING
    store = crypt32.CertOpenStore(system_store, 0, None, local_machine,
                                  ctypes.c_wchar_p(store_name))
    if not store:
        raise ctypes.WinError(ctypes.get_last_error())
    with open(der_path, "rb") as f:
        der = f.read()
    context = ctypes.c_void_p()
    try:
        if not crypt32.CertAddEncodedCertificateToStore(store, encoding, der, len(der), 3,
                                                        ctypes.byref(context)):  # REPLACE
            raise ctypes.WinError(ctypes.get_last_error())
        if purpose:
            usage = _enhanced_key_usage(purpose)
            buffer = ctypes.create_string_buffer(usage, len(usage))
            blob = _Blob(len(usage), ctypes.cast(buffer, ctypes.c_void_p))
            if not crypt32.CertSetCertificateContextProperty(context, 9, 0,  # ENHKEY_USAGE
                                                             ctypes.byref(blob)):
                raise ctypes.WinError(ctypes.get_last_error())
    finally:
        if context:
            crypt32.CertFreeCertificateContext(context)
        crypt32.CertCloseStore(store, 0)
    say(f"added {der_path} to LocalMachine\\{store_name}" + (f" for {purpose} only"
                                                             if purpose else ""))
    return 0


def delcert(store_name: str, der_path: str) -> int:
    """Remove that certificate from the LocalMachine store again (a test's cleanup)."""
    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)
    crypt32.CertOpenStore.restype = ctypes.c_void_p
    crypt32.CertOpenStore.argtypes = [ctypes.c_void_p, wintypes.DWORD, ctypes.c_void_p,
                                      wintypes.DWORD, ctypes.c_void_p]
    crypt32.CertCreateCertificateContext.restype = ctypes.c_void_p
    crypt32.CertCreateCertificateContext.argtypes = [wintypes.DWORD, ctypes.c_char_p,
                                                     wintypes.DWORD]
    crypt32.CertFindCertificateInStore.restype = ctypes.c_void_p
    crypt32.CertFindCertificateInStore.argtypes = [ctypes.c_void_p, wintypes.DWORD,
                                                   wintypes.DWORD, wintypes.DWORD,
                                                   ctypes.c_void_p, ctypes.c_void_p]
    crypt32.CertDeleteCertificateFromStore.argtypes = [ctypes.c_void_p]
    crypt32.CertFreeCertificateContext.argtypes = [ctypes.c_void_p]
    crypt32.CertCloseStore.argtypes = [ctypes.c_void_p, wintypes.DWORD]
    with open(der_path, "rb") as f:
        der = f.read()
    store = crypt32.CertOpenStore(10, 0, None, 2 << 16, ctypes.c_wchar_p(store_name))
    wanted = crypt32.CertCreateCertificateContext(0x10001, der, len(der))
    if not store or not wanted:
        raise ctypes.WinError(ctypes.get_last_error())
    try:
        found = crypt32.CertFindCertificateInStore(store, 0x10001, 0, 13 << 16,  # EXISTING
                                                   wanted, None)
        if found:
            crypt32.CertDeleteCertificateFromStore(found)  # frees `found` too
    finally:
        crypt32.CertFreeCertificateContext(wanted)
        crypt32.CertCloseStore(store, 0)
    return 0


def _enhanced_key_usage(oid: str) -> bytes:
    """DER of an ExtKeyUsageSyntax with one purpose: SEQUENCE { OBJECT IDENTIFIER oid }."""
    arcs = [int(part) for part in oid.split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    identifier = bytes([0x06, len(body)]) + bytes(body)
    return bytes([0x30, len(identifier)]) + identifier


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"] and "--" in argv:
        split = argv.index("--")
        return run(argv[1], argv[split + 1:])
    if argv[:1] == ["addcert"] and len(argv) in (3, 4):
        return addcert(*argv[1:])
    if argv[:1] == ["delcert"] and len(argv) == 3:
        return delcert(*argv[1:])
    say((__doc__ or "").split("\n\n")[1])
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
