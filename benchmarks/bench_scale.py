"""100M touchpoints on one machine: attribution and the funnel from Parquet datasets, streamed.

    nice -n 10 .venv/bin/python benchmarks/bench_scale.py                 # 100M rows per table
    .venv/bin/python benchmarks/bench_scale.py --quick                    # 2M rows, for development
    .venv/bin/python benchmarks/bench_scale.py --rows 20000000            # any size

Steps, each in its own subprocess (so each has its own peak memory), printing wall time, CPU
time (all threads, ``time.process_time`` in the step) and peak RSS (the step's ``VmHWM``):

1. ``generate``: a touchpoint log and a funnel event log of ``--rows`` rows each, written by
   ``roi_kit.datasets.scale.write_log`` as Parquet datasets of ``--chunk-rows`` files (one chunk in
   memory at a time) to ``benchmarks/.cache/scale/<rows>/``; reused when already there.
2. ``paths``: ``rk.attribution.as_paths(pl.scan_parquet(dir), channel="channel")`` — the lazy
   polars query of ``build_paths`` (journey splitting, per-journey integer path keys, counts per
   distinct path) collected by polars' streaming engine; only the distinct-path table comes
   back. It is saved (interchange format) for the model steps.
3. ``rules``: first, last, last non-direct, linear, position-based, time decay (in touches);
   ``markov1`` / ``markov2`` / ``markov3``: exact Markov removal effects of that order; all from
   the distinct-path table, ``n_boot=0`` (credits without bootstrap intervals).
4. ``funnel``: ``rk.funnel(pl.scan_parquet(events), stages="saas", by="paid", window_days=90)``.
5. ``parity``: on the first files (``--parity-rows``, default 10M) the same numbers from the
   streaming route (``pl.scan_parquet``) and the in-memory route (``pl.read_parquet``, an eager
   DataFrame, polars' in-memory engine): counts exactly, credits and medians to 1e-9 relative.
   Asserted; the script exits non-zero when they differ.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache" / "scale"
RULES = ("first", "last", "last_non_direct", "linear", "position", "time_decay")
TABLES = ("touchpoints", "funnel_events")
FUNNEL = {"stages": "saas", "by": "paid", "window_days": 90}
RTOL = 1e-9


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


# ------------------------------------------------------------------------------ child steps
def _files(data: Path, table: str) -> list[Path]:
    return sorted((data / table).glob("part-*.parquet"))


def step_generate(args: argparse.Namespace, data: Path) -> dict[str, Any]:
    import polars as pl

    from roi_kit.datasets.scale import write_log

    out: dict[str, Any] = {}
    for table in TABLES:
        files = write_log(data / table, table, rows=args.rows, chunk_rows=args.chunk_rows,  # type: ignore[arg-type]
                          seed=args.seed)
        out[f"{table}_rows"] = int(pl.scan_parquet(files).select(pl.len()).collect().item())
        out[f"{table}_files"] = len(files)
        out[f"{table}_mb"] = round(sum(f.stat().st_size for f in files) / 2**20, 1)
    (data / "manifest.json").write_text(json.dumps({**_spec(args), **out}))
    return out


def step_paths(args: argparse.Namespace, data: Path) -> dict[str, Any]:
    import polars as pl

    from roi_kit.attribution import as_paths

    paths = as_paths(pl.scan_parquet(_files(data, "touchpoints")), channel="channel")
    paths.to_frame().to_parquet(data / "paths.parquet")
    return {"distinct_paths": paths.n_paths, "journeys": int(paths.n_journeys),
            "conversions": int(paths.total_conversions), "value": round(paths.total_value, 2)}


def _credits(paths: Any, models: list[tuple[str, int]]) -> dict[str, Any]:
    import roi_kit as rk

    out: dict[str, Any] = {}
    for model, order in models:
        t0, c0 = time.perf_counter(), time.process_time()
        res = rk.attribute(paths, model=model, order=order, n_boot=0)
        name = model if model != "markov" else f"markov{order}"
        out[name] = {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                     "table": res.to_frame()[["channel", "conversions", "value"]].to_dict("list")}
    return out


def step_models(args: argparse.Namespace, data: Path, models: list[tuple[str, int]]) -> dict[str, Any]:
    import pandas as pd

    from roi_kit.attribution import read_paths

    return _credits(read_paths(pd.read_parquet(data / "paths.parquet")), models)


def step_funnel(args: argparse.Namespace, data: Path) -> dict[str, Any]:
    import polars as pl

    import roi_kit as rk

    res = rk.funnel(pl.scan_parquet(_files(data, "funnel_events")), **FUNNEL)  # type: ignore[arg-type]
    table = res.to_frame()
    return {"users_entered": int(table.loc[table["step"] == 1, "users"].sum()),
            "won": int(table.loc[table["stage"] == "won", "users"].sum())}


def _route(frame: Any, events: Any) -> dict[str, Any]:
    import roi_kit as rk
    from roi_kit.attribution import as_paths

    paths = as_paths(frame, channel="channel")
    models = [(m, 1) for m in RULES] + [("markov", k) for k in (1, 2, 3)]
    return {"paths": paths.to_frame(),
            "credits": {k: v["table"] for k, v in _credits(paths, models).items()},
            "funnel": rk.funnel(events, **FUNNEL).to_frame()}  # type: ignore[arg-type]


def step_parity(args: argparse.Namespace, data: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    import polars as pl

    k = max(1, math.ceil(args.parity_rows / args.chunk_rows))
    tp, ev = _files(data, "touchpoints")[:k], _files(data, "funnel_events")[:k]
    t0 = time.perf_counter()
    streaming = _route(pl.scan_parquet(tp), pl.scan_parquet(ev))
    t_stream = time.perf_counter() - t0
    t0 = time.perf_counter()
    with pl.Config(engine_affinity="in-memory"):
        memory = _route(pl.read_parquet(tp), pl.read_parquet(ev))
    t_memory = time.perf_counter() - t0
    # counts exactly: the distinct paths with their conversion and journey counts
    a, b = streaming["paths"], memory["paths"]
    assert a["path"].tolist() == b["path"].tolist(), "distinct paths differ"
    for col in ("conversions", "nulls"):
        assert np.array_equal(a[col].to_numpy(), b[col].to_numpy()), f"paths: {col} differ"
    np.testing.assert_allclose(a["value"], b["value"], rtol=RTOL, atol=0, err_msg="paths: value")
    for name, ta in streaming["credits"].items():
        x, y = pd.DataFrame(ta), pd.DataFrame(memory["credits"][name])
        assert x["channel"].tolist() == y["channel"].tolist(), f"{name}: channels differ"
        for col in ("conversions", "value"):
            np.testing.assert_allclose(x[col], y[col], rtol=RTOL, atol=0, err_msg=f"{name}: {col}")
    fa, fb = streaming["funnel"], memory["funnel"]
    assert fa.columns.tolist() == fb.columns.tolist() and len(fa) == len(fb), "funnel shapes differ"
    for col in fa.columns:
        if pd.api.types.is_float_dtype(fa[col]):
            np.testing.assert_allclose(fa[col], fb[col], rtol=RTOL, atol=0, err_msg=f"funnel: {col}")
        else:
            assert fa[col].astype(str).tolist() == fb[col].astype(str).tolist(), f"funnel: {col}"
    rows = int(pl.scan_parquet(tp).select(pl.len()).collect().item())
    return {"rows": rows, "event_rows": int(pl.scan_parquet(ev).select(pl.len()).collect().item()),
            "files": k, "distinct_paths": len(a), "models_checked": len(streaming["credits"]),
            "streaming_s": round(t_stream, 1), "in_memory_s": round(t_memory, 1)}


def child(args: argparse.Namespace) -> None:
    import polars  # noqa: F401  (imports are not part of a step's time)

    import roi_kit
    import roi_kit.attribution  # noqa: F401

    data = Path(args.data)
    t0, c0 = time.perf_counter(), time.process_time()
    step = args.step
    if step == "generate":
        out = step_generate(args, data)
    elif step == "paths":
        out = step_paths(args, data)
    elif step == "rules":
        out = step_models(args, data, [(m, 1) for m in RULES])
    elif step.startswith("markov"):
        out = step_models(args, data, [("markov", int(step[-1]))])
    elif step == "funnel":
        out = step_funnel(args, data)
    else:
        out = step_parity(args, data)
    print("RESULT " + json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                                  "rss_mb": peak_rss_mb(), "out": out}), flush=True)


# ------------------------------------------------------------------------------ parent
def planted_shares() -> dict[str, float]:
    """Removal-effect shares of the chain the journeys were drawn from (generator's truth)."""
    from roi_kit.datasets.journeys import transition_matrix
    from roi_kit.datasets.truth import removal_effects

    _, effects = removal_effects(transition_matrix("saas"))
    total = sum(effects.values())
    return {c: v / total for c, v in effects.items()}


def _spec(args: argparse.Namespace) -> dict[str, Any]:
    return {"rows": args.rows, "chunk_rows": args.chunk_rows, "seed": args.seed, "format": 1}


def run_step(args: argparse.Namespace, step: str, data: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--step", step, "--data", str(data), "--rows", str(args.rows),
           "--chunk-rows", str(args.chunk_rows), "--seed", str(args.seed),
           "--parity-rows", str(args.parity_rows)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    if proc.returncode or not line:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"step {step} failed (exit {proc.returncode})")
    res = json.loads(line[-1][len("RESULT "):])
    res["process_wall"] = wall
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000_000, help="rows of each table (about)")
    ap.add_argument("--quick", action="store_true", help="2M rows in 500k-row files")
    ap.add_argument("--chunk-rows", type=int, default=10_000_000, help="rows per Parquet file")
    ap.add_argument("--parity-rows", type=int, default=10_000_000,
                    help="rows (whole files) compared between the streaming and in-memory routes")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip", default="", help="comma-separated steps to leave out")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        child(args)
        return
    if args.quick:
        args.rows, args.chunk_rows, args.parity_rows = 2_000_000, 500_000, 1_000_000
    data = CACHE / f"{args.rows}-{args.chunk_rows}-{args.seed}"
    manifest = data / "manifest.json"
    have = json.loads(manifest.read_text()) if manifest.exists() else {}
    steps = ["paths", "rules", "markov1", "markov2", "markov3", "funnel", "parity"]
    if any(have.get(k) != v for k, v in _spec(args).items()):
        steps.insert(0, "generate")
    else:
        print(f"data: reusing {data.relative_to(ROOT)} ({have['touchpoints_rows']:,} touchpoints, "
              f"{have['funnel_events_rows']:,} events)")
    skip = set(filter(None, args.skip.split(",")))
    print(f"{'step':<10} {'wall s':>9} {'CPU s':>9} {'peak RSS MB':>12}  result")
    for step in steps:
        if step in skip:
            continue
        r = run_step(args, step, data)
        out = r["out"]
        if step in ("rules",) or step.startswith("markov"):
            detail = ", ".join(f"{k} {v['wall']:.2f} s" for k, v in out.items())
            if step == "markov1":
                tab = out["markov1"]["table"]
                shares = {c: v / sum(tab["conversions"]) for c, v in zip(tab["channel"], tab["conversions"])}
                planted = planted_shares()
                detail += ("; shares " + ", ".join(f"{c} {v:.3f}" for c, v in shares.items())
                           + f"; max |share - planted removal-effect share| "
                           f"{max(abs(v - planted[c]) for c, v in shares.items()):.4f}")
        else:
            detail = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in out.items())
        print(f"{step:<10} {r['wall']:>9.1f} {r['cpu']:>9.1f} {r['rss_mb']:>12,.0f}  {detail}", flush=True)
    print("parity: streaming == in-memory (counts exact, credits and medians within 1e-9 relative)"
          if "parity" not in skip else "parity: skipped")


if __name__ == "__main__":
    main()
