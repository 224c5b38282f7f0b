"""How sure is a goal's run-rate forecast? A prediction interval and the chance of reaching the target.

The forecast of :func:`roi_kit.goal_progress` extends the run rate to the period end. Its
uncertainty has two parts: the days still to come vary around the rate, and the rate itself is
estimated from the days so far. With ``e`` days elapsed, ``r`` days remaining and ``s`` the
standard deviation of one day:

* ``how="sum"`` (flows): days are the elapsed days' totals (days without rows count 0), taken as
  independent draws around a constant rate; the final total is ``actual + r · mean``, with
  variance ``s² · r · (1 + r / e)`` (``r`` future days, plus ``r²`` times the variance of the
  mean of ``e`` days), and ``t`` with ``e − 1`` degrees of freedom;
* ``how="last"`` (levels): the level is a random walk with drift; ``s²`` is estimated from the
  changes between consecutive readings (a change over ``g`` days has variance ``g · s²``), the
  same variance formula applies, ``t`` with (changes − 1) degrees of freedom.

The probability of reaching the goal is the ``t`` probability that the final value lands on the
goal's side of the target (beyond the tolerance band); once the period is over it is 1 or 0.
Assumed, and said in the docs: no trend within the period beyond the run rate, no weekly
pattern, independent days. Too few days for a spread (fewer than 2 days, or 2 changes) gives no
interval and a note in words.

Examples
--------
>>> import numpy as np
>>> # 4 days of leads 8, 12, 10, 10 -> mean 10, s^2 = 8/3; 6 days left: forecast 40 + 60 = 100
>>> b = forecast_band(how="sum", offsets=np.arange(4), values=np.array([8.0, 12, 10, 10]),
...                   elapsed=4, remaining=6, forecast=100.0)
>>> round(b.sd, 3), b.df  # sqrt(8/3 * 6 * (1 + 6/4))
(6.325, 3)
>>> # P(final >= 90) = P(T_3 >= (90 - 100) / 6.325 = -1.58)
>>> round(reach_probability(b, target=90.0, direction="at_least"), 3)
0.894
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from roi_kit.goal_rules import Direction

__all__ = ["ForecastBand", "forecast_band", "reach_probability"]


@dataclass(frozen=True)
class ForecastBand:
    """The forecast's prediction interval (``low``/``high`` NaN and ``reason`` set when none)."""

    forecast: float
    low: float
    high: float
    sd: float
    df: int
    reason: str = ""


def forecast_band(*, how: str, offsets: np.ndarray, values: np.ndarray, elapsed: int,
                  remaining: int, forecast: float, conf_level: float = 0.95) -> ForecastBand:
    """Prediction interval of the end-of-period value (see the module notes).

    ``offsets`` are the days (0 = period start) of ``values`` within the elapsed days.
    """
    nan = float("nan")
    if remaining <= 0:
        return ForecastBand(forecast, forecast, forecast, 0.0, 0, "")
    if how == "sum":
        if elapsed < 2:
            return ForecastBand(forecast, nan, nan, nan, 0,
                                "one day of data: no day-to-day spread to measure yet.")
        daily = np.zeros(elapsed)
        np.add.at(daily, offsets.astype(int), values)
        var_day = float(np.var(daily, ddof=1))
        df = elapsed - 1
    else:
        steps = np.diff(offsets.astype(float))
        changes = np.diff(values.astype(float))
        if len(changes) < 2:
            return ForecastBand(forecast, nan, nan, nan, 0,
                                "fewer than 3 readings: no spread of the level's changes to measure yet.")
        drift = changes.sum() / steps.sum()
        var_day = float(np.sum((changes - drift * steps) ** 2 / steps) / (len(changes) - 1))
        df = len(changes) - 1
    sd = float(np.sqrt(var_day * remaining * (1 + remaining / elapsed)))
    t = float(stats.t.ppf(0.5 + conf_level / 2, df))
    return ForecastBand(forecast, forecast - t * sd, forecast + t * sd, sd, df)


def reach_probability(band: ForecastBand, *, target: float, direction: Direction,
                      tolerance: float = 0.0) -> float:
    """Chance the end-of-period value meets the goal (NaN when the band has no spread measure)."""
    if np.isnan(band.sd):
        return float("nan")
    edge = target - tolerance if direction == "at_least" else target + tolerance
    if band.sd == 0:
        met = band.forecast >= edge if direction == "at_least" else band.forecast <= edge
        return 1.0 if met else 0.0
    z = (edge - band.forecast) / band.sd
    below = float(stats.t.cdf(z, band.df))
    return 1.0 - below if direction == "at_least" else below
