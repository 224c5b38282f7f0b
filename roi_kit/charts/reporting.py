"""Charts of the automated report: this period next to the previous one.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"metric": ["cost", "social revenue"], "label": ["Cost", "Social revenue"],
...                       "unit": ["money", "money"], "current": [100.0, 250.0],
...                       "previous": [120.0, 200.0]})
>>> spec = period_chart(table, current="2025-Q1", previous="2024-Q4", currency="EUR").to_dict()
>>> spec["mark"]["type"], sorted({row["period"] for row in next(iter(spec["datasets"].values()))})
('bar', ['2024-Q4', '2025-Q1'])
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from roi_kit.charts.theme import PALETTE, use_theme

__all__ = ["period_chart"]


def period_chart(table: pd.DataFrame, *, current: str, previous: str | None,
                 currency: str = "USD") -> alt.Chart:
    """Grouped horizontal bars of the money metrics: the report period beside the previous period.

    Parameters
    ----------
    table
        Rows with ``label, unit, current`` and optionally ``previous``; only ``unit == "money"``
        rows with a current value are drawn.
    current, previous
        Names of the two periods (``previous=None`` draws the report period alone).
    currency
        Axis title.
    """
    use_theme()
    rows = table[(table["unit"] == "money") & table["current"].notna()]
    frames = [pd.DataFrame({"label": rows["label"], "period": current, "amount": rows["current"]})]
    if previous is not None and "previous" in rows:
        frames.append(pd.DataFrame({"label": rows["label"], "period": previous,
                                    "amount": rows["previous"]}))
    data = pd.concat(frames, ignore_index=True).dropna(subset=["amount"])
    order = [p for p in (previous, current) if p is not None]
    labels = list(dict.fromkeys(rows["label"]))
    return (
        alt.Chart(data, title=alt.Title("This period and the previous one",
                                        subtitle=f"Money in {currency}"))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=labels, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("period:N", sort=order),
            x=alt.X("amount:Q", title=currency),
            color=alt.Color("period:N", title="Period", sort=order,
                            scale=alt.Scale(domain=order, range=["#9a9a9a", PALETTE[0]][-len(order):])),
            tooltip=[alt.Tooltip("label:N", title="metric"), alt.Tooltip("period:N"),
                     alt.Tooltip("amount:Q", format=",.2f", title=currency)],
        )
        .properties(width=460, height=alt.Step(14))
    )
