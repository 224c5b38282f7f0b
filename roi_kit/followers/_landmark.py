"""One landmark day of the population: members, whole-day durations, upsell windows (built by
:meth:`~roi_kit.followers._population.Population.landmark`).

Examples
--------
>>> import numpy as np
>>> since(np.array([1.5]), np.array([1.0])).tolist()   # half a day, in seconds
[43200.0]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

import numpy as np

from roi_kit.followers._design import Design
from roi_kit.periods import DAYS_PER_MONTH

__all__ = ["SECONDS", "UNIT_DAYS", "Landmark", "TimeUnit", "cohort_months", "since", "unit_word", "whole_steps"]

TimeUnit = Literal["days", "weeks", "months"]
#: Length of each time unit in days (a month is the mean Gregorian month).
UNIT_DAYS: dict[str, float] = {"days": 1.0, "weeks": 7.0, "months": DAYS_PER_MONTH}


def unit_word(unit: str, n: float | None = None) -> str:
    """``"days"`` → ``"day"`` for ``n == 1`` or for use before a number (``"day 90"``).

    >>> unit_word("months", 1), unit_word("weeks", 3), unit_word("days")
    ('month', 'weeks', 'day')
    """
    return unit[:-1] if n is None or n == 1 else unit


SECONDS = 86_400.0


def since(when: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Seconds from ``base`` to ``when`` (both days since the epoch), rounded to the millisecond."""
    out = np.subtract(when, base, dtype=np.float64)
    out *= SECONDS
    return np.round(out, 3, out=out)


def whole_steps(seconds: np.ndarray, event: np.ndarray, step: float) -> np.ndarray:
    """Whole grid steps of ``seconds`` (consumed): a churn counts on the step it happens in
    (ceil), censoring on the last full step (floor), after rounding away float noise.

    >>> whole_steps(np.array([3.2, 3.2]) * SECONDS, np.array([True, False]), SECONDS).tolist()
    [4, 3]
    """
    seconds /= step
    np.round(seconds, 9, out=seconds)
    # ceil(x) = −floor(−x): flip the sign of events, floor, flip back (exact; branch-free, where
    # np.where(event, ceil, floor) with an unpredictable mask costs ~7× as much)
    sign = np.subtract(1.0, event, dtype=np.float64)
    sign -= event
    seconds *= sign
    np.floor(seconds, out=seconds)
    seconds *= sign
    return seconds.astype(np.int64)


def cohort_months(acquired: np.ndarray) -> np.ndarray:
    """Acquisition month ``YYYYMM`` (UTC) of days since the epoch (``197001`` where unknown).

    >>> cohort_months(np.array([0.0, 59.5, np.nan])).tolist()
    [197001, 197003, 197001]
    """
    def yyyymm(months: np.ndarray) -> np.ndarray:  # months since 1970-01
        return (1970 + months // 12) * 100 + months % 12 + 1  # type: ignore[no-any-return]

    ok = np.isfinite(acquired)
    everyone = bool(ok.all())
    sec = np.multiply(acquired if everyone else acquired[ok], SECONDS)
    np.floor(sec, out=sec)  # in place: each fresh 8 MB temporary costs its page faults too
    if not sec.size:
        return np.full(acquired.size, 197001, dtype=np.int64)
    # a month is whole days: look each day's month up in a table spanning the data
    # (whole seconds / 86400 is never rounded across a day boundary)
    day = np.divide(sec, 86_400.0)
    np.floor(day, out=day)
    lo, hi = float(day.min()), float(day.max())
    if hi - lo < 4 * day.size + 100_000:
        span = np.arange(int(lo), int(hi) + 1).astype("datetime64[D]").astype("datetime64[M]")
        day -= lo
        found = yyyymm(span.astype(np.int64)).take(day.astype(np.intp))
    else:
        found = yyyymm(sec.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64))
    if everyone:
        return found
    out = np.full(acquired.size, 197001, dtype=np.int64)
    out[ok] = found
    return out


@dataclass(frozen=True, eq=False)
class Landmark:
    """The population at one landmark day: members, whole-day durations, upsell windows.

    ``index`` are the members' positions among the customers; ``days`` whole days from the
    landmark to churn (``event``) or to the end of observation; ``full_index`` the members
    observed for the whole ``horizon_days`` after the landmark (the upsell population)."""

    landmark_days: int
    horizon_days: int
    n_customers: int
    index: np.ndarray
    days: np.ndarray
    event: np.ndarray
    pos: np.ndarray
    design: Design
    full_index: np.ndarray
    upsell_count: np.ndarray | None
    upsell_revenue: np.ndarray | None

    @property
    def n(self) -> int:
        """Number of members."""
        return int(self.index.size)

    @functools.cached_property
    def coded(self) -> np.ndarray:
        """``day·4 + event`` per member (the definition-independent part of the KM cells)."""
        return self.days * 4 + self.event

    @property
    def size(self) -> int:
        """Number of KM cells: (longest duration + 1) · 4."""
        return ((int(self.days.max()) + 1) if self.days.size else 1) * 4

    @functools.cached_property
    def pattern2(self) -> np.ndarray:
        """Covariate pattern·2 + 1 of every member (the non-follower cell)."""
        return self.design.pattern * 2 + 1

    @functools.cached_property
    def full_pattern2(self) -> np.ndarray:
        """Covariate pattern·2 + 1 of every member observed for the whole horizon."""
        return self.design.pattern[self.full_index] * 2 + 1
