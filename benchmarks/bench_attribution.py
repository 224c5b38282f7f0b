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
* the time to build paths from a touchpoint log with roi_kit on polars (and a pandas
  group-by + string join, the usual way, for reference);
* peak memory (max RSS) of each process.

Nothing here is asserted; the figures are for reading.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
PEER_PY = ROOT / ".venv-bench-attribution" / "bin" / "python"
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

        t0 = time.perf_counter()
        res = ca.markov_model(df, "path", "conversions", var_value="value", var_null="nulls",
                              order=args.order, out_more=True, sep=">", seed=args.seed,
                              verbose=False, flg_pro=False)
        out["seconds"] = time.perf_counter() - t0
        re = res["removal_effects"]
        out["re"] = dict(zip(re["channel_name"].astype(str).str.strip(), re["removal_effects_conversion"].astype(float)))
    else:
        import polars as pl
        from mam import MAM

        t0 = time.perf_counter()
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
        out["seconds"] = time.perf_counter() - t0
        re = res.metadata["removal_effect"] if hasattr(res, "metadata") else None
        if re is None:
            re = res._metadata["removal_effect"]  # pragma: no cover - older attribute name
        out["re"] = {str(k): float(v) for k, v in re["removal_effect"].items()}
    out["max_rss_mb"] = max_rss_mb()
    print("JSON" + json.dumps(out))


def run_peer(peer: str, path: Path, order: int, seed: int = 0) -> dict | None:
    if not PEER_PY.exists():
        return None
    cmd = [str(PEER_PY), __file__, "--peer", peer, "--input", str(path), "--order", str(order),
           "--seed", str(seed)]
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
    ap.add_argument("--skip-pandas-join", action="store_true", help="skip the pandas string-join reference")
    ap.add_argument("--no-peers", action="store_true",
                    help="do not create .venv-bench-attribution when it is missing")
    ap.add_argument("--peer", choices=["ca", "mam"], help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--order", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer:
        peer_main(args)
        return
    if args.quick:
        args.n, args.touch_rows = 50_000, 200_000

    if not PEER_PY.exists() and not args.no_peers:
        print("Creating .venv-bench-attribution with the peers (first use) ...", flush=True)
        subprocess.run(["bash", str(ROOT / "benchmarks" / "setup_bench_attribution.sh")], check=False)
    sys.path.insert(0, str(ROOT))

    from roi_kit.attribution import attribute, build_paths, markov, read_paths

    CACHE.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    paths_pl = make_paths(args.n)
    gen_s = time.perf_counter() - t0
    file = CACHE / f"attribution_paths_{args.n}.parquet"
    paths_pl.write_parquet(file)
    paths_pd = paths_pl.to_pandas()
    print(f"{args.n:,} journeys over {len(CHANNELS)} channels -> {paths_pl.height:,} distinct paths "
          f"({int(paths_pl['conversions'].sum()):,} conversions), generated in {gen_s:.1f} s")
    if not PEER_PY.exists():
        print("  (peers not installed: run `bash benchmarks/setup_bench_attribution.sh` for the comparison)")

    # warm-up on a tiny table: imports and first-call set-up are not what we time
    for order in (1, 2):
        attribute(paths_pl.head(200), model="markov", order=order)
        attribute(paths_pd.head(200), model="markov", order=order)
    rows = []
    ours: dict[int, dict[str, float]] = {}
    for order in (1, 2):
        t0 = time.perf_counter()
        res = attribute(paths_pl, model="markov", order=order)
        t_pl = time.perf_counter() - t0
        t0 = time.perf_counter()
        attribute(paths_pd, model="markov", order=order)
        t_pd = time.perf_counter() - t0
        parsed = read_paths(paths_pl)
        t0 = time.perf_counter()
        fit = markov(parsed, order=order)
        t_solve = time.perf_counter() - t0
        tab = res.to_frame().set_index("channel")
        ours[order] = tab["removal_effect"].to_dict()
        ca = run_peer("ca", file, order, seed=0)
        ca1 = run_peer("ca", file, order, seed=1)
        mam = run_peer("mam", file, order) if order == 1 else None
        rows.append((order, t_pl, t_pd, t_solve, fit.n_states, ca, ca1, mam))

    print("\nMarkov removal effects (one run each; seconds). Ratios = peer time / roi_kit time, for")
    print("roi_kit from a polars table, from a pandas table, and for the solve alone (paths parsed).")
    print(f"{'order':>5} {'roi_kit pl':>10} {'roi_kit pd':>10} {'solve':>7} {'states':>6}"
          f" {'ChannelAttr':>11} {'ratio pl/pd/solve':>19} {'MAM':>7} {'ratio pl/pd/solve':>19}")

    def ratios(peer: float, t_pl: float, t_pd: float, t_solve: float) -> str:
        return f"{peer / t_pl:.1f}x/{peer / t_pd:.1f}x/{peer / t_solve:.0f}x"

    for order, t_pl, t_pd, t_solve, n_states, ca, _ca1, mam in rows:
        ca_t = f"{ca['seconds']:.3f}" if ca else "n/a"
        ca_r = ratios(ca["seconds"], t_pl, t_pd, t_solve) if ca else ""
        mam_t = f"{mam['seconds']:.3f}" if mam else ("n/a" if order == 1 else "-")
        mam_r = ratios(mam["seconds"], t_pl, t_pd, t_solve) if mam else ("" if order == 1 else "no order 2")
        print(f"{order:>5} {t_pl:>10.3f} {t_pd:>10.3f} {t_solve:>7.3f} {n_states:>6} {ca_t:>11} "
              f"{ca_r:>19} {mam_t:>7} {mam_r:>19}")

    print("\nLargest difference in removal-effect shares (percentage points)")
    for order, _t, _p, _s, _n, ca, ca1, mam in rows:
        parts = [f"order {order}:"]
        if ca:
            parts.append(f"vs ChannelAttribution {100 * max_diff(ours[order], ca['re']):.3f}")
        if ca and ca1:
            parts.append(f"(ChannelAttribution seed 0 vs seed 1: {100 * max_diff(ca['re'], ca1['re']):.3f})")
        if mam:
            parts.append(f"vs marketing-attribution-models {100 * max_diff(ours[order], mam['re']):.6f}")
        print("  " + " ".join(parts))

    print("\nPeak memory (max RSS, MB): roi_kit process "
          f"{max_rss_mb():,.0f}" + "".join(
              f"; {name} {r['max_rss_mb']:,.0f}" for name, r in
              (("ChannelAttribution", rows[0][5]), ("MAM", rows[0][7])) if r))

    # ------------------------------------------------------------------ building paths
    t0 = time.perf_counter()
    log = make_touch_log(args.touch_rows)
    gen_s = time.perf_counter() - t0
    print(f"\nTouchpoint log: {log.height:,} rows, {log['user_id'].n_unique():,} users "
          f"(generated in {gen_s:.1f} s)")
    build_paths(log.head(1000), channel="channel")  # warm-up
    t0 = time.perf_counter()
    built = build_paths(log, channel="channel")
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    built_lazy = build_paths(log.lazy(), channel="channel", lookback_days=30)
    t_build_lazy = time.perf_counter() - t0
    print(f"  roi_kit build_paths on polars:             {t_build:6.2f} s -> {built.n_paths:,} distinct paths")
    print(f"  roi_kit build_paths on polars lazy + 30-day lookback: {t_build_lazy:6.2f} s "
          f"-> {built_lazy.n_paths:,} distinct paths")
    if not args.skip_pandas_join:
        pdf = log.to_pandas()
        t0 = time.perf_counter()
        s = pdf.sort_values(["user_id", "timestamp"])
        joined = s.groupby("user_id", sort=False).agg(path=("channel", " > ".join),
                                                      conv=("converted", "max"))
        agg = joined.groupby("path").agg(conversions=("conv", "sum"), n=("conv", "size"))
        t_pd = time.perf_counter() - t0
        print(f"  pandas sort + group-by + ' > '.join (reference): {t_pd:6.2f} s -> {len(agg):,} paths "
              f"(ratio {t_pd / t_build:.1f}x)")
    print(f"\nPeak memory of this process: {max_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
