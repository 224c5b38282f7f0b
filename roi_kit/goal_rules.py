"""The one rule that turns a measured goal into a status, for floors and ceilings.

:func:`goal_status` is shared by :func:`roi_kit.goal_progress`, the apps (app 06 and the report
panel) and ``roi-kit report``, so a goal cannot be *missed* in one place and *achieved* in
another. A goal's ``direction`` is ``at_least`` (the target is a floor: leads, revenue) or
``at_most`` (a ceiling: cost, CAC, churn); its optional ``tolerance`` (metric units) turns the
target into a band.

Examples
--------
>>> import pandas as pd
>>> row_directions(pd.DataFrame({"metric": ["cost", "leads"], "direction": ["at_most", None]}),
...                {"leads": "at_least"})
['at_most', 'at_least']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd

from roi_kit.errors import InputError

__all__ = ["DEFAULT_AT_MOST", "DIRECTIONS", "Direction", "goal_status", "row_directions",
           "tolerance_of"]

Direction = Literal["at_least", "at_most"]
DIRECTIONS: tuple[str, ...] = ("at_least", "at_most")
"""Every direction a goal can have."""

DEFAULT_AT_MOST: tuple[str, ...] = ("cost",)
"""Metrics treated as ceilings when a goal row has no ``direction`` (apps and ``roi-kit report``)."""


def tolerance_of(goal: Mapping[str, Any]) -> float:
    """The goal's ``tolerance`` as a non-negative float (0 when absent or missing).

    Examples
    --------
    >>> tolerance_of({"tolerance": -5.0}), tolerance_of({})
    (5.0, 0.0)
    """
    value = goal.get("tolerance")
    return 0.0 if value is None or pd.isna(value) else abs(float(value))


def goal_status(*, direction: Direction, actual: float, target: float, forecast: float,
                period_over: bool, tolerance: float = 0.0) -> str:
    """The status of one measured goal: ``achieved``, ``on track``, ``at risk`` or ``missed``.

    The single rule behind :func:`goal_progress`, the apps and ``roi-kit report`` (see the module
    docstring). A missing ``forecast`` (e.g. ROI, which has no run rate) counts as not reaching
    the target.

    Examples
    --------
    >>> goal_status(direction="at_most", actual=80.0, target=100.0, forecast=95.0, period_over=True)
    'achieved'
    >>> goal_status(direction="at_most", actual=80.0, target=100.0, forecast=120.0, period_over=False)
    'at risk'
    >>> goal_status(direction="at_least", actual=97.0, target=100.0, forecast=97.0, period_over=True,
    ...             tolerance=5.0)
    'achieved'
    """
    if direction not in DIRECTIONS:
        raise InputError(f"direction={direction!r} is not a goal direction.",
                         hint="use 'at_least' (a floor) or 'at_most' (a ceiling).")
    tol = tolerance_of({"tolerance": tolerance})
    fc = float("nan") if forecast is None else float(forecast)
    if direction == "at_least":
        if actual >= target - tol:
            return "achieved"
        if period_over:
            return "missed"
        return "on track" if fc >= target - tol else "at risk"
    if actual > target + tol:
        return "missed"
    if period_over:
        return "achieved"
    return "on track" if fc <= target + tol else "at risk"



def row_directions(g: pd.DataFrame, directions: Mapping[str, Direction] | None) -> list[Direction]:
    """Direction per goal row: its own ``direction``, else ``directions[metric]``, else at_least."""
    fill = dict(directions or {})
    own = g["direction"] if "direction" in g.columns else pd.Series([None] * len(g), index=g.index)
    out = []
    for metric, value in zip(g["metric"], own):
        d = fill.get(metric, "at_least") if value is None or pd.isna(value) else str(value).strip()
        if d not in DIRECTIONS:
            raise InputError(f"goal '{metric}' has direction={d!r}.",
                             hint="use 'at_least' (a floor) or 'at_most' (a ceiling).")
        out.append(d)
    return out  # type: ignore[return-value]
