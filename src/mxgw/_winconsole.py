"""Ctrl-Break and closing the console window, on Windows, as a callback on the event loop.

Python's `signal.signal(SIGBREAK, ...)` is not enough for either:

- closing the console window (CTRL_CLOSE_EVENT) ends the process as soon as the
  console handler returns, and the C runtime's handler returns at once, long before
  the Python-level handler gets to close the session; Windows waits up to 5 s only
  while a handler is still running;
- Wine's C runtime turns only Ctrl-C into a signal, so there SIGBREAK never arrives.

So on Windows mxgw registers its own handler with `SetConsoleCtrlHandler` (ctypes,
stdlib). It schedules the callback on the loop for Ctrl-Break and for the close
event; for the close event it then holds the handler for up to `CLOSE_GRACE`
seconds, so the caller's cleanup (closing the session) runs before Windows ends the
process. Ctrl-C is left to Python's own handler (signal.SIGINT).

One native handler is registered per process, the first time it is needed, and
stays; `route_break()` pushes a callback and its undo pops it, so nested or
repeated use never races the native handler list.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable

CTRL_BREAK_EVENT = 1
CTRL_CLOSE_EVENT = 2
CLOSE_GRACE = 4.5  # Windows ends the process 5 s after CTRL_CLOSE_EVENT at the latest

Callback = Callable[[], None]
_routes: list[tuple[asyncio.AbstractEventLoop, Callback]] = []
_lock = threading.Lock()
_native: object = None  # the ctypes callback: must live as long as it is registered


def _on_event(event: int) -> bool:
    """The console handler (a thread Windows starts); True = handled, stop the chain."""
    if event not in (CTRL_BREAK_EVENT, CTRL_CLOSE_EVENT):
        return False  # Ctrl-C and the rest: Python's handler, then the default
    with _lock:
        route = _routes[-1] if _routes else None
    if route is None:
        return False
    loop, callback = route
    try:
        loop.call_soon_threadsafe(callback)
    except RuntimeError:  # the loop is closed: nothing of ours is running any more
        return False
    if event == CTRL_CLOSE_EVENT:
        # Returning lets Windows end the process; the loop closes the session
        # meanwhile, and the process exits on its own when that is done.
        threading.Event().wait(CLOSE_GRACE)
    return True


def _register() -> bool:
    global _native
    if _native is not None:
        return True
    if sys.platform != "win32":
        return False
    try:
        import ctypes
        from ctypes import wintypes
    except ImportError:  # a Python built without ctypes: signal.signal() is the fallback
        return False
    handler_type = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)
    native = handler_type(_on_event)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    if not kernel32.SetConsoleCtrlHandler(native, True):
        return False
    _native = native
    return True


def route_break(loop: asyncio.AbstractEventLoop, callback: Callback) -> Callable[[], None] | None:
    """Run `callback` on `loop` on Ctrl-Break or when the console closes; returns the
    undo, or None where this is not Windows (or has no ctypes)."""
    with _lock:
        if not _register():
            return None
        entry = (loop, callback)
        _routes.append(entry)

    def undo() -> None:
        with _lock:
            if entry in _routes:
                _routes.remove(entry)

    return undo
