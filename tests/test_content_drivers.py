"""Drivers: OLS + HC1 against an independent reference and a closed form; planted effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import roi_kit as rk
from roi_kit.content._ols import independent_columns, ols_hc1
from roi_kit.errors import ConfigError
from tests.content_sim import TYPE_EFFECTS, simulate


def test_ols_hc1_matches_lstsq_and_textbook_sandwich():
    rng = np.random.default_rng(42)
    n = 12
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    y = 1 + 2 * X[:, 1] - X[:, 2] + rng.normal(size=n) * (1 + X[:, 2])
    fit = ols_hc1(X, y)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    e = y - X @ beta
    bread = np.linalg.pinv(X.T @ X)
    meat = sum(e[i] ** 2 * np.outer(X[i], X[i]) for i in range(n))
    cov = n / (n - 3) * bread @ meat @ bread
    np.testing.assert_allclose(fit.beta, beta, rtol=1e-10)
    np.testing.assert_allclose(fit.se, np.sqrt(np.diag(cov)), rtol=1e-10)
    t = stats.t.ppf(0.975, n - 3)
    np.testing.assert_allclose(fit.ci_high - fit.ci_low, 2 * t * fit.se)
    np.testing.assert_allclose(fit.p_value, 2 * stats.t.sf(np.abs(beta / fit.se), n - 3))


def test_ols_hc1_two_groups_closed_form():
    y0, y1 = np.array([1.0, 3.0, 2.0]), np.array([4.0, 8.0, 6.0, 10.0])
    X = np.column_stack([np.ones(7), [0, 0, 0, 1, 1, 1, 1]])
    fit = ols_hc1(X, np.concatenate([y0, y1]))
    # HC0 variance of a difference in means = SS0/n0² + SS1/n1²; HC1 scales by n/(n-k)
    ss0, ss1 = ((y0 - y0.mean()) ** 2).sum(), ((y1 - y1.mean()) ** 2).sum()
    assert fit.beta[1] == pytest.approx(y1.mean() - y0.mean())
    assert fit.se[1] == pytest.approx(np.sqrt(7 / 5 * (ss0 / 9 + ss1 / 16)))


def test_independent_columns_drops_aliased_dummy():
    X = np.column_stack([np.ones(4), [1, 0, 1, 0], [0, 1, 0, 1], [1, 2, 3, 4]])
    assert independent_columns(X) == [0, 1, 3]


def test_drivers_recover_planted_type_effects_across_engines(to_engine):
    posts = simulate(21, 1200)
    d = rk.engagement_drivers(to_engine(posts), reference={"type": "image"})
    c = d.to_frame().set_index("term")
    for t in ("video", "text"):
        lo, hi = c.loc[f"type: {t}", ["effect_ci_low", "effect_ci_high"]]
        assert lo < TYPE_EFFECTS[t] - 1 < hi, (t, lo, hi)
    # paid changes reach, not the rate: its interval covers zero or is tiny
    assert abs(c.loc["paid (vs organic)", "effect"]) < 0.05
    assert "type: video" in d.summary() and "higher" in d.summary()
    assert d.reference["type"] == "image"


def test_drivers_rate_scale_hand_worked():
    posts = pd.DataFrame({
        "post_id": list("abcdef"), "platform": ["x"] * 6,
        "published_at": pd.to_datetime(["2024-01-01"] * 6),
        "type": ["video", "image"] * 3, "likes": [30, 10, 50, 30, 40, 20], "impressions": [1000] * 6})
    d = rk.engagement_drivers(posts, features=("type",), scale="rate")
    row = d.to_frame().iloc[0]
    # image is the reference (tie in counts broken alphabetically): 0.04 - 0.02 = 0.02
    assert row["term"] == "type: video"
    assert row["estimate"] == pytest.approx(0.02)
    assert any("single value" in n for n in rk.engagement_drivers(posts).notes)


def test_drivers_errors_and_chart():
    posts = simulate(22, 200)
    with pytest.raises(ConfigError, match="unknown names"):
        rk.engagement_drivers(posts, features=("colour",))
    with pytest.raises(ConfigError, match="not a level"):
        rk.engagement_drivers(posts, reference={"type": "gif"})
    spec = rk.engagement_drivers(posts).chart().to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "rule", "point"]
