"""Chart builders for the content module (pure functions ``result -> alt.Chart``).

Post captions reach charts only through tooltips (rendered as text by Vega, never as HTML) and
are cut to 120 characters.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.content import best_time_to_post
>>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": ["x", "x"],
...     "published_at": pd.to_datetime(["2024-07-01 07:00", "2024-07-02 08:00"]),
...     "likes": [5, 7], "impressions": [100, 100]})
>>> spec = best_time_chart(best_time_to_post(posts)).to_dict()
>>> spec["spec"]["layer"][1]["mark"]["type"]
'text'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from roi_kit.charts.theme import PALETTE, use_theme

if TYPE_CHECKING:
    from roi_kit.content.audience import AudienceBreakdown
    from roi_kit.content.boosting import Boosting
    from roi_kit.content.drivers import Drivers
    from roi_kit.content.growth import FollowerGrowth
    from roi_kit.content.intent import IntentLadder
    from roi_kit.content.metrics import PostMetrics
    from roi_kit.content.timing import BestTime
    from roi_kit.content.top import TopPosts

__all__ = [
    "audience_breakdown_chart",
    "best_time_chart",
    "boosting_chart",
    "drivers_chart",
    "follower_growth_chart",
    "intent_ladder_chart",
    "post_metrics_chart",
    "top_posts_chart",
]

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _metric_label(metric: str) -> str:
    from roi_kit.content._metric_specs import METRICS

    return METRICS[metric].label


def _fmt(metric: str) -> str:
    from roi_kit.content._metric_specs import METRICS

    return ".2%" if METRICS[metric].is_rate else ",.2f"


def post_metrics_chart(result: PostMetrics) -> alt.TopLevelMixin:
    """Median engagement rate (by impressions, else reach, else followers) per platform and type."""
    use_theme()
    t = result.table
    rate = next((r for r in ("engagement_rate_by_impressions", "engagement_rate_by_reach",
                             "engagement_rate_by_followers") if r in t), None)
    if rate is None:
        data = t.groupby("platform", as_index=False).size().rename(columns={"size": "posts"})
        return alt.Chart(data, title="Posts per platform").mark_bar().encode(
            x=alt.X("posts:Q", title="posts"), y=alt.Y("platform:N", title=None))
    keys = ["platform", "type"] if "type" in t else ["platform"]
    data = t.groupby(keys, as_index=False, observed=True).agg(
        median=(rate, "median"), posts=(rate, "count"))
    color = alt.Color("type:N", title="post type") if "type" in t else alt.value(PALETTE[0])
    return alt.Chart(data, title=f"Median {_metric_label(rate)}").mark_bar().encode(
        x=alt.X("median:Q", title=_metric_label(rate), axis=alt.Axis(format="%")),
        y=alt.Y("platform:N", title=None), yOffset="type:N" if "type" in t else alt.value(0),
        color=color, tooltip=[*keys, alt.Tooltip("median:Q", format=".2%"), "posts:Q"])


def top_posts_chart(result: TopPosts) -> alt.TopLevelMixin:
    """Top and bottom posts as horizontal bars; captions in the tooltip."""
    use_theme()
    frame = result.to_frame()
    data = pd.DataFrame({
        "list": frame["list"],
        "post": frame["list"] + " " + frame["rank"].astype(str) + " · " + frame["platform"].astype(str)
        + " · " + frame["post_id"].astype(str),
        "value": frame[result.metric].astype(float),
        "score": frame["score"].astype(float),
        "caption": (frame["text"].astype("string").fillna("").str.slice(0, 120)
                    if "text" in frame else ""),
    })
    fmt = _fmt(result.metric)
    return alt.Chart(data, title=f"Top and bottom posts by {_metric_label(result.metric)}").mark_bar().encode(
        x=alt.X("value:Q", title=_metric_label(result.metric), axis=alt.Axis(format=fmt[:-1] if fmt.endswith("f") else fmt)),
        y=alt.Y("post:N", sort=None, title=None),
        color=alt.Color("list:N", scale=alt.Scale(domain=["top", "bottom"], range=[PALETTE[0], PALETTE[3]]),
                        title=None),
        tooltip=["post:N", alt.Tooltip("value:Q", format=fmt), alt.Tooltip("score:Q", format=fmt),
                 "caption:N"])


def best_time_chart(result: BestTime) -> alt.TopLevelMixin:
    """Weekday × hour heatmap of shrunk rates, post counts written in each cell, one row per platform."""
    use_theme()
    data = result.cells.assign(count_text=result.cells["posts"].astype(str))
    fmt = _fmt(result.metric)
    base = alt.Chart().encode(
        x=alt.X("hour:O", title=f"hour ({result.tz})"),
        y=alt.Y("weekday_name:O", sort=_WEEKDAYS, title=None))
    rect = base.mark_rect().encode(  # a slot with no posts has no rate to colour: grey
        color=alt.condition(alt.datum.posts > 0, alt.Color(
            "rate:Q", title=_metric_label(result.metric), scale=alt.Scale(scheme="blues")),
            alt.value("#eeeeee")),
        tooltip=["platform:N", "weekday_name:N", "hour:O", "posts:Q",
                 alt.Tooltip("raw_rate:Q", format=fmt, title="raw"),
                 alt.Tooltip("rate:Q", format=fmt, title="shrunk"),
                 alt.Tooltip("ci_low:Q", format=fmt), alt.Tooltip("ci_high:Q", format=fmt)])
    text = base.mark_text(fontSize=9).encode(text="count_text:N", color=alt.value("#333333"))
    return alt.layer(rect, text, data=data).facet(
        row=alt.Row("platform:N", title=None)).properties(
        title=f"Best time to post ({result.tz}): shrunk {_metric_label(result.metric)}, post counts in cells")


def drivers_chart(result: Drivers) -> alt.TopLevelMixin:
    """Coefficient plot: each term's effect with its confidence interval, zero line for reference."""
    use_theme()
    data = result.to_frame()
    title = ("effect on the rate (% change)" if result.scale == "log" else "effect on the metric")
    fmt = ".0%" if result.scale == "log" else ",.4f"
    base = alt.Chart(data).encode(y=alt.Y("term:N", sort=None, title=None))
    rule = base.mark_rule().encode(x=alt.X("effect_ci_low:Q", title=title, axis=alt.Axis(format=fmt)),
                                   x2="effect_ci_high:Q")
    point = base.mark_point(filled=True, size=60).encode(
        x="effect:Q", tooltip=["term:N", alt.Tooltip("effect:Q", format=fmt),
                               alt.Tooltip("effect_ci_low:Q", format=fmt),
                               alt.Tooltip("effect_ci_high:Q", format=fmt),
                               alt.Tooltip("p_value:Q", format=".3f")])
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#888888", strokeDash=[4, 4]).encode(x="x:Q")
    return alt.layer(zero, rule, point).properties(
        title=f"What drives {_metric_label(result.metric)} ({int(result.conf_level * 100)}% intervals)")


def boosting_chart(result: Boosting) -> alt.TopLevelMixin:
    """Paid / organic ratio with its interval per platform-type group and outcome."""
    use_theme()
    e = result.to_frame()
    keys = [k for k in ("platform", "type") if k in e]
    e = e.assign(group=e[keys].astype(str).agg(" · ".join, axis=1) if keys else "all posts")
    base = alt.Chart(e).encode(y=alt.Y("group:N", title=None), color=alt.Color("outcome:N"),
                               yOffset="outcome:N")
    rule = base.mark_rule().encode(x=alt.X("ratio_ci_low:Q", title="boosted ÷ organic (per post)",
                                           scale=alt.Scale(type="log")), x2="ratio_ci_high:Q")
    point = base.mark_point(filled=True).encode(
        x="ratio:Q", tooltip=["group:N", "outcome:N", "paid_posts:Q", "organic_posts:Q",
                              alt.Tooltip("ratio:Q", format=".2f"),
                              alt.Tooltip("incremental_per_spend:Q", format=",.2f")])
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#888888", strokeDash=[4, 4]).encode(x="x:Q")
    return alt.layer(one, rule, point).properties(title="What boosting adds over organic posts")


def follower_growth_chart(result: FollowerGrowth) -> alt.TopLevelMixin:
    """Followers at the end of each period, one line per platform."""
    use_theme()
    return alt.Chart(result.to_frame(), title=f"Followers per {result.freq}").mark_line(point=True).encode(
        x=alt.X("period_start:T", title=None), y=alt.Y("followers:Q", title="followers"),
        color=alt.Color("platform:N", title=None),
        tooltip=["platform:N", "period_start:T", alt.Tooltip("followers:Q", format=",.0f"),
                 alt.Tooltip("net_new:Q", format=",.0f"), alt.Tooltip("growth_rate:Q", format=".2%")])


def audience_breakdown_chart(result: AudienceBreakdown) -> alt.TopLevelMixin:
    """Share of followers per level, one panel per demographic dimension."""
    use_theme()
    return alt.Chart(result.to_frame()).mark_bar().encode(
        x=alt.X("share:Q", axis=alt.Axis(format="%"), title="share of followers"),
        y=alt.Y("level:N", title=None), color=alt.Color("platform:N", title=None),
        yOffset="platform:N",
        tooltip=["platform:N", "dimension:N", "level:N", alt.Tooltip("count:Q", format=",.0f"),
                 alt.Tooltip("share:Q", format=".1%")],
    ).facet(row=alt.Row("dimension:N", title=None)).resolve_scale(y="independent").properties(
        title="Audience breakdown")


def intent_ladder_chart(result: IntentLadder) -> alt.TopLevelMixin:
    """Intent points per rung, the rungs in ladder order (counts and weights in the tooltip)."""
    use_theme()
    data = result.ladder[["rung", "weight", "count", "points"]]
    return alt.Chart(data).mark_bar(color=PALETTE[0]).encode(
        x=alt.X("rung:N", sort=list(data["rung"]), title="intent ladder (deeper to the right)"),
        y=alt.Y("points:Q", title="intent points (weight x count)"),
        tooltip=["rung:N", alt.Tooltip("count:Q", format=",.0f"),
                 alt.Tooltip("weight:Q", format=",.2f"), alt.Tooltip("points:Q", format=",.0f")],
    ).properties(title="Where the intent is: points per rung of the ladder")
