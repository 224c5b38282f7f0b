"""Loading a 1M-row deals CSV: roi_kit vs pandas, polars and pyarrow reading the same file, in one run.

    python benchmarks/bench_load.py            # 1M rows (file cached under benchmarks/.cache/)
    python benchmarks/bench_load.py --quick    # 100k rows
    python benchmarks/bench_load.py --n 300000 --repeat 5

Two files with the same deals: a clean export (``,`` delimiter, ISO dates, plain numbers) and a
European one (``;``, ``1.234,56 €`` amounts, ``dd.mm.yyyy`` dates, cp1252). Every reader runs in
turn, round robin in one process, best of ``--repeat`` runs (a shared 2-core machine is noisy;
round robin lets a burst of load hit every reader alike); the script prints the wall time and
the CPU time (``time.process_time``: every thread of the process), their ratios to the floor —
the fastest of ``polars.read_csv`` and ``pyarrow.csv.read_csv`` on the same file — the load
average during the runs, and the peak resident memory added by one read in a fresh process
(``ru_maxrss`` after minus before, which also counts pyarrow's and polars' own allocators,
unlike tracemalloc). On a busy machine the CPU ratio is the steadier figure: wall times then
depend on how many cores each reader happened to get.

What each roi_kit row does beyond the raw readers: map columns, force ids to strings, parse and
type every column, map statuses, check duplicates / negative amounts / future dates, build the
issues report, and return a pandas (or polars) frame with the canonical dtypes. Goal: within
1.5x of the floor on the clean file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"

READERS: dict[str, str] = {
    "roi_kit load_deals": "import roi_kit as rk\ndef run(p, eu):\n    return rk.load_deals(p, now='2030-01-01')",
    "roi_kit load_deals(engine='polars')": (
        "import roi_kit as rk\ndef run(p, eu):\n    return rk.load_deals(p, now='2030-01-01', engine='polars')"),
    "pandas.read_csv": (
        "import pandas as pd\ndef run(p, eu):\n    if eu:\n"
        "        return pd.read_csv(p, sep=';', decimal=',', thousands='.', encoding='cp1252')\n"
        "    return pd.read_csv(p)"),
    "pandas.read_csv(engine='pyarrow')": (
        "import pandas as pd\ndef run(p, eu):\n    if eu:\n"
        "        return pd.read_csv(p, sep=';', encoding='cp1252', engine='pyarrow')\n"
        "    return pd.read_csv(p, engine='pyarrow')"),
    "polars.read_csv": (
        "import polars as pl\ndef run(p, eu):\n"
        "    return pl.read_csv(p, separator=';' if eu else ',', encoding='windows-1252' if eu else 'utf8')"),
    "pyarrow.csv.read_csv": (
        "import pyarrow as pa, pyarrow.csv as pc\ndef run(p, eu):\n"
        "    return pc.read_csv(p, read_options=pc.ReadOptions(encoding='cp1252' if eu else 'utf8'),\n"
        "                       parse_options=pc.ParseOptions(delimiter=';' if eu else ','))"),
}
FLOOR = ("polars.read_csv", "pyarrow.csv.read_csv")

MEMORY_CHILD = """
import json, resource, sys
{code}
path, eu = sys.argv[1], sys.argv[2] == "1"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # after imports
out = run(path, eu)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"peak_mb": max(after - before, 0) / 1024}}))
"""

TIMING_CHILD = """
import gc, json, os, sys, time
readers = {{}}
{defs}
path, eu, repeat = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
best = {{name: [float("inf"), float("inf")] for name in readers}}
for name, run in readers.items():
    run(path, eu)  # warm-up: lazy imports, page cache
for _ in range(repeat):  # round robin, so a burst of load on the machine hits every reader alike
    for name, run in readers.items():
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        out = run(path, eu)
        t, c = time.perf_counter() - t, time.process_time() - c  # CPU: every thread of the process
        best[name] = [min(best[name][0], t), min(best[name][1], c)]
        del out
print(json.dumps({{"best": best, "load": os.getloadavg()}}))
"""


def _timing_script() -> str:
    defs = []
    for i, (name, code) in enumerate(READERS.items()):
        defs.append(code.replace("def run(", f"def run_{i}(") + f"\nreaders[{name!r}] = run_{i}")
    return TIMING_CHILD.format(defs="\n".join(defs))


def make_files(n: int) -> tuple[Path, Path]:
    """Write (once) a clean and a European deals CSV with the same n rows; return their paths."""
    CACHE.mkdir(parents=True, exist_ok=True)
    clean, euro = CACHE / f"deals_{n}.csv", CACHE / f"deals_{n}_eu.csv"
    if clean.exists() and euro.exists():
        return clean, euro
    rng = np.random.default_rng(0)
    created = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700 * 86400, n), unit="s")
    closed = created + pd.to_timedelta(rng.integers(1, 120, n), unit="D")
    amount = np.round(rng.lognormal(8, 1, n), 2)
    frame = pd.DataFrame({
        "deal_id": np.char.add("D", np.arange(n).astype(str)),
        "customer_id": np.char.add("C", rng.integers(0, n // 5 + 1, n).astype(str)),
        "created_at": created.strftime("%Y-%m-%d %H:%M:%S"),
        "amount": amount,
        "status": rng.choice(["won", "lost", "open"], n, p=[0.3, 0.5, 0.2]),
        "closed_at": closed.strftime("%Y-%m-%d %H:%M:%S"),
        "kind": rng.choice(["new", "upsell", "renewal"], n),
        "source": rng.choice(["Organic Social", "Paid Search", "Email", "Direct"], n),
    })
    frame.to_csv(clean, index=False)
    euro_frame = frame.assign(
        created_at=created.strftime("%d.%m.%Y"), closed_at=closed.strftime("%d.%m.%Y"),
        amount=[f"{v:,.2f} €".replace(",", "_").replace(".", ",").replace("_", ".") for v in amount],
        source=frame["source"].str.replace("Email", "E-Mail-Kampagne für Kunden"))
    euro_frame.to_csv(euro, index=False, sep=";", encoding="cp1252")
    return clean, euro


def _child(script: str, *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                         cwd=ROOT, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip()[-2000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def measure(path: Path, eu: bool, repeat: int) -> tuple[dict[str, dict[str, float]], list[float]]:
    """Best-of-``repeat`` wall and CPU times (all readers in one process, round robin), the load
    average during the runs and, per reader, the peak memory of one read in a fresh process."""
    timing = _child(_timing_script(), str(path), "1" if eu else "0", str(repeat))
    times = timing["best"]
    return ({name: {"seconds": times[name][0], "cpu": times[name][1],
                    "peak_mb": _child(MEMORY_CHILD.format(code=code), str(path),
                                      "1" if eu else "0")["peak_mb"]}
             for name, code in READERS.items()}, list(timing["load"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    parser.add_argument("--repeat", type=int, default=5, help="runs per reader; best is kept")
    args = parser.parse_args()
    n = 100_000 if args.quick else args.n
    clean, euro = make_files(n)
    for label, path, eu in (("clean export", clean, False), ("European export", euro, True)):
        size = path.stat().st_size / 1e6
        print(f"\n{label}: {path.name}, {n:,} rows, {size:.0f} MB, best of {args.repeat}")
        results, load = measure(path, eu, args.repeat)
        floor = min(results[f]["seconds"] for f in FLOOR)
        cpu_floor = min(results[f]["cpu"] for f in FLOOR)
        print(f"  {'reader':38} {'seconds':>8} {'x floor':>8} {'CPU s':>8} {'x floor':>8} {'peak MB':>8}")
        for name, r in results.items():
            print(f"  {name:38} {r['seconds']:8.3f} {r['seconds'] / floor:8.2f} {r['cpu']:8.3f}"
                  f" {r['cpu'] / cpu_floor:8.2f} {r['peak_mb']:8.0f}")
        pandas_t = results["pandas.read_csv"]["seconds"]
        rk_t = results["roi_kit load_deals"]["seconds"]
        rk_c = results["roi_kit load_deals"]["cpu"]
        print(f"  roi_kit / pandas.read_csv = {rk_t / pandas_t:.2f}; roi_kit / floor = {rk_t / floor:.2f}"
              f" wall, {rk_c / cpu_floor:.2f} CPU"
              + ("  (goal: <= 1.5)" if not eu else "  (raw readers leave amounts and dates as text here)"))
        print(f"  load average during the runs: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
              f" on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
