"""The EXAMPLE benchmark table shipped in ``data/benchmarks/example_benchmarks.csv``.

Columns: ``metric, platform, industry, low, median, high, unit, source, note``. Rates are
proportions (0.065 = 6.5 %), costs are per unit (CPM per 1,000 impressions). Every row names its
public source; the file's README says what each figure is. It shows the layout
:func:`roi_kit.scorecard` reads for ``benchmarks=`` — use your own figures.

Examples
--------
>>> b = example_benchmarks()
>>> sorted(set(b["metric"]))
['cpm', 'engagement_rate_by_impressions']
>>> bool(b["source"].str.len().gt(0).all())
True
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from roi_kit.datasets.samples import samples_root
from roi_kit.errors import InputError

__all__ = ["example_benchmarks", "example_benchmarks_path"]


def example_benchmarks_path() -> Path:
    """Where the example table lives (``data/benchmarks`` next to ``data/samples``)."""
    return samples_root().parent / "benchmarks" / "example_benchmarks.csv"


def example_benchmarks() -> pd.DataFrame:
    """The EXAMPLE benchmark table (see the module docstring), one row per metric and platform."""
    path = example_benchmarks_path()
    if not path.exists():
        raise InputError(f"the example benchmark table is missing: {path} does not exist.",
                         hint="use a checkout of roi_kit that has data/benchmarks/, or pass your "
                              "own table to rk.scorecard(..., benchmarks=frame).")
    frame = pd.read_csv(path, dtype={"metric": str, "platform": str, "industry": str})
    for col in ("low", "median", "high"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame
