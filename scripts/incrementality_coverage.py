"""Measure how often lift-test intervals cover the planted truth (the figures in
docs/incrementality.md). Run: .venv/bin/python scripts/incrementality_coverage.py [--quick]"""

from __future__ import annotations

import sys
import time

import numpy as np

import roi_kit as rk
from roi_kit.incrementality import simulate_geo_test
from roi_kit.incrementality._holdout import holdout_stats, revenue_stats


def holdout(n_sims: int) -> None:
    print("| scenario (test / control users, control rate, lift) | incremental conversions | lift |")
    print("|---|---|---|")
    for i, (n_t, n_c, p_c, lift) in enumerate([(18_000, 2_000, 0.03, 0.2), (5_000, 5_000, 0.01, 0.3),
                                               (90_000, 10_000, 0.005, 0.1), (800, 200, 0.2, 0.15)]):
        rng = np.random.default_rng(100 + i)
        p_t = p_c * (1 + lift)
        s = holdout_stats(rng.binomial(n_t, p_t, n_sims), np.full(n_sims, n_t),
                          rng.binomial(n_c, p_c, n_sims), np.full(n_sims, n_c))
        inc = n_t * (p_t - p_c)
        c1 = np.mean((n_t * s.diff_low <= inc) & (inc <= n_t * s.diff_high))
        c2 = np.mean((s.lift_low <= lift) & (lift <= s.lift_high))
        print(f"| {n_t:,} / {n_c:,}, {p_c:.1%}, +{lift:.0%} | {c1:.3f} | {c2:.3f} |")


def revenue(n_sims: int) -> None:
    rng = np.random.default_rng(7)
    n_t, n_c, p_c, lift, value = 1600, 400, 0.08, 0.25, 80.0
    hits = 0
    for _ in range(n_sims // 500):
        ct = rng.random((500, n_t)) < p_c * (1 + lift)
        cc = rng.random((500, n_c)) < p_c
        st = rng.lognormal(np.log(value) - 0.32, 0.8, (500, n_t)) * ct
        sc = rng.lognormal(np.log(value) - 0.32, 0.8, (500, n_c)) * cc
        _, lo, hi = revenue_stats(st.sum(1), (st**2).sum(1), np.full(500, n_t),
                                  sc.sum(1), (sc**2).sum(1), np.full(500, n_c))
        truth = n_t * p_c * lift * value
        hits += int(np.sum((lo <= truth) & (truth <= hi)))
    print(f"incremental revenue (1,600 / 400 users, 8%, +25%, log-normal order values): "
          f"{hits / (n_sims // 500 * 500):.3f} over {n_sims // 500 * 500:,} experiments")


def geo(n_sims: int, alpha: float, **kw: float) -> None:
    t0 = time.time()
    hits, rejections = 0, 0
    for s in range(n_sims):
        g = simulate_geo_test(seed=5000 + s, **kw)  # type: ignore[arg-type]
        r = rk.lift_test(g.panel, treated=g.treated, test_start=g.test_start, alpha=alpha,
                         n_placebos=100)
        _, lo, hi = r.interval("incremental_revenue")
        hits += lo <= g.true_incremental <= hi
        rejections += r.p_value <= alpha
    print(f"geo {kw}: {1 - alpha:.0%} interval coverage {hits / n_sims:.3f}, "
          f"rejection rate {rejections / n_sims:.3f} over {n_sims} tests "
          f"({(time.time() - t0) / n_sims:.2f} s per readout)")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    holdout(4_000 if quick else 40_000)
    revenue(1_000 if quick else 10_000)
    n = 20 if quick else 200
    geo(n, 0.1, n_markets=30, n_treated=1, pre_weeks=52, test_weeks=6, lift=0.1)
    geo(n, 0.1, n_markets=30, n_treated=5, pre_weeks=52, test_weeks=8, lift=0.1)
    geo(n, 0.05, n_markets=40, n_treated=1, pre_weeks=52, test_weeks=6, lift=0.0)
