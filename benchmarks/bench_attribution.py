"""Attribution benchmark: roi_kit's exact Markov vs ChannelAttribution and marketing-attribution-models.

    python benchmarks/bench_attribution.py            # 1M journeys, 4.5M-row touch log
    python benchmarks/bench_attribution.py --quick    # 50k journeys, 200k-row touch log

The peers run in their own environment, ``.venv-bench-attribution``, which
``benchmarks/setup_bench_attribution.sh`` creates (this script runs it on first use unless
``--no-peers``); this script starts them as subprocesses on the same aggregated
paths (written once to ``benchmarks/.cache/``) and prints, in one run:

* time of roi_kit's Markov (order 1 and 2) from the path strings, vs ChannelAttribution's
  ``markov_model`` and DP6's marketing-attribution-models (order 1 only; it has no higher
  order), with the time ratios;
* the largest difference in removal-effect shares (RE_c / sum RE) against each peer, next to
  ChannelAttribution's own simulation noise (its seed 0 vs seed 1);
* the time to build paths from a touchpoint log (4.84M rows) with roi_kit on polars beside the
  floor, the fastest hand-written polars query for the same path table (asserted equal), with
  and without a 30-day lookback, and the ratio roi_kit / floor;
* end to end from that log to Markov removal effects (orders 1-3): roi_kit's ``attribute`` on
  the polars log vs pandas path-joining + ChannelAttribution (the usual route), with the ratio;
* peak memory (max RSS) of each process.

    python benchmarks/bench_attribution.py --skip-table          # the log routes only

    python benchmarks/bench_attribution.py --skip-table --no-peers --no-e2e   # path building only

Path building: ``--floor-rounds`` (7) rounds of roi_kit and both floor queries interleaved in one
process, best and median wall and CPU. Measured 7 Dec 2026 on the shared 2-core machine (load
average 12-17, other sessions running), two runs, roi_kit / floor: no lookback 1.30x / 1.40x best
wall, 1.19x / 1.29x median wall, 1.30x / 1.20x best CPU, 1.15x / 1.23x median CPU; 30-day
lookback 1.21x / 1.73x best wall, 1.30x / 1.20x median wall, 1.23x / 1.18x best CPU, 1.17x /
1.23x median CPU (docs/attribution.md, docs/scale.md).

Nothing here is asserted except that every path table equals roi_kit's; the figures are for reading.
"""

from __future__ import annotations

import argparse
import inspect
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _paths_e2e import end_to_end
from _paths_floor import build_vs_floor

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
PEER_PY = ROOT / ".venv-bench-attribution" / "bin" / "python"
BASELINE = "8868fc5"
"""The attribution code before the end-to-end speed work (path strings split, then a unique()
over every name; per-touch state lookups; the chain built twice at order 1)."""
CHANNELS = ("Organic Social", "Paid Social", "Email", "Organic Search", "Paid Search",
            "Referral", "Direct", "Display", "Video", "Affiliates")


def max_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would include the parent's
    pages that a forked peer inherited)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ------------------------------------------------------------------------------------ data
def planted_chain(seed: int = 0) -> np.ndarray:
    """Start row + one row per channel over (channels, conversion, null); mean ~4.5 touches."""
    rng = np.random.default_rng(seed)
    k = len(CHANNELS)
    start = rng.dirichlet(np.full(k, 2.0))
    rows = [np.r_[start, 0.0, 0.0]]
    for _ in range(k):
        conv = rng.uniform(0.02, 0.12)
        null = rng.uniform(0.10, 0.18)
        rows.append(np.r_[rng.dirichlet(np.full(k, 1.5)) * (1 - conv - null), conv, null])
    return np.vstack(rows)


def walk(p: np.ndarray, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Simulate m journeys: (journey, step, channel) per touch (sorted) and outcome per journey."""
    rng = np.random.default_rng(seed)
    k = p.shape[1] - 2
    cum = np.cumsum(p, axis=1)
    cum[:, -1] = 1.0
    state = np.searchsorted(cum[0], rng.random(m), side="right")
    alive = np.arange(m)
    outcome = np.full(m, -1)
    js, steps, chans = [], [], []
    step = 0
    while len(alive):
        js.append(alive)
        steps.append(np.full(len(alive), step, dtype=np.int32))
        chans.append(state.astype(np.int8))
        u = rng.random(len(alive))
        nxt = (u[:, None] > cum[1 + state]).sum(axis=1)
        done = nxt >= k
        outcome[alive[done]] = nxt[done] - k
        alive, state = alive[~done], nxt[~done]
        step += 1
    j = np.concatenate(js)
    s = np.concatenate(steps)
    c = np.concatenate(chans)
    order = np.lexsort((s, j))
    return j[order], s[order], c[order], outcome


def make_paths(n: int, seed: int = 1):
    """Aggregate n simulated journeys to distinct path strings (polars)."""
    import polars as pl

    p = planted_chain()
    j, _, c, outcome = walk(p, n, seed)
    rng = np.random.default_rng(seed + 1)
    value = np.where(outcome == 0, np.round(rng.lognormal(4.0, 0.6, n), 2), 0.0)
    names = pl.Series("ch", np.asarray(CHANNELS))[c]
    touches = pl.DataFrame({"j": j, "ch": names})
    per_journey = touches.group_by("j", maintain_order=True).agg(pl.col("ch").str.join(" > ").alias("path"))
    per_journey = per_journey.with_columns(
        conv=pl.Series(outcome == 0)[per_journey["j"]].cast(pl.Int64),
        value=pl.Series(value)[per_journey["j"]],
    )
    return per_journey.group_by("path").agg(
        conversions=pl.col("conv").sum(), value=pl.col("value").sum(),
        nulls=(1 - pl.col("conv")).sum(),
    ).sort("path")


def make_touch_log(rows: int, seed: int = 2):
    """A touchpoint log of about ``rows`` rows: user, timestamp, channel, converted, value."""
    import polars as pl

    p = planted_chain()
    m = int(rows / 4.5)
    j, s, c, outcome = walk(p, m, seed)
    rng = np.random.default_rng(seed)
    start = rng.integers(0, 365 * 86400, m)
    gaps = rng.exponential(2 * 86400, len(j)).astype(np.int64)
    gaps[s == 0] = 0
    t = start[j] + np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[np.r_[0, np.flatnonzero(np.diff(j)) + 1]],
                                               np.bincount(j, minlength=m)[np.unique(j)])
    last = np.r_[np.diff(j) != 0, True]
    converted = last & (outcome[j] == 0)
    return pl.DataFrame({
        "user_id": j.astype(np.int64),
        "timestamp": (np.datetime64("2024-01-01T00:00:00", "us") + t.astype("timedelta64[s]")),
        "channel": pl.Series(np.asarray(CHANNELS))[c],
        "converted": converted,
        "conversion_value": np.where(converted, np.round(rng.lognormal(4.0, 0.6, len(j)), 2), 0.0),
    })


# ------------------------------------------------------------------------------------ peers
def peer_main(args: argparse.Namespace) -> None:
    """Runs inside .venv-bench-attribution: one peer, one order; prints JSON."""
    import pandas as pd

    df = pd.read_parquet(args.input)
    out: dict[str, object] = {}
    if args.peer == "ca":
        import ChannelAttribution as ca

        best, best_cpu = float("inf"), float("inf")
        for _ in range(args.reps):
            t0, c0 = time.perf_counter(), time.process_time()
            res = ca.markov_model(df, "path", "conversions", var_value="value", var_null="nulls",
                                  order=args.order, out_more=True, sep=">", seed=args.seed,
                                  verbose=False, flg_pro=False)
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        out["seconds"], out["cpu"] = best, best_cpu
        re = res["removal_effects"]
        out["re"] = dict(zip(re["channel_name"].astype(str).str.strip(), re["removal_effects_conversion"].astype(float)))
    else:
        import polars as pl
        from mam import MAM

        t0, c0 = time.perf_counter(), time.process_time()
        rows = pl.concat([
            pl.from_pandas(df[["path", "conversions", "value"]]).rename({"conversions": "occ"})
            .with_columns(has_conv=pl.lit(True)),
            pl.from_pandas(df[["path", "nulls"]]).rename({"nulls": "occ"})
            .with_columns(value=pl.lit(0.0), has_conv=pl.lit(False)),
        ], how="diagonal").filter(pl.col("occ") > 0)
        model = MAM(rows, format_type="grouped_journey", channels_colname="path",
                    journey_with_conv_colname="has_conv", occurrences_colname="occ",
                    conversion_value_colname="value", path_separator=" > ")
        res = model.run_markov()
        out["seconds"], out["cpu"] = time.perf_counter() - t0, time.process_time() - c0
        re = res.metadata["removal_effect"] if hasattr(res, "metadata") else None
        if re is None:
            re = res._metadata["removal_effect"]  # pragma: no cover - older attribute name
        out["re"] = {str(k): float(v) for k, v in re["removal_effect"].items()}
    out["max_rss_mb"] = max_rss_mb()
    print("JSON" + json.dumps(out))


def ours_main(args: argparse.Namespace) -> None:
    """Runs in a fresh process with ``args.ours`` (a roi_kit checkout) first on sys.path:
    best-of-``reps`` wall and CPU time of attribute() from a polars and a pandas path table and
    of the Markov solve alone (paths parsed); prints JSON."""
    import polars as pl

    sys.path.insert(0, args.ours)
    from roi_kit.attribution import attribute, markov, read_paths

    paths_pl = pl.read_parquet(args.input)
    paths_pd = paths_pl.to_pandas()
    attribute(paths_pl.head(200), model="markov", order=args.order)  # imports, first-call set-up
    attribute(paths_pd.head(200), model="markov", order=args.order)
    parsed = read_paths(paths_pl)
    import roi_kit

    out: dict[str, object] = {"roi_kit": str(Path(roi_kit.__file__).parents[1])}
    # the point estimate only: bootstrap intervals are timed in bench_attribution_intervals.py
    # (older trees, timed as 'before', have no n_boot)
    kw = {"n_boot": 0} if "n_boot" in inspect.signature(attribute).parameters else {}
    jobs = {"pl": lambda: attribute(paths_pl, model="markov", order=args.order, **kw),
            "pd": lambda: attribute(paths_pd, model="markov", order=args.order, **kw),
            "solve": lambda: markov(parsed, order=args.order)}
    for key in jobs:
        out[key] = out[key + "_cpu"] = float("inf")
    for _ in range(args.reps):  # the three inputs interleave within each repetition
        for key, fn in jobs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            res = fn()
            out[key] = min(float(out[key]), time.perf_counter() - t0)  # type: ignore[arg-type]
            out[key + "_cpu"] = min(float(out[key + "_cpu"]), time.process_time() - c0)  # type: ignore[arg-type]
            if key == "pl":
                out["re"] = res.to_frame().set_index("channel")["removal_effect"].to_dict()
            if key == "solve":
                out["n_states"] = res.n_states
    out["max_rss_mb"] = max_rss_mb()
    print("JSON" + json.dumps(out))


def baseline_tree(rev: str) -> Path | None:
    """roi_kit as of git revision ``rev``, extracted once under benchmarks/.cache."""
    dest = CACHE / f"baseline-{rev}"
    if not (dest / "roi_kit").exists():
        dest.mkdir(parents=True, exist_ok=True)
        arch = subprocess.run(["git", "archive", rev, "roi_kit"], cwd=ROOT, capture_output=True, check=False)
        if arch.returncode != 0:
            print(f"  baseline {rev}: git archive failed: {arch.stderr.decode()[-300:]}")
            return None
        subprocess.run(["tar", "-x", "-C", str(dest)], input=arch.stdout, check=True)
    return dest


def run_ours(tree: Path, path: Path, order: int, reps: int) -> dict | None:
    cmd = [sys.executable, __file__, "--ours", str(tree), "--input", str(path), "--order", str(order),
           "--reps", str(reps)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("JSON"):
            return json.loads(line[4:])
    print(f"  roi_kit ({tree.name}) order {order} failed:\n{proc.stderr[-1500:]}")
    return None


def best_of(runs: list[dict | None]) -> dict | None:
    """Per key, the smallest time over rounds (other fields from the first run)."""
    ok = [r for r in runs if r]
    if not ok:
        return None
    out = dict(ok[0])
    for k, v in ok[0].items():
        if isinstance(v, float) and k != "max_rss_mb":
            out[k] = min(r[k] for r in ok)
    return out


def run_peer(peer: str, path: Path, order: int, seed: int = 0, reps: int = 1) -> dict | None:
    if not PEER_PY.exists():
        return None
    cmd = [str(PEER_PY), __file__, "--peer", peer, "--input", str(path), "--order", str(order),
           "--seed", str(seed), "--reps", str(reps)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("JSON"):
            return json.loads(line[4:])
    print(f"  {peer} order {order} failed:\n{proc.stderr[-1500:]}")
    return None


def shares(re: dict[str, float]) -> dict[str, float]:
    total = sum(re.values())
    return {k: v / total for k, v in re.items()} if total > 0 else dict.fromkeys(re, 0.0)


def max_diff(a: dict[str, float], b: dict[str, float]) -> float:
    sa, sb = shares(a), shares(b)
    return max(abs(sa.get(k, 0.0) - sb.get(k, 0.0)) for k in set(sa) | set(sb))


# ------------------------------------------------------------------------------------ main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="journeys for the Markov comparison")
    ap.add_argument("--touch-rows", type=int, default=4_500_000, help="rows of the touchpoint log")
    ap.add_argument("--quick", action="store_true", help="small sizes (50k journeys, 200k rows)")
    ap.add_argument("--skip-table", action="store_true",
                    help="skip the Markov comparison from the path table (time only the log routes)")
    ap.add_argument("--orders", type=int, nargs="+", default=[1, 2, 3],
                    help="Markov orders for the end-to-end comparison from the log")
    ap.add_argument("--e2e-rounds", type=int, default=2,
                    help="rounds of roi_kit / pandas + ChannelAttribution end to end (best is kept)")
    ap.add_argument("--floor-rounds", type=int, default=7,
                    help="interleaved rounds of roi_kit build_paths and the floor queries, one process "
                    "(best and median are printed)")
    ap.add_argument("--no-e2e", action="store_true",
                    help="skip the end-to-end comparison from the log (time path building only)")
    ap.add_argument("--no-peers", action="store_true",
                    help="do not create .venv-bench-attribution when it is missing")
    ap.add_argument("--peer", choices=["ca", "mam"], help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--order", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--ours", help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=3, help="timed repetitions per process (best is kept)")
    ap.add_argument("--rounds", type=int, default=2,
                    help="rounds of before / after / ChannelAttribution, interleaved (best is kept)")
    ap.add_argument("--baseline", default=BASELINE,
                    help="git revision timed as 'before' (default: the code before the speed work; "
                    "'' to skip)")
    args = ap.parse_args()
    if args.peer:
        peer_main(args)
        return
    if args.ours:
        ours_main(args)
        return
    if args.quick:
        args.n, args.touch_rows = 50_000, 200_000

    if not PEER_PY.exists() and not args.no_peers:
        print("Creating .venv-bench-attribution with the peers (first use) ...", flush=True)
        subprocess.run(["bash", str(ROOT / "benchmarks" / "setup_bench_attribution.sh")], check=False)
    sys.path.insert(0, str(ROOT))

    CACHE.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    paths_pl = make_paths(args.n)
    gen_s = time.perf_counter() - t0
    file = CACHE / f"attribution_paths_{args.n}.parquet"
    paths_pl.write_parquet(file)
    print(f"{args.n:,} journeys over {len(CHANNELS)} channels -> {paths_pl.height:,} distinct paths "
          f"({int(paths_pl['conversions'].sum()):,} conversions), generated in {gen_s:.1f} s")
    if not PEER_PY.exists():
        print("  (peers not installed: run `bash benchmarks/setup_bench_attribution.sh` for the comparison)")

    # every roi_kit timing runs in a fresh process (working tree = "after", --baseline = "before");
    # each round runs before, after and ChannelAttribution back to back, so a burst of load on the
    # shared machine hits all of them alike; the best over rounds and repetitions is kept
    before_tree = baseline_tree(args.baseline) if args.baseline else None
    rows = []
    ours: dict[int, dict[str, float]] = {}
    for order in () if args.skip_table else (1, 2):
        after_runs, before_runs, ca_runs = [], [], []
        for _ in range(args.rounds):
            if before_tree is not None:
                before_runs.append(run_ours(before_tree, file, order, args.reps))
            after_runs.append(run_ours(ROOT, file, order, args.reps))
            ca_runs.append(run_peer("ca", file, order, seed=0, reps=args.reps))
        after, before, ca = best_of(after_runs), best_of(before_runs), best_of(ca_runs)
        if after is None:
            continue
        ours[order] = after["re"]
        ca1 = run_peer("ca", file, order, seed=1)
        mam = run_peer("mam", file, order) if order == 1 else None
        rows.append((order, after, before, ca, ca1, mam))

    def cell(r: dict | None, key: str) -> str:
        return f"{r[key]:.3f} ({r[key + '_cpu']:.3f})" if r else "n/a"

    print("\nMarkov removal effects, end to end from the path table (attribute(), polars / pandas input)")
    print("and the solve alone (paths parsed). Seconds, best of rounds x repetitions: wall (CPU).")
    print(f"{'order':>5} {'before pl':>15} {'after pl':>15} {'after pd':>15} {'solve':>15} "
          f"{'ChannelAttr':>15} {'states':>6}")
    for order, after, before, ca, _ca1, _mam in rows:
        ca_cell = f"{ca['seconds']:.3f} ({ca['cpu']:.3f})" if ca else "n/a"
        print(f"{order:>5} {cell(before, 'pl'):>15} {cell(after, 'pl'):>15} {cell(after, 'pd'):>15} "
              f"{cell(after, 'solve'):>15} {ca_cell:>15} {after['n_states']:>6}")
    print("\nRatios (wall; CPU in parentheses): ChannelAttribution time / roi_kit time, and before / after")
    print(f"{'order':>5} {'CA/after pl':>14} {'CA/after pd':>14} {'CA/solve':>14} {'CA/before pl':>14} "
          f"{'before/after':>14}")
    for order, after, before, ca, _ca1, _mam in rows:
        def ratio(num: dict | None, nk: str, den: dict | None, dk: str) -> str:
            if not num or not den:
                return "n/a"
            return f"{num[nk] / den[dk]:.1f}x ({num[nk + '_cpu'] / den[dk + '_cpu']:.1f}x)"
        if ca:
            ca = {**ca, "ca": ca["seconds"], "ca_cpu": ca["cpu"]}
        print(f"{order:>5} {ratio(ca, 'ca', after, 'pl'):>14} {ratio(ca, 'ca', after, 'pd'):>14} "
              f"{ratio(ca, 'ca', after, 'solve'):>14} {ratio(ca, 'ca', before, 'pl'):>14} "
              f"{ratio(before, 'pl', after, 'pl'):>14}")
    for order, _after, _before, _ca, _ca1, mam in rows:
        if mam:
            print(f"  marketing-attribution-models order {order} (one run): {mam['seconds']:.3f} s "
                  f"({mam['cpu']:.3f} CPU)")

    print("\nLargest difference in removal-effect shares (percentage points)")
    for order, _after, _before, ca, ca1, mam in rows:
        parts = [f"order {order}:"]
        if ca:
            parts.append(f"vs ChannelAttribution {100 * max_diff(ours[order], ca['re']):.3f}")
        if ca and ca1:
            parts.append(f"(ChannelAttribution seed 0 vs seed 1: {100 * max_diff(ca['re'], ca1['re']):.3f})")
        if mam:
            parts.append(f"vs marketing-attribution-models {100 * max_diff(ours[order], mam['re']):.6f}")
        print("  " + " ".join(parts))

    if rows:
        print("\nPeak memory (max RSS, MB): " + "".join(
            f"; {name} {r['max_rss_mb']:,.0f}" for name, r in
            (("roi_kit (after)", rows[0][1]), ("ChannelAttribution", rows[0][3]),
             ("MAM", rows[0][5])) if r).lstrip("; "))

    # ------------------------------------------------------------------ building paths
    t0 = time.perf_counter()
    log = make_touch_log(args.touch_rows)
    gen_s = time.perf_counter() - t0
    log_file = CACHE / f"touch_log_{args.touch_rows}.parquet"
    log.write_parquet(log_file)
    print(f"\nTouchpoint log: {log.height:,} rows, {log['user_id'].n_unique():,} users "
          f"(generated in {gen_s:.1f} s)")
    del log
    build_vs_floor(log_file, rounds=args.floor_rounds)
    if not args.no_e2e:
        end_to_end(log_file, orders=args.orders, rounds=args.e2e_rounds)
    print(f"\nPeak memory of this process: {max_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
