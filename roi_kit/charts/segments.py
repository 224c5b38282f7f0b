"""Charts of the follower comparisons: curves with bands, forest plots, balance, match, value.

Pure builders ``result -> alt.Chart`` under the one roi_kit theme.

Examples
--------
>>> from roi_kit.followers import Effect
>>> chart = effects_chart([Effect("upsell", "upsell share", "naive", 0.3, 0.2, 0.1, 0.05, 0.15)])
>>> chart.to_dict()["mark"]["type"] if "mark" in chart.to_dict() else "layer"
'layer'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd

from roi_kit.charts.theme import PALETTE, SEGMENT_COLORS, use_theme
from roi_kit.followers import Effect, effects_frame

if TYPE_CHECKING:
    from roi_kit.followers import BalanceTable, MatchReport, SegmentComparison, ValueOfSocial
    from roi_kit.survival import SurvivalTable

__all__ = ["balance_chart", "comparison_chart", "curves_chart", "effects_chart", "match_chart",
           "value_chart"]

_METHOD_COLORS = {"naive": "#9a9a9a", "adjusted": PALETTE[0]}


def _segment_scale() -> alt.Scale:
    return alt.Scale(domain=list(SEGMENT_COLORS), range=list(SEGMENT_COLORS.values()))


def curves_chart(curves: dict[tuple[str, str], SurvivalTable], *, title: str,
                 y_title: str = "survival", max_points: int = 600) -> alt.TopLevelMixin:
    """Step curves per group with confidence bands; one panel per method (naive, adjusted)."""
    use_theme()
    parts = []
    for (method, group), c in curves.items():
        f = pd.DataFrame({"time_days": c.time, "survival": c.survival, "ci_low": c.ci_low,
                          "ci_high": c.ci_high})
        if len(f) > max_points:  # thin for the browser; keep the shape
            keep = np.unique(np.linspace(0, len(f) - 1, max_points).astype(int))
            f = f.iloc[keep]
        start = pd.DataFrame({"time_days": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]})
        parts.append(pd.concat([start, f]).assign(method=method, group=group))
    data = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["time_days", "survival", "ci_low", "ci_high", "method", "group"])
    base = alt.Chart(data).encode(
        x=alt.X("time_days:Q", title="days"),
        color=alt.Color("group:N", scale=_segment_scale(), title=None))
    band = base.mark_area(opacity=0.18, interpolate="step-after").encode(
        y=alt.Y("ci_low:Q", title=y_title, axis=alt.Axis(format="%")), y2="ci_high:Q")
    line = base.mark_line(interpolate="step-after").encode(
        y="survival:Q",
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("time_days:Q", format=".1f"),
                 alt.Tooltip("survival:Q", format=".1%")])
    return alt.layer(band, line).properties(width=300, height=220).facet(
        column=alt.Column("method:N", title=None, sort=["naive", "adjusted"])
    ).properties(title=title)


def effects_chart(effects: list[Effect], *, title: str = "Followers minus non-followers") -> alt.TopLevelMixin:
    """Forest plot: difference and interval per measure, naive and adjusted side by side."""
    use_theme()
    data = effects_frame(effects)
    data = data[data["difference"].notna()]
    base = alt.Chart(data).encode(
        y=alt.Y("measure:N", title=None),
        yOffset=alt.YOffset("method:N", sort=["naive", "adjusted"]),
        color=alt.Color("method:N", title=None, scale=alt.Scale(
            domain=list(_METHOD_COLORS), range=list(_METHOD_COLORS.values()))))
    rule = base.mark_rule().encode(x=alt.X("ci_low:Q", title="difference"), x2="ci_high:Q")
    point = base.mark_point(filled=True, size=60).encode(
        x="difference:Q",
        tooltip=["measure:N", "method:N", alt.Tooltip("difference:Q", format=",.3g"),
                 alt.Tooltip("ci_low:Q", format=",.3g"), alt.Tooltip("ci_high:Q", format=",.3g")])
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 4], color="#888").encode(x="x:Q")
    return alt.layer(zero, rule, point).properties(title=title, width=420)


def comparison_chart(comparison: SegmentComparison) -> alt.TopLevelMixin:
    """One forest plot per comparison (their units differ), stacked."""
    use_theme()
    charts = [effects_chart(list(part.effects), title=name.capitalize())
              for name, part in comparison.parts().items()]
    return alt.vconcat(*charts).resolve_scale(color="shared").properties(  # type: ignore[arg-type]
        title="Followers minus non-followers: naive vs adjusted")


def balance_chart(balance: BalanceTable) -> alt.TopLevelMixin:
    """Love plot: absolute standardised mean difference per covariate level, before and after."""
    use_theme()
    t = balance.to_frame()
    t["label"] = t["covariate"] + np.where(t["level"] != "", " = " + t["level"], "")
    long = pd.concat([
        pd.DataFrame({"label": t["label"], "when": "before weighting", "abs_smd": t["smd_before"].abs()}),
        pd.DataFrame({"label": t["label"], "when": "after weighting", "abs_smd": t["smd_after"].abs()}),
    ], ignore_index=True)
    points = alt.Chart(long).mark_point(filled=True, size=50).encode(
        x=alt.X("abs_smd:Q", title="|standardised mean difference|"),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("when:N", title=None, scale=alt.Scale(
            domain=["before weighting", "after weighting"], range=["#9a9a9a", PALETTE[0]])),
        tooltip=["label:N", "when:N", alt.Tooltip("abs_smd:Q", format=".3f")])
    line = alt.Chart(pd.DataFrame({"x": [balance.threshold]})).mark_rule(
        strokeDash=[4, 4], color=PALETTE[3]).encode(x="x:Q")
    return alt.layer(line, points).properties(title="Covariate balance", width=420)


def match_chart(report: MatchReport) -> alt.TopLevelMixin:
    """Audience rows per match method (unmatched shown in red)."""
    use_theme()
    data = report.to_frame()
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("rows:Q", title="audience rows"),
        y=alt.Y("method:N", title=None, sort=list(data["method"])),
        color=alt.condition(alt.datum.method == "unmatched", alt.value(PALETTE[3]), alt.value(PALETTE[0])),
        tooltip=["method:N", "rows:Q", alt.Tooltip("share:Q", format=".1%")],
    ).properties(title="How the social audience matched the customers")


def value_chart(value: ValueOfSocial) -> alt.TopLevelMixin:
    """Value per component with its interval."""
    use_theme()
    data: Any = value.to_frame()
    data = data[data["total"].notna()]
    base = alt.Chart(data).encode(y=alt.Y("component:N", title=None))
    bars = base.mark_bar().encode(
        x=alt.X("total:Q", title=f"value ({value.currency})"),
        tooltip=["component:N", alt.Tooltip("total:Q", format=",.0f"), "basis:N"])
    errs = base.mark_rule(color="#333").encode(x="total_low:Q", x2="total_high:Q")
    return alt.layer(bars, errs).properties(title=f"Value of social over {value.months} months")
