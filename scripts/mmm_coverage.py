"""Coverage of the planted channel ROIs by ``rk.fit_mmm``'s posterior intervals.

For each seed: generate 104 weeks x 6 paid channels + organic social with a planted truth
(``rk.datasets.generate_media_weekly``), fit ``rk.fit_mmm`` with its defaults, and check whether
each planted ROI (organic social: revenue per post) lies inside the 50 / 80 / 90 / 95 % equal-tailed
posterior intervals. Prints nominal vs actual coverage overall and per channel (markdown, as in
docs/incrementality.md), the fit times and the largest R-hat.

Usage (about a minute per seed on a loaded 2-core machine):

    nice -n 10 .venv/bin/python scripts/mmm_coverage.py --seeds 20
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import roi_kit as rk
from roi_kit.datasets.media import MEDIA_CHANNELS, ORGANIC

LEVELS = (0.5, 0.8, 0.9, 0.95)


def one_seed(seed: int, weeks: int) -> tuple[np.ndarray, float, float, np.ndarray]:
    """(inside: levels x channels bool, seconds, largest R-hat, median estimate / truth)."""
    m = rk.datasets.generate_media_weekly(seed=seed, weeks=weeks)
    start = time.perf_counter()
    r = rk.fit_mmm(m.frame, channels=list(MEDIA_CHANNELS), organic=[ORGANIC],
                   controls=["price_index", "promotion"], seed=seed)
    secs = time.perf_counter() - start
    truth = np.array([m.truth.roi_of(c) for c in r.channels])
    draws = r.roi_draws
    inside = np.empty((len(LEVELS), len(truth)), bool)
    for i, level in enumerate(LEVELS):
        lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2], axis=0)
        inside[i] = (lo <= truth) & (truth <= hi)
    return inside, secs, float(r.rhat.max()), np.median(draws, axis=0) / truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--weeks", type=int, default=104)
    args = ap.parse_args()
    names = (*MEDIA_CHANNELS, ORGANIC)
    hits, times, rhats, ratios = [], [], [], []
    for seed in range(args.first, args.first + args.seeds):
        inside, secs, rhat, ratio = one_seed(seed, args.weeks)
        hits.append(inside)
        times.append(secs)
        rhats.append(rhat)
        ratios.append(ratio)
        print(f"seed {seed}: {secs:.0f} s, largest R-hat {rhat:.3f}, inside the 90% interval: "
              f"{int(inside[2].sum())}/{len(names)}; estimate/truth "
              f"{np.round(ratio, 2).tolist()}", flush=True)
    h = np.array(hits)  # seeds x levels x channels
    n = h.shape[0] * h.shape[2]
    print(f"\n{h.shape[0]} seeds x {len(names)} channels = {n} planted ROIs; fit "
          f"{np.median(times):.0f} s median ({min(times):.0f}-{max(times):.0f} s); largest "
          f"R-hat {max(rhats):.3f}; median estimate/truth {np.median(np.array(ratios)):.2f}\n")
    print("| nominal | actual (all channels) | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for i, level in enumerate(LEVELS):
        per = h[:, i, :].mean(axis=0)
        print(f"| {100 * level:.0f}% | {100 * h[:, i, :].mean():.0f}% "
              f"({int(h[:, i, :].sum())}/{n}) | "
              + " | ".join(f"{100 * p:.0f}%" for p in per) + " |")


if __name__ == "__main__":
    main()
