"""BG/NBD + Gamma-Gamma (scipy MLE): the likelihood against the paper's closed form, parameter
recovery and holdout purchases on simulated customers, and the repeat-purchase CLV route."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import special

import roi_kit as rk
from roi_kit.followers._bgnbd import (
    bgnbd_expected,
    bgnbd_loglik,
    fit_bgnbd,
    fit_gamma_gamma,
    gamma_gamma_loglik,
    simulate_bgnbd,
)
from roi_kit.followers._repeat_value import rfm


def test_bgnbd_loglik_matches_the_papers_formula() -> None:
    r, alpha, a, b = 0.24, 4.4, 0.79, 2.43
    for x, tx, T in [(0, 0.0, 38.0), (2, 30.4, 38.9), (5, 12.0, 20.0)]:
        # Fader, Hardie & Lee (2005), eq. 6, written with Beta and Gamma functions
        common = math.gamma(r + x) * alpha**r / math.gamma(r)
        lik = special.beta(a, b + x) / special.beta(a, b) * common / (alpha + T) ** (r + x)
        if x > 0:
            lik += special.beta(a + 1, b + x - 1) / special.beta(a, b) * common / (alpha + tx) ** (r + x)
        got = bgnbd_loglik(np.array([r, alpha, a, b]), np.array([x]), np.array([tx]), np.array([T]))
        assert got[0] == pytest.approx(math.log(lik), rel=1e-10)


def test_gamma_gamma_loglik_matches_direct_integral() -> None:
    from scipy import integrate, stats

    p, q, g, x, m = 6.0, 4.0, 15.0, 3, 12.0
    # mean of x Gamma(p, ν) draws is Gamma(p·x, x·ν); integrate over ν ~ Gamma(q, γ)
    dens = integrate.quad(lambda nu: stats.gamma.pdf(m, p * x, scale=1 / (x * nu)) * stats.gamma.pdf(nu, q, scale=1 / g),
                          0, np.inf)[0]
    got = gamma_gamma_loglik(np.array([p, q, g]), np.array([float(x)]), np.array([m]))[0]
    assert got == pytest.approx(math.log(dens), rel=1e-6)


def test_bgnbd_recovers_planted_parameters_and_holdout_purchases() -> None:
    seed = 3
    rng = np.random.default_rng(seed)
    truth = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}
    x, tx, T, y = simulate_bgnbd(rng, 6000, **truth, T=52.0, future=52.0)
    fit = fit_bgnbd(x, tx, T)
    assert fit.converged and fit.log_cov is not None
    se = np.sqrt(np.diag(fit.log_cov))
    z = (np.log(fit.params) - np.log(list(truth.values()))) / se
    assert np.all(np.abs(z) < 3.5), f"seed {seed}: params {fit.params}, z {z}"
    expected, alive = bgnbd_expected(fit.params, x, tx, T, 52.0)
    assert expected.mean() == pytest.approx(y.mean(), rel=0.05)
    for k in (0, 1, 2):  # conditional expectations by past frequency
        assert expected[x == k].mean() == pytest.approx(y[x == k].mean(), rel=0.15, abs=0.03)
    assert np.all((alive > 0) & (alive <= 1))


def test_gamma_gamma_recovers_planted_parameters() -> None:
    seed = 5
    rng = np.random.default_rng(seed)
    p, q, g, n = 6.0, 4.0, 15.0, 4000
    nu = rng.gamma(q, 1 / g, n)
    x = rng.integers(1, 8, n).astype(float)
    m = rng.gamma(p * x, 1 / (x * nu))  # the mean of x purchases
    fit = fit_gamma_gamma(x, m)
    assert fit.log_cov is not None
    z = (np.log(fit.params) - np.log([p, q, g])) / np.sqrt(np.diag(fit.log_cov))
    assert np.all(np.abs(z) < 3.5), f"seed {seed}: params {fit.params}"


def test_rfm_hand_worked(engine: str, to_engine: Any) -> None:
    tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b", "c"],
                       "status": ["won", "won", "won", "won", "lost", "won"],
                       "amount": [10.0, 20.0, 30.0, 5.0, 99.0, 7.0],
                       "closed_at": pd.to_datetime(["2024-01-01 00:00", "2024-01-01 18:00", "2024-01-11 00:00", "2024-01-05 00:00",
                                                    "2024-01-08 00:00", "2024-01-21 00:00"])})
    got = rfm(to_engine(tx), time="closed_at", as_of="2024-01-31")
    # a: days 0 (30.0 together) and 10 → one repeat worth 30; T = 30; b's lost deal does not count
    assert got.values.tolist() == [["a", 1, 10.0, 30.0, 30.0], ["b", 0, 0.0, 26.0, 0.0],
                                   ["c", 0, 0.0, 10.0, 0.0]]


def test_repeat_purchase_clv_by_segment() -> None:
    seed = 9
    rng = np.random.default_rng(seed)
    n = 800
    x, tx, _, _ = simulate_bgnbd(rng, n, r=0.5, alpha=20.0, a=0.9, b=4.0, T=300.0)
    rows = []
    start = pd.Timestamp("2024-01-01")
    for i in range(n):
        between = rng.uniform(0, tx[i], max(int(x[i]) - 1, 0)).tolist()
        days = [0.0, *sorted(between + ([tx[i]] if x[i] > 0 else []))]
        for d in days:
            rows.append((f"c{i}", start + pd.Timedelta(days=float(np.floor(d))), float(rng.gamma(5.0, 10.0))))
    orders = pd.DataFrame(rows, columns=["customer_id", "closed_at", "amount"])
    customers = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "acquired_at": start,
                              "fan": np.arange(n) % 2 == 0})
    v = rk.customer_lifetime_value(customers, by="fan", landmark_days=0, transactions=orders,
                                   horizon_months=6, as_of=start + pd.Timedelta(days=300))
    f = v.to_frame().set_index("group")
    assert list(f.columns[:3]) == ["customers", "expected_purchases", "expected_purchases_se"]
    assert f["customers"].sum() == orders["customer_id"].nunique()
    assert (f["clv_low"] < f["clv"]).all() and (f["clv"] < f["clv_high"]).all()
    # CLV = mean of per-customer purchases × spend; spend per purchase near the planted 50
    assert f["revenue_per_purchase"].between(40, 60).all()
    d = v.differences().iloc[0]
    assert d["ci_low"] < 0 < d["ci_high"], "fans were drawn at random: no difference expected"
    assert "expected purchases" in v.summary() and "BG/NBD" in v.summary()
