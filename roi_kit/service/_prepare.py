"""Customer-care cases down to sufficient statistics, inside the caller's engine.

Every row-level step (times to seconds, censoring at the data end, whole minutes, flags) runs as
narwhals expressions in the caller's engine; what comes back to pandas is small: one row per
group with case counts, one row per (group, minutes) for each time-to-event curve, and one row
per replaced channel for the savings.

Conventions
-----------
* The **data end** (``as_of``) is the latest time in ``opened_at``, ``first_response_at`` and
  ``resolved_at`` unless given. Cases opened after it are left out; answers and resolutions
  after it have not happened yet.
* A case is **answered** when it has a first response (a timestamp, or ``first_response_minutes``
  as Zendesk exports it) at or before the data end; unanswered cases are censored at the data end.
* A case is **resolved** when ``resolved`` says so, or, where that flag is absent or missing, when
  it has a resolution time. Unresolved cases are censored at the data end; resolved cases without
  a resolution time count in the resolution rate but not in the resolution-time curve.
* Times are whole minutes (rounded down); a time before the case opened is left out of its curve
  and counted in the notes.

Examples
--------
>>> import pandas as pd
>>> cases = pd.DataFrame({
...     "interaction_id": ["a", "b", "c"], "platform": ["x", "x", "facebook"],
...     "opened_at": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 11:00", "2024-01-01 12:00"]),
...     "first_response_at": pd.to_datetime(["2024-01-01 10:30", None, "2024-01-01 13:00"]),
... })
>>> p = prepare(cases, by=None, as_of=None)
>>> p.groups[["group", "cases", "answered", "resolved"]].to_dict("records")
[{'group': 'all', 'cases': 3, 'answered': 2, 'resolved': 0}]
>>> p.response[["duration", "events", "removed"]].values.tolist()
[[30, 1, 1], [60, 1, 1], [120, 0, 1]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pandas as pd

from roi_kit.engine import Frame, as_frame, column_names, require_columns, to_pandas
from roi_kit.epoch import seconds_of, stamp, with_seconds
from roi_kit.errors import EmptyDataError
from roi_kit.survival import duration_counts

__all__ = ["ALL", "Prepared", "prepare", "with_times"]

ALL = "all"
"""Group label of the whole table."""

_REQUIRED = ("interaction_id", "platform", "opened_at")
_TIMES = ("opened_at", "first_response_at", "resolved_at")


@dataclass(frozen=True, eq=False)
class Prepared:
    """Sufficient statistics of the cases (see the module docstring)."""

    groups: pd.DataFrame  # group, cases, answered, resolved, resolved_no_time, bad_response, bad_resolution
    response: pd.DataFrame  # group, duration (minutes), events, removed
    resolution: pd.DataFrame  # same for resolution
    handled: pd.DataFrame  # replaced_channel, handled (resolved cases per replaced channel)
    has_replaced_channel: bool
    as_of: pd.Timestamp
    opened_from: pd.Timestamp
    opened_to: pd.Timestamp


def with_times(frame: Frame, columns: list[str], *, table: str = "interactions",
               loader: str = "rk.load_service_interactions(...)") -> Frame:
    """Add ``_s_<column>``, seconds since 1970, for each datetime column present (aware times in
    UTC, naive ones taken as UTC; Spark included), after checking the columns are dates."""
    schema = frame.collect_schema() if isinstance(frame, nw.LazyFrame) else frame.schema
    names = set(schema.names())
    present = [c for c in columns if c in names]
    return with_seconds(frame, present, table=table, loader=loader) if present else frame


def _time(names: list[str], at: str, minutes: str) -> Any:
    """Seconds of an event: its timestamp, else opened + exported minutes, else null."""
    parts = []
    if at in names:
        parts.append(nw.col(f"_s_{at}"))
    if minutes in names:
        parts.append(nw.col("_o") + nw.col(minutes).cast(nw.Float64) * 60.0)
    if not parts:
        return nw.lit(None, dtype=nw.Float64)
    return parts[0] if len(parts) == 1 else nw.coalesce(*parts)


def prepare(interactions: Any, *, by: str | None, as_of: Any) -> Prepared:
    """Reduce the cases to the counts the service metrics need (see the module docstring)."""
    frame = as_frame(interactions, name="interactions")
    names = column_names(frame)
    require_columns(frame, [*_REQUIRED, *([by] if by else [])], name="interactions")
    group = nw.col(by).cast(nw.String).fill_null("(missing)") if by else nw.lit(ALL)
    base = with_times(frame, list(_TIMES))
    base = base.with_columns(nw.col("_s_opened_at").alias("_o"), group.alias("_g"))
    base = base.with_columns(
        _time(names, "first_response_at", "first_response_minutes").alias("_r"),
        _time(names, "resolved_at", "resolution_minutes").alias("_z"),
    )
    span = to_pandas(base.select(
        nw.col("_o").min().alias("lo"), nw.col("_o").max().alias("hi"),
        nw.max_horizontal(nw.col("_o").max(), nw.col("_r").max(), nw.col("_z").max()).alias("end"),
    ))
    if span["lo"].isna().all():
        raise EmptyDataError("interactions has no case with an opened_at time.",
                             hint="check the opened_at column (or the filters that selected the cases).")
    end = float(span["end"].iloc[0]) if as_of is None else seconds_of(as_of)
    a = nw.lit(end)
    answered = ~nw.col("_r").is_null() & (nw.col("_r") <= a)
    has_time = ~nw.col("_z").is_null() & (nw.col("_z") <= a)
    resolved = (nw.coalesce(nw.col("resolved").cast(nw.Boolean), has_time) if "resolved" in names
                else has_time)
    resolution_event = resolved & has_time

    def minutes(event: Any, col: str) -> Any:
        seconds = nw.when(event).then(nw.col(col)).otherwise(a) - nw.col("_o")
        return ((seconds - seconds % 60.0) / 60.0).cast(nw.Int64)

    channel = (nw.col("replaced_channel").cast(nw.String).str.strip_chars().str.to_lowercase()
               if "replaced_channel" in names else nw.lit(None, dtype=nw.String))
    cases = base.filter(nw.col("_o") <= a).with_columns(
        answered.alias("_rev"), minutes(answered, "_r").alias("_rmin"),
        resolved.alias("_res"), resolution_event.alias("_zev"),
        minutes(resolution_event, "_z").alias("_zmin"), channel.alias("_ch"),
    )
    flags = cases.with_columns(
        nw.col("_rev").cast(nw.Int64).alias("answered"), nw.col("_res").cast(nw.Int64).alias("resolved"),
        (nw.col("_res") & ~nw.col("_zev")).cast(nw.Int64).alias("resolved_no_time"),
        (nw.col("_rmin") < 0).cast(nw.Int64).alias("bad_response"),
        (nw.col("_zmin") < 0).cast(nw.Int64).alias("bad_resolution"),
    )
    counted = ("answered", "resolved", "resolved_no_time", "bad_response", "bad_resolution")
    groups = to_pandas(flags.group_by("_g").agg(
        nw.len().alias("cases"), *(nw.col(c).sum() for c in counted),
    )).rename(columns={"_g": "group"}).sort_values("group", kind="stable").reset_index(drop=True)
    if groups.empty or int(groups["cases"].sum()) == 0:
        raise EmptyDataError("interactions has no case opened on or before the data end.",
                             hint="pass a later as_of= or check the opened_at column.")
    response = duration_counts(cases.filter(nw.col("_rmin") >= 0), duration="_rmin", event="_rev",
                               group="_g").rename(columns={"_g": "group"})
    resolution = duration_counts(cases.filter(nw.col("_zmin") >= 0, ~(nw.col("_res") & ~nw.col("_zev"))),
                                 duration="_zmin", event="_zev", group="_g").rename(columns={"_g": "group"})
    handled = to_pandas(cases.filter(nw.col("_res"), ~nw.col("_ch").is_null(), nw.col("_ch") != "")
                        .group_by("_ch").agg(nw.len().alias("handled")))
    handled = handled.rename(columns={"_ch": "replaced_channel"}).sort_values("replaced_channel")
    for col in ("cases", "answered", "resolved", "resolved_no_time", "bad_response", "bad_resolution"):
        groups[col] = groups[col].fillna(0).astype("int64")
    return Prepared(groups, response, resolution, handled.reset_index(drop=True),
                    "replaced_channel" in names, stamp(end), stamp(span["lo"].iloc[0]),
                    stamp(span["hi"].iloc[0]))
