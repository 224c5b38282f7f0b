"""The per-customer shortcuts of the pandas retention route equal their general forms exactly.

Issue 19 (``retention_curves`` ≥ 3× lifelines from a pandas table): whole-day data skips the
seconds round trip of the landmark, cohorts come from a per-day month table, text labels are
coded from Arrow bitmaps, and the small result tables are built column by column. Each test runs
the shortcut and the general form on the same data (edge values included) and compares exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import roi_kit as rk
from roi_kit.followers import _landmark
from roi_kit.followers._groups import _bits
from roi_kit.followers._landmark import (
    SECONDS,
    acquisition_days,
    cohort_months,
    relative_times,
    since,
    whole_steps,
)
from roi_kit.followers._retention_result import table_of_rows


def _general_members(acquired: np.ndarray, end: np.ndarray, churned: np.ndarray, landmark: int,
                     horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The landmark rule in seconds, as Population.landmark computed it before the shortcut."""
    big, h = landmark * SECONDS, horizon * SECONDS
    er, cr = since(end, acquired), since(churned, acquired)
    idx = np.flatnonzero((er >= big) & ~(cr <= big))
    er, cr = er[idx] - big, cr[idx] - big
    event = cr <= er
    return idx, whole_steps(np.fmin(cr, er), event, SECONDS), event, np.flatnonzero(er >= h)


def _days(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    acquired = rng.integers(-800, 21_000, n).astype(float)  # dates on both sides of the epoch
    end = acquired + rng.integers(-5, 900, n)  # some observed "before" acquisition
    churned = np.where(rng.random(n) < 0.6, acquired + rng.integers(0, 1_000, n), np.nan)
    return acquired, end, churned


@pytest.mark.parametrize("landmark", [0, 1, 90])
def test_whole_day_landmark_equals_seconds_route(landmark: int) -> None:
    acquired, end, churned = _days(20_000, seed=landmark)
    rel = relative_times(acquired, end, churned, SECONDS)
    assert rel.whole
    everyone, idx, days, event, full = rel.members(landmark, 365, SECONDS)
    want = _general_members(acquired, end, churned, landmark, 365)
    assert not everyone
    for got, expect in zip((idx, days, event, full), want, strict=True):
        assert got.dtype == expect.dtype
        np.testing.assert_array_equal(got, expect)


def test_fractional_days_take_the_seconds_route() -> None:
    acquired, end, churned = _days(5_000, seed=4)
    acquired[17] += 0.25  # one customer acquired at 06:00: not whole days any more
    rel = relative_times(acquired, end, churned, SECONDS)
    assert not rel.whole
    np.testing.assert_array_equal(rel.end, since(end, acquired))
    np.testing.assert_array_equal(rel.churn, since(churned, acquired))
    for got, expect in zip(rel.members(30, 365, SECONDS)[1:], _general_members(acquired, end, churned, 30, 365),
                           strict=True):
        np.testing.assert_array_equal(got, expect)


def test_whole_days_only_on_a_day_grid_and_within_range() -> None:
    acquired, end, churned = _days(100, seed=5)
    assert not relative_times(acquired, end, churned, 7 * SECONDS).whole  # week grid: steps ≠ days
    far = end.copy()
    far[0] = acquired[0] + 2.0**23  # beyond the range where the seconds route is exact on days
    assert not relative_times(acquired, far, churned, SECONDS).whole


def test_retention_curves_equal_with_the_shortcut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    # date-only customers through rk.retention_curves, once with the whole-day shortcut and once
    # with it switched off (the seconds route): every table and number the same
    rng = np.random.default_rng(8)
    n = 3_000
    start = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    life = pd.to_timedelta(rng.integers(0, 500, n), unit="D")
    frame = pd.DataFrame({"customer_id": np.arange(n), "acquired_at": start,
                          "churned_at": pd.Series(start + life).where(rng.random(n) < 0.5),
                          "observed_until": start + pd.to_timedelta(rng.integers(0, 400, n), unit="D"),
                          "plan": rng.choice(["a", "b", "c"], n)})
    for landmark in (0, 60):
        fast = rk.retention_curves(frame, by="plan", landmark_days=landmark, horizons_days=(30, 200))
        with monkeypatch.context() as m:
            m.setattr(_landmark, "_whole", lambda days: False)
            slow = rk.retention_curves(frame, by="plan", landmark_days=landmark, horizons_days=(30, 200))
        for name in ("curves", "counts", "horizons", "differences", "medians", "rmst", "rmst_differences"):
            pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True, obj=name)
        assert fast.notes == slow.notes and fast.logrank is not None and slow.logrank is not None
        assert fast.logrank.statistic == slow.logrank.statistic


def test_acquisition_days_equal_calendar_conversion() -> None:
    rng = np.random.default_rng(9)
    seconds = np.concatenate([rng.integers(-90 * 86_400, 800 * 86_400, 60_000),
                              [0, -1, 86_399, 86_400, -86_400, -86_401]]).astype(float)
    days = seconds / SECONDS  # whole seconds / 86400, as prepare_population stores them
    lookup = acquisition_days(days)
    assert lookup is not None and lookup.span == (int(lookup.index.min()), int(lookup.index.max()))
    months = seconds.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    want = (1970 + months // 12) * 100 + months % 12 + 1
    np.testing.assert_array_equal(lookup.months[lookup.index], want)
    np.testing.assert_array_equal(cohort_months(days), want)
    late = days[days >= 0]  # all after the epoch and many: the table starts at day 0
    got = acquisition_days(late)
    assert got is not None and got.index.min() >= 0
    np.testing.assert_array_equal(got.months[got.index], want[days >= 0])
    sub = np.arange(0, late.size, 7)
    np.testing.assert_array_equal(got.subset(sub).months[got.subset(sub).index], want[days >= 0][sub])


def test_acquisition_days_decline_missing_dates_and_wide_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    assert acquisition_days(np.array([19_000.0, np.nan])) is None
    assert acquisition_days(np.array([0.0, 1e7])) is None
    assert acquisition_days(np.zeros(0)) is None
    np.testing.assert_array_equal(cohort_months(np.array([19_000.0, np.nan])), [202201, 197001])
    calls: list[int] = []
    monkeypatch.setattr(_landmark, "_yyyymm", lambda m: calls.append(1) or (1970 + m // 12) * 100 + m % 12 + 1)
    assert cohort_months(np.array([0.0, 1e7])).tolist() == [197001, 2934901]  # converted, not looked up
    assert calls


@pytest.mark.parametrize("case", ["plain", "nulls", "sliced", "chunked"])
def test_bits_equal_fill_null_to_numpy(case: str) -> None:
    rng = np.random.default_rng(2)
    values = pa.array(rng.choice(["x", "y"], 1_003).tolist())
    if case == "nulls":
        values = pa.array([None if rng.random() < 0.1 else v for v in values.to_pylist()])
    arr = pa.chunked_array([values])
    if case == "sliced":
        arr = pa.chunked_array([values.slice(5, 990)])
    elif case == "chunked":
        arr = pa.chunked_array([values.slice(0, 13), values.slice(13, 500), values.slice(513)])
    mask = pc.equal(arr, "x")
    want = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
    np.testing.assert_array_equal(_bits(mask).astype(bool), want)


def test_table_equals_records_with_astype() -> None:
    rows = [{"group": "b", "tau": 3, "est": None, "se": 0.5, "n": 4.0},
            {"group": "a", "tau": 3, "est": 1.25, "se": None, "n": 2.0}]
    cols = ["group", "tau", "est", "se", "n"]
    want = pd.DataFrame(rows, columns=cols).astype({"est": float, "se": float})
    want["n"] = want["n"].astype("int64")
    pd.testing.assert_frame_equal(table_of_rows(rows, cols, floats=("est", "se"), ints=("n",)), want, check_exact=True)
    empty = pd.DataFrame([], columns=cols).astype({"est": float})
    pd.testing.assert_frame_equal(table_of_rows([], cols, floats=("est",)), empty)
