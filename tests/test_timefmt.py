from __future__ import annotations

import datetime as dt

from mxgw._timefmt import iso_utc, now_utc


def test_utc_is_written_with_z() -> None:
    stamp = dt.datetime(2026, 11, 21, 1, 46, 0, 672383, tzinfo=dt.UTC)
    assert iso_utc(stamp) == "2026-11-21T01:46:00.672383Z"


def test_naive_is_taken_as_utc_and_offsets_are_kept() -> None:
    assert iso_utc(dt.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z"
    plus2 = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert iso_utc(plus2) == "2026-01-02T03:04:05+02:00"


def test_now_is_utc() -> None:
    assert now_utc().endswith("Z")
