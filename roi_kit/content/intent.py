"""``rk.intent_ladder``: engagements weighted by the depth of intent they show.

A like and an inquiry are both "engagement", but they say very different things about what the
audience means to do. The ladder orders the actions on a post — view < like < comment < share <
click < inquiry — and weighs each by its rung (:class:`IntentWeights`, editable; defaults and
reasons in :mod:`roi_kit.content._ladder`). The unweighted counts stay next to the score.

Per post (``to_frame()``): the count on each rung, ``engagements`` (likes + comments + shares +
saves, the project-wide definition), ``actions`` (like + comment + share + click + inquiry,
unweighted), ``intent_score`` (Σ weight × count, views included) and ``depth`` (intent points of
the actions per action: how deep the average action on the post went). ``ladder`` has one row per
rung: its column, weight, count, points, shares of actions and of points, and ``per_lower_rung``
— the count relative to the rung below (comments per like, ...), which shows how far the
audience climbs.

Examples
--------
>>> import pandas as pd
>>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": ["x", "x"],
...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-02"]),
...     "likes": [10, 2], "comments": [0, 1], "clicks": [0, 2], "inquiries": [0, 1]})
>>> # a: 10 likes -> 10 points; b: 2 + 2 x 1 + 4 x 2 + 10 x 1 = 22 points over 6 actions
>>> intent_ladder(posts).to_frame()[["post_id", "actions", "intent_score", "depth"]]
  post_id  actions  intent_score     depth
0       b      6.0          22.0  3.666667
1       a     10.0          10.0  1.000000
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.content._ladder import RUNGS, IntentWeights, ViewsColumn, rung_columns
from roi_kit.content._posts import prepare_posts
from roi_kit.engine import to_pandas
from roi_kit.formatting import fmt_number, fmt_pct, no_interval
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["IntentLadder", "IntentWeights", "intent_ladder"]

_ACTIONS = RUNGS[1:]
_PLURAL = {"view": "views", "like": "likes", "comment": "comments", "share": "shares",
           "click": "clicks", "inquiry": "inquiries"}


@dataclass(frozen=True)
class IntentLadder(ResultMixin):
    """Posts scored by the depth of intent their actions show, and the ladder's totals.

    Attributes
    ----------
    table
        One row per post (see :meth:`to_frame`).
    ladder
        One row per rung: ``rung, column, weight, count, points, share_of_actions,
        share_of_points, per_lower_rung, in_data`` (False: the column was missing).
    weights
        The :class:`IntentWeights` used.
    notes
        Columns that were missing (counted as 0) and other assumptions, in words.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a"], "platform": ["x"],
    ...     "published_at": pd.to_datetime(["2024-01-01"]), "likes": [4], "shares": [1]})
    >>> float(intent_ladder(posts).ladder.set_index("rung").loc["share", "points"])
    3.0
    """

    table: pd.DataFrame
    ladder: pd.DataFrame
    weights: IntentWeights
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Per post: ``post_id, platform, published_at``, one count column per rung (``view``,
        ``like``, ``comment``, ``share``, ``click``, ``inquiry``), ``engagements``, ``actions``,
        ``intent_score``, ``depth``; highest score first."""
        return self.table.copy()

    def summary(self) -> str:
        """The ladder in words: counts, how far the audience climbs, where the intent is."""
        lad = self.ladder.set_index("rung")
        w = self.weights.as_dict()
        lines = [f"Intent ladder over {len(self.table):,} posts: "
                 + " < ".join(f"{r} {w[r]:g}" for r in RUNGS) + " points per action."]
        counts = lad.loc[list(_ACTIONS), "count"]
        if counts.sum() <= 0:
            lines.append("No post has any like, comment, share, click or inquiry yet.")
            return "\n".join([*lines, *self.notes])
        lines.append("Actions: " + ", ".join(f"{fmt_number(lad.loc[r, 'count'])} {_PLURAL[r]}"
                                             for r in _ACTIONS if lad.loc[r, "in_data"])
                     + f" ({fmt_number(counts.sum())} unweighted).")
        steps = [f"{lad.loc[b, 'per_lower_rung']:.3g} {_PLURAL[b]} per {a}"
                 for a, b in itertools.pairwise(_ACTIONS)
                 if np.isfinite(lad.loc[b, "per_lower_rung"]) and lad.loc[b, "in_data"]]
        if steps:
            lines.append("How far the audience climbs: " + ", ".join(steps) + ".")
        deep = ["click", "inquiry"]
        lines.append(f"Clicks and inquiries are {fmt_pct(lad.loc[deep, 'share_of_actions'].sum())} "
                     f"of the actions and {fmt_pct(lad.loc[deep, 'share_of_points'].sum())} of the "
                     "intent points.")
        best = self.table.iloc[0]
        deepest = self.table.dropna(subset=["depth"]).sort_values(
            ["depth", "post_id"], ascending=[False, True], kind="stable")
        lines.append(f"Most intent: post {best['post_id']} ({fmt_number(best['intent_score'])} points)"
                     + (f"; deepest average action: post {deepest.iloc[0]['post_id']} "
                        f"({deepest.iloc[0]['depth']:.2f} points per action)." if len(deepest) else "."))
        lines.append(no_interval("intent points and ratios", "they are weighted counts of the "
                                 "actions these posts got, not estimates"))
        return "\n".join([*lines, *self.notes])

    def chart(self) -> alt.TopLevelMixin:
        """Intent points per rung, in ladder order (counts in the tooltip)."""
        from roi_kit.charts.content import intent_ladder_chart

        return intent_ladder_chart(self)


def intent_ladder(
    posts: Any,
    *,
    weights: IntentWeights | None = None,
    views: ViewsColumn = "impressions",
    inquiries: str = "inquiries",
) -> IntentLadder:
    """Weigh each post's actions by the depth of intent they show (view < ... < inquiry).

    Parameters
    ----------
    posts
        Canonical posts table (``post_id, platform, published_at`` + any of ``likes, comments,
        shares, clicks``, a views column and an inquiries column); any engine. A missing count
        column counts as 0 and is named in ``notes``.
    weights
        Points per action on each rung; ``None`` uses :class:`IntentWeights` () — view 0, like 1,
        comment 2, share 3, click 4, inquiry 10.
    views
        The column counted as views: ``"impressions"``, ``"reach"`` or ``"video_views"``.
    inquiries
        The column counting inquiries (DMs, lead-form submissions, demo requests).

    Returns
    -------
    IntentLadder
        ``.to_frame()`` per post, ``.ladder`` per rung, ``.summary()``, ``.chart()``.

    Examples
    --------
    >>> import pandas as pd
    >>> import roi_kit as rk
    >>> posts = pd.DataFrame({"post_id": ["a"], "platform": ["x"],
    ...     "published_at": pd.to_datetime(["2024-01-01"]), "likes": [3], "comments": [1]})
    >>> rk.intent_ladder(posts, weights=rk.IntentWeights(comment=7.0)).to_frame()["intent_score"].tolist()
    [10.0]
    """
    w = weights if weights is not None else IntentWeights()
    columns = rung_columns(views=views, inquiries=inquiries)
    prepared = prepare_posts(posts)
    have = set(prepared.columns)
    notes = [n for n in prepared.notes if "engagement" in n]
    missing = [f"{columns[r]} ({r})" for r in RUNGS if columns[r] not in have]
    if missing:
        notes.append(f"No {', '.join(missing)} column: counted as 0.")
    if w.out_of_order():
        notes.append("These weights fall as intent deepens (" + "; ".join(w.out_of_order())
                     + "), so the score no longer reads as depth of intent.")
    counts = {r: (nw.col(columns[r]).cast(nw.Float64).fill_null(0.0) if columns[r] in have
                  else nw.lit(0.0)) for r in RUNGS}
    keep = [c for c in ("post_id", "platform", "published_at") if c in have]
    eng = nw.col("engagements") if "engagements" in have else nw.lit(0.0)
    frame = prepared.frame.select(*keep, *[e.alias(r) for r, e in counts.items()],
                                  eng.cast(nw.Float64).alias("engagements"))
    wd = w.as_dict()
    action_points = sum((nw.col(r) * wd[r] for r in _ACTIONS[1:]), nw.col("like") * wd["like"])
    frame = frame.with_columns(
        sum((nw.col(r) for r in _ACTIONS[1:]), nw.col("like")).alias("actions"),
        (action_points + nw.col("view") * wd["view"]).alias("intent_score"),
        action_points.alias("_points"))
    table = to_pandas(frame)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["depth"] = np.where(table["actions"] > 0, table["_points"] / table["actions"], np.nan)
    table = table.drop(columns="_points").sort_values(
        ["intent_score", "post_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    ladder = _ladder(table, w, columns).assign(in_data=[columns[r] in have for r in RUNGS])
    return IntentLadder(table=table, ladder=ladder, weights=w, notes=tuple(notes))


def _ladder(table: pd.DataFrame, w: IntentWeights, columns: dict[Any, str]) -> pd.DataFrame:
    wd = w.as_dict()
    count = np.array([float(table[r].sum()) for r in RUNGS])
    points = count * np.array([wd[r] for r in RUNGS])
    actions = count[1:].sum()
    lower = np.concatenate([[np.nan], count[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        per_lower = np.where(lower > 0, count / lower, np.nan)
    return pd.DataFrame({
        "rung": list(RUNGS), "column": [columns[r] for r in RUNGS], "weight": [wd[r] for r in RUNGS],
        "count": count, "points": points,
        "share_of_actions": np.r_[np.nan, count[1:] / actions] if actions > 0 else np.nan,
        "share_of_points": points / points.sum() if points.sum() > 0 else np.nan,
        "per_lower_rung": per_lower,
    })
