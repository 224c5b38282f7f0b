"""roi_kit's one Wilson interval (aggregates.wilson_interval / wilson_expr) against references.

References: scipy's ``binomtest(k, n).proportion_ci(method="wilson")`` (statsmodels'
``proportion_confint(method="wilson")`` is the same interval; statsmodels is not a dependency) and
the textbook formula evaluated with 60-digit decimals.
"""

from __future__ import annotations

from decimal import Decimal, getcontext

import narwhals as nw
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.stats import binomtest

import roi_kit as rk
from roi_kit.aggregates import newcombe_interval, wilson_expr, wilson_interval
from roi_kit.errors import ConfigError
from tests.budget import examples

EDGES = [(0, 1), (1, 1), (0, 2), (1, 2), (2, 2), (0, 10), (10, 10), (3, 7), (0, 10**7),
         (10**7, 10**7), (12_345, 10**7), (1, 10**9), (10**9 - 1, 10**9)]


def _decimal_wilson(k: int, n: int, conf: float) -> tuple[float, float]:
    """Textbook Wilson bounds in 60-digit decimals (z from scipy)."""
    getcontext().prec = 60
    z = Decimal(float(stats.norm.ppf(0.5 + conf / 2)))
    kd, nd = Decimal(k), Decimal(n)
    p = kd / nd
    den = 1 + z * z / nd
    centre = p + z * z / (2 * nd)
    half = z * (p * (1 - p) / nd + z * z / (4 * nd * nd)).sqrt()
    return float((centre - half) / den), float((centre + half) / den)


@pytest.mark.parametrize("conf", [0.9, 0.95, 0.99])
@pytest.mark.parametrize(("k", "n"), EDGES)
def test_wilson_interval_equals_scipy_on_edge_cases(k: int, n: int, conf: float) -> None:
    ref = binomtest(k, n).proportion_ci(confidence_level=conf, method="wilson")
    lo, hi = wilson_interval(k, n, conf_level=conf)
    assert float(lo) == pytest.approx(ref.low, abs=1e-12)
    assert float(hi) == pytest.approx(ref.high, abs=1e-12)


@pytest.mark.parametrize("conf", [0.9, 0.95, 0.99])
@pytest.mark.parametrize(("k", "n"), EDGES)
def test_wilson_interval_keeps_its_digits_against_60_digit_decimals(k: int, n: int,
                                                                    conf: float) -> None:
    # relative, so a bound of 1e-10 (1 success in 1e9) must be right to 1e-12 of itself
    lo, hi = wilson_interval(k, n, conf_level=conf)
    want_lo, want_hi = _decimal_wilson(k, n, conf)
    assert float(lo) == pytest.approx(want_lo, rel=1e-12, abs=1e-40)
    assert float(hi) == pytest.approx(want_hi, rel=1e-12)


@pytest.mark.parametrize("conf", [0.9, 0.95, 0.99])
def test_wilson_interval_is_exactly_0_and_1_at_the_ends(conf: float) -> None:
    n = np.array([1, 2, 10, 10**7, 10**9])
    lo0, _ = wilson_interval(np.zeros(5), n, conf_level=conf)
    _, hi1 = wilson_interval(n, n, conf_level=conf)
    assert lo0.tolist() == [0.0] * 5  # the old content copy gave -2.6e-23 at 0 of 10^7
    assert hi1.tolist() == [1.0] * 5  # and 1.0000000000000002 at all successes


def test_wilson_interval_is_vectorised_over_any_shape() -> None:
    k = np.array([[0, 1, 5], [7, 10, 3]])
    n = np.array([[1, 1, 10], [7, 40, 9]])
    lo, hi = wilson_interval(k, n, conf_level=0.9)
    assert lo.shape == hi.shape == (2, 3)
    for i, j in np.ndindex(k.shape):
        ref = binomtest(int(k[i, j]), int(n[i, j])).proportion_ci(confidence_level=0.9,
                                                                   method="wilson")
        assert (lo[i, j], hi[i, j]) == pytest.approx((ref.low, ref.high), abs=1e-12)


def test_wilson_interval_has_no_interval_without_trials_or_beyond_them() -> None:
    # NaN is the marker for "no interval"; scipy refuses the same inputs outright
    lo, hi = wilson_interval(np.array([0, 3, -1, 2]), np.array([0, 2, 5, 5]))
    assert np.isnan(lo[:3]).all() and np.isnan(hi[:3]).all()
    assert np.isfinite([lo[3], hi[3]]).all()
    with pytest.raises(ValueError, match="n must be an integer"):
        binomtest(0, 0)


def test_no_trials_reaches_the_reader_as_words_not_nan() -> None:
    frame = pd.DataFrame({"platform": ["a", "b"], "clicks": [0, 5], "impressions": [0, 50]})
    text = rk.rates(frame, by="platform").summary()
    assert "undefined in 1 group" in text
    assert "nan" not in text.lower()
    # the one group with trials prints scipy's interval: 5 of 50 -> 4.35 % to 21.36 %
    assert "4.35% to 21.36%" in text


@pytest.mark.parametrize("conf", [0, 1, 1.5, -0.1])
def test_wilson_interval_rejects_a_confidence_outside_0_1(conf: float) -> None:
    with pytest.raises(ConfigError, match=r"conf_level=.* strictly between 0 and 1"):
        wilson_interval(1, 2, conf_level=conf)


def test_wilson_expr_equals_wilson_interval_in_every_engine(to_engine) -> None:
    x = [0.0, 1.0, 6.0, 300.0, 49.0, 20.0, 0.0, 12.0]
    n = [10.0, 5.0, 40.0, 5000.0, 50.0, 20.0, 0.0, 10.0]
    frame = nw.from_native(to_engine(pd.DataFrame({"i": range(8), "x": x, "n": n})))
    got = frame.select(nw.col("i"),
                       wilson_expr(nw.col("x"), nw.col("n"), lower=True, conf_level=0.9).alias("lo"),
                       wilson_expr(nw.col("x"), nw.col("n"), lower=False, conf_level=0.9).alias("hi"))
    got = (got.collect() if isinstance(got, nw.LazyFrame) else got).to_pandas().sort_values("i")
    lo, hi = wilson_interval(np.array(x[:6]), np.array(n[:6]), conf_level=0.9)
    np.testing.assert_allclose(got["lo"].to_numpy(dtype=float)[:6], lo, rtol=1e-12, atol=0)
    np.testing.assert_allclose(got["hi"].to_numpy(dtype=float)[:6], hi, rtol=1e-12, atol=0)
    assert got["lo"].isna().iloc[6] and got["hi"].isna().iloc[6]  # no trials: no bound
    # 12 of 10 ranks like 10 of 10 (a share above 1 is clipped for ranking only)
    full = wilson_interval(10, 10, conf_level=0.9)
    assert (got["lo"].iloc[7], got["hi"].iloc[7]) == pytest.approx((float(full[0]), 1.0), rel=1e-12)


@settings(max_examples=examples(60), deadline=None)
@given(st.integers(1, 10**6), st.floats(0, 1), st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.999]))
def test_wilson_interval_matches_scipy_and_holds_the_share(n: int, share: float,
                                                           conf: float) -> None:
    k = round(share * n)
    lo, hi = wilson_interval(k, n, conf_level=conf)
    ref = binomtest(k, n).proportion_ci(confidence_level=conf, method="wilson")
    assert (float(lo), float(hi)) == pytest.approx((ref.low, ref.high), abs=1e-12)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_newcombe_interval_is_built_on_the_same_wilson_interval() -> None:
    # Newcombe (1998) table II, example (a): 56/70 vs 48/80 -> 0.0524 to 0.3339
    d, lo, hi = newcombe_interval(56, 70, 48, 80)
    (l1, u1), (l0, u0) = wilson_interval(56, 70), wilson_interval(48, 80)
    assert float(d) == pytest.approx(0.2, abs=1e-15)
    assert float(lo) == pytest.approx(0.2 - np.hypot(0.8 - l1, u0 - 0.6), abs=1e-15)
    assert float(hi) == pytest.approx(0.2 + np.hypot(u1 - 0.8, 0.6 - l0), abs=1e-15)
    assert (round(float(lo), 4), round(float(hi), 4)) == (0.0524, 0.3339)
