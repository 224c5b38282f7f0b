"""Propensity model, IPW weights and balance: closed forms, a row-level reference, invariants."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from roi_kit.errors import ConfigError, EmptyDataError
from roi_kit.followers._propensity import (
    balance_table,
    build_design,
    fit_logistic,
    fit_propensity,
    ipw_weights,
    propensity_from_design,
)
from tests.budget import examples


def test_saturated_model_gives_cell_shares() -> None:
    data = pd.DataFrame({"size": ["s"] * 4 + ["l"] * 4, "t": [1, 0, 0, 0, 1, 1, 1, 0]})
    model = fit_propensity(data, treatment="t", covariates=["size"], trim=None)
    assert model.converged
    np.testing.assert_allclose(model.propensity, [0.25] * 4 + [0.75] * 4, atol=1e-6)  # tiny ridge
    # stabilised weights: P(T=1)=0.5, so treated 0.5/p and controls 0.5/(1-p)
    np.testing.assert_allclose(model.weights[:4], [2.0, 2 / 3, 2 / 3, 2 / 3], atol=1e-5)
    assert model.balance.max_smd(after=True) == pytest.approx(0.0, abs=1e-5)


def test_grouped_fit_equals_row_level_likelihood() -> None:
    rng = np.random.default_rng(5)
    n = 600
    frame = pd.DataFrame({"a": rng.choice(["x", "y", "z"], n), "b": rng.choice(["u", "v"], n),
                          "m": rng.normal(size=n).round(1)})
    eta = -0.3 + 0.8 * (frame["a"] == "y") - 0.5 * (frame["b"] == "v") + 0.7 * frame["m"]
    t = rng.random(n) < 1 / (1 + np.exp(-eta))
    design = build_design(frame, ["a", "b", "m"])
    x_rows = design.patterns[design.pattern]
    s = np.bincount(design.pattern, weights=t.astype(float))
    m = np.bincount(design.pattern).astype(float)
    beta, ok, _ = fit_logistic(design.patterns, s, m, ridge=0.0)
    assert ok

    def nll(b: np.ndarray) -> float:
        e = x_rows @ b
        return float(np.sum(np.logaddexp(0, e) - t * e))

    ref = optimize.minimize(nll, np.zeros(x_rows.shape[1]), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(beta, ref.x, atol=1e-5)


def test_design_one_hot_reference_is_most_frequent_and_missing_is_a_level() -> None:
    d = build_design(pd.DataFrame({"c": ["a", "b", "b", None], "x": [1.0, np.nan, 3.0, 5.0]}), ["c", "x"])
    assert d.terms == ("(intercept)", "c=(missing)", "c=a", "x", "x=(missing)")
    assert d.patterns.shape == (4, 5)


def test_ipw_weights_trim_and_errors() -> None:
    w, n = ipw_weights(np.array([0.001, 0.5, 0.999]), np.array([True, False, False]), trim=0.01,
                       stabilized=False)
    assert n == 2
    np.testing.assert_allclose(w, [100.0, 2.0, 100.0])
    with pytest.raises(ConfigError, match=r"trim=0\.7"):
        ipw_weights(np.array([0.5]), np.array([True]), trim=0.7)


def test_all_followers_cannot_be_weighted() -> None:
    design = build_design(pd.DataFrame({"c": ["a", "b"]}), ["c"])
    with pytest.raises(EmptyDataError, match="both followers and non-followers"):
        propensity_from_design(design, np.array([True, True]))


def test_balance_table_hand_computed_smd() -> None:
    d = pd.DataFrame({"x": [1.0, 2.0, 3.0, 5.0], "t": [1, 1, 0, 0], "w": [1.0, 3.0, 1.0, 1.0]})
    row = balance_table(d, treatment="t", covariates=["x"], weights="w").to_frame().iloc[0]
    # means 1.5 vs 4; population variances 0.25 and 1 -> pooled sd sqrt(0.625)
    assert row["smd_before"] == pytest.approx((1.5 - 4.0) / np.sqrt(0.625))
    assert row["weighted_mean_followers"] == pytest.approx(1.75)
    assert row["smd_after"] == pytest.approx((1.75 - 4.0) / np.sqrt(0.625))


def test_weighting_balances_a_confounded_sample_and_reports_it() -> None:
    rng = np.random.default_rng(3)
    n = 4000
    size = rng.choice(["small", "mid", "large"], n, p=[0.5, 0.3, 0.2])
    region = rng.choice(["EMEA", "NA"], n)
    eta = -1 + 1.5 * (size == "large") + 0.5 * (size == "mid") - 0.4 * (region == "NA")
    t = rng.random(n) < 1 / (1 + np.exp(-eta))
    model = fit_propensity(pd.DataFrame({"size": size, "region": region, "t": t}),
                           treatment="t", covariates=["size", "region"])
    assert model.balance.max_smd(after=False) > 0.3
    assert model.balance.max_smd(after=True) < 0.05
    ess = model.effective_size()
    assert 0 < ess["followers"] <= t.sum() and 0 < ess["non-followers"] <= (~t).sum()
    text = model.summary()
    assert "all below the usual 0.1 threshold" in text and "nan" not in text.lower()
    assert model.chart().to_dict()["layer"][1]["mark"]["type"] == "point"


@settings(max_examples=examples(50), deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.booleans()), min_size=6, max_size=60))
def test_saturated_weights_reweight_each_group_to_the_population(rows: list[Any]) -> None:
    frame = pd.DataFrame(rows, columns=["c", "t"])
    cells = frame.groupby("c")["t"].agg(["min", "max"])
    if frame["t"].all() or not frame["t"].any() or (cells["min"] == cells["max"]).any():
        return  # positivity fails: a saturated model cannot balance
    model = fit_propensity(frame, treatment="t", covariates=["c"], trim=None)
    share = frame["c"].value_counts(normalize=True)
    for group in (True, False):
        sel = (frame["t"] == group).to_numpy()
        w = pd.Series(model.weights[sel], index=frame.index[sel])
        weighted = w.groupby(frame.loc[sel, "c"]).sum() / w.sum()
        np.testing.assert_allclose(weighted.sort_index(), share.sort_index(), atol=1e-6)


def test_fit_propensity_works_on_engines(to_engine: Any) -> None:
    frame = pd.DataFrame({"g": ["a", "a", "b", "b", "b"], "t": [True, False, True, False, False]})
    model = fit_propensity(to_engine(frame), treatment="t", covariates=["g"], trim=None)
    np.testing.assert_allclose(sorted(set(np.round(model.propensity, 9))), [1 / 3, 0.5])
