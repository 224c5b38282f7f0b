"""Funnel over ~10M generated events: roi_kit on polars and DuckDB vs a hand-written polars floor
and a straightforward pandas implementation.

    python benchmarks/bench_funnel.py            # 10M events (cached under benchmarks/.cache/)
    python benchmarks/bench_funnel.py --quick    # 500k events
    python benchmarks/bench_funnel.py --n 2000000

Every implementation computes the same strict-order, 30-day-window funnel visit → lead → mql →
won (users per stage and median hours from the previous stage) and must give the same users per
stage. Each runs once, in its own subprocess, so peak memory (max RSS, data included) is its own;
time covers the funnel only (data already in memory). Goal: roi_kit within 2x of the floor.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

STAGES = ["visit", "lead", "mql", "won"]
WINDOW_DAYS = 30
CACHE = Path(__file__).parent / ".cache"
IMPLS = ("polars floor (hand-written)", "roi_kit on polars", "roi_kit on DuckDB", "pandas (straightforward)")


def generate(n: int, seed: int = 7) -> Path:
    """Vectorised events: users, stage events with stage-dependent delays, some noise events."""
    path = CACHE / f"funnel_events_{n}_{seed}.parquet"
    if path.exists():
        return path
    import polars as pl

    CACHE.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_users = n // 4
    user = rng.integers(0, n_users, n)
    # stage mix: 55% visit, 25% lead, 12% mql, 6% won, 2% noise
    event = rng.choice(np.array(["visit", "lead", "mql", "won", "page_scroll"]), n,
                       p=[0.55, 0.25, 0.12, 0.06, 0.02])
    start = np.datetime64("2024-01-01T00:00:00", "s")
    base = rng.integers(0, 300 * 86400, n_users)  # each user's first activity
    step = np.select([event == "lead", event == "mql", event == "won"], [1, 2, 3], 0)
    delay = (rng.exponential(5 * 86400, n) * (step + 0.3)).astype("int64")
    ts = (start + (base[user] + delay).astype("timedelta64[s]")).astype("datetime64[us]")
    frame = pl.DataFrame({"user_id": user, "timestamp": ts, "event": event,
                          "platform": rng.choice(np.array(["linkedin", "x", "instagram"]), n)})
    frame.write_parquet(path)
    return path


def _floor(path: Path) -> tuple[list[int], float]:
    import polars as pl

    ev = pl.read_parquet(path)
    t0 = time.perf_counter()
    step = pl.col("event").replace_strict({s: i + 1 for i, s in enumerate(STAGES)}, default=None,
                                          return_dtype=pl.Int32)
    ev = ev.lazy().filter(pl.col("event").is_in(STAGES)).select("user_id", "timestamp", step.alias("step"))
    ev = ev.collect()
    reached = (ev.filter(pl.col("step") == 1).group_by("user_id")
               .agg(pl.col("timestamp").min().alias("t1")).with_columns(prev=pl.col("t1")))
    counts, medians = [reached.height], []
    for k in range(2, len(STAGES) + 1):
        cand = (ev.filter(pl.col("step") == k).select("user_id", "timestamp")
                .join(reached, on="user_id")
                .filter(pl.col("timestamp") >= pl.col("prev"),
                        pl.col("timestamp") <= pl.col("t1") + pl.duration(days=WINDOW_DAYS)))
        reached = (cand.group_by("user_id")
                   .agg(pl.col("t1").first(), pl.col("prev").first(), pl.col("timestamp").min())
                   .with_columns(hours=(pl.col("timestamp") - pl.col("prev")).dt.total_milliseconds() / 3.6e6)
                   .select("user_id", "t1", pl.col("timestamp").alias("prev"), "hours"))
        counts.append(reached.height)
        medians.append(reached["hours"].median())
    return counts, time.perf_counter() - t0


def _roi_kit(path: Path, engine: str) -> tuple[list[int], float]:
    import polars as pl

    import roi_kit as rk

    if engine == "polars":
        data = pl.read_parquet(path)
    else:
        import duckdb

        con = duckdb.connect()
        con.execute(f"create table events as select * from read_parquet('{path}')")
        data = con.table("events")
    t0 = time.perf_counter()
    result = rk.funnel(data, stages=STAGES, window_days=WINDOW_DAYS, ordering="strict")
    elapsed = time.perf_counter() - t0
    return result.to_frame()["users"].tolist(), elapsed


def _pandas(path: Path) -> tuple[list[int], float]:
    import pandas as pd

    ev = pd.read_parquet(path)
    t0 = time.perf_counter()
    ev = ev[ev["event"].isin(STAGES)].copy()
    ev["step"] = ev["event"].map({s: i + 1 for i, s in enumerate(STAGES)})
    wide = ev[ev["step"] == 1].groupby("user_id")["timestamp"].min().rename("t1").to_frame()
    prev = "t1"
    counts = [len(wide)]
    window = pd.Timedelta(days=WINDOW_DAYS)
    for k in range(2, len(STAGES) + 1):
        cand = ev.loc[ev["step"] == k, ["user_id", "timestamp"]].merge(
            wide[list(dict.fromkeys([prev, "t1"]))].dropna(), left_on="user_id", right_index=True)
        cand = cand[(cand["timestamp"] >= cand[prev]) & (cand["timestamp"] <= cand["t1"] + window)]
        tk = cand.groupby("user_id")["timestamp"].min().rename(f"t{k}")
        wide = wide.join(tk)
        counts.append(int(tk.size))
        _ = ((wide[f"t{k}"] - wide[prev]).dt.total_seconds() / 3600).median()
        prev = f"t{k}"
    return counts, time.perf_counter() - t0


def _child(impl: str, path: Path) -> None:
    runners = {
        IMPLS[0]: lambda: _floor(path),
        IMPLS[1]: lambda: _roi_kit(path, "polars"),
        IMPLS[2]: lambda: _roi_kit(path, "duckdb"),
        IMPLS[3]: lambda: _pandas(path),
    }
    counts, elapsed = runners[impl]()
    print(json.dumps({"counts": [int(c) for c in counts], "seconds": elapsed,
                      "peak_mib": _peak_mib()}))


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(impl: str, path: Path) -> tuple[dict[str, Any], float]:
    proc = subprocess.run([sys.executable, __file__, "--child", impl, "--path", str(path)],
                          stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{impl} failed with exit code {proc.returncode}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result, float(result["peak_mib"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000_000, help="number of events")
    parser.add_argument("--quick", action="store_true", help="500k events")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, Path(args.path))
        return
    n = 500_000 if args.quick else args.n
    t0 = time.perf_counter()
    path = generate(n)
    print(f"events: {n:,} ({path.name}, ready in {time.perf_counter() - t0:.1f} s); "
          f"stages {' → '.join(STAGES)}, strict, {WINDOW_DAYS}-day window; one run each\n")
    rows = [(impl, *_run(impl, path)) for impl in IMPLS]
    floor = rows[0][1]["seconds"]
    reference = rows[0][1]["counts"]
    print(f"{'implementation':<30} {'seconds':>9} {'x floor':>8} {'peak MiB':>9}  users per stage")
    for impl, res, mib in rows:
        same = "" if res["counts"] == reference else "  <-- DIFFERENT COUNTS"
        print(f"{impl:<30} {res['seconds']:>9.2f} {res['seconds'] / floor:>8.2f} {mib:>9.0f}  "
              f"{res['counts']}{same}")


if __name__ == "__main__":
    main()
