"""A Kaplan–Meier curve and what it answers: S(t) with its interval, the median and the RMST.

:class:`SurvivalTable` holds one row per distinct duration (at risk, events, censored, S(t), its
standard error and pointwise interval, and the cumulative Greenwood terms). ``at(t)`` reads the
right-continuous curve, ``median()`` gives the first time S(t) ≤ 1/2 with a Brookmeyer–Crowley
style interval, ``rmst(tau)`` the area under S up to ``tau`` with its delta-method standard error;
each says ``None`` beyond the follow-up rather than extrapolating.

Examples
--------
>>> from roi_kit.survival import kaplan_meier
>>> km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
>>> km.median(), km.rmst(4)[0]
((3.0, 1.0, None), 2.7)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["CIMethod", "SurvivalTable"]

CIMethod = Literal["log-log", "linear"]
_CI_METHODS: tuple[str, ...] = ("log-log", "linear")
_HALF = 0.5 + 1e-12  # S(t) <= 1/2 tolerant to cumulative-product rounding


@dataclass(frozen=True, eq=False)
class SurvivalTable:
    """A Kaplan–Meier curve: one row per distinct duration.

    Attributes
    ----------
    time
        Distinct durations, ascending.
    at_risk, events, censored
        Subjects at risk just before ``time``, events and censorings at ``time`` (weighted sums
        for weighted curves).
    survival
        S(t), the share still event-free after ``time``.
    std_err
        Standard error of S(t) (Greenwood, or its weighted form).
    ci_low, ci_high
        Pointwise confidence interval of S(t) at ``conf_level`` by method ``ci``.
    greenwood
        Cumulative variance terms Σ d/(Y(Y−d)) (the variance of log S), used by RMST.
    """

    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    greenwood: np.ndarray
    conf_level: float = 0.95
    ci: CIMethod = "log-log"

    def to_frame(self) -> pd.DataFrame:
        """The curve as a table: time, at_risk, events, censored, survival, std_err, ci_low, ci_high."""
        return pd.DataFrame({
            "time": self.time, "at_risk": self.at_risk, "events": self.events,
            "censored": self.censored, "survival": self.survival, "std_err": self.std_err,
            "ci_low": self.ci_low, "ci_high": self.ci_high,
        })

    @property
    def followed_up_to(self) -> float:
        """The largest duration observed (the curve is undefined beyond it unless S reached 0)."""
        return float(self.time[-1]) if self.time.size else 0.0

    def _defined_at(self, t: float) -> bool:
        return t <= self.followed_up_to or (self.survival.size > 0 and self.survival[-1] == 0.0)

    def at(self, t: float) -> tuple[float | None, float | None, float | None]:
        """S(t) with its interval; ``(None, None, None)`` beyond the follow-up.

        Examples
        --------
        >>> from roi_kit.survival import kaplan_meier
        >>> km = kaplan_meier([1, 2, 3], [1, 1, 0], ci="linear")
        >>> km.at(0.5), km.at(2)[0], km.at(9)
        ((1.0, 1.0, 1.0), 0.333..., (None, None, None))
        """
        if not self._defined_at(t):
            return None, None, None
        i = int(np.searchsorted(self.time, t, side="right")) - 1
        if i < 0:
            return 1.0, 1.0, 1.0
        return float(self.survival[i]), float(self.ci_low[i]), float(self.ci_high[i])

    def median(self) -> tuple[float | None, float | None, float | None]:
        """Median survival time and its interval (Brookmeyer–Crowley style).

        The median is the first time with S(t) ≤ 1/2; the interval runs from the first time the
        lower band reaches 1/2 to the first time the upper band does. ``None`` where a curve
        never reaches 1/2 within the follow-up.

        Examples
        --------
        >>> from roi_kit.survival import kaplan_meier
        >>> kaplan_meier([2, 4, 6, 8], [1, 1, 1, 1]).median()[0]
        4.0
        """
        def first(curve: np.ndarray) -> float | None:
            hits = np.flatnonzero(curve <= _HALF)
            return float(self.time[hits[0]]) if hits.size else None

        return first(self.survival), first(self.ci_low), first(self.ci_high)

    def rmst(self, tau: float) -> tuple[float | None, float | None]:
        """Restricted mean survival time up to ``tau`` (area under S) and its standard error.

        The standard error is the usual delta-method one, Var = Σ_{t_j ≤ τ} A_j² g_j with
        A_j = ∫_{t_j}^{τ} S(u) du and g_j the (weighted) Greenwood terms. ``(None, None)`` when
        ``tau`` lies beyond the follow-up.

        Examples
        --------
        >>> from roi_kit.survival import kaplan_meier
        >>> kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1]).rmst(4)[0]
        2.5
        """
        if tau < 0 or not self._defined_at(tau):
            return None, None
        keep = self.time <= tau
        t, s = self.time[keep], self.survival[keep]
        knots = np.concatenate(([0.0], t, [tau]))
        values = np.concatenate(([1.0], s))
        widths = np.diff(knots)
        pieces = widths * values
        total = float(pieces.sum())
        area_before = np.cumsum(pieces)[:-1]  # ∫_0^{t_j} S
        tail = total - area_before
        increments = np.diff(np.concatenate(([0.0], self.greenwood[keep])))
        var = float(np.sum(tail**2 * increments))
        return total, float(np.sqrt(max(var, 0.0)))
