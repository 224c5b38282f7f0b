"""Re-segmentation speed: change the follower definition, recompute every comparison.

A widget that lets a manager pick platforms, engagement thresholds or the landmark day must answer
instantly. roi_kit prepares the definition-independent arrays once (joins, durations, deal
aggregates, covariate patterns) and then recomputes all four comparisons — naive and adjusted,
with the propensity model, balance table, Kaplan–Meier curves, log-rank tests, bootstrap and rank
test — per definition. Goal: under 150 ms per definition on 1M customers.

The data are the seeded sample (``rk.datasets.generate``) replicated to the requested size with
fresh ids, so the distributions are realistic. The reference column recomputes from scratch
(``rk.compare_segments``: engine joins + everything), which is what an uncached widget would do.

The "before" columns run the same loop, in a fresh process, on roi_kit as it was at a git
revision (``--before REV``, default the last commit before the cell-sum fast path; ``none``
skips it). CPU is process time (all threads); wall is best and median of ``--repeats``.

Run: ``python benchmarks/bench_segments.py [--n 1000000] [--quick] [--before REV|none]``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import roi_kit as rk

DEFINITIONS = {
    "any platform, day 90": rk.FollowerDefinition(),
    "linkedin only": rk.FollowerDefinition(platforms=("linkedin",)),
    ">= 3 engagements": rk.FollowerDefinition(min_engagements=3),
    "engaged last 180 days": rk.FollowerDefinition(engaged_within_days=180),
    "landmark day 60": rk.FollowerDefinition(landmark_days=60),
    "followed before 2025": rk.FollowerDefinition(followed_before="2025-01-01"),
}


def build(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sample data replicated to ``n`` customers (ids suffixed per copy)."""
    base_n = min(n, 50_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = rk.datasets.generate(seed=seed, n_customers=base_n)
    copies = int(np.ceil(n / base_n))

    def tile(frame: pd.DataFrame, id_cols: tuple[str, ...]) -> pd.DataFrame:
        parts = []
        for k in range(copies):
            part = frame.copy()
            for c in id_cols:
                if c in part:
                    part[c] = part[c].where(part[c].isna(), part[c].astype(str) + f"-{k}")
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    customers = tile(s.customers, ("customer_id", "email", "handle")).iloc[:n].reset_index(drop=True)
    deals = tile(s.deals, ("deal_id", "customer_id"))
    audience = tile(s.social_audience, ("customer_id", "email", "handle"))
    return customers, deals, audience


BASELINE = "3ba8f65"  # the last commit before the cell-sum fast path (see docs/followers.md)


def _prepare(customers: Any, deals: Any, **kw: Any) -> Any:
    """The population read once (``rk.prepare_comparison`` in revisions before issue 14)."""
    prepare = getattr(rk, "prepare_population", None) or rk.prepare_comparison  # type: ignore[attr-defined]
    return prepare(customers, deals, **kw)


def _compare(data: Any, definition: Any, **kw: Any) -> Any:
    """The fast path: ``population.compare`` (``rk.compare_prepared`` before issue 14)."""
    if hasattr(data, "compare"):
        return data.compare(definition, **kw)
    return rk.compare_prepared(data, definition, **kw)  # type: ignore[attr-defined]


def measure(n: int, repeats: int) -> dict[str, Any]:
    """Time every definition with the roi_kit importable here; returns the figures."""
    t = time.perf_counter()
    customers, deals, audience = build(n)
    built = time.perf_counter() - t
    t = time.perf_counter()
    data = _prepare(customers, deals, audience=audience,
                    covariates=["company_size", "industry", "region", "acquisition_channel"])
    prep = time.perf_counter() - t
    # first call fills the rank caches, like the first render of a widget
    t = time.perf_counter()
    _compare(data, rk.FollowerDefinition(), n_boot=2000)
    warm = time.perf_counter() - t
    for defn in DEFINITIONS.values():  # every landmark used below has its population cached
        _compare(data, defn, n_boot=2000)
    t, c = time.perf_counter(), time.process_time()
    _compare(data, rk.FollowerDefinition(landmark_days=45), n_boot=2000)
    cold = (time.perf_counter() - t, time.process_time() - c)
    rows = []
    for name, defn in DEFINITIONS.items():
        times, cpu = [], []
        for _ in range(repeats):
            t, c = time.perf_counter(), time.process_time()
            cmp = _compare(data, defn, n_boot=2000)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        rows.append({"name": name, "followers": cmp.n_followers, "best": min(times) * 1000,
                     "median": float(np.median(times)) * 1000, "cpu": float(np.median(cpu)) * 1000})
    t = time.perf_counter()
    rk.compare_segments(customers, deals, audience=audience, by=rk.FollowerDefinition(), n_boot=2000)
    scratch = time.perf_counter() - t
    return {"n": len(customers), "deals": len(deals), "audience": len(audience), "built": built,
            "prep": prep, "warm": warm, "cold": cold, "scratch": scratch, "rows": rows,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "load": os.getloadavg()[0]}


def measure_revision(rev: str, n: int, repeats: int) -> dict[str, Any]:
    """Run this benchmark on roi_kit as it was at git revision ``rev`` (a fresh process)."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(root), "archive", rev, "roi_kit"],
                                 check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": tmp}
        out = subprocess.run([sys.executable, __file__, "--n", str(n), "--repeats", str(repeats),
                              "--json", "--before", "none"], check=True, capture_output=True,
                             text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="customers (default 1M)")
    parser.add_argument("--quick", action="store_true", help="20k customers")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--before", default=BASELINE,
                        help=f"git revision to time as 'before' (default {BASELINE}; 'none' skips)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    n = 20_000 if args.quick else args.n
    if args.json:
        print(json.dumps(measure(n, args.repeats)))
        return
    after = measure(n, args.repeats)
    before = None if args.before == "none" else measure_revision(args.before, n, args.repeats)
    print(f"data: {after['n']:,} customers, {after['deals']:,} deals, {after['audience']:,} audience rows "
          f"(built in {after['built']:.1f} s)")
    runs = [("after", after)] + ([(f"before ({args.before})", before)] if before else [])
    for label, r in runs:
        print(f"\n[{label}] prepare once (engine joins, durations, deal aggregates, covariate patterns): "
              f"{r['prep'] * 1000:,.0f} ms; first comparison (fills rank caches): {r['warm'] * 1000:,.0f} ms; "
              f"a new landmark day (fills its cache): {r['cold'][0] * 1000:,.0f} ms wall, "
              f"{r['cold'][1] * 1000:,.0f} ms CPU; from scratch (rk.compare_segments): "
              f"{r['scratch'] * 1000:,.0f} ms")
    head = f"{'definition':<24}{'followers':>11}{'best ms':>9}{'median':>8}{'cpu ms':>8}"
    if before:
        head += f"{'| before best':>14}{'median':>8}{'cpu ms':>8}{'| cpu ratio':>11}"
    print(f"\nper definition, best and median wall of {args.repeats} and median CPU (process time):")
    print(head)
    for i, row in enumerate(after["rows"]):
        line = (f"{row['name']:<24}{row['followers']:>11,}{row['best']:>9.1f}{row['median']:>8.1f}"
                f"{row['cpu']:>8.1f}")
        if before:
            b = before["rows"][i]
            line += f"{'| ':>6}{b['best']:>8.1f}{b['median']:>8.1f}{b['cpu']:>8.1f}{'| ':>5}{b['cpu'] / row['cpu']:>5.1f}x"
        print(line)
    for label, r in runs:
        worst_cpu = max(x["cpu"] for x in r["rows"])
        worst_best = max(x["best"] for x in r["rows"])
        print(f"[{label}] worst median CPU {worst_cpu:.1f} ms, worst best-of-{args.repeats} wall "
              f"{worst_best:.1f} ms (goal < 150 ms: {'met' if max(worst_cpu, worst_best) < 150 else 'NOT met'}); "
              f"peak RSS {r['peak_mb']:,.0f} MB; load average {r['load']:.1f} on {os.cpu_count()} cores")
    print("CPU time counts every thread of the process (BLAS worker threads included); wall times "
          "stretch when other work shares the cores.")


if __name__ == "__main__":
    main()
