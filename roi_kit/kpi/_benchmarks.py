"""A user-supplied benchmark table: checked once, then looked up per metric and platform.

Layout: ``metric, platform, industry, low, median, high`` (``platform`` / ``industry`` may be
absent or ``"all"``; at least one of ``low``, ``median``, ``high`` per row) and optional
``source``, ``unit``, ``note``. Rates are proportions (0.02 = 2 %), as :func:`roi_kit.rates`
returns them. ``rk.datasets.example_benchmarks()`` is an EXAMPLE of the layout.

Lookup: the row of the metric for the platform, else the metric's ``"all"`` platform row. With
``industry=`` the rows of that industry win over ``"all"`` rows; without it, a metric whose rows
name several industries is an error (the scorecard will not pick one for you).

Position of a value: ``below`` / ``above`` the range when outside ``low``–``high``, ``within``
otherwise; with only a median, ``below median`` / ``above median``.

Examples
--------
>>> import pandas as pd
>>> b = check_benchmarks(pd.DataFrame({"metric": ["ctr"], "platform": ["x"], "low": [0.01],
...                                    "median": [0.015], "high": [0.02]}))
>>> row = lookup(b, "ctr", "x", industry=None)
>>> position(0.005, row), position(0.018, row)
('below', 'within')
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, to_pandas
from roi_kit.errors import ConfigError, InputError, MissingColumnError

__all__ = ["Position", "check_benchmarks", "lookup", "position"]

Position = Literal["below", "within", "above", "below median", "above median", "at median", ""]
_BOUNDS = ("low", "median", "high")


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame:
        return pd.Series("all", index=frame.index, dtype=object)
    values = frame[col].astype(object).where(frame[col].notna(), "all")
    return values.astype(str).str.strip().str.lower().replace("", "all")


def check_benchmarks(benchmarks: Any) -> pd.DataFrame:
    """The benchmark table in canonical form, or an error naming the row and the fix."""
    frame = to_pandas(as_frame(benchmarks, name="benchmarks"))
    if "metric" not in frame:
        raise MissingColumnError("benchmarks has no 'metric' column.",
                                 hint="columns: metric, platform, industry, low, median, high "
                                      "(see rk.datasets.example_benchmarks()).")
    present = [c for c in _BOUNDS if c in frame]
    if not present:
        raise MissingColumnError("benchmarks has none of the columns low, median, high.",
                                 hint="give at least a median per metric and platform.")
    out = pd.DataFrame({"metric": frame["metric"].astype(str).str.strip(),
                        "platform": _text(frame, "platform"), "industry": _text(frame, "industry")})
    for col in _BOUNDS:
        out[col] = (pd.to_numeric(frame[col], errors="coerce").astype("float64") if col in frame
                     else np.nan)
    for col in ("source", "unit", "note"):
        out[col] = frame[col].fillna("").astype(str) if col in frame else ""
    empty = out[list(_BOUNDS)].isna().all(axis=1)
    if empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise InputError(f"benchmarks row {i + 1} ({out['metric'].iloc[i]}) has no low, median "
                         "or high number.", hint="fill in at least the median, or drop the row.")
    lo, mid, hi = (out[c] for c in _BOUNDS)
    bad = (lo > hi) | (lo > mid) | (mid > hi)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"benchmarks row {i + 1} ({out['metric'].iloc[i]}): low "
                         f"{lo.iloc[i]}, median {mid.iloc[i]}, high {hi.iloc[i]} are not in order.",
                         hint="low <= median <= high.")
    return out


def lookup(benchmarks: pd.DataFrame, metric: str, platform: str, *,
           industry: str | None) -> dict[str, Any] | None:
    """The benchmark row for ``metric`` on ``platform`` (see the module docstring), or None."""
    rows = benchmarks.loc[benchmarks["metric"] == metric]
    if rows.empty:
        return None
    wanted = str(platform).strip().lower()
    rows = rows.loc[rows["platform"] == wanted] if (rows["platform"] == wanted).any() else \
        rows.loc[rows["platform"] == "all"]
    if rows.empty:
        return None
    if industry is not None:
        own = rows.loc[rows["industry"] == industry.strip().lower()]
        rows = own if len(own) else rows.loc[rows["industry"] == "all"]
    if len(rows) > 1:
        raise ConfigError(f"benchmarks has {len(rows)} rows for metric {metric!r} on {wanted!r} "
                          f"(industries: {', '.join(sorted(set(rows['industry'])))}).",
                          hint="pass industry='...' to rk.scorecard, or keep one row per metric, "
                               "platform and industry.")
    return None if rows.empty else dict(rows.iloc[0])


def position(value: float | None, bench: dict[str, Any] | None) -> Position:
    """Where ``value`` falls against one benchmark row (see the module docstring)."""
    if value is None or bench is None or np.isnan(value):
        return ""
    lo, mid, hi = (bench[c] for c in _BOUNDS)
    if not np.isnan(lo) and value < lo:
        return "below"
    if not np.isnan(hi) and value > hi:
        return "above"
    if not (np.isnan(lo) and np.isnan(hi)):
        return "within"
    if value < mid:
        return "below median"
    return "above median" if value > mid else "at median"
