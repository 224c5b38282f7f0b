"""Path building from a touchpoint log: roi_kit beside the hand-written polars floor, and end to
end (log -> Markov removal effects) beside pandas path-joining + ChannelAttribution.

Used by ``benchmarks/bench_attribution.py``; every timing runs in a fresh process started by
:func:`run_worker` (``python benchmarks/_paths_floor.py --job ... --input log.parquet``), so each
reports its own peak memory (VmHWM) and its own CPU seconds.

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


# ------------------------------------------------------------------------------ peers
def pandas_paths(df: Any) -> Any:
    """The usual pandas route to ChannelAttribution's input: sort, split at conversions, join
    channel names per journey, count conversions, value and nulls per path string."""
    s = df.sort_values(["user_id", "timestamp", "converted", "channel"], kind="stable")
    conv = s["converted"].to_numpy()
    user = s["user_id"].to_numpy()
    start = np.r_[True, (user[1:] != user[:-1]) | conv[:-1]]
    s = s.assign(j=np.cumsum(start))
    journeys = s.groupby("j", sort=False).agg(path=("channel", " > ".join), conv=("converted", "max"),
                                              value=("conversion_value", "last"))
    journeys["value"] = journeys["value"].where(journeys["conv"], 0.0)
    table = journeys.groupby("path").agg(conversions=("conv", "sum"), value=("value", "sum"),
                                         journeys=("conv", "size"))
    table["nulls"] = table["journeys"] - table["conversions"]
    return table.reset_index()


def job_peer_e2e(args: argparse.Namespace) -> dict[str, Any]:
    """pandas path-joining + ChannelAttribution ``markov_model`` (in .venv-bench-attribution)."""
    import ChannelAttribution as ca
    import pandas as pd

    df = pd.read_parquet(args.input)
    best = {"seconds": float("inf"), "cpu": float("inf"), "join": float("inf")}
    for _ in range(args.reps):
        t0, c0 = time.perf_counter(), time.process_time()
        table = pandas_paths(df)
        join = time.perf_counter() - t0
        res = ca.markov_model(table, "path", "conversions", var_value="value", var_null="nulls",
                              order=args.order, out_more=True, sep=">", seed=0, verbose=False,
                              flg_pro=False)
        best["seconds"] = min(best["seconds"], time.perf_counter() - t0)
        best["cpu"] = min(best["cpu"], time.process_time() - c0)
        best["join"] = min(best["join"], join)
    re = res["removal_effects"]
    return {**best, "re": dict(zip(re["channel_name"].astype(str).str.strip(),
                                   re["removal_effects_conversion"].astype(float), strict=True))}


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


PEER_PY = ROOT / ".venv-bench-attribution" / "bin" / "python"
JOBS = ("roi_kit", "floor_keys", "floor_lists")


def _best(runs: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    ok = [r for r in runs if r]
    if not ok:
        return None
    out = dict(ok[0])
    for key in ("seconds", "cpu", "join"):
        if key in out:
            out[key] = min(r[key] for r in ok)
    out["max_rss_mb"] = max(r.get("max_rss_mb", 0.0) for r in ok)
    return out


def build_vs_floor(log_file: Path, *, rounds: int, reps: int) -> None:
    """roi_kit build_paths and both floor queries, interleaved in each round; prints the table,
    the ratio roi_kit / floor, and asserts the path tables equal."""
    import pandas as pd

    print("\nBuilding paths from the log, polars in and the path table out. Seconds, best of "
          f"{rounds} rounds x {reps} repetitions, each job in a fresh process: wall (CPU); peak RSS "
          "(and above the loaded log), MB")
    for lookback in (None, 30.0):
        runs: dict[str, list[dict[str, Any] | None]] = {job: [] for job in JOBS}
        for r in range(rounds):
            for job in JOBS:
                out = log_file.with_name(f"{log_file.stem}_{job}_{lookback}.parquet") if r == 0 else None
                runs[job].append(run_worker(sys.executable, job, log_file, lookback=lookback, reps=reps,
                                            out=out))
        best = {job: _best(runs[job]) for job in JOBS}
        want = pd.read_parquet(log_file.with_name(f"{log_file.stem}_roi_kit_{lookback}.parquet"))
        for job in JOBS[1:]:
            got = pd.read_parquet(log_file.with_name(f"{log_file.stem}_{job}_{lookback}.parquet"))
            pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9)
        label = "no lookback" if lookback is None else f"{lookback:g}-day lookback"
        print(f"  {label}: {len(want):,} distinct paths; every table equals roi_kit's (asserted)")
        for job, res in best.items():
            if res:
                print(f"    {job:<12} {res['seconds']:7.3f} ({res['cpu']:6.3f})   peak "
                      f"{res['max_rss_mb']:6,.0f} (+{res['max_rss_mb'] - res['log_rss_mb']:,.0f})")
        ours = best["roi_kit"]
        floors = [b for job, b in best.items() if job != "roi_kit" and b]
        if ours and floors:
            wall = min(f["seconds"] for f in floors)
            cpu = min(f["cpu"] for f in floors)
            print(f"    roi_kit / floor: {ours['seconds'] / wall:.2f}x wall, {ours['cpu'] / cpu:.2f}x CPU "
                  "(floor = the faster query) — goal <= 1.5x")


def end_to_end(log_file: Path, *, orders: list[int], rounds: int) -> None:
    """Log -> Markov removal effects: roi_kit attribute() vs pandas path-joining + ChannelAttribution."""
    print("\nEnd to end from the log to Markov removal effects. Seconds, best of rounds, wall (CPU); "
          "the pandas part of the peer route in brackets")
    print(f"{'order':>5} {'roi_kit':>17} {'pandas+ChannelAttr':>26} {'ratio wall (CPU)':>18} "
          f"{'max RE share diff':>18} {'peak MB ours / peer':>20}")
    for order in orders:
        ours_runs, peer_runs = [], []
        for _ in range(rounds):
            ours_runs.append(run_worker(sys.executable, "e2e", log_file, order=order))
            if PEER_PY.exists():
                peer_runs.append(run_worker(PEER_PY, "peer_e2e", log_file, order=order))
        ours, peer = _best(ours_runs), _best(peer_runs)
        if ours is None:
            continue
        cells = [f"{ours['seconds']:.2f} ({ours['cpu']:.2f})", "n/a", "n/a", "n/a",
                 f"{ours['max_rss_mb']:,.0f} / n/a"]
        if peer:
            cells[1] = f"{peer['seconds']:.2f} ({peer['cpu']:.2f}) [{peer['join']:.2f}]"
            cells[2] = f"{peer['seconds'] / ours['seconds']:.1f}x ({peer['cpu'] / ours['cpu']:.1f}x)"
            sa, sb = _shares(ours["re"]), _shares(peer["re"])
            diff = max(abs(sa.get(k, 0.0) - sb.get(k, 0.0)) for k in set(sa) | set(sb))
            cells[3] = f"{100 * diff:.3f} pp"
            cells[4] = f"{ours['max_rss_mb']:,.0f} / {peer['max_rss_mb']:,.0f}"
        print(f"{order:>5} {cells[0]:>17} {cells[1]:>26} {cells[2]:>18} {cells[3]:>18} {cells[4]:>20}")
    if not PEER_PY.exists():
        print("  (peers not installed: run `bash benchmarks/setup_bench_attribution.sh`)")


def _shares(re: dict[str, float]) -> dict[str, float]:
    total = sum(re.values())
    return {k: v / total for k, v in re.items()} if total > 0 else dict.fromkeys(re, 0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--job", required=True,
                    choices=["roi_kit", "floor_keys", "floor_lists", "e2e", "peer_e2e"])
    ap.add_argument("--input", required=True)
    ap.add_argument("--order", type=int, default=1)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--lookback", type=float, default=-1)
    ap.add_argument("--out")
    args = ap.parse_args()
    res = job_peer_e2e(args) if args.job == "peer_e2e" else job_ours(args)
    res.setdefault("max_rss_mb", vm_hwm_mb())
    print("JSON" + json.dumps(res))


if __name__ == "__main__":
    main()
