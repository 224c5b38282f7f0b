"""Time to close of new deals: Kaplan–Meier from creation to close (won or lost), open deals
censored at the end of observation; median days per group, naive and adjusted.

Examples
--------
>>> import numpy as np
>>> h = np.array([24, 48, 72, 96]) * 10; c = np.array([1, 1, 1, 0], bool)
>>> compare_close_time(h, c, np.array([1, 1, 0, 0], bool), None).open_deals
1
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from roi_kit.followers._effects import (
    Effect,
    EffectLookup,
    closing_lines,
    measure_label,
    z_value,
)
from roi_kit.followers._group_survival import GROUPS, group_counts, median_effect, rmst_effect
from roi_kit.results import ResultMixin
from roi_kit.survival import LogRankResult, SurvivalTable

if TYPE_CHECKING:
    import altair as alt

__all__ = ["CLOSE_TAU_DAYS", "CloseTimeComparison", "compare_close_time"]

CLOSE_TAU_DAYS = 180.0


def _median_interval(eff: Effect, med: dict[str, tuple[float | None, float | None, float | None]],
                     z: float) -> Effect:
    """The median difference with a normal interval from the two medians' intervals."""
    (m1, lo1, hi1), (m0, lo0, hi0) = med[GROUPS[0]], med[GROUPS[1]]
    vals = (m1, lo1, hi1, m0, lo0, hi0)
    if eff.difference is None or any(v is None or not math.isfinite(v) for v in vals):
        note = eff.note or "a median's interval is not reached, so the difference has no interval."
        return replace(eff, note=note)
    se = math.hypot((hi1 - lo1) / (2 * z), (hi0 - lo0) / (2 * z))  # type: ignore[operator]
    return replace(eff, ci_low=eff.difference - z * se, ci_high=eff.difference + z * se,
                   note="interval from the two medians' intervals (normal approximation).")


@dataclass(frozen=True)
class CloseTimeComparison(EffectLookup, ResultMixin):
    """Days from creation to close of new deals (open deals censored), naive and adjusted.

    ``to_frame()``: effects table; :meth:`medians_frame` the median per group with its interval;
    ``curves[(method, group)]`` the Kaplan–Meier curves of the share of deals still open.
    """

    effects: tuple[Effect, ...]
    curves: dict[tuple[str, str], SurvivalTable] = field(repr=False)
    medians: dict[tuple[str, str], tuple[float | None, float | None, float | None]]
    logrank: LogRankResult | None
    open_deals: int

    def medians_frame(self) -> pd.DataFrame:
        """Columns ``method, group, median_days, ci_low, ci_high`` (NaN where not reached)."""
        rows = [(m, g, *[np.nan if v is None else v for v in vals])
                for (m, g), vals in self.medians.items()]
        return pd.DataFrame(rows, columns=["method", "group", "median_days", "ci_low", "ci_high"])

    def summary(self) -> str:
        """Time to close in words."""
        lines = [f"Days from creation to close of new deals ({self.open_deals:,} still open, "
                 "counted as censored):"]
        for (method, group), (m, lo, hi) in self.medians.items():
            if m is None:
                lines.append(f"{group} ({method}): fewer than half of the deals closed, so the "
                             "median is not reached.")
            else:
                ci = (f" (95% CI {lo:.1f} to {hi:.1f})" if lo is not None and hi is not None
                      else " (interval not reached)")
                lines.append(f"{group} ({method}): median {m:.1f} days{ci}.")
        lines += [e.sentence()[0].upper() + e.sentence()[1:] for e in self.effects]
        return "\n".join([*lines, *closing_lines(self.logrank)])

    def chart(self) -> alt.TopLevelMixin:
        """Share of deals still open over time, per group, naive and adjusted."""
        from roi_kit.charts.segments import curves_chart

        return curves_chart(self.curves, title="Share of new deals still open",
                            y_title="still open")


def compare_close_time(
    hours: np.ndarray, closed: np.ndarray, treated: np.ndarray, weights: np.ndarray | None,
    *, conf_level: float = 0.95, coded: np.ndarray | None = None, size: int | None = None,
    tau: float = CLOSE_TAU_DAYS,
) -> CloseTimeComparison:
    """Kaplan–Meier time to close per group from hourly durations (open deals censored).

    Two differences, each with an interval: of the median days to close (normal approximation
    from the two medians' Brookmeyer–Crowley intervals: half-width / z as each standard error)
    and of the mean days to close within ``tau`` days (RMST of the still-open curve, delta-method
    standard errors).

    Examples
    --------
    >>> h = np.array([24, 48, 72, 96]) * 10; c = np.array([1, 1, 1, 0], bool)
    >>> r = compare_close_time(h, c, np.array([1, 1, 0, 0], bool), None)
    >>> r.medians[("naive", "followers")][0]
    10.0
    """
    z = z_value(conf_level)
    curves: dict[tuple[str, str], SurvivalTable] = {}
    medians: dict[tuple[str, str], tuple[float | None, float | None, float | None]] = {}
    effects: list[Effect] = []
    raw = group_counts(hours, closed, treated, coded=coded, size=size)
    counts = {"naive": raw}
    if weights is not None:
        counts["adjusted"] = raw.weighted(closed, weights)
    for method, cnt in counts.items():
        c = cnt.curves()
        for g in GROUPS:
            if g in c:
                curves[(method, g)] = c[g]
        eff, med = median_effect("time to close", measure_label("close_median"), method, c)  # type: ignore[arg-type]
        effects.append(_median_interval(eff, med, z))
        effects.append(replace(rmst_effect("time to close", measure_label("close_rmst", tau), method,  # type: ignore[arg-type]
                                           c, tau, z=z), key="close_rmst", horizon_days=tau))
        for g, v in med.items():
            medians[(method, g)] = v
    return CloseTimeComparison(tuple(effects), curves, medians, raw.logrank(),
                               int(closed.size - np.count_nonzero(closed)))
