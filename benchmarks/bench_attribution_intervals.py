"""Attribution intervals benchmark: bootstrap replicates on 1M journeys (~335k distinct paths).

    nice -n 10 python benchmarks/bench_attribution_intervals.py            # 1M journeys, 200 replicates
    nice -n 10 python benchmarks/bench_attribution_intervals.py --quick    # 50k journeys

Journeys come from the planted chain of ``bench_attribution.py`` (10 channels, mean ~4.5
touches). Times ``rk.attribute(paths, model=..., n_boot=B)`` minus the same call with
``n_boot=0`` (the bootstrap's own cost), for Markov order 1 and 2, linear, position-based and
Shapley, and prints the widest share interval. Goal (issue 16): 200 replicates of Markov order 1
under 10 s. Nothing is asserted; the figures are for reading.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="journeys")
    ap.add_argument("--n-boot", type=int, default=200, help="bootstrap replicates")
    ap.add_argument("--quick", action="store_true", help="50k journeys")
    ap.add_argument("--models", default="markov,markov2,linear,position,shapley")
    args = ap.parse_args()
    if args.quick:
        args.n = 50_000

    from bench_attribution import make_paths  # type: ignore[import-not-found]

    from roi_kit.attribution import attribute, read_paths

    t0 = time.perf_counter()
    paths = read_paths(make_paths(args.n))
    print(f"{args.n:,} journeys -> {paths.n_paths:,} distinct paths, "
          f"{paths.total_conversions:,.0f} conversions (generated and read in "
          f"{time.perf_counter() - t0:.1f} s); {args.n_boot} replicates")
    print(f"{'model':<12}{'point s':>9}{'with CI s':>11}{'bootstrap s':>13}  widest share interval")
    for name in args.models.split(","):
        model, order = ("markov", 2) if name == "markov2" else (name, 1)
        t0 = time.perf_counter()
        attribute(paths, model=model, order=order, n_boot=0)
        point = time.perf_counter() - t0
        t0 = time.perf_counter()
        res = attribute(paths, model=model, order=order, n_boot=args.n_boot, seed=1)
        total = time.perf_counter() - t0
        t = res.to_frame()
        width = t["share_ci_high"] - t["share_ci_low"]
        i = int(width.idxmax())
        print(f"{name:<12}{point:>9.2f}{total:>11.2f}{total - point:>13.2f}  {t.loc[i, 'channel']}: "
              f"{t.loc[i, 'share']:.4f} ({t.loc[i, 'share_ci_low']:.4f} to {t.loc[i, 'share_ci_high']:.4f})",
              flush=True)


if __name__ == "__main__":
    main()
