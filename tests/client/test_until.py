"""The condition language of `watch --until` and `session.wait_for`: parsing, the errors
with their positions, and evaluation against data changes of every value type."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import mxgw
from mxgw import Condition, ConditionError, DataChange, TagValue

STAMP = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


def change(value: Any, quality: int = 192, tag: str = "Pump001.Speed") -> DataChange:
    return DataChange(tag, TagValue(value, "X", quality, mxgw.quality_text(quality), STAMP), 1)


def holds(text: str, value: Any, quality: int = 192, tag: str = "Pump001.Speed") -> bool:
    return Condition.parse(text).holds(change(value, quality, tag))


# ------------------------------------------------------------------ evaluation


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("value > 5", 6, True),
    ("value > 5", 5, False),
    ("value >= 5", 5, True),
    ("value < 5.5", 5, True),
    ("value <= -2.5e1", -25.0, True),
    ("value == 5", 5.0, True),
    ("value != 5", 4, True),
    ("5 < value", 6, True),           # constant first: the operator is mirrored
    ("5 >= value", 6, False),
    ("value == true", True, True),
    ("value == false", True, False),
    ("value != false", True, True),
    ("value == 'PX-200'", "PX-200", True),
    ('value == "px-200"', "PX-200", False),   # values compare case-sensitively
    ("value > 'A'", "B", True),
    ("value > 4", dt.timedelta(seconds=5), True),   # elapsed time as seconds
    ("value > '2026-11-21T07:00:00Z'", STAMP, True),
    ("value < '2026-11-21T08:30'", STAMP, True),     # no offset: UTC
    ("value == '2026-11-21T09:00:00+01:00'", STAMP, True),
])
def test_values_compare_within_their_type(text: str, value: Any, expected: bool) -> None:
    assert holds(text, value) is expected


@pytest.mark.parametrize(("text", "value"), [
    ("value > 5", "abc"),
    ("value != 5", "abc"),        # incompatible: false, even for !=
    ("value == 1", True),         # a bool is not a number
    ("value != 1", True),
    ("value == true", 1),
    ("value == 'abc'", 5),
    ("value != 'abc'", None),     # no value
    ("value == 10", [10, 20]),    # arrays do not compare
    ("value != 10", [10, 20]),
    ("value > 'abc'", STAMP),     # a string that is not a datetime against a datetime
])
def test_incompatible_types_are_false_not_errors(text: str, value: Any) -> None:
    assert holds(text, value) is False


@pytest.mark.parametrize(("quality", "good", "uncertain", "bad"), [
    (192, True, False, False),    # Good
    (216, True, False, False),    # Good: local override
    (193, True, False, False),    # Good (low limited)
    (0x40, False, True, False),
    (0x54, False, True, False),   # Uncertain: engineering units exceeded
    (0, False, False, True),
    (4, False, False, True),      # Bad: configuration error
])
def test_named_qualities_compare_the_major_quality(quality: int, good: bool, uncertain: bool,
                                                   bad: bool) -> None:
    assert holds("quality == Good", 1, quality) is good
    assert holds("quality == uncertain", 1, quality) is uncertain
    assert holds("QUALITY == BAD", 1, quality) is bad
    assert holds("quality != Good", 1, quality) is not good


def test_an_integer_too_large_for_a_float_still_compares_exactly() -> None:
    # Before: math.isfinite() of a 400-digit integer raised OverflowError (exit 1).
    huge = "1" + "0" * 400
    assert holds(f"value < {huge}", 1e308) and holds(f"value < {huge}", 2**1000)
    assert not holds(f"value >= {huge}", 10**399) and holds(f"value == {huge}", 10**400)


def test_quality_order_and_numbers() -> None:
    assert holds("quality < Good", 1, 0x40) and holds("quality > Bad", 1, 0x40)
    assert not holds("quality < Uncertain", 1, 216)
    assert holds("quality == 216", 1, 216) and not holds("quality == 192", 1, 216)
    assert holds("quality >= 192", 1, 216)


def test_tags_compare_ignoring_case() -> None:
    assert holds("tag == 'pump001.SPEED'", 1)
    assert holds("tag != 'Pump002.Speed'", 1)
    assert not holds("tag == 'Pump002.Speed'", 1)


def test_and_or_not_and_parentheses() -> None:
    text = "tag == 'Pump001.Running' and value == false"
    assert holds(text, False, tag="Pump001.Running")
    assert not holds(text, False, tag="Pump002.Running")
    assert not holds(text, True, tag="Pump001.Running")
    assert holds("value < 0 or value > 10", 11) and not holds("value < 0 or value > 10", 5)
    # `and` binds tighter than `or`; parentheses override it.
    assert holds("value == 1 or value == 2 and quality == Bad", 1)
    assert not holds("(value == 1 or value == 2) and quality == Bad", 1)
    assert holds("not value == 1", 2) and holds("not not value == 1", 1)
    assert holds("not (value > 1 and value < 3)", 5)


def test_a_parsed_condition_keeps_its_text_and_its_tags() -> None:
    condition = Condition.parse("tag == 'A.B' or tag != \"C.D\"")
    assert str(condition) == "tag == 'A.B' or tag != \"C.D\""
    assert condition.tags == ("A.B", "C.D")
    assert Condition.of(condition) is condition
    assert Condition.of("value > 1") == Condition.parse("value > 1")
    condition.check_tags(["a.b", "C.D", "E.F"])   # ignoring case
    with pytest.raises(ConditionError, match=r"position 24: \"C.D\" is not one of the watched"):
        condition.check_tags(["A.B"])


# ------------------------------------------------------------------ errors

BAD = [
    # (expression, 1-based position, words the message must contain)
    ("", 1, "empty"),
    ("   ", 4, "empty"),
    ("value", 6, "expected ==, !=, <, <=, > or >= after value, found the end"),
    ("value >", 8, "after >, found the end"),
    ("value 5", 7, "after value, found '5'"),
    ("value = 5", 7, "use =="),
    ("value === 5", 9, "use =="),
    ("value == 5 && quality == Good", 12, "use `and`"),
    ("value == 5 || quality == Good", 12, "use `or`"),
    ("value == 5 & quality == Good", 12, "use `and`"),
    ("!(value == 5)", 1, "use `not`"),
    ("value == 'abc", 10, "no closing '"),
    ('value == "abc', 10, 'no closing "'),
    ("(value == 5", 12, "expected ) to close the ( at position 1"),
    ("((value == 5)", 14, "expected ) to close the ( at position 1"),
    ("value == 5)", 11, "closes no ("),
    ("value == 5 quality == Good", 12, "expected `and`, `or` or the end, found 'quality'"),
    ("foo == 5", 1, "unknown name 'foo'; the fields are value, quality and tag"),
    ("tag == Pump001.Running", 8, "put strings in quotes: 'Pump001.Running'"),
    ("value == nan", 10, "unknown name 'nan'"),
    ("value == inf", 10, "unknown name 'inf'"),
    ("value == 1e999", 10, "not a finite number"),
    ("value == " + "9" * 5000, 10, "a number of 5000 digits is too long"),
    ("value == 1.2.3", 10, "'1.2.3' is not a number"),
    ("value == 0x10", 10, "'0x10' is not a number"),
    ("value == 5abc", 10, "is not a number"),
    ("value == -", 10, "unexpected character '-'"),
    ("value == 5 $", 12, "unexpected character '$'"),
    ("value == `5`", 10, "unexpected character '`'"),
    ("quality == 'Good'", 12, "quality compares with Good, Bad, Uncertain or a number"),
    ("quality == true", 12, "quality compares with Good"),
    ("value == Good", 10, "Good compares with quality, not value"),
    ("Bad == tag", 1, "Bad compares with quality, not tag"),
    ("tag > 'a'", 5, "tag compares with == or != only"),
    ("tag == 5", 8, "tag compares with a tag name in quotes"),
    ("5 == 5", 3, "compares two constants"),
    ("'a' != true", 5, "compares two constants"),
    ("value == quality", 7, "compares two fields"),
    ("value < true", 7, "true compares with == or != only"),
    ("false >= value", 7, "false compares with == or != only"),
    ("not", 4, "expected a comparison"),
    ("value == 5 and", 15, "expected a comparison"),
    ("value == 5 or not", 18, "expected a comparison"),
    ("and value == 5", 1, "expected a comparison such as value > 5, found 'and'"),
    ("()", 2, "found ')'"),
    ("value == (5)", 10, "found '('"),
    ("value == or", 10, "found 'or'"),
    ("(" * 101 + "value == 1" + ")" * 101, 101, "nested more than 100 levels"),
    ("not " * 101 + "value == 1", 401, "nested more than 100 levels"),
]


@pytest.mark.parametrize(("text", "position", "words"), BAD)
def test_bad_conditions_say_what_and_where(text: str, position: int, words: str) -> None:
    with pytest.raises(ConditionError) as caught:
        Condition.parse(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.position == position and error.expression == text
    message = str(error)
    assert message.startswith(f"bad condition at position {position}: ")
    assert words in message
    assert "\n" not in message  # the CLI prints it as one JSON line
    # The note points at the spot: the expression, then a caret under it.
    expression, caret = error.__notes__[0].splitlines()
    assert expression == f"  {text}" and caret == "  " + " " * (position - 1) + "^"


@pytest.mark.parametrize("text", [
    "VALUE == TRUE", "Value>=1", "value!=5", "quality==good", "tag=='A'",
    "value == 'single \"inside\" double'", 'value == "double \'inside\' single"',
    "value == ''", "value == .5", "value == 5.", "value == -0", "not(value==1)and(value==2)",
])
def test_good_conditions_parse(text: str) -> None:
    assert str(Condition.parse(text)) == text


def test_the_parser_loads_only_when_a_condition_is_used() -> None:
    import subprocess
    import sys

    probe = ("import sys, mxgw._session, mxgw.cli.cmd_tasks; "
             "print('mxgw._until' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "False"
