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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.aggregates import clustered_interval, group_sums, wilson_interval
from roi_kit.engine import as_frame, column_names
from roi_kit.errors import InputError
from roi_kit.formatting import fmt_number, fmt_pct, no_interval, safe_divide
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["ENGAGEMENT_PARTS", "RATE_DEFINITIONS", "RatesResult", "group_sums", "rates",
           "wilson_interval"]

ENGAGEMENT_PARTS: tuple[str, ...] = ("likes", "comments", "shares", "saves")
"""Columns summed into ``engagements`` (clicks are reported separately)."""


_EU_REACH = "reach_with_engaged_users"  # reach of the rows whose engaged-users count is known

# metric: (numerator, denominator, multiplier, is proportion, words)
RATE_DEFINITIONS: dict[str, tuple[str, str, float, bool, str]] = {
    "cpm": ("spend", "impressions", 1000.0, False, "cost per 1,000 impressions"),
    "cpc": ("spend", "clicks", 1.0, False, "cost per click"),
    "ctr": ("clicks", "impressions", 1.0, True, "click-through rate (clicks / impressions)"),
    "cpa": ("spend", "conversions", 1.0, False, "cost per acquisition (per conversion)"),
    "cac": ("spend", "new_customers", 1.0, False, "customer acquisition cost"),
    "cost_per_lead": ("spend", "leads", 1.0, False, "cost per lead"),
    "roas": ("revenue", "spend", 1.0, False, "return on ad spend (revenue / spend)"),
    "conversion_rate": ("conversions", "clicks", 1.0, True, "conversions / clicks"),
    "engagement_rate_by_reach": ("engagements", "reach", 1.0, True, "engagements / reach"),
    "engagement_rate_by_impressions": ("engagements", "impressions", 1.0, True,
                                       "engagements / impressions"),
    "engagement_rate_by_followers": ("engagements", "followers", 1.0, True,
                                     "engagements / followers"),
    "engaged_user_rate": ("engaged_users", _EU_REACH, 1.0, True,
                          "engaged users / reach (the platform's own count of people who "
                          "engaged; rows without it are left out of both)"),
    "engaged_session_rate": ("engaged_sessions", "sessions", 1.0, True,
                             "engaged sessions / sessions (GA4's engagement rate)"),
    "key_event_rate": ("key_events", "sessions", 1.0, True,
                       "key events (conversions) / sessions"),
    "revenue_per_session": ("revenue", "sessions", 1.0, False, "revenue / sessions"),
}
"""Every rate: numerator, denominator, multiplier, whether it is a proportion, plain words."""

_CLUSTERS = ("post_id", "ad_id", "campaign")  # cluster="auto": posts, ads (ad_performance), campaigns
_INPUTS = ("spend", "impressions", "reach", "clicks", *ENGAGEMENT_PARTS, "followers", "leads",
           "conversions", "new_customers", "revenue", "engaged_users", "sessions",
           "engaged_sessions", "key_events")


@dataclass(frozen=True)
class RatesResult(ResultMixin):
    """Marketing rates per group (see :func:`rates`).

    ``table`` columns: the ``by`` columns, ``metric, value, numerator, denominator, ci_low,
    ci_high, ci_method, reason, definition`` — one row per group and metric; ``value`` is NaN
    exactly where ``reason`` is non-empty; ``ci_low``/``ci_high`` only for proportions, with
    ``ci_method`` saying how they were computed (empty for other rates).

    Examples
    --------
    >>> import pandas as pd
    >>> r = rates(pd.DataFrame({"spend": [10.0], "clicks": [0]}))
    >>> r.to_frame()[["metric", "reason"]].values.tolist()
    [['cpc', 'cpc is undefined: clicks is zero.']]
    """

    table: pd.DataFrame
    by: tuple[str, ...] = ()
    conf_level: float = 0.95
    notes: tuple[str, ...] = field(default_factory=tuple)
    cluster: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """The tidy table (a copy)."""
        return self.table.copy()

    def wide(self) -> pd.DataFrame:
        """One row per group, one column per metric (values only)."""
        if not self.by:
            return self.table.set_index("metric")[["value"]].T.reset_index(drop=True)
        out = self.table.pivot(index=list(self.by), columns="metric", values="value")
        return out[[m for m in RATE_DEFINITIONS if m in out.columns]].reset_index()

    def value(self, metric: str, **group: Any) -> float | None:
        """The value of one metric (for one group: ``value("ctr", platform="x")``), or None."""
        t = self.table[self.table["metric"] == metric]
        for key, val in group.items():
            t = t[t[key] == val]
        if len(t) != 1:
            raise InputError(f"found {len(t)} rows for metric={metric!r} and {group}.",
                             hint=f"name one group with keywords for {', '.join(self.by)}."
                             if self.by else "check the metric name.")
        v = float(t["value"].iloc[0])
        return None if math.isnan(v) else v

    def summary(self) -> str:
        """Each metric in words (overall, or its range across groups), with its interval."""
        lines: list[str] = []
        bare: list[str] = []
        conf = f"{self.conf_level:.0%}"
        for metric, rows in self.table.groupby("metric", sort=False):
            words = RATE_DEFINITIONS[str(metric)][4]
            prop = RATE_DEFINITIONS[str(metric)][3]
            show = (lambda v: fmt_pct(v, decimals=2)) if prop else (lambda v: fmt_number(v, decimals=2))
            ci = lambda r, show=show: (  # noqa: E731
                f", {conf} CI {show(r['ci_low'])} to {show(r['ci_high'])}"
                if not math.isnan(r["ci_low"]) else "")
            ok = rows[rows["value"].notna()]
            if not ok.empty and ok["ci_low"].isna().any():
                bare.append(str(metric))
            if not self.by:
                row = rows.iloc[0]
                if ok.empty:
                    lines.append(f"{metric} ({words}): {row['reason']}")
                    continue
                lines.append(f"{metric} ({words}): {show(row['value'])}"
                             + (f" ({ci(row)[2:]}, {row['ci_method']})" if ci(row) else "") + ".")
            elif ok.empty:
                lines.append(f"{metric} ({words}): undefined in every group.")
            else:
                lo, hi = ok.loc[ok["value"].idxmin()], ok.loc[ok["value"].idxmax()]
                name = lambda r: " / ".join(str(r[k]) for k in self.by)  # noqa: E731
                lines.append(f"{metric} ({words}): from {show(lo['value'])} ({name(lo)}{ci(lo)}) to "
                             f"{show(hi['value'])} ({name(hi)}{ci(hi)})"
                             + (f"; undefined in {len(rows) - len(ok)} group(s)."
                                if len(ok) < len(rows) else "."))
        if self.by and (self.table["ci_method"] != "").any():
            lines.append(self.interval_note())
        if bare:
            lines.append(no_interval(
                f"{', '.join(bare)}", "a cost ratio is what was paid per unit (booked spend over counted "
                "units) in these rows, not an estimate of an unknown rate"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def interval_note(self) -> str:
        """Which interval the proportions carry, in words."""
        if self.cluster is None:
            return ("Intervals of proportions are Wilson intervals: every impression / click / "
                    "follower counts as an independent trial (no cluster column).")
        return (f"Intervals of proportions are cluster-robust over '{self.cluster}' (rates vary "
                "between clusters, so they are wider than Wilson's); a group with one cluster "
                "falls back to Wilson.")

    def chart(self, metric: str | None = None) -> alt.LayerChart:
        """Bars of one metric per group (default: the first metric), with Wilson intervals."""
        from roi_kit.charts.rates import rates_chart

        return rates_chart(self, metric=metric)


def _cost_denominator(metric: str, den: str, words: str, paid_cols: list[str],
                      cost_basis: str) -> tuple[str, str]:
    """Denominator column and words of CPM / CPC for the cost basis (see the module docstring)."""
    unit = "1,000 impressions" if metric == "cpm" else "click"
    if f"paid_{den}" in paid_cols:
        return f"paid_{den}", "cost per 1,000 paid impressions" if metric == "cpm" else "cost per paid click"
    if cost_basis == "all":
        return den, f"cost per {unit}, paid and organic rows together (cost_basis='all')"
    return den, f"cost per {unit} (every row: no 'paid' column to tell paid {den} apart)"


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
    present = [c for c in _INPUTS if c in column_names(nat)]
    paid_basis = cost_basis == "paid" and "paid" in column_names(nat)
    paid_cols = [f"paid_{c}" for c in ("impressions", "clicks") if c in present] if paid_basis else []
    if paid_cols:
        flag = nw.col("paid").cast(nw.Boolean).fill_null(False)
        nat = nat.with_columns(*[nw.when(flag).then(nw.col(c[5:])).otherwise(0).alias(c)
                                 for c in paid_cols])
    if {"engaged_users", "reach"} <= set(present):  # a blank count is unknown, not 0 people
        nat = nat.with_columns(nw.when(~nw.col("engaged_users").is_null())
                               .then(nw.col("reach")).alias(_EU_REACH))
        present.append(_EU_REACH)
    sums = group_sums(nat, [*present, *paid_cols], by=keys, name="frame")
    cluster_col = _cluster_column(nat, cluster, keys)
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
            den, words = _cost_denominator(metric, den, words, paid_cols, cost_basis)
        if num not in sums.columns or den not in sums.columns:
            need = [c.replace(_EU_REACH, "reach") for c in (num, den) if c not in sums.columns]
            skipped.append(f"{metric} (needs {' and '.join(c for c in need if c not in sums)})")
            continue
        value, reason = safe_divide(sums[num], sums[den], what=metric, denominator_name=den)
        block = sums[keys].copy()
        block["metric"] = metric
        block["value"] = value * mult
        block["numerator"] = sums[num]
        block["denominator"] = sums[den]
        if prop:
            lo, hi, how = _proportion_ci(sums, per, num, den, keys, cluster_col, conf_level)
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


def _cluster_column(nat: Any, cluster: str | None, keys: list[str]) -> str | None:
    """The cluster column: ``cluster`` itself, or for ``"auto"`` post_id / campaign if present."""
    names = column_names(nat)
    if cluster is None:
        return None
    if cluster == "auto" and {"sessions", "date"} <= set(names) and "date" not in keys:
        return "date"  # a traffic table by day: days vary (weekday, campaigns), sessions do not
    if cluster == "auto":
        return next((c for c in _CLUSTERS if c in names and c not in keys), None)
    if cluster not in names:
        raise InputError(f"cluster={cluster!r} is not a column of frame.",
                         hint=f"use one of {', '.join(names)}, 'auto' or None (Wilson intervals).")
    return cluster


def _proportion_ci(sums: pd.DataFrame, per: pd.DataFrame | None, num: str, den: str,
                   keys: list[str], cluster: str | None, conf_level: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cluster-robust intervals per group when clusters are known, else Wilson; with words."""
    y, n = sums[num].to_numpy(), sums[den].to_numpy()
    wlo, whi = wilson_interval(y, n, conf_level=conf_level)
    wilson = np.full(len(sums), "Wilson (independent trials)", dtype=object)
    if per is None or cluster is None:
        return wlo, whi, wilson
    if keys:
        idx = sums[keys].reset_index().merge(per[keys], on=keys, how="right")["index"].to_numpy()
    else:
        idx = np.zeros(len(per), dtype=np.int64)
    lo, hi, g, deff = clustered_interval(per[num].to_numpy(), per[den].to_numpy(), idx,
                                         n_groups=len(sums), conf_level=conf_level)
    one = g < 2
    how = np.array([f"cluster-robust over {int(k):,} {cluster} values, design effect {d:.1f}"
                    for k, d in zip(g, deff)], dtype=object)
    how[one] = f"Wilson (one {cluster}: no spread between clusters to measure)"
    return np.where(one, wlo, lo), np.where(one, whi, hi), how
