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

__all__ = ["SECONDS", "UNIT_DAYS", "Landmark", "TimeUnit", "since", "unit_word"]

TimeUnit = Literal["days", "weeks", "months"]
#: Length of each time unit in days (a month is the mean Gregorian month).
UNIT_DAYS: dict[str, float] = {"days": 1.0, "weeks": 7.0, "months": 30.4375}


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
