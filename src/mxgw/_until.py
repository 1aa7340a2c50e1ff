"""Conditions on data changes: `watch --until EXPR` and `session.wait_for(tags, EXPR)`.

    value > 80
    tag == 'Pump001.Running' and value == false
    quality != Good or (value >= 10 and value < 20)

A small language, tokenized and parsed here (never `eval`ed):

    condition  := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | "(" or_expr ")" | comparison
    comparison := field OP constant | constant OP field
    field      := value | quality | tag
    OP         := == | != | < | <= | > | >=
    constant   := number | 'text' | "text" | true | false | Good | Bad | Uncertain

Words are case-insensitive. A string has no escapes; to put one kind of quote in it,
delimit it with the other. A condition is evaluated per data change, against that
change's tag, value and quality:

- `value` against a number: int, float and elapsed-time (seconds) values; against a
  string: string values (case-sensitive) and datetime values (the string is read as
  ISO 8601, UTC when it has no offset); against true/false: bool values, with == and !=.
  A comparison between incompatible types (a string value against a number, an array,
  a missing value) is false, whatever the operator: `value != 5` is false for "abc".
- `quality` against Good, Bad or Uncertain compares the OPC DA major quality (the top
  two bits), so `quality == Good` holds for 192 (Good) and 216 (Good: local override)
  alike and Bad < Uncertain < Good; against a number it compares the whole quality.
- `tag` compares with a string, == or != only, ignoring case (as ArchestrA does).

Mistakes are found when parsing, not while waiting: `ConditionError` says what is wrong
and where (`at position 7: ...`, 1-based), with the expression and a caret in its note.
This module imports nothing from grpc.
"""

from __future__ import annotations

import datetime as _dt
import math
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._changes import DataChange

_MAX_DEPTH = 100
_FIELDS = ("value", "quality", "tag")
_QUALITIES = {"good": ("Good", 0xC0), "bad": ("Bad", 0x00), "uncertain": ("Uncertain", 0x40)}
_KEYWORDS = frozenset({"and", "or", "not", "true", "false", *_FIELDS, *_QUALITIES})
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}
_MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_OPERATOR_LIST = "==, !=, <, <=, > or >="

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<op>==|!=|<=|>=|<|>)
  | (?P<paren>[()])
  | (?P<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<word>[A-Za-z_][\w.\[\]]*)
""", re.VERBOSE)
# Habits from other languages, each with what to write instead.
_HABITS = (("&&", "use `and`"), ("||", "use `or`"), ("&", "use `and`"), ("|", "use `or`"),
           ("!", "use `not`"), ("=", "a single = does not compare: use =="))


class ConditionError(ValueError):
    """A condition that cannot be used: bad syntax, a type that cannot match (`quality ==
    'Good'`), or a tag the wait does not watch. `position` is 1-based in `expression`."""

    def __init__(self, message: str, expression: str, position: int) -> None:
        super().__init__(f"bad condition at position {position}: {message}")
        self.expression = expression
        self.position = position
        self.add_note(f"  {expression}\n  {' ' * (position - 1)}^")


# ------------------------------------------------------------------ tokens


@dataclass(frozen=True)
class _Token:
    kind: str  # op, paren, number, string, word, end
    text: str
    position: int  # 1-based

    def describe(self) -> str:
        return "the end of the condition" if self.kind == "end" else repr(self.text)


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    index = 0
    while index < len(text):
        match = _TOKEN.match(text, index)
        if match is None:
            _refuse_character(text, index)
        assert match is not None and match.lastgroup is not None
        kind, token = match.lastgroup, match.group()
        if kind == "number" and re.match(r"[\w.]", text[match.end():match.end() + 1]):
            bad = re.match(r"[\w.\-+]+", text[index:])
            raise ConditionError(f"{bad.group() if bad else token!r} is not a number", text,
                                 index + 1)
        if kind != "space":
            found.append(_Token(kind, token, index + 1))
        index = match.end()
    found.append(_Token("end", "", len(text) + 1))
    return found


def _refuse_character(text: str, index: int) -> None:
    if text[index] in "'\"":
        raise ConditionError(f"the string starting here has no closing {text[index]}", text,
                             index + 1)
    for habit, advice in _HABITS:
        if text.startswith(habit, index):
            raise ConditionError(f"{habit!r}: {advice}", text, index + 1)
    raise ConditionError(f"unexpected character {text[index]!r}", text, index + 1)


# ------------------------------------------------------------------ tree


@dataclass(frozen=True)
class _Constant:
    kind: str  # number, string, bool, quality
    value: Any
    text: str
    position: int


@dataclass(frozen=True)
class _Compare:
    field: str
    op: str
    constant: _Constant

    def holds(self, change: DataChange) -> bool:
        compare = _OPERATORS[self.op]
        if self.field == "tag":
            return compare(change.tag.casefold(), self.constant.value.casefold())
        if self.field == "quality":
            quality = change.value.quality
            if self.constant.kind == "quality":
                return compare(quality & 0xC0, self.constant.value)
            return compare(quality, self.constant.value)
        left = _comparable(change.value.value, self.constant)
        return left is not None and compare(left, self.constant.value)


def _comparable(value: Any, constant: _Constant) -> Any:
    """`value` in the constant's type, or None when the two cannot be compared."""
    if constant.kind == "number":
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return value
        if isinstance(value, _dt.timedelta):
            return value.total_seconds()
        return None
    if constant.kind == "bool":
        return value if isinstance(value, bool) else None
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class _DatetimeCompare:
    """`value OP 'ISO 8601 text'` where the text reads as a datetime: datetime values are
    compared as datetimes, string values as strings."""

    op: str
    constant: _Constant
    moment: _dt.datetime

    def holds(self, change: DataChange) -> bool:
        value = change.value.value
        compare = _OPERATORS[self.op]
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.UTC)
            return compare(value, self.moment)
        return isinstance(value, str) and compare(value, self.constant.value)


@dataclass(frozen=True)
class _Not:
    operand: _Node

    def holds(self, change: DataChange) -> bool:
        return not self.operand.holds(change)


@dataclass(frozen=True)
class _All:
    operands: tuple[_Node, ...]

    def holds(self, change: DataChange) -> bool:
        return all(node.holds(change) for node in self.operands)


@dataclass(frozen=True)
class _Any:
    operands: tuple[_Node, ...]

    def holds(self, change: DataChange) -> bool:
        return any(node.holds(change) for node in self.operands)


_Node = _Compare | _DatetimeCompare | _Not | _All | _Any


# ------------------------------------------------------------------ parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0
        self.tags: list[_Constant] = []

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def _word(self, token: _Token | None = None) -> str | None:
        token = token or self.current
        return token.text.lower() if token.kind == "word" else None

    def fail(self, message: str, position: int | None = None) -> ConditionError:
        return ConditionError(message, self.text,
                              self.current.position if position is None else position)

    def advance(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def parse(self) -> _Node:
        if self.current.kind == "end":
            raise self.fail("the condition is empty: write e.g. value > 5")
        node = self.or_expr()
        if self.current.kind != "end":
            if self.current.text == ")":
                raise self.fail("this ) closes no (")
            raise self.fail(f"expected `and`, `or` or the end, found {self.current.describe()}")
        return node

    def or_expr(self) -> _Node:
        return self._chain("or", self.and_expr, _Any)

    def and_expr(self) -> _Node:
        return self._chain("and", self.not_expr, _All)

    def _chain(self, word: str, operand: Callable[[], _Node],
               combine: Callable[[tuple[_Node, ...]], _Node]) -> _Node:
        """operand (word operand)*: one node, or all of them combined."""
        operands = [operand()]
        while self._word() == word:
            self.advance()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else combine(tuple(operands))

    def not_expr(self) -> _Node:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.fail(f"nested more than {_MAX_DEPTH} levels deep")
        try:
            if self._word() == "not":
                self.advance()
                return _Not(self.not_expr())
            if self.current.text == "(":
                opening = self.advance()
                node = self.or_expr()
                if self.current.text != ")":
                    raise self.fail(f"expected ) to close the ( at position {opening.position}"
                                    f", found {self.current.describe()}")
                self.advance()
                return node
            return self.comparison()
        finally:
            self.depth -= 1

    def comparison(self) -> _Node:
        left = self.operand("a comparison such as value > 5")
        if self.current.kind != "op":
            after = left if isinstance(left, str) else left.text
            raise self.fail(f"expected {_OPERATOR_LIST} after {after}, "
                            f"found {self.current.describe()}")
        op_token = self.advance()
        right = self.operand(f"a number, a string, true, false or a field after {op_token.text}")
        if isinstance(left, str) and isinstance(right, str):
            raise self.fail(f"{left} {op_token.text} {right} compares two fields: compare a "
                            "field with a constant", op_token.position)
        if isinstance(left, _Constant) and isinstance(right, _Constant):
            raise self.fail(f"{left.text} {op_token.text} {right.text} compares two constants",
                            op_token.position)
        if isinstance(left, str):
            assert isinstance(right, _Constant)
            return self.checked(left, op_token, right)
        assert isinstance(right, str)
        return self.checked(right, _Token("op", _MIRRORED[op_token.text], op_token.position),
                            left)

    def operand(self, wanted: str) -> str | _Constant:
        token = self.current
        word = self._word()
        if token.kind == "number":
            self.advance()
            return _Constant("number", self._number(token), token.text, token.position)
        if token.kind == "string":
            self.advance()
            return _Constant("string", token.text[1:-1], token.text, token.position)
        if word in ("true", "false"):
            self.advance()
            return _Constant("bool", word == "true", token.text, token.position)
        if word in _QUALITIES:
            self.advance()
            name, major = _QUALITIES[word]
            return _Constant("quality", major, name, token.position)
        if word in _FIELDS:
            self.advance()
            return word
        if token.kind == "word" and word not in _KEYWORDS:
            hint = (f"; put strings in quotes: '{token.text}'" if "." in token.text
                    else "; the fields are value, quality and tag")
            raise self.fail(f"unknown name {token.text!r}{hint}", token.position)
        raise self.fail(f"expected {wanted}, found {token.describe()}", token.position)

    def _number(self, token: _Token) -> int | float:
        """An integer stays exact, however large (it compares with floats exactly too);
        a float must be finite."""
        if not re.search(r"[.eE]", token.text):
            try:
                return int(token.text)
            except ValueError:  # past Python's limit on digits converted at once
                raise self.fail(f"a number of {len(token.text)} digits is too long",
                                token.position) from None
        number = float(token.text)
        if not math.isfinite(number):
            raise self.fail(f"{token.text} is not a finite number", token.position)
        return number

    def checked(self, name: str, op: _Token, constant: _Constant) -> _Node:
        """Refuse comparisons that could never hold for the field's type."""
        kind, where = constant.kind, constant.position
        if kind == "quality" and name != "quality":
            raise self.fail(f"{constant.text} compares with quality, not {name}", where)
        if name == "quality" and kind not in ("quality", "number"):
            raise self.fail(f"quality compares with Good, Bad, Uncertain or a number, not "
                            f"{constant.text}", where)
        if name == "tag":
            if kind != "string":
                raise self.fail(f"tag compares with a tag name in quotes, not {constant.text}",
                                where)
            if op.text not in ("==", "!="):
                raise self.fail(f"tag compares with == or != only, not {op.text}", op.position)
            self.tags.append(constant)
        if kind == "bool" and op.text not in ("==", "!="):
            raise self.fail(f"{constant.text} compares with == or != only, not {op.text}",
                            op.position)
        if name == "value" and kind == "string":
            moment = _moment(constant.value)
            if moment is not None:
                return _DatetimeCompare(op.text, constant, moment)
        return _Compare(name, op.text, constant)


def _moment(text: str) -> _dt.datetime | None:
    if not re.match(r"\d{4}-\d\d-\d\d", text):
        return None
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=_dt.UTC)


# ------------------------------------------------------------------ public


@dataclass(frozen=True)
class Condition:
    """A parsed condition on data changes; `holds(change)` evaluates it.

        condition = mxgw.Condition.parse("tag == 'Pump001.Running' and value == false")
        condition.holds(change)            # True / False for one mxgw.DataChange
        await session.wait_for(["Pump001.Running"], condition, timeout=60)

    `Condition.parse` raises `ConditionError` (a ValueError) with the position of the
    mistake. The language is described in this module's docstring and the README.
    """

    text: str
    _tree: _Node = field(repr=False, compare=False)
    _tags: tuple[_Constant, ...] = field(repr=False, compare=False, default=())

    @classmethod
    def parse(cls, text: str) -> Condition:
        parser = _Parser(text)
        tree = parser.parse()
        return cls(text, tree, tuple(parser.tags))

    @classmethod
    def of(cls, condition: str | Condition) -> Condition:
        """`condition` itself, or parsed when it is a string."""
        return condition if isinstance(condition, Condition) else cls.parse(condition)

    def holds(self, change: DataChange) -> bool:
        """Whether the condition is true for this one data change."""
        return self._tree.holds(change)

    @property
    def tags(self) -> tuple[str, ...]:
        """The tag names the condition compares `tag` with."""
        return tuple(constant.value for constant in self._tags)

    def check_tags(self, tags: Iterable[str]) -> None:
        """Raise ConditionError when the condition names a tag that is not in `tags` (a
        typo there would make the condition never, or always, hold)."""
        watched = {tag.casefold() for tag in tags}
        for constant in self._tags:
            if constant.value.casefold() not in watched:
                raise ConditionError(f"{constant.text} is not one of the watched tags",
                                     self.text, constant.position)

    def __str__(self) -> str:
        return self.text
