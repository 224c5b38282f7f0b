"""What share of sessions, key events and revenue came from social: one call on a traffic table.

``rk.social_share(traffic)`` sums the rows of the social channel groups (by default
:data:`roi_kit.attribution.SOCIAL_CHANNELS`, Organic Social + Paid Social — the same groups
the attribution results and the report count as social) over all rows, per measure:
``sessions, engaged_sessions, key_events, revenue, users, new_users`` (those present).

Intervals: with several dates, the share is a ratio over days and its interval is the
cluster-robust one of :func:`roi_kit.aggregates.clustered_interval` (delete-one-day jackknife;
days differ, so sessions are not independent trials). With one date (or none), counts get a
Wilson interval (every session an independent trial) and revenue none — money is no count of
trials, and one period has no spread to measure; the ``reason`` column says so.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"channel": ["Organic Social", "Paid Social", "Organic Search"],
...                   "sessions": [30, 20, 150], "revenue": [100.0, 50.0, 850.0]})
>>> s = social_share(t)
>>> s.share("sessions"), s.share("revenue")
(0.25, 0.15)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from roi_kit.aggregates import clustered_interval, group_sums, wilson_interval
from roi_kit.engine import as_frame, column_names
from roi_kit.errors import InputError
from roi_kit.formatting import fmt_number, fmt_pct
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["SHARE_MEASURES", "SocialShareResult", "social_share"]

SHARE_MEASURES: tuple[str, ...] = ("sessions", "engaged_sessions", "key_events", "revenue",
                                   "users", "new_users")
"""Measures whose social share is computed (the traffic table's counts and revenue)."""

_NOT_TRIALS = ("revenue",)  # money: no binomial interval


@dataclass(frozen=True)
class SocialShareResult(ResultMixin):
    """Share of each measure that came from the social channel groups (see :func:`social_share`).

    ``table`` columns: ``measure, social, total, share, ci_low, ci_high, ci_method, reason``;
    ``share`` is NaN exactly where ``reason`` says why (no total); ``ci_low`` / ``ci_high`` are
    NaN where ``ci_method`` is empty, and ``reason`` says why.

    Examples
    --------
    >>> import pandas as pd
    >>> s = social_share(pd.DataFrame({"channel": ["Paid Social", "Email"], "key_events": [3, 9]}))
    >>> s.to_frame()[["measure", "social", "total", "share"]].values.tolist()
    [['key_events', 3.0, 12.0, 0.25]]
    """

    table: pd.DataFrame
    channels: tuple[str, ...]
    conf_level: float = 0.95
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The table (a copy)."""
        return self.table.copy()

    def share(self, measure: str) -> float | None:
        """The social share of one measure (None where it is undefined)."""
        rows = self.table[self.table["measure"] == measure]
        if rows.empty:
            raise InputError(f"measure={measure!r} is not in this result.",
                             hint=f"use one of {', '.join(self.table['measure'])}.")
        v = float(rows["share"].iloc[0])
        return None if math.isnan(v) else v

    def summary(self) -> str:
        """The shares in words, with their intervals."""
        who = " + ".join(self.channels)
        parts: list[str] = []
        for r in self.table.itertuples():
            if math.isnan(r.share):
                parts.append(f"{r.measure}: {r.reason}")
                continue
            ci = (f" ({self.conf_level:.0%} CI {fmt_pct(r.ci_low)} to {fmt_pct(r.ci_high)}, "
                  f"{r.ci_method})" if not math.isnan(r.ci_low) else f" ({r.reason})")
            parts.append(f"{fmt_pct(r.share)} of {r.measure.replace('_', ' ')} "
                         f"({fmt_number(r.social)} of {fmt_number(r.total)}){ci}")
        return "\n".join([f"Share from social ({who}):", *(f"- {p}" for p in parts),
                          *self.notes])

    def chart(self) -> alt.LayerChart:
        """Bars of the social share of each measure, with their intervals."""
        import altair as alt

        from roi_kit.charts.theme import use_theme

        use_theme()
        data = self.table.dropna(subset=["share"])
        base = alt.Chart(data).encode(y=alt.Y("measure:N", sort=None, title=None))
        bars = base.mark_bar().encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="share from social"),
            tooltip=["measure", "social", "total", alt.Tooltip("share:Q", format=".1%")])
        rules = base.mark_rule().encode(x="ci_low:Q", x2="ci_high:Q")
        return bars + rules


def social_share(traffic: Any, *, channels: Sequence[str] | None = None,
                 conf_level: float = 0.95) -> SocialShareResult:
    """Share of sessions / key events / revenue that came from social channel groups.

    Parameters
    ----------
    traffic
        The traffic table (:func:`roi_kit.load_traffic`), any engine: a ``channel`` column and
        any of ``sessions, engaged_sessions, key_events, revenue, users, new_users``; with a
        ``date`` column of several dates the intervals are clustered by date.
    channels
        The channel groups counted as social (default Organic Social + Paid Social,
        :data:`roi_kit.attribution.SOCIAL_CHANNELS`).
    conf_level
        Confidence level of the intervals.

    Returns
    -------
    SocialShareResult

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"date": ["2024-05-01"] * 2 + ["2024-05-02"] * 2,
    ...                   "channel": ["Paid Social", "Direct"] * 2, "sessions": [10, 30, 30, 30]})
    >>> s = social_share(t)
    >>> s.share("sessions"), s.to_frame()["ci_method"].iloc[0]
    (0.4, 'cluster-robust over 2 dates, design effect 6.5')
    """
    from roi_kit.attribution.result import SOCIAL_CHANNELS

    chosen = tuple(SOCIAL_CHANNELS if channels is None else channels)
    if not 0 < conf_level < 1:
        raise InputError(f"conf_level={conf_level!r} must be between 0 and 1.", hint="e.g. 0.95.")
    nat = as_frame(traffic, name="traffic")
    names = column_names(nat)
    if "channel" not in names:
        raise InputError("traffic has no 'channel' column.",
                         hint="load the export with rk.load_traffic(path): it adds GA4's channel "
                         "group from source / medium.")
    measures = [m for m in SHARE_MEASURES if m in names]
    if not measures:
        raise InputError(f"traffic has none of the measures {', '.join(SHARE_MEASURES)}.",
                         hint="load the export with rk.load_traffic(path), or rename your count "
                         "columns to these names.")
    by_day = "date" in names
    sums = group_sums(nat, measures, by=["channel", "date"] if by_day else ["channel"],
                      name="traffic")
    social = sums["channel"].isin(chosen).to_numpy()
    days = (pd.factorize(sums["date"])[0] if by_day else np.zeros(len(sums), dtype=np.int64))
    n_days = int(days.max()) + 1 if len(days) else 0
    rows = [_measure_row(m, sums[m].to_numpy(dtype=float), social, days, n_days, conf_level)
            for m in measures]
    notes: list[str] = []
    seen = sorted(set(sums["channel"]))
    if not social.any():
        notes.append(f"No row is in {' or '.join(chosen)}; the channels found are "
                     f"{', '.join(seen)}. Pass channels=[...] to name the social ones.")
    return SocialShareResult(pd.DataFrame(rows), chosen, conf_level, tuple(notes))


def _measure_row(measure: str, values: np.ndarray, social: np.ndarray, days: np.ndarray,
                 n_days: int, conf_level: float) -> dict[str, Any]:
    values = np.nan_to_num(values)
    y_day = np.bincount(days, weights=values * social, minlength=n_days)
    n_day = np.bincount(days, weights=values, minlength=n_days)
    y, n = float(y_day.sum()), float(n_day.sum())
    row: dict[str, Any] = {"measure": measure, "social": y, "total": n, "share": np.nan,
                           "ci_low": np.nan, "ci_high": np.nan, "ci_method": "", "reason": ""}
    if n <= 0:
        row["reason"] = f"undefined: the total of {measure} is zero."
        return row
    row["share"] = y / n
    if (n_day > 0).sum() >= 2:
        lo, hi, g, deff = clustered_interval(y_day, n_day, np.zeros(n_days, dtype=np.int64),
                                             n_groups=1, conf_level=conf_level)
        row.update(ci_low=float(lo[0]), ci_high=float(hi[0]),
                   ci_method=f"cluster-robust over {int(g[0]):,} dates, design effect {deff[0]:.1f}")
    elif measure in _NOT_TRIALS:
        row["reason"] = ("no interval: revenue is money, not a count of trials, and one period "
                         "has no spread between days to measure")
    else:
        lo, hi = wilson_interval(y, n, conf_level=conf_level)
        row.update(ci_low=float(lo), ci_high=float(hi), ci_method="Wilson (independent trials)")
    return row
