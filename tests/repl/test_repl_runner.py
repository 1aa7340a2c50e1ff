"""The statement runner behind piped stdin and --exec (no gateway involved)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mxgw.repl._runner import ScriptError, run_script


async def _twice(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


@pytest.mark.asyncio
async def test_statements_share_namespace_and_await_at_top_level() -> None:
    source = (
        "x = await twice(4)\n"
        "x + 1\n"
        "def f(y):\n"
        "    return y * 10\n"
        "f(x)\n"
        "None\n"
        "[await twice(i) for i in range(3)]\n"
    )
    emitted: list[Any] = []
    ns: dict[str, Any] = {"twice": _twice}
    count = await run_script(source, "s.py", ns, emitted.append)
    assert emitted == [9, 80, [0, 2, 4]]
    assert count == 6 and ns["x"] == 8


@pytest.mark.asyncio
async def test_first_error_stops_with_file_and_line() -> None:
    emitted: list[Any] = []
    with pytest.raises(ScriptError) as info:
        await run_script("1\nundefined_name\n2\n", "job.py", {}, emitted.append)
    assert emitted == [1]
    assert (info.value.filename, info.value.lineno) == ("job.py", 2)
    assert isinstance(info.value.error, NameError)


@pytest.mark.asyncio
async def test_syntax_error_runs_nothing() -> None:
    emitted: list[Any] = []
    with pytest.raises(ScriptError) as info:
        await run_script("1\nprint(\n", "bad.py", {}, emitted.append)
    assert emitted == [] and isinstance(info.value.error, SyntaxError)
