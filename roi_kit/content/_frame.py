"""Shared building blocks of the content module: the metric registry, per-post expressions that
run in the caller's engine, and exact local-time slots from UTC timestamps.

Engagement follows the project-wide definition: ``engagements = likes + comments + shares + saves``
(a missing column counts as 0 and is named in the notes). Clicks are kept apart.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({"post_id": ["a"], "platform": ["x"],
...                       "published_at": pd.to_datetime(["2024-01-01 09:00"]),
...                       "likes": [8], "comments": [2], "impressions": [200]})
>>> p = prepare_posts(posts)
>>> to_pandas(p.frame)["engagement_rate_by_impressions"].tolist()
[0.05]
>>> p.notes[0]
'engagements = likes + comments + shares + saves; missing columns counted as 0: shares, saves.'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.content._ladder import IntentWeights, intent_score_expr, rung_columns
from roi_kit.engine import Frame, as_frame, column_names, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError, MissingColumnError
from roi_kit.schema import check_table

__all__ = [
    "ENGAGEMENT_PARTS",
    "METRICS",
    "Metric",
    "MetricSpec",
    "PreparedPosts",
    "hour_band",
    "local_time_parts",
    "prepare_posts",
    "slot_sums",
    "validate_metric",
    "validate_tz",
]

ENGAGEMENT_PARTS: tuple[str, ...] = ("likes", "comments", "shares", "saves")

Metric = Literal[
    "engagement_rate_by_impressions", "engagement_rate_by_reach", "engagement_rate_by_followers",
    "ctr", "cost_per_engagement", "cost_per_click", "cpm", "engagements", "clicks", "reach",
    "impressions", "video_views", "conversions", "revenue", "intent_score",
]

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOUR_BANDS: tuple[str, ...] = ("night (0-5)", "morning (6-11)", "afternoon (12-17)", "evening (18-23)")


@dataclass(frozen=True)
class MetricSpec:
    """How one metric is computed per post.

    ``numerator``/``denominator`` are column names (``denominator`` is None for plain counts);
    ``scale`` multiplies the ratio (1000 for CPM); ``higher_is_better`` orders top lists;
    ``paid_only`` restricts the metric to paid posts with spend; ``label`` is for charts.
    """

    name: str
    numerator: str
    denominator: str | None
    label: str
    higher_is_better: bool = True
    scale: float = 1.0
    paid_only: bool = False

    @property
    def is_rate(self) -> bool:
        """True for a ratio of a count to a count of opportunities (a binomial-like rate)."""
        return self.denominator is not None and not self.paid_only


METRICS: dict[str, MetricSpec] = {
    m.name: m
    for m in (
        MetricSpec("engagement_rate_by_impressions", "engagements", "impressions",
                   "engagement rate (by impressions)"),
        MetricSpec("engagement_rate_by_reach", "engagements", "reach", "engagement rate (by reach)"),
        MetricSpec("engagement_rate_by_followers", "engagements", "followers",
                   "engagement rate (by followers)"),
        MetricSpec("ctr", "clicks", "impressions", "click-through rate"),
        MetricSpec("cost_per_engagement", "spend", "engagements", "cost per engagement",
                   higher_is_better=False, paid_only=True),
        MetricSpec("cost_per_click", "spend", "clicks", "cost per click",
                   higher_is_better=False, paid_only=True),
        MetricSpec("cpm", "spend", "impressions", "cost per 1,000 impressions",
                   higher_is_better=False, scale=1000.0, paid_only=True),
        MetricSpec("engagements", "engagements", None, "engagements"),
        MetricSpec("clicks", "clicks", None, "clicks"),
        MetricSpec("reach", "reach", None, "reach"),
        MetricSpec("impressions", "impressions", None, "impressions"),
        MetricSpec("video_views", "video_views", None, "video views"),
        MetricSpec("conversions", "conversions", None, "conversions"),
        MetricSpec("revenue", "revenue", None, "revenue"),
        MetricSpec("intent_score", "intent_score", None, "intent score (actions weighted by depth)"),
    )
}
"""Every metric a content function can rank, map or model, by name."""

_NUMERIC = ("spend", "reach", "impressions", "clicks", "video_views", "followers", "hashtags",
            *ENGAGEMENT_PARTS)


def validate_metric(metric: str, *, allowed: tuple[str, ...] | None = None) -> MetricSpec:
    """Return the :class:`MetricSpec` of ``metric`` or raise :class:`ConfigError` listing options.

    Examples
    --------
    >>> validate_metric("ctr").denominator
    'impressions'
    """
    names = allowed or tuple(METRICS)
    if metric not in names:
        raise ConfigError(
            f"metric={metric!r} is not one roi_kit knows here. Valid: {', '.join(names)}.",
            hint="pick one of the listed names, e.g. metric='engagement_rate_by_impressions'.",
        )
    return METRICS[metric]


def validate_tz(tz: str) -> ZoneInfo:
    """Check an IANA time-zone name (``"Europe/Copenhagen"``) and return its ZoneInfo.

    Examples
    --------
    >>> validate_tz("UTC").key
    'UTC'
    """
    try:
        return ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"tz={tz!r} is not a known time zone.",
            hint="use an IANA name such as 'UTC', 'Europe/London' or 'America/New_York'.",
        ) from exc


@dataclass(frozen=True)
class PreparedPosts:
    """The caller's posts (still in their engine) with per-post metric columns added.

    ``frame`` keeps every original column and adds ``engagements``, ``is_paid``, ``spend_value``,
    ``text_length``, ``hashtag_count`` and one column per defined metric in :data:`METRICS`;
    ``available`` lists the metrics that could be computed; ``notes`` say what was assumed.
    """

    frame: Frame
    columns: tuple[str, ...]
    available: tuple[str, ...]
    notes: tuple[str, ...]


def _ratio(num: nw.Expr, den: nw.Expr, *, scale: float = 1.0, guard: nw.Expr | None = None) -> nw.Expr:
    cond = den > 0 if guard is None else (den > 0) & guard
    return nw.when(cond).then(num * scale / den)


def prepare_posts(posts: Any, *, name: str = "posts", needs_time: str | None = None) -> PreparedPosts:
    """Add engagement, paid flag, text features and every computable metric, in the caller's engine.

    Parameters
    ----------
    posts
        A canonical posts table (``post_id, platform``, ``published_at`` or ``weekday`` + ``hour``,
        and optional counts).
    name
        What to call the argument in messages.
    needs_time
        The calling function's name when it needs each post's publish time (``published_at``):
        posts timed only by weekday and hour are then refused with a hint.
    """
    check_table(posts, "posts", name=name)
    frame = as_frame(posts, name=name)
    cols = column_names(frame)
    if needs_time and "published_at" not in cols:
        raise MissingColumnError(
            f"{name} has no published_at (the export states only a weekday and an hour), and "
            f"{needs_time} needs the date and time of each post. Columns found: {', '.join(cols)}.",
            hint="load an export with the publish time; rk.best_time_to_post works from weekday "
            "and hour alone.")
    notes: list[str] = []
    casts = [nw.col(c).cast(nw.Float64) for c in _NUMERIC if c in cols]
    if casts:
        frame = frame.with_columns(casts)
    parts = [c for c in ENGAGEMENT_PARTS if c in cols]
    missing_parts = [c for c in ENGAGEMENT_PARTS if c not in cols]
    if parts:
        eng = sum((nw.col(c).fill_null(0.0) for c in parts[1:]), nw.col(parts[0]).fill_null(0.0))
        if missing_parts:
            notes.append("engagements = likes + comments + shares + saves; missing columns counted "
                         f"as 0: {', '.join(missing_parts)}.")
    elif "engagements" in cols:
        eng = nw.col("engagements").cast(nw.Float64).fill_null(0.0)
        notes.append("no likes/comments/shares/saves columns: used the engagements column as given.")
    else:
        eng = None
        notes.append("no likes, comments, shares or saves columns: engagement metrics are unavailable.")
    if "paid" in cols:
        paid = nw.col("paid").cast(nw.Boolean).fill_null(False)
    elif "spend" in cols:
        paid = nw.col("spend").fill_null(0.0) > 0
        notes.append("no paid column: posts with spend > 0 are treated as paid.")
    else:
        paid = nw.lit(False)
        notes.append("no paid or spend column: every post is treated as organic.")
    spend = nw.col("spend").fill_null(0.0) if "spend" in cols else nw.lit(0.0)
    if "text" in cols:
        text_len = nw.col("text").str.len_chars().cast(nw.Float64)
        tags = (nw.col("text").str.len_chars()
                - nw.col("text").str.replace_all("#", "", literal=True).str.len_chars())
    else:
        text_len = nw.lit(None, dtype=nw.Float64)
        tags = nw.lit(None, dtype=nw.Float64)
    hashtag = nw.col("hashtags") if "hashtags" in cols else tags.cast(nw.Float64)
    base = [paid.alias("is_paid"), spend.alias("spend_value"), text_len.alias("text_length"),
            hashtag.alias("hashtag_count")]
    if eng is not None:
        base.append(eng.alias("engagements"))
    # the intent ladder's score with the default weights (rk.intent_ladder for your own weights)
    actions = set(cols) & {"likes", "comments", "shares", "clicks", "inquiries"}
    if "intent_score" not in cols and actions:
        score = intent_score_expr(rung_columns(), actions, IntentWeights())
        if score is not None:
            base.append(score.alias("intent_score"))
    frame = frame.with_columns(base)
    have = set(column_names(frame))
    exprs: list[nw.Expr] = []
    available: list[str] = []
    for spec in METRICS.values():
        num = "spend_value" if spec.numerator == "spend" else spec.numerator
        if spec.numerator not in have or (spec.denominator and spec.denominator not in have):
            continue
        if spec.paid_only and "spend" not in cols:
            continue
        available.append(spec.name)
        if spec.denominator is None:
            continue  # a plain count: the column itself
        guard = (nw.col("is_paid") & (nw.col("spend_value") > 0)) if spec.paid_only else None
        exprs.append(_ratio(nw.col(num), nw.col(spec.denominator), scale=spec.scale,
                            guard=guard).alias(spec.name))
    if exprs:
        frame = frame.with_columns(exprs)
    return PreparedPosts(frame, tuple(column_names(frame)), tuple(available), tuple(notes))


def require_metric(prepared: PreparedPosts, metric: str) -> MetricSpec:
    """The metric's spec, or a :class:`MissingColumnError` naming the columns it needs."""
    spec = validate_metric(metric)
    if spec.name not in prepared.available:
        need = [c for c in (spec.numerator, spec.denominator) if c]
        raise MissingColumnError(
            f"posts cannot give {spec.label}: it needs the columns {', '.join(need)}"
            f"{' and paid posts with spend' if spec.paid_only else ''}. "
            f"Columns found: {', '.join(prepared.columns)}.",
            hint=f"pick a metric that your export supports: {', '.join(prepared.available) or '(none)'}.",
        )
    return spec


def local_time_parts(ts: pd.Series, tz: str) -> pd.DataFrame:
    """Local time, weekday (0 = Monday) and hour of UTC (naive or aware) timestamps in ``tz``.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2024-07-01 22:30"]))
    >>> local_time_parts(s, "Europe/Copenhagen")[["weekday", "hour"]].values.tolist()
    [[1, 0]]
    """
    zone = validate_tz(tz)
    ts = pd.to_datetime(ts)
    ts = ts.dt.tz_localize("UTC") if ts.dt.tz is None else ts
    local = ts.dt.tz_convert(zone.key)
    return pd.DataFrame({"local_time": local, "weekday": local.dt.day_of_week.astype("int64"),
                         "hour": local.dt.hour.astype("int64")}, index=ts.index)


def hour_band(hours: pd.Series) -> pd.Series:
    """Four six-hour bands of the day (night, morning, afternoon, evening) as an ordered category.

    Examples
    --------
    >>> hour_band(pd.Series([3, 9, 13, 22])).astype(str).tolist()
    ['night (0-5)', 'morning (6-11)', 'afternoon (12-17)', 'evening (18-23)']
    """
    codes = (pd.to_numeric(hours).to_numpy() // 6).astype(int)
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(HOUR_BANDS), ordered=True),
                     index=hours.index)


def slot_sums(frame: Frame, *, tz: str, keys: tuple[str, ...] = (),
              sums: tuple[str, ...] = ()) -> pd.DataFrame:
    """Aggregate posts to (keys, local weekday, local hour) with post counts and column sums.

    The group-by runs in the caller's engine on UTC quarter-hour slots (every time zone's offset
    is a multiple of 15 minutes, so the slot maps to exactly one local hour); only the slots are
    converted to ``tz`` in pandas. DuckDB and Spark keep time zones in the session, not the data,
    so this also keeps the conversion engine-independent.

    Returns a pandas frame with ``keys``, ``weekday`` (0 = Monday), ``hour``, ``posts`` and one
    column per name in ``sums``.
    """
    validate_tz(tz)
    if "published_at" not in column_names(frame):  # an export with weekday and hour only
        from roi_kit.content._stated_time import stated_slot_sums

        return stated_slot_sums(frame, keys=keys, sums=sums)
    work = frame.filter(~nw.col("published_at").is_null()).with_columns(
        nw.col("published_at").dt.truncate("1h").alias("_slot_hour"),
        (nw.col("published_at").dt.minute() // 15).cast(nw.Int64).alias("_slot_q"),
    )
    # nw.len(), not a sum of 1.0: PostgreSQL reads a bare 1.0 as numeric, which Ibis cannot fetch
    aggs = [nw.len().alias("posts"), *(nw.col(c).sum().alias(c) for c in sums)]
    agg = to_pandas(work.group_by([*keys, "_slot_hour", "_slot_q"]).agg(aggs))
    if agg.empty:
        raise EmptyDataError("posts has no rows with a published_at time.",
                             hint="check that published_at is filled and parsed as a date-time.")
    when = pd.to_datetime(agg["_slot_hour"]) + pd.to_timedelta(agg["_slot_q"] * 15, unit="min")
    parts = local_time_parts(when, tz)
    agg = agg.assign(weekday=parts["weekday"], hour=parts["hour"])
    value_cols = ["posts", *sums]
    agg[value_cols] = agg[value_cols].astype("float64")
    out = agg.groupby([*keys, "weekday", "hour"], as_index=False, observed=True)[value_cols].sum()
    return out.reset_index(drop=True)


def wilson_bounds(successes: np.ndarray, trials: np.ndarray, *,
                  z: float = 1.959963984540054) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial share (share clipped to [0, 1]).

    Examples
    --------
    >>> lo, hi = wilson_bounds(np.array([5.0]), np.array([10.0]))
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.2366, 0.7634)
    """
    m = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.clip(np.asarray(successes, dtype=float) / m, 0.0, 1.0)
        centre = p + z * z / (2 * m)
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m))
        den = 1 + z * z / m
    return (centre - half) / den, (centre + half) / den


def wilson_expr(successes: nw.Expr, trials: nw.Expr, *, lower: bool,
                z: float = 1.959963984540054) -> nw.Expr:
    """Wilson lower (or upper) bound as a narwhals expression, so ranking runs in the engine."""
    p = (successes / trials).clip(0.0, 1.0)
    centre = p + z * z / (trials * 2)
    half = (p * (1 - p) / trials + z * z / (trials * trials * 4)).sqrt() * z
    bound = (centre - half) if lower else (centre + half)
    return nw.when(trials > 0).then(bound / (1 + z * z / trials))


def finite_or_none(x: float) -> float | None:
    """``x`` as a float, or None when it is NaN/inf (so nothing prints ``nan``)."""
    return float(x) if x is not None and math.isfinite(float(x)) else None
