"""Kaplan–Meier + log-rank by segment: roi_kit vs lifelines, side by side in one run.

    python benchmarks/bench_retention.py            # 1M customers
    python benchmarks/bench_retention.py --quick    # 50k customers
    python benchmarks/bench_retention.py --n 200000

lifelines pins pandas < 3, so it runs in .venv-bench-lifelines (created on first use by
benchmarks/setup_bench_lifelines.sh) as a subprocess on the same data (an .npz file). Both sides
fit one KM curve per segment (with log-log Greenwood intervals) and run the log-rank test; the
script prints best-of-3 times (wall clock, and CPU seconds of the process — the steadier figure on
a shared machine), the ratios, peak traced memory, and the largest absolute difference between the
two libraries' curves, interval bounds and χ² statistic.

Also timed, for context (no lifelines equivalent): the same work from a polars frame via the
engine-side ``duration_counts``, and ``rk.retention_curves`` end to end on a customers table with
dates (landmark filter, durations, cohorts, every summary number).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import roi_kit as rk  # noqa: E402
from roi_kit.survival import (  # noqa: E402
    duration_counts,
    kaplan_meier_from_counts,
    logrank_from_counts,
    survival_by_group,
)

CACHE = ROOT / "benchmarks" / ".cache"
LIFELINES_PY = ROOT / ".venv-bench-lifelines" / "bin" / "python"

LIFELINES_SCRIPT = r"""
import json, sys, time, tracemalloc
import numpy as np
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test

data = np.load(sys.argv[1])
d, e, g = data["duration"], data["event"].astype(bool), data["group"]

def work():
    curves = {}
    for lab in (0, 1):
        m = g == lab
        kmf = KaplanMeierFitter().fit(d[m], e[m], alpha=0.05)
        ci = kmf.confidence_interval_survival_function_
        curves[lab] = (kmf.timeline, kmf.survival_function_.iloc[:, 0].to_numpy(),
                       ci.iloc[:, 0].to_numpy(), ci.iloc[:, 1].to_numpy())
    lr = logrank_test(d[g == 0], d[g == 1], e[g == 0], e[g == 1])
    return curves, lr.test_statistic

times, cpus = [], []
for _ in range(int(sys.argv[3])):
    t0, c0 = time.perf_counter(), time.process_time(); curves, stat = work()
    times.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0)
tracemalloc.start(); work(); peak = tracemalloc.get_traced_memory()[1]; tracemalloc.stop()
out = {f"{k}_{lab}": v for lab, c in curves.items() for k, v in zip(("time", "surv", "lo", "hi"), c)}
np.savez(sys.argv[2], **out)
print(json.dumps({"best": min(times), "cpu": min(cpus), "peak": peak, "stat": float(stat)}))
"""


def make_data(n: int, seed: int = 2024) -> dict[str, np.ndarray]:
    """1M-style customers: 30% followers with a lower churn hazard, integer days, censoring."""
    rng = np.random.default_rng(seed)
    g = (rng.random(n) < 0.3).astype(np.int64)
    life = np.ceil(rng.exponential(420 * np.where(g == 1, 1.35, 1.0))).astype(np.int64)
    follow = rng.integers(1, 730, n)
    return {"duration": np.minimum(life, follow), "event": life <= follow, "group": g}


CPU: dict[str, float] = {}


def best_of(fn: Callable[[], Any], repeat: int, label: str = "") -> tuple[float, Any]:
    """Best wall time and the last result; the best CPU time goes to ``CPU[label]``."""
    times, cpus, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    CPU[label] = min(cpus)
    return min(times), out


def peak_memory(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def roi_kit_arrays(data: dict[str, np.ndarray]) -> tuple[dict[int, Any], float]:
    curves, test = survival_by_group(data["duration"], data["event"], data["group"])
    assert test is not None
    return curves, test.statistic


def roi_kit_counts(frame: Any) -> tuple[dict[Any, Any], float]:
    counts = duration_counts(frame, duration="duration", event="event", group="group")
    curves = {lab: kaplan_meier_from_counts(c) for lab, c in counts.groupby("group")}
    return curves, logrank_from_counts(counts).statistic


def customers_table(data: dict[str, np.ndarray], seed: int = 7) -> pd.DataFrame:
    """The same lifetimes as a customers table with dates (landmark 0 keeps everyone)."""
    rng = np.random.default_rng(seed)
    n = data["duration"].size
    acquired = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    end = acquired + pd.to_timedelta(data["duration"], unit="D")
    return pd.DataFrame({
        "customer_id": np.arange(n), "acquired_at": acquired,
        "churned_at": pd.Series(end).where(data["event"]),
        "observed_until": end,
        "segment": np.where(data["group"] == 1, "followers", "non-followers"),
    })


def ensure_lifelines() -> bool:
    if not LIFELINES_PY.exists():
        print("creating .venv-bench-lifelines (first run) ...", flush=True)
        subprocess.run(["bash", str(ROOT / "benchmarks" / "setup_bench_lifelines.sh")], check=False)
    return LIFELINES_PY.exists()


def run_lifelines(data: dict[str, np.ndarray], repeat: int) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    CACHE.mkdir(parents=True, exist_ok=True)
    src, dst = CACHE / "retention_input.npz", CACHE / "retention_lifelines.npz"
    np.savez(src, **data)
    script = CACHE / "lifelines_km.py"
    script.write_text(LIFELINES_SCRIPT)
    proc = subprocess.run([str(LIFELINES_PY), str(script), str(src), str(dst), str(repeat)],
                          capture_output=True, text=True, check=True)
    stats = json.loads(proc.stdout.strip().splitlines()[-1])
    with np.load(dst) as f:
        arrays = {k: f[k] for k in f.files}
    return stats, arrays


def curve_difference(curves: dict[int, Any], ll: dict[str, np.ndarray]) -> float:
    """Largest |difference| of S, CI low and CI high at every time of the roi_kit curves."""
    worst = 0.0
    for lab in (0, 1):
        km = curves[lab]
        idx = np.searchsorted(ll[f"time_{lab}"], km.time)
        assert np.array_equal(ll[f"time_{lab}"][idx], km.time), "time grids differ"
        for mine, theirs in ((km.survival, "surv"), (km.ci_low, "lo"), (km.ci_high, "hi")):
            worst = max(worst, float(np.max(np.abs(mine - ll[f"{theirs}_{lab}"][idx]))))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of customers")
    parser.add_argument("--quick", action="store_true", help="50k customers, one repeat")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = 50_000 if args.quick else args.n
    repeat = 1 if args.quick else args.repeat
    data = make_data(n)
    print(f"Kaplan–Meier + log-rank by segment, {n:,} customers "
          f"({data['event'].mean():.0%} churned, {np.unique(data['duration']).size:,} distinct days)")

    rows = []
    t_arr, (curves, stat) = best_of(lambda: roi_kit_arrays(data), repeat, "arrays")
    rows.append(("roi_kit survival_by_group (numpy arrays)", t_arr, peak_memory(lambda: roi_kit_arrays(data)),
                 CPU["arrays"]))

    import polars as pl

    pframe = pl.DataFrame(data)
    t_cnt, (_, c_stat) = best_of(lambda: roi_kit_counts(pframe), repeat, "counts")
    rows.append(("roi_kit (polars group-by → counts)", t_cnt, peak_memory(lambda: roi_kit_counts(pframe)),
                 CPU["counts"]))
    assert abs(c_stat - stat) <= 1e-9 * stat

    customers = customers_table(data)
    t_full, res = best_of(lambda: rk.retention_curves(customers, by="segment", landmark_days=0), repeat,
                          "pandas")
    rows.append(("rk.retention_curves, pandas customers table (end to end)", t_full, None, CPU["pandas"]))
    pcust = pl.from_pandas(customers)
    t_pfull, _ = best_of(lambda: rk.retention_curves(pcust, by="segment", landmark_days=0), repeat, "polars")
    rows.append(("rk.retention_curves, polars customers table (end to end)", t_pfull, None, CPU["polars"]))

    ll_stats: dict[str, Any] | None = None
    if ensure_lifelines():
        ll_stats, ll_arrays = run_lifelines(data, repeat)
        rows.append(("lifelines (KaplanMeierFitter ×2 + logrank_test)", ll_stats["best"], ll_stats["peak"],
                     ll_stats["cpu"]))
    else:
        print("lifelines environment unavailable: skipping the peer comparison")

    print(f"\n{'method':60s} {'best wall':>10s} {'best CPU':>9s} {'peak traced':>12s}  (tracemalloc: "
          "Python/numpy allocations; polars' own buffers are not traced)")
    for name, t, peak, cpu in rows:
        mem = f"{peak / 2**20:,.0f} MB" if peak is not None else "—"
        print(f"{name:60s} {t:9.3f}s {cpu:8.3f}s {mem:>12s}")
    if ll_stats is not None:
        diff = curve_difference(curves, ll_arrays)
        print(f"\nspeed-up vs lifelines: {ll_stats['best'] / t_arr:.1f}× (numpy arrays), "
              f"{ll_stats['best'] / t_cnt:.1f}× (polars counts)   goal ≥ 5×")
        for label, what in (("pandas", "pandas"), ("polars", "polars")):
            print(f"retention_curves end to end from a {what} customers table vs lifelines: "
                  f"{ll_stats['best'] / dict(pandas=t_full, polars=t_pfull)[label]:.1f}× wall, "
                  f"{ll_stats['cpu'] / CPU[label]:.1f}× CPU" + ("   goal ≥ 3×" if label == "pandas" else ""))
        print(f"max |difference| of curves and CI bounds vs lifelines: {diff:.2e}   goal ~1e-12")
        print(f"log-rank χ²: roi_kit {stat:,.6f}   lifelines {ll_stats['stat']:,.6f}   "
              f"|diff| {abs(stat - ll_stats['stat']):.2e}")
    print(f"retention_curves log-rank χ² {res.logrank.statistic:,.6f} (same data from dates)")


if __name__ == "__main__":
    main()
