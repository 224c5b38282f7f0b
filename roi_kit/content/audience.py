"""Audience: demographic breakdowns of a followers export (age, gender, country, seniority ...).

:func:`audience_breakdown` reads a wide export (one row per group or per follower, with columns
such as ``age_range``, ``gender``, ``country`` and optionally a count) or a long one
(``dimension, level, count``), per platform when known, and gives counts and shares within each
platform and dimension. Follower growth over time lives in :mod:`roi_kit.content.growth`
(:func:`follower_growth` and :class:`FollowerGrowth` stay importable from here).

Examples
--------
>>> import pandas as pd
>>> demo = pd.DataFrame({"country": ["DK", "SE", "DK"], "count": [50, 30, 20]})
>>> audience_breakdown(demo).to_frame()[["level", "count", "share"]].values.tolist()
[['DK', 70.0, 0.7], ['SE', 30.0, 0.3]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import narwhals as nw
import pandas as pd

from roi_kit.content.growth import FollowerGrowth, Freq, follower_growth
from roi_kit.engine import as_frame, column_names, to_pandas
from roi_kit.errors import MissingColumnError
from roi_kit.formatting import fmt_number, fmt_pct, no_interval
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["AudienceBreakdown", "FollowerGrowth", "Freq", "audience_breakdown", "follower_growth"]

DEMOGRAPHIC_COLUMNS: tuple[str, ...] = (
    "age_range", "gender", "country", "region", "city", "language", "industry", "seniority",
    "job_function", "company_size")


@dataclass(frozen=True)
class AudienceBreakdown(ResultMixin):
    """Counts and shares of followers by demographic dimension (per platform when known).

    Attributes
    ----------
    table
        See :meth:`to_frame`.
    dimensions
        The dimensions found.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.content import audience_breakdown
    >>> demo = pd.DataFrame({"gender": ["f", "m"], "count": [60, 40]})
    >>> audience_breakdown(demo).dimensions
    ('gender',)
    """

    table: pd.DataFrame
    dimensions: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """``platform, dimension, level, count, share`` (share within platform and dimension)."""
        return self.table.copy()

    def summary(self) -> str:
        """The largest group of each dimension, in words."""
        lines = []
        for (platform, dim), g in self.table.groupby(["platform", "dimension"], sort=True):
            top = g.nlargest(1, "count").iloc[0]
            lines.append(f"{platform} · {dim}: largest group {top['level']} "
                         f"({fmt_pct(top['share'])} of {fmt_number(g['count'].sum())}).")
        if lines:
            lines.append(no_interval("audience shares", "the platform reports them for the whole "
                                     "audience, without a margin of error"))
        lines.extend(self.notes)
        return "\n".join(lines) if lines else "No demographic columns found."

    def chart(self) -> alt.TopLevelMixin:
        """Share of followers per level, one panel per dimension."""
        from roi_kit.charts.content import audience_breakdown_chart

        return audience_breakdown_chart(self)


def audience_breakdown(export: Any, *, dimensions: Sequence[str] | None = None,
                       count: str | None = None) -> AudienceBreakdown:
    """Demographic breakdown of an audience export (wide or long).

    Parameters
    ----------
    export
        Either wide — one row per group or per follower, with columns such as ``age_range``,
        ``gender``, ``country`` and optionally a count column — or long, with columns
        ``dimension, level, count``. ``platform`` is optional.
    dimensions
        Columns to break down (default: every known demographic column present).
    count
        Column with the number of followers in each row (default ``count``/``followers`` if
        present, else each row counts once).

    Examples
    --------
    >>> import pandas as pd
    >>> demo = pd.DataFrame({"age_range": ["18-24", "25-34", "25-34"],
    ...                      "gender": ["f", "m", "f"], "count": [10, 30, 60]})
    >>> audience_breakdown(demo).to_frame().query("dimension == 'age_range'")[["level", "share"]]
       level  share
    0  18-24    0.1
    1  25-34    0.9
    """
    frame = as_frame(export, name="export")
    cols = column_names(frame)
    notes: list[str] = []
    if count is None:
        count = next((c for c in ("count", "followers", "value") if c in cols), None)
    elif count not in cols:
        raise MissingColumnError(f"export has no column {count!r}. Columns found: {', '.join(cols)}.",
                                 hint="pass count=<the column with follower counts> or None.")
    weight = nw.col(count).cast(nw.Float64).fill_null(0.0) if count else nw.lit(1.0)
    if count is None:
        notes.append("No count column: each row counts as one follower.")
    frame = frame.with_columns(weight.alias("_w"))
    if "platform" not in cols:
        frame = frame.with_columns(nw.lit("all platforms").alias("platform"))
    parts: list[pd.DataFrame] = []
    if {"dimension", "level"} <= set(cols) and dimensions is None:
        long = to_pandas(frame.group_by("platform", "dimension", "level")
                         .agg(nw.col("_w").sum().alias("count")))
        parts.append(long)
    else:
        dims = list(dimensions) if dimensions is not None else [c for c in DEMOGRAPHIC_COLUMNS
                                                                 if c in cols]
        missing = [d for d in dims if d not in cols]
        if missing:
            raise MissingColumnError(f"export has no column(s) {', '.join(map(repr, missing))}. "
                                     f"Columns found: {', '.join(cols)}.",
                                     hint="pass dimensions=[...] with columns that exist.")
        for d in dims:
            g = to_pandas(frame.with_columns(nw.col(d).cast(nw.String).fill_null("(unknown)")
                                             .alias("level"))
                          .group_by("platform", "level").agg(nw.col("_w").sum().alias("count")))
            g.insert(1, "dimension", d)
            parts.append(g)
    if not parts or all(p.empty for p in parts):
        return AudienceBreakdown(pd.DataFrame(columns=["platform", "dimension", "level", "count",
                                                       "share"]), (), tuple(notes))
    table = pd.concat(parts, ignore_index=True)
    table["platform"] = table["platform"].astype(str)
    table["level"] = table["level"].astype(str)
    table["count"] = table["count"].astype("float64")
    total = table.groupby(["platform", "dimension"])["count"].transform("sum")
    table["share"] = (table["count"] / total).where(total > 0)
    table = table.sort_values(["platform", "dimension", "level"]).reset_index(drop=True)
    return AudienceBreakdown(table[["platform", "dimension", "level", "count", "share"]],
                             tuple(dict.fromkeys(table["dimension"])), tuple(notes))
