"""Re-segmentation speed: change the follower definition, recompute every comparison.

A widget that lets a manager pick platforms, engagement thresholds or the landmark day must answer
instantly. roi_kit prepares the definition-independent arrays once (joins, durations, deal
aggregates, covariate patterns) and then recomputes all four comparisons — naive and adjusted,
with the propensity model, balance table, Kaplan–Meier curves, log-rank tests, bootstrap and rank
test — per definition. Goals (issue 14), on 1M customers: under 100 ms per definition, prepare
once <= 3 s, from scratch <= 4 s.

The data are the seeded sample (``rk.datasets.generate``) replicated to the requested size with
fresh ids, so the distributions are realistic. The reference column recomputes from scratch
(``rk.compare_segments``: engine joins + everything), which is what an uncached widget would do.

The "before" columns run the same loop, in a fresh process, on roi_kit as it was at a git
revision (``--before REV``, default main before the prepare speed-up of issue 14; ``none``
skips it). CPU is process time (all threads); wall is best and median of ``--repeats``.

Peak memory is measured per step, each in a fresh process that loads the same data (pickled):
the peak RSS is reset once the data are loaded (Linux ``/proc/self/clear_refs``) and read back
after the step (``VmHWM``), so each figure is the memory the step needed above the data; for
the six re-segmentations, above the prepared population. "n/a" where the peak cannot be reset. The floor line is one Arrow hash lookup of the deals'
customer ids in the customer ids — the least work any engine does to put deals on customers.

Run: ``python benchmarks/bench_segments.py [--n 1000000] [--quick] [--before REV|none]``.

Measured on the shared 2-core machine (load average 16–18, so wall is 5–8x CPU; figures and
history in docs/followers.md, section 7): ``--before e770139`` at 7d9cd72 gave prepare 8.86 ->
3.38 s CPU (64.4 -> 15.8 s wall, peak +685 -> +411 MB), from scratch 7.13 -> 2.82 s CPU;
``--before none`` at 739a709 gave prepare 2.79 s CPU (21.6 s wall, +412 MB), from scratch
3.19 s CPU, re-segmentation 85–110 ms CPU per definition (median of 5), floor 11.2 s wall.
``--before e586fa6`` (one lookup of the ids, one Kaplan–Meier cell array per definition; load
average 20.7 after / 14.3 before, so wall times are 3–10x CPU and not comparable) gave prepare
4.43 -> 3.23 s CPU (peak +413 -> +450 MB), from scratch 4.17 -> 3.42 s CPU, re-segmentation
108–138 -> 95–104 ms CPU per definition ("landmark day 60" 137.9 -> 102.3 ms; alternating
A/B runs put that change within the load noise, see docs/followers.md), floor 8.0 s wall.
``--before 86fc46a`` at 7224049 (multi-chunk Arrow text read in place; load 13.0-17.7) gave
prepare 3,324 -> 3,301 ms CPU (13,969 -> 11,313 ms wall), from scratch 2,945 -> 2,897 ms CPU,
re-segmentation 94-122 -> 92-120 ms CPU per definition (median of 5), floor 3.4 s wall: equal
within the noise of that load (docs/followers.md, "What the first prepare of a process pays").
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


BASELINE = "e770139"  # main before the prepare speed-up of issue 14 (see docs/followers.md)


def _prepare(customers: Any, deals: Any, **kw: Any) -> Any:
    """The population read once (``rk.prepare_comparison`` in revisions before issue 14)."""
    prepare = getattr(rk, "prepare_population", None) or rk.prepare_comparison  # type: ignore[attr-defined]
    return prepare(customers, deals, **kw)


def _compare(data: Any, definition: Any, **kw: Any) -> Any:
    """The fast path: ``population.compare`` (``rk.compare_prepared`` before issue 14)."""
    if hasattr(data, "compare"):
        return data.compare(definition, **kw)
    return rk.compare_prepared(data, definition, **kw)  # type: ignore[attr-defined]


def _status_kb(field: str) -> int | None:
    """A ``kB`` field of /proc/self/status (``VmRSS``, ``VmHWM``); None where there is none."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


COVARIATES = ["company_size", "industry", "region", "acquisition_channel"]


def memory_step(step: str, path: str) -> float | None:
    """Peak memory (MB) of one step above what the process held once the data were loaded.

    Runs in a fresh process (``--memory-step``): load the pickled data, reset the peak RSS
    (``/proc/self/clear_refs``), run the step, read the peak back (``VmHWM``). For
    ``"resegment"`` the population is prepared first and the peak is reset again before the
    six definitions are compared. None where the peak cannot be reset (not Linux)."""
    import pickle

    with open(path, "rb") as handle:
        customers, deals, audience = pickle.load(handle)

    def reset() -> int | None:
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")  # VmHWM := current RSS
        except OSError:
            return None
        return _status_kb("VmRSS")

    start = reset()
    if step == "prepare":
        _prepare(customers, deals, audience=audience, covariates=COVARIATES)
    elif step == "scratch":
        rk.compare_segments(customers, deals, audience=audience, by=rk.FollowerDefinition(), n_boot=2000)
    else:
        data = _prepare(customers, deals, audience=audience, covariates=COVARIATES)
        start = reset()
        for defn in DEFINITIONS.values():
            _compare(data, defn, n_boot=2000)
    peak = _status_kb("VmHWM")
    return None if start is None or peak is None else (peak - start) / 1024


def memory(customers: pd.DataFrame, deals: pd.DataFrame, audience: pd.DataFrame) -> dict[str, Any]:
    """Per-step peak memory, each step in a fresh process on the same (pickled) data."""
    import pickle

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "data.pkl")
        with open(path, "wb") as handle:
            pickle.dump((customers, deals, audience), handle, protocol=pickle.HIGHEST_PROTOCOL)
        for step in ("prepare", "scratch", "resegment"):
            run = subprocess.run([sys.executable, __file__, "--memory-step", step, "--data", path],
                                 check=True, capture_output=True, text=True)
            out[f"{step}_mb"] = json.loads(run.stdout.strip().splitlines()[-1])
    return out


def floor(customers: pd.DataFrame, deals: pd.DataFrame) -> float:
    """Seconds of one Arrow hash lookup of the deals' customer ids in the customer ids."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids, wanted = pa.array(customers["customer_id"].array), pa.array(deals["customer_id"].array)
    t = time.perf_counter()
    pc.index_in(wanted, value_set=ids)
    return time.perf_counter() - t


def measure(n: int, repeats: int) -> dict[str, Any]:
    """Time every definition with the roi_kit importable here; returns the figures."""
    t = time.perf_counter()
    customers, deals, audience = build(n)
    built = time.perf_counter() - t
    base_mb = (_status_kb("VmRSS") or 0) / 1024
    t, c = time.perf_counter(), time.process_time()
    data = _prepare(customers, deals, audience=audience, covariates=COVARIATES)
    prep, prep_cpu = time.perf_counter() - t, time.process_time() - c
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
    del data
    t, c = time.perf_counter(), time.process_time()
    rk.compare_segments(customers, deals, audience=audience, by=rk.FollowerDefinition(), n_boot=2000)
    scratch, scratch_cpu = time.perf_counter() - t, time.process_time() - c
    return {"n": len(customers), "deals": len(deals), "audience": len(audience), "built": built,
            "prep": prep, "prep_cpu": prep_cpu, "warm": warm, "cold": cold, "scratch": scratch,
            "scratch_cpu": scratch_cpu, "rows": rows, "floor": floor(customers, deals),
            "data_mb": base_mb, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "load": os.getloadavg()[0], **memory(customers, deals, audience)}


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
    parser.add_argument("--memory-step", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_step:
        print(json.dumps(memory_step(args.memory_step, args.data)))
        return
    n = 20_000 if args.quick else args.n
    if args.json:
        print(json.dumps(measure(n, args.repeats)))
        return
    after = measure(n, args.repeats)
    before = None if args.before == "none" else measure_revision(args.before, n, args.repeats)
    print(f"data: {after['n']:,} customers, {after['deals']:,} deals, {after['audience']:,} audience rows "
          f"(built in {after['built']:.1f} s)")
    runs = [("after", after)] + ([(f"before ({args.before})", before)] if before else [])
    def mb(value: float | None) -> str:
        return "n/a" if value is None else f"{value:,.0f} MB"

    for label, r in runs:
        print(f"\n[{label}] prepare once (engine joins, durations, deal aggregates, covariate patterns): "
              f"{r['prep'] * 1000:,.0f} ms wall, {r['prep_cpu'] * 1000:,.0f} ms CPU, peak +{mb(r['prepare_mb'])}; "
              f"first comparison (fills rank caches): {r['warm'] * 1000:,.0f} ms; "
              f"a new landmark day (fills its cache): {r['cold'][0] * 1000:,.0f} ms wall, "
              f"{r['cold'][1] * 1000:,.0f} ms CPU; from scratch (rk.compare_segments): "
              f"{r['scratch'] * 1000:,.0f} ms wall, {r['scratch_cpu'] * 1000:,.0f} ms CPU, "
              f"peak +{mb(r['scratch_mb'])}; six re-segmentations peak +{mb(r['resegment_mb'])}; "
              f"process RSS before prepare {mb(r['data_mb'])}, process peak {mb(r['peak_mb'])}")
    print(f"floor (one Arrow hash lookup of {after['deals']:,} deal customer ids in the customer ids): "
          f"{after['floor'] * 1000:,.0f} ms")
    if before:
        print("\n" + f"{'step':<34}{'before':>12}{'after':>12}{'ratio':>8}")
        for key, name in (("prep", "prepare once, wall s"), ("prep_cpu", "prepare once, CPU s"),
                          ("scratch", "from scratch, wall s"), ("scratch_cpu", "from scratch, CPU s"),
                          ("prepare_mb", "prepare once, peak MB"), ("scratch_mb", "from scratch, peak MB"),
                          ("resegment_mb", "six re-segmentations, peak MB")):
            b, a = before.get(key), after.get(key)
            if b is not None and a is not None:
                print(f"{name:<34}{b:>12,.2f}{a:>12,.2f}{b / a if a else float('nan'):>7.1f}x")
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
              f"{worst_best:.1f} ms (goal < 100 ms: {'met' if max(worst_cpu, worst_best) < 100 else 'NOT met'}); "
              f"load average {r['load']:.1f} on {os.cpu_count()} cores")
    print("CPU time counts every thread of the process (BLAS worker threads included); wall times "
          "stretch when other work shares the cores.")


if __name__ == "__main__":
    main()
