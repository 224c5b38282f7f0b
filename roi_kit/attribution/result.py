"""The result of one attribution model: credits per channel (and campaign) in conversions and value.

Examples
--------
>>> import pandas as pd
>>> import roi_kit as rk
>>> paths = pd.DataFrame({"path": ["Paid Social > Email", "Email"], "conversions": [3, 1],
...                       "value": [300.0, 50.0], "nulls": [7, 9]})
>>> res = rk.attribute(paths, model="linear")
>>> res.to_frame()[["channel", "conversions", "value", "share"]]
       channel  conversions  value  share
0        Email          2.5  200.0  0.625
1  Paid Social          1.5  150.0  0.375
>>> res.revenue_estimate()[0]
150.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.attribution.intervals import CreditReplicates
from roi_kit.formatting import fmt_number, fmt_pct
from roi_kit.results import ResultMixin

__all__ = ["SOCIAL_CHANNELS", "AttributionResult", "credit_table"]

SOCIAL_CHANNELS: tuple[str, ...] = ("Organic Social", "Paid Social")
"""Channel groups whose credited value counts as revenue earned by social media."""


@dataclass(frozen=True, eq=False)
class AttributionResult(ResultMixin):
    """Credits of one attribution model.

    Attributes
    ----------
    model
        Model key (``"markov"``, ``"linear"``, ...); ``label`` is its name in words.
    level
        ``"channel"`` or ``"campaign"``.
    table
        One row per channel (or channel and campaign); see :meth:`to_frame`.
    total_conversions, total_value, n_journeys, n_paths
        Totals of the data the model saw (``n_paths`` is ``None`` when Markov counted
        transitions straight from a touch log without tabulating distinct paths).
    notes
        Conventions applied and anything dropped, in words.
    transitions
        Markov order 1: the estimated transition matrix (rows ``(start)`` and channels, columns
        channels, ``(conversion)``, ``(null)``); otherwise ``None``.
    report
        Tagging mistakes found while normalising UTM tags (touchpoint input), else ``None``.
    replicates
        Bootstrap replicates of the credits behind the intervals (``None`` with ``n_boot=0``,
        no conversions, or a model the bootstrap cannot refit — a note says which).

    Examples
    --------
    >>> import pandas as pd
    >>> import roi_kit as rk
    >>> res = rk.attribute(pd.DataFrame({"path": ["a > b"], "conversions": [2], "value": [10.0]}),
    ...                    model="first")
    >>> print(res.summary().splitlines()[0])
    First touch attribution of 2 conversions (value 10.00) over 2 journeys (1 distinct paths).
    """

    model: str
    label: str
    level: str
    table: pd.DataFrame
    total_conversions: float
    total_value: float
    n_journeys: float
    n_paths: int | None
    notes: tuple[str, ...] = ()
    transitions: pd.DataFrame | None = field(default=None, compare=False)
    report: pd.DataFrame | None = field(default=None, compare=False)
    replicates: CreditReplicates | None = field(default=None, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """Credits as a tidy table.

        Columns: ``channel`` (and ``campaign`` at campaign level), ``conversions``, ``value``
        (credited), ``share`` (of conversions), ``value_share`` (of value); Markov adds
        ``removal_effect`` and ``value_removal_effect``; sampled Shapley adds ``std_error``
        and ``value_std_error``. With bootstrap replicates, ``conversions_ci_low``,
        ``conversions_ci_high``, ``value_ci_low``, ``value_ci_high``, ``share_ci_low`` and
        ``share_ci_high`` bound each credit (percentile interval at the result's level).
        Shares are missing (NaN) when there is nothing to share.
        """
        return self.table.copy()

    def credit(self, channel: str) -> float:
        """Conversions credited to ``channel`` (summed over its campaigns; 0 if never seen).

        Examples
        --------
        >>> import pandas as pd, roi_kit as rk
        >>> rk.attribute(pd.DataFrame({"path": ["a"], "conversions": [3]}), model="last").credit("a")
        3.0
        """
        return float(self.table.loc[self.table["channel"] == channel, "conversions"].sum())

    def revenue_estimate(
        self, channels: Sequence[str] = SOCIAL_CHANNELS
    ) -> tuple[float, float | None, float | None, str]:
        """Value credited to social channels with its bootstrap interval, for ``rk.roi(revenue=...)``.

        The interval is the percentile interval of the social channels' value summed within each
        replicate (``None, None`` without replicates).

        Parameters
        ----------
        channels
            Channel groups counted as social (default Organic Social + Paid Social).

        Examples
        --------
        >>> import pandas as pd, roi_kit as rk
        >>> res = rk.attribute(pd.DataFrame({"path": ["Paid Social > Email"], "conversions": [1],
        ...                                  "value": [80.0]}), model="linear", n_boot=0)
        >>> res.revenue_estimate()
        (40.0, None, None, 'Conversion value credited to Organic Social + Paid Social by linear attribution: 40.00 of 80.00 (50.0%).')
        """
        chosen = list(channels)
        est = float(self.table.loc[self.table["channel"].isin(chosen), "value"].sum())
        share = fmt_pct(est / self.total_value) if self.total_value > 0 else "no value to share"
        desc = (f"Conversion value credited to {' + '.join(chosen)} by {self.label.lower()} "
                f"attribution: {fmt_number(est, decimals=2)} of "
                f"{fmt_number(self.total_value, decimals=2)} ({share}).")
        if self.replicates is None:
            return est, None, None, desc
        lo, hi = self.replicates.value_interval(chosen)
        desc += (f" {self.replicates.level:.0%} interval {fmt_number(lo, decimals=2)} to "
                 f"{fmt_number(hi, decimals=2)} ({self.replicates.n_boot} bootstrap replicates, "
                 f"{self.replicates.method}).")
        return est, lo, hi, desc

    def summary(self) -> str:
        """Plain-words reading: totals, top channels, social's share, notes."""
        lines = [
            f"{self.label} attribution of {fmt_number(self.total_conversions, decimals=0)} conversions "
            f"(value {fmt_number(self.total_value, decimals=2)}) over "
            f"{fmt_number(self.n_journeys, decimals=0)} journeys"
            + (f" ({self.n_paths:,} distinct paths)." if self.n_paths is not None else ".")
        ]
        if self.total_conversions <= 0:
            lines.append("There are no conversions, so no channel can be credited and shares are "
                         "undefined.")
        else:
            t = self.table.sort_values("conversions", ascending=False)
            name = t["channel"] if self.level == "channel" else t["channel"] + " | " + t["campaign"].fillna("(not set)")
            ci = "share_ci_low" in t
            lo = t["share_ci_low"] if ci else t["share"]
            hi = t["share_ci_high"] if ci else t["share"]
            top = [f"{n} {fmt_pct(s)}" + (f" ({fmt_pct(a)} to {fmt_pct(b)})" if ci else "")
                   + f" ({fmt_number(c, decimals=1)} conversions, value {fmt_number(v, decimals=2)})"
                   for n, s, a, b, c, v in zip(name, t["share"], lo, hi, t["conversions"],
                                               t["value"])][:5]
            lines.append("Largest credits: " + "; ".join(top) + ".")
            if self.replicates is not None:
                r = self.replicates
                lines.append(f"Shares in brackets are {r.level:.0%} bootstrap intervals "
                             f"({r.n_boot} replicates, {r.method}).")
            social = t[t["channel"].isin(SOCIAL_CHANNELS)]
            if len(social):
                value_ci = ""
                _, a, b, _ = self.revenue_estimate()
                if self.replicates is not None and a is not None and b is not None:
                    value_ci = (f" ({self.replicates.level:.0%} interval {fmt_number(a, decimals=2)} to "
                                f"{fmt_number(b, decimals=2)})")
                lines.append(
                    f"Social (Organic + Paid Social) earned {fmt_pct(social['conversions'].sum() / self.total_conversions)} "
                    f"of conversions and {fmt_number(social['value'].sum(), decimals=2)} of value{value_ci}."
                )
            if (t["conversions"] < 0).any():
                lines.append("Negative credit means journeys with that channel converted less "
                             "often than comparable journeys without it.")
        lines.extend(self.notes)
        return "\n".join(lines)


    def chart(self) -> Any:
        """Bar chart of the share of conversions credited to each channel."""
        from roi_kit.charts.attribution import attribution_chart

        return attribution_chart(self)


def credit_table(channels: Sequence[str], campaigns: Sequence[str | None], level: str, conv: np.ndarray,
                 val: np.ndarray, extra: dict[str, np.ndarray], *, total_conversions: float,
                 total_value: float) -> pd.DataFrame:
    """The table of :class:`AttributionResult`: credits per element, largest first.

    Examples
    --------
    >>> credit_table(["a", "b"], [None, None], "channel", np.array([1.0, 3.0]), np.array([0.0, 8.0]),
    ...              {}, total_conversions=4.0, total_value=8.0)
      channel  conversions  value  share  value_share
    0       b          3.0    8.0   0.75          1.0
    1       a          1.0    0.0   0.25          0.0
    """
    out = pd.DataFrame({"channel": list(channels)})
    if level == "campaign":
        out["campaign"] = list(campaigns)
    out["conversions"] = conv.astype(float)
    out["value"] = val.astype(float)
    out["share"] = conv / total_conversions if total_conversions > 0 else np.nan
    out["value_share"] = val / total_value if total_value > 0 else np.nan
    for k, v in extra.items():
        out[k] = v
    keys = ["channel", "campaign"] if level == "campaign" else ["channel"]
    out = out.sort_values(["conversions", *keys], ascending=[False, *([True] * len(keys))],
                          kind="stable")
    return out.reset_index(drop=True)
