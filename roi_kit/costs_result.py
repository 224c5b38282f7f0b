"""The result of :func:`roi_kit.cost_ledger`: a cost ledger's totals, in tables, words and a chart.

:class:`CostLedger` keeps one row per (category, platform, campaign, year, month) and derives
every total from it (by category, platform, campaign or period, with shares), so the totals add
up exactly to the sum of the lines; ``summary()`` says the total, the largest categories and the
lines that were booked as ``other``.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.costs import cost_ledger
>>> ledger = cost_ledger(pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-04-02"]),
...                                    "category": ["ads", "tools"], "amount": [300.0, 100.0]}))
>>> ledger.totals("period")[["period", "amount"]].values.tolist()
[['2024-01', 300.0], ['2024-04', 100.0]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.formatting import fmt_money, fmt_pct, no_interval
from roi_kit.periods import Period, period_labels
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["CostLedger", "TotalBy"]

TotalBy = Literal["category", "platform", "campaign", "period"]


@dataclass(frozen=True)
class CostLedger(ResultMixin):
    """Totals of a social media cost ledger (see :func:`~roi_kit.costs.cost_ledger`).

    ``detail`` holds one row per (category, platform, campaign, year, month) with the columns
    ``category, platform, campaign, year, month, amount, hours, lines``; every total derives from it.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.costs import cost_ledger
    >>> ledger = cost_ledger(pd.DataFrame({"date": pd.to_datetime(["2024-03-01"]),
    ...                                    "category": ["tools"], "amount": [99.0]}))
    >>> ledger.totals("period")["period"].tolist()
    ['2024-03']
    """

    detail: pd.DataFrame
    period: Period = "month"
    currency: str = "USD"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total(self) -> float:
        """Total cost of every line that has an amount."""
        return float(self.detail["amount"].sum())

    @property
    def hours(self) -> float:
        """Total hours booked (staff and management time)."""
        return float(self.detail["hours"].sum())

    def totals(self, by: TotalBy | list[TotalBy] = "category") -> pd.DataFrame:
        """Totals by ``category``, ``platform``, ``campaign`` or ``period`` (or a list of them).

        Columns: the ``by`` columns, ``amount``, ``hours``, ``lines``, ``share`` (of the total,
        missing when the total is zero). Rows sorted by the ``by`` columns.
        """
        keys = [by] if isinstance(by, str) else list(by)
        bad = [k for k in keys if k not in ("category", "platform", "campaign", "period")]
        if bad:
            raise InputError(
                f"cannot total the ledger by {bad[0]!r}.",
                hint="use 'category', 'platform', 'campaign' or 'period' (or a list of them).",
            )
        detail = self.detail.assign(period=period_labels(self.detail["year"], self.detail["month"],
                                                         self.period))
        out = (detail.groupby(keys, sort=True, dropna=False)[["amount", "hours", "lines"]]
               .sum().reset_index())
        total = self.total
        out["share"] = out["amount"] / total if total != 0 else float("nan")
        out["lines"] = out["lines"].astype("int64")
        return out

    def by_category(self) -> pd.DataFrame:
        """Totals per category (only categories that have lines)."""
        return self.totals("category")

    def by_platform(self) -> pd.DataFrame:
        """Totals per platform (``(none)`` for lines without one)."""
        return self.totals("platform")

    def by_campaign(self) -> pd.DataFrame:
        """Totals per campaign (``(none)`` for lines without one)."""
        return self.totals("campaign")

    def by_period(self) -> pd.DataFrame:
        """Totals per period (month ``2024-01``, quarter ``2024-Q1`` or year ``2024``)."""
        return self.totals("period")

    def to_frame(self) -> pd.DataFrame:
        """Totals per category: ``category, amount, hours, lines, share``."""
        return self.by_category()

    def summary(self) -> str:
        """The ledger in a few plain sentences."""
        n_lines = int(self.detail["lines"].sum())
        cats = self.by_category().sort_values("amount", ascending=False)
        periods = self.by_period()["period"].tolist()
        span = f"{periods[0]} to {periods[-1]}" if len(periods) > 1 else periods[0]
        parts = [
            f"Total social media cost: {fmt_money(self.total, currency=self.currency)} "
            f"over {n_lines:,} cost lines ({span}).",
        ]
        if self.total > 0:
            top = ", ".join(
                f"{row.category} {fmt_money(row.amount, currency=self.currency)} "
                f"({fmt_pct(row.share)})" for row in cats.head(3).itertuples()
            )
            parts.append(f"Largest categories: {top}.")
        if self.hours > 0:
            parts.append(f"{self.hours:,.1f} hours of staff and management time are included.")
        parts.append(no_interval("the cost total", "it is a bookkeeping sum of the cost lines "
                                 "given, not an estimate from a sample"))
        parts.extend(self.notes)
        return "\n".join(parts)

    def chart(self) -> alt.Chart:
        """Stacked bars of cost per period, coloured by category."""
        from roi_kit.charts.costs import cost_chart

        return cost_chart(self)
