"""The interactive prompt: ptpython's PythonRepl on the loop that owns the channel.

`ptpython.repl.embed(..., return_asyncio_coroutine=True)` builds a `PythonRepl` and
awaits its `run_async()`. We build the `PythonRepl` ourselves (a subclass), because
embed() cannot take the input/output (tests), the history (filtered), the toolbar or
the completer, and we replace the two methods that need to differ:

- `run_and_show_expression_async`: ptpython's calls `loop.add_signal_handler`, which
  raises NotImplementedError on Windows (ptpython #582). Ours evaluates in a task
  that Ctrl-C cancels through `_signals` (which works on every platform), shows
  results with `_display` and gateway errors as one line.
- `run_async`: the same read-eval loop, plus a clean way out on SIGTERM or when the
  terminal goes away (the read runs in a thread; a loop that only cancels its future
  would leave that thread blocked and asyncio.run() waiting for it forever).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from prompt_toolkit.completion import merge_completers
from prompt_toolkit.history import History
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyPressEvent
from prompt_toolkit.output import Output
from prompt_toolkit.patch_stdout import patch_stdout
from prompt_toolkit.utils import suspend_to_background_supported
from ptpython.repl import PythonRepl, ReplExit

from .._signals import signal_handlers, termination_signals
from ._completion import TagCache, TagCompleter
from ._display import format_error, format_result
from ._main import exit_status
from ._toolbar import ReplInfo, banner, toolbar_window

Write = Callable[[str], None]
_MAX_PROMPT_FAILURES = 3


class _Exit(Exception):
    """The evaluated code asked to leave (exit(), quit(), SystemExit); `code` is the
    exit code it gave (exit(3)), or None."""

    def __init__(self, code: object = None) -> None:
        super().__init__(code)
        self.code = code


class ReplConsole(PythonRepl):
    """ptpython's REPL with mxgw's display, errors, completion, history and toolbar."""

    def __init__(
        self,
        namespace: dict[str, Any],
        info: ReplInfo,
        write: Write,
        *,
        history: History | None = None,
        tag_cache: TagCache | None = None,
        debug: bool = False,
        input: Input | None = None,
        output: Output | None = None,
        ctrl_z_quits: bool | None = None,
    ) -> None:
        super().__init__(
            get_globals=lambda: namespace,
            get_locals=lambda: namespace,
            input=input,
            output=output,
            _extra_toolbars=[toolbar_window(info)],
        )
        self.info = info
        self._write = write
        self._debug = debug
        self._eval_task: asyncio.Task[Any] | None = None
        self._stopping = False
        self._leaver: asyncio.Task[None] | None = None
        self.exit_reason = "exit"
        self.exit_code = 0  # exit(n) / quit(n) at the prompt
        if history is not None:
            # The buffer was built with ptpython's history in __init__; it loads
            # lazily when the first prompt starts, so swapping it here is complete.
            self.history = history
            self.default_buffer.history = history
        if tag_cache is not None:
            self.completer = merge_completers([TagCompleter(tag_cache), self.completer])
        # Ctrl-D quits at once: the session is closed for the user, nothing is lost.
        self.confirm_exit = False
        self.insert_blank_line_after_output = False
        self.title = "mxgw"
        if not suspend_to_background_supported() if ctrl_z_quits is None else ctrl_z_quits:
            self.add_key_binding("c-z")(_type_ctrl_z)

    # -- signals ---------------------------------------------------------------

    def interrupt(self) -> None:
        """Ctrl-C: cancel the running evaluation; nothing else (the prompt survives)."""
        if self._eval_task is not None and not self._eval_task.done():
            self._eval_task.cancel()

    def terminate(self, reason: str = "terminated") -> None:
        """SIGTERM / SIGHUP: stop evaluating, leave the prompt, let the caller close.

        Called on the loop. The prompt runs in a thread and may be just starting,
        so leaving it is retried until `run_async` has returned.
        """
        self._stopping = True
        self.exit_reason = reason
        self.interrupt()
        if self._leaver is None:
            self._leaver = asyncio.get_running_loop().create_task(self._keep_leaving())

    async def _keep_leaving(self) -> None:
        while True:
            self._leave_prompt()
            await asyncio.sleep(0.1)

    def _leave_prompt(self) -> None:
        app = self.app
        loop = app.loop
        if not app.is_running or loop is None:
            return

        def leave() -> None:
            if app.is_running and app.future is not None and not app.future.done():
                app.exit(exception=EOFError())

        loop.call_soon_threadsafe(leave)

    # -- read-eval-print -------------------------------------------------------

    async def _evaluate(self, text: str) -> Any:
        try:
            return await self.eval_async(text)
        except (SystemExit, ReplExit) as exc:
            # SystemExit must not escape a task: asyncio would re-raise it out of
            # the event loop and skip closing the session.
            raise _Exit(exc.code if isinstance(exc, SystemExit) else None) from exc

    async def run_and_show_expression_async(self, text: str) -> Any:
        task = asyncio.get_running_loop().create_task(self._evaluate(text))
        self._eval_task = task
        try:
            await asyncio.wait([task])
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            self._eval_task = None
        if task.cancelled():
            self._write("cancelled\n")
            return None
        error = task.exception()
        if isinstance(error, _Exit):
            raise error
        if error is not None:
            self._write(format_error(error, self._debug) + "\n")
            return None
        result = task.result()
        if result is not None:
            self._write(format_result(result) + "\n")
        self.current_statement_index += 1
        self.signatures = []
        return result

    def _add_to_namespace(self) -> None:
        # ptpython puts its own `exit` in, which takes no code: exit(3) was a TypeError.
        # The namespace's exit (mxgw's, as `quit`) takes one, as at Python's prompt.
        namespace = self.get_globals()
        own = namespace.get("exit")
        super()._add_to_namespace()
        if own is not None:
            namespace["exit"] = own

    async def run_async(self) -> None:
        loop = asyncio.get_running_loop()
        self._add_to_namespace()
        failures = 0
        try:
            while not self._stopping:
                try:
                    text = await loop.run_in_executor(None, self.read)
                except EOFError:
                    return
                except OSError:
                    # The terminal is gone (EIO on a closed pty): nothing more to read.
                    self.exit_reason = "terminal closed"
                    return
                except Exception as exc:
                    # A bug in the prompt (a completer, a key binding): like ptpython,
                    # say so and prompt again - but not forever if it keeps failing.
                    failures += 1
                    self._write(f"prompt error: {format_error(exc, True)}\n")
                    if failures >= _MAX_PROMPT_FAILURES:
                        raise
                    continue
                failures = 0
                if self._stopping:
                    return
                try:
                    await self.run_and_show_expression_async(text)
                except _Exit as leaving:
                    self.exit_code = exit_status(leaving.code)
                    return
        finally:
            if self._leaver is not None:
                self._leaver.cancel()
            self._leave_prompt()
            self._remove_from_namespace()


def _type_ctrl_z(event: KeyPressEvent) -> None:
    """Where the OS cannot suspend a process (Windows), Ctrl-Z then Enter quits, as in
    the standard Python prompt: ptpython's read() treats a line starting with Ctrl-Z as
    EOF, but its own Ctrl-Z binding (suspend, a no-op there) hides prompt_toolkit's
    binding that types the character, so the line never gets one without this."""
    event.current_buffer.insert_text("\x1a")


@contextlib.contextmanager
def _logs_above_prompt(original: TextIO) -> Iterator[None]:
    """Send `--debug` log lines through patch_stdout's proxy too.

    A logging.StreamHandler keeps the stream it was given (the real stderr), so its
    lines would land in the middle of the prompt line; point it at the proxy while
    the prompt runs.
    """
    moved: list[logging.StreamHandler[TextIO]] = []
    for handler in logging.getLogger("mxgw").handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is original:
            handler.setStream(sys.stderr)
            moved.append(handler)
    try:
        yield
    finally:
        for handler in moved:
            handler.setStream(original)


async def interact(console: ReplConsole, *, use_patch_stdout: bool = True) -> str:
    """Show the banner and run the prompt until the user leaves; return why ("exit",
    "terminal closed", "SIGTERM", ...; an exit(n)'s status is `console.exit_code`).

    Ctrl-C cancels the running call; SIGTERM and SIGHUP end the prompt so that the
    caller's `finally` closes the session.
    """
    loop = asyncio.get_running_loop()
    handlers: dict[int, Callable[[], None]] = {int(signal.SIGINT): console.interrupt}
    for signum in termination_signals():
        handlers[signum] = functools.partial(console.terminate, signal.Signals(signum).name)
    with signal_handlers(loop, handlers):
        if use_patch_stdout:
            original_stderr = sys.stderr
            with patch_stdout(), _logs_above_prompt(original_stderr):
                console._write(banner(console.info))
                await console.run_async()
        else:
            console._write(banner(console.info))
            await console.run_async()
    return console.exit_reason


def start_tag_cache(client: Any, debug: bool = False) -> TagCache:
    """Start loading the Galaxy's tag names for completion (in the background)."""
    from ._completion import galaxy_tag_names

    cache = TagCache()
    cache.start(lambda: galaxy_tag_names(client.galaxy), debug)
    return cache
