"""One text form for timestamps everywhere mxgw prints them (CLI JSON, audit log, records).

The proto3 JSON mapping writes UTC as `2026-11-21T01:46:00.672383Z`; the CLI prints
protobuf messages that way, so everything else uses the same form. Imports nothing heavy:
the CLI's output module uses it on `mxgw version`'s start-up path.
"""

from __future__ import annotations

import datetime as _dt

# The text of a whole second, by its number from 0001-01-01: a stream's stamps are mostly
# new, their second mostly not. Bounded: cleared when full.
_SECONDS_LIMIT = 4096
_seconds: dict[int, str] = {}


def iso_utc(stamp: _dt.datetime) -> str:
    """ISO-8601 with `Z` for UTC; a naive datetime is taken as UTC (the gateway's clock)."""
    tz = stamp.tzinfo
    if (tz is _dt.UTC or tz is None) and type(stamp) is _dt.datetime:
        # isoformat()'s text for less: its whole second (kept, by one int: a tuple would be
        # one more object for the garbage collector) and its fraction as isoformat writes
        # one, six digits, none for a whole second.
        key = stamp.toordinal() * 86400 + stamp.hour * 3600 + stamp.minute * 60 + stamp.second
        head = _seconds.get(key)
        if head is None:
            if len(_seconds) >= _SECONDS_LIMIT:
                _seconds.clear()
            head = _seconds[key] = _dt.datetime(stamp.year, stamp.month, stamp.day, stamp.hour,
                                                stamp.minute, stamp.second).isoformat()
        micro = stamp.microsecond
        return f"{head}.{micro:06d}Z" if micro else head + "Z"
    if tz is None:
        stamp = stamp.replace(tzinfo=_dt.UTC)
    text = stamp.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def now_utc() -> str:
    return iso_utc(_dt.datetime.now(_dt.UTC))
