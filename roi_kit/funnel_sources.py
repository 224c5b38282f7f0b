"""A funnel across sources: awareness from the posts table, later stages from the event log.

The awareness stage of a funnel is rarely in an event log: nobody logs an event per impression.
:func:`stage_counts` counts it from the posts (``impressions``, else ``reach``) published in the
period the events cover, and every later stage as the distinct users with one of the stage's
events (in any order). The result is stage-level aggregates (``stage, count, unit``), so
:func:`roi_kit.funnel` says what each stage counts — impressions are not users, and a step from
impressions to users is a click-through ratio, not a conversion probability.

Examples
--------
>>> import pandas as pd
>>> events = pd.DataFrame({"user_id": ["a", "a", "b"], "event": ["visit", "won", "visit"],
...     "timestamp": pd.to_datetime(["2025-01-02", "2025-01-09", "2025-01-03"])})
>>> posts = pd.DataFrame({"post_id": ["p1", "p2"], "impressions": [900, 100],
...     "published_at": pd.to_datetime(["2025-01-02", "2025-03-01"])})
>>> stage_counts(events, posts, stages="awareness_to_purchase").values.tolist()
[['awareness', 900.0, 'impressions'], ['interest', 2.0, 'users'], ['evaluation', 0.0, 'users'], ['purchase', 1.0, 'users']]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.aggregates import group_sums
from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.errors import EmptyDataError, MissingColumnError
from roi_kit.funnel_presets import FunnelPreset, FunnelStage, resolve_stages

__all__ = ["aggregate_counts", "stage_counts", "stage_units", "unit_notes", "wide_columns",
           "wide_to_long"]


def stage_counts(events: Any, posts: Any, *,
                 stages: str | FunnelPreset | tuple[FunnelStage, ...] | list[Any]) -> pd.DataFrame:
    """Stage-level counts: the first stage from ``posts``, the others from ``events``.

    Parameters
    ----------
    events
        Event log in any engine: ``user_id, timestamp, event``.
    posts
        Posts in any engine: ``published_at`` and ``impressions`` (else ``reach``); only posts
        published between the first and the last event day count.
    stages
        Anything :func:`roi_kit.funnel_presets.resolve_stages` accepts.

    Returns
    -------
    pandas.DataFrame
        ``stage, count, unit`` — ``impressions`` (or ``accounts reached``) first, then ``users``.
    """
    stage_list = resolve_stages(stages)  # type: ignore[arg-type]
    ev = as_frame(events, name="events")
    require_columns(ev, ["user_id", "timestamp", "event"], name="events")
    po = as_frame(posts, name="posts")
    have = column_names(po)
    measure = "impressions" if "impressions" in have else "reach" if "reach" in have else None
    if measure is None:
        raise MissingColumnError(f"posts has neither impressions nor reach (columns: "
                                 f"{', '.join(have)}).",
                                 hint="the awareness stage counts impressions or reach of posts.")
    require_columns(po, ["published_at"], name="posts")
    span = to_pandas(ev.select(nw.col("timestamp").min().alias("lo"),
                               nw.col("timestamp").max().alias("hi"))).iloc[0]
    if pd.isna(span["lo"]):
        raise EmptyDataError("events has no dated rows.", hint="pass the event log of the period.")
    lo = pd.Timestamp(span["lo"]).normalize()
    hi = pd.Timestamp(span["hi"]).normalize() + pd.Timedelta(days=1)
    seen = to_pandas(po.filter(nw.col("published_at") >= lo, nw.col("published_at") < hi)
                     .select(nw.col(measure).cast(nw.Float64).sum().alias("n"))).iloc[0, 0]
    rows = [{"stage": stage_list[0].name, "count": float(seen or 0.0),
             "unit": "impressions" if measure == "impressions" else "accounts reached"}]
    for stage in stage_list[1:]:
        users = to_pandas(ev.filter(nw.col("event").cast(nw.String).is_in(list(stage.events)))
                          .select(nw.col("user_id").n_unique().alias("n"))).iloc[0, 0]
        rows.append({"stage": stage.name, "count": float(users or 0), "unit": "users"})
    return pd.DataFrame(rows)


def stage_units(frame: Any, stages: tuple[FunnelStage, ...]) -> list[str]:
    """The ``unit`` of each stage in aggregates with a ``unit`` column (``counted`` when absent)."""
    unit_of = to_pandas(frame.select("stage", "unit").unique())
    lookup = dict(zip(unit_of["stage"].astype(str), unit_of["unit"].astype(str)))
    return [lookup.get(s.name, "counted") for s in stages]


def unit_notes(table: pd.DataFrame, stages: tuple[FunnelStage, ...], units: list[str], *,
               source: str, named: bool) -> list[str]:
    """What the funnel's counts are, in words, when that is not simply users throughout.

    Examples
    --------
    >>> unit_notes(pd.DataFrame(), (), ["impressions", "users"], source="aggregates", named=True)
    ['Stages count different things (impressions → users): a step between units is a ratio (e.g. users per impression), not a conversion probability.']
    >>> unit_notes(pd.DataFrame(), (), ["sessions", "engaged_sessions"], source="wide", named=True)
    ['The step sessions → engaged_sessions is a share of sessions (engaged_sessions are sessions): a conversion probability.']
    """
    notes = []
    if source == "aggregates" and not named:
        notes.append("The aggregates have no unit column, so counts are shown as 'counted'; add "
                     "unit (impressions, sessions, users ...) to name what each stage counts.")
    if len(set(units)) > 1:
        pairs = [(u, v) for u, v in pairwise(units) if u != v]
        subsets = [(u, v) for u, v in pairs if v.endswith(f"_{u}")]  # engaged_sessions of sessions
        ratios = [p for p in pairs if p not in subsets]
        if ratios:
            a, b = ratios[0]
            per = a[:-1] if a.endswith("s") else a
            notes.append(f"Stages count different things ({' → '.join(units)}): a step between "
                         f"units is a ratio (e.g. {b} per {per}), not a conversion probability.")
        if subsets:
            said = "; ".join(f"{u} → {v} is a share of {u} ({v} are {u})" for u, v in subsets)
            notes.append(f"The step {said}: a conversion probability.")
    elif source == "events" and len(table) and (table.loc[table["step"] == 1, "users"] == 0).all():
        first = stages[0]
        notes.append(f"No event of the first stage '{first.name}' ({', '.join(first.events)}) is "
                     "in the log" + ("; awareness comes from posts: pass posts=."
                                     if first.phase == "awareness" else "."))
    return notes


def aggregate_counts(frame: Any, stages: Sequence[FunnelStage],
                     by: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Counts per group (wide, ``_n1`` … per stage) from ``stage, count`` aggregates, and the
    stage labels that belong to no stage; stage labels match a stage name or any of its events."""
    sums = group_sums(frame, ["count"], by=[*by, "stage"], name="aggregates")
    lookup: dict[str, int] = {}
    for k, stage in enumerate(stages, start=1):
        for label in (stage.name, *stage.events):
            lookup.setdefault(label.strip().lower(), k)
    sums["_step"] = sums["stage"].astype(str).str.strip().str.lower().map(lookup)
    ignored = sorted(set(sums.loc[sums["_step"].isna(), "stage"].astype(str)))
    sums = sums[sums["_step"].notna()]
    wide = sums.pivot_table(index=by or None, columns="_step", values="count", aggfunc="sum",
                            fill_value=0.0) if by else (
        sums.groupby("_step")["count"].sum().to_frame().T)
    wide = wide.reindex(columns=[float(k) for k in range(1, len(stages) + 1)], fill_value=0.0)
    wide.columns = [f"_n{int(k)}" for k in wide.columns]
    out = wide.reset_index() if by else wide.reset_index(drop=True)
    for k in range(2, len(stages) + 1):
        out[f"_hp{k}"] = np.nan
        out[f"_he{k}"] = np.nan
    return out, ignored


def wide_columns(names: Sequence[str], stages: Sequence[FunnelStage]) -> list[str] | None:
    """The column holding each stage's count in wide aggregates (one column per stage, e.g. an
    ads export's ``Impressions, Clicks, Conversions``), matched on the stage's name or events
    (case and surrounding spaces ignored); None unless every stage has one.

    Examples
    --------
    >>> from roi_kit.funnel_presets import resolve_stages
    >>> wide_columns(["age", "Impressions", "Clicks"], resolve_stages(["impressions", "clicks"]))
    ['Impressions', 'Clicks']
    """
    lower = {str(n).strip().lower(): str(n) for n in names}
    found = []
    for stage in stages:
        labels = [label.strip().lower() for label in (stage.name, *stage.events)]
        col = next((lower[label] for label in labels if label in lower), None)
        if col is None:
            return None
        found.append(col)
    return found


def wide_to_long(frame: Any, stages: Sequence[FunnelStage], columns: Sequence[str],
                 by: Sequence[str]) -> pd.DataFrame:
    """Stage-level aggregates (``[by...], stage, count, unit``) from wide ones: each stage's
    count is the total of its column (per ``by`` group), its unit the column's name."""
    sums = group_sums(frame, list(dict.fromkeys(columns)), by=list(by), name="aggregates")
    parts = [sums[list(by)].assign(stage=stage.name, count=sums[col], unit=str(col))
             for stage, col in zip(stages, columns)]
    return pd.concat(parts, ignore_index=True)
