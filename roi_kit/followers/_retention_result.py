"""The result of :func:`~roi_kit.retention_curves`: curves, horizons, differences, medians,
RMST and monthly cohorts of the one landmark population.

Examples
--------
>>> CURVE_COLUMNS[:3]
('group', 'time_days', 'at_risk')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from roi_kit.errors import ConfigError
from roi_kit.followers._landmark import UNIT_DAYS
from roi_kit.followers._retention_text import describe_retention
from roi_kit.results import ResultMixin
from roi_kit.survival import LogRankResult, SurvivalTable, kaplan_meier_from_counts

if TYPE_CHECKING:
    import altair as alt

__all__ = ["CURVE_COLUMNS", "CohortLayout", "RetentionResult", "table_of_rows"]


CohortLayout = Literal["long", "wide"]

CURVE_COLUMNS = ("group", "time_days", "at_risk", "events", "survival", "ci_low", "ci_high")


def table_of_rows(rows: list[dict[str, Any]], columns: list[str], *, floats: Sequence[str] = (),
           ints: Sequence[str] = ()) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=columns)`` with ``floats`` / ``ints`` cast, built column by
    column with the casts done on the lists (a frame of records plus ``astype`` costs ~3×)."""
    if not rows:
        return pd.DataFrame(rows, columns=columns).astype(dict.fromkeys(floats, float) | dict.fromkeys(ints, "int64"))
    data: dict[str, Any] = {c: [r[c] for r in rows] for c in columns}
    for c in floats:
        data[c] = np.array(data[c], dtype=float)
    for c in ints:
        data[c] = np.array(data[c], dtype=float).astype("int64")
    return pd.DataFrame(data)


@dataclass(frozen=True, eq=False)
class RetentionResult(ResultMixin):
    """Retention compared across groups.

    Attributes
    ----------
    curves
        Kaplan–Meier curves, one row per group and day with an event or censoring, plus a first
        row at ``time_days = 0`` per group (everyone at risk, survival 1): ``group, time_days,
        at_risk, events, survival, ci_low, ci_high`` (weighted sums when weighted).
    logrank
        Log-rank test across all groups (``statistic`` χ², ``p_value``, ``df``); ``None`` with a
        single group.
    horizons
        ``group, horizon_days, customers, retention, ci_low, ci_high`` — share still customers
        that many days after the landmark (missing beyond a group's follow-up).
    differences
        ``group, reference, horizon_days, difference, ci_low, ci_high`` — retention of each group
        minus the reference group (normal interval from the two Greenwood standard errors).
    medians
        ``group, median_days, ci_low, ci_high`` (missing where the curve or band never reaches 50%).
    rmst
        ``group, tau_days, rmst_days, std_err, ci_low, ci_high`` — mean days retained within the
        first ``tau_days`` (the longest horizon) after the landmark.
    rmst_differences
        ``group, reference, tau_days, difference, ci_low, ci_high``.
    counts
        ``group, cohort, duration, events, removed`` (+ weighted sums) — the sufficient statistics.
    tables
        The :class:`~roi_kit.survival.SurvivalTable` of each group.

    Examples
    --------
    >>> import pandas as pd
    >>> import roi_kit as rk
    >>> c = pd.DataFrame({"customer_id": [1, 2, 3, 4], "g": ["a", "a", "b", "b"],
    ...     "acquired_at": pd.to_datetime(["2024-01-01"] * 4),
    ...     "churned_at": pd.to_datetime(["2024-03-01", None, "2024-02-01", None]),
    ...     "observed_until": pd.to_datetime(["2024-12-31"] * 4)})
    >>> res = rk.retention_curves(c, by="g", landmark_days=0, horizons_days=(30, 90))
    >>> res.groups, res.reference, res.logrank.df
    (('b', 'a'), 'a', 1)
    >>> print(res.summary().splitlines()[2])
    B: 50% still customers 90 days after acquisition (95% CI 1–91%) vs 50% (95% CI 1–91%) for a; b minus a: +0.0 percentage points (95% CI -98.0 to +98.0).
    """

    curves: pd.DataFrame
    logrank: LogRankResult | None
    horizons: pd.DataFrame
    differences: pd.DataFrame
    medians: pd.DataFrame
    rmst: pd.DataFrame
    rmst_differences: pd.DataFrame
    counts: pd.DataFrame
    tables: dict[str, SurvivalTable]
    groups: tuple[str, ...]
    reference: str
    landmark_days: int
    horizons_days: tuple[int, ...]
    conf_level: float
    weighted: bool
    notes: tuple[str, ...] = field(default=())
    time_unit: str = "days"
    durations: bool = False

    def to_frame(self) -> pd.DataFrame:
        """The curves: ``group, time_days, at_risk, events, survival, ci_low, ci_high``
        (``time_weeks`` / ``time_months`` for durations given in those units)."""
        curves = self.curves.copy()
        return curves if self.time_unit == "days" else curves.rename(columns={"time_days": f"time_{self.time_unit}"})

    def summary(self) -> str:
        """Retention, median lifetime, RMST and the log-rank test in plain words."""
        return describe_retention(self)

    def chart(self) -> alt.LayerChart:
        """Kaplan–Meier step curves with confidence bands, one colour per group."""
        from roi_kit.charts.retention import retention_chart

        return retention_chart(self)

    def cohorts(self, *, months: int = 12, layout: CohortLayout = "long") -> pd.DataFrame:
        """Monthly cohort retention: share of each acquisition-month cohort still customers.

        Months are counted from the landmark in 30.4375-day steps; each cell is the cohort's
        Kaplan–Meier estimate (equal to the plain share retained while the whole cohort is
        observed) and is missing beyond the cohort's follow-up.

        Parameters
        ----------
        months
            Last month shown.
        layout
            ``"long"``: ``group, cohort, customers, month, retention``; ``"wide"``: one row per
            group and cohort, one column per month.

        Examples
        --------
        >>> import pandas as pd
        >>> c = pd.DataFrame({"customer_id": [1, 2, 3], "plan": ["a", "a", "b"],
        ...     "acquired_at": pd.to_datetime(["2024-01-05", "2024-01-09", "2024-02-01"]),
        ...     "churned_at": pd.to_datetime(["2024-03-01", None, None]),
        ...     "observed_until": pd.to_datetime(["2024-06-30"] * 3)})
        >>> from roi_kit import retention_curves
        >>> retention_curves(c, by="plan", landmark_days=0).cohorts(months=2, layout="wide")
        month group   cohort  customers    0    1    2
        0         a  2024-01          2  1.0  1.0  0.5
        1         b  2024-02          1  1.0  1.0  1.0
        """
        if layout not in ("long", "wide"):
            raise ConfigError(f"layout={layout!r} is not valid; use 'long' or 'wide'.",
                              hint="layout='long' gives a tidy table, 'wide' a cohort triangle.")
        rows = []
        weighted = "weighted_removed" in self.counts.columns
        grid = np.arange(int(months) + 1)
        for (group, cohort), c in self.counts.groupby(["group", "cohort"], sort=True):
            c = c.groupby("duration", as_index=False).sum(numeric_only=True).sort_values("duration")
            c = c[c["removed"] > 0]
            if c.empty:
                continue
            table = kaplan_meier_from_counts(c, conf_level=self.conf_level)
            values = [table.at(m * UNIT_DAYS["months"] / UNIT_DAYS[self.time_unit])[0] for m in grid]
            size = float(c["weighted_removed" if weighted else "removed"].sum())
            code = int(cohort)
            rows += [{"group": group, "cohort": f"{code // 100}-{code % 100:02d}",
                      "customers": size if weighted else int(size), "month": int(m),
                      "retention": np.nan if v is None else v} for m, v in zip(grid, values)]
        long = pd.DataFrame(rows, columns=["group", "cohort", "customers", "month", "retention"])
        if layout == "long":
            return long
        wide = long.pivot(index=["group", "cohort", "customers"], columns="month", values="retention")
        return wide.reset_index()
