"""Budget reallocation on a fitted MMM's response curves: :class:`BudgetPlan`.

The paid budget for the next ``weeks`` weeks is spent evenly week by week; each channel then
returns its steady-state weekly response ``beta * (1 - exp(-lam * spend / mean spend))``
(carry-over included). The split that maximises the posterior-mean revenue under the total and
per-channel bounds is found with SLSQP; the gain over today's mix (the historical shares scaled to
the same total) is then computed for every posterior draw, which gives its interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import optimize

from roi_kit.errors import ConfigError
from roi_kit.formatting import fmt_money
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

    from roi_kit.incrementality._mmm_result import MmmResult

__all__ = ["BudgetPlan", "optimize_budget"]


@dataclass(frozen=True, eq=False)
class BudgetPlan(ResultMixin):
    """A suggested split of a paid budget (see :meth:`MmmResult.optimize_budget`).

    ``allocation`` has ``channel, current, suggested, change_pct, revenue_current,
    revenue_suggested`` (money over the ``weeks``); ``gain`` is the expected extra revenue of the
    suggested split over today's mix as (median, low, high) at ``level``.
    """

    allocation: pd.DataFrame
    gain: tuple[float, float, float]
    total: float
    weeks: int
    level: float
    currency: str
    left_out: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The allocation table (one row per paid channel)."""
        return self.allocation.copy()

    def summary(self) -> str:
        """The suggestion in words, with the interval of its gain."""
        money = lambda v: fmt_money(v, currency=self.currency, decimals=0)  # noqa: E731
        est, lo, hi = self.gain
        lines = [f"Budget of {money(self.total)} over {self.weeks} weeks, spread across "
                 f"{len(self.allocation)} paid channels to maximise modelled revenue."]
        for row in self.allocation.itertuples(index=False):
            lines.append(f"{row.channel}: {money(row.current)} today's mix -> {money(row.suggested)}"
                         f" ({row.change_pct:+.0f}%).")
        level = f"{100 * self.level:g}%"
        lines.append(f"Expected extra revenue over today's mix: {money(est)} ({level} interval "
                     f"{money(lo)} to {money(hi)}).")
        if lo <= 0:
            lines.append("The interval reaches zero: the model cannot promise that the new split "
                         "beats today's; test the largest shift (rk.plan_lift_test) before moving "
                         "money.")
        if self.left_out:
            lines.append(f"Not in the budget (organic activity): {', '.join(self.left_out)}.")
        return "\n".join(lines)

    def chart(self) -> alt.Chart:
        """Today's mix and the suggested split, side by side per channel."""
        from roi_kit.charts.mmm import budget_chart

        return budget_chart(self)


def optimize_budget(result: MmmResult, *, total: float, weeks: int = 13,
                    bounds: dict[str, tuple[float, float]] | None = None) -> BudgetPlan:
    """Split ``total`` (money over ``weeks`` weeks) across the paid channels of ``result``.

    ``bounds`` maps a channel to (lowest, highest) money over the ``weeks``; channels without
    bounds stay between half and twice their share of ``total`` in today's mix (response curves
    are only trusted near the spend the model has seen).
    """
    paid = [i for i, k in enumerate(result.kinds) if k == "paid"]
    if not paid:
        raise ConfigError("the model has no paid channels to share a budget between.",
                          hint="fit with channels=[...] spend columns.")
    if not (np.isfinite(total) and total > 0) or weeks < 1:
        raise ConfigError(f"total={total!r} and weeks={weeks!r} must be positive.",
                          hint="pass the paid budget for the period, e.g. total=500_000, weeks=13.")
    names = [result.channels[i] for i in paid]
    share = result.totals[paid] / result.totals[paid].sum()
    current = total * share
    lo, hi = 0.5 * current, 2.0 * current
    for name, (a, b) in (bounds or {}).items():
        i = result._index(name)
        if i not in paid:
            raise ConfigError(f"bounds name {name!r}, which is organic activity, not paid spend.",
                              hint=f"bound only paid channels: {', '.join(names)}.")
        j = paid.index(i)
        if not 0 <= a <= b:
            raise ConfigError(f"bounds for {name!r} are {(a, b)!r}; they need 0 <= low <= high.",
                              hint="pass bounds={'search': (10_000, 80_000)}.")
        lo[j], hi[j] = a, b
    if lo.sum() > total or hi.sum() < total:
        raise ConfigError(f"the bounds cannot hold total={total:,.0f}: lows add up to "
                          f"{lo.sum():,.0f} and highs to {hi.sum():,.0f}.",
                          hint="widen the bounds or change the total.")
    d = result.draws
    beta, lam, xbar = d.beta[:, paid], d.lam[:, paid], d.xbar[paid]

    def revenue(alloc: np.ndarray) -> np.ndarray:  # (draws,) money over the weeks
        w = alloc / weeks
        return weeks * (beta * (1 - np.exp(-lam * w / xbar))).sum(axis=1)

    def neg(alloc: np.ndarray) -> tuple[float, np.ndarray]:
        w = alloc / weeks
        grad = (beta * lam / xbar * np.exp(-lam * w / xbar)).mean(axis=0)
        return -float(revenue(alloc).mean()), -grad

    start = np.clip(current, lo, hi)
    start = start * total / start.sum()
    res = optimize.minimize(neg, start, jac=True, method="SLSQP",
                            bounds=list(zip(lo, hi)),
                            constraints=[{"type": "eq", "fun": lambda a: a.sum() - total,
                                          "jac": lambda a: np.ones_like(a)}])
    best = np.clip(res.x, lo, hi)
    gain = revenue(best) - revenue(current)
    tail = (1 - result.level) / 2
    g_lo, g_mid, g_hi = np.quantile(gain, [tail, 0.5, 1 - tail])
    per_now = weeks * np.median(beta * (1 - np.exp(-lam * (current / weeks) / xbar)), axis=0)
    per_new = weeks * np.median(beta * (1 - np.exp(-lam * (best / weeks) / xbar)), axis=0)
    table = pd.DataFrame({"channel": names, "current": current, "suggested": best,
                          "change_pct": 100 * (best / current - 1), "revenue_current": per_now,
                          "revenue_suggested": per_new})
    left = tuple(c for c, k in zip(result.channels, result.kinds) if k == "organic")
    return BudgetPlan(allocation=table, gain=(float(g_mid), float(g_lo), float(g_hi)),
                      total=float(total), weeks=int(weeks), level=result.level,
                      currency=result.currency, left_out=left)
