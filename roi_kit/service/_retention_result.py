"""The result of :func:`roi_kit.service_retention`: curves, horizons, difference, words, chart.

Examples
--------
>>> GROUPS
('served', 'not served')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from roi_kit.formatting import fmt_pct
from roi_kit.results import ResultMixin
from roi_kit.survival import LogRankResult, SurvivalTable

if TYPE_CHECKING:
    import altair as alt

__all__ = ["GROUPS", "ServiceRetention"]

GROUPS: tuple[str, str] = ("served", "not served")


@dataclass(frozen=True, eq=False)
class ServiceRetention(ResultMixin):
    """Retention of complaining customers, served vs not served (see :func:`roi_kit.service_retention`).

    Attributes
    ----------
    curves
        Kaplan–Meier curve per group (days since the landmark).
    logrank
        Log-rank test of equal curves (``None`` when only one group has customers).
    counts
        Customers per group.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.service import service_retention
    >>> t = pd.to_datetime
    >>> customers = pd.DataFrame({"customer_id": ["1", "2"], "churned_at": t(["2024-03-01", None])})
    >>> cases = pd.DataFrame({"interaction_id": ["a", "b"], "platform": ["x", "x"],
    ...     "customer_id": ["1", "2"], "opened_at": t(["2024-01-01"] * 2),
    ...     "first_response_at": t(["2024-01-01", "2024-01-01"])})
    >>> r = service_retention(customers, cases, served="answered", as_of="2024-12-31")
    >>> r.counts, r.logrank is None
    ({'served': 2, 'not served': 0}, True)
    """

    curves: dict[str, SurvivalTable]
    logrank: LogRankResult | None
    horizons_days: tuple[int, ...]
    counts: dict[str, int]
    served: str
    landmark_days: int
    z: float
    conf_level: float = 0.95
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """``group, horizon_days, value, ci_low, ci_high, note``: retention per group at each
        horizon, then ``difference`` (served − not served); NaN with a note where undefined."""
        nan = float("nan")
        rows = []
        for h in self.horizons_days:
            at, why_not = {}, []
            for g in GROUPS:
                km = self.curves.get(g)
                s, lo, hi = km.at(h) if km is not None else (None, None, None)
                why = ("no customers in this group" if km is None
                       else "" if s is not None else f"beyond the follow-up ({km.followed_up_to:.0f} days)")
                rows.append((g, h, nan if s is None else s, nan if lo is None else lo,
                             nan if hi is None else hi, why))
                if why:
                    why_not.append(f"{g}: {why}")
                if s is not None and km is not None:
                    i = int(np.searchsorted(km.time, h, side="right")) - 1
                    at[g] = (s, float(km.std_err[i]) if i >= 0 else 0.0)
            if len(at) == 2:
                (s1, e1), (s0, e0) = at[GROUPS[0]], at[GROUPS[1]]
                half = self.z * float(np.hypot(e1, e0))  # clipped: a difference of shares
                rows.append(("difference", h, s1 - s0, max(s1 - s0 - half, -1.0),
                             min(s1 - s0 + half, 1.0), ""))
            else:
                rows.append(("difference", h, nan, nan, nan,
                             "needs retention of both groups (" + "; ".join(why_not) + ")"))
        return pd.DataFrame(rows, columns=["group", "horizon_days", "value", "ci_low", "ci_high", "note"])

    def summary(self) -> str:
        """The comparison in plain words, with its caveat."""
        conf = f"{self.conf_level:.0%}"
        n1, n0 = self.counts[GROUPS[0]], self.counts[GROUPS[1]]
        lines = [f"Customers who complained on social: {n1:,} {self.served} within "
                 f"{self.landmark_days} days of their first case (served), {n0:,} not (not served); "
                 f"retention counted from day {self.landmark_days}."]
        frame = self.to_frame()
        t = frame.set_index(["group", "horizon_days"])
        for row in frame.itertuples():
            if row.group != "difference":
                continue
            if np.isnan(row.value):
                lines.append(f"Day {row.horizon_days}: difference undefined — {row.note}.")
            else:
                s1, s0 = (float(t.loc[(g, row.horizon_days), "value"]) for g in GROUPS)
                lines.append(f"Day {row.horizon_days}: {fmt_pct(s1)} of served and {fmt_pct(s0)} of "
                             f"not-served customers stayed — a difference of {row.value * 100:+.1f} "
                             f"points ({conf} CI {row.ci_low * 100:+.1f} to {row.ci_high * 100:+.1f}).")
        if self.logrank is not None:
            lines.append(f"Log-rank test of equal retention: χ² = {self.logrank.statistic:.2f}, "
                         f"p = {self.logrank.p_value:.3g}.")
        lines.append("Association, not proof of cause: customers whose problem could be solved may "
                     "differ from those whose problem could not.")
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.LayerChart:
        """Retention curves of served and not-served complainers with confidence bands."""
        from roi_kit.charts.service import service_retention_chart

        return service_retention_chart(self)
