"""Recognise an aggregated analytics export handed to a row-level loader, and say what takes it.

A traffic-acquisition report (``Sessions``, ``Key events`` per source / medium) or a table of
daily event counts (``session_start``, ``add_to_cart``, ``purchase`` per date) has no user ids:
it cannot be touchpoints or funnel events. Instead of a bare "missing user_id", the loaders say
which calls take it. Evidence: no column read as a user id, and at least two numeric columns
named like analytics counts (the traffic table's count columns and their aliases, or an event
name of a funnel preset: :data:`roi_kit.funnel_presets.FUNNEL_PRESETS`).

Examples
--------
>>> import pyarrow as pa
>>> t = pa.table({"Session source / medium": ["google / organic"], "Sessions": [10],
...               "Key events": [2]})
>>> aggregate_sentence(t, "funnel_events")[:55]
'this looks like an aggregated analytics export (counts '
>>> aggregate_sentence(pa.table({"user": ["u1"], "sessions": [1]}), "funnel_events") is None
True
"""

from __future__ import annotations

import pyarrow as pa

from roi_kit.io.aliases import normalise
from roi_kit.io.fit import fits
from roi_kit.io.traffic_alias_sets import TRAFFIC_ALIAS_SETS, TRAFFIC_COMMON

__all__ = ["AGGREGATE_HINT", "ROW_LEVEL", "aggregate_sentence", "count_names"]

#: row-level tables whose rows are one user's touch or event (an aggregate cannot be one)
ROW_LEVEL = ("touchpoints", "funnel_events")

#: what to do with an aggregate instead (the hint of the loaders' error)
AGGREGATE_HINT = ("load it with rk.load_traffic(path) (sessions, key events and revenue per source / "
                  "medium or channel group), or pass the frame to rk.funnel(frame, "
                  "stages=[<count columns>]) or rk.rates(frame).")

_COUNTS = ("sessions", "engaged_sessions", "users", "new_users", "key_events", "revenue")


def count_names() -> frozenset[str]:
    """Normalised headers that name an analytics count (traffic counts and funnel event names)."""
    from roi_kit.funnel_presets import FUNNEL_PRESETS

    names = {normalise(c) for c in _COUNTS} | {"event count", "goal completions", "transactions"}
    for family in TRAFFIC_ALIAS_SETS:
        names.update(a for c in _COUNTS for a in family.columns.get(c, ()))
    names.update(a for c in _COUNTS for a in TRAFFIC_COMMON.get(c, ()))
    for preset in FUNNEL_PRESETS.values():
        names.update(normalise(e) for s in preset.stages for e in s.events)
    return frozenset(names)


def aggregate_sentence(table: pa.Table, target: str) -> str | None:
    """A sentence naming the calls that take ``table`` when it is an aggregate, else None."""
    if target not in ROW_LEVEL:
        return None
    known = count_names()
    counts = [h for h in table.column_names if normalise(h) in known and fits(table[h], "number")]
    ids = [h for h in table.column_names if "user" in normalise(h) and "id" in normalise(h).split()]
    if len(counts) < 2 or ids:
        return None
    shown = ", ".join(counts[:4]) + (" ..." if len(counts) > 4 else "")
    return (f"this looks like an aggregated analytics export (counts per source / medium or day: "
            f"{shown}; no user ids), not one row per {'touch' if target == 'touchpoints' else 'event'}")
