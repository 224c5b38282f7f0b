"""Kaplan–Meier retention of followers vs non-followers from the landmark, naive and adjusted
(part of :class:`~roi_kit.SegmentComparison`).

Examples
--------
>>> RetentionComparison.__name__
'RetentionComparison'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from roi_kit.followers._effects import Effect, EffectLookup, closing_lines
from roi_kit.results import ResultMixin
from roi_kit.survival import LogRankResult, SurvivalTable

if TYPE_CHECKING:
    import altair as alt

__all__ = ["RetentionComparison"]


@dataclass(frozen=True)
class RetentionComparison(EffectLookup, ResultMixin):
    """Kaplan–Meier retention of followers vs non-followers from the landmark, naive and adjusted.

    ``to_frame()``: effects (retention at each horizon, restricted mean lifetime, median
    lifetime); :meth:`curves_frame` the curves.
    """

    effects: tuple[Effect, ...]
    curves: dict[tuple[str, str], SurvivalTable] = field(repr=False)
    medians: dict[tuple[str, str], tuple[float | None, float | None, float | None]]
    logrank: LogRankResult | None
    logrank_weighted: LogRankResult | None
    landmark_days: int
    time_unit: str = "days"
    durations: bool = False

    def curves_frame(self) -> pd.DataFrame:
        """Columns ``method, group, time_days, at_risk, events, survival, ci_low, ci_high``."""
        parts = []
        for (method, group), c in self.curves.items():
            f = c.to_frame().rename(columns={"time": "time_days"})
            parts.append(f.assign(method=method, group=group))
        cols = ["method", "group", "time_days", "at_risk", "events", "survival", "ci_low", "ci_high"]
        return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)

    def summary(self) -> str:
        """Retention differences in words."""
        when = (f"day {self.landmark_days} after acquisition" if not self.durations
                else f"{self.time_unit[:-1]} {self.landmark_days} of each duration")
        lines = [f"Retention counted from {when}:"]
        lines += [e.sentence()[0].upper() + e.sentence()[1:] for e in self.effects]
        return "\n".join([*lines, *closing_lines(self.logrank)])

    def chart(self) -> alt.TopLevelMixin:
        """Survival curves with confidence bands, naive and adjusted."""
        from roi_kit.charts.segments import curves_chart

        return curves_chart(self.curves, title="Customers still active after the landmark",
                            y_title="still active")
