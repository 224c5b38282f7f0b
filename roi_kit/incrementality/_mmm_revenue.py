"""Modelled revenue of channels over a window of weeks: :class:`ChannelContribution`.

A channel's revenue in week ``t`` is ``β_c (1 − exp(−λ_c (1 − θ_c) a_ct / x̄_c))`` with
``a_ct`` its adstock (carry-over from earlier weeks included), per posterior draw. Summing the
weeks dated in the window and the channels asked for *per draw* gives one posterior of the total,
so the interval of several channels together is their joint interval (not the sum of the ends).
:func:`roi_kit.roi` reads the result: ``rk.roi(revenue=r.revenue(["organic_social"],
start="2025-10-01", end="2025-12-31"), cost=...)``.

Examples
--------
>>> c = ChannelContribution("search", 120.0, 80.0, 160.0, "2024-01-01 to 2024-03-25")
>>> c.revenue_estimate()
(120.0, 80.0, 160.0, 'revenue of search from a marketing-mix model (2024-01-01 to 2024-03-25)')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from roi_kit.errors import ConfigError
from roi_kit.incrementality._mmm_engine import saturated

if TYPE_CHECKING:
    from roi_kit.incrementality._mmm_result import MmmResult

__all__ = ["ChannelContribution", "modelled_revenue"]


@dataclass(frozen=True)
class ChannelContribution:
    """Modelled revenue of one channel (or several, joined by ``+``) over weeks of the fitted
    table; ``rk.roi(revenue=...)`` reads it."""

    channel: str
    estimate: float
    ci_low: float
    ci_high: float
    weeks: str

    def revenue_estimate(self) -> tuple[float, float | None, float | None, str]:
        """(contribution, low, high, source) — the interface ``rk.roi`` reads."""
        return (self.estimate, self.ci_low, self.ci_high,
                f"revenue of {self.channel} from a marketing-mix model ({self.weeks})")


def modelled_revenue(result: MmmResult, channels: str | Sequence[str], *, start: Any = None,
                     end: Any = None) -> ChannelContribution:
    """Revenue the model gives ``channels`` in the weeks dated ``start..end`` (both included;
    ``None`` = the first / last fitted week), posterior median and ``result.level`` interval.

    Raises :class:`~roi_kit.errors.ConfigError` when no fitted week is dated in the window (the
    message gives both spans) or a channel is not in the model.

    Examples
    --------
    >>> import roi_kit as rk
    >>> m = rk.datasets.generate_media_weekly(seed=0, weeks=60)
    >>> r = rk.fit_mmm(m.frame, channels=["search"], draws=100, chains=4, tune=300, steps=300)
    >>> whole = r.revenue("search")
    >>> round(whole.estimate) == round(r.channel("search").estimate)
    True
    >>> r.revenue("search", start="2024-02-01", end="2024-02-29").weeks
    'weeks dated 2024-02-05 to 2024-02-26, 4 of the 60 fitted'
    """
    names = [channels] if isinstance(channels, str) else list(channels)
    if not names:
        raise ConfigError("no channel named for the modelled revenue.",
                          hint=f"name one or more of: {', '.join(result.channels)}.")
    idx = [result._index(n) for n in names]
    weeks = result.weeks
    lo = weeks[0] if start is None else pd.Timestamp(start)
    hi = weeks[-1] if end is None else pd.Timestamp(end)
    inside = np.flatnonzero((weeks >= lo) & (weeks <= hi))
    if not len(inside):
        raise ConfigError(f"no fitted week is dated {lo:%Y-%m-%d} to {hi:%Y-%m-%d}; the model covers "
                          f"{weeks[0]:%Y-%m-%d} to {weeks[-1]:%Y-%m-%d}.",
                          hint="pick dates inside the fitted weeks, or refit on a table that "
                               "covers them.")
    label = " + ".join(result.channels[i] for i in idx)
    whole = len(inside) == len(weeks)
    if whole:
        total = result.contributions[:, idx].sum(axis=1)
        span = f"{weeks[0]:%Y-%m-%d} to {weeks[-1]:%Y-%m-%d}"
    else:
        if result.spend is None:
            raise ConfigError("this result does not keep its weekly spend, so it cannot give the "
                              "revenue of a window of weeks.", hint="refit with rk.fit_mmm.")
        d = result.draws
        total = np.zeros(len(d.beta))
        for i in idx:
            sat = saturated(result.spend[:, [i]], d.theta[:, [i]], d.lam[:, [i]], d.xbar[[i]])
            total += d.beta[:, i] * sat[:, inside, 0].sum(axis=1)
        span = (f"weeks dated {weeks[inside[0]]:%Y-%m-%d} to {weeks[inside[-1]]:%Y-%m-%d}, "
                f"{len(inside)} of the {len(weeks)} fitted")
    tail = (1 - result.level) / 2
    q_lo, q_mid, q_hi = np.quantile(total, [tail, 0.5, 1 - tail])
    return ChannelContribution(label, float(q_mid), float(q_lo), float(q_hi), span)
