"""The code behind mxgw._jsontext's record printers: one f-string per record layout,
built as an AST and compiled. Loaded when the first record is printed, so `mxgw version`
and `--help` never import ast. The message encoders' generator builds its f-strings
with `fstring` and `name_of` too.
"""

from __future__ import annotations

import ast
import datetime as _dt
from _json import encode_basestring_ascii as _esc  # json.encoder's, without json's ~2 ms
from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any


def compile_layout(name: str, entries: list[tuple[str, tuple[str, ...]]], sample: Any,
                   text: Callable[[Any], str], scalars: Mapping[str, Callable[[Any], str]],
                   guards: Sequence[tuple[str, type]] = (),
                   otherwise: Callable[[Any], str] | None = None) -> Callable[[Any], str]:
    """The printer of sorted (key, attribute path) entries, fast for the value types
    `sample` has there. `text` prints any value; `scalars` are mxgw._jsontext's `_float`
    and `_datetime` (handed in: this module imports nothing of mxgw). With `guards`
    (attribute, exact type), a record whose attributes are not of those types goes to
    `otherwise` instead (the keys of an inlined field depend on its type)."""
    # A guarded (inlined) record is read once, in its guard: its keys read `_r0.x`, not
    # `o.value.x` (the guard is evaluated before the f-string).
    held = {attribute: f"_r{i}" for i, (attribute, _) in enumerate(guards)}
    parts: list[str | ast.expr] = ["{"]
    for i, (key, path) in enumerate(entries):
        parts.append(("," if i else "") + _esc(key) + ":")
        parts.append(_value(_path(path, held), type(attrgetter(".".join(path))(sample))))
    parts.append("}")
    body = fstring(parts)
    extra: dict[str, Any] = {"_otherwise": otherwise}
    if guards:
        tests: list[ast.expr] = []
        for i, (attribute, kind) in enumerate(guards):
            extra[f"_guard{i}"] = kind
            read = ast.NamedExpr(ast.Name(held[attribute], ast.Store()), _path((attribute,)))
            tests.append(ast.Compare(ast.Call(name_of("type"), [read], []),
                                     [ast.Is()], [name_of(f"_guard{i}")]))
        test = tests[0] if len(tests) == 1 else ast.BoolOp(ast.And(), tests)
        body = ast.IfExp(test, body, ast.Call(name_of("_otherwise"), [name_of("o")], []))
    return _compile(name, body, text, {**scalars, **extra})


def _path(path: Sequence[str], held: Mapping[str, str] | None = None) -> ast.expr:
    """`o.a.b` for the path ("a", "b"); `_r0.b` when `held` names `o.a` `_r0`."""
    if held and len(path) > 1 and path[0] in held:
        value: ast.expr = name_of(held[path[0]])
        path = path[1:]
    else:
        value = name_of("o")
    for attribute in path:
        value = ast.Attribute(value, attribute, ast.Load())
    return value


# Printers inlined for a value of exactly this type (name in the compiled namespace).
_INLINED = {str: "_esc", int: "_int", float: "_float", _dt.datetime: "_datetime"}


def name_of(name: str) -> ast.expr:
    return ast.Name(name, ast.Load())


def _value(value: ast.expr, kind: type) -> ast.expr:
    """The printed `value`, fast for a value of type `kind`, right for any."""
    held = ast.NamedExpr(ast.Name("_v", ast.Store()), value)
    other = ast.Call(name_of("text"), [name_of("_v")], [])
    if kind is bool:
        false = ast.IfExp(ast.Compare(name_of("_v"), [ast.Is()], [ast.Constant(False)]),
                          ast.Constant("false"), other)
        return ast.IfExp(ast.Compare(held, [ast.Is()], [ast.Constant(True)]),
                         ast.Constant("true"), false)
    if kind is type(None):
        return ast.IfExp(ast.Compare(held, [ast.Is()], [ast.Constant(None)]),
                         ast.Constant("null"), other)
    printer = _INLINED.get(kind)
    if printer is None:
        return ast.Call(name_of("text"), [value], [])
    test = ast.Compare(ast.Call(name_of("type"), [held], []), [ast.Is()],
                       [name_of("_" + kind.__name__ + "_type")])
    # An int is `{_v!s}` (its repr, without a call), as the message encoders write one.
    fast: ast.expr = (ast.JoinedStr([ast.FormattedValue(name_of("_v"), ord("s"), None)])
                      if kind is int else ast.Call(name_of(printer), [name_of("_v")], []))
    return ast.IfExp(test, fast, other)


def fstring(parts: list[str | ast.expr]) -> ast.expr:
    """An f-string of literal text and text-valued expressions (the message encoders'
    generator builds its f-strings with it too)."""
    values: list[ast.expr] = []
    literal = ""
    for part in parts:
        if isinstance(part, str):
            literal += part
            continue
        if literal:
            values.append(ast.Constant(literal))
            literal = ""
        values.append(part if isinstance(part, ast.FormattedValue)
                      else ast.FormattedValue(part, -1, None))
    if not values:
        return ast.Constant(literal)
    if literal:
        values.append(ast.Constant(literal))
    return ast.JoinedStr(values)


def _compile(name: str, body: ast.expr, text: Callable[[Any], str],
             scalars: Mapping[str, Any]) -> Callable[[Any], str]:
    """`def _(o): return <body>`, compiled with the printers it names."""
    arguments = ast.arguments([], [ast.arg("o")], None, [], [], None, [])
    function = ast.FunctionDef("_", arguments, [ast.Return(body)], [], None)
    module = ast.fix_missing_locations(ast.Module([function], []))
    namespace: dict[str, Any] = {
        "text": text, "_esc": _esc, "_int": int.__repr__, **scalars,
        **{f"_{kind.__name__}_type": kind for kind in _INLINED}}
    exec(compile(module, f"<mxgw._jsontext {name}>", "exec"), namespace)  # noqa: S102 - built here
    printer: Callable[[Any], str] = namespace["_"]
    return printer
