"""Goals in brief for the management report: status counts and the goals that need attention.

Examples
--------
>>> ATTENTION
('at risk', 'missed')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from roi_kit.formatting import fmt_number, fmt_pct
from roi_kit.widgets._common import error_text

__all__ = ["ATTENTION", "goal_digest", "scorecard_digest"]

ATTENTION = ("at risk", "missed")
"""Goal statuses the report lists by name."""


def goal_digest(progress: pd.DataFrame, *, max_rows: int = 6
                ) -> tuple[str, tuple[tuple[str, str], ...], pd.DataFrame]:
    """Goals in a few lines: status counts, and the goals of the latest period that need attention.

    Parameters
    ----------
    progress
        ``goal_progress(...).to_frame()``.
    max_rows
        At most this many goals listed (lowest progress first).

    Returns
    -------
    (text, tiles, table)
        Words, status-count tiles (latest period) and a small table ``goal, owner, target,
        actual, progress, status``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"goal": ["a", "b", "c"], "owner": ["x", "y", "z"],
    ...     "period_end": pd.to_datetime(["2024-03-31", "2024-06-30", "2024-06-30"]),
    ...     "target": [10.0, 10.0, 10.0], "actual": [5.0, 12.0, 4.0],
    ...     "progress": [0.5, 1.2, 0.4], "status": ["missed", "achieved", "at risk"]})
    >>> text, tiles, table = goal_digest(t)
    >>> tiles
    (('Achieved', '1'), ('At risk', '1'))
    >>> table["goal"].tolist(), table["progress"].tolist()
    (['c'], ['40%'])
    """
    started = progress[~progress["status"].isin(["not started"])]
    if started.empty:
        return "No goal period has started yet.", (), pd.DataFrame()
    last_end = started["period_end"].max()
    latest = started[started["period_end"] == last_end]
    counts = latest["status"].value_counts()
    tiles = tuple((str(k).capitalize(), f"{int(v):,}") for k, v in sorted(counts.items()))
    overall = started["status"].value_counts()
    lines = [f"Latest goal period (ending {pd.Timestamp(last_end):%Y-%m-%d}): {len(latest):,} "
             f"goals — " + ", ".join(f"{int(v):,} {k}" for k, v in counts.items()) + ".",
             f"All {len(started):,} goals so far: "
             + ", ".join(f"{int(v):,} {k}" for k, v in overall.items()) + "."]
    need = latest[latest["status"].isin(ATTENTION)].sort_values("progress")
    if need.empty:
        lines.append("No goal of the latest period is at risk or missed.")
        return "\n".join(lines), tiles, pd.DataFrame()
    shown = need.head(max_rows)
    if len(need) > max_rows:
        lines.append(f"The {max_rows} furthest behind of {len(need):,} at risk or missed; "
                     "the Excel download lists every goal.")
    table = pd.DataFrame({
        "goal": shown["goal"].astype(str).to_numpy(),
        "owner": shown["owner"].fillna("").astype(str).to_numpy() if "owner" in shown else "",
        "target": [fmt_number(v, decimals=0) for v in shown["target"]],
        "actual": [fmt_number(v, decimals=0) for v in shown["actual"]],
        "progress": [fmt_pct(v, decimals=0) for v in shown["progress"]],
        "status": shown["status"].astype(str).to_numpy(),
    })
    return "\n".join(lines), tiles, table


def scorecard_digest(data: Mapping[str, pd.DataFrame], *,
                     roi: Callable[[pd.Timestamp, pd.Timestamp], Any] | None
                     ) -> tuple[list[str], pd.DataFrame | None, pd.DataFrame | None]:
    """The scorecard for the report page: (lines, KPI table, ``to_frame()`` for the download).

    The lines are the scorecard's first line and the KPIs that need attention; without a goals
    table, or when it cannot be computed, one line says why and both tables are ``None``.
    """
    if "goals" not in data:
        return ["Scorecard: needs the goals table (metric, target, period_start, period_end)."], \
            None, None
    from roi_kit.kpi import fmt_value, scorecard

    try:
        card = scorecard(data, roi=roi)
    except Exception as exc:  # the tiles below it must still show
        return [f"The scorecard could not be computed. {error_text(exc)}"], None, None
    kpis = card.kpis()
    lines = [card.summary().split("\n")[0]] + [r.words for r in kpis if r.status in ATTENTION]
    table = pd.DataFrame({
        "KPI": [r.metric for r in kpis], "stage": [r.stage for r in kpis],
        "actual": [fmt_value(r.metric, r.actual) for r in kpis],
        "target": [fmt_value(r.metric, r.target) for r in kpis],
        "pace": ["—" if r.pace is None else f"{r.pace:.2f}" for r in kpis],
        "status": [r.status for r in kpis],
        "vs history": ["—" if r.change is None else f"{r.change:+.0%}" for r in kpis]})
    return lines, table, card.to_frame()

