"""Time ``rk.fit_mmm`` on 104 weeks x 6 paid channels + organic social (planted truth).

Prints wall and CPU seconds of the default fit (16 chains x 5,000 adaptive-Metropolis steps,
1,000 draws) beside a shorter run, and how many planted ROAS each 90 % interval holds. The
issue's bar is under 2 minutes on this 2-core machine; PyMC-Marketing's own defaults took 34 min
here (docs/incrementality.md, benchmarks/mmm_pymc_timing.py).

Usage: nice -n 10 .venv/bin/python benchmarks/bench_mmm.py [--quick]
"""

from __future__ import annotations

import sys
import time

import roi_kit as rk
from roi_kit.datasets.media import MEDIA_CHANNELS, ORGANIC

SETTINGS = {
    "default": {},
    "short (8 chains, 800 + 1,000 steps, 400 draws)": {"chains": 8, "tune": 800, "steps": 1000,
                                                        "draws": 400},
}


def main() -> None:
    m = rk.datasets.generate_media_weekly(seed=0)
    chosen = list(SETTINGS.items())[1:] if "--quick" in sys.argv else list(SETTINGS.items())
    for label, kw in chosen:
        wall, cpu = time.perf_counter(), time.process_time()
        r = rk.fit_mmm(m.frame, channels=list(MEDIA_CHANNELS), organic=[ORGANIC],
                       controls=["price_index", "promotion"],
                       organic_cost=m.truth.organic_cost, **kw)  # type: ignore[arg-type]
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        table = r.roi()
        inside = sum(row.roas_low <= m.truth.roas_of(row.channel) <= row.roas_high
                     for row in table.itertuples(index=False))
        print(f"fit_mmm {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, largest R-hat "
              f"{r.rhat.max():.3f}, planted ROAS inside the 90% interval {inside}/{len(table)}",
              flush=True)


if __name__ == "__main__":
    main()
