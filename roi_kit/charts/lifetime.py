"""Chart of customer lifetime value per group: bars with their intervals.

Examples
--------
>>> from roi_kit.followers._lifetime_value_result import GroupValue, LifetimeValue
>>> v = LifetimeValue((GroupValue("all", 3, 4.0, 0.5, 100.0, 0.0, ""),), None, 6.0, "all", (), 1.96, 0.95)
>>> lifetime_value_chart(v).to_dict()["layer"][0]["mark"]["type"]
'bar'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

from roi_kit.charts.theme import use_theme

if TYPE_CHECKING:
    from roi_kit.followers._lifetime_value_result import LifetimeValue

__all__ = ["lifetime_value_chart"]


def lifetime_value_chart(value: LifetimeValue) -> alt.TopLevelMixin:
    """CLV per group (bars) with its confidence interval (rules)."""
    use_theme()
    data = value.to_frame()
    data = data[data["clv"].notna()]
    base = alt.Chart(data).encode(y=alt.Y("group:N", title=None))
    bars = base.mark_bar().encode(
        x=alt.X("clv:Q", title=f"lifetime value within {value.horizon_months:g} months ({value.currency})"),
        tooltip=["group:N", alt.Tooltip("clv:Q", format=",.0f"), alt.Tooltip("clv_low:Q", format=",.0f"),
                 alt.Tooltip("clv_high:Q", format=",.0f"), "customers:Q"])
    errs = base.mark_rule(color="#333").encode(x="clv_low:Q", x2="clv_high:Q")
    return alt.layer(bars, errs).properties(title="Customer lifetime value per group")
