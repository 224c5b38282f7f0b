"""Do roi_kit's 95% intervals cover the planted truths? Coverage per effect over many seeds.

For each seed the sample generator plants known effects (``truth.retention_diff``,
``rmst_diff_365``, ``upsell_share_diff_365``, ``upsell_revenue_diff_365``, ``deal_size_diff``,
``median_close_days``) and roi_kit estimates them with the default landmark definition and the
propensity adjustment on company size, industry, region and acquisition channel. The script prints,
per effect, the share of seeds whose adjusted 95% interval covers the truth (goal: >= 90% over 40
seeds), the mean estimate minus truth (bias) and the mean interval width; and, for contrast, the
coverage of the naive (unadjusted) interval.

Run: ``python scripts/validate_coverage.py [--seeds 40] [--n 5000] [--confounding 1.0] [--quick]``.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--n", type=int, default=5000, help="customers per sample")
    parser.add_argument("--confounding", type=float, default=1.0)
    parser.add_argument("--business", default="saas", choices=["saas", "dtc"])
    parser.add_argument("--quick", action="store_true", help="5 seeds of 2,000 customers")
    args = parser.parse_args()
    seeds, n = (5, 2000) if args.quick else (args.seeds, args.n)
    t = time.perf_counter()
    results = run(seeds, n, args.confounding, args.business)
    table = report(results)
    pd.set_option("display.width", 160)
    print(f"{seeds} seeds x {n:,} customers ({args.business}, confounding={args.confounding}), "
          f"{time.perf_counter() - t:.0f} s\n")
    print(table.to_string(float_format=lambda v: f"{v:,.4g}"))


if __name__ == "__main__":
    main()
