"""One text form for timestamps everywhere mxgw prints them (CLI JSON, audit log, records).

The proto3 JSON mapping writes UTC as `2026-11-21T01:46:00.672383Z`; the CLI prints
protobuf messages that way, so everything else uses the same form. Imports nothing heavy:
the CLI's output module uses it on `mxgw version`'s start-up path.
"""

from __future__ import annotations

import datetime as _dt


def iso_utc(stamp: _dt.datetime) -> str:
    """ISO-8601 with `Z` for UTC; a naive datetime is taken as UTC (the gateway's clock)."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=_dt.UTC)
    text = stamp.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def now_utc() -> str:
    return iso_utc(_dt.datetime.now(_dt.UTC))
