"""ptpython and prompt_toolkit load only on the `repl` command path."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

_UI = ("ptpython", "prompt_toolkit", "jedi", "pygments")


def _loaded_after(code: str) -> list[str]:
    probe = textwrap.dedent(code) + textwrap.dedent(f"""
        import sys
        print("loaded:" + ",".join(m for m in {_UI!r} if m in sys.modules))
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("loaded:"), done.stdout
    return [m for m in last.removeprefix("loaded:").split(",") if m]


def test_import_mxgw_and_its_library_do_not_load_the_prompt() -> None:
    assert _loaded_after("import mxgw; mxgw.__all__; import mxgw.cli") == []


@pytest.mark.parametrize("argv", [
    ["version"], ["--help"], ["repl", "--help"],
    ["get", "--endpoint", "sim", "TestChildObject.TestInt"],  # client, grpc and simulator
])
def test_other_commands_and_repl_help_do_not_load_the_prompt(argv: list[str]) -> None:
    code = f"""
        import contextlib, io
        from mxgw.cli import main
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main({argv!r})
        assert code == 0, code
    """
    assert _loaded_after(code) == []


def test_scripted_repl_modules_do_not_load_the_prompt() -> None:
    code = """
        import mxgw.cli.cmd_repl, mxgw.repl._main, mxgw.repl._runner, mxgw.repl._namespace
    """
    assert _loaded_after(code) == []


def test_interactive_console_does_load_it() -> None:
    # Guards the probe itself: it must see the modules when they are imported.
    assert "ptpython" in _loaded_after("import mxgw.repl._console")
