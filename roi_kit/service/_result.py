"""The result of :func:`roi_kit.service_metrics`: table, curves, savings, words and a chart.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.service import service_metrics
>>> cases = pd.DataFrame({"interaction_id": ["a"], "platform": ["x"],
...                       "opened_at": pd.to_datetime(["2024-01-01 09:00"]),
...                       "first_response_at": pd.to_datetime(["2024-01-01 09:45"])})
>>> m = service_metrics(cases)
>>> m.to_frame()["metric"].tolist()
['cases', 'response_rate', 'first_response_hours', 'resolution_rate', 'resolution_hours', 'service_cost_savings']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pandas as pd

from roi_kit.errors import ConfigError, InputError
from roi_kit.formatting import fmt_money, fmt_pct, no_interval
from roi_kit.results import ResultMixin
from roi_kit.service._prepare import ALL
from roi_kit.service._savings import Savings
from roi_kit.survival import SurvivalTable

if TYPE_CHECKING:
    import altair as alt

__all__ = ["Curve", "ServiceMetric", "ServiceMetrics"]

ServiceMetric = Literal["cases", "response_rate", "first_response_hours", "resolution_rate",
                        "resolution_hours", "service_cost_savings"]
CurveName = Literal["first_response", "resolution"]
Curve = tuple[CurveName, str]


def _hours(h: float) -> str:
    return f"{h * 60:,.0f} minutes" if h < 1 else f"{h:,.1f} hours"


@dataclass(frozen=True, eq=False)
class ServiceMetrics(ResultMixin):
    """Metrics of social customer care (see :func:`roi_kit.service_metrics`).

    Attributes
    ----------
    table
        Long table ``group, metric, value, ci_low, ci_high, note``; metrics ``cases``,
        ``response_rate``, ``first_response_hours`` (median), ``resolution_rate``,
        ``resolution_hours`` (median). ``value`` is NaN where undefined and ``note`` says why.
    curves
        Kaplan–Meier curves (time in minutes) keyed by ``("first_response" | "resolution", group)``.
    savings
        Service-cost savings per replaced channel and in total.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.service import service_metrics
    >>> cases = pd.DataFrame({"interaction_id": ["a", "b"], "platform": ["x", "x"],
    ...                       "opened_at": pd.to_datetime(["2024-01-01 09:00"] * 2),
    ...                       "resolved_at": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 12:00"]),
    ...                       "replaced_channel": ["phone", "phone"]})
    >>> m = service_metrics(cases, cost_per_case={"phone": 5.0, "social": 2.0})
    >>> m.revenue_estimate()[0], m.savings_frame()["handled"].tolist()
    (6.0, [2])
    """

    table: pd.DataFrame
    curves: dict[Curve, SurvivalTable]
    savings: Savings
    by: str | None
    as_of: pd.Timestamp
    opened_from: pd.Timestamp
    opened_to: pd.Timestamp
    notes: tuple[str, ...] = field(default_factory=tuple)
    conf_level: float = 0.95
    currency: str = "USD"

    def value(self, metric: ServiceMetric, *, group: str = ALL) -> float | None:
        """One metric of one group (``None`` where undefined; the table's note says why)."""
        if metric == "service_cost_savings":
            return self.savings.total
        rows = self.table[(self.table["metric"] == metric) & (self.table["group"] == group)]
        if rows.empty:
            groups = ", ".join(dict.fromkeys(self.table["group"]))
            raise ConfigError(f"no metric {metric!r} for group {group!r}. Groups: {groups}.",
                              hint="use one of the groups listed, or group='all' for the whole table.")
        v = float(rows["value"].iloc[0])
        return None if pd.isna(v) else v

    def share_within(self, hours: float, *, curve: CurveName = "first_response",
                     group: str = ALL) -> tuple[float, float, float] | None:
        """Share of cases answered (``curve="resolution"``: resolved) within ``hours``, with its
        interval, from the Kaplan–Meier curve (1 − S); ``None`` beyond the data end.

        Examples
        --------
        >>> import pandas as pd
        >>> from roi_kit.service import service_metrics
        >>> cases = pd.DataFrame({"interaction_id": ["a", "b"], "platform": ["x", "x"],
        ...     "opened_at": pd.to_datetime(["2024-01-01 09:00"] * 2),
        ...     "first_response_at": pd.to_datetime(["2024-01-01 09:30", "2024-01-01 12:00"])})
        >>> service_metrics(cases).share_within(1)[0]
        0.5
        """
        km = self.curves.get((curve, group))
        if km is None:
            return None
        s, lo, hi = km.at(hours * 60.0)
        if s is None or lo is None or hi is None:
            return None
        return 1.0 - s, 1.0 - hi, 1.0 - lo

    def to_frame(self) -> pd.DataFrame:
        """The metrics table plus a ``service_cost_savings`` row for the group ``all``."""
        s = self.savings
        total = float("nan") if s.total is None else s.total
        row = pd.DataFrame([(ALL, "service_cost_savings", total, float("nan"), float("nan"),
                             s.reason or f"cost per case on social from {s.social_cost_source}")],
                           columns=self.table.columns)
        return pd.concat([self.table, row], ignore_index=True)

    def savings_frame(self) -> pd.DataFrame:
        """Savings per replaced channel: ``replaced_channel, handled, cost_per_case,
        social_cost_per_case, savings, note``."""
        return self.savings.table.copy()

    def revenue_estimate(self) -> tuple[float, float | None, float | None, str]:
        """(savings, None, None, description) so the savings can be passed to ``rk.roi``."""
        s = self.savings
        if s.total is None:
            raise InputError(str(s.reason), hint="pass cost_per_case= (and a ledger or "
                             "cost_per_case['social']) to rk.service_metrics.")
        handled = int(s.table.loc[s.table["savings"].notna(), "handled"].sum())
        return (s.total, None, None,
                f"service-cost savings: {handled:,} cases handled on social instead of "
                f"{' / '.join(s.table.loc[s.table['savings'].notna(), 'replaced_channel'])} "
                f"(cost per case on social from {s.social_cost_source})")

    def _group_lines(self, group: str) -> list[str]:
        conf = f"{self.conf_level:.0%}"
        t = self.table[self.table["group"] == group].set_index("metric")
        n = int(t.loc["cases", "value"])
        out = []
        for rate, median, verb in (("response_rate", "first_response_hours", "answered"),
                                   ("resolution_rate", "resolution_hours", "resolved")):
            r, m = t.loc[rate], t.loc[median]
            text = (f"{fmt_pct(r['value'])} of {n:,} cases {verb} by the data end "
                    f"({conf} CI {fmt_pct(r['ci_low'])}–{fmt_pct(r['ci_high'])})")
            label = "first response" if verb == "answered" else "resolution"
            if pd.isna(m["value"]):
                text += f"; {m['note']}"
            else:
                hi = "beyond the data end" if pd.isna(m["ci_high"]) else _hours(m["ci_high"])
                text += (f"; median {label} time {_hours(m['value'])} ({conf} CI "
                         f"{_hours(m['ci_low'])} to {hi})")
            out.append(text[0].upper() + text[1:] + ".")
        return out

    def summary(self) -> str:
        """The metrics in plain words; undefined values are explained, never printed as NaN."""
        n = int(self.table.loc[(self.table["group"] == ALL) & (self.table["metric"] == "cases"),
                               "value"].iloc[0])
        lines = [f"Social customer care: {n:,} cases opened {self.opened_from:%Y-%m-%d} to "
                 f"{self.opened_to:%Y-%m-%d} (data end {self.as_of:%Y-%m-%d %H:%M})."]
        lines += self._group_lines(ALL)
        within = [(h, self.share_within(h)) for h in (1, 24)]
        shown = [f"{fmt_pct(v[0])} within {h} hour{'s' if h > 1 else ''} ({fmt_pct(v[1])}–{fmt_pct(v[2])})"
                 for h, v in within if v is not None]
        if shown:
            lines.append("Estimated share answered (Kaplan–Meier; open cases count as waiting until "
                         "the data end, not as never answered): " + "; ".join(shown) + ".")
        for group in dict.fromkeys(self.table["group"]):
            if group != ALL:
                lines += [f"{self.by} = {group}: " + " ".join(self._group_lines(group))]
        s = self.savings
        if s.total is None:
            lines.append(str(s.reason))
        else:
            ok = s.table[s.table["savings"].notna()]
            money = lambda v: fmt_money(v, currency=self.currency)  # noqa: E731
            parts = ", ".join(f"{int(r.handled):,} instead of {r.replaced_channel} × "
                              f"({money(r.cost_per_case)} − {money(r.social_cost_per_case)})"
                              for r in ok.itertuples())
            lines.append(f"Service-cost savings: {money(s.total)} ({parts}; cost per case on "
                         f"social from {s.social_cost_source}).")
            if s.total < 0:
                lines.append("Negative savings: a case costs more on social than on the channel "
                             "it replaced.")
            lines.append(no_interval("service-cost savings", "they are handled cases times the "
                                     "cost-per-case difference given, not an estimate; they are "
                                     "only as good as those costs"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.FacetChart:
        """Share of cases still waiting for a first response / a resolution, by hours since opening."""
        from roi_kit.charts.service import service_chart

        return service_chart(self)
