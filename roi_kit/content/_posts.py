"""Prepare posts for the content functions: per-post engagement, paid flag, text features and
every computable metric, added as columns in the caller's engine.

:func:`prepare_posts` checks the canonical posts table, casts the counts, sums engagements (a
missing part counts as 0 and is named in the notes), decides which posts are paid (the ``paid``
column, else spend > 0), adds text length, hashtag count and the intent score, then one column
per metric of :data:`~roi_kit.content._metric_specs.METRICS` whose columns are present.
:func:`require_metric` turns a metric the export cannot give into a ``MissingColumnError``.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.engine import to_pandas
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

from dataclasses import dataclass
from typing import Any

import narwhals as nw

from roi_kit.content._ladder import IntentWeights, intent_score_expr, rung_columns
from roi_kit.content._metric_specs import ENGAGEMENT_PARTS, METRICS, MetricSpec, validate_metric
from roi_kit.engine import Frame, as_frame, column_names
from roi_kit.errors import MissingColumnError
from roi_kit.schema import check_table

__all__ = ["PreparedPosts", "prepare_posts", "require_metric"]

_NUMERIC = ("spend", "reach", "impressions", "clicks", "video_views", "followers", "hashtags",
            *ENGAGEMENT_PARTS)


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
