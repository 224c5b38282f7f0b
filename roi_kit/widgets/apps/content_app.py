"""App 5 — content: top posts, best time to post, what drives engagement, paid boosting, and
earned vs paid reach (:func:`roi_kit.earned_reach` per campaign, platform or over all posts).

Post captions are user text: every table on the page escapes them (see :mod:`roi_kit.results`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as W
import pandas as pd

from roi_kit.errors import RoiKitError
from roi_kit.formatting import fmt_number
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.results import ResultPanel

__all__ = ["ContentApp"]

_DESC = {"description_width": "150px"}
_WIDE = W.Layout(width="330px")
METRICS: tuple[tuple[str, str], ...] = (
    ("engagement rate (by impressions)", "engagement_rate_by_impressions"),
    ("engagement rate (by reach)", "engagement_rate_by_reach"),
    ("engagement rate (by followers)", "engagement_rate_by_followers"),
    ("click-through rate", "ctr"),
)
TIME_ZONES: tuple[str, ...] = ("UTC", "Europe/London", "Europe/Copenhagen", "Europe/Berlin",
                               "America/New_York", "America/Los_Angeles", "Asia/Singapore",
                               "Asia/Ho_Chi_Minh", "Australia/Sydney")
VIEWS: tuple[tuple[str, str], ...] = (("Best time to post", "best_time"),
                                      ("What drives engagement", "drivers"),
                                      ("Paid boosting", "boosting"),
                                      ("Intent ladder", "intent"))
EARNED_BY: tuple[tuple[str, str], ...] = (("per campaign", "campaign"), ("per platform", "platform"),
                                          ("all posts", "all"))


def earned_tiles(result: Any) -> dict[str, str]:
    """Headline figures of an :class:`~roi_kit.content.EarnedReach` (totals of its groups).

    The organic reach earned by boosts is "unknown" when a group with boosted posts has no
    estimate (no organic/paid split, or no unboosted post to compare with).
    """
    g = result.to_frame()
    boosted = g[g["paid_posts"] > 0]
    earned = ("no boosted post" if boosted.empty else "unknown" if boosted["earned_by_boost"].isna().any()
              else fmt_number(float(boosted["earned_by_boost"].sum())))
    return {"Posts": f"{int(g['posts'].sum()):,}", "Shares": fmt_number(float(g["shares"].sum())),
            "Reached beyond followers (at least)": fmt_number(float(g["reach_beyond_followers"].sum())),
            "Organic reach earned by boosts": earned}


class ContentApp(AppPanel):
    """Top posts and the content analyses, filtered by platform and paid/organic."""

    title: ClassVar[str] = "Content performance"
    question: ClassVar[str] = ("Which posts work, when should we post, what drives engagement, "
                               "and what does boosting a post buy?")
    tables: ClassVar[tuple[str, ...]] = ("posts",)
    steps: ClassVar[int] = 4

    def build(self) -> Sequence[W.Widget]:
        self.metric = W.Dropdown(options=list(METRICS), value=METRICS[0][1], description="Metric",
                                 style=_DESC, layout=W.Layout(width="430px"))
        self.tz = W.Dropdown(options=list(TIME_ZONES), value="UTC", description="Time zone",
                             style=_DESC, layout=_WIDE)
        self.platform = W.Dropdown(options=[("all platforms", "")], value="",
                                   description="Platform", style=_DESC, layout=_WIDE)
        self.paid = W.ToggleButtons(options=[("All", "all"), ("Organic", "organic"),
                                             ("Paid", "paid")], value="all",
                                    style={"button_width": "80px"})
        self.n = W.BoundedIntText(value=10, min=3, max=100, description="Top posts shown",
                                  style=_DESC, layout=_WIDE)
        self.view = W.Dropdown(options=list(VIEWS), value="best_time", description="Show",
                               layout=_WIDE)
        self.earned_by = W.Dropdown(options=list(EARNED_BY), value="campaign",
                                    description="Earned reach", layout=_WIDE)
        for widget, css in ((self.metric, "rk-metric"), (self.tz, "rk-tz"),
                            (self.platform, "rk-platform"), (self.paid, "rk-paid"),
                            (self.n, "rk-n"), (self.view, "rk-view"),
                            (self.earned_by, "rk-earned-by")):
            widget.add_class(css)
            widget.observe(lambda _c: self._changed(), names="value")
        self.top_panel = ResultPanel("Top and bottom posts", filename="top_posts")
        self.view_panel = ResultPanel("", filename="content_analysis", details=True)
        self.earned_panel = ResultPanel("Earned vs paid reach", filename="earned_reach", details=True)
        self.top: Any = None
        self.analysis: Any = None
        self.earned: Any = None
        self._quiet = False
        label = W.HTML("<span style='font-size:13px'>Paid / organic</span>",
                       layout=W.Layout(width="150px"))
        controls = W.VBox([W.HBox([self.metric, self.tz]), W.HBox([self.platform, self.n]),
                           W.HBox([label, self.paid])])
        controls.add_class("roi-kit-controls")
        return [controls, self.top_panel, self.view, self.view_panel, self.earned_by, self.earned_panel]

    def _changed(self) -> None:
        if not self._quiet:
            self.refresh()

    def on_data(self) -> None:
        posts = self.data["posts"]
        platforms = (sorted(str(p) for p in pd.unique(posts["platform"].dropna()))
                     if "platform" in posts.columns else [])
        self._quiet = True
        try:
            self.platform.options = [("all platforms", ""), *[(p, p) for p in platforms]]
            self.platform.value = ""
        finally:
            self._quiet = False

    def posts(self) -> pd.DataFrame:
        """The posts after the platform and paid/organic filters."""
        posts = self.data["posts"]
        keep = pd.Series(True, index=posts.index)
        if self.platform.value:
            keep &= posts["platform"] == self.platform.value
        if self.paid.value != "all" and "paid" in posts.columns:
            keep &= posts["paid"].astype("boolean").fillna(False) == (self.paid.value == "paid")
        return posts.loc[keep]

    def compute(self, step: Any) -> None:
        from roi_kit import content

        posts = self.posts()
        metric, tz = self.metric.value, self.tz.value
        self.top = content.top_posts(posts, metric=metric, n=int(self.n.value), tz=tz)
        step("top posts")
        view = self.view.value
        if view == "best_time":
            self.analysis = content.best_time_to_post(posts, tz=tz, metric=metric)
        elif view == "drivers":
            self.analysis = content.engagement_drivers(posts, metric=metric, tz=tz)
        elif view == "intent":
            self.analysis = content.intent_ladder(posts)
        else:
            self.analysis = content.boosting_effect(posts)
        step(dict((v, k) for k, v in VIEWS)[view].lower())
        table = self.top.to_frame()
        shown = [c for c in ("list", "rank", "platform", "local_time", "type", "paid", metric,
                             "impressions", "text") if c in table.columns]
        display = table[shown].rename(columns={"local_time": f"posted ({tz})", "text": "caption"})
        self.top_panel.show(self.top, table=table, display=display,
                            headline={"Posts": f"{len(posts):,}"})
        self.view_panel.filename = view
        self.view_panel.show(self.analysis)
        step("earned reach")
        self._show_earned()

    def _show_earned(self) -> None:
        """Earned reach of the platform's posts, paid and organic together (the boost baseline
        needs both); a failure stays in this panel."""
        from roi_kit import content

        posts = self.data["posts"]
        if self.platform.value:
            posts = posts.loc[posts["platform"] == self.platform.value]
        self.earned = None
        try:
            self.earned = content.earned_reach(posts, by=self.earned_by.value)
        except RoiKitError as exc:
            self.earned_panel.show_error(exc)
            return
        where = f"{self.platform.value} posts" if self.platform.value else "posts on every platform"
        lead = (f"Earned vs paid reach of {where}, paid and organic together (the paid/organic filter "
                "does not apply: boosted posts are compared with unboosted ones).")
        self.earned_panel.show(self.earned, summary=lead + "\n" + self.earned.summary(),
                               tables={"posts": self.earned.posts}, headline=earned_tiles(self.earned))
