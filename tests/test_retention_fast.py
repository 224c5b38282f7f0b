"""The pandas fast route of retention equals the general route bit for bit.

``retention_curves`` on a pandas table reads datetime64 ticks with numpy
(``epoch.pandas_seconds``), counts cells with one ``np.bincount`` and factorises a text group
column once; each test runs the same data through the general route (the narwhals expressions,
the pandas group-by, the text conversion) and compares every output exactly.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit import epoch
from roi_kit.followers import _prepare, _retention_counts

SEED = 19


def messy(seed: int = SEED, n: int = 4_000, unit: str = "us", tz: str | None = None) -> pd.DataFrame:
    """Customers with sub-second times, pre-1970 dates, missing churn / observation dates and a
    three-valued group column with empty values."""
    rng = np.random.default_rng(seed)
    per = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit]
    start = rng.integers(-400 * 86_400, 800 * 86_400, n) * per + rng.integers(0, per, n)
    life = (rng.exponential(200 * 86_400, n) * per).astype(np.int64)
    seen = rng.integers(0, 700 * 86_400, n) * per + rng.integers(0, per, n)
    acquired = pd.Series(start.astype(f"datetime64[{unit}]"))
    churned = pd.Series((start + life).astype(f"datetime64[{unit}]")).where(rng.random(n) < 0.7)
    observed = pd.Series((start + seen).astype(f"datetime64[{unit}]")).where(rng.random(n) < 0.9)
    if tz is not None:
        acquired, churned, observed = (s.dt.tz_localize("UTC").dt.tz_convert(tz)
                                       for s in (acquired, churned, observed))
    group = pd.Series(rng.choice(["b-plan", "a-plan", "c-plan"], n)).where(rng.random(n) < 0.95)
    return pd.DataFrame({"customer_id": rng.permutation(n), "acquired_at": acquired,
                         "churned_at": churned, "observed_until": observed,
                         "plan": group.astype("str"), "w": rng.uniform(0.5, 2.0, n)})


def general_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch the fast paths off: engine expressions, pandas group-by, text conversion."""
    monkeypatch.setattr(_prepare, "pandas_seconds", lambda *a, **k: None)
    monkeypatch.setattr(_retention_counts, "_bincounts", lambda *a, **k: None)


def assert_same(fast: rk.RetentionResult, slow: rk.RetentionResult) -> None:
    for name in ("curves", "counts", "horizons", "differences", "medians", "rmst", "rmst_differences"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True, obj=name)
    assert fast.groups == slow.groups and fast.notes == slow.notes
    assert (fast.logrank is None) == (slow.logrank is None)
    if fast.logrank is not None and slow.logrank is not None:
        assert fast.logrank.statistic == slow.logrank.statistic


@pytest.mark.parametrize(("unit", "tz", "landmark"), [
    ("us", None, 0), ("ns", None, 30), ("s", "Europe/Paris", 0), ("ms", "Asia/Tokyo", 90)])
def test_fast_route_equals_general_route(monkeypatch: pytest.MonkeyPatch, unit: str, tz: str | None,
                                         landmark: int) -> None:
    frame = messy(unit=unit, tz=tz)
    as_object = frame.assign(plan=frame["plan"].astype(object))  # the text-conversion route
    fast = rk.retention_curves(frame, by="plan", landmark_days=landmark, horizons_days=(30, 200))
    with monkeypatch.context() as m:
        general_route(m)
        slow = rk.retention_curves(as_object, by="plan", landmark_days=landmark, horizons_days=(30, 200))
    assert_same(fast, slow)
    assert fast.counts["group"].dtype == slow.counts["group"].dtype
    assert len(fast.groups) == 3 and fast.notes != ()


def test_fast_population_arrays_equal_engine_arrays(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = messy(unit="ns")
    fast = rk.prepare_population(frame, columns=["plan"])
    with monkeypatch.context() as m:
        general_route(m)
        slow = rk.prepare_population(frame, columns=["plan"])
    for name in ("acquired", "end", "churned", "cohort"):
        a, b = getattr(fast, name), getattr(slow, name)
        assert np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a), np.signbit(b)), name
    assert fast.censoring_note == slow.censoring_note and fast.censoring_note is not None
    assert fast.ids.equals(slow.ids)


def test_pandas_seconds_match_with_seconds_edge_instants() -> None:
    # around the epoch: truncation towards zero, and -0.0 where NaT forces a float column
    stamps = pd.Series(pd.to_datetime(["1970-01-01", "1969-12-31T23:59:59.5", "1970-01-01T00:00:00.5",
                                       None, "1969-12-31T23:59:58.25"], format="ISO8601"))
    frame = nw.from_native(pd.DataFrame({"t": stamps}))
    expected = epoch.with_seconds(frame, ["t"])["_s_t"].to_numpy()
    got = epoch.pandas_seconds(frame, ["t"])
    assert got is not None
    assert np.array_equal(got["t"], expected, equal_nan=True)
    assert np.signbit(got["t"]).tolist() == np.signbit(expected).tolist() == [True, True, False, False, True]
    assert got["t"][4] == -1.0


def test_pandas_seconds_declines_other_engines_and_types() -> None:
    import polars as pl

    assert epoch.pandas_seconds(nw.from_native(pl.DataFrame({"t": [1]})), ["t"]) is None
    assert epoch.pandas_seconds(nw.from_native(pd.DataFrame({"t": ["2024-01-01"]})), ["t"]) is None


def test_cohort_lookup_equals_calendar_conversion() -> None:
    frame = messy(unit="ms")
    pop = rk.prepare_population(frame)
    ok = np.isfinite(pop.acquired)
    months = np.floor(pop.acquired[ok] * 86_400.0).astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    assert np.array_equal(pop.cohort[ok], (1970 + months // 12) * 100 + months % 12 + 1)
    assert pop.cohort.min() < 197001 < pop.cohort.max()  # dates on both sides of the epoch


def test_bincounts_match_groupby_with_gaps() -> None:
    # cohorts and durations far apart (a sparse dense index) and unsorted group names
    names = ("zeta", "alpha")
    codes = np.array([0, 1, 1, 0, 1, 0])
    cohort = np.array([202401, 199912, 202401, 202401, 202612, 199912])
    days = np.array([3, 0, 3, 3, 900, 5])
    event = np.array([True, False, True, False, True, True])
    got = _retention_counts._bincounts(names, codes, cohort, days, event)
    frame = pd.DataFrame({"group": np.asarray(names, dtype=object)[codes], "cohort": cohort,
                          "duration": days, "events": event.astype(np.int64), "removed": 1})
    want = frame.groupby(["group", "cohort", "duration"], as_index=False, sort=True).sum()
    assert got is not None
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    # alpha: 199912·0, 202401·3, 202612·900; zeta: 199912·5, 202401·3 (twice)
    assert got["removed"].tolist() == [1, 1, 1, 1, 2] and got["events"].tolist() == [0, 1, 1, 1, 1]


def _curve_frame_reference(group: str, t: Any, weighted: bool) -> pd.DataFrame:
    """The per-group frame + concat construction the curves table had before (kept as the oracle)."""
    frame = pd.DataFrame({"group": group, "time_days": t.time.astype(np.int64), "at_risk": t.at_risk,
                          "events": t.events, "survival": t.survival, "ci_low": t.ci_low,
                          "ci_high": t.ci_high})
    if t.time[0] > 0:
        first = pd.DataFrame({"group": [group], "time_days": [0], "at_risk": [t.at_risk[0]],
                              "events": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]})
        frame = pd.concat([first, frame], ignore_index=True)
    if not weighted:
        frame = frame.astype({"at_risk": "int64", "events": "int64"})
    return frame


@pytest.mark.parametrize("weights", [None, "w"])
def test_curves_table_equals_per_group_concat(weights: str | None) -> None:
    frame = messy(unit="us")
    res = rk.retention_curves(frame, by="plan", landmark_days=30, weights=weights)
    want = pd.concat([_curve_frame_reference(g, res.tables[g], res.weighted) for g in res.groups],
                     ignore_index=True)
    pd.testing.assert_frame_equal(res.curves, want, check_exact=True)
    assert res.weighted is (weights is not None)
    assert (want.groupby("group")["time_days"].min() == 0).all()  # each group starts at day 0
