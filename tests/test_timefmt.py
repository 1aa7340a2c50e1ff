from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _isoformat_form(stamp: dt.datetime) -> str:
    """What iso_utc writes, the plain way: isoformat() of the stamp in UTC, `Z` for +00:00."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    text = stamp.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


@settings(max_examples=500, deadline=None)
@given(st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2))]))
       | st.datetimes())
def test_the_kept_seconds_write_what_isoformat_writes(stamp: dt.datetime) -> None:
    assert iso_utc(stamp) == _isoformat_form(stamp)
    assert iso_utc(stamp) == _isoformat_form(stamp)  # the second's text kept by now


def test_edge_stamps_write_what_isoformat_writes() -> None:
    for stamp in (dt.datetime.min, dt.datetime.max, dt.datetime(2026, 1, 1, microsecond=1),
                  dt.datetime(2026, 1, 1, 23, 59, 59, 999999, tzinfo=dt.UTC),
                  dt.datetime(2026, 1, 1, fold=1), dt.datetime.min.replace(tzinfo=dt.UTC)):
        assert iso_utc(stamp) == _isoformat_form(stamp)


def test_the_kept_seconds_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from mxgw import _timefmt

    monkeypatch.setattr(_timefmt, "_SECONDS_LIMIT", 3)
    _timefmt._seconds.clear()
    for second in range(10):
        stamp = dt.datetime(2026, 1, 1, 0, 0, second, 5, tzinfo=dt.UTC)
        assert iso_utc(stamp) == f"2026-01-01T00:00:{second:02d}.000005Z"
    assert len(_timefmt._seconds) <= 3
