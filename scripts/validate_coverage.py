"""Do roi_kit's 95% intervals cover the planted truths? Coverage per effect over many seeds.

For each seed the sample generator plants known effects (``truth.retention_diff``,
``rmst_diff_365``, ``upsell_share_diff_365``, ``upsell_revenue_diff_365``, ``deal_size_diff``,
``median_close_days``) and roi_kit estimates them with the default landmark definition and the
propensity adjustment on company size, industry, region and acquisition channel. The script prints,
per effect, the share of seeds whose adjusted 95% interval covers the truth (goal: >= 90% over 40
seeds), the mean estimate minus truth (bias) and the mean interval width; and, for contrast, the
coverage of the naive (unadjusted) interval.

Two more checks (``--what attribution`` / ``--what rates``, or ``--what all``):

* **attribution shares** — journeys walked through a planted first-order chain (4 channels);
  the truth is each channel's removal-effect share computed exactly from the planted matrix;
  coverage of ``rk.attribute(model="markov")``'s bootstrap share interval, with a binomial
  (Wilson) interval on the share beside it;
* **rates on overdispersed posts** — posts whose click rates vary (Beta with mean 2 % and
  concentration ``phi``; impressions log-normal); the truth is the mean rate; coverage of
  ``rk.rates``' cluster-robust CTR interval, with Wilson's (impressions as independent trials)
  beside it.

* **value of social** (``--what value``) — the planted total: the generator's per-follower truths
  (``rmst_diff_365`` plus a quarter day of ``retention_diff[365]`` to reach 12 × 30.4375 days, times
  revenue per account; ``upsell_revenue_diff_365`` scaled to 365.25 days; ``deal_size_diff``) times
  the sample's counts; coverage of ``rk.value_of_social``'s joint bootstrap interval, with the
  delta-method interval that treats the components as independent beside it.

Run: ``python scripts/validate_coverage.py [--what followers|attribution|rates|value|all] [--seeds 40]
[--n 5000] [--confounding 1.0] [--quick]``.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import roi_kit as rk
from roi_kit.aggregates import wilson_interval

Getter = Callable[[rk.SegmentComparison, str], tuple[float | None, float | None, float | None]]


def _effect(measure: str) -> Getter:
    def get(cmp: rk.SegmentComparison, method: str) -> tuple[float | None, float | None, float | None]:
        f = cmp.to_frame().set_index(["measure", "method"])
        row = f.loc[(measure, method)]
        vals = [row["difference"], row["ci_low"], row["ci_high"]]
        return tuple(None if pd.isna(v) else float(v) for v in vals)  # type: ignore[return-value]
    return get


def _median(group: str) -> Getter:
    def get(cmp: rk.SegmentComparison, method: str) -> tuple[float | None, float | None, float | None]:
        assert cmp.time_to_close is not None
        return cmp.time_to_close.medians[(method, group)]
    return get


EFFECTS: dict[str, tuple[Getter, Callable[[Any], float]]] = {
    "retention_diff[90]": (_effect("retention at 90 days"), lambda t: t.retention_diff[90]),
    "retention_diff[180]": (_effect("retention at 180 days"), lambda t: t.retention_diff[180]),
    "retention_diff[365]": (_effect("retention at 365 days"), lambda t: t.retention_diff[365]),
    "rmst_diff_365": (_effect("mean days active within 365 days"), lambda t: t.rmst_diff_365),
    "upsell_share_diff_365": (_effect("upsell share"), lambda t: t.upsell_share_diff_365),
    "upsell_revenue_diff_365": (_effect("upsell revenue per customer"),
                                lambda t: t.upsell_revenue_diff_365),
    "deal_size_diff": (_effect("mean won new deal"), lambda t: t.deal_size_diff),
    "median_close_days[followers]": (_median("followers"), lambda t: t.median_close_days["followers"]),
    "median_close_days[non_followers]": (_median("non-followers"),
                                         lambda t: t.median_close_days["non_followers"]),
    "median_close_days_diff": (_effect("median days to close"),
                               lambda t: t.median_close_days["followers"] - t.median_close_days["non_followers"]),
}


def run(seeds: int, n: int, confounding: float, business: str) -> pd.DataFrame:
    """One row per (seed, effect, method): estimate, interval, truth, covered."""
    rows = []
    for seed in range(seeds):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = rk.datasets.generate(seed=seed, n_customers=n, business=business,  # type: ignore[arg-type]
                                     confounding=confounding)
        cmp = rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                                  by=rk.FollowerDefinition(), n_boot=1000, seed=seed)
        for name, (get, truth_of) in EFFECTS.items():
            truth = float(truth_of(s.truth))
            for method in ("adjusted", "naive"):
                est, lo, hi = get(cmp, method)
                covered = lo is not None and hi is not None and lo <= truth <= hi
                rows.append({"seed": seed, "effect": name, "method": method, "truth": truth,
                             "estimate": est, "ci_low": lo, "ci_high": hi, "covered": covered})
    return pd.DataFrame(rows)


def report(results: pd.DataFrame, goal: float = 0.9) -> pd.DataFrame:
    """Coverage, bias and width per effect (adjusted), with the naive coverage beside it."""
    r = results.assign(error=results["estimate"] - results["truth"],
                       width=results["ci_high"] - results["ci_low"])
    adj = r[r["method"] == "adjusted"].groupby("effect", sort=False).agg(
        coverage=("covered", "mean"), bias=("error", "mean"), mean_width=("width", "mean"),
        mean_truth=("truth", "mean"))
    naive = r[r["method"] == "naive"].groupby("effect", sort=False)["covered"].mean()
    adj["naive_coverage"] = naive
    adj["meets_goal"] = np.where(adj["coverage"] >= goal, "yes", "NO")
    return adj


PLANTED = np.array([
    # a     b     c     d     conv  null
    [0.40, 0.30, 0.20, 0.10, 0.00, 0.00],   # (start)
    [0.10, 0.25, 0.15, 0.10, 0.10, 0.30],   # a
    [0.20, 0.05, 0.20, 0.05, 0.15, 0.35],   # b
    [0.15, 0.15, 0.10, 0.10, 0.05, 0.45],   # c
    [0.05, 0.10, 0.10, 0.05, 0.25, 0.45],   # d
])
"""The planted first-order chain of the attribution check (rows sum to 1)."""
CHANNELS = ("a", "b", "c", "d")


def planted_shares(p: np.ndarray = PLANTED) -> np.ndarray:
    """Removal-effect shares of the planted chain, exactly (the Markov model's estimand)."""
    k = p.shape[1] - 2
    q, r = p[:, :k], p[:, k]
    q = np.hstack([np.zeros((k + 1, 1)), q])  # transient states: start, a..d

    def conv(kept: np.ndarray) -> float:
        a = np.eye(k + 1) - q * kept[None, :] * kept[:, None]
        return float(np.linalg.solve(a, r * kept)[0])

    base = conv(np.ones(k + 1))
    re = np.array([1 - conv(np.r_[1.0, np.arange(k) != c]) / base for c in range(k)])
    return re / re.sum()


def walk_paths(rng: np.random.Generator, m: int, p: np.ndarray = PLANTED) -> pd.DataFrame:
    """``m`` journeys through the chain ``p``, aggregated to ``path, conversions, nulls``."""
    k = p.shape[1] - 2
    cum = np.cumsum(p, axis=1)
    state = np.minimum((rng.random(m)[:, None] >= cum[0]).sum(axis=1), k - 1)
    seqs: list[list[str]] = [[CHANNELS[s]] for s in state]
    outcome = np.full(m, -1)
    alive = np.arange(m)
    while len(alive):
        nxt = np.minimum((rng.random(len(alive))[:, None] >= cum[state[alive] + 1]).sum(axis=1), k + 1)
        for j, s in zip(alive[nxt < k], nxt[nxt < k]):
            seqs[j].append(CHANNELS[s])
        ended = nxt >= k
        outcome[alive[ended]] = nxt[ended] - k  # 0 conversion, 1 null
        state[alive[~ended]] = nxt[~ended]
        alive = alive[~ended]
    df = pd.DataFrame({"path": [" > ".join(s) for s in seqs], "conv": outcome == 0})
    return df.groupby("path").agg(conversions=("conv", "sum"),
                                  nulls=("conv", lambda x: int((~x).sum()))).reset_index()


def attribution_coverage(seeds: int, journeys: int, n_boot: int = 200, level: float = 0.95) -> pd.DataFrame:
    """Per channel: coverage of the bootstrap share interval and of a Wilson interval on it."""
    truth = planted_shares()
    rows = []
    for seed in range(seeds):
        paths = walk_paths(np.random.default_rng(1000 + seed), journeys)
        t = rk.attribute(paths, model="markov", n_boot=n_boot, seed=seed, ci_level=level).to_frame()
        t = t.set_index("channel").reindex(list(CHANNELS))
        total = float(paths["conversions"].sum())
        wlo, whi = wilson_interval(t["share"].to_numpy() * total, np.full(len(t), total), conf_level=level)
        for i, ch in enumerate(CHANNELS):
            rows.append({"channel": ch, "truth": truth[i], "share": t["share"].iloc[i],
                         "covered": t["share_ci_low"].iloc[i] <= truth[i] <= t["share_ci_high"].iloc[i],
                         "width": t["share_ci_high"].iloc[i] - t["share_ci_low"].iloc[i],
                         "wilson_covered": wlo[i] <= truth[i] <= whi[i], "wilson_width": whi[i] - wlo[i]})
    r = pd.DataFrame(rows)
    out = r.groupby("channel", sort=False).agg(
        truth=("truth", "first"), coverage=("covered", "mean"), wilson_coverage=("wilson_covered", "mean"),
        mean_width=("width", "mean"), wilson_width=("wilson_width", "mean"), bias=("share", "mean"))
    out["bias"] -= out["truth"]
    out.loc["(all)"] = [np.nan, r["covered"].mean(), r["wilson_covered"].mean(), r["width"].mean(),
                        r["wilson_width"].mean(), np.nan]
    out.insert(1, "nominal", level)
    return out


def simulate_posts(rng: np.random.Generator, posts: int, concentration: float,
                   mean: float = 0.02) -> pd.DataFrame:
    """Posts whose click rates vary: rate ~ Beta(mean, concentration), impressions log-normal."""
    impressions = np.maximum(rng.lognormal(np.log(3000), 1.0, posts).round(), 50).astype(int)
    rate = rng.beta(mean * concentration, (1 - mean) * concentration, posts)
    return pd.DataFrame({"post_id": [f"p{i}" for i in range(posts)], "impressions": impressions,
                         "clicks": rng.binomial(impressions, rate)})


def rates_coverage(seeds: int, posts: int, concentration: float, mean: float = 0.02,
                   level: float = 0.95) -> pd.DataFrame:
    """Coverage of the mean CTR by rk.rates' cluster-robust interval and by Wilson's."""
    rows = []
    for seed in range(seeds):
        frame = simulate_posts(np.random.default_rng(seed), posts, concentration, mean)
        ours = rk.rates(frame, conf_level=level).to_frame().set_index("metric").loc["ctr"]
        wil = rk.rates(frame, conf_level=level, cluster=None).to_frame().set_index("metric").loc["ctr"]
        rows.append({"covered": ours["ci_low"] <= mean <= ours["ci_high"],
                     "wilson_covered": wil["ci_low"] <= mean <= wil["ci_high"],
                     "width": ours["ci_high"] - ours["ci_low"], "wilson_width": wil["ci_high"] - wil["ci_low"]})
    r = pd.DataFrame(rows)
    return pd.DataFrame([{"posts": posts, "concentration": concentration, "nominal": level,
                          "coverage": r["covered"].mean(), "wilson_coverage": r["wilson_covered"].mean(),
                          "mean_width": r["width"].mean(), "wilson_width": r["wilson_width"].mean()}])


def planted_value(value: Any, cmp: rk.SegmentComparison, truth: Any) -> float:
    """The total value the generator planted, with the sample's counts and revenue per account."""
    f = value.to_frame().set_index("component")["count"]
    days = truth.rmst_diff_365 + (12 * rk.followers.DAYS_PER_MONTH - 365) * truth.retention_diff[365]
    retention = days / rk.followers.DAYS_PER_MONTH * value.revenue_per_account_month * f["retention"]
    upsell = truth.upsell_revenue_diff_365 * 12 * rk.followers.DAYS_PER_MONTH / cmp.horizon_days * f["upsell"]
    return float(retention + upsell + truth.deal_size_diff * f["deal_size"])


def value_coverage(seeds: int, n: int, n_boot: int = 1000, confounding: float = 1.0) -> pd.DataFrame:
    """One row per seed: planted total, estimate, joint and independent intervals, covered."""
    rows = []
    for seed in range(seeds):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = rk.datasets.generate(seed=seed, n_customers=n, confounding=confounding)
        cmp = rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                                  by=rk.FollowerDefinition(), n_boot=50, seed=seed)
        v = rk.value_of_social(cmp, months=12, n_boot=n_boot, seed=seed)
        truth = planted_value(v, cmp, s.truth)
        rows.append({"seed": seed, "truth": truth, "estimate": v.total, "joint_low": v.ci_low,
                     "joint_high": v.ci_high, "indep_low": v.independent_low, "indep_high": v.independent_high,
                     "joint_covered": v.ci_low <= truth <= v.ci_high,
                     "indep_covered": v.independent_low <= truth <= v.independent_high})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--n", type=int, default=5000, help="customers per sample")
    parser.add_argument("--confounding", type=float, default=1.0)
    parser.add_argument("--business", default="saas", choices=["saas", "dtc"])
    parser.add_argument("--quick", action="store_true", help="5 seeds of 2,000 customers")
    parser.add_argument("--what", default="followers", choices=["followers", "attribution", "rates", "value", "all"])
    parser.add_argument("--journeys", type=int, default=5000, help="journeys per attribution sample")
    args = parser.parse_args()
    seeds, n = (5, 2000) if args.quick else (args.seeds, args.n)
    pd.set_option("display.width", 160)
    fmt = lambda v: f"{v:,.4g}"  # noqa: E731
    if args.what in ("attribution", "all"):
        t = time.perf_counter()
        table = attribution_coverage(seeds, args.journeys)
        print(f"Attribution (Markov order 1, planted chain), {seeds} seeds x {args.journeys:,} journeys, "
              f"{time.perf_counter() - t:.0f} s\n{table.to_string(float_format=fmt)}\n")
    if args.what in ("rates", "all"):
        t = time.perf_counter()
        table = pd.concat([rates_coverage(seeds, g, phi) for g in (15, 40, 150) for phi in (20.0, 200.0)],
                          ignore_index=True)
        print(f"CTR on overdispersed posts, {seeds} seeds, {time.perf_counter() - t:.0f} s\n"
              f"{table.to_string(float_format=fmt)}\n")
    if args.what in ("value", "all"):
        t = time.perf_counter()
        r = value_coverage(seeds, n, confounding=args.confounding)
        print(f"Value of social (12 months, adjusted), {seeds} seeds x {n:,} customers, "
              f"{time.perf_counter() - t:.0f} s: joint bootstrap covers {r['joint_covered'].mean():.0%}, "
              f"independent delta method {r['indep_covered'].mean():.0%}; mean width "
              f"{(r['joint_high'] - r['joint_low']).mean():,.0f} vs {(r['indep_high'] - r['indep_low']).mean():,.0f}; "
              f"mean estimate - truth {(r['estimate'] - r['truth']).mean():,.0f} (mean truth {r['truth'].mean():,.0f})\n")
    if args.what not in ("followers", "all"):
        return
    t = time.perf_counter()
    results = run(seeds, n, args.confounding, args.business)
    table = report(results)
    print(f"{seeds} seeds x {n:,} customers ({args.business}, confounding={args.confounding}), "
          f"{time.perf_counter() - t:.0f} s\n")
    print(table.to_string(float_format=lambda v: f"{v:,.4g}"))


if __name__ == "__main__":
    main()
