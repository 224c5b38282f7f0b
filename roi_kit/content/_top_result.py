"""The result of :func:`roi_kit.top_posts`: the ranked lists, what sets top posts apart, in words.

:class:`TopPosts` holds the top and bottom lists, the characteristics of the top group against
every other eligible post, how many posts were ranked or left out and why; ``summary()`` names the
best and weakest post with its 95 % Wilson interval (none for counts, or where a count exceeds
its denominator) and the features top posts share.

Examples
--------
>>> _post_interval(pd.Series({"clicks": 5.0, "impressions": 10.0}), METRICS["ctr"], _formatter(METRICS["ctr"]))
' (95% Wilson interval 23.66% to 76.34%)'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from roi_kit.aggregates import wilson_interval
from roi_kit.content._metric_specs import METRICS, MetricSpec
from roi_kit.formatting import fmt_number, fmt_pct, no_interval
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["TopPosts"]


@dataclass(frozen=True)
class TopPosts(ResultMixin):
    """Best and worst posts by one metric, and the characteristics of the best.

    Attributes
    ----------
    top, bottom
        The ranked lists (see :meth:`to_frame` for columns).
    characteristics
        Columns ``feature, level, measure`` ("share of posts" or "average"), ``top_value``,
        ``other_value``, ``difference`` — the top group (the best ``max(n, top_share × eligible)``
        posts, at most half) against every other eligible post.
    metric, rank_by, n
        What was ranked and how.
    eligible, excluded
        Posts ranked, and posts left out (metric undefined or below the minimums).
    notes
        Assumptions and guards in words.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.content import top_posts
    >>> posts = pd.DataFrame({"post_id": list("abcd"), "platform": ["x"] * 4,
    ...     "published_at": pd.to_datetime(["2024-01-01"] * 4), "clicks": [5, 9, 1, 3]})
    >>> top_posts(posts, metric="clicks", n=1).bottom["post_id"].tolist()
    ['c']
    """

    top: pd.DataFrame
    bottom: pd.DataFrame
    characteristics: pd.DataFrame
    metric: str
    rank_by: str
    n: int
    eligible: int
    excluded: int
    top_group: int
    tz: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    not_ranked: str = ""   # why nothing was ranked (the metric is 0 on every eligible post)

    def to_frame(self) -> pd.DataFrame:
        """Top then bottom posts: ``list`` ("top"/"bottom"), ``rank``, ``post_id``, ``platform``,
        ``published_at``, ``local_time`` (in ``tz``), the metric's value, ``score`` (the ranking
        score: Wilson bound, shrunk rate or the value) and the post's counts and ``text``."""
        return pd.concat([self.top, self.bottom], ignore_index=True)

    def summary(self) -> str:
        """The best and worst post and what top posts have in common, in words."""
        spec = METRICS[self.metric]
        fmt = _formatter(spec)
        if self.not_ranked:
            return "\n".join([self.not_ranked, *self.notes])
        lines = [f"Ranked {self.eligible:,} posts by {spec.label} ({_how(self.rank_by, spec)})"
                 + (f"; {self.excluded:,} left out (undefined or below the minimum audience)."
                    if self.excluded else ".")]
        if len(self.top):
            best = self.top.iloc[0]
            worst = self.bottom.iloc[0]
            for word, row in (("Best", best), ("Weakest", worst)):
                lines.append(f"{word}: post {row['post_id']} on {row['platform']} with "
                             f"{fmt(row[self.metric])}{_post_interval(row, spec, fmt)}.")
            if not spec.is_rate:
                lines.append(no_interval(f"{spec.label} of a post", "it counts what happened on "
                                         "that post, it does not estimate a rate"))
        ch = self.characteristics
        if len(ch):
            shares = ch[ch["measure"] == "share of posts"].copy()
            shares = shares[shares["difference"] > 0].nlargest(3, "difference")
            if len(shares):
                parts = [f"{r.feature} = {r.level} ({fmt_pct(r.top_value, decimals=0)} of top posts "
                         f"vs {fmt_pct(r.other_value, decimals=0)} of the others)"
                         for r in shares.itertuples()]
                lines.append(f"The top {self.top_group:,} posts stand out by: " + "; ".join(parts) + ".")
            for r in ch[ch["measure"] == "average"].itertuples():
                if np.isfinite(r.top_value) and np.isfinite(r.other_value):
                    lines.append(f"Average {r.feature}: {fmt_number(r.top_value, decimals=1)} in top "
                                 f"posts vs {fmt_number(r.other_value, decimals=1)} in the others.")
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.TopLevelMixin:
        """Horizontal bars of the top and bottom posts (caption in the tooltip)."""
        from roi_kit.charts.content import top_posts_chart

        return top_posts_chart(self)


def _post_interval(row: pd.Series, spec: MetricSpec, fmt: Any) -> str:
    """`` (95% Wilson interval a to b)`` for one post's rate, or ``""`` where it has none."""
    num, den = spec.numerator, spec.denominator
    if not spec.is_rate or num not in row.index or den not in row.index:
        return ""
    x, n = float(row[num]), float(row[str(den)])
    if not (0 <= x <= n):  # engagements can exceed reach: then the rate is not one binomial share
        return " (no Wilson interval: the count exceeds its denominator, so it is not a share)"
    lo, hi = wilson_interval(x, n)
    return f" (95% Wilson interval {fmt(float(lo))} to {fmt(float(hi))})"


def _how(rank_by: str, spec: MetricSpec) -> str:
    if not spec.is_rate or rank_by == "raw":
        return "ranked by the value itself"
    if rank_by == "wilson":
        return "ranked by the 95% Wilson bound, so small audiences cannot win by luck"
    return "ranked by the empirical-Bayes shrunk rate"


def _formatter(spec: MetricSpec) -> Any:
    if spec.is_rate:
        return lambda v: fmt_pct(v, decimals=2)
    if spec.paid_only or spec.name == "revenue":
        return lambda v: fmt_number(v, decimals=2)
    return lambda v: fmt_number(v)
