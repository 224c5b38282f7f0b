"""Coverage of the planted channel ROAS by ``rk.fit_mmm``'s posterior intervals.

For each seed: generate 104 weeks x 6 paid channels + organic social with a planted truth
(``rk.datasets.generate_media_weekly``), fit ``rk.fit_mmm`` with its defaults (and the planted
organic cost), and check whether each planted ROAS lies inside the 50 / 80 / 90 / 95 %
equal-tailed posterior intervals. ROI % = (ROAS − 1) × 100 for a known cost, so its coverage is
the same. (Dividing by the known organic cost instead of the post count, as before, rescales
organic social's draws and truth alike: coverage is unchanged.) Prints nominal vs actual coverage overall and per channel (markdown, as in
docs/incrementality.md), the fit times and the largest R-hat.

With ``--lift`` each seed is also refitted with one lift test of its least identified paid
channel (widest 90 % interval relative to its estimate, chosen without looking at the truth):
the planted lift over 8 mid-series weeks (``MediaWeekly.true_lift``) plus Gaussian noise of the
stated standard error (``--lift-se``, a share of the true lift). Prints, per seed and overall,
that channel's interval before and after, whether each covers the truth, the width ratio, and
coverage of all planted ROAS by the calibrated fits.

Usage (about a minute per seed on a loaded 2-core machine; twice that with ``--lift``):

    nice -n 10 .venv/bin/python scripts/mmm_coverage.py --seeds 20
    nice -n 10 .venv/bin/python scripts/mmm_coverage.py --seeds 10 --lift
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import roi_kit as rk
from roi_kit.datasets.media import MEDIA_CHANNELS, ORGANIC

LEVELS = (0.5, 0.8, 0.9, 0.95)


def fit(m: rk.datasets.MediaWeekly, seed: int, lift_tests: list | None = None
        ) -> tuple[rk.MmmResult, float]:
    start = time.perf_counter()
    r = rk.fit_mmm(m.frame, channels=list(MEDIA_CHANNELS), organic=[ORGANIC],
                   controls=["price_index", "promotion"], organic_cost=m.truth.organic_cost,
                   seed=seed, lift_tests=lift_tests)
    return r, time.perf_counter() - start


def one_seed(seed: int, weeks: int) -> tuple[np.ndarray, float, float, np.ndarray]:
    """(inside: levels x channels bool, seconds, largest R-hat, median estimate / truth)."""
    m = rk.datasets.generate_media_weekly(seed=seed, weeks=weeks)
    r, secs = fit(m, seed)
    inside, ratio = _inside(m, r)
    return inside, secs, float(r.rhat.max()), ratio


def lift_seed(seed: int, weeks: int, se_share: float) -> dict[str, float | str | bool]:
    """Fit without and with a lift test of the least identified paid channel; one row."""
    m = rk.datasets.generate_media_weekly(seed=seed, weeks=weeks)
    before, t0 = fit(m, seed)
    table = before.roi()
    paid = table[table["channel"] != ORGANIC]
    rel = (paid["roas_high"] - paid["roas_low"]) / paid["roas"]
    channel = str(paid.loc[rel.idxmax(), "channel"])
    start, end = m.frame["week"].iloc[weeks // 2], m.frame["week"].iloc[weeks // 2 + 7]
    true = m.true_lift(channel, start, end)
    measured = true + np.random.default_rng(seed).normal(0, se_share * true)
    test = rk.LiftMeasurement(channel, start, end, incremental=measured, se=se_share * true)
    after, t1 = fit(m, seed, [test])
    truth = m.truth.roas_of(channel)
    b = table.set_index("channel").loc[channel]
    a = after.roi().set_index("channel").loc[channel]
    inside_all, _ = _inside(m, after)
    return {"seed": seed, "channel": channel, "truth": truth, "before_low": b.roas_low,
            "before_high": b.roas_high, "after_low": a.roas_low, "after_high": a.roas_high,
            "covered_before": bool(b.roas_low <= truth <= b.roas_high),
            "covered_after": bool(a.roas_low <= truth <= a.roas_high),
            "width_ratio": (a.roas_high - a.roas_low) / (b.roas_high - b.roas_low),
            "all_inside_after": int(inside_all[2].sum()), "seconds_before": t0,
            "seconds_after": t1, "rhat_after": float(after.rhat.max())}


def lift_main(seeds: range, weeks: int, se_share: float) -> None:
    rows = []
    for seed in seeds:
        row = lift_seed(seed, weeks, se_share)
        rows.append(row)
        print(f"seed {seed}: {row['channel']} truth {row['truth']:.2f}; 90% interval "
              f"{row['before_low']:.2f}-{row['before_high']:.2f} -> {row['after_low']:.2f}-"
              f"{row['after_high']:.2f} (width x{row['width_ratio']:.2f}), covers "
              f"{row['covered_before']} -> {row['covered_after']}; all channels inside after "
              f"{row['all_inside_after']}/7; fits {row['seconds_before']:.0f} s / "
              f"{row['seconds_after']:.0f} s; R-hat {row['rhat_after']:.3f}", flush=True)
    n = len(rows)
    ratio = np.array([r["width_ratio"] for r in rows], float)
    print(f"\n{n} seeds, lift test se = {100 * se_share:.0f}% of the true lift, 8 weeks:")
    print(f"calibrated channel inside its 90% interval: before "
          f"{sum(bool(r['covered_before']) for r in rows)}/{n}, after "
          f"{sum(bool(r['covered_after']) for r in rows)}/{n}")
    print(f"interval width after / before: median {np.median(ratio):.2f} (range "
          f"{ratio.min():.2f}-{ratio.max():.2f})")
    inside = sum(int(r["all_inside_after"]) for r in rows)
    print(f"all planted ROAS inside the calibrated fits' 90% intervals: {inside}/{7 * n}; "
          f"largest R-hat {max(float(r['rhat_after']) for r in rows):.3f}; calibrated fit "
          f"{np.median([float(r['seconds_after']) for r in rows]):.0f} s median")


def _inside(m: rk.datasets.MediaWeekly, r: rk.MmmResult) -> tuple[np.ndarray, np.ndarray]:
    truth = np.array([m.truth.roas_of(c) for c in r.channels])
    draws = r.roas_draws
    inside = np.empty((len(LEVELS), len(truth)), bool)
    for i, level in enumerate(LEVELS):
        lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2], axis=0)
        inside[i] = (lo <= truth) & (truth <= hi)
    return inside, np.median(draws, axis=0) / truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--lift", action="store_true", help="also refit with one lift test per seed")
    ap.add_argument("--lift-se", type=float, default=0.1,
                    help="the lift test's standard error as a share of the true lift")
    args = ap.parse_args()
    if args.lift:
        lift_main(range(args.first, args.first + args.seeds), args.weeks, args.lift_se)
        return
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
    print(f"\n{h.shape[0]} seeds x {len(names)} channels = {n} planted ROAS; fit "
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
