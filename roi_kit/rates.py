"""Marketing rates with their definitions spelled out: CPM, CPC, CTR, CPA, CAC, cost per lead,
ROAS, conversion rate and the three engagement rates.

Definitions (sums over the rows of a group, so a group's rate is the volume-weighted mean of
its rows' rates)::

    cpm                            = spend / paid impressions × 1000          (see cost basis)
    cpc                            = spend / paid clicks
    ctr                            = clicks / impressions                      (proportion)
    cpa                            = spend / conversions
    cac                            = spend / new_customers
    cost_per_lead                  = spend / leads
    roas                           = revenue / spend
    conversion_rate                = conversions / clicks                      (proportion)
    engagement_rate_by_reach       = engagements / reach                       (proportion)
    engagement_rate_by_impressions = engagements / impressions                 (proportion)
    engagement_rate_by_followers   = engagements / followers                   (proportion)
    engaged_user_rate              = engaged_users / reach                     (proportion)
    engaged_session_rate           = engaged_sessions / sessions  (GA4's engagement rate)
    key_event_rate                 = key_events / sessions                     (proportion)
    revenue_per_session            = revenue / sessions

    engagements = likes + comments + shares + saves   (absent columns count as 0; clicks apart)
    engaged_users = the platform's own count of people who engaged (Facebook's "Lifetime Engaged
                    Users", Instagram's "Accounts engaged"): people, not actions, so it never
                    exceeds reach

Intervals of proportions (CTR, conversion rate, engagement rates) — ``ci_method`` says which:

* **cluster-robust** (default whenever the rows come in clusters: a ``post_id`` column, else an
  ``ad_id`` column — the rows of one ad by date or breakdown —, else a ``campaign`` column; in
  a traffic table with a ``date`` column, the dates; or ``cluster=``): engagement and clicks cluster by post — one post
  catches on, the next does not — so impressions are not independent trials and a binomial
  interval is far too narrow (engagement by followers on the saas sample's Facebook posts: a
  post-level bootstrap gives 0.254–0.325 % where Wilson says 0.275–0.301 %). The rate stays the
  pooled ratio; its variance is the delete-one-cluster jackknife variance of the ratio, turned
  into a Wilson interval on the effective sample size with a ``t`` correction for few clusters (see
  :func:`~roi_kit.aggregates.clustered_interval`; coverage measured in docs/metrics.md);
* **Wilson** score interval (no continuity correction; the same as
  ``statsmodels.stats.proportion.proportion_confint(method="wilson")``) where the data is one
  binomial: no cluster column (``cluster=None``), or a group with a single cluster. For
  engagement rates this treats each engagement as one success per reached account /
  impression / follower — only given when engagements do not exceed the denominator.

Cost basis: spend buys only the *paid* impressions and clicks, so with a ``paid`` column CPM and
CPC divide by the impressions / clicks of paid rows (``cost_basis="paid"``, the default) — the
same numbers as :func:`roi_kit.boosting_effect`. ``cost_basis="all"`` divides by every row's
impressions / clicks (a blended cost per view); the ``definition`` column says which was used.
Without a ``paid`` column every row counts, and the definition says so.

A zero or missing denominator gives a missing value and a ``reason`` in words. A rate whose input
columns are absent is left out and named in the notes.

Examples
--------
>>> import pandas as pd
>>> ads = pd.DataFrame({"spend": [50.0, 150.0], "impressions": [10_000, 30_000],
...                     "clicks": [100, 300]})
>>> r = rates(ads)
>>> r.value("cpm"), r.value("cpc"), r.value("ctr")
(5.0, 0.5, 0.01)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.aggregates import group_sums, wilson_interval
from roi_kit.engine import as_frame, column_names
from roi_kit.errors import InputError
from roi_kit.formatting import safe_divide
from roi_kit.rate_definitions import (
    ENGAGEMENT_PARTS,
    EU_REACH,
    INPUTS,
    RATE_DEFINITIONS,
    cost_denominator,
)
from roi_kit.rate_intervals import cluster_column, proportion_ci
from roi_kit.rates_result import RatesResult

__all__ = ["ENGAGEMENT_PARTS", "RATE_DEFINITIONS", "RatesResult", "group_sums", "rates",
           "wilson_interval"]


def rates(
    frame: Any,
    *,
    by: str | Sequence[str] | None = None,
    conf_level: float = 0.95,
    columns: Mapping[str, str] | None = None,
    cost_basis: Literal["paid", "all"] = "paid",
    cluster: str | None = "auto",
) -> RatesResult:
    """CPM, CPC, CTR, CPA, CAC, cost per lead, ROAS, conversion rate and engagement rates.

    Parameters
    ----------
    frame
        Any engine. Recognised columns (sums per group): ``spend, impressions, reach, clicks,
        likes, comments, shares, saves, followers, leads, conversions, new_customers, revenue
        (or ``conversion_value``, as in the ad_performance table), engaged_users``, and the
        traffic table's ``sessions, engaged_sessions, key_events``.
        Each rate is computed when its columns are present (see the module docstring).
    by
        Column(s) to break down by (e.g. ``"platform"``, ``["platform", "paid"]``).
    conf_level
        Confidence level of the Wilson intervals.
    columns
        Your column names mapped onto the recognised ones, e.g. ``{"amount_spent": "spend"}``.
    cost_basis
        ``"paid"`` (default): CPM and CPC per *paid* impression / click when there is a ``paid``
        column; ``"all"``: per impression / click of every row (organic ones included).
    cluster
        Column whose values are the clusters of the rows (posts, campaigns) for cluster-robust
        intervals of proportions; ``"auto"`` uses ``post_id``, else ``ad_id``, else ``campaign``
        (``date`` first when the frame has ``sessions``: a traffic table by day);
        ``None`` gives Wilson intervals (one binomial).

    Returns
    -------
    RatesResult

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"platform": ["x", "x", "linkedin"], "reach": [100, 300, 0],
    ...                       "likes": [10, 20, 0], "comments": [2, 8, 0]})
    >>> r = rates(posts, by="platform")
    >>> r.value("engagement_rate_by_reach", platform="x")
    0.1
    >>> r.value("engagement_rate_by_reach", platform="linkedin") is None
    True
    """
    if not 0 < conf_level < 1:
        raise InputError(f"conf_level={conf_level!r} must be between 0 and 1.", hint="e.g. 0.95.")
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    nat = as_frame(frame, name="frame")
    if columns:
        nat = nat.rename(dict(columns))
    if "conversion_value" in column_names(nat) and "revenue" not in column_names(nat):
        nat = nat.rename({"conversion_value": "revenue"})  # ad_performance's value: ROAS
    if cost_basis not in ("paid", "all"):
        raise InputError(f"cost_basis={cost_basis!r} is not a cost basis.",
                         hint="use 'paid' (per paid impression / click) or 'all'.")
    present = [c for c in INPUTS if c in column_names(nat)]
    paid_basis = cost_basis == "paid" and "paid" in column_names(nat)
    paid_cols = [f"paid_{c}" for c in ("impressions", "clicks") if c in present] if paid_basis else []
    if paid_cols:
        flag = nw.col("paid").cast(nw.Boolean).fill_null(False)
        nat = nat.with_columns(*[nw.when(flag).then(nw.col(c[5:])).otherwise(0).alias(c)
                                 for c in paid_cols])
    if {"engaged_users", "reach"} <= set(present):  # a blank count is unknown, not 0 people
        nat = nat.with_columns(nw.when(~nw.col("engaged_users").is_null())
                               .then(nw.col("reach")).alias(EU_REACH))
        present.append(EU_REACH)
    sums = group_sums(nat, [*present, *paid_cols], by=keys, name="frame")
    cluster_col = cluster_column(nat, cluster, keys)
    per = (group_sums(nat, present, by=[*keys, cluster_col], name="frame")
           if cluster_col else None)
    notes: list[str] = []
    parts = [p for p in ENGAGEMENT_PARTS if p in present]
    if parts:
        sums["engagements"] = sums[parts].sum(axis=1)
        if per is not None:
            per["engagements"] = per[parts].sum(axis=1)
        absent = [p for p in ENGAGEMENT_PARTS if p not in present]
        if absent:
            notes.append(f"engagements = {' + '.join(parts)}; absent and counted as 0: "
                         f"{', '.join(absent)}.")
    blocks: list[pd.DataFrame] = []
    skipped: list[str] = []
    for metric, (num, den, mult, prop, words) in RATE_DEFINITIONS.items():
        if metric in ("cpm", "cpc") and "spend" in sums.columns and den in sums.columns:
            den, words = cost_denominator(metric, den, words, paid_cols, cost_basis)
        if num not in sums.columns or den not in sums.columns:
            need = [c.replace(EU_REACH, "reach") for c in (num, den) if c not in sums.columns]
            skipped.append(f"{metric} (needs {' and '.join(c for c in need if c not in sums)})")
            continue
        value, reason = safe_divide(sums[num], sums[den], what=metric, denominator_name=den)
        block = sums[keys].copy()
        block["metric"] = metric
        block["value"] = value * mult
        block["numerator"] = sums[num]
        block["denominator"] = sums[den]
        if prop:
            lo, hi, how = proportion_ci(sums, per, num, den, keys, cluster_col, conf_level)
        else:
            lo = hi = np.full(len(sums), np.nan)
            how = np.full(len(sums), "")
        block["ci_low"], block["ci_high"], block["ci_method"] = lo, hi, how
        block["reason"] = reason.astype("str")
        block["definition"] = words
        blocks.append(block)
    if not blocks:
        raise InputError(
            f"none of the rates can be computed from the columns {', '.join(column_names(nat))}.",
            hint="provide e.g. spend + impressions (CPM) or clicks + impressions (CTR); map your "
            "column names with columns={'your_name': 'spend'}.",
        )
    if skipped:
        notes.append("Not computed (columns absent): " + "; ".join(skipped) + ".")
    table = pd.concat(blocks, ignore_index=True)
    if keys:
        order = {m: i for i, m in enumerate(RATE_DEFINITIONS)}
        table = (table.assign(_o=table["metric"].map(order))
                 .sort_values([*keys, "_o"], kind="stable").drop(columns="_o")
                 .reset_index(drop=True))
    return RatesResult(table=table, by=tuple(keys), conf_level=conf_level, notes=tuple(notes),
                       cluster=cluster_col)
