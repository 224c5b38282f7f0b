"""Charts of attribution results: credit per channel, and models side by side.

Examples
--------
>>> import pandas as pd, roi_kit as rk
>>> res = rk.attribute(pd.DataFrame({"path": ["a > b"], "conversions": [1]}), model="linear")
>>> attribution_chart(res).to_dict()["mark"]["type"]
'bar'
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from roi_kit.charts.theme import use_theme

__all__ = ["attribution_chart", "comparison_chart"]


def _element(frame: pd.DataFrame) -> pd.Series:
    if "campaign" in frame.columns:
        return frame["channel"] + " | " + frame["campaign"].fillna("(not set)")
    return frame["channel"]


def attribution_chart(result: Any) -> alt.Chart:
    """Horizontal bars: share of conversions credited to each channel (campaign), largest first.

    Examples
    --------
    >>> import pandas as pd, roi_kit as rk
    >>> res = rk.attribute(pd.DataFrame({"path": ["a > b"], "conversions": [1]}), model="first")
    >>> attribution_chart(res).to_dict()["encoding"]["x"]["field"]
    'share'
    """
    use_theme()
    data = result.to_frame()
    data = data.assign(element=_element(data), share=data["share"].fillna(0.0))
    order = data.sort_values("conversions", ascending=False)["element"].tolist()
    reps = getattr(result, "replicates", None)
    level = reps.level if reps is not None else 0.95
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title="Share of conversions", axis=alt.Axis(format="%")),
            y=alt.Y("element:N", title=None, sort=order),
            color=alt.Color("channel:N", legend=None),
            tooltip=[
                alt.Tooltip("element:N", title="Channel"),
                alt.Tooltip("conversions:Q", format=",.1f"),
                alt.Tooltip("value:Q", format=",.2f"),
                alt.Tooltip("share:Q", format=".1%"),
                *[alt.Tooltip(f"{c}:Q", format=".1%", title=f"share, {level:.0%} {end}")
                  for c, end in (("share_ci_low", "low"), ("share_ci_high", "high"))
                  if c in data.columns],
            ],
        )
        .properties(title=alt.TitleParams(f"{result.label} attribution",
                                          subtitle="share of conversions credited"))
    )


def comparison_chart(comparison: Any) -> alt.Chart:
    """Grouped bars: one bar per model for each channel (share of conversions).

    Examples
    --------
    >>> import pandas as pd, roi_kit as rk
    >>> cmp = rk.compare_models(pd.DataFrame({"path": ["a > b"], "conversions": [1]}),
    ...                         models=("first", "last"))
    >>> comparison_chart(cmp).to_dict()["encoding"]["yOffset"]["field"]
    'model'
    """
    use_theme()
    data = comparison.to_frame()
    data = data.assign(element=_element(data), share=data["share"].fillna(0.0))
    models = list(dict.fromkeys(data["model"]))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title="Share of conversions", axis=alt.Axis(format="%")),
            y=alt.Y("element:N", title=None),
            yOffset=alt.YOffset("model:N", sort=models),
            color=alt.Color("model:N", sort=models, title="Model"),
            tooltip=[
                alt.Tooltip("model:N"), alt.Tooltip("element:N", title="Channel"),
                alt.Tooltip("conversions:Q", format=",.1f"), alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(title=alt.TitleParams("Attribution models compared",
                                          subtitle="share of conversions credited per channel"))
    )
