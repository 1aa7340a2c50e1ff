"""Scripted use: statements from stdin or `--exec FILE` in the preloaded namespace.

The source is parsed once and run one top-level statement at a time, each compiled
with `ast.PyCF_ALLOW_TOP_LEVEL_AWAIT`, so `await session.read(...)` works at the top
of a script exactly as at the prompt. The value of each top-level expression that is
not None is handed to `emit` (the CLI prints it as one JSON line). The first failing
statement stops the run with `ScriptError`, which carries the file and line.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from typing import Any

_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


class ScriptError(Exception):
    """A statement of the script failed; `error` is what it raised."""

    def __init__(self, error: BaseException, filename: str, lineno: int) -> None:
        super().__init__(f"{filename}, line {lineno}: {type(error).__name__}: {error}")
        self.error = error
        self.filename = filename
        self.lineno = lineno

    @property
    def is_gateway_error(self) -> bool:
        from .._errors import MxGatewayError

        return isinstance(self.error, MxGatewayError)

    def describe(self) -> str:
        """`FILE line N: ...`: the gateway's message, or for a bug in the script (not in
        mxgw) what it was, `NameError: name 'x' is not defined`."""
        what = str(self.error) if self.is_gateway_error else (
            f"{type(self.error).__name__}: {self.error}")
        return f"{self.filename} line {self.lineno}: {what}"

    def traceback(self, debug: bool) -> str | None:
        """The script's traceback to show (a gateway error's only with --debug)."""
        if self.is_gateway_error and not debug:
            return None
        from ._display import format_error

        return format_error(self.error, debug=True)


async def _run_code(code: Any, namespace: dict[str, Any]) -> Any:
    result = eval(code, namespace)
    if code.co_flags & inspect.CO_COROUTINE:
        result = await result
    return result


async def run_script(
    source: str, filename: str, namespace: dict[str, Any], emit: Callable[[Any], None]
) -> int:
    """Run `source`; return the number of statements run. Raises ScriptError."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as exc:
        raise ScriptError(exc, filename, exc.lineno or 0) from exc
    count = 0
    for node in tree.body:
        try:
            if isinstance(node, ast.Expr):
                code = compile(ast.Expression(node.value), filename, "eval", flags=_FLAGS)
                result = await _run_code(code, namespace)
                if result is not None:
                    namespace["_"] = result
                    emit(result)
            else:
                module = ast.Module(body=[node], type_ignores=[])
                await _run_code(compile(module, filename, "exec", flags=_FLAGS), namespace)
        except Exception as exc:
            raise ScriptError(exc, filename, node.lineno) from exc
        count += 1
    return count
