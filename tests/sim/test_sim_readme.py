"""The README's simulator section names only flags and control methods that exist."""

from __future__ import annotations

import re
from pathlib import Path

from mxgw.sim import SimControl
from mxgw.sim.__main__ import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- section: simulator -->")
    return text[start:text.index("<!-- /section: simulator -->")]


def test_every_documented_flag_exists() -> None:
    known = {o for a in build_parser()._actions for o in a.option_strings}
    documented = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", _section()))
    assert documented and documented <= known, documented - known


def test_every_documented_control_exists() -> None:
    section = _section()
    table = section[section.index("| control |"):section.index("### The demo galaxy")]
    names = set(re.findall(r"^\| `(\w+)", table, re.MULTILINE))
    names |= set(re.findall(r", `(\w+)(?:\(|`)", table))
    assert {"tick", "fail_next", "cancelled_streams", "open_session_count"} <= names
    assert all(hasattr(SimControl, name) for name in names), names
