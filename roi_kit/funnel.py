"""Conversion funnels from user-level event logs or from stage-level aggregates.

From events (columns ``user_id, timestamp, event``), computed in the caller's engine:

* **Entry.** A user enters the funnel at their *first* event of stage 1 (time ``t1``). Filter the
  log to the analysis period first if older entries should not count.
* **Conversion window.** With ``window_days=w`` a later stage only counts when it happens at or
  before ``t1 + w`` days (inclusive). ``None`` = no window.
* **Strict ordering** (``ordering="strict"``, default). Stage *k* is reached when the user has a
  stage-*k* event at or after the time they reached stage *k−1* (same timestamp allowed); that
  event's time is the stage-*k* time (the earliest such event, which is the choice that lets the
  most users continue). Other events in between are allowed.
* **Loose ordering** (``ordering="loose"``). Stage *k* is reached when the user reached stage
  *k−1* and has a stage-*k* event anywhere in ``[t1, t1 + w]``, in any order relative to stages
  2..k−1; the stage-*k* time is the first such event. Time from the previous stage can then be
  negative.
* A user's group (``by=``, e.g. platform, paid) is taken from their entry event (ties: the
  smallest value). A ``paid`` column of true/false is shown as ``paid`` / ``organic``.
* Rows with a missing user_id or timestamp, and events of no stage, are ignored.

From aggregates (columns ``stage, count`` and optional ``by`` columns): counts per stage are
summed per group; stage labels match a stage name or any of its event names. Medians of time are
then unavailable, and counts that rise from one stage to the next are flagged (usually different
tracking sources).

Result columns (per group and stage): ``step, stage, kind (micro/macro), phase, offline, users,
step_conversion`` (users / users at the previous stage; 1 at the entry stage) with its Wilson
interval ``step_ci_low, step_ci_high``, ``overall_conversion`` (users / users at entry) with its
Wilson interval ``overall_ci_low, overall_ci_high``,
``drop_off`` (users lost since the previous stage), ``drop_off_rate``,
``median_hours_from_previous``, ``median_hours_from_entry`` and ``reason`` (why a value is
missing).

The event-log computation lives in :mod:`roi_kit.funnel_events`.

Examples
--------
>>> import pandas as pd
>>> events = pd.DataFrame({
...     "user_id": ["a", "a", "a", "b", "b", "c"],
...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05",
...                                  "2024-01-01", "2023-12-31", "2024-01-03"]),
...     "event": ["visit", "lead", "won", "visit", "lead", "visit"],
... })
>>> f = funnel(events, stages=["visit", "lead", "won"])
>>> f.to_frame()["users"].tolist()
[3, 1, 1]
>>> funnel(events, stages=["visit", "lead", "won"], ordering="loose").to_frame()["users"].tolist()
[3, 1, 1]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.aggregates import MISSING_KEY, wilson_interval
from roi_kit.engine import as_frame, column_names
from roi_kit.errors import ConfigError, MissingColumnError
from roi_kit.funnel_events import _EVENT, _TS, _USER, Ordering, _event_stats
from roi_kit.funnel_presence import present_stages
from roi_kit.funnel_presets import FunnelPreset, FunnelStage, resolve_stages
from roi_kit.funnel_result import FunnelResult
from roi_kit.funnel_sources import (
    aggregate_counts,
    stage_counts,
    stage_units,
    unit_notes,
    wide_columns,
    wide_to_long,
)

__all__ = ["FunnelResult", "Ordering", "funnel"]

StagesSpec = str | FunnelPreset | Sequence[str | FunnelStage] | Mapping[str, Sequence[str]]


def _label_keys(stats: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    stats = stats.copy()
    for k in by:
        col = stats[k]
        if k == "paid" and pd.api.types.is_bool_dtype(col):
            stats[k] = col.map({True: "paid", False: "organic"}).astype("str")
        elif not (pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col)):
            stats[k] = col.astype("object").where(col.notna(), MISSING_KEY).astype("str")
    return stats.sort_values(by, kind="stable").reset_index(drop=True) if by else stats


def _long_table(stats: pd.DataFrame, stages: Sequence[FunnelStage], by: list[str],
                conf_level: float) -> pd.DataFrame:
    n = len(stages)
    counts = stats[[f"_n{k}" for k in range(1, n + 1)]].to_numpy(dtype="float64")
    prev = np.concatenate([counts[:, :1], counts[:, :-1]], axis=1)
    entry = np.repeat(counts[:, :1], n, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        step_conv = np.where(prev > 0, counts / prev, np.nan)
        overall = np.where(entry > 0, counts / entry, np.nan)
    lo, hi = wilson_interval(counts, prev, conf_level=conf_level)
    lo[:, 0] = hi[:, 0] = np.nan
    olo, ohi = wilson_interval(counts, entry, conf_level=conf_level)
    olo[:, 0] = ohi[:, 0] = np.nan
    hp = np.column_stack([np.full(len(stats), np.nan),
                          *[stats[f"_hp{k}"].to_numpy(dtype="float64") for k in range(2, n + 1)]])
    he = np.column_stack([np.zeros(len(stats)),
                          *[stats[f"_he{k}"].to_numpy(dtype="float64") for k in range(2, n + 1)]])
    he[:, 0] = np.where(counts[:, 0] > 0, 0.0, np.nan)
    g = len(stats)
    table = pd.DataFrame({k: np.repeat(stats[k].to_numpy(), n) for k in by})
    table["step"] = np.tile(np.arange(1, n + 1), g)
    table["stage"] = [s.name for s in stages] * g
    table["kind"] = [s.kind for s in stages] * g
    table["phase"] = [s.phase or "" for s in stages] * g
    table["offline"] = [s.offline for s in stages] * g
    table["users"] = counts.ravel().round().astype("int64")
    table["step_conversion"] = step_conv.ravel()
    table["step_ci_low"], table["step_ci_high"] = lo.ravel(), hi.ravel()
    table["overall_conversion"] = overall.ravel()
    table["overall_ci_low"], table["overall_ci_high"] = olo.ravel(), ohi.ravel()
    table["drop_off"] = (prev - counts).ravel().round().astype("int64")
    table["drop_off_rate"] = 1.0 - table["step_conversion"]
    table["median_hours_from_previous"] = hp.ravel()
    table["median_hours_from_entry"] = he.ravel()
    reasons = np.full(counts.shape, "", dtype=object)
    names = [s.name for s in stages]
    for k in range(n):
        reasons[prev[:, k] == 0, k] = ("no users entered the funnel." if k == 0 else
                                       f"step conversion is undefined: no users reached "
                                       f"'{names[k - 1]}'.")
        rising = (counts[:, k] > prev[:, k]) & (prev[:, k] > 0)
        reasons[rising, k] = (f"more users than at '{names[k - 1]}' — aggregates from different "
                              "sources?")
    table["reason"] = pd.Series(reasons.ravel(), dtype="str")
    return table


def funnel(
    events_or_aggregates: Any,
    *,
    stages: StagesSpec,
    window_days: float | None = None,
    ordering: Ordering = "strict",
    by: str | Sequence[str] | None = None,
    conf_level: float = 0.95,
    posts: Any = None,
) -> FunnelResult:
    """Step and overall conversion, drop-off and time between steps of a funnel.

    Parameters
    ----------
    events_or_aggregates
        Any engine. Either a user event log (``user_id, timestamp, event``) or stage-level
        aggregates (``stage, count``); see the module docstring for the exact rules.
    stages
        A preset name from :data:`~roi_kit.funnel_presets.FUNNEL_PRESETS` (``"saas"``,
        ``"dtc"`` ...), a :class:`FunnelPreset`, a list of event names / :class:`FunnelStage`
        in funnel order, or ``{stage: [event, ...]}``.
    window_days
        Conversion window from the entry event, in days (events only); ``None`` = unlimited.
    ordering
        ``"strict"``: each stage at or after the previous stage's time. ``"loose"``: each stage
        any time within the window after entry, previous stages also reached.
    by
        Column(s) to split by, e.g. ``"platform"`` or ``["platform", "paid"]`` (taken from the
        entry event).
    conf_level
        Confidence level of the Wilson intervals of step conversion.
    posts
        The posts table, for funnels whose first stage is awareness (``"awareness_to_purchase"``):
        its impressions in the events' period become the first stage, the event log gives the
        users of the later stages (see :func:`roi_kit.funnel_sources.stage_counts`). The table's
        ``unit`` column then says what each stage counts.

    Returns
    -------
    FunnelResult

    Examples
    --------
    >>> import pandas as pd
    >>> agg = pd.DataFrame({"stage": ["session", "product_view", "add_to_cart", "checkout",
    ...                               "order"], "count": [1000, 400, 100, 50, 40]})
    >>> f = funnel(agg, stages="dtc")
    >>> f.to_frame()["step_conversion"].round(2).tolist()
    [1.0, 0.4, 0.25, 0.5, 0.8]
    """
    if ordering not in ("strict", "loose"):
        raise ConfigError(f"ordering={ordering!r} is not an option.",
                          hint="use 'strict' or 'loose' (see rk.funnel's docstring).")
    if window_days is not None and not window_days > 0:
        raise ConfigError(f"window_days={window_days!r} must be a positive number of days.",
                          hint="e.g. window_days=30, or None for no window.")
    if not 0 < conf_level < 1:
        raise ConfigError(f"conf_level={conf_level!r} must be between 0 and 1.", hint="e.g. 0.95.")
    stage_list = resolve_stages(stages)
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    frame = as_frame(events_or_aggregates, name="events_or_aggregates")
    names = column_names(frame)
    missing_by = [k for k in keys if k not in names]
    if missing_by:
        raise MissingColumnError(
            f"by= names columns that are not in the data: {', '.join(missing_by)}. "
            f"Columns found: {', '.join(names)}.",
            hint="split by a column of the event log, e.g. by='platform' or by='paid'.")
    notes: list[str] = []
    units: list[str] = []
    if posts is not None:
        if keys:
            raise ConfigError("by= cannot split a funnel whose first stage comes from posts.",
                              hint="leave out by=, or call rk.funnel per group.")
        frame = as_frame(stage_counts(frame, posts, stages=stage_list))
        names = column_names(frame)
    elif isinstance(stages, str | FunnelPreset):  # a preset: skip the stages the data lacks
        label = stages if isinstance(stages, str) else stages.name
        stage_list, skipped = present_stages(frame, stage_list, preset=label)
        notes.extend(skipped)
    if not ({_USER, _TS, _EVENT} <= set(names) or {"stage", "count"} <= set(names)):
        wide = wide_columns(names, stage_list)
        if wide is not None:  # one column per stage: totals, each in its column's unit
            frame = as_frame(wide_to_long(frame, stage_list, wide, keys))
            names = column_names(frame)
            notes.append("Wide aggregates: each stage is the total of its column ("
                         + ", ".join(wide) + ").")
    if "unit" in names and {"stage", "count"} <= set(names):
        units = stage_units(frame, stage_list)
    if {_USER, _TS, _EVENT} <= set(names):
        source = "events"
        stats = _event_stats(frame, stage_list, window_days=window_days, ordering=ordering,
                             by=keys)
    elif {"stage", "count"} <= set(names):
        source = "aggregates"
        stats, ignored = aggregate_counts(frame, stage_list, keys)
        if ignored:
            notes.append(f"Ignored stages that are not in the funnel: {', '.join(ignored)}.")
        if window_days is not None:
            notes.append("window_days has no effect on stage-level aggregates.")
    else:
        raise MissingColumnError(
            "events_or_aggregates needs user_id, timestamp and event (an event log) or stage "
            f"and count (aggregates). Columns found: {', '.join(names)}.",
            hint="rename your columns, e.g. with rk.load_funnel_events(..., columns={...}).",
        )
    stats = _label_keys(stats, keys)
    table = _long_table(stats, stage_list, keys, conf_level)
    if (table["reason"].str.contains("more users than")).any():
        notes.append("Some stages count more users than the stage before; step conversion above "
                     "100% usually means the counts come from different sources.")
    units = units or ["counted" if source == "aggregates" else "users"] * len(stage_list)
    table["unit"] = units * (len(table) // len(stage_list))
    notes.extend(unit_notes(table, stage_list, units, source=source, named="unit" in names))
    return FunnelResult(table=table, stages=stage_list, by=tuple(keys), ordering=ordering,
                        window_days=window_days, source=source, conf_level=conf_level,
                        notes=tuple(notes))
