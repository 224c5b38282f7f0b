"""Weekly media data with a planted marketing-mix truth: the ``media_weekly`` canonical table.

:func:`generate_media_weekly` simulates a company's weekly revenue driven by a baseline (level,
linear trend, yearly seasonality), two controls (a price index and promotion weeks), paid spend
in six channels and organic social posting. Each channel has a planted **geometric adstock**
(carry-over ``a_t = x_t + decay * a_{t-1}``), an **exponential saturation**
``1 - exp(-saturation * (1 - decay) * a_t / mean spend)`` (the weekly response to a steady spend
``x`` is ``beta * (1 - exp(-saturation * x / mean spend))``, half of its ceiling at
``mean spend * ln 2 / saturation``) and a planted **ROAS** = the channel's contribution over the
weeks / its cost (paid: its spend; organic social: the planted organic cost; its contribution
per post is kept too). The planted ROI % follows from it by the one ROI rule
(``MediaTruth.roi_of``). This is the model :func:`roi_kit.fit_mmm` fits, so coverage of the
planted ROAS by its intervals can be measured (``scripts/mmm_coverage.py``).

Examples
--------
>>> m = generate_media_weekly(seed=0, weeks=60)
>>> m.frame.shape, list(m.frame.columns[:3])
((60, 11), ['week', 'revenue', 'paid_social'])
>>> t = m.truth.to_frame()
>>> bool(((t["decay"] > 0) & (t["decay"] < 1)).all()), len(t)
(True, 7)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import lfilter

__all__ = ["MEDIA_CHANNELS", "MediaTruth", "MediaWeekly", "generate_media_weekly"]

MEDIA_CHANNELS: tuple[str, ...] = ("paid_social", "search", "display", "video", "email",
                                   "affiliates")
"""Paid channels of the generated table (columns of weekly spend)."""

ORGANIC = "organic_social"
"""The organic channel's column: posts published per week."""


@dataclass(frozen=True)
class MediaTruth:
    """What was planted, per channel (paid channels first, then ``organic_social``).

    Attributes
    ----------
    channels, decay, saturation, beta, contribution
        Per channel: adstock decay, saturation rate, weekly response ceiling (revenue) and total
        contribution over the weeks.
    roas
        Per channel: contribution / cost — paid: its spend; organic social: ``organic_cost``.
    revenue_per_post
        Organic social's contribution per post (what a model without its cost reports).
    organic_cost
        Total planted cost of organic social over the weeks (staff, tools), in revenue units.
    baseline
        Revenue the company would have made with no media at all, summed over the weeks.
    """

    channels: tuple[str, ...]
    decay: tuple[float, ...]
    saturation: tuple[float, ...]
    beta: tuple[float, ...]
    contribution: tuple[float, ...]
    roas: tuple[float, ...]
    revenue_per_post: float
    organic_cost: float
    baseline: float

    def to_frame(self) -> pd.DataFrame:
        """``channel, decay, saturation, beta, contribution, roas, roi_pct`` — one row per
        channel."""
        return pd.DataFrame({"channel": self.channels, "decay": self.decay,
                             "saturation": self.saturation, "beta": self.beta,
                             "contribution": self.contribution, "roas": self.roas,
                             "roi_pct": [self.roi_of(c) for c in self.channels]})

    def roas_of(self, channel: str) -> float:
        """The planted ROAS of one channel: revenue per unit of cost (organic: of its cost)."""
        return float(self.roas[self.channels.index(channel)])

    def roi_of(self, channel: str) -> float:
        """The planted ROI % of one channel, by the one ROI rule (:func:`roi_kit.roi.roi_pct`).

        Examples
        --------
        >>> t = generate_media_weekly(seed=1, weeks=52).truth
        >>> round(t.roi_of("search"), 6) == round(100 * (t.roas_of("search") - 1), 6)
        True
        """
        from roi_kit.roi import roi_pct

        i = self.channels.index(channel)
        value, _ = roi_pct(self.contribution[i], self.contribution[i] / self.roas[i])
        return float("nan") if value is None else value


@dataclass(frozen=True)
class MediaWeekly:
    """A generated ``media_weekly`` table and the truth planted in it."""

    frame: pd.DataFrame
    truth: MediaTruth

    def true_lift(self, channel: str, start: str | pd.Timestamp, end: str | pd.Timestamp) -> float:
        """Planted incremental revenue of ``channel`` in the weeks dated ``start..end``.

        Revenue with the actual spend minus revenue with the channel's spend set to zero in
        those weeks (earlier weeks unchanged), summed over those weeks: what a perfectly
        measured lift test of the channel over that window would read (noise-free).

        Examples
        --------
        >>> m = generate_media_weekly(seed=0, weeks=60)
        >>> m.true_lift("search", "2024-03-04", "2024-04-22") > 0
        True
        """
        i = self.truth.channels.index(channel)
        x = self.frame[channel].to_numpy(float)
        weeks = pd.DatetimeIndex(self.frame["week"])
        window = (weeks >= pd.Timestamp(start)) & (weeks <= pd.Timestamp(end))
        dark = np.where(window, 0.0, x)
        d, s, b = self.truth.decay[i], self.truth.saturation[i], self.truth.beta[i]

        def response(spend: np.ndarray) -> np.ndarray:
            return b * (1 - np.exp(-s * (1 - d) * adstock(spend, d) / x.mean()))

        return float((response(x) - response(dark))[window].sum())


def adstock(x: np.ndarray, decay: float) -> np.ndarray:
    """Geometric carry-over along axis 0: ``a_t = x_t + decay * a_{t-1}``.

    Examples
    --------
    >>> adstock(np.array([1.0, 0.0, 0.0]), 0.5).tolist()
    [1.0, 0.5, 0.25]
    """
    return np.asarray(lfilter([1.0], [1.0, -decay], x, axis=0))


def generate_media_weekly(*, seed: int = 0, weeks: int = 104, noise: float = 0.04,
                          start: str = "2024-01-01") -> MediaWeekly:
    """Simulate a ``media_weekly`` table with planted adstock, saturation and ROAS per channel.

    Parameters
    ----------
    seed
        Random seed; the same seed gives the same table and truth.
    weeks
        Number of consecutive weeks (Mondays from ``start``).
    noise
        Standard deviation of the weekly noise as a share of the baseline level.
    start
        First week.

    Returns
    -------
    MediaWeekly
        ``frame`` with columns ``week, revenue``, weekly spend per paid channel
        (``paid_social, search, display, video, email, affiliates``), ``organic_social`` (posts
        per week), ``price_index`` and ``promotion`` (0/1); ``truth`` as :class:`MediaTruth`.

    Examples
    --------
    >>> m = generate_media_weekly(seed=1, weeks=52)
    >>> round(m.truth.roas_of("search"), 2) > 0
    True
    """
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    level = 100_000.0
    base = (level * (1 + 0.1 * t / 52) + 0.08 * level * np.sin(2 * np.pi * t / 52)
            + 0.04 * level * np.cos(2 * np.pi * t / 52))
    price = 1 + np.cumsum(rng.normal(0, 0.01, weeks))
    promotion = (rng.random(weeks) < 0.12).astype(float)
    base = base - 0.5 * level * (price - 1) + 0.06 * level * promotion
    columns: dict[str, np.ndarray] = {}
    decay, sat, beta, contrib, per_unit = [], [], [], [], []
    revenue = base.copy()
    names = (*MEDIA_CHANNELS, ORGANIC)
    for name in names:
        if name == ORGANIC:
            x = rng.poisson(rng.uniform(4, 10), weeks).astype(float)
            x = x * (rng.random(weeks) < 0.9)
        else:
            scale = rng.uniform(2_000, 12_000)
            x = np.round(rng.gamma(2.0, scale / 2.0, weeks) * (rng.random(weeks) < 0.85), 2)
        d, s = rng.uniform(0.1, 0.6), rng.uniform(0.4, 2.0)
        sat_t = 1 - np.exp(-s * (1 - d) * adstock(x, d) / x.mean())
        target = rng.uniform(800, 3_000) if name == ORGANIC else rng.uniform(0.5, 3.5)
        b = target * x.sum() / sat_t.sum()
        revenue = revenue + b * sat_t
        columns[name] = x
        decay.append(d)
        sat.append(s)
        beta.append(b)
        contrib.append(float((b * sat_t).sum()))
        per_unit.append(contrib[-1] / float(x.sum()))
    revenue = revenue + rng.normal(0, noise * level, weeks)
    frame = pd.DataFrame({"week": pd.date_range(start, periods=weeks, freq="W-MON"),
                          "revenue": np.round(revenue, 2), **columns,
                          "price_index": np.round(price, 4), "promotion": promotion})
    organic_cost = float(np.round(rng.uniform(1_500, 4_000) * weeks, -2))
    roas = (*per_unit[:-1], contrib[-1] / organic_cost)
    truth = MediaTruth(channels=names, decay=tuple(decay), saturation=tuple(sat),
                       beta=tuple(beta), contribution=tuple(contrib), roas=roas,
                       revenue_per_post=per_unit[-1], organic_cost=organic_cost,
                       baseline=float(base.sum()))
    return MediaWeekly(frame=frame, truth=truth)
