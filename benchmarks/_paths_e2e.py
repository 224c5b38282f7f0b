"""End to end from a touchpoint log to Markov removal effects: roi_kit's ``attribute`` beside
pandas path-joining + ChannelAttribution (the usual route), for ``benchmarks/bench_attribution.py``.

Each timing runs in a fresh process started by :func:`_paths_floor.run_worker` (jobs ``e2e`` and
``peer_e2e``; the peer's in ``.venv-bench-attribution``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from _paths_floor import ROOT, run_worker

PEER_PY = ROOT / ".venv-bench-attribution" / "bin" / "python"


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
