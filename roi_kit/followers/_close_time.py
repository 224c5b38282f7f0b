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

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from roi_kit.followers._effects import Effect, closing_lines, effects_frame
from roi_kit.followers._group_survival import GROUPS, group_counts, median_effect
from roi_kit.results import ResultMixin
from roi_kit.survival import LogRankResult, SurvivalTable

if TYPE_CHECKING:
    import altair as alt

__all__ = ["CloseTimeComparison", "compare_close_time"]


@dataclass(frozen=True)
class CloseTimeComparison(ResultMixin):
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

    def to_frame(self) -> pd.DataFrame:
        """Effects table."""
        return effects_frame(list(self.effects))

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
        return "\n".join([*lines, *closing_lines(self.logrank)])

    def chart(self) -> alt.TopLevelMixin:
        """Share of deals still open over time, per group, naive and adjusted."""
        from roi_kit.charts.segments import curves_chart

        return curves_chart(self.curves, title="Share of new deals still open",
                            y_title="still open")


def compare_close_time(
    hours: np.ndarray, closed: np.ndarray, treated: np.ndarray, weights: np.ndarray | None,
    *, conf_level: float = 0.95, coded: np.ndarray | None = None, size: int | None = None,
) -> CloseTimeComparison:
    """Kaplan–Meier time to close per group from hourly durations (open deals censored).

    Examples
    --------
    >>> h = np.array([24, 48, 72, 96]) * 10; c = np.array([1, 1, 1, 0], bool)
    >>> r = compare_close_time(h, c, np.array([1, 1, 0, 0], bool), None)
    >>> r.medians[("naive", "followers")][0]
    10.0
    """
    del conf_level  # intervals follow the survival core's 95% log-log bands
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
        eff, med = median_effect("time to close", "median days to close", method, c)  # type: ignore[arg-type]
        effects.append(eff)
        for g, v in med.items():
            medians[(method, g)] = v
    return CloseTimeComparison(tuple(effects), curves, medians, raw.logrank(),
                               int(closed.size - np.count_nonzero(closed)))
