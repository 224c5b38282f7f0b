"""CRM milestone models: U-shaped, W-shaped, full path, J-shaped, inverse J and custom weights.

A B2B journey has **key touches**: the first touch, the touch that created the lead (the last
touch at or before the contact / lead was created), the touch that created the deal (the last
touch at or before the deal was created), the closed-won touch (the last touch at or before the
deal was won) and the last touch. Each model gives every key role a share and spreads the
``between`` share evenly over the touches that hold no key role. The shares are HubSpot's
(knowledge.hubspot.com, "Understand attribution reporting"; blog.hubspot.com, "A closer look at
multi-touch revenue attribution models in HubSpot"):

============  =====  =====  =====  =====  =====  =======
model         first  lead   deal   won    last   between
============  =====  =====  =====  =====  =====  =======
u_shaped      40 %   40 %                        20 %
w_shaped      30 %   30 %   30 %                 10 %
full_path     22.5   22.5   22.5   22.5          10 %
j_shaped      20 %                        60 %   20 %
inverse_j     60 %                        20 %   20 %
============  =====  =====  =====  =====  =====  =======

Edge cases (HubSpot names the key touches but does not publish the arithmetic when they
coincide; roi_kit's rule, the one that keeps every journey's shares summing to 1):

* a touch holding several roles gets the sum of their shares (first = lead: 30 + 30 = 60 %);
* a share with no touch to take it — no touch between the key touches, or a milestone that is
  not in this journey — is spread over the shares that do have a touch, in proportion
  (the journey's weights are divided by their sum). So a 2-touch U-shaped journey with the lead
  created on touch 2 splits 50/50, and a 1-touch journey gives its touch 100 %;
* if every share present is zero (e.g. all weight on ``between`` and no touch between), the
  journey's touches share it evenly.

Examples
--------
>>> import numpy as np
>>> # W-shaped, 5 touches, lead created on touch 2, deal on touch 4 (0-based 1 and 3)
>>> w = touch_weights(MILESTONE_WEIGHTS["w_shaped"], pos=np.arange(5), n=np.full(5, 5),
...                   lead=np.full(5, 1), deal=np.full(5, 3), won=np.full(5, -1))
>>> w.round(3).tolist()
[0.3, 0.3, 0.05, 0.3, 0.05]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Literal

import numpy as np

from roi_kit.attribution.paths import Paths
from roi_kit.errors import ConfigError

__all__ = ["MILESTONE_MODELS", "MILESTONE_WEIGHTS", "MilestoneModel", "MilestoneTouches",
           "MilestoneWeights", "milestone_credits", "paths_touches", "touch_weights"]

MilestoneModel = Literal["u_shaped", "w_shaped", "full_path", "j_shaped", "inverse_j", "custom"]
Role = Literal["lead", "deal", "won"]
ROLES: tuple[Role, ...] = ("lead", "deal", "won")
ROLE_WORDS: dict[Role, str] = {"lead": "lead creation", "deal": "deal creation", "won": "closed won"}


@dataclass(frozen=True)
class MilestoneWeights:
    """Shares of the key touches of a journey (must be non-negative and sum to 1).

    Attributes
    ----------
    first, lead, deal, won, last
        Share of the first touch, the lead-creation, deal-creation and closed-won touches, and
        the last touch.
    between
        Share spread evenly over the touches that hold no key role.

    Examples
    --------
    >>> MilestoneWeights(first=0.5, last=0.5).needs
    ()
    >>> MilestoneWeights(first=0.3, lead=0.3, deal=0.3, between=0.1).needs
    ('lead', 'deal')
    >>> MilestoneWeights(first=0.5)
    Traceback (most recent call last):
    ...
    roi_kit.errors.ConfigError: milestone weights first=0.5 sum to 0.5, not 1.
    Hint: e.g. MilestoneWeights(first=0.3, lead=0.3, deal=0.3, between=0.1) (W-shaped).
    """

    first: float = 0.0
    lead: float = 0.0
    deal: float = 0.0
    won: float = 0.0
    last: float = 0.0
    between: float = 0.0

    def __post_init__(self) -> None:
        values = {f.name: float(getattr(self, f.name)) for f in fields(self)}
        given = ", ".join(f"{k}={v:g}" for k, v in values.items() if v)
        bad = [k for k, v in values.items() if not (math.isfinite(v) and v >= 0)]
        if bad or not math.isclose(sum(values.values()), 1.0, abs_tol=1e-9):
            what = f"{', '.join(bad)} must be a non-negative number" if bad else \
                f"sum to {sum(values.values()):g}, not 1"
            raise ConfigError(
                f"milestone weights {given or '(all zero)'} {what}.",
                hint="e.g. MilestoneWeights(first=0.3, lead=0.3, deal=0.3, between=0.1) (W-shaped).")

    @property
    def needs(self) -> tuple[Role, ...]:
        """The CRM milestones these weights use (roles with a positive share)."""
        return tuple(r for r in ROLES if getattr(self, r) > 0)

    def label(self) -> str:
        """The shares in words, e.g. ``first 30% / lead 30% / deal 30% / between 10%``.

        Examples
        --------
        >>> MILESTONE_WEIGHTS["full_path"].label()
        'first 22.5% / lead 22.5% / deal 22.5% / won 22.5% / between 10%'
        """
        return " / ".join(f"{f.name} {100 * getattr(self, f.name):.3g}%" for f in fields(self)
                          if getattr(self, f.name) > 0)


MILESTONE_WEIGHTS: dict[str, MilestoneWeights] = {
    "u_shaped": MilestoneWeights(first=0.4, lead=0.4, between=0.2),
    "w_shaped": MilestoneWeights(first=0.3, lead=0.3, deal=0.3, between=0.1),
    "full_path": MilestoneWeights(first=0.225, lead=0.225, deal=0.225, won=0.225, between=0.1),
    "j_shaped": MilestoneWeights(first=0.2, last=0.6, between=0.2),
    "inverse_j": MilestoneWeights(first=0.6, last=0.2, between=0.2),
}
"""HubSpot's shares for its milestone models (``custom`` takes ``milestone_weights=``)."""

MILESTONE_MODELS: tuple[str, ...] = (*MILESTONE_WEIGHTS, "custom")


@dataclass(frozen=True, eq=False)
class MilestoneTouches:
    """Touches of converting journeys grouped by what the weights depend on (sufficient statistics).

    One row per distinct (element, position, journey length, lead / deal / won touch);
    ``conversions`` and ``value`` sum the journeys' totals over the touches in the row. Milestone
    positions are 0-based, ``-1`` when the journey has no such milestone.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> t = paths_touches(read_paths(pd.DataFrame({"path": ["a > b"], "conversions": [2]})))
    >>> t.pos.tolist(), t.conversions.tolist(), t.lead.tolist()
    ([0, 1], [2.0, 2.0], [-1, -1])
    """

    code: np.ndarray
    pos: np.ndarray
    n: np.ndarray
    lead: np.ndarray
    deal: np.ndarray
    won: np.ndarray
    conversions: np.ndarray
    value: np.ndarray
    n_elements: int
    missing: dict[str, float]
    """Converting journeys without each milestone (``lead``, ``deal``, ``won``)."""
    has_milestones: bool = True


def _missing(pos: np.ndarray, lead: np.ndarray, deal: np.ndarray, won: np.ndarray,
             conv: np.ndarray) -> dict[str, float]:
    first = pos == 0  # one row per journey
    return {str(r): float(conv[first & (m < 0)].sum()) for r, m in zip(ROLES, (lead, deal, won))}


def paths_touches(paths: Paths, milestones: np.ndarray | None = None) -> MilestoneTouches:
    """Touches of distinct paths, with per-path 0-based milestone positions ``(n_paths, 3)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> p = read_paths(pd.DataFrame({"path": ["a > b > c"], "conversions": [1]}))
    >>> paths_touches(p, np.array([[1, 2, -1]])).deal.tolist()
    [2, 2, 2]
    """
    ms = np.full((paths.n_paths, 3), -1, dtype=np.int64) if milestones is None else milestones
    pid = paths.path_index
    lead, deal, won = (np.asarray(ms[:, k], dtype=np.int64)[pid] for k in range(3))
    pos = paths.positions
    conv, val = paths.conversions[pid], paths.value[pid]
    return MilestoneTouches(
        code=paths.codes, pos=pos, n=paths.lengths[pid], lead=lead, deal=deal, won=won,
        conversions=conv, value=val, n_elements=len(paths.elements),
        missing=_missing(pos, lead, deal, won, conv), has_milestones=milestones is not None)


def touch_weights(w: MilestoneWeights, *, pos: np.ndarray, n: np.ndarray, lead: np.ndarray,
                  deal: np.ndarray, won: np.ndarray) -> np.ndarray:
    """Each touch's share of its journey (vectorised; the shares of a journey sum to 1).

    Parameters
    ----------
    w
        The shares of the key roles.
    pos, n
        0-based position of each touch and the length of its journey.
    lead, deal, won
        0-based position of the journey's lead-creation, deal-creation and closed-won touch,
        ``-1`` when the journey has none.

    Examples
    --------
    >>> one = np.zeros(1, dtype=int)
    >>> # U-shaped, one touch that is first and lead: everything
    >>> touch_weights(MILESTONE_WEIGHTS["u_shaped"], pos=one, n=one + 1, lead=one, deal=one - 1,
    ...               won=one - 1).tolist()
    [1.0]
    """
    last = n - 1
    # the positions of the key roles with a positive share (-1 = role absent or unweighted)
    roles = [(w.first, np.zeros_like(n)), (w.lead, lead), (w.deal, deal), (w.won, won),
             (w.last, last)]
    keys = np.stack([np.where((pos_r >= 0) & (share > 0), pos_r, -1) for share, pos_r in roles]
                    + [np.full_like(n, -1)], axis=1)
    raw = np.zeros(len(pos), dtype=float)
    present = np.zeros(len(pos), dtype=float)
    for k, (share, _) in enumerate(roles):
        held = keys[:, k] >= 0
        raw += np.where(held & (keys[:, k] == pos), share, 0.0)
        present += np.where(held, share, 0.0)
    # touches per journey that hold no key role: n minus the distinct key positions
    s = np.sort(keys, axis=1)
    distinct = ((s[:, 1:] >= 0) & (s[:, 1:] != s[:, :-1])).sum(axis=1)
    n_between = n - distinct
    is_key = (keys == pos[:, None]).any(axis=1)
    raw += np.where(is_key, 0.0, w.between / np.maximum(n_between, 1))
    total = present + np.where(n_between > 0, w.between, 0.0)
    return np.where(total > 0, raw / np.where(total > 0, total, 1.0), 1.0 / n)


def milestone_credits(touches: MilestoneTouches, w: MilestoneWeights) -> tuple[np.ndarray, np.ndarray]:
    """Credits per element (conversions, value) from grouped touches.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.attribution.paths import read_paths
    >>> p = read_paths(pd.DataFrame({"path": ["a > b > c"], "conversions": [10]}))
    >>> milestone_credits(paths_touches(p), MILESTONE_WEIGHTS["j_shaped"])[0].round(6).tolist()
    [2.0, 2.0, 6.0]
    """
    share = touch_weights(w, pos=touches.pos, n=touches.n, lead=touches.lead, deal=touches.deal,
                          won=touches.won)
    m = touches.n_elements
    conv = np.bincount(touches.code, weights=share * touches.conversions, minlength=m)
    val = np.bincount(touches.code, weights=share * touches.value, minlength=m)
    return conv[:m], val[:m]
