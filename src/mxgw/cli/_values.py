"""Values on the command line: `--type T --value V`, `TAG=VALUE`, `@file` and `-` (stdin).

Nothing here asks for JSON in argv: PowerShell's quoting mangles it. Arrays are written
`--type int32[] --value 1,2,3` (or `--value` repeated); strings with commas use the
repeated form. Types: bool, int32, int64, float, double, string, datetime, elapsed, and
each with `[]`. A datetime without an offset is UTC; `now` is the current time. An elapsed
time is seconds (`1.5`) or `[D.]HH:MM:SS[.fff]`. NaN and infinities are refused: MXAccess
has no representation for them.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ._exit import UsageError

SCALARS = ("bool", "int32", "int64", "float", "double", "string", "datetime", "elapsed")
TYPE_NAMES = SCALARS + tuple(f"{t}[]" for t in SCALARS)

# Names the Galaxy (data_type_name), the proto enum and the library use for the same types.
_ALIASES = {
    "boolean": "bool", "mxboolean": "bool", "mx_data_type_boolean": "bool",
    "int": "int32", "integer": "int32", "mxinteger": "int32", "mx_data_type_integer": "int32",
    "long": "int64", "mxfloat": "float", "mx_data_type_float": "float", "real": "float",
    "mxdouble": "double", "mx_data_type_double": "double",
    "str": "string", "mxstring": "string", "mx_data_type_string": "string",
    "mxbigstring": "string", "mx_data_type_big_string": "string",
    "mxinternationalizedstring": "string", "mx_data_type_internationalized_string": "string",
    "time": "datetime", "mxtime": "datetime", "mx_data_type_time": "datetime",
    "elapsed_time": "elapsed", "elapsedtime": "elapsed", "mxelapsedtime": "elapsed",
    "mx_data_type_elapsed_time": "elapsed", "duration": "elapsed",
}
_FLOAT32_MAX = 3.4028235e38
_ELAPSED = re.compile(r"^(?:(?P<d>\d+)\.)?(?P<h>\d+):(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:\.\d+)?)$")


def normalize_type(name: str) -> tuple[str, bool]:
    """(scalar type, is_array) for a CLI, Galaxy, proto or library type name."""
    text = name.strip().lower()
    is_array = text.endswith("[]")
    if is_array:
        text = text[:-2]
    text = _ALIASES.get(text, text)
    if text not in SCALARS:
        raise UsageError(f"unknown type {name!r}; use one of {', '.join(TYPE_NAMES)}")
    return text, is_array


def parse_scalar(text: str, scalar: str) -> Any:
    """One value of a CLI type. The library converts the common cases (one set of rules
    for the CLI, the REPL and scripts); the CLI adds `now`, UTC for naive datetimes,
    `[D.]HH:MM:SS` elapsed times and the float32 range."""
    text = text.strip() if scalar != "string" else text
    if scalar == "datetime":
        if text.lower() == "now":
            return _dt.datetime.now(_dt.UTC)
        try:
            value = _dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise UsageError(f"{text!r} is not a valid datetime: {exc}") from None
        return value if value.tzinfo else value.replace(tzinfo=_dt.UTC)
    if scalar == "elapsed":
        match = _ELAPSED.match(text)
        if match:
            return _dt.timedelta(days=int(match["d"] or 0), hours=int(match["h"]),
                                 minutes=int(match["m"]), seconds=float(match["s"]))
    from .._values import _coerce

    value = _coerce(text, scalar)  # MxGatewayConfigError: exit 2 like any usage error
    if scalar == "float" and abs(value) > _FLOAT32_MAX:
        raise UsageError(f"{text!r} is out of the float (32-bit) range; use double")
    return value


def parse_value(texts: str | list[str], type_name: str) -> Any:
    """A Python value for `--type type_name --value texts...` (arrays: commas or repeats)."""
    scalar, is_array = normalize_type(type_name)
    items = [texts] if isinstance(texts, str) else list(texts)
    if not is_array:
        if len(items) != 1:
            raise UsageError(f"a {scalar} takes exactly one --value ({len(items)} given)")
        return parse_scalar(items[0], scalar)
    if len(items) == 1:  # one --value: comma separated (repeat --value for commas in strings)
        items = items[0].split(",") if items[0].strip() else []
    return [parse_scalar(t, scalar) for t in items]


def split_assignment(text: str) -> tuple[str, str]:
    """`TAG=VALUE` -> (tag, value text); the first `=` splits."""
    tag, sep, value = text.partition("=")
    if not sep or not tag.strip():
        raise UsageError(f"{text!r} is not TAG=VALUE")
    return tag.strip(), value


def expand_arguments(words: Iterable[str], *, stdin_text: str | None = None) -> list[str]:
    """Expand `@file` (one entry per line) and `-` (stdin); `#` lines and blanks skipped."""
    result: list[str] = []
    for word in words:
        if word == "-":
            try:
                text = stdin_text if stdin_text is not None else sys.stdin.read()
            except UnicodeDecodeError as exc:
                raise UsageError(f"stdin is not {exc.encoding} text (byte {exc.start}); "
                                 "give tags one per line") from None
            lines = text.splitlines()
        elif word.startswith("@") and len(word) > 1:
            try:
                lines = Path(word[1:]).read_text(encoding="utf-8-sig").splitlines()
            except OSError as exc:
                raise UsageError(f"cannot read {word[1:]}: {exc.strerror or exc}") from None
            except UnicodeDecodeError as exc:
                raise UsageError(f"{word[1:]} is not UTF-8 text (byte {exc.start}); "
                                 "give one entry per line") from None
        else:
            result.append(word)
            continue
        result.extend(line.strip() for line in lines
                      if line.strip() and not line.lstrip().startswith("#"))
    return result


def library_type(type_name: str | None) -> str | None:
    """The data type name the client library takes (arrays are the list of values)."""
    if type_name is None:
        return None
    scalar, _ = normalize_type(type_name)
    return "time" if scalar == "datetime" else scalar
