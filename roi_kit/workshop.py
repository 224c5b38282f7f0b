"""Answer checks for the workshop notebooks (``notebooks/workshop/``).

Each ``check_...(answer)`` recomputes the right answer from the shipped sample data with roi_kit
and compares. A wrong answer gets a message that says what is probably wrong — the usual slips
(a ratio instead of a percentage, the wrong denominator, "ever followed" instead of the landmark
definition) are recognised by name — without giving the number away.

Examples
--------
>>> check_roi(...)
✘ Not yet: replace the ... with your calculation of the ROI in percent.
>>> check_roi(expected_roi()).passed
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from roi_kit.results import escape

__all__ = [
    "WORKSHOP_COMPONENTS",
    "WORKSHOP_REVENUE",
    "CheckResult",
    "check_direct_roi",
    "check_engagement_rate",
    "check_landmark_followers",
    "check_roi",
    "check_social_share",
    "expected_direct_roi",
    "expected_engagement_rate",
    "expected_landmark_followers",
    "expected_roi",
    "expected_social_share",
]

WORKSHOP_REVENUE = 500_000.0
"""Revenue (USD) attributed to social in exercise 1."""

WORKSHOP_COMPONENTS: dict[str, float] = {
    "attributed sales": 300_000.0, "follower value": 250_000.0, "service savings": 40_000.0}
"""Return (USD) from social in exercise 5: one direct component and two indirect ones."""

PASS, FAIL = "✔", "✘"


@dataclass(frozen=True)
class CheckResult:
    """Outcome of an answer check; shows as one line of text in a notebook."""

    passed: bool
    message: str

    def __repr__(self) -> str:
        return f"{PASS if self.passed else FAIL} {self.message}"

    def _repr_html_(self) -> str:
        colour = "#1d5a2c" if self.passed else "#7a1d16"
        return f"<p style='color:{colour};font-weight:600'>{escape(repr(self))}</p>"

    def __bool__(self) -> bool:
        return self.passed


def _close(a: float, b: float, rel: float = 1e-3) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def _number(answer: Any, what: str) -> float | CheckResult:
    if answer is ... or answer is None:
        return CheckResult(False, f"Not yet: replace the ... with your calculation of {what}.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return CheckResult(False, f"Not yet: the answer should be one number ({what}); got "
                                  f"{type(answer).__name__}. Hint: use .sum() or float(...).")
    if not math.isfinite(value):
        return CheckResult(False, "Not yet: the answer is not a finite number — did you divide "
                                  "by zero?")
    return value


@cache
def _sample() -> Any:
    from roi_kit.datasets import load_sample

    return load_sample("saas")


# -- exercise 1: ROI by hand ---------------------------------------------------------------------
def _total_cost() -> float:
    from roi_kit.costs import cost_ledger

    return float(cost_ledger(_sample().costs).total)


def expected_roi() -> float:
    """ROI % of the workshop revenue against the sample's total social cost."""
    cost = _total_cost()
    return (WORKSHOP_REVENUE - cost) * 100 / cost


def check_roi(answer: Any) -> CheckResult:
    """Check exercise 1: ROI % = (revenue − cost) × 100 / cost on the sample cost ledger."""
    value = _number(answer, "the ROI in percent")
    if isinstance(value, CheckResult):
        return value
    cost, rev, right = _total_cost(), WORKSHOP_REVENUE, expected_roi()
    if _close(value, right):
        return CheckResult(True, f"Correct: ROI is {right:,.1f}%.")
    known = {
        "a ratio, not a percentage: multiply by 100": right / 100,
        "divided by the revenue; ROI divides by the cost": (rev - cost) * 100 / rev,
        "revenue / cost × 100 (that is ROAS as a percentage): subtract the cost first":
            rev / cost * 100,
    }
    amounts = _sample().costs["amount"].fillna(0).sum()
    if amounts and not _close(amounts, cost):
        known["only the 'amount' column counted: staff lines are hours × rate"] = \
            (rev - amounts) * 100 / amounts
    for slip, wrong in known.items():
        if _close(value, wrong):
            return CheckResult(False, f"Not yet: your number looks like {slip}.")
    return CheckResult(False, "Not yet: ROI % = (revenue − total cost) × 100 / total cost, with "
                              "the total cost from rk.cost_ledger(costs).total.")


# -- exercise 2: engagement rate --------------------------------------------------------------------
def _linkedin() -> pd.DataFrame:
    posts = _sample().posts
    return posts[posts["platform"] == "linkedin"]


def _engagements(posts: pd.DataFrame, parts: tuple[str, ...]) -> pd.Series:
    return sum((posts[c].fillna(0) for c in parts if c in posts.columns),
               start=pd.Series(0.0, index=posts.index))


def expected_engagement_rate() -> float:
    """Engagement rate by impressions of all LinkedIn posts together (a share, not %)."""
    posts = _linkedin()
    parts = ("likes", "comments", "shares", "saves")
    return float(_engagements(posts, parts).sum() / posts["impressions"].sum())


def check_engagement_rate(answer: Any) -> CheckResult:
    """Check exercise 2: (likes + comments + shares + saves) / impressions over LinkedIn posts."""
    value = _number(answer, "the engagement rate by impressions")
    if isinstance(value, CheckResult):
        return value
    right = expected_engagement_rate()
    if _close(value, right):
        return CheckResult(True, f"Correct: the engagement rate by impressions is {right:.2%}.")
    posts = _linkedin()
    eng = _engagements(posts, ("likes", "comments", "shares", "saves"))
    known = {
        "a percentage; give it as a share (0.05 for 5%)": right * 100,
        "the mean of per-post rates; pool the sums first (big posts count more)":
            float((eng / posts["impressions"]).mean()),
        "divided by reach; this exercise asks for the rate by impressions":
            float(eng.sum() / posts["reach"].sum()),
        "engagements with clicks added; clicks are reported separately":
            float((eng + posts["clicks"].fillna(0)).sum() / posts["impressions"].sum()),
        "likes + comments only; shares and saves are engagements too":
            float(_engagements(posts, ("likes", "comments")).sum() / posts["impressions"].sum()),
    }
    everyone = _sample().posts
    known["computed over every platform; keep LinkedIn posts only"] = float(
        _engagements(everyone, ("likes", "comments", "shares", "saves")).sum()
        / everyone["impressions"].sum())
    for slip, wrong in known.items():
        if _close(value, wrong):
            return CheckResult(False, f"Not yet: your number looks like {slip}.")
    return CheckResult(False, "Not yet: add likes, comments, shares and saves over the LinkedIn "
                              "posts and divide by their total impressions.")


# -- exercise 3: landmark followers -------------------------------------------------------------------
def expected_landmark_followers() -> int:
    """Followers at the 90-day landmark among customers still active then (default definition)."""
    from roi_kit.followers import define_followers

    s = _sample()
    labels = define_followers(s.customers, s.social_audience).labels(s.customers, landmark_days=90)
    return int((labels["group"] == "followers").sum())


def check_landmark_followers(answer: Any) -> CheckResult:
    """Check exercise 3: the number of followers under the landmark definition (day 90)."""
    value = _number(answer, "the number of followers at the landmark")
    if isinstance(value, CheckResult):
        return value
    right = expected_landmark_followers()
    if value == right:
        return CheckResult(True, f"Correct: {right:,} customers are followers at day 90.")
    from roi_kit.followers import define_followers

    s = _sample()
    ever = define_followers(s.customers, s.social_audience, kind="ever").labels(s.customers)
    if value == int((ever["group"] == "followers").sum()):
        return CheckResult(False, "Not yet: that is the 'ever followed' count, which includes "
                                  "customers who followed after day 90 — use the landmark "
                                  "definition (the default of rk.define_followers).")
    if value == s.social_audience["customer_id"].nunique():
        return CheckResult(False, "Not yet: that counts audience rows by customer_id only; "
                                  "rk.define_followers also matches by email and handle and "
                                  "keeps customers active at day 90.")
    if value == len(s.social_audience):
        return CheckResult(False, "Not yet: that is the number of audience rows (one per "
                                  "platform, some unmatched), not of customers.")
    return CheckResult(False, "Not yet: count the rows with group == 'followers' in "
                              "rk.define_followers(customers, audience).labels(customers).")


# -- exercise 4: attribution ----------------------------------------------------------------------------
def _share(model: str, channels: tuple[str, ...]) -> float:
    from roi_kit.attribution import attribute

    frame = attribute(_sample().touchpoints, model=model).to_frame()
    return float(frame.loc[frame["channel"].isin(channels), "share"].sum())


def expected_social_share() -> float:
    """Share of conversions last-touch attribution credits to Organic + Paid Social."""
    return _share("last", ("Organic Social", "Paid Social"))


def check_social_share(answer: Any) -> CheckResult:
    """Check exercise 4: last-touch share of conversions of Organic Social + Paid Social."""
    value = _number(answer, "the share of conversions credited to social")
    if isinstance(value, CheckResult):
        return value
    right = expected_social_share()
    if _close(value, right):
        return CheckResult(True, f"Correct: last touch credits {right:.1%} of conversions to "
                                 "social.")
    known = {
        "a percentage; give it as a share (0.12 for 12%)": right * 100,
        "Organic Social only; add Paid Social": _share("last", ("Organic Social",)),
        "the Markov share; this exercise asks for last touch":
            _share("markov", ("Organic Social", "Paid Social")),
        "the first-touch share; this exercise asks for last touch":
            _share("first", ("Organic Social", "Paid Social")),
    }
    for slip, wrong in known.items():
        if _close(value, wrong):
            return CheckResult(False, f"Not yet: your number looks like {slip}.")
    return CheckResult(False, "Not yet: run rk.attribute(touchpoints, model='last') and add the "
                              "'share' of the Organic Social and Paid Social rows.")


# -- exercise 5: direct + indirect ROI -------------------------------------------------------------------
def expected_direct_roi() -> float:
    """ROI % of the direct component (attributed sales) alone against the sample's total cost."""
    cost = _total_cost()
    return (WORKSHOP_COMPONENTS["attributed sales"] - cost) * 100 / cost


def check_direct_roi(answer: Any) -> CheckResult:
    """Check exercise 5: ROI % of attributed sales alone, not of the direct + indirect total."""
    value = _number(answer, "the direct ROI in percent")
    if isinstance(value, CheckResult):
        return value
    right, cost = expected_direct_roi(), _total_cost()
    if _close(value, right):
        return CheckResult(True, f"Correct: direct ROI is {right:,.1f}%.")
    total = sum(WORKSHOP_COMPONENTS.values())
    known = {
        "the total ROI (direct + indirect); direct ROI counts attributed sales only":
            (total - cost) * 100 / cost,
        "attributed sales + follower value; follower value is indirect (and overlaps the sales)":
            (total - WORKSHOP_COMPONENTS["service savings"] - cost) * 100 / cost,
        "a ratio, not a percentage: multiply by 100": right / 100,
    }
    for slip, wrong in known.items():
        if _close(value, wrong):
            return CheckResult(False, f"Not yet: your number looks like {slip}.")
    return CheckResult(False, "Not yet: pass revenue=WORKSHOP_COMPONENTS to rk.roi with the cost "
                              "ledger and read .direct.roi_pct.")
