"""Measurements behind the MMM engine choice (docs/incrementality.md, "MMM: engine decision").

Not part of roi_kit: a prototype of the light in-house estimator (geometric adstock + exponential
saturation per channel, trend + yearly Fourier terms; non-linear parameters by
``scipy.optimize.least_squares`` with the linear ones profiled out by bounded least squares;
moving-block residual bootstrap for intervals), timed on 104 weeks x 6 paid channels + organic
social with a planted truth, and its recovery of the planted ROI over several seeds.

PyMC-Marketing is timed by a separate script in its own virtual environment (it is not in the
lock): see the docs for the commands and figures.

Usage: .venv/bin/python benchmarks/mmm_engine_choice.py [--seeds N] [--boot B]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import optimize

CHANNELS = ("paid_social", "search", "display", "video", "email", "affiliates", "organic_social")


def adstock(x: np.ndarray, theta: float) -> np.ndarray:
    out = np.empty_like(x)
    carry = 0.0
    for t, v in enumerate(x):
        carry = v + theta * carry
        out[t] = carry
    return out


def simulate(seed: int, n: int = 104) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(spend weeks x channels, revenue, planted ROI per channel)."""
    rng = np.random.default_rng(seed)
    k = len(CHANNELS)
    x = np.column_stack([rng.gamma(2.0, 2_000 * (i + 1) / 3, n) * (rng.random(n) < 0.85)
                         for i in range(k)])
    t = np.arange(n)
    y = 50_000 + 200 * t + 5_000 * np.sin(2 * np.pi * t / 52)
    roi = np.empty(k)
    for i in range(k):
        theta = 0.2 + 0.1 * (i % 5)
        a = adstock(x[:, i], theta)
        lam = 1.0 / a.mean()
        contrib = 8_000 * (1 + i % 3) * (1 - np.exp(-lam * a))
        roi[i] = contrib.sum() / x[:, i].sum()
        y = y + contrib
    return x, y + rng.normal(0, 2_000, n), roi


def design_base(n: int) -> np.ndarray:
    t = np.arange(n)
    cols = [np.ones(n), t / n]
    for h in (1, 2):
        cols += [np.sin(2 * np.pi * h * t / 52), np.cos(2 * np.pi * h * t / 52)]
    return np.column_stack(cols)


def media(x: np.ndarray, params: np.ndarray) -> np.ndarray:
    k = x.shape[1]
    theta, log_lam = params[:k], params[k:]
    cols = []
    for i in range(k):
        a = adstock(x[:, i], theta[i])
        cols.append(1 - np.exp(-np.exp(log_lam[i]) * a / max(a.mean(), 1e-9)))
    return np.column_stack(cols)


def fit(x: np.ndarray, y: np.ndarray, starts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(non-linear params, linear coefficients) minimising squared error."""
    base = design_base(len(y))
    k = x.shape[1]
    lower = np.r_[np.zeros(k), np.full(k, np.log(0.05))]
    upper = np.r_[np.full(k, 0.9), np.full(k, np.log(20.0))]
    lin_lo = np.r_[np.full(base.shape[1], -np.inf), np.zeros(k)]
    lin_hi = np.full(base.shape[1] + k, np.inf)

    def linear(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = np.hstack([base, media(x, p)])
        scale = np.abs(d).max(axis=0)
        scale[scale == 0] = 1
        sol = optimize.lsq_linear(d / scale, y, bounds=(lin_lo, lin_hi), method="bvls")
        return d, sol.x / scale

    def resid(p: np.ndarray) -> np.ndarray:
        d, coef = linear(p)
        return np.asarray(d @ coef - y)

    best = None
    for p0 in starts:
        res = optimize.least_squares(resid, p0, bounds=(lower, upper), x_scale="jac", max_nfev=200)
        if best is None or res.cost < best.cost:
            best = res
    assert best is not None
    return best.x, linear(best.x)[1]


def roi_of(x: np.ndarray, p: np.ndarray, coef: np.ndarray) -> np.ndarray:
    k = x.shape[1]
    contrib = media(x, p) * coef[-k:]
    return np.asarray(contrib.sum(axis=0) / x.sum(axis=0))


def run(seed: int, n_boot: int, block: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    x, y, truth = simulate(seed)
    k = x.shape[1]
    t0 = time.time()
    starts = [np.r_[np.full(k, th), np.full(k, ll)] for th, ll in ((0.3, 0.0), (0.6, 1.0), (0.1, -1.0))]
    p, coef = fit(x, y, starts)
    fitted = np.hstack([design_base(len(y)), media(x, p)]) @ coef
    resid = y - fitted
    rng = np.random.default_rng(seed)
    rois = []
    n = len(y)
    for _ in range(n_boot):
        idx = np.concatenate([np.arange(s, s + block) % n
                              for s in rng.integers(0, n, n // block + 1)])[:n]
        yb = fitted + resid[idx] - resid[idx].mean()
        pb, cb = fit(x, yb, [p])
        rois.append(roi_of(x, pb, cb))
    secs = time.time() - t0
    boot = np.array(rois)
    lo, hi = np.quantile(boot, [0.05, 0.95], axis=0)
    return roi_of(x, p, coef), np.vstack([lo, hi]), truth, secs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--boot", type=int, default=100)
    args = ap.parse_args()
    inside = np.zeros(len(CHANNELS))
    for seed in range(args.seeds):
        est, ci, truth, secs = run(seed, args.boot)
        hit = (ci[0] <= truth) & (truth <= ci[1])
        inside += hit
        print(f"seed {seed}: fit + {args.boot} bootstrap refits {secs:.1f} s; planted ROI inside "
              f"the 90% interval for {int(hit.sum())}/{len(CHANNELS)} channels; "
              f"est/true: {np.round(est / truth, 2).tolist()}", flush=True)
    print("share of seeds with the planted ROI inside the 90% interval, per channel:",
          dict(zip(CHANNELS, np.round(inside / args.seeds, 2).tolist())))


if __name__ == "__main__":
    main()
