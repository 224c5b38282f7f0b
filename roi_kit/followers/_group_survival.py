"""Kaplan–Meier curves of followers and non-followers from cached hourly durations.

The durations (hours, rounded up) and event flags are fixed for a population; a follower
definition only changes the group flag and the propensity weights. One ``np.bincount`` per
quantity over ``hour * 2 + group`` gives the per-hour counts of both groups, which
:func:`roi_kit.survival.kaplan_meier_from_arrays` turns into curves (Greenwood, or its weighted
Xie–Liu form for propensity weights) — so the cost per definition is a few passes over the
arrays, whatever the number of distinct durations.

Examples
--------
>>> import numpy as np
>>> hours = np.array([24, 48, 48, 72, 24, 96]); event = np.array([1, 1, 0, 1, 1, 0], bool)
>>> treated = np.array([1, 1, 1, 1, 0, 0], bool)
>>> curves = group_curves(hours, event, treated)
>>> curves["followers"].survival.round(3).tolist()
[0.75, 0.5, 0.0]
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from roi_kit.followers._effects import Effect, Method, Unit
from roi_kit.survival import (
    LogRankResult,
    SurvivalTable,
    Weighted,
    kaplan_meier_from_arrays,
    logrank_from_arrays,
)

__all__ = ["GroupCounts", "curve_difference", "event_code", "group_counts", "group_curves", "group_logrank", "median_effect", "rmst_effect"]

HOURS = 24.0
GROUPS = ("followers", "non-followers")


@dataclass(frozen=True, eq=False)
class GroupCounts:
    """Per-hour counts of both groups, arrays of shape (hours, 2) with column 0 = followers,
    1 = non-followers: raw events ``d`` and removals ``r``; with weights also ``dw``, ``rw``,
    ``rw2`` (sum of squared weights). ``cell`` = hour·4 + group·2 + event of every subject."""

    d: np.ndarray
    r: np.ndarray
    cell: np.ndarray
    dw: np.ndarray | None = None
    rw: np.ndarray | None = None
    rw2: np.ndarray | None = None
    per_day: float = HOURS

    def weighted(self, event: np.ndarray, weights: np.ndarray) -> GroupCounts:
        """The same raw counts plus weighted ones (two more passes)."""
        del event  # the event is part of ``cell``
        size = self.r.size * 2
        cw = np.bincount(self.cell, weights=weights, minlength=size).reshape(-1, 2, 2)
        cw2 = np.bincount(self.cell, weights=weights * weights, minlength=size).reshape(-1, 2, 2)
        return GroupCounts(self.d, self.r, self.cell, cw[:, :, 1], cw.sum(axis=2), cw2.sum(axis=2),
                           self.per_day)

    @functools.cached_property
    def _rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Per group, the hours with at least one subject removed."""
        return np.flatnonzero(self.r[:, 0] > 0), np.flatnonzero(self.r[:, 1] > 0)

    def _columns(self, g: int, rows: np.ndarray) -> dict[str, np.ndarray]:
        cols = {"duration": rows / self.per_day, "events": self.d[rows, g], "removed": self.r[rows, g]}
        if self.dw is not None and self.rw is not None and self.rw2 is not None:
            cols.update(weighted_events=self.dw[rows, g], weighted_removed=self.rw[rows, g],
                        weighted_removed_sq=self.rw2[rows, g])
        return cols

    @functools.cached_property
    def _frames(self) -> dict[str, pd.DataFrame]:
        # one constructor call per frame (adding columns one by one costs more than the data)
        return {name: pd.DataFrame(self._columns(g, rows), copy=False)
                for g, (name, rows) in enumerate(zip(GROUPS, self._rows, strict=True))}

    def frames(self) -> dict[str, pd.DataFrame]:
        """One duration-counts table per group (the format of the survival core)."""
        return self._frames

    def _weighted(self, rows: np.ndarray | slice, g: int | slice) -> Weighted | None:
        if self.dw is None or self.rw is None or self.rw2 is None:
            return None
        return self.dw[rows, g], self.rw[rows, g], self.rw2[rows, g]

    def curves(self) -> dict[str, SurvivalTable]:
        """Kaplan–Meier per non-empty group (the arrays of :meth:`frames`, no frame built)."""
        return {name: kaplan_meier_from_arrays(rows / self.per_day, self.d[rows, g], self.r[rows, g],
                                               self._weighted(rows, g))
                for g, (name, rows) in enumerate(zip(GROUPS, self._rows, strict=True)) if rows.size}

    def logrank(self) -> LogRankResult | None:
        """Log-rank test between the groups (None when one is empty): the durations at which
        either group has someone removed, as :func:`~roi_kit.survival.logrank_from_counts`
        reads them from the long table of both :meth:`frames`."""
        if any(rows.size == 0 for rows in self._rows):
            return None
        rows = np.flatnonzero((self.r[:, 0] > 0) | (self.r[:, 1] > 0))
        return dataclasses.replace(
            logrank_from_arrays(self.d[rows], self.r[rows], (0, 1), self._weighted(rows, slice(None))),
            groups=GROUPS)


def event_code(hours: np.ndarray, event: np.ndarray) -> np.ndarray:
    """``hour·4 + event`` — the definition-independent part of :attr:`GroupCounts.cell`."""
    return hours * 4 + event


def group_counts(hours: np.ndarray, event: np.ndarray, treated: np.ndarray,
                 weights: np.ndarray | None = None, *, coded: np.ndarray | None = None,
                 size: int | None = None, per_day: float = HOURS,
                 cell: np.ndarray | None = None) -> GroupCounts:
    """Per-step raw (and, with ``weights``, weighted) counts of both groups.

    ``coded`` may pass a cached :func:`event_code` and ``size`` the number of cells
    (``(max hour + 1) · 4``); one pass adds the group and one ``np.bincount`` gives events and
    removals of both groups. ``cell`` may pass that sum (:attr:`GroupCounts.cell`) when the
    caller has built it. ``per_day`` is the number of steps in a day: 24 for hours (deal
    close times), 1 for the whole days of the landmark population.
    """
    if cell is None:
        base = event_code(hours, event) if coded is None else coded
        cell = base + ((~treated).view(np.uint8) << 1)
    if size is None:
        size = ((int(hours.max()) + 1) if hours.size else 1) * 4
    c = np.bincount(cell, minlength=size).reshape(-1, 2, 2)
    raw = GroupCounts(c[:, :, 1], c.sum(axis=2), cell, per_day=per_day)
    return raw if weights is None else raw.weighted(event, weights)


def group_curves(hours: np.ndarray, event: np.ndarray, treated: np.ndarray,
                 weights: np.ndarray | None = None) -> dict[str, SurvivalTable]:
    """Kaplan–Meier curve per group (``followers``, ``non-followers``), time in days."""
    return group_counts(hours, event, treated, weights).curves()


def group_logrank(hours: np.ndarray, event: np.ndarray, treated: np.ndarray,
                  weights: np.ndarray | None = None) -> LogRankResult | None:
    """Log-rank test between the two groups (weighted counts when ``weights`` are given)."""
    return group_counts(hours, event, treated, weights).logrank()


def _at(curve: SurvivalTable, t: float) -> tuple[float | None, float | None]:
    s, _, _ = curve.at(t)
    if s is None:
        return None, None
    i = int(np.searchsorted(curve.time, t, side="right")) - 1
    return s, (0.0 if i < 0 else float(curve.std_err[i]))


def curve_difference(comparison: str, measure: str, method: Method,
                     curves: dict[str, SurvivalTable], t: float, *, z: float) -> Effect:
    """S_followers(t) − S_non-followers(t) with a normal interval from both standard errors."""
    c1, c0 = curves.get(GROUPS[0]), curves.get(GROUPS[1])
    if c1 is None or c0 is None:
        return Effect(comparison, measure, method, None, None, None,
                      note="one of the groups is empty.")
    s1, se1 = _at(c1, t)
    s0, se0 = _at(c0, t)
    n1, n0 = float(c1.at_risk[0]), float(c0.at_risk[0])
    if s1 is None or s0 is None or se1 is None or se0 is None:
        return Effect(comparison, measure, method, s1, s0, None, n_followers=n1, n_non_followers=n0,
                      note=f"not estimable: follow-up ends before {t:g} days in one of the groups.")
    diff, se = s1 - s0, math.hypot(se1, se0)
    return Effect(comparison, measure, method, s1, s0, diff, diff - z * se, diff + z * se,
                  n_followers=n1, n_non_followers=n0, unit="share")


def rmst_effect(comparison: str, measure: str, method: Method,
                curves: dict[str, SurvivalTable], tau: float, *, z: float) -> Effect:
    """Difference of restricted mean survival times up to ``tau`` days."""
    c1, c0 = curves.get(GROUPS[0]), curves.get(GROUPS[1])
    if c1 is None or c0 is None:
        return Effect(comparison, measure, method, None, None, None, unit="days",
                      note="one of the groups is empty.")
    r1, se1 = c1.rmst(tau)
    r0, se0 = c0.rmst(tau)
    if r1 is None or r0 is None or se1 is None or se0 is None:
        return Effect(comparison, measure, method, r1, r0, None, unit="days",
                      note=f"not estimable: follow-up ends before {tau:g} days in one of the groups.")
    diff, se = r1 - r0, math.hypot(se1, se0)
    return Effect(comparison, measure, method, r1, r0, diff, diff - z * se, diff + z * se,
                  n_followers=float(c1.at_risk[0]), n_non_followers=float(c0.at_risk[0]), unit="days")


def median_effect(comparison: str, measure: str, method: Method,
                  curves: dict[str, SurvivalTable], unit: Unit = "days",
                  ) -> tuple[Effect, dict[str, tuple[float | None, float | None, float | None]]]:
    """Median per group (with its interval, returned separately) and their difference."""
    med = {g: (curves[g].median() if g in curves else (None, None, None)) for g in GROUPS}
    m1, m0 = med[GROUPS[0]][0], med[GROUPS[1]][0]
    note = ""
    if m1 is None or m0 is None:
        note = "a group's curve never falls to 50% within the follow-up, so its median is not reached."
    diff = None if (m1 is None or m0 is None) else m1 - m0
    return Effect(comparison, measure, method, m1, m0, diff, unit=unit, note=note), med
