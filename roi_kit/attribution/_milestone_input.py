"""Which journeys' touches and milestones a CRM milestone model reads, and whether they suffice.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.attribution.paths import read_paths
>>> t = pd.DataFrame({"path": ["a > b > c"], "conversions": [1], "lead_touch": [2], "deal_touch": [3]})
>>> w, notes = milestone_weights_for("w_shaped", milestone_input(t, read_paths(t)), None, 1.0)
>>> w.deal
0.3
"""

from __future__ import annotations

from typing import Any

from roi_kit.attribution.crm import PATH_COLUMNS, milestone_touches, path_milestones
from roi_kit.attribution.milestones import (
    MILESTONE_WEIGHTS,
    ROLE_WORDS,
    MilestoneTouches,
    MilestoneWeights,
    paths_touches,
)
from roi_kit.attribution.paths import Paths
from roi_kit.errors import ConfigError

__all__ = ["milestone_input", "milestone_weights_for"]


def milestone_input(data: Any, paths: Paths, milestones: Any = None) -> MilestoneTouches:
    """Touches of the converting journeys with their CRM milestones (for the milestone models).

    ``milestones`` is a table ``user_id, lead_at, deal_at, won_at`` (see
    :func:`~roi_kit.attribution.crm.crm_milestones`) for a touchpoint log; a path table may
    instead carry ``lead_touch, deal_touch, won_touch`` (1-based touch numbers).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"path": ["a > b"], "conversions": [1], "lead_touch": [2]})
    >>> from roi_kit.attribution.paths import read_paths
    >>> milestone_input(t, read_paths(t)).lead.tolist()
    [1, 1]
    """
    if isinstance(milestones, MilestoneTouches):
        return milestones
    if milestones is not None:
        return milestone_touches(paths, milestones)
    if not isinstance(data, Paths) and paths.touches is None:
        return paths_touches(paths, path_milestones(data, paths))
    return paths_touches(paths)


_NEEDS = {"lead": "a leads / contacts table with customer_id and created_at "
                  "(rk.crm_milestones(deals, leads=contacts))",
          "deal": "deals with customer_id and created_at (rk.crm_milestones(deals))",
          "won": "deals with customer_id, status 'won' and closed_at (rk.crm_milestones(deals))"}


def milestone_weights_for(key: str, touches: MilestoneTouches, custom: MilestoneWeights | None,
                            total: float) -> tuple[MilestoneWeights, list[str]]:
    """The weights of ``key`` (or ``custom``), checked against the milestones the data has.

    Raises :class:`~roi_kit.errors.ConfigError` naming the table and column needed when no
    converting journey has a milestone the model weighs; returns notes counting the journeys
    that lack one.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> p = read_paths(pd.DataFrame({"path": ["a > b"], "conversions": [1]}))
    >>> milestone_weights_for("w_shaped", paths_touches(p), None, 1.0)
    Traceback (most recent call last):
    ...
    roi_kit.errors.ConfigError: model='w_shaped' gives 30% to the lead creation touch, and no CRM milestones were given.
    Hint: with touchpoints pass milestones= built from a leads / contacts table with customer_id and created_at (rk.crm_milestones(deals, leads=contacts)); with a path table add a lead_touch column (1-based touch number). Without CRM data, model='position' gives 40/20/40 to the first and last touch.
    """
    if key == "custom":
        if custom is None:
            raise ConfigError("model='custom' needs milestone_weights=.",
                              hint="e.g. milestone_weights=rk.MilestoneWeights(first=0.5, "
                              "lead=0.3, between=0.2).")
        w = custom
    else:
        w = MILESTONE_WEIGHTS[key]
    notes = []
    for role in w.needs:
        missing = touches.missing[role]
        if not touches.has_milestones or (total > 0 and missing >= total):
            why = ("no CRM milestones were given" if not touches.has_milestones else
                   f"none of the {total:,.0f} converting journeys has one")
            raise ConfigError(
                f"model={key!r} gives {100 * getattr(w, role):.3g}% to the {ROLE_WORDS[role]} "
                f"touch, and {why}.",
                hint=f"with touchpoints pass milestones= built from {_NEEDS[role]}; with a path "
                f"table add a {PATH_COLUMNS[role]} column (1-based touch number). Without CRM "
                "data, model='position' gives 40/20/40 to the first and last touch.")
        if missing > 0:
            notes.append(f"{missing:,.0f} of {total:,.0f} converting journeys have no "
                         f"{ROLE_WORDS[role]} touch; the other shares of those journeys were "
                         "scaled up to fill its share.")
    notes.append("Milestone touches are the last touch at or before each CRM milestone; a touch "
                 "holding several roles gets the sum of their shares.")
    return w, notes
