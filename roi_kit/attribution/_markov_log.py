"""Markov credits for ``rk.attribute``: from the path table, or straight from a polars touch log.

The chain needs only transition counts. From a touchpoint log on polars they come straight from
the sorted touches: the journeys are split exactly as
:func:`~roi_kit.attribution.paths.build_paths` splits them (the same checks, sort, journey ids
and lookback: :mod:`~roi_kit.attribution._touch_log`, :mod:`~roi_kit.attribution._paths_polars`),
each touch's transition id is read from shifts within its journey, and the counting, the chain
and the solve are the path table's own (:func:`~roi_kit.attribution._chain.chain_from_ids`,
:func:`~roi_kit.attribution.markov.fit_chain`). Journeys are never grouped into distinct paths
(on the 4.84M-row benchmark log that grouping and its re-encoding were about half the time end
to end), so the result counts journeys but not distinct paths (``n_paths`` is ``None``).

The route is taken only with ``n_boot=0``: the bootstrap resamples distinct paths, which only
the path table has. Both routes give the same removal effects and credits (tests check it to
1e-12 on hand-made logs and generated ones).

Examples
--------
>>> import polars as pl
>>> log = pl.DataFrame({"user_id": [1, 1, 2, 3], "timestamp": [1, 2, 1, 1],
...                     "channel": ["a", "b", "b", "a"], "converted": [0, 1, 0, 0]})
>>> # P(conv) = 2/3 * 1/2 * 1/2 + 1/3 * 1/2 = 1/3; without a 1/6 (RE 0.5), without b 0 (RE 1)
>>> res = markov_from_log(log, order=1, channel="channel")
>>> res.to_frame()[["channel", "conversions", "removal_effect"]].round(4)
  channel  conversions  removal_effect
0       b       0.6667             1.0
1       a       0.3333             0.5
>>> res.n_journeys, res.n_paths
(3.0, None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.attribution._chain import _ID_LIMIT, chain_from_ids
from roi_kit.attribution._paths_polars import is_polars, polars_transitions
from roi_kit.attribution._paths_table import Paths, split_labels
from roi_kit.attribution._touch_log import no_rows_error, prepare_log
from roi_kit.attribution.channels import ChannelRule
from roi_kit.attribution.interchange import is_paths_table
from roi_kit.attribution.markov import MarkovFit, _markov_with_transitions, check_order, fit_chain
from roi_kit.attribution.result import AttributionResult, credit_table
from roi_kit.engine import as_frame, column_names
from roi_kit.formatting import no_interval

__all__ = ["MarkovCredits", "markov_credits", "markov_from_log"]

NO_INTERVAL = no_interval("shares, conversions and value",
                          "run with n_boot=0; pass e.g. n_boot=200 for bootstrap intervals")
"""The note of a result run without bootstrap intervals."""


@dataclass(frozen=True, eq=False)
class MarkovCredits:
    """A Markov fit with what ``rk.attribute`` shows of it: the label, notes, extra columns."""

    fit: MarkovFit
    transitions: pd.DataFrame | None
    label: str
    notes: tuple[str, ...]

    @property
    def extra(self) -> dict[str, np.ndarray]:
        """The removal-effect columns of the result table."""
        return {"removal_effect": self.fit.removal_effects,
                "value_removal_effect": self.fit.value_removal_effects}


def _credits(fit: MarkovFit, transitions: pd.DataFrame | None, order: int, *,
             has_nulls: bool) -> MarkovCredits:
    notes = ["Markov credits share the totals in proportion to the removal effects "
             "(ChannelAttribution's global convention)."]
    if not has_nulls:
        notes.append("No non-converting journeys were given, so removal effects describe "
                     "converting journeys only.")
    return MarkovCredits(fit, transitions, f"Markov (order {order}, exact removal effects)", tuple(notes))


def markov_credits(paths: Paths, order: int) -> MarkovCredits:
    """Markov from the path table (one pass over the touches builds the chain and, at order 1,
    the transition matrix)."""
    fit, transitions = _markov_with_transitions(paths, order=order)
    return _credits(fit, transitions, order, has_nulls=paths.has_nulls)


def markov_from_log(
    data: Any, *, order: int, level: str = "channel", lookback_days: float | None = None,
    user: str = "user_id", timestamp: str = "timestamp", converted: str = "converted",
    value: str = "conversion_value", channel: str | None = None,
    rules: Sequence[ChannelRule] | None = None,
) -> AttributionResult | None:
    """Markov credits (no bootstrap) straight from a polars touchpoint log, or ``None`` for any
    other input (or state ids beyond 64 bits): then the caller builds the path table."""
    check_order(order)
    if isinstance(data, Paths):
        return None
    frame = as_frame(data, name="paths_or_touchpoints")
    if not is_polars(frame) or is_paths_table(column_names(frame)):
        return None
    log = prepare_log(frame, user=user, timestamp=timestamp, converted=converted, value=value,
                      channel=channel, level=level, lookback_days=lookback_days, rules=rules)
    got = polars_transitions(log.frame, user=user, timestamp=timestamp, label=log.label, conv=log.conv,
                             val=log.val, lookback_days=lookback_days, order=order, id_limit=_ID_LIMIT)
    if got is None:
        return None
    labels, trans, ends, conv, val = got
    if not labels:
        raise no_rows_error()
    tc, tv = float(conv.sum()), float(val.sum())
    chain = (chain_from_ids(order, len(labels) + 1, trans, None, ends, conv, 1.0 - conv, val)
             if len(ends) else None)
    fit, transitions = fit_chain(tuple(labels), chain, order=order, total_conversions=tc, total_value=tv)
    mc = _credits(fit, transitions, order, has_nulls=True)
    channels, campaigns = split_labels(labels, level)
    table = credit_table(channels, campaigns, level, fit.conversions, fit.value, mc.extra,
                         total_conversions=tc, total_value=tv)
    return AttributionResult(
        model="markov", label=mc.label, level=level, table=table, total_conversions=tc,
        total_value=tv, n_journeys=float(len(ends)), n_paths=None,
        notes=(*log.notes, *mc.notes, NO_INTERVAL), transitions=transitions, report=log.report,
    )
