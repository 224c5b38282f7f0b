"""The fitted marketing-mix model: :class:`MmmResult` (ROAS, ROI %, curves, budget) in words.

Every number is a summary of posterior draws: point estimates are posterior medians and
intervals are equal-tailed posterior quantiles at ``level`` (90 % by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from roi_kit.errors import ConfigError
from roi_kit.formatting import fmt_money
from roi_kit.incrementality._mmm_engine import Draws
from roi_kit.incrementality._mmm_lift import LiftMeasurement
from roi_kit.incrementality._mmm_revenue import ChannelContribution, modelled_revenue
from roi_kit.results import ResultMixin
from roi_kit.roi import roi_pct

if TYPE_CHECKING:
    import altair as alt

    from roi_kit.incrementality._mmm_budget import BudgetPlan

__all__ = ["ChannelContribution", "MmmResult"]  # ChannelContribution: from _mmm_revenue

Kind = Literal["paid", "organic"]


TO_FRAME_ROI = {"roi": "roi_pct", "ci_low": "roi_pct_low", "ci_high": "roi_pct_high"}
"""roi() keeps DESIGN's short names; to_frame() spells the ROI out beside the other bounds."""

@dataclass(frozen=True, eq=False)
class MmmResult(ResultMixin):
    """A fitted marketing-mix model (see :func:`~roi_kit.incrementality.fit_mmm`).

    Attributes
    ----------
    channels, kinds
        Channel columns (paid spend first, then organic activity) and ``"paid"``/``"organic"``.
    totals, peak
        Spend (paid) or activity (organic) per channel over the fitted weeks, and its largest week.
    costs
        Cost of each channel over the fitted weeks: its spend (paid) or ``organic_cost=``
        (organic); NaN for an organic channel without a cost (its ROAS and ROI are then
        undefined and said so, and it is priced per unit of activity instead).
    draws
        Posterior draws (:class:`~roi_kit.incrementality._mmm_engine.Draws`).
    contributions
        ``(draws, channels)`` modelled revenue of each channel over the fitted weeks.
    rhat
        Split-chain R-hat of each channel's return (1.00 = chains agree; above 1.05 = not
        converged).
    spend
        ``(weeks, channels)`` weekly spend / activity the model was fitted on (``None`` on
        results built by hand); :meth:`revenue` needs it for a window of weeks.
    lift_tests, lift_draws
        The lift tests the fit was calibrated with and ``(draws, tests)`` the model's lift of
        each (``None`` without tests); :meth:`calibration` compares them.

    Examples
    --------
    >>> import roi_kit as rk
    >>> m = rk.datasets.generate_media_weekly(seed=0, weeks=60)
    >>> r = rk.fit_mmm(m.frame, channels=["search"], organic=["organic_social"], draws=100,
    ...                chains=4, tune=300, steps=300)
    >>> r.roi()["roas"].isna().tolist()  # organic social: no cost given, ROAS undefined
    [False, True]
    >>> r.channel("organic social").revenue_estimate()[3][:26]
    'revenue of organic_social '
    """

    channels: tuple[str, ...]
    kinds: tuple[Kind, ...]
    weeks: pd.DatetimeIndex
    outcome: np.ndarray
    totals: np.ndarray
    peak: np.ndarray
    costs: np.ndarray
    draws: Draws
    contributions: np.ndarray
    rhat: np.ndarray
    r2: float
    level: float
    currency: str
    notes: tuple[str, ...] = ()
    lift_tests: tuple[LiftMeasurement, ...] = ()
    lift_draws: np.ndarray | None = None
    spend: np.ndarray | None = None

    def calibration(self) -> pd.DataFrame:
        """One row per lift test: ``channel, start, end, measured, se, modelled, ci_low, ci_high``.

        ``modelled`` is the calibrated model's lift over the test weeks (posterior median, with
        its ``level`` interval); empty without lift tests.
        """
        cols = ["channel", "start", "end", "measured", "se", "modelled", "ci_low", "ci_high"]
        if self.lift_draws is None:
            return pd.DataFrame(columns=cols)
        mid, lo, hi = self._q(self.lift_draws)
        t = self.lift_tests
        return pd.DataFrame({"channel": [x.channel for x in t], "start": [x.start for x in t],
                             "end": [x.end for x in t], "measured": [x.incremental for x in t],
                             "se": [x.se for x in t], "modelled": mid, "ci_low": lo,
                             "ci_high": hi})[cols]

    @property
    def roas_draws(self) -> np.ndarray:
        """``(draws, channels)`` ROAS draws: contribution / cost (NaN where no cost was given)."""
        return self.contributions / self.costs

    @property
    def return_draws(self) -> np.ndarray:
        """``(draws, channels)`` contribution per unit of cost, or of activity where no cost."""
        return self.contributions / np.where(np.isnan(self.costs), self.totals, self.costs)

    def _q(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        tail = (1 - self.level) / 2
        lo, mid, hi = np.quantile(values, [tail, 0.5, 1 - tail], axis=0)
        return mid, lo, hi

    def _note(self, i: int) -> str:
        if np.isnan(self.costs[i]):
            return (f"ROAS and ROI are undefined: no cost given for {self.channels[i]} "
                    "(pass organic_cost=); its revenue per unit of activity is in to_frame().")
        return ""

    def roi(self) -> pd.DataFrame:
        """``channel, roi, ci_low, ci_high, roas, roas_low, roas_high, note`` (DESIGN section 7).

        ``roi`` is the product's one ROI rule in percent, ``(revenue − cost) × 100 / cost``
        (:func:`roi_kit.roi.roi_pct`), applied to the modelled revenue (posterior median) and its
        ``level`` interval ends (``ci_low``, ``ci_high``; the cost is a bookkeeping fact).
        ``roas`` is revenue per unit of cost with its interval. Both are NaN for an organic
        channel without a cost, and ``note`` says why. :meth:`to_frame` names the same ROI
        ``roi_pct, roi_pct_low, roi_pct_high`` beside the contribution's own bounds.
        """
        c_mid, c_lo, c_hi = self._q(self.contributions)
        roas = self._q(self.roas_draws)
        pct = [[_pct(float(c[i]), float(self.costs[i])) for i in range(len(self.channels))]
               for c in (c_mid, c_lo, c_hi)]
        return pd.DataFrame({"channel": list(self.channels), "roi": pct[0], "ci_low": pct[1],
                             "ci_high": pct[2], "roas": roas[0], "roas_low": roas[1],
                             "roas_high": roas[2],
                             "note": [self._note(i) for i in range(len(self.channels))]})

    def to_frame(self) -> pd.DataFrame:
        """One row per channel: ``channel, kind, total, cost, contribution, contribution_low,
        contribution_high, roas, roas_low, roas_high, roi_pct, roi_pct_low, roi_pct_high,
        revenue_per_activity, revenue_per_activity_low, revenue_per_activity_high, decay,
        half_saturation, rhat, note``.

        ``total`` is spend (paid) or activity (organic); ``revenue_per_activity`` is the organic
        channels' revenue per unit of activity (per post), NaN for paid channels (their ROAS is
        that); ``half_saturation`` is the steady weekly spend (activity) at which the channel
        gives half its maximum weekly response.
        """
        c_mid, c_lo, c_hi = self._q(self.contributions)
        organic = np.array([k == "organic" for k in self.kinds])
        per = [np.where(organic, q / self.totals, np.nan) for q in (c_mid, c_lo, c_hi)]
        half = np.median(self.draws.xbar * np.log(2) / self.draws.lam, axis=0)
        cols = ["channel", "kind", "total", "cost", "contribution", "contribution_low",
                "contribution_high", "roas", "roas_low", "roas_high", "roi_pct", "roi_pct_low",
                "roi_pct_high", "revenue_per_activity", "revenue_per_activity_low",
                "revenue_per_activity_high", "decay", "half_saturation", "rhat", "note"]
        return self.roi().rename(columns=TO_FRAME_ROI).assign(
            kind=list(self.kinds), total=self.totals, cost=self.costs, contribution=c_mid,
            contribution_low=c_lo, contribution_high=c_hi, revenue_per_activity=per[0],
            revenue_per_activity_low=per[1], revenue_per_activity_high=per[2],
            decay=np.median(self.draws.theta, axis=0), half_saturation=half, rhat=self.rhat,
        )[cols]

    def _index(self, channel: str) -> int:
        key = channel.strip().lower().replace(" ", "_")
        for i, name in enumerate(self.channels):
            if name.lower().replace(" ", "_") == key:
                return i
        raise ConfigError(f"the model has no channel {channel!r}. Channels: "
                          f"{', '.join(self.channels)}.", hint="pick one of the channels listed.")

    def channel(self, name: str) -> ChannelContribution:
        """One channel's modelled revenue with its interval, for ``rk.roi(revenue=...)``.

        Spaces and underscores are interchangeable: ``"organic social"`` finds
        ``organic_social``.
        """
        i = self._index(name)
        mid, lo, hi = self._q(self.contributions[:, i])
        span = f"{self.weeks[0]:%Y-%m-%d} to {self.weeks[-1]:%Y-%m-%d}"
        return ChannelContribution(self.channels[i], float(mid), float(lo), float(hi), span)

    def revenue(self, channels: Any, *, start: Any = None, end: Any = None
                ) -> ChannelContribution:
        """Modelled revenue of one or more channels in the weeks dated ``start..end``, with one
        joint interval (see :func:`~roi_kit.incrementality._mmm_revenue.modelled_revenue`)."""
        return modelled_revenue(self, channels, start=start, end=end)

    def response(self, spend: Any, channel: str) -> np.ndarray:
        """``(draws, len(spend))`` steady-state weekly response to a weekly spend level."""
        i = self._index(channel)
        x = np.atleast_1d(np.asarray(spend, float))
        d = self.draws
        return d.beta[:, i, None] * (1 - np.exp(-d.lam[:, i, None] * x / d.xbar[i]))

    def response_curves(self, *, points: int = 41) -> pd.DataFrame:
        """Weekly response to a steady weekly spend, per channel, from 0 to twice the largest week.

        Columns ``channel, spend, response, ci_low, ci_high, marginal_roas``: ``response`` is
        the posterior median extra outcome per week, ``marginal_roas`` the extra outcome of the
        next unit of spend (posterior median of the slope) at that spend (organic channels:
        ``spend`` is activity and ``marginal_roas`` the extra outcome of the next post).
        """
        rows = []
        for i, name in enumerate(self.channels):
            grid = np.linspace(0, 2 * float(self.peak[i]), points)
            r = self.response(grid, name)
            d = self.draws
            slope = d.beta[:, i, None] * d.lam[:, i, None] / d.xbar[i] * np.exp(
                -d.lam[:, i, None] * grid / d.xbar[i])
            mid, lo, hi = self._q(r)
            rows.append(pd.DataFrame({"channel": name, "spend": grid, "response": mid,
                                      "ci_low": lo, "ci_high": hi,
                                      "marginal_roas": np.median(slope, axis=0)}))
        return pd.concat(rows, ignore_index=True)

    def optimize_budget(self, *, total: float, weeks: int = 13,
                        bounds: dict[str, tuple[float, float]] | None = None) -> BudgetPlan:
        """Split a paid budget across the paid channels to maximise the modelled revenue.

        See :func:`~roi_kit.incrementality._mmm_budget.optimize_budget`.
        """
        from roi_kit.incrementality._mmm_budget import optimize_budget

        return optimize_budget(self, total=total, weeks=weeks, bounds=bounds)

    def summary(self) -> str:
        """The model in plain words: fit, convergence, ROAS and ROI per channel, what it cannot
        tell apart."""
        level = f"{100 * self.level:g}%"
        lines = [f"Marketing-mix model of {len(self.weeks)} weeks ({self.weeks[0]:%Y-%m-%d} to "
                 f"{self.weeks[-1]:%Y-%m-%d}), {len(self.channels)} channels; the model explains "
                 f"{100 * self.r2:.0f}% of the weekly variation (R²)."]
        table = self.to_frame()
        for row in table.itertuples(index=False):
            lines.append(self._channel_line(row, level))
        worst = float(np.max(self.rhat))
        if worst > 1.05:
            lines.append(f"Convergence: NOT reached (largest R-hat {worst:.2f} > 1.05); refit with "
                         "more steps before using these numbers.")
        else:
            lines.append(f"Convergence: the sampler's chains agree (largest R-hat {worst:.2f}).")
        for row in self.calibration().itertuples(index=False):
            lines.append(f"Calibrated with a lift test of {row.channel} ({row.start:%Y-%m-%d} to "
                         f"{row.end:%Y-%m-%d}): measured {self.money(row.measured)} ± "
                         f"{self.money(row.se)} (se); the calibrated model gives "
                         f"{self.money(row.modelled)} ({level} interval {self.money(row.ci_low)} "
                         f"to {self.money(row.ci_high)}).")
            if not row.ci_low <= row.measured <= row.ci_high:
                lines.append(f"The model and the {row.channel} test disagree (the measured lift is "
                             f"outside the model's {level} interval): check the test's channel, "
                             "weeks and population (a geo test must be scaled to the whole "
                             "business) before trusting either.")
        lines.extend(self.notes)
        return "\n".join(lines)

    def _channel_line(self, row: Any, level: str) -> str:
        if np.isnan(row.roas):
            return (f"{row.channel}: {row.revenue_per_activity:,.2f} {self.currency} of revenue per "
                    f"unit of activity ({level} interval {row.revenue_per_activity_low:,.2f} to "
                    f"{row.revenue_per_activity_high:,.2f}); {row.note}")
        pct = ("ROI undefined" if np.isnan(row.roi_pct) else
               f"ROI {row.roi_pct:,.0f}% ({row.roi_pct_low:,.0f}% to {row.roi_pct_high:,.0f}%)")
        per = "spent" if row.kind == "paid" else "of organic cost"
        return (f"{row.channel}: ROAS {row.roas:,.2f} ({self.currency} of revenue per "
                f"{self.currency} {per}; {level} interval {row.roas_low:,.2f} to "
                f"{row.roas_high:,.2f}); {pct}.")

    def chart(self) -> alt.LayerChart:
        """ROAS per channel with its interval."""
        from roi_kit.charts.mmm import mmm_chart

        return mmm_chart(self)

    def money(self, value: float) -> str:
        """A value in the result's currency, for messages."""
        return fmt_money(value, currency=self.currency, decimals=0)


def _pct(revenue: float, cost: float) -> float:
    """ROI % by the one rule (:func:`roi_kit.roi.roi_pct`); NaN where it is undefined."""
    if np.isnan(cost):
        return float("nan")
    value, _ = roi_pct(revenue, cost)
    return float("nan") if value is None else value
