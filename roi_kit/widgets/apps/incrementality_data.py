"""The weekly table of app 07: read one uploaded file, guess which column is what, quick fit.

The ``media_weekly`` table (DESIGN §3) has one column per channel, named by the company, so it
cannot go through a canonical loader (which keeps only the columns it knows). The app reads one
weekly file with :func:`~roi_kit.incrementality._weekly_file.read_weekly` (re-exported here),
keeps every column, and proposes roles from the column names; the
user corrects them in the app. Everything else (gaps, negative or constant spend, too few weeks)
is checked by :func:`roi_kit.fit_mmm` itself, with messages that name the channel and week.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"Week": ["2024-01-01", "2024-01-08"], "revenue": [10.0, 12.0],
...                       "search": [1.0, 2.0], "organic_posts": [3, 4], "price_index": [1, 1]})
>>> guess_roles(frame)
Roles(week='Week', outcome='revenue', channels=('search',), organic=('organic_posts',), controls=('price_index',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.errors import InputError
from roi_kit.incrementality._weekly_file import WEEK_NAMES, read_weekly

__all__ = ["QUICK_FIT", "Roles", "curves_words", "fit_note", "guess_roles", "marginal_at", "read_weekly",
           "return_tiles", "sample_weekly"]

QUICK_FIT: dict[str, int] = {"chains": 8, "tune": 1000, "steps": 2000, "draws": 500}
"""The app's fit settings: 8 chains × (1,000 tuning + 2,000) steps, 500 draws — shorter than
``rk.fit_mmm``'s defaults (16 chains × (2,000 + 3,000) steps, 1,000 draws) so the page answers in
seconds; ``docs/incrementality.md`` has the measured time and R-hat of this setting (800 + 1,000
steps left R-hat above 1.05 on 3 of 5 seeds)."""

_ORGANIC = re.compile(r"organic|posts?\b|impressions|reach")
_CONTROL = re.compile(r"price|promo|holiday|event|season|temperature|weather|competitor")
_OUTCOMES = ("revenue", "sales", "conversions", "orders", "outcome")


@dataclass(frozen=True)
class Roles:
    """Which column of the weekly table plays which part in the model."""

    week: str
    outcome: str
    channels: tuple[str, ...]
    organic: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()


def sample_weekly(seed: int = 0) -> tuple[pd.DataFrame, float]:
    """The generated sample (``rk.datasets.generate_media_weekly``) and its organic social cost.

    Examples
    --------
    >>> frame, cost = sample_weekly()
    >>> len(frame), cost > 0
    (104, True)
    """
    from roi_kit.datasets import generate_media_weekly

    media = generate_media_weekly(seed=seed)
    return media.frame, media.truth.organic_cost


def guess_roles(frame: pd.DataFrame) -> Roles:
    """Roles from the column names: the week column, the outcome (revenue, sales, conversions),
    organic activity (organic, posts, impressions), controls (price, promotion, holiday) and
    every other number column as a paid channel."""
    columns = [str(c) for c in frame.columns]
    lowered = {c.lower().replace(" ", "_"): c for c in columns}
    week = next((lowered[k] for k in WEEK_NAMES if k in lowered), columns[0])
    numbers = [c for c in columns if c != week and pd.api.types.is_numeric_dtype(frame[c])]
    if not numbers:
        raise InputError(f"the weekly table has no number columns besides {week!r}.",
                         hint="upload weekly revenue and one spend column per channel.")
    outcome = next((lowered[k] for k in _OUTCOMES if k in lowered), numbers[0])
    rest = [c for c in numbers if c != outcome]
    organic = tuple(c for c in rest if _ORGANIC.search(c.lower()))
    controls = tuple(c for c in rest if c not in organic and _CONTROL.search(c.lower()))
    channels = tuple(c for c in rest if c not in organic and c not in controls)
    return Roles(week, outcome, channels, organic, controls)


def marginal_at(result: Any, channel: str, spend: float) -> float:
    """Posterior median of the extra weekly outcome per extra unit of weekly spend at ``spend``
    (the slope of the channel's response curve there).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> d = NS(beta=np.array([[2.0]]), lam=np.array([[1.0]]), xbar=np.array([1.0]))
    >>> r = NS(draws=d, _index=lambda name: 0)
    >>> round(marginal_at(r, "a", 0.0), 3), round(marginal_at(r, "a", np.log(2)), 3)
    (2.0, 1.0)
    """
    i = result._index(channel)
    d = result.draws
    slope = d.beta[:, i] * d.lam[:, i] / d.xbar[i] * np.exp(-d.lam[:, i] * spend / d.xbar[i])
    return float(np.median(slope))


def curves_words(result: Any) -> str:
    """The response curves in words: per paid channel, what the next unit of spend brings at
    today's average weekly spend, and the weekly spend at half the channel's ceiling."""
    from roi_kit.formatting import fmt_money

    money = lambda v: fmt_money(v, currency=result.currency, decimals=0)  # noqa: E731
    half = result.to_frame().set_index("channel")["half_saturation"]
    rows = []
    for c, kind, total in zip(result.channels, result.kinds, result.totals):
        if kind == "paid":
            now = float(total) / len(result.weeks)
            rows.append((marginal_at(result, c, now), c, now))
    if not rows:
        return "No paid channel in the model: the curves show paid spend only."
    best, worst = max(rows), min(rows)
    one = f"{result.currency} 1"
    lines = [f"At today's spend the next {one} brings most in {best[1]} ({best[0]:,.2f}) and "
             f"least in {worst[1]} ({worst[0]:,.2f}); every extra {one} brings less than the one "
             f"before (the table has each point with its {100 * result.level:g}% interval)."]
    lines += [f"{c}: at today's average of {money(now)} a week, the next {one} brings "
              f"{m:,.2f}; half of its ceiling is reached at {money(float(half[c]))} a week."
              for m, c, now in rows]
    return "\n".join(lines)


def return_tiles(result: Any) -> dict[str, str]:
    """One tile per channel: ROAS and ROI % with their intervals, or (an organic channel without
    a cost) revenue per unit of activity, labelled so.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"channel": ["search", "organic_social"], "kind": ["paid", "organic"],
    ...     "roas": [1.5, float("nan")], "roas_low": [1.2, float("nan")],
    ...     "roas_high": [1.9, float("nan")], "roi_pct": [50.0, float("nan")],
    ...     "roi_pct_low": [20.0, float("nan")], "roi_pct_high": [90.0, float("nan")],
    ...     "revenue_per_activity": [float("nan"), 812.0],
    ...     "revenue_per_activity_low": [float("nan"), 500.0],
    ...     "revenue_per_activity_high": [float("nan"), 1100.0]})
    >>> from types import SimpleNamespace as NS
    >>> return_tiles(NS(to_frame=lambda: frame, currency="USD"))  # doctest: +NORMALIZE_WHITESPACE
    {'search: ROAS (USD per USD spent)': '1.50 (1.20–1.90) · ROI 50% (20% to 90%)',
     'organic_social: USD per unit of activity (no cost given)': '812.00 (500.00–1,100.00)'}
    """
    tiles = {}
    for row in result.to_frame().itertuples(index=False):
        if np.isnan(row.roas):
            key = f"{row.channel}: {result.currency} per unit of activity (no cost given)"
            tiles[key] = (f"{row.revenue_per_activity:,.2f} ({row.revenue_per_activity_low:,.2f}–"
                          f"{row.revenue_per_activity_high:,.2f})")
            continue
        per = "spent" if row.kind == "paid" else "of organic cost"
        key = f"{row.channel}: ROAS ({result.currency} per {result.currency} {per})"
        tiles[key] = (f"{row.roas:,.2f} ({row.roas_low:,.2f}–{row.roas_high:,.2f}) · ROI "
                      f"{row.roi_pct:,.0f}% ({row.roi_pct_low:,.0f}% to {row.roi_pct_high:,.0f}%)")
    return tiles


def fit_note(settings: dict[str, int]) -> str:
    """The page's sentence about its (quick) sampler settings, as HTML.

    Examples
    --------
    >>> "4 chains × (200 tuning + 200) steps" in fit_note({"chains": 4, "tune": 200, "steps": 200})
    True
    """
    f = settings
    return (f"<span style='font-size:12px;color:#555'>Quick fit for the page: "
            f"{f.get('chains', 16)} chains × ({f.get('tune', 2000):,} tuning + "
            f"{f.get('steps', 3000):,}) steps, {f.get('draws', 1000):,} draws. "
            "rk.fit_mmm's defaults (16 chains × 5,000 steps) take longer; use them in a "
            "notebook before a final decision.</span>")
