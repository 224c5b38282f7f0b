"""Which stages of a preset are in the data: absent stages are skipped with a sentence.

A preset (``"dtc"``, ``"saas"`` ...) lists every stage a business of its kind may track, but a
real export often lacks some (a shop that does not send ``view_item``). :func:`present_stages`
keeps the stages with at least one of their names in the data — event values of an event log,
stage labels of ``stage, count`` aggregates, or column names of wide aggregates — and says which
were skipped. When fewer than two stages are present it raises an error that lists what the
data has and what the preset expects.

Examples
--------
>>> import narwhals as nw, pandas as pd
>>> from roi_kit.funnel_presets import resolve_stages
>>> agg = nw.from_native(pd.DataFrame({"stage": ["session_start", "add_to_cart", "purchase"],
...                                    "count": [100, 10, 2]}))
>>> kept, notes = present_stages(agg, resolve_stages("dtc"), preset="dtc")
>>> [s.name for s in kept]
['session', 'add_to_cart', 'order']
>>> notes[0]
"The 'dtc' preset's stages product_view (product_view, view_item), checkout (checkout, begin_checkout, add_payment_info, add_shipping_info) are not in the data and were skipped; each step spans the stages skipped before it."
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from roi_kit.engine import column_names, to_pandas
from roi_kit.errors import ConfigError
from roi_kit.funnel_presets import FunnelStage

__all__ = ["present_stages", "stage_found"]

_LIST = 20  # labels shown in an error before "..."


def _labels(frame: Any) -> tuple[set[str], str]:
    """The labels a stage can match, lower-cased, and what they are called."""
    names = column_names(frame)
    if {"user_id", "timestamp", "event"} <= set(names):
        col, what = "event", "events"
    elif {"stage", "count"} <= set(names):
        col, what = "stage", "stage labels"
    else:
        return {str(n).strip().lower() for n in names}, "columns"
    values = to_pandas(frame.select(nw.col(col).cast(nw.String)).unique())[col]
    return {str(v).strip().lower() for v in values.dropna()}, what


def _expected(stages: tuple[FunnelStage, ...]) -> str:
    return "; ".join(f"{s.name} ({', '.join(s.events)})" for s in stages)


def stage_found(stage: FunnelStage, labels: set[str]) -> bool:
    """Whether ``stage`` is in data whose lower-cased labels are ``labels``: its name or one of its
    event names, case and surrounding spaces ignored (the one rule; the funnel app uses it too)."""
    return any(label.strip().lower() in labels for label in (stage.name, *stage.events))


def present_stages(frame: Any, stages: tuple[FunnelStage, ...], *,
                   preset: str) -> tuple[tuple[FunnelStage, ...], list[str]]:
    """The preset's stages found in ``frame`` (a narwhals frame) and notes on those skipped.

    A stage is found when its name or one of its event names is in the data (case and
    surrounding spaces ignored). Raises :class:`~roi_kit.errors.ConfigError` when fewer than two
    stages are found.
    """
    found, what = _labels(frame)
    kept = tuple(s for s in stages if stage_found(s, found))
    if len(kept) < 2:
        shown = sorted(found)
        listed = ", ".join(shown[:_LIST]) + (" ..." if len(shown) > _LIST else "")
        have = ("only " + kept[0].name + " is") if kept else "none is"
        raise ConfigError(
            f"stages={preset!r}: {have} in the data, and a funnel needs two stages. "
            f"The data's {what}: {listed or 'none'}. The preset expects: {_expected(stages)}.",
            hint="pass your own names in funnel order, e.g. stages=['visit', 'signup', 'order'], "
                 "or {'stage': ['event', ...]}.")
    skipped = [s for s in stages if s not in kept]
    if not skipped:
        return kept, []
    plural = len(skipped) > 1
    return kept, [
        f"The {preset!r} preset's stage{'s' if plural else ''} {_expected_list(skipped)} "
        f"{'are' if plural else 'is'} not in the data and {'were' if plural else 'was'} skipped; "
        "each step spans the stages skipped before it."
        + (" Awareness comes from posts: pass posts=." if stages[0] in skipped
           and stages[0].phase == "awareness" and what == "events" else "")]


def _expected_list(stages: list[FunnelStage]) -> str:
    return ", ".join(f"{s.name} ({', '.join(s.events)})" for s in stages)
