"""Route SIGINT/SIGTERM/SIGHUP/SIGBREAK to callbacks on the event loop, on Windows too.

Shared by the CLI (every connecting command runs in `until_terminated`) and the REPL
(its console and its scripted runs). No ptpython here: one-shot commands import it.

ptpython's async REPL calls `loop.add_signal_handler(SIGINT, ...)` around every
evaluation. Windows event loops do not implement it and raise NotImplementedError
(ptpython issue #582), so the first awaited line kills the REPL there. We never
call that code path: handlers are installed through `signal_handlers()`, which falls
back to `signal.signal()` plus `loop.call_soon_threadsafe()` when the loop has no
signal support. Python runs `signal.signal()` handlers on the main thread between
bytecodes, and the Windows proactor loop wakes up on them through its wakeup socket,
so the callback still runs promptly on the loop. SIGBREAK goes through
`mxgw._winconsole`, which also routes closing the console window to it (Windows' C
runtime turns only Ctrl-C into a signal under Wine, and a close ends the process as soon
as a signal handler returns).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Coroutine, Iterator, Mapping
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")
Callback = Callable[[], None]
Undo = Callable[[], None]


def _restore(signum: int, previous: Any) -> None:
    # getsignal() returns None for handlers installed from C; SIG_DFL is the
    # closest thing we can put back.
    signal.signal(signum, previous if previous is not None else signal.SIG_DFL)


def install_signal_handler(
    loop: asyncio.AbstractEventLoop, signum: int, callback: Callback
) -> Undo:
    """Run `callback` on `loop` when `signum` arrives; return a function that undoes it.

    The previous Python-level handler (for example asyncio.run's own SIGINT
    handler) is put back by the undo function on every path.
    """
    if signum == getattr(signal, "SIGBREAK", None):
        # Windows: Ctrl-Break and closing the console need a console handler of our own
        # (the close event would end the process before a signal.signal() handler runs).
        from ._winconsole import route_break

        undo_break = route_break(loop, callback)
        if undo_break is not None:
            return undo_break
    previous = signal.getsignal(signum)
    try:
        loop.add_signal_handler(signum, callback)
    except NotImplementedError:
        # Windows (ptpython #582): fall through to signal.signal().
        pass
    except RuntimeError:
        # Not the main thread: no signal can be routed here at all.
        return lambda: None
    else:

        def undo_loop() -> None:
            loop.remove_signal_handler(signum)
            _restore(signum, previous)

        return undo_loop

    def handler(_signum: int, _frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(callback)

    try:
        signal.signal(signum, handler)
    except ValueError:
        return lambda: None
    return lambda: _restore(signum, previous)


@contextlib.contextmanager
def signal_handlers(
    loop: asyncio.AbstractEventLoop, handlers: Mapping[int, Callback]
) -> Iterator[None]:
    """Install several handlers for the duration of a `with` block."""
    undos: list[Undo] = []
    try:
        for signum, callback in handlers.items():
            undos.append(install_signal_handler(loop, signum, callback))
        yield
    finally:
        for undo in reversed(undos):
            undo()


def termination_signals() -> tuple[int, ...]:
    """The signals that mean "close the session and quit": SIGTERM, SIGHUP (the
    terminal went away) and SIGBREAK (Ctrl-Break on Windows) where they exist."""
    names = ("SIGTERM", "SIGHUP", "SIGBREAK")
    return tuple(int(getattr(signal, name)) for name in names if hasattr(signal, name))


async def until_terminated(coro: Coroutine[Any, Any, T]) -> tuple[bool, T | None]:
    """Run `coro` as a task that SIGTERM/SIGHUP/SIGBREAK cancel; return (terminated, result).

    Cancelling the task unwinds it through the callers' `finally` blocks, which close
    the sessions, exactly as Ctrl-C does (asyncio.run cancels the main task on SIGINT,
    which cancels this task too). The coroutine must not let SystemExit escape (asyncio
    re-raises it out of the loop).
    """
    loop = asyncio.get_running_loop()
    task = loop.create_task(coro)
    terminated = False

    def terminate() -> None:
        # Once: a second SIGTERM must not cut short the close the first one started
        # (the close has its own deadline, so the exit is bounded anyway).
        nonlocal terminated
        if not terminated:
            terminated = True
            task.cancel()

    with signal_handlers(loop, dict.fromkeys(termination_signals(), terminate)):
        try:
            return False, await task
        except asyncio.CancelledError:
            if not terminated:
                raise
            return True, None
