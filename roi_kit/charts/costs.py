"""Chart of the cost ledger: cost per period, stacked by category.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.costs import cost_ledger
>>> ledger = cost_ledger(pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-02-01"]),
...                                    "category": ["ads", "tools"], "amount": [100.0, 50.0]}))
>>> cost_chart(ledger).to_dict()["mark"]["type"]
'bar'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

from roi_kit.charts.theme import use_theme

if TYPE_CHECKING:
    from roi_kit.costs import CostLedger

__all__ = ["cost_chart"]


def cost_chart(ledger: CostLedger) -> alt.Chart:
    """Stacked bars: one bar per period, one colour per cost category.

    Parameters
    ----------
    ledger
        A :class:`~roi_kit.costs.CostLedger`.
    """
    use_theme()
    data = ledger.totals(["period", "category"])[["period", "category", "amount", "hours"]]
    money = f"Cost ({ledger.currency})"
    return (
        alt.Chart(data, title=alt.Title("Social media cost by period",
                                        subtitle=f"Total {ledger.currency} {ledger.total:,.0f}"))
        .mark_bar()
        .encode(
            x=alt.X("period:O", title=ledger.period.capitalize()),
            y=alt.Y("sum(amount):Q", title=money),
            color=alt.Color("category:N", title="Category"),
            tooltip=[
                alt.Tooltip("period:O", title=ledger.period),
                alt.Tooltip("category:N"),
                alt.Tooltip("amount:Q", title=money, format=",.2f"),
                alt.Tooltip("hours:Q", format=",.1f"),
            ],
        )
    )
