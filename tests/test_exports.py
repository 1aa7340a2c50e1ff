"""The public API is exactly __all__, each name resolves, and the table agrees with it."""

from __future__ import annotations

import ast
from pathlib import Path

from sharedkit import modules_loaded

import mxgw

INIT = Path(mxgw.__file__)


def test_all_is_sorted_and_unique() -> None:
    assert mxgw.__all__ == sorted(set(mxgw.__all__))


def test_every_exported_name_resolves() -> None:
    for name in mxgw.__all__:
        assert getattr(mxgw, name) is not None, name


def test_lazy_table_matches_all() -> None:
    assert set(mxgw._EXPORTS) | {"__version__"} == set(mxgw.__all__)


def test_type_checking_imports_match_table() -> None:
    tree = ast.parse(INIT.read_text())
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
                and node.test.id == "TYPE_CHECKING"):
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                if stmt.level == 0:  # e.g. `from typing import Any`, not an export
                    continue
                for alias in stmt.names:
                    imported[alias.name] = "." + (stmt.module or "")
    assert imported == mxgw._EXPORTS


def test_exported_objects_come_from_their_modules() -> None:
    for name, module in mxgw._EXPORTS.items():
        obj = getattr(mxgw, name)
        assert getattr(obj, "__module__", "mxgw" + module) == "mxgw" + module, name


def test_unknown_attribute_raises() -> None:
    try:
        mxgw.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchThing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_import_mxgw_does_not_import_grpc() -> None:
    assert modules_loaded("import mxgw", "grpc", "google", "ptpython", "prompt_toolkit") == []
