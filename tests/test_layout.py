"""Test modules need unique basenames: pytest imports them by basename (rootdir mode)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_module_basenames_are_unique() -> None:
    names = Counter(p.name for p in TESTS.rglob("test_*.py"))
    names.update(p.name for p in TESTS.rglob("*.py") if p.name not in ("conftest.py",)
                 and not p.name.startswith("test_"))
    assert [n for n, count in names.items() if count > 1] == []
