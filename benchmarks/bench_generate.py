"""Time roi_kit.datasets.generate at scale (default: 1M customers, ~10M touchpoints).

Run:  python benchmarks/bench_generate.py [--n 1000000] [--business saas] [--quick]

Prints wall time, CPU time, peak memory and rows per table. There is no peer library that
simulates these tables, so the reference line is the floor of simply materialising the same
touchpoint rows with numpy + pandas (random codes and times, no simulation). Not a timed test.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd


def _floor(n_rows: int) -> float:
    """Time to build a frame of n_rows random rows with the touchpoints' column types."""
    t = time.perf_counter()
    rng = np.random.default_rng(0)
    cats = np.array([f"https://www.example.com/p?utm_source=s{i}" for i in range(9000)],
                    dtype=object)
    pd.DataFrame({
        "user_id": pd.array(cats[rng.integers(0, 9000, n_rows)], dtype="str"),
        "timestamp": np.datetime64("2024-01-01", "s") + rng.integers(0, 63_000_000, n_rows).astype(
            "timedelta64[s]"),
        "cost": rng.random(n_rows),
    })
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="customers (default 1M)")
    parser.add_argument("--business", choices=["saas", "dtc"], default="saas")
    parser.add_argument("--quick", action="store_true", help="100k customers")
    args = parser.parse_args()
    n = 100_000 if args.quick else args.n

    from roi_kit.datasets import generate

    wall, cpu = time.perf_counter(), time.process_time()
    sample = generate(seed=0, n_customers=n, business=args.business)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    rows = {k: len(v) for k, v in sample.tables().items()}
    floor = _floor(rows["touchpoints"])
    print(f"generate(n_customers={n:,}, business={args.business!r})")
    print(f"{'what':<34}{'seconds':>10}{'ratio':>8}")
    print(f"{'roi_kit generate (wall)':<34}{wall:>10.1f}{wall / floor:>8.1f}")
    print(f"{'roi_kit generate (CPU, all threads)':<34}{cpu:>10.1f}{cpu / floor:>8.1f}")
    print(f"{'floor: build touchpoint-sized frame':<34}{floor:>10.1f}{1.0:>8.1f}")
    print(f"peak memory: {peak_gb:.1f} GB")
    for k, v in rows.items():
        print(f"  {k:<16}{v:>12,} rows")


if __name__ == "__main__":
    main()
