"""Follower growth per platform over time: followers at the end of each period, net new, growth.

:func:`follower_growth` reads whichever of these it is given:

* a posts table with ``followers`` (the account's follower count when each post was published):
  the count at the end of a period is the one on the last post of the period;
* a follower-count export with ``date`` and ``followers`` (one row per day/platform);
* a social_audience table (one row per follower, ``followed_at``): new follows per period and
  their running total (unfollows are not in such exports, so this total is an upper bound).

The daily aggregation runs in the caller's engine; periods are rolled up in pandas.

Examples
--------
>>> import pandas as pd
>>> daily = pd.DataFrame({"date": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31"]),
...                       "platform": ["linkedin"] * 3, "followers": [1000, 1100, 1210]})
>>> follower_growth(daily).to_frame()[["period_start", "followers", "net_new", "growth_rate"]]
  period_start  followers  net_new  growth_rate
0   2024-01-01     1000.0      NaN          NaN
1   2024-02-01     1100.0    100.0          0.1
2   2024-03-01     1210.0    110.0          0.1
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, column_names, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError, MissingColumnError
from roi_kit.formatting import fmt_number, fmt_pct, no_interval
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["FollowerGrowth", "Freq", "follower_growth"]

Freq = Literal["week", "month", "quarter"]
_PERIOD = {"week": "W-SUN", "month": "M", "quarter": "Q"}


@dataclass(frozen=True)
class FollowerGrowth(ResultMixin):
    """Followers per platform and period.

    Attributes
    ----------
    table
        See :meth:`to_frame`.
    source
        ``"posts"``, ``"counts"`` or ``"audience"`` — which input shape was read.
    freq, notes
        Period length; caveats.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.content import follower_growth
    >>> aud = pd.DataFrame({"customer_id": ["a", "b"], "platform": ["x", "x"],
    ...     "followed_at": pd.to_datetime(["2024-01-05", "2024-02-02"])})
    >>> follower_growth(aud).source
    'audience'
    """

    table: pd.DataFrame
    source: str
    freq: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """``platform, period_start, followers`` (at the end of the period), ``net_new`` (change
        from the previous period; new follows for an audience table) and ``growth_rate``
        (net_new / followers at the end of the previous period; NaN for the first period)."""
        return self.table.copy()

    def summary(self) -> str:
        """Growth per platform over the whole span, in words."""
        lines = []
        for platform, g in self.table.groupby("platform", sort=True):
            g = g.dropna(subset=["followers"])
            if g.empty:
                continue
            first, last = g.iloc[0], g.iloc[-1]
            line = (f"{platform}: {fmt_number(last['followers'])} followers at the end of "
                    f"{last['period_start']:%Y-%m-%d}'s {self.freq}")
            if len(g) > 1 and first["followers"] > 0:
                change = last["followers"] / first["followers"] - 1
                avg = g["growth_rate"].dropna().mean()
                line += (f", {fmt_pct(change)} since {first['period_start']:%Y-%m-%d} "
                         f"(average {fmt_pct(avg, decimals=2)} per {self.freq})")
            lines.append(line + ".")
        if not lines:
            lines.append("No follower counts to report.")
        else:
            lines.append(no_interval("follower counts and growth", "they are the account's own "
                                     "counts, not a sample"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.TopLevelMixin:
        """Followers over time, one line per platform."""
        from roi_kit.charts.content import follower_growth_chart

        return follower_growth_chart(self)


def follower_growth(data: Any, *, freq: Freq = "month") -> FollowerGrowth:
    """Follower count per platform at the end of each week, month or quarter.

    Parameters
    ----------
    data
        A posts table with ``followers``, a daily follower-count export (``date, followers``)
        or a social_audience table (``followed_at``); ``platform`` is optional in each.
    freq
        ``"week"``, ``"month"`` or ``"quarter"``.

    Examples
    --------
    >>> import pandas as pd
    >>> aud = pd.DataFrame({"customer_id": ["a", "b", "c"], "platform": ["x", "x", "x"],
    ...     "followed_at": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-02"])})
    >>> follower_growth(aud).to_frame()[["period_start", "followers", "net_new"]]
      period_start  followers  net_new
    0   2024-01-01        2.0      2.0
    1   2024-02-01        3.0      1.0
    """
    if freq not in _PERIOD:
        raise ConfigError(f"freq={freq!r} is not valid. Valid: 'week', 'month', 'quarter'.",
                          hint="use freq='month'.")
    frame = as_frame(data, name="data")
    cols = column_names(frame)
    notes: list[str] = []
    if "platform" not in cols:
        frame = frame.with_columns(nw.lit("all platforms").alias("platform"))
    if "followed_at" in cols:
        source, time_col = "audience", "followed_at"
        notes.append("Built from follow dates: unfollows are not in the data, so totals count "
                     "everyone who ever followed (within the table).")
    elif "followers" in cols and ("published_at" in cols or "date" in cols):
        source = "posts" if "published_at" in cols else "counts"
        time_col = "published_at" if source == "posts" else "date"
    else:
        raise MissingColumnError(
            f"data has no follower information. Columns found: {', '.join(cols)}.",
            hint="pass posts with a followers column, a follower-count export (date, followers) "
            "or a social_audience table with followed_at.",
        )
    frame = frame.filter(~nw.col(time_col).is_null()).with_columns(
        nw.col(time_col).dt.truncate("1d").alias("_day"), nw.col("platform").cast(nw.String))
    if source == "audience":
        daily = to_pandas(frame.with_columns(nw.lit(1.0).alias("_one")).group_by("platform", "_day")
                          .agg(nw.col("_one").sum().alias("value")))
    else:
        frame = frame.filter(~nw.col("followers").is_null()).with_columns(
            nw.col("followers").cast(nw.Float64))
        last = frame.group_by("platform", "_day").agg(nw.col(time_col).max().alias("_last"))
        joined = frame.join(last, on=["platform", "_day"], how="inner").filter(  # type: ignore[arg-type]
            nw.col(time_col) == nw.col("_last"))
        daily = to_pandas(joined.group_by("platform", "_day").agg(
            nw.col("followers").max().alias("value")))
    if daily.empty:
        raise EmptyDataError("no dated follower rows.", hint="check the date and followers columns.")
    daily["_day"] = pd.to_datetime(daily["_day"])
    if daily["_day"].dt.tz is not None:
        daily["_day"] = daily["_day"].dt.tz_convert("UTC").dt.tz_localize(None)
    daily["period_start"] = daily["_day"].dt.to_period(_PERIOD[freq]).dt.start_time
    daily = daily.sort_values(["platform", "_day"])
    if source == "audience":
        per = daily.groupby(["platform", "period_start"], as_index=False)["value"].sum()
        per = per.rename(columns={"value": "net_new"})
        per["followers"] = per.groupby("platform")["net_new"].cumsum()
    else:
        per = daily.groupby(["platform", "period_start"], as_index=False)["value"].last()
        per = per.rename(columns={"value": "followers"})
        per["net_new"] = per.groupby("platform")["followers"].diff()
    prev = per.groupby("platform")["followers"].shift(1)
    prev = prev if source != "audience" else per["followers"] - per["net_new"]
    with np.errstate(divide="ignore", invalid="ignore"):
        per["growth_rate"] = (per["net_new"] / prev).where(prev > 0)
    per = per[["platform", "period_start", "followers", "net_new", "growth_rate"]]
    per[["followers", "net_new"]] = per[["followers", "net_new"]].astype("float64")
    return FollowerGrowth(per.reset_index(drop=True), source, freq, tuple(notes))
