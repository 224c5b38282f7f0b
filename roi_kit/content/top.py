"""Top and bottom posts by any metric, guarded against tiny samples, and what sets top posts apart.

A post seen by 40 people with 6 likes has a 15 % engagement rate and would top a naive list.
roi_kit ranks rates by a conservative score instead:

* ``rank_by="wilson"`` (default for rates): top posts by the lower bound of the 95 % Wilson score
  interval of ``numerator / denominator`` (bottom posts by the upper bound), so a post must be
  both good *and* well measured to rank high — the rule Reddit and Evan Miller popularised for
  ratings. Rates above 1 (engagements by reach can exceed reach) are clipped to 1 for the bound.
* ``rank_by="shrunk"``: the empirical-Bayes posterior mean ``(x + μκ) / (m + κ)`` with a beta
  prior fitted to all eligible posts by the method of moments (binomial noise subtracted).
* ``rank_by="raw"``: the metric itself (counts and costs are always ranked raw).

The result, :class:`~roi_kit.content._top_result.TopPosts`, and its words live in
:mod:`roi_kit.content._top_result`.

Posts below ``min_impressions`` / ``min_reach`` are left out and counted.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({
...     "post_id": ["tiny", "solid", "ok", "weak"], "platform": ["x"] * 4,
...     "published_at": pd.to_datetime(["2024-01-01 09:00"] * 4),
...     "likes": [2, 300, 250, 20], "impressions": [20, 5000, 5000, 5000]})
>>> r = top_posts(posts, n=2, min_impressions=0)
>>> r.to_frame()[["list", "rank", "post_id", "engagement_rate_by_impressions"]]
     list  rank post_id  engagement_rate_by_impressions
0     top     1   solid                           0.060
1     top     2      ok                           0.050
2  bottom     1    weak                           0.004
3  bottom     2      ok                           0.050

The post with 2 likes out of 20 impressions (10 %) ranks in neither list: its Wilson bound
(2.8 % to 30 %) is too wide.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.aggregates import wilson_expr
from roi_kit.content._metric_specs import MetricSpec
from roi_kit.content._posts import prepare_posts, require_metric
from roi_kit.content._slots import (
    HOUR_BANDS,
    WEEKDAYS,
    hour_band,
    local_time_parts,
    slot_sums,
    validate_tz,
)
from roi_kit.content._top_result import TopPosts
from roi_kit.engine import Frame, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError

__all__ = ["RankBy", "TopPosts", "top_posts"]

RankBy = Literal["wilson", "shrunk", "raw"]

_SHOW = ("post_id", "platform", "published_at", "type", "paid", "text", "reach", "impressions",
         "engagements", "clicks", "spend")
_CATEGORICAL = (("type", "type"), ("platform", "platform"), ("is_paid", "paid"), ("media", "media"))
_NUMERIC = (("text_length", "text length (characters)"), ("hashtag_count", "hashtags"))


def _scores(frame: Frame, spec: MetricSpec, rank_by: RankBy) -> tuple[Frame, str]:
    col = nw.col(spec.name)
    if not spec.is_rate or rank_by == "raw":
        return frame.with_columns(col.alias("_top"), col.alias("_bottom")), "raw"
    num, den = nw.col(spec.numerator), nw.col(str(spec.denominator))
    if rank_by == "wilson":
        return frame.with_columns(wilson_expr(num, den, lower=True).alias("_top"),
                                  wilson_expr(num, den, lower=False).alias("_bottom")), "wilson"
    mom = to_pandas(frame.with_columns((col * col).alias("_r2"), (1.0 / den).alias("_inv"))
                    .select(col.mean().alias("m"), nw.col("_r2").mean().alias("m2"),
                            nw.col("_inv").mean().alias("inv"))).iloc[0]
    mu = float(np.clip(mom["m"], 1e-9, 1 - 1e-9))
    tau2 = float(mom["m2"] - mom["m"] ** 2) - mu * (1 - mu) * float(mom["inv"])
    kappa = mu * (1 - mu) / tau2 - 1 if tau2 > 0 else 1e9
    kappa = float(min(max(kappa, 1e-6), 1e9))
    score = (num + mu * kappa) / (den + kappa)
    return frame.with_columns(score.alias("_top"), score.alias("_bottom")), "shrunk"


def top_posts(
    posts: Any,
    *,
    metric: str = "engagement_rate_by_impressions",
    n: int = 10,
    min_reach: int = 0,
    min_impressions: int = 100,
    rank_by: RankBy = "wilson",
    top_share: float = 0.1,
    tz: str = "UTC",
) -> TopPosts:
    """The ``n`` best and worst posts by ``metric``, with guards against tiny audiences.

    Parameters
    ----------
    posts
        Canonical posts table (any engine). For ``conversions``/``revenue`` pass
        ``rk.post_metrics(posts, touchpoints=...).to_frame()``.
    metric
        A name from ``roi_kit.content.METRICS`` (rates, counts, or paid costs where lower wins).
    n
        Length of each list.
    min_reach, min_impressions
        Posts below these are left out (ignored when the column is absent).
    rank_by
        ``"wilson"``, ``"shrunk"`` or ``"raw"`` (see the module notes); counts and costs are ranked raw.
    top_share
        Share of eligible posts that form the "top group" compared in ``characteristics``.
    tz
        Time zone for the hour and weekday characteristics.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": list("abcd"), "platform": ["x"] * 4,
    ...     "published_at": pd.to_datetime(["2024-01-01"] * 4), "clicks": [5, 9, 1, 3]})
    >>> top_posts(posts, metric="clicks", n=1).top["post_id"].tolist()
    ['b']
    """
    if n < 1:
        raise ConfigError(f"n={n!r} must be at least 1.", hint="ask for n=10 posts, for example.")
    if rank_by not in ("wilson", "shrunk", "raw"):
        raise ConfigError(f"rank_by={rank_by!r} is not valid. Valid: 'wilson', 'shrunk', 'raw'.",
                          hint="use rank_by='wilson' (the default) to guard against tiny samples.")
    if not 0 < top_share <= 0.5:
        raise ConfigError(f"top_share={top_share!r} must be in (0, 0.5].", hint="use e.g. 0.1.")
    zone = validate_tz(tz).key
    prepared = prepare_posts(posts, needs_time="rk.top_posts")
    spec = require_metric(prepared, metric)
    notes = list(prepared.notes)
    cond = ~nw.col(spec.name).is_null()
    for column, minimum in (("reach", min_reach), ("impressions", min_impressions)):
        if minimum > 0 and column in prepared.columns:
            cond = cond & (nw.col(column).fill_null(0.0) >= minimum)
            notes.append(f"Posts with fewer than {minimum:,} {column} were left out.")
    # one pass for the counts (each collect is a whole job on Spark and a query on a warehouse)
    one, zero = nw.lit(1, nw.Int64), nw.lit(0, nw.Int64)
    defined_now = ~nw.col(spec.name).is_null()
    sizes = to_pandas(prepared.frame.select(
        nw.len().alias("total"), nw.when(cond).then(one).otherwise(zero).sum().alias("eligible"),
        nw.when(cond & (nw.col(spec.name) != 0)).then(one).otherwise(zero).sum().alias("nonzero"),
        nw.when(defined_now).then(one).otherwise(zero).sum().alias("defined"))).iloc[0]
    total, eligible = int(sizes["total"]), int(sizes["eligible"])
    eligible_frame = prepared.frame.filter(cond)
    if eligible == 0:
        defined = int(sizes["defined"])
        raise EmptyDataError(
            f"no post has a defined {spec.label}" + (
                f" with at least {min_impressions:,} impressions and {min_reach:,} reach"
                if defined else f": it is missing on all {total:,} posts, so nothing is ranked")
            + f" ({total:,} posts given).",
            hint="lower min_impressions / min_reach, or pick another metric." if defined else
            "pick a metric the posts have, or add it (revenue: rk.post_metrics(posts, "
            "touchpoints=...) links touches by utm_content = post_id).")
    nonzero = int(sizes["nonzero"])
    if nonzero == 0:
        why = (f"Not ranked: {spec.label} is 0 on all {eligible:,} eligible posts, so any order would "
               "be arbitrary." + (" Link posts to touchpoints by utm_content = post_id "
                                  "(rk.post_metrics(posts, touchpoints=...)) to measure it."
                                  if spec.name in ("revenue", "conversions", "sessions") else ""))
        empty = pd.DataFrame(columns=["list", "rank", "post_id", spec.name])
        return TopPosts(empty, empty, pd.DataFrame(), spec.name, rank_by, n, eligible,
                        total - eligible, 0, zone, tuple(notes), not_ranked=why)
    scored, used = _scores(eligible_frame, spec, rank_by)
    if used != rank_by:
        notes.append(f"{spec.label} is not a rate of a count: ranked by its value.")
    desc = spec.higher_is_better
    k = min(max(n, math.ceil(top_share * eligible)), max(eligible // 2, 1))
    show = [c for c in _SHOW if c in prepared.columns]
    show = [("is_paid" if c == "paid" else c) for c in show]
    feats = [c for c, _ in _CATEGORICAL if c in prepared.columns and c not in show]
    counts = [c for c in (spec.numerator, spec.denominator)  # the rate's own counts, for its interval
              if spec.is_rate and c and c in prepared.columns]
    keep = list(dict.fromkeys([*show, *feats, *counts, "text_length", "hashtag_count", spec.name,
                               "_top", "_bottom"]))
    top_all = to_pandas(scored.sort(["_top", "post_id"], descending=[desc, False],
                                    nulls_last=True).head(max(k, n)).select(keep))
    bottom = to_pandas(scored.sort(["_bottom", "post_id"], descending=[not desc, False],
                                   nulls_last=True).head(n).select(keep))
    top = _present(top_all.head(n), "top", spec, zone)
    bottom = _present(bottom, "bottom", spec, zone)
    chars = (_characteristics(eligible_frame, top_all.head(k), zone, prepared.columns)
             if eligible >= 4 else pd.DataFrame(columns=["feature", "level", "measure", "top_value",
                                                         "other_value", "difference"]))
    if eligible < 4:
        notes.append("Fewer than 4 eligible posts: no comparison of characteristics.")
    return TopPosts(top, bottom, chars, spec.name, used, n, eligible, total - eligible, k, zone,
                    tuple(notes))


def _present(rows: pd.DataFrame, which: str, spec: MetricSpec, tz: str) -> pd.DataFrame:
    out = rows.rename(columns={"is_paid": "paid", "_top": "score", "_bottom": "score_bottom"})
    out["score"] = out["score_bottom"] if which == "bottom" else out["score"]
    out = out.drop(columns=["score_bottom", "text_length", "hashtag_count"], errors="ignore")
    out.insert(0, "list", which)
    out.insert(1, "rank", np.arange(1, len(out) + 1))
    if len(out):
        out.insert(5, "local_time", local_time_parts(out["published_at"], tz)["local_time"])
    else:
        out.insert(5, "local_time", pd.Series(dtype="datetime64[ns, UTC]"))
    if "paid" in out:
        out["paid"] = out["paid"].astype(bool)
    return out.reset_index(drop=True)


def _characteristics(eligible: Frame, top: pd.DataFrame, tz: str,
                     columns: tuple[str, ...]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    n_top = len(top)
    # a typed 1.0: PostgreSQL reads a bare 1.0 as numeric, which Ibis cannot fetch as a double
    all_frame = eligible.with_columns(nw.lit(1, nw.Int64).cast(nw.Float64).alias("_one"))
    # the post count and each numeric feature's sum and count of known values, in one collect
    totals = to_pandas(all_frame.select(
        nw.col("_one").sum().alias("n"),
        *[e for column, _ in _NUMERIC for e in (
            nw.col(column).sum().alias(f"s_{column}"),
            nw.when(~nw.col(column).is_null()).then(nw.col("_one")).otherwise(nw.lit(0.0))
            .sum().alias(f"c_{column}"))])).iloc[0]
    n_all = float(totals["n"])
    n_other = n_all - n_top

    def add_shares(feature: str, all_counts: pd.Series, top_counts: pd.Series) -> None:
        for level, count in all_counts.items():
            t = float(top_counts.get(level, 0.0))
            rows.append({"feature": feature, "level": str(level), "measure": "share of posts",
                         "top_value": t / n_top, "other_value": (count - t) / n_other,
                         "difference": t / n_top - (count - t) / n_other})

    for column, label in _CATEGORICAL:
        if column not in columns and column != "is_paid":
            continue
        counts = to_pandas(all_frame.group_by(column).agg(nw.col("_one").sum().alias("n")))
        counts[column] = counts[column].astype(str)
        all_counts = counts.set_index(column)["n"].sort_index()
        add_shares(label, all_counts, top[column].astype(str).value_counts())
    slots = slot_sums(eligible, tz=tz)
    local = local_time_parts(top["published_at"], tz)
    bands_all = slots.groupby(hour_band(slots["hour"]), observed=False)["posts"].sum()
    add_shares("time of day", bands_all.reindex(list(HOUR_BANDS), fill_value=0.0),
               hour_band(local["hour"]).value_counts())
    days_all = slots.groupby("weekday")["posts"].sum().reindex(range(7), fill_value=0.0)
    days_all.index = list(WEEKDAYS)
    add_shares("weekday", days_all, local["weekday"].map(dict(enumerate(WEEKDAYS))).value_counts())
    for column, label in _NUMERIC:
        s, c = totals[f"s_{column}"], totals[f"c_{column}"]
        tv = top[column].dropna()
        other_n = float(0.0 if pd.isna(c) else c) - len(tv)
        other = ((float(0.0 if pd.isna(s) else s) - tv.sum()) / other_n) if other_n > 0 else np.nan
        top_mean = float(tv.mean()) if len(tv) else np.nan
        rows.append({"feature": label, "level": "average", "measure": "average",
                     "top_value": top_mean, "other_value": other, "difference": top_mean - other})
    return pd.DataFrame(rows, columns=["feature", "level", "measure", "top_value", "other_value",
                                       "difference"])
