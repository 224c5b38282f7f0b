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

__all__ = ["SECONDS", "UNIT_DAYS", "AcquisitionDays", "Landmark", "Relative", "TimeUnit", "acquisition_days",
           "cohort_months", "relative_times", "since", "unit_word", "whole_steps"]

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


def _whole(days: np.ndarray) -> bool:
    """Every value (NaN aside) a whole number of days within ±2**22, so that the seconds route
    (``·86400``, rounding to the millisecond and to 1e-9 of a step) is exact on it."""
    frac = np.floor(days)
    frac -= days  # 0 where whole, NaN where missing
    lo, hi = np.fmin.reduce(days, initial=np.inf), np.fmax.reduce(days, initial=-np.inf)
    return bool(np.fmin.reduce(frac, initial=0.0) == 0.0 and lo >= -(2.0**22) and hi <= 2.0**22)


@dataclass(frozen=True, eq=False)
class Relative:
    """End of observation and churn of every customer relative to acquisition: whole days
    (``whole``, for day grids only) or seconds rounded to the millisecond (:func:`since`)."""

    end: np.ndarray
    churn: np.ndarray
    whole: bool

    def members(self, landmark: int, horizon: int, step: float) -> tuple[bool, np.ndarray, np.ndarray,
                                                                           np.ndarray, np.ndarray]:
        """Whether everyone is in the population at step ``landmark``, the members' positions,
        whole steps since the landmark, churn flags, and the positions (among the members) of
        those observed ``horizon`` steps after it (rule: module docstring of ``_population``)."""
        unit = 1.0 if self.whole else step
        big, h = float(landmark) * unit, float(horizon) * unit
        member = (self.end >= big) & ~(self.churn <= big)  # no churn (NaN), or churn after the landmark
        everyone = bool(member.all())
        idx = np.arange(self.end.size) if everyone else np.flatnonzero(member)
        er, cr = (self.end, self.churn) if everyone else (self.end[idx], self.churn[idx])
        if big:
            er, cr = er - big, cr - big
        event = cr <= er  # False for NaN (no churn)
        # = where(event, cr, er), branch-free; whole days are their own step counts (exact)
        first = np.fmin(cr, er)
        days = first.astype(np.int64) if self.whole else whole_steps(first, event, step)
        return everyone, idx, days, event, np.flatnonzero(er >= h)


def relative_times(acquired: np.ndarray, end: np.ndarray, churned: np.ndarray, step: float) -> Relative:
    """:class:`Relative` times of days since the epoch. Date-only data (every difference whole
    days) on a day grid skips the seconds route: there it would give back the same whole days
    (products and quotients of integers below 2**53 are exact), at ~3× the passes.

    >>> r = relative_times(np.array([0.0, 1.0]), np.array([10.0, 5.0]), np.array([3.0, np.nan]), SECONDS)
    >>> r.whole, r.members(0, 4, SECONDS)[2].tolist()
    (True, [3, 4])
    >>> relative_times(np.array([0.5]), np.array([10.0]), np.array([np.nan]), SECONDS).end.tolist()
    [820800.0]
    """
    end_rel = np.subtract(end, acquired, dtype=np.float64)
    churn_rel = np.subtract(churned, acquired, dtype=np.float64)
    if step == SECONDS and _whole(end_rel) and _whole(churn_rel):
        return Relative(end_rel, churn_rel, True)
    for rel in (end_rel, churn_rel):  # = since(), continued from the differences
        rel *= SECONDS
        np.round(rel, 3, out=rel)
    return Relative(end_rel, churn_rel, False)


def _yyyymm(months: np.ndarray) -> np.ndarray:  # months since 1970-01 → YYYYMM
    return (1970 + months // 12) * 100 + months % 12 + 1  # type: ignore[no-any-return]


@dataclass(frozen=True, eq=False)
class AcquisitionDays:
    """Acquisition day of every customer as a position in ``months``, the ``YYYYMM`` of each day
    of a span covering the data: ``months[index]`` is the cohort, and a table per day (the
    retention counts' cell offsets) is one ``take`` away."""

    index: np.ndarray
    months: np.ndarray
    span: tuple[int, int] | None = None  # (index.min(), index.max()) when known

    def subset(self, idx: np.ndarray) -> AcquisitionDays:
        """The same lookup for the customers at positions ``idx``."""
        return AcquisitionDays(self.index[idx], self.months)

    def extremes(self) -> tuple[int, int]:
        """Positions of the earliest and the latest acquisition day."""
        return self.span if self.span is not None else (int(self.index.min()), int(self.index.max()))


def acquisition_days(acquired: np.ndarray) -> AcquisitionDays | None:
    """The :class:`AcquisitionDays` of days since the epoch; ``None`` when a date is missing or
    the dates span more days than ``4·n + 100,000`` (then :func:`cohort_months` converts).

    ``acquired`` are whole seconds / 86,400 (see :func:`~roi_kit.followers.prepare_population`),
    never within float noise below a day boundary, so ``floor(acquired)`` is the day of
    ``floor(acquired · 86,400)`` seconds; for dates on or after 1970-01-01 it is the truncation
    ``astype`` already does (one pass instead of four).

    >>> a = acquisition_days(np.array([19_723.5, 19_753.0]))   # 2024-01-01 12:00, 2024-01-31
    >>> a.months[a.index].tolist(), a.index.tolist()
    ([202401, 202401], [0, 30])
    """
    if not acquired.size:
        return None
    lo, hi = float(acquired.min()), float(acquired.max())  # NaN when a date is missing
    limit = 4 * acquired.size + 100_000
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi - lo >= limit:
        return None
    if lo >= 0 and hi < limit and acquired.size >= 50_000:  # table from the epoch: no offset pass
        base, index = 0, acquired.astype(np.intp)
    else:
        base = int(np.floor(lo))
        index = np.floor(acquired).astype(np.intp)
        index -= base
    top = int(np.floor(hi))
    span = np.arange(base, top + 1).astype("datetime64[D]").astype("datetime64[M]")
    return AcquisitionDays(index, _yyyymm(span.astype(np.int64)), (int(np.floor(lo)) - base, top - base))


def cohort_months(acquired: np.ndarray, days: AcquisitionDays | None = None) -> np.ndarray:
    """Acquisition month ``YYYYMM`` (UTC) of days since the epoch (``197001`` where unknown);
    ``days``: their :func:`acquisition_days`, when already built.

    >>> cohort_months(np.array([0.0, 59.5, np.nan])).tolist()
    [197001, 197003, 197001]
    """
    days = days if days is not None else acquisition_days(acquired)
    if days is not None:
        return days.months.take(days.index)
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
        found = _yyyymm(span.astype(np.int64)).take(day.astype(np.intp))
    else:
        found = _yyyymm(sec.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64))
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
