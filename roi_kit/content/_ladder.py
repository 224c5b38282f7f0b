"""The intent ladder's rungs and weights, and its score as an expression in the caller's engine.

A post's actions say more or less about what its audience means to do. roi_kit orders them on
a ladder of ever deeper intent — **view < like < comment < share < click < inquiry** — and
weighs each action by its rung:

========  ==================  ==============  ====================================================
rung      column (posts)      default weight  why this deep
========  ==================  ==============  ====================================================
view      impressions (or     0               exposure, not a choice (set > 0 to count it)
          reach, video_views)
like      likes               1               one tap, stays in the feed
comment   comments            2               words in public: effort and attention
share     shares              3               puts the sender's name behind the post
click     clicks              4               leaves the platform for your site
inquiry   inquiries           10              asks you for something: a DM, a lead form, a demo
========  ==================  ==============  ====================================================

The defaults are an ordinal starting point, not a measurement: replace them with your own
(e.g. from how often each action's users later became leads). Saves are counted in
``engagements`` (likes + comments + shares + saves) but are not a rung of the ladder.

Examples
--------
>>> IntentWeights().as_dict()["inquiry"]
10.0
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, fields
from typing import Literal

import narwhals as nw

from roi_kit.errors import ConfigError

__all__ = ["RUNGS", "IntentWeights", "Rung", "ViewsColumn", "rung_columns"]

Rung = Literal["view", "like", "comment", "share", "click", "inquiry"]
RUNGS: tuple[Rung, ...] = ("view", "like", "comment", "share", "click", "inquiry")
ViewsColumn = Literal["impressions", "reach", "video_views"]


@dataclass(frozen=True)
class IntentWeights:
    """Weight of one action on each rung of the intent ladder (non-negative numbers).

    Attributes
    ----------
    view, like, comment, share, click, inquiry
        Points per view, like, comment, share, click and inquiry.

    Examples
    --------
    >>> w = IntentWeights(inquiry=25.0)
    >>> w.comment, w.inquiry
    (2.0, 25.0)
    >>> IntentWeights(like=-1.0)
    Traceback (most recent call last):
    ...
    roi_kit.errors.ConfigError: intent weight like=-1.0 must be a non-negative number.
    Hint: e.g. IntentWeights(view=0, like=1, comment=2, share=3, click=4, inquiry=10).
    """

    view: float = 0.0
    like: float = 1.0
    comment: float = 2.0
    share: float = 3.0
    click: float = 4.0
    inquiry: float = 10.0

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
                raise ConfigError(
                    f"intent weight {f.name}={v!r} must be a non-negative number.",
                    hint="e.g. IntentWeights(view=0, like=1, comment=2, share=3, click=4, inquiry=10).")

    def as_dict(self) -> dict[str, float]:
        """Rung -> weight, in ladder order.

        Examples
        --------
        >>> list(IntentWeights().as_dict())
        ['view', 'like', 'comment', 'share', 'click', 'inquiry']
        """
        return {r: float(getattr(self, r)) for r in RUNGS}

    def out_of_order(self) -> list[str]:
        """Neighbouring rungs whose weights fall as intent deepens (``"comment 5 > share 3"``).

        Examples
        --------
        >>> IntentWeights(comment=5.0).out_of_order()
        ['comment 5 > share 3']
        """
        w = self.as_dict()
        return [f"{a} {w[a]:g} > {b} {w[b]:g}" for a, b in itertools.pairwise(RUNGS) if w[a] > w[b]]


def rung_columns(*, views: ViewsColumn = "impressions",
                 inquiries: str = "inquiries") -> dict[Rung, str]:
    """The posts column counted on each rung.

    Examples
    --------
    >>> rung_columns(views="video_views")["view"]
    'video_views'
    """
    if views not in ("impressions", "reach", "video_views"):
        raise ConfigError(f"views={views!r} is not a views column.",
                          hint="use 'impressions', 'reach' or 'video_views'.")
    return {"view": views, "like": "likes", "comment": "comments", "share": "shares",
            "click": "clicks", "inquiry": inquiries}


def intent_score_expr(columns: dict[Rung, str], present: set[str],
                      weights: IntentWeights) -> nw.Expr | None:
    """Σ weight × count over the rungs whose column exists (``None`` when none does).

    Examples
    --------
    >>> intent_score_expr(rung_columns(), {"likes"}, IntentWeights()) is not None
    True
    """
    w = weights.as_dict()
    terms = [nw.col(columns[r]).cast(nw.Float64).fill_null(0.0) * w[r] for r in RUNGS
             if columns[r] in present]
    if not terms:
        return None
    return sum(terms[1:], terms[0])
