"""Joint bootstrap of the value of social: the replicate machinery reproduces the comparison's
point estimates, correlated components widen the interval, and the planted total is covered."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError
from roi_kit.followers import DAYS_PER_MONTH
from roi_kit.followers._value_boot import replicate_means, replicate_rmst

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def comparison() -> rk.SegmentComparison:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = rk.datasets.generate(seed=3, n_customers=1500)
    return rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                               by=rk.FollowerDefinition(), n_boot=50)


@pytest.mark.parametrize("method", ["naive", "adjusted"])
def test_replicate_with_unit_weights_is_the_point_estimate(comparison: Any, method: str) -> None:
    a = comparison.value_arrays
    tau = 12 * DAYS_PER_MONTH
    w = np.ones(a.member.size) * (a.weights if method == "adjusted" else 1.0)
    c = comparison.retention.curves
    rmst = c[(method, "followers")].rmst(tau)[0] - c[(method, "non-followers")].rmst(tau)[0]
    assert replicate_rmst(a.cell, a.size, w[None, :], tau)[0] == pytest.approx(rmst, rel=1e-9)
    wu = np.ones(a.upsell_member.size) * (a.upsell_weights if method == "adjusted" else 1.0)
    up = comparison.upsell.effect("upsell_revenue", method).difference
    assert replicate_means(a.upsell_revenue, a.upsell_treated, wu[None, :])[0] == pytest.approx(up)
    wd = np.ones(a.deal_amount.size) * (a.deal_weights if method == "adjusted" else 1.0)
    deal = comparison.deal_size.effect("deal_mean", method).difference
    assert replicate_means(a.deal_amount, a.deal_treated, wd[None, :])[0] == pytest.approx(deal)


def test_seeded_and_validated(comparison: Any) -> None:
    a = rk.value_of_social(comparison, n_boot=200, seed=1)
    b = rk.value_of_social(comparison, n_boot=200, seed=1)
    c = rk.value_of_social(comparison, n_boot=200, seed=2)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert (a.ci_low, a.ci_high) != (c.ci_low, c.ci_high)
    assert a.ci_low < a.total < a.ci_high
    assert "joint bootstrap over customers, 200 replicates" in a.summary()
    f = a.to_frame()
    assert (f["total_low"] <= f["total"]).all() and (f["total"] <= f["total_high"]).all()
    with pytest.raises(ConfigError, match="n_boot=-1"):
        rk.value_of_social(comparison, n_boot=-1)


def _correlated(n: int = 60, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every customer has one won new deal and one won upsell of the SAME amount, and no one
    churns: the upsell and deal-size components move together in every resample."""
    rng = np.random.default_rng(seed)
    ids = [f"c{i}" for i in range(n)]
    start = pd.Timestamp("2023-01-01")
    customers = pd.DataFrame({"customer_id": ids, "acquired_at": [start] * n,
                              "churned_at": pd.NaT, "observed_until": pd.Timestamp("2025-06-30")})
    audience = pd.DataFrame({"customer_id": ids[: n // 2], "followed_at": start + pd.Timedelta(days=10)})
    amount = np.round(rng.lognormal(8, 0.8, n), 2)
    deal = {"customer_id": ids, "amount": amount, "status": "won"}
    new = pd.DataFrame({**deal, "deal_id": [f"n{i}" for i in range(n)], "kind": "new",
                        "created_at": start + pd.Timedelta(days=20), "closed_at": start + pd.Timedelta(days=40)})
    up = pd.DataFrame({**deal, "deal_id": [f"u{i}" for i in range(n)], "kind": "upsell",
                       "created_at": start + pd.Timedelta(days=150), "closed_at": start + pd.Timedelta(days=200)})
    return customers, pd.concat([new, up], ignore_index=True), audience


def test_perfectly_correlated_components_widen_the_joint_interval() -> None:
    customers, deals, audience = _correlated()
    cmp = rk.compare_segments(customers, deals, audience=audience, by=rk.FollowerDefinition(),
                              covariates=(), n_boot=50)
    value = rk.value_of_social(cmp, months=12, include=("upsell", "deal_size"), n_boot=2000)
    f = value.to_frame().set_index("component")
    assert f["total"].notna().all() and f.loc["upsell", "count"] == 30 and f.loc["deal_size", "count"] == 30
    joint = value.ci_high - value.ci_low
    indep = value.independent_high - value.independent_low
    # same data, same resampled customers: the widths add (~ sum) instead of adding in quadrature
    comp = (f["total_high"] - f["total_low"]).to_numpy()
    assert joint > 1.25 * indep
    assert joint == pytest.approx(comp.sum(), rel=0.15)
    assert indep == pytest.approx(float(np.hypot(*comp)), rel=0.25)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("validate_coverage", ROOT / "scripts" / "validate_coverage.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_planted_total_value_is_covered_fast() -> None:
    r = _script().value_coverage(seeds=3, n=1500, n_boot=300)
    assert len(r) == 3 and r["truth"].gt(0).all()
    assert r["joint_covered"].sum() >= 2
    assert ((r["joint_low"] < r["estimate"]) & (r["estimate"] < r["joint_high"])).all()
