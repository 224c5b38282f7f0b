"""``import roi_kit``: the lazy front door beside what a first real call and an eager import cost.

    python benchmarks/bench_import.py            # best of 5 fresh interpreters per row
    python benchmarks/bench_import.py --repeat 9

Each row runs in a fresh interpreter (``python -c``), round robin, best of ``--repeat``; the
floor is an interpreter that imports nothing. Rows:

- ``import roi_kit``: the public names are loaded on first use (roi_kit/_lazy.py); goal < 0.8 s.
- ``+ rk.roi(...)``: a first call that needs only the ROI module.
- ``+ rk.rates`` / ``+ rk.attribute``: first calls that pull in scipy, polars, ...
- ``eager (every name)``: what ``import roi_kit`` cost before it became lazy — all public names.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

ROWS = {
    "python (floor)": "pass",
    "import roi_kit": "import roi_kit",
    "+ rk.roi(...)": "import roi_kit as rk; rk.roi(revenue=3, cost=2)",
    "+ rk.rates": "import roi_kit as rk; rk.rates",
    "+ rk.attribute": "import roi_kit as rk; rk.attribute",
    "eager (every name)": "import roi_kit as rk; [getattr(rk, n) for n in rk.__all__]",
}


def _wall(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    best = {name: float("inf") for name in ROWS}
    for _ in range(repeat):  # round robin: a burst of load hits every row alike
        for name, code in ROWS.items():
            best[name] = min(best[name], _wall(code))
    floor = best["python (floor)"]
    print(f"load average {os.getloadavg()[0]:.2f}; best of {repeat} fresh interpreters")
    print(f"{'':22s} {'wall s':>8s} {'minus floor':>12s}")
    for name, seconds in best.items():
        print(f"{name:22s} {seconds:8.3f} {seconds - floor:12.3f}")
    verdict = "met" if best["import roi_kit"] < 0.8 else "NOT met"
    print(f"goal: import roi_kit < 0.8 s -> {verdict}")


if __name__ == "__main__":
    main()
