"""Per-post metrics: engagement rates (named), CTR, paid cost ratios, and conversions and revenue
from touchpoints that link back to a post through its UTM tags.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({
...     "post_id": ["p1", "p2"], "platform": ["linkedin", "linkedin"],
...     "published_at": pd.to_datetime(["2024-03-04 09:00", "2024-03-05 15:00"]),
...     "likes": [40, 5], "comments": [10, 0], "shares": [0, 0], "saves": [0, 0],
...     "impressions": [1000, 500], "reach": [800, 400], "clicks": [20, 5],
...     "paid": [True, False], "spend": [50.0, 0.0]})
>>> m = post_metrics(posts)
>>> m.to_frame()[["post_id", "engagement_rate_by_impressions", "cost_per_click"]]
  post_id  engagement_rate_by_impressions  cost_per_click
0      p1                            0.05             2.5
1      p2                            0.01             NaN
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw
import pandas as pd

from roi_kit.content._metric_specs import METRICS
from roi_kit.content._posts import prepare_posts
from roi_kit.content._slots import WEEKDAYS, hour_band, local_time_parts, validate_tz
from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.errors import ConfigError, MissingColumnError
from roi_kit.formatting import fmt_number, fmt_pct, no_interval
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["LinkOn", "PostMetrics", "post_metrics"]

LinkOn = Literal["content", "campaign"]

_KEEP = ("post_id", "platform", "published_at", "type", "text", "campaign", "media", "spend",
         "reach", "impressions", "followers", "likes", "comments", "shares", "saves", "clicks",
         "video_views")


@dataclass(frozen=True)
class PostMetrics(ResultMixin):
    """One row per post with every metric that the export allows.

    Attributes
    ----------
    table
        The per-post table (see :meth:`to_frame`).
    available
        Names of the metrics that could be computed.
    tz
        Time zone of ``local_time``, ``weekday`` and ``hour``.
    linked
        How touchpoints were linked (``"content"``/``"campaign"``) or ``None``.
    notes
        Assumptions in words (missing columns counted as 0, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.content import post_metrics
    >>> posts = pd.DataFrame({"post_id": ["A1"], "platform": ["x"],
    ...     "published_at": pd.to_datetime(["2024-01-01 12:00"]), "likes": [3], "impressions": [100]})
    >>> post_metrics(posts).to_frame()["engagement_rate_by_impressions"].tolist()
    [0.03]
    """

    table: pd.DataFrame
    available: tuple[str, ...]
    tz: str
    linked: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """Per-post table.

        Columns: ``post_id, platform, published_at`` (as given), ``local_time, weekday``
        (0 = Monday), ``weekday_name, hour, hour_band`` (in ``tz``), ``paid``, ``spend``, the
        counts found, ``engagements``, ``text_length``, ``hashtags``, one column per metric
        (``engagement_rate_by_impressions``, ``engagement_rate_by_reach``,
        ``engagement_rate_by_followers``, ``ctr``, ``cost_per_engagement``, ``cost_per_click``,
        ``cpm``; NaN where undefined, e.g. zero impressions or an organic post's cost), and with
        touchpoints ``sessions, conversions, revenue`` (0 for posts nothing links to).
        """
        return self.table.copy()

    def summary(self) -> str:
        """Totals and typical rates per platform, in words."""
        t = self.table
        lines = [f"{len(t):,} posts on {t['platform'].nunique()} platform(s); times in {self.tz}."]
        rate = next((r for r in ("engagement_rate_by_impressions", "engagement_rate_by_reach",
                                 "engagement_rate_by_followers") if r in t), None)
        if rate is not None:
            med = t.groupby("platform", observed=True)[rate].median().dropna()
            if len(med):
                parts = ", ".join(f"{p} {fmt_pct(v, decimals=2)}" for p, v in med.items())
                lines.append(f"Median {METRICS[rate].label}: {parts}.")
        paid = t[t["paid"]]
        if len(paid) and "spend" in t:
            spend = float(paid["spend"].sum())
            txt = f"{len(paid):,} paid posts spent {fmt_number(spend, decimals=2)}"
            if "clicks" in t and paid["clicks"].sum() > 0:
                txt += f"; cost per click {fmt_number(spend / paid['clicks'].sum(), decimals=2)}"
            lines.append(txt + ".")
        if self.linked is not None:
            conv = float(t["conversions"].sum())
            rev = float(t["revenue"].sum())
            n_linked = int((t["sessions"] > 0).sum())
            lines.append(f"Touchpoints linked by utm_{self.linked} to {n_linked:,} posts: "
                         f"{fmt_number(conv)} conversions worth {fmt_number(rev, decimals=2)}.")
        lines.append(no_interval("medians, spend and linked conversions", "they describe these posts "
                                 "as counted; rk.rates(posts, by=...) gives rates with cluster-robust "
                                 "intervals"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.TopLevelMixin:
        """Median engagement rate per platform and post type (bar chart)."""
        from roi_kit.charts.content import post_metrics_chart

        return post_metrics_chart(self)


def _touchpoint_sums(touchpoints: Any, link_on: LinkOn) -> pd.DataFrame:
    frame = as_frame(touchpoints, name="touchpoints")
    cols = column_names(frame)
    if link_on not in cols:
        raise MissingColumnError(
            f"touchpoints has no {link_on!r} column (utm_{link_on}) to link posts by. "
            f"Columns found: {', '.join(cols)}.",
            hint="load touchpoints with rk.load_touchpoints (it splits utm_* tags of a url column) "
            "or pass link_on='campaign'/'content' to match the column you have.",
        )
    if "converted" not in cols and "conversion_value" not in cols:
        raise MissingColumnError(
            f"touchpoints has neither 'converted' nor 'conversion_value'. Columns found: {', '.join(cols)}.",
            hint="add a converted flag (true on the touch that converted) or a conversion_value.",
        )
    conv = (nw.col("converted").cast(nw.Boolean).fill_null(False) if "converted" in cols
            else nw.col("conversion_value").fill_null(0) > 0)
    value = (nw.col("conversion_value").cast(nw.Float64).fill_null(0.0) if "conversion_value" in cols
             else nw.lit(0.0))
    work = frame.filter(~nw.col(link_on).is_null()).with_columns(
        nw.col(link_on).cast(nw.String).str.strip_chars().str.to_lowercase().alias("_key"),
        nw.lit(1.0).alias("_one"),
        nw.when(conv).then(1.0).otherwise(0.0).alias("_conv"),
        nw.when(conv).then(value).otherwise(0.0).alias("_value"),
    )
    agg = work.group_by("_key").agg(
        nw.col("_one").sum().alias("sessions"), nw.col("_conv").sum().alias("conversions"),
        nw.col("_value").sum().alias("revenue"))
    return to_pandas(agg)


def _link(table: pd.DataFrame, sums: pd.DataFrame, link_on: LinkOn) -> pd.DataFrame:
    source = "post_id" if link_on == "content" else "campaign"
    if source not in table:
        raise MissingColumnError(
            "posts has no 'campaign' column to match touchpoints' utm_campaign.",
            hint="add the campaign each post belongs to, or link by utm_content with link_on='content'.",
        )
    key = table[source].astype("string").str.strip().str.lower()
    merged = pd.DataFrame({"_key": key}).merge(sums, on="_key", how="left")
    values = merged[["sessions", "conversions", "revenue"]].fillna(0.0).to_numpy()
    if link_on == "campaign":  # a campaign's conversions are split equally over its posts
        n_posts = key.map(key.value_counts()).fillna(1).to_numpy()[:, None]
        values = values / n_posts
    out = table.copy()
    out[["sessions", "conversions", "revenue"]] = values
    return out


def post_metrics(
    posts: Any,
    *,
    touchpoints: Any | None = None,
    link_on: LinkOn = "content",
    tz: str = "UTC",
) -> PostMetrics:
    """Engagement rates, CTR, cost ratios, conversions and revenue for every post.

    Engagements are ``likes + comments + shares + saves`` (missing columns count as 0 and are
    named in the notes); clicks are reported separately. Rates with a zero or missing
    denominator are NaN (undefined), never 0 or infinity. Cost per engagement / click and CPM
    are defined only for paid posts with spend.

    Parameters
    ----------
    posts
        Canonical posts table in any engine narwhals supports.
    touchpoints
        Optional touchpoint log (``content`` and/or ``campaign`` = the utm tags, ``converted``,
        ``conversion_value``). With ``link_on="content"`` a touch belongs to the post whose
        ``post_id`` equals its utm_content (case and surrounding spaces ignored); with
        ``"campaign"`` it belongs to the posts sharing its utm_campaign, split equally.
    link_on
        Which UTM tag links touchpoints to posts.
    tz
        Time zone for the local weekday and hour columns.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["A1"], "platform": ["x"],
    ...     "published_at": pd.to_datetime(["2024-01-01 12:00"]), "likes": [3], "impressions": [100]})
    >>> tp = pd.DataFrame({"user_id": ["u1", "u2"], "timestamp": pd.to_datetime(["2024-01-02"] * 2),
    ...     "content": ["a1", "a1"], "converted": [True, False], "conversion_value": [99.0, 0.0]})
    >>> post_metrics(posts, touchpoints=tp).to_frame()[["sessions", "conversions", "revenue"]]
       sessions  conversions  revenue
    0       2.0          1.0     99.0
    """
    validate_tz(tz)
    if link_on not in ("content", "campaign"):
        raise ConfigError(f"link_on={link_on!r} is not valid. Valid: 'content', 'campaign'.",
                          hint="use link_on='content' (utm_content = post_id) or 'campaign'.")
    prepared = prepare_posts(posts, needs_time="rk.post_metrics")
    frame = prepared.frame
    require_columns(frame, ["post_id"], name="posts")
    rates = [m for m in prepared.available if METRICS[m].denominator is not None]
    keep = [c for c in _KEEP if c in prepared.columns]
    extra = ["is_paid", "text_length", "hashtag_count", *(["engagements"] if "engagements" in
                                                           prepared.available else []), *rates]
    table = to_pandas(frame.select([*keep, *extra]))
    table = table.rename(columns={"is_paid": "paid", "hashtag_count": "hashtags"})
    table["paid"] = table["paid"].astype(bool)
    parts = local_time_parts(table["published_at"], tz)
    table.insert(3, "local_time", parts["local_time"])
    table.insert(4, "weekday", parts["weekday"])
    table.insert(5, "weekday_name", parts["weekday"].map(dict(enumerate(WEEKDAYS))))
    table.insert(6, "hour", parts["hour"])
    table.insert(7, "hour_band", hour_band(parts["hour"]))
    linked: str | None = None
    if touchpoints is not None:
        table = _link(table, _touchpoint_sums(touchpoints, link_on), link_on)
        linked = link_on
    return PostMetrics(table, prepared.available, validate_tz(tz).key, linked, prepared.notes)
