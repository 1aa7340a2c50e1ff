"""Words on the command line: `TAG=VALUE`, `@file` (one entry per line) and `-` (stdin).

Nothing here asks for JSON in argv: PowerShell's quoting mangles it. What a `--type T
--value V` means is the library's one table (`mxgw._values`: type names and aliases,
`parse_value` for the text forms); its MxGatewayConfigError is a usage error (exit 2).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from ._exit import UsageError


def split_assignment(text: str) -> tuple[str, str]:
    """`TAG=VALUE` -> (tag, value text); the first `=` splits."""
    tag, sep, value = text.partition("=")
    if not sep or not tag.strip():
        raise UsageError(f"{text!r} is not TAG=VALUE")
    return tag.strip(), value


# A file of entries larger than this is not a list of tags (a log, a device): refused
# after reading this much, where /dev/zero or a multi-GB file was read until memory ran out.
MAX_ENTRIES_BYTES = 16 * 1024 * 1024


def _too_big(source: str) -> UsageError:
    return UsageError(f"{source} holds more than {MAX_ENTRIES_BYTES // (1024 * 1024)} MB: "
                      "give one entry per line")


def _read_file(path: str) -> str:
    with open(path, "rb") as file:
        data = file.read(MAX_ENTRIES_BYTES + 1)
    if len(data) > MAX_ENTRIES_BYTES:
        raise _too_big(path)
    return data.decode("utf-8-sig")


def expand_arguments(words: Iterable[str], *, stdin_text: str | None = None) -> list[str]:
    """Expand `@file` (one entry per line) and `-` (stdin); `#` lines and blanks skipped."""
    result: list[str] = []
    for word in words:
        if word == "-":
            try:
                text = (stdin_text if stdin_text is not None
                        else sys.stdin.read(MAX_ENTRIES_BYTES + 1))
            except UnicodeDecodeError as exc:
                raise UsageError(f"stdin is not {exc.encoding} text (byte {exc.start}); "
                                 "give tags one per line") from None
            if len(text) > MAX_ENTRIES_BYTES:
                raise _too_big("stdin")
            lines = text.splitlines()
        elif word == "@":
            # `@ tags.txt`: the file name came apart from it. As a tag it was sent on.
            raise UsageError("`@` needs a file name after it, with no space: @FILE")
        elif word.startswith("@"):
            try:
                lines = _read_file(word[1:]).splitlines()
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

