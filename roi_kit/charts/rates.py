"""Chart of one marketing rate per group, with Wilson intervals for proportions.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.rates import rates
>>> r = rates(pd.DataFrame({"platform": ["x", "y"], "clicks": [5, 9], "impressions": [100, 100]}),
...           by="platform")
>>> rates_chart(r, metric="ctr").to_dict()["layer"][0]["mark"]["type"]
'bar'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

from roi_kit.charts.theme import use_theme
from roi_kit.errors import InputError

if TYPE_CHECKING:
    from roi_kit.rates_result import RatesResult

__all__ = ["rates_chart"]


def rates_chart(result: RatesResult, *, metric: str | None = None) -> alt.LayerChart:
    """Bars of ``metric`` per group (a single bar without groups); error bars for proportions.

    Parameters
    ----------
    result
        A :class:`~roi_kit.rates_result.RatesResult`.
    metric
        Which rate to show (default: the first one in the table).
    """
    from roi_kit.rate_definitions import RATE_DEFINITIONS

    use_theme()
    table = result.to_frame()
    metric = metric or str(table["metric"].iloc[0])
    if metric not in set(table["metric"]):
        raise InputError(f"metric={metric!r} is not in this result.",
                         hint=f"pick one of {', '.join(sorted(set(table['metric'])))}.")
    data = table[table["metric"] == metric].copy()
    data["group"] = ([" / ".join(str(v) for v in row) for row in data[list(result.by)].values]
                     if result.by else "all")
    undefined = data.loc[data["value"].isna(), "group"].tolist()
    data = data[data["value"].notna()][["group", "value", "ci_low", "ci_high", "numerator",
                                        "denominator"]]
    proportion = RATE_DEFINITIONS[metric][3]
    fmt = ".2%" if proportion else ",.2f"
    subtitle = RATE_DEFINITIONS[metric][4] + (
        f"; undefined for {', '.join(undefined)}" if undefined else "")
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        y=alt.Y("group:N", title=None, sort=None),
        x=alt.X("value:Q", title=metric, axis=alt.Axis(format=fmt)),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("value:Q", format=fmt),
                 alt.Tooltip("ci_low:Q", format=fmt), alt.Tooltip("ci_high:Q", format=fmt),
                 alt.Tooltip("numerator:Q", format=",.0f"),
                 alt.Tooltip("denominator:Q", format=",.0f")],
    )
    layers: list[alt.Chart] = [bars]
    if proportion:
        layers.append(base.mark_rule(color="#333333").encode(
            y=alt.Y("group:N", sort=None), x="ci_low:Q", x2="ci_high:Q"))
    return alt.LayerChart(layer=layers, title=alt.Title(metric, subtitle=subtitle))
