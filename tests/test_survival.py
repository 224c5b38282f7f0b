"""Survival core: Kaplan–Meier, Greenwood intervals, median, RMST and log-rank.

References: scipy.stats.ecdf / scipy.stats.logrank on small data (they agree with lifelines and R
there), hand-worked numbers, and an independent loop-based textbook log-rank at 1M rows (scipy's
logrank drifts above ~400k rows, see shared/notes/measured-facts.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from roi_kit.errors import ConfigError, EmptyDataError, InputError, MissingColumnError
from roi_kit.survival import (
    duration_counts,
    kaplan_meier,
    kaplan_meier_from_counts,
    logrank_from_counts,
    logrank_test,
    survival_by_group,
)
from tests.budget import examples

SEEDS = (0, 1, 2, 3, 4)


def _sample(seed: int, n: int, *, integer: bool = True, groups: int = 2) -> tuple[np.ndarray, ...]:
    """Durations with many ties, ~35% censoring and ``groups`` groups with different hazards."""
    rng = np.random.default_rng(seed)
    g = rng.integers(0, groups, n)
    t = rng.exponential(40.0 * (1 + 0.3 * g), n)
    c = rng.uniform(0, 120, n)
    e = t <= c
    d = np.minimum(t, c)
    d = np.ceil(d).astype(np.int64) if integer else np.round(d, 1)
    return d, e, g


def _scipy_sf(d: np.ndarray, e: np.ndarray) -> Any:
    return stats.ecdf(stats.CensoredData(uncensored=d[e], right=d[~e])).sf


# --- Kaplan–Meier against scipy.stats.ecdf -------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("integer", [True, False])
def test_kaplan_meier_matches_scipy_ecdf_with_ties_and_censoring(seed: int, integer: bool) -> None:
    d, e, _ = _sample(seed, 2_500, integer=integer)
    sf = _scipy_sf(d, e)
    km = kaplan_meier(d, e)
    np.testing.assert_array_equal(km.time, sf.quantiles)
    np.testing.assert_allclose(km.survival, sf.probabilities, rtol=0, atol=1e-12)
    assert km.at_risk[0] == d.size and km.events.sum() == e.sum()


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", ["linear", "log-log"])
def test_greenwood_intervals_match_scipy_ecdf(seed: int, method: str) -> None:
    d, e, _ = _sample(seed, 2_000)
    ref = _scipy_sf(d, e).confidence_interval(0.9, method=method)
    km = kaplan_meier(d, e, conf_level=0.9, ci=method)  # type: ignore[arg-type]
    lo, hi = ref.low.probabilities, ref.high.probabilities
    finite = np.isfinite(lo) & np.isfinite(hi)
    assert finite.mean() > 0.9
    np.testing.assert_allclose(km.ci_low[finite], lo[finite], rtol=0, atol=1e-9)
    np.testing.assert_allclose(km.ci_high[finite], hi[finite], rtol=0, atol=1e-9)


def test_intervals_collapse_where_scipy_gives_nan() -> None:
    # no event yet (S = 1) and everyone gone (S = 0): scipy gives NaN for log-log; we give S itself
    km = kaplan_meier([1, 2, 3, 3], [0, 1, 1, 1])
    np.testing.assert_allclose(km.survival, [1.0, 2 / 3, 0.0], rtol=0, atol=1e-15)
    assert (km.ci_low[0], km.ci_high[0]) == (1.0, 1.0)
    assert (km.ci_low[-1], km.ci_high[-1], km.std_err[-1]) == (0.0, 0.0, 0.0)


def test_kaplan_meier_hand_worked_greenwood() -> None:
    # t: 1 (Y=5, d=1), 2 (Y=4, d=1, c=1), 3 (Y=2, d=1), 4 (Y=1, c=1)
    km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0], ci="linear")
    s = [0.8, 0.6, 0.3, 0.3]
    gw = np.cumsum([1 / (5 * 4), 1 / (4 * 3), 1 / (2 * 1), 0.0])
    np.testing.assert_allclose(km.survival, s)
    np.testing.assert_allclose(km.std_err, np.array(s) * np.sqrt(gw))
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(km.ci_low[0], 0.8 - z * 0.8 * math.sqrt(1 / 20))
    assert km.ci_high[0] == 1.0  # 0.8 + 0.35 clipped to the unit interval
    assert km.at_risk.tolist() == [5, 4, 2, 1] and km.censored.tolist() == [0, 1, 0, 1]


def test_integer_and_float_durations_give_the_same_curve() -> None:
    d, e, _ = _sample(7, 3_000)
    a, b = kaplan_meier(d, e), kaplan_meier(d.astype(float), e)
    np.testing.assert_array_equal(a.time, b.time)
    np.testing.assert_allclose(a.survival, b.survival, rtol=0, atol=1e-15)


def test_sparse_integer_durations_use_unique_path() -> None:
    km = kaplan_meier(np.array([0, 10**12, 5], dtype=np.int64), [1, 1, 0])
    assert km.time.tolist() == [0.0, 5.0, 1e12]


# --- weighted curves ----------------------------------------------------------------------------


def test_weighted_kaplan_meier_with_unit_weights_equals_unweighted() -> None:
    d, e, _ = _sample(3, 2_000)
    a, b = kaplan_meier(d, e), kaplan_meier(d, e, weights=np.ones(d.size))
    for name in ("survival", "std_err", "ci_low", "ci_high", "at_risk", "events"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name), rtol=0, atol=1e-12)


def test_weighted_kaplan_meier_is_invariant_to_rescaling_weights() -> None:
    d, e, _ = _sample(4, 1_500)
    w = np.random.default_rng(4).uniform(0.2, 5.0, d.size)
    a, b = kaplan_meier(d, e, weights=w), kaplan_meier(d, e, weights=w * 37.5)
    np.testing.assert_allclose(b.survival, a.survival, atol=1e-12)
    np.testing.assert_allclose(b.std_err, a.std_err, atol=1e-12)


def test_weighted_kaplan_meier_with_frequency_weights_equals_replicated_rows() -> None:
    d, e, _ = _sample(5, 800)
    w = np.random.default_rng(5).integers(1, 4, d.size)
    rep = kaplan_meier(np.repeat(d, w), np.repeat(e, w))
    km = kaplan_meier(d, e, weights=w)
    np.testing.assert_allclose(km.survival, rep.survival, atol=1e-12)
    np.testing.assert_allclose(km.at_risk, rep.at_risk)


def test_weighted_greenwood_hand_worked_xie_liu() -> None:
    # t=1: risk set weights (1, 3), event weight 1 -> h = 1/4, M = 16/10
    # t=2: risk set weights (3,), event weight 3 -> h = 1, S = 0
    km = kaplan_meier([1, 2], [1, 1], weights=[1.0, 3.0])
    assert km.survival.tolist() == [0.75, 0.0]
    expected = 0.75 * math.sqrt((1 / 4) / ((16 / 10) * (3 / 4)))
    assert km.std_err[0] == pytest.approx(expected, rel=1e-12)


# --- median, at, RMST ---------------------------------------------------------------------------


def test_median_and_its_interval_follow_the_band_crossings() -> None:
    d, e, _ = _sample(11, 1_000)
    km = kaplan_meier(d, e)
    m, lo, hi = km.median()
    assert m == km.time[np.argmax(km.survival <= 0.5)]
    assert lo == km.time[np.argmax(km.ci_low <= 0.5)]
    assert hi == km.time[np.argmax(km.ci_high <= 0.5)]
    assert lo <= m <= hi  # type: ignore[operator]


def test_median_exactly_half_and_not_reached() -> None:
    assert kaplan_meier([2, 4], [1, 0]).median()[0] == 2.0  # S = 0.5 exactly at t = 2
    assert kaplan_meier([2, 4, 6], [0, 0, 1]).median() == (6.0, 6.0, 6.0)  # S falls to 0 at 6
    assert kaplan_meier([1, 2, 3, 4, 5, 6], [1, 0, 0, 0, 1, 0]).median() == (5.0, 1.0, None)
    assert kaplan_meier([2, 4, 6], [0, 0, 0]).median() == (None, None, None)


def test_at_is_right_continuous_and_undefined_beyond_follow_up() -> None:
    km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
    assert km.at(0.99)[0] == 1.0 and km.at(1)[0] == pytest.approx(0.8)
    assert km.at(2.5)[0] == pytest.approx(0.6) and km.at(4)[0] == pytest.approx(0.3)
    assert km.at(4.01) == (None, None, None)
    assert kaplan_meier([1, 2], [1, 1]).at(100) == (0.0, 0.0, 0.0)


def _rmst_reference(km: Any, tau: float) -> tuple[float, float]:
    """Independent RMST: numerical integration on a fine grid and a loop for the variance."""
    grid = np.linspace(0, tau, 200_001)
    s = np.array([km.at(x)[0] for x in grid[::1000]])  # coarse check of the step function
    assert np.all(np.diff(s) <= 0)
    idx = np.searchsorted(km.time, grid, side="right") - 1
    curve = np.where(idx < 0, 1.0, km.survival[np.maximum(idx, 0)])
    area = float(np.sum(curve[:-1] * np.diff(grid)))
    var = 0.0
    for j, t in enumerate(km.time):
        if t > tau or km.events[j] == 0 or km.at_risk[j] == km.events[j]:
            continue
        tail = float(np.sum((curve[:-1] * np.diff(grid))[grid[:-1] >= t]))
        var += tail**2 * km.events[j] / (km.at_risk[j] * (km.at_risk[j] - km.events[j]))
    return area, math.sqrt(var)


def test_rmst_hand_worked() -> None:
    assert kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1]).rmst(4) == (2.5, pytest.approx(0.5590169943749475))
    est, _ = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0]).rmst(3.5)
    assert est == pytest.approx(1 + 0.8 + 0.6 + 0.5 * 0.3)


def test_rmst_matches_independent_integration() -> None:
    d, e, _ = _sample(12, 300)
    km = kaplan_meier(d, e)
    est, se = km.rmst(60.5)
    ref_est, ref_se = _rmst_reference(km, 60.5)
    assert est == pytest.approx(ref_est, abs=1e-3)
    assert se == pytest.approx(ref_se, rel=1e-3)
    assert km.rmst(km.time[-1] + 1) == (None, None) or km.survival[-1] == 0


# --- log-rank -----------------------------------------------------------------------------------


def _textbook_logrank(d: np.ndarray, e: np.ndarray, g: np.ndarray) -> float:
    """k-group log-rank the long way: loop over event times, counts by sorting (no bincount)."""
    labels = np.unique(g)
    k = labels.size
    times = np.unique(d[e])
    sorted_all = [np.sort(d[g == lab]) for lab in labels]
    sorted_ev = [np.sort(d[(g == lab) & e]) for lab in labels]
    o_minus_e = np.zeros(k)
    v = np.zeros((k, k))
    for t in times:
        y = np.array([s.size - np.searchsorted(s, t, side="left") for s in sorted_all], dtype=float)
        dj = np.array([np.searchsorted(s, t, side="right") - np.searchsorted(s, t, side="left")
                       for s in sorted_ev], dtype=float)
        big_y, big_d = y.sum(), dj.sum()
        o_minus_e += dj - big_d * y / big_y
        if big_y > 1:
            c = big_d * (big_y - big_d) / (big_y - 1)
            for a in range(k):
                for b in range(k):
                    v[a, b] += c * (y[a] / big_y) * ((a == b) - y[b] / big_y)
    x = o_minus_e[:-1]
    return float(x @ np.linalg.solve(v[:-1, :-1], x))


@pytest.mark.parametrize("seed", SEEDS)
def test_logrank_matches_scipy_on_small_data(seed: int) -> None:
    d, e, g = _sample(seed, 3_000)
    ref = stats.logrank(stats.CensoredData(uncensored=d[e & (g == 0)], right=d[~e & (g == 0)]),
                        stats.CensoredData(uncensored=d[e & (g == 1)], right=d[~e & (g == 1)]))
    res = logrank_test(d, e, g)
    assert res.statistic == pytest.approx(ref.statistic**2, rel=1e-9, abs=1e-9)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-7, abs=1e-12)
    assert res.df == 1
    assert sum(res.observed) == pytest.approx(sum(res.expected))


def test_logrank_three_groups_matches_textbook() -> None:
    d, e, g = _sample(21, 2_000, groups=3)
    res = logrank_test(d, e, np.array(["x", "y", "z"])[g])
    assert res.df == 2 and res.groups == ("x", "y", "z")
    assert res.statistic == pytest.approx(_textbook_logrank(d, e, g), rel=1e-10)
    assert res.p_value == pytest.approx(stats.chi2.sf(res.statistic, 2))


def test_logrank_at_one_million_rows_matches_textbook() -> None:
    rng = np.random.default_rng(2024)
    n = 1_000_000
    g = (rng.random(n) < 0.3).astype(int)
    t = np.ceil(rng.exponential(300 * (1 + 0.15 * g))).astype(np.int64)
    c = rng.integers(1, 700, n)
    e, d = t <= c, np.minimum(t, c)
    res = logrank_test(d, e, g)
    assert res.statistic == pytest.approx(_textbook_logrank(d, e, g), rel=1e-9)
    assert res.statistic > 1_000  # a real difference, and far from scipy's drifted answer


def test_logrank_hand_worked_two_by_two() -> None:
    # a: events at 1, 2; b: censored at 1, event at 3.  t=1: Y=(2,2) d=(1,0); t=2: Y=(1,1) d=(1,0)
    # O-E = (1 - 1/2) + (1 - 1/2) = 1; V = 1*3/3*1/4 + 1*(1)/(1)*1/4 = 1/4 + 1/4 = 1/2 -> chi2 = 2
    res = logrank_test([1, 2, 1, 3], [1, 1, 0, 1], ["a", "a", "b", "b"])
    assert res.statistic == pytest.approx(2.0)


def test_logrank_without_events_reports_zero_df() -> None:
    res = logrank_test([1, 2, 3], [0, 0, 0], ["a", "b", "b"])
    assert (res.statistic, res.p_value, res.df) == (0.0, 1.0, 0)


def test_weighted_logrank_with_unit_weights_equals_unweighted() -> None:
    d, e, g = _sample(8, 1_000)
    a, b = logrank_test(d, e, g), logrank_test(d, e, g, weights=np.ones(d.size))
    assert b.statistic == pytest.approx(a.statistic, rel=1e-12)


@pytest.mark.parametrize("labels", [np.array([3, 7]), np.array(["followers", "non-followers"])])
@pytest.mark.parametrize("weighted", [False, True])
def test_survival_by_group_equals_separate_fits(labels: np.ndarray, weighted: bool) -> None:
    d, e, g = _sample(13, 2_000)
    w = np.random.default_rng(13).uniform(0.5, 2, d.size) if weighted else None
    curves, test = survival_by_group(d, e, labels[g], weights=w, ci="linear")
    assert list(curves) == labels.tolist()
    for code, lab in enumerate(labels.tolist()):
        m = g == code
        ref = kaplan_meier(d[m], e[m], weights=None if w is None else w[m], ci="linear")
        for name in ("time", "survival", "std_err", "ci_low", "at_risk"):
            np.testing.assert_allclose(getattr(curves[lab], name), getattr(ref, name), rtol=0, atol=1e-12)
    assert test is not None
    assert test.statistic == pytest.approx(logrank_test(d, e, labels[g], weights=w).statistic, rel=1e-12)
    assert survival_by_group([1, 2], [1, 0], ["a", "a"])[1] is None


# --- counts tables in the caller's engine -------------------------------------------------------


def test_duration_counts_in_every_engine(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    d, e, g = _sample(9, 600)
    w = np.random.default_rng(9).uniform(0.5, 2.0, d.size)
    frame = pd.DataFrame({"seg": np.array(["a", "b"])[g], "days": d, "churned": e, "w": w})
    counts = duration_counts(to_engine(frame), duration="days", event="churned", group="seg", weight="w")
    assert list(counts.columns) == ["seg", "duration", "events", "removed", "weighted_events",
                                    "weighted_removed", "weighted_removed_sq"]
    assert counts["removed"].sum() == 600 and counts["events"].sum() == e.sum()
    assert counts["weighted_removed_sq"].sum() == pytest.approx(np.sum(w * w))
    for lab in ("a", "b"):
        mine = kaplan_meier_from_counts(counts[counts["seg"] == lab])
        ref = kaplan_meier(d[g == (lab == "b")], e[g == (lab == "b")], weights=w[g == (lab == "b")])
        np.testing.assert_allclose(mine.survival, ref.survival, atol=1e-12)
        np.testing.assert_allclose(mine.std_err, ref.std_err, atol=1e-12)
    lr = logrank_from_counts(counts.drop(columns=[c for c in counts if c.startswith("weighted")]),
                             group="seg")
    assert lr.statistic == pytest.approx(logrank_test(d, e, g).statistic, rel=1e-12)


def test_duration_counts_names_missing_columns() -> None:
    with pytest.raises(MissingColumnError, match="'days'"):
        duration_counts(pd.DataFrame({"t": [1]}), duration="days", event="t")


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "kwargs", "error", "match"), [
    (([1, -2], [1, 0]), {}, InputError, "durations must be >= 0"),
    (([1, np.nan], [1, 0]), {}, InputError, "missing or infinite"),
    (([1, 2], [1, 2]), {}, InputError, "events must be 0/1"),
    (([1, 2], [1]), {}, InputError, "equal length"),
    (([], []), {}, EmptyDataError, "empty"),
    (([1, 2], [1, 0]), {"conf_level": 1.5}, ConfigError, "conf_level"),
    (([1, 2], [1, 0]), {"ci": "plain"}, ConfigError, "log-log"),
    (([1, 2], [1, 0]), {"weights": [1, -1]}, InputError, "weights"),
    ((["a", "b"], [1, 0]), {}, InputError, "must be numbers"),
])
def test_kaplan_meier_rejects_bad_input(args: tuple[Any, ...], kwargs: dict[str, Any],
                                        error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match) as info:
        kaplan_meier(*args, **kwargs)
    assert "Hint:" in str(info.value)


def test_logrank_needs_two_groups() -> None:
    with pytest.raises(InputError, match="at least two groups"):
        logrank_test([1, 2], [1, 1], ["a", "a"])


# --- invariants ---------------------------------------------------------------------------------


@settings(max_examples=examples(50), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.booleans(), st.floats(0.1, 5.0)), min_size=1, max_size=80),
       st.booleans())
def test_kaplan_meier_invariants(rows: list[tuple[int, bool, float]], weighted: bool) -> None:
    d = np.array([r[0] for r in rows])
    e = np.array([r[1] for r in rows])
    w = np.array([r[2] for r in rows]) if weighted else None
    km = kaplan_meier(d, e, weights=w)
    total = float(w.sum()) if w is not None else float(d.size)
    assert np.all((km.survival >= 0) & (km.survival <= 1))
    assert np.all(np.diff(km.survival) <= 1e-15)
    assert np.all(np.diff(km.at_risk) < 0)
    assert km.at_risk[0] == pytest.approx(total)
    assert float((km.events + km.censored).sum()) == pytest.approx(total)
    assert np.all(km.ci_low <= km.survival + 1e-12) and np.all(km.survival <= km.ci_high + 1e-12)
    assert np.all(np.isfinite(km.std_err))
