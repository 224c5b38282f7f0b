"""Path building from a touchpoint log: roi_kit beside the hand-written polars floor.

Used by ``benchmarks/bench_attribution.py`` (the end-to-end comparison with pandas +
ChannelAttribution is in ``_paths_e2e.py``). Jobs run in fresh processes started by
:func:`run_worker` (``python benchmarks/_paths_floor.py --job ... --input log.parquet``): one per
job for its own peak memory (VmHWM) and path table, and one ``interleaved`` job that loads the log
once and runs roi_kit and both floor queries in turn, ``--reps`` rounds, each round starting with
a different job, so that a burst of load on the shared machine hits all of them alike; the best
and the median wall and CPU seconds of each are compared (``build_vs_floor``).

The floor is the fastest hand-written polars query found for the same path table, with the same
conventions (order by user, timestamp, converted, channel, value; a conversion closes its path;
lookback from the path's last touch):

* ``floor_keys``: channel names to ``Enum`` codes, one sort, journey ids by a running count of
  journey starts, the lookback by a backward fill of the journey's last timestamp, each path as
  exact integer block keys (``code * B**pos``), summed over the sorted journey ids, then grouped
  by keys and length (in-memory engine);
* ``floor_lists``: the same up to the journeys, then each journey's codes as a list and a group-by
  on the lists.

Both stop at the encoded table (no names joined into strings); the check decodes them outside the
timing and asserts the table equals ``build_paths(...).to_frame()``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ENGINE = "in-memory"


def vm_hwm_mb() -> float:
    """Peak resident memory of this process (VmHWM), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


# ------------------------------------------------------------------------------ the floor
def _journeys(log: Any, lookback_days: float | None) -> tuple[list[str], Any]:
    """Sorted touches with journey ids (``j``) and integer codes (``c``), the lookback applied."""
    import polars as pl

    labels = sorted(log.get_column("channel").drop_nulls().unique().to_list())
    u, t, j = pl.col("user_id"), pl.col("timestamp"), pl.col("j")
    lf = (log.lazy().filter(u.is_not_null() & t.is_not_null())
          .select(u, t, pl.col("channel").cast(pl.Enum(labels)).to_physical().cast(pl.Int64).add(1).alias("c"),
                  pl.col("converted").fill_null(False).cast(pl.Int64).alias("y"),
                  (pl.col("conversion_value").fill_null(0.0) * pl.col("converted").fill_null(False))
                  .alias("v"))
          .sort("user_id", "timestamp", "y", "c", "v")
          .with_columns(((u != u.shift(1)) | (pl.col("y").shift(1) == 1)).fill_null(True).cum_sum()
                        .cast(pl.Int64).alias("j")))
    if lookback_days is not None:
        end = pl.when((j != j.shift(-1)).fill_null(True)).then(t).backward_fill()
        lf = lf.filter((end - t).dt.total_seconds() <= lookback_days * 86400.0)
    return labels, lf


def floor_keys(log: Any, lookback_days: float | None) -> Any:
    """Distinct paths as exact block keys (``k0..``, ``n``) with conversions, value, journeys."""
    import polars as pl

    labels, lf = _journeys(log, lookback_days)
    b = len(labels) + 1
    s = 1
    while b ** (s + 1) - 1 <= 2**63 - 1:
        s += 1
    idx = pl.int_range(pl.len(), dtype=pl.Int64)
    j = pl.col("j")
    first = pl.when((j != j.shift(1)).fill_null(True)).then(idx).forward_fill()
    touches = lf.select(j, "c", "y", "v", (idx - first).alias("pos")).collect(engine=ENGINE)
    blocks = int(touches.get_column("pos").max() or 0) // s + 1
    powers = pl.lit(pl.Series([b**i for i in range(s)], dtype=pl.Int64))
    keys = [f"k{k}" for k in range(blocks)]
    table = (touches.lazy()
             .with_columns(j.set_sorted(), (pl.col("c") * powers.gather(pl.col("pos") % s)).alias("term"),
                           (pl.col("pos") // s).alias("blk"))
             .group_by("j").agg(*[pl.col("term").filter(pl.col("blk") == k).sum().alias(key)
                                  for k, key in enumerate(keys)],
                                pl.len().alias("n"), pl.col("y").last(), pl.col("v").last())
             .group_by(*keys, "n").agg(pl.col("y").sum().alias("conversions"), pl.col("v").sum().alias("value"),
                                       pl.len().alias("journeys"))
             .collect(engine=ENGINE))
    return labels, s, table


def floor_lists(log: Any, lookback_days: float | None) -> Any:
    """Distinct paths as lists of codes with conversions, value, journeys."""
    import polars as pl

    labels, lf = _journeys(log, lookback_days)
    table = (lf.with_columns(pl.col("j").set_sorted(), pl.col("c").cast(pl.UInt8))
             .group_by("j").agg(pl.col("c").alias("path"), pl.col("y").last(), pl.col("v").last())
             .group_by("path").agg(pl.col("y").sum().alias("conversions"), pl.col("v").sum().alias("value"),
                                   pl.len().alias("journeys"))
             .collect(engine=ENGINE))
    return labels, table


def as_table(kind: str, out: Any) -> Any:
    """The interchange table ``path, conversions, value, nulls`` (pandas, sorted by path)."""
    import pandas as pd

    if kind == "roi_kit":
        return out.to_frame()
    if kind == "floor_keys":
        labels, s, table = out
        b = len(labels) + 1
        keys = table.select([c for c in table.columns if c.startswith("k")]).to_numpy().astype(np.int64)
        lengths = table.get_column("n").to_numpy().astype(np.int64)
        path = np.repeat(np.arange(len(lengths)), lengths)
        pos = np.arange(len(path)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        codes = (keys[path, pos // s] // np.array([b**i for i in range(s)], dtype=np.int64)[pos % s]) % b
        flat = np.asarray(labels, dtype=object)[codes - 1]
        names = [" > ".join(p) for p in np.split(flat, np.cumsum(lengths)[:-1])] if len(lengths) else []
    else:
        labels, table = out
        names = [" > ".join(labels[c - 1] for c in path) for path in table.get_column("path").to_list()]
    conv = table.get_column("conversions").to_numpy().astype(float)
    frame = pd.DataFrame({"path": names, "conversions": conv,
                          "value": table.get_column("value").to_numpy().astype(float),
                          "nulls": table.get_column("journeys").to_numpy().astype(float) - conv})
    return frame.sort_values("path", kind="stable").reset_index(drop=True)


def job_ours(args: argparse.Namespace) -> dict[str, Any]:
    """roi_kit build_paths, a floor query, or roi_kit end to end (attribute on the log)."""
    import polars as pl

    sys.path.insert(0, str(ROOT))
    from roi_kit.attribution import attribute, build_paths

    log = pl.read_parquet(args.input)
    base_rss = vm_hwm_mb()
    lookback = None if args.lookback < 0 else args.lookback
    if args.job == "e2e":
        def fn() -> Any:
            return attribute(log, model="markov", order=args.order, channel="channel", n_boot=0)
    elif args.job == "roi_kit":
        def fn() -> Any:
            return build_paths(log, channel="channel", lookback_days=lookback)
    else:
        query = floor_keys if args.job == "floor_keys" else floor_lists

        def fn() -> Any:
            return query(log, lookback)
    small = log.head(2000)
    (attribute(small, model="markov", order=args.order, channel="channel", n_boot=0) if args.job == "e2e"
     else build_paths(small, channel="channel"))  # imports, first-call set-up
    best = {"seconds": float("inf"), "cpu": float("inf")}
    for _ in range(args.reps):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        best["seconds"] = min(best["seconds"], time.perf_counter() - t0)
        best["cpu"] = min(best["cpu"], time.process_time() - c0)
    res: dict[str, Any] = {**best, "max_rss_mb": vm_hwm_mb(), "log_rss_mb": base_rss}
    if args.job == "e2e":
        res["re"] = out.to_frame().set_index("channel")["removal_effect"].to_dict()
    elif args.out:
        as_table(args.job, out).to_parquet(args.out)
    return res


def job_interleaved(args: argparse.Namespace) -> dict[str, Any]:
    """roi_kit ``build_paths`` and both floor queries in one process on one loaded log, interleaved:
    round r runs the three once each, starting with job r mod 3, so a burst of load on the shared
    machine hits all of them alike; every wall and CPU time comes back."""
    import polars as pl

    sys.path.insert(0, str(ROOT))
    from roi_kit.attribution import build_paths

    log = pl.read_parquet(args.input)
    lookback = None if args.lookback < 0 else args.lookback
    fns = {"roi_kit": lambda: build_paths(log, channel="channel", lookback_days=lookback),
           "floor_keys": lambda: floor_keys(log, lookback),
           "floor_lists": lambda: floor_lists(log, lookback)}
    for fn in fns.values():  # imports, first-call set-up, allocator warm-up: not timed
        fn()
    times: dict[str, list[list[float]]] = {job: [] for job in JOBS}
    for r in range(args.reps):
        for job in JOBS[r % 3:] + JOBS[:r % 3]:
            t0, c0 = time.perf_counter(), time.process_time()
            fns[job]()
            times[job].append([time.perf_counter() - t0, time.process_time() - c0])
    return {"times": times}


def run_worker(python: Path | str, job: str, log_file: Path, *, lookback: float | None = None,
               order: int = 1, reps: int = 1, out: Path | None = None) -> dict[str, Any] | None:
    """Run one job in a fresh process; its JSON result, or None (the error is printed)."""
    import subprocess

    cmd = [str(python), __file__, "--job", job, "--input", str(log_file), "--order", str(order),
           "--reps", str(reps), "--lookback", str(-1 if lookback is None else lookback)]
    if out is not None:
        cmd += ["--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("JSON"):
            return json.loads(line[4:])
    print(f"  {job} failed:\n{proc.stderr[-1500:]}")
    return None


JOBS = ("roi_kit", "floor_keys", "floor_lists")


def _stats(times: list[list[float]]) -> dict[str, float]:
    """Best and median wall and CPU seconds of ``[wall, cpu]`` pairs."""
    wall, cpu = [t[0] for t in times], [t[1] for t in times]
    return {"best wall": min(wall), "median wall": statistics.median(wall),
            "best CPU": min(cpu), "median CPU": statistics.median(cpu)}


def build_vs_floor(log_file: Path, *, rounds: int) -> dict[str, dict[str, float]]:
    """roi_kit build_paths beside both floor queries, without and with a 30-day lookback.

    One fresh process per job gives its peak memory and its path table (asserted equal to
    roi_kit's); then ``rounds`` interleaved rounds in one process (:func:`job_interleaved`) give
    best and median wall and CPU of each, and the ratios roi_kit / floor, where the floor is the
    faster query on each statistic. Returns the ratios per lookback label.
    """
    import pandas as pd

    print(f"\nBuilding paths from the log, polars in and the path table out. Seconds over {rounds} "
          "interleaved rounds in one process (each round runs roi_kit and both floor queries once, "
          "in turn); peak RSS of one fresh process per job (and above the loaded log), MB")
    ratios: dict[str, dict[str, float]] = {}
    for lookback in (None, 30.0):
        label = "no lookback" if lookback is None else f"{lookback:g}-day lookback"
        peak: dict[str, dict[str, Any] | None] = {}
        for job in JOBS:
            out = log_file.with_name(f"{log_file.stem}_{job}_{lookback}.parquet")
            peak[job] = run_worker(sys.executable, job, log_file, lookback=lookback, out=out)
        want = pd.read_parquet(log_file.with_name(f"{log_file.stem}_roi_kit_{lookback}.parquet"))
        for job in JOBS[1:]:
            got = pd.read_parquet(log_file.with_name(f"{log_file.stem}_{job}_{lookback}.parquet"))
            pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9)
        inter = run_worker(sys.executable, "interleaved", log_file, lookback=lookback, reps=rounds)
        if inter is None:
            continue
        stats = {job: _stats(inter["times"][job]) for job in JOBS}
        keys = list(stats["roi_kit"])
        print(f"  {label}: {len(want):,} distinct paths; every table equals roi_kit's (asserted)")
        print(f"    {'':<12}" + "".join(f"{k:>13}" for k in keys) + f"{'peak MB':>15}")
        for job in JOBS:
            res = peak[job]
            mem = f"{res['max_rss_mb']:,.0f} (+{res['max_rss_mb'] - res['log_rss_mb']:,.0f})" if res else "n/a"
            print(f"    {job:<12}" + "".join(f"{stats[job][k]:13.3f}" for k in keys) + f"{mem:>15}")
        ratios[label] = {k: stats["roi_kit"][k] / min(stats[j][k] for j in JOBS[1:]) for k in keys}
        print(f"    {'roi / floor':<12}" + "".join(f"{ratios[label][k]:12.2f}x" for k in keys)
              + "   (floor = the faster query; goal <= 1.5x)")
    return ratios


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--job", required=True,
                    choices=["roi_kit", "floor_keys", "floor_lists", "e2e", "peer_e2e", "interleaved"])
    ap.add_argument("--input", required=True)
    ap.add_argument("--order", type=int, default=1)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--lookback", type=float, default=-1)
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.job == "peer_e2e":
        from _paths_e2e import job_peer_e2e  # the peer's environment has no roi_kit

        res = job_peer_e2e(args)
    else:
        res = job_interleaved(args) if args.job == "interleaved" else job_ours(args)
    res.setdefault("max_rss_mb", vm_hwm_mb())
    print("JSON" + json.dumps(res))


if __name__ == "__main__":
    main()
