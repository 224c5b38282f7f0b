"""Upsell, deal size and time to close: followers vs non-followers, naive and adjusted.

* **Upsell** — among customers active at the landmark *and observed for the whole horizon*
  (exposure-aware: nobody is counted as "no upsell" merely because the data end too soon;
  customers who churn inside the horizon stay in, since churning is part of the outcome): the
  share with at least one won upsell within the horizon after the landmark, and the won upsell
  revenue per customer. Differences of (weighted) means with sandwich standard errors.
* **Deal size** — won new deals, grouped by the customer's follower status *when the deal was
  created*: mean (sandwich interval) and median (bootstrap interval) per group, and the
  Mann–Whitney rank test (raw groups). The bootstrap of a median is drawn exactly and vectorised:
  the median of a resample is the sorted data at the median of ``n`` uniforms, a
  Beta((n+1)/2, (n+1)/2) draw; weighted groups use the weighted distribution and the Kish
  effective size for ``n`` (seeded).
* **Time to close** — Kaplan–Meier on days from ``created_at`` to ``closed_at`` (won or lost);
  open deals are censored at the end of the data. Median days per group with intervals.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> t = np.arange(200) % 2 == 0
>>> amount = np.where(t, 1.2, 1.0) * rng.lognormal(8, 0.4, 200)
>>> res = compare_deal_size(amount, t, None, n_boot=500, seed=1)
>>> res.effects[0].measure, res.effects[0].difference > 0
('mean won new deal', True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import special, stats

from roi_kit.followers._effects import (
    CAVEAT,
    Effect,
    EffectLookup,
    z_value,
)
from roi_kit.followers._means import CellSums, difference_effect
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = [
    "DealSizeComparison",
    "UpsellComparison",
    "compare_deal_size",
    "compare_upsell",
    "mann_whitney",
]


def _sentences(effects: tuple[Effect, ...]) -> list[str]:
    return [e.sentence()[0].upper() + e.sentence()[1:] for e in effects]


@dataclass(frozen=True)
class UpsellComparison(EffectLookup, ResultMixin):
    """Upsell share and upsell revenue per customer within the horizon, naive and adjusted.

    ``to_frame()``: the :func:`~roi_kit.followers._effects.effects_frame` columns.
    """

    effects: tuple[Effect, ...]
    horizon_days: int
    excluded_short: int

    def summary(self) -> str:
        """Upsell differences in words."""
        head = (f"Upsell within {self.horizon_days} days after the landmark, among customers "
                f"observed that long ({self.excluded_short:,} with shorter follow-up left out):")
        return "\n".join([head, *_sentences(self.effects), CAVEAT])

    def chart(self) -> alt.TopLevelMixin:
        """Naive and adjusted differences with intervals."""
        from roi_kit.charts.segments import effects_chart

        return effects_chart(list(self.effects), title="Upsell: followers minus non-followers")


def compare_upsell(
    count: np.ndarray, revenue: np.ndarray, treated: np.ndarray, weights: np.ndarray | None,
    *, horizon_days: int = 365, excluded_short: int = 0, conf_level: float = 0.95,
    currency: str = "USD", cells: tuple[CellSums, CellSums] | None = None,
    cell_weights: np.ndarray | None = None,
) -> UpsellComparison:
    """Upsell share and revenue per customer, naive and (with ``weights``) adjusted.

    ``cells`` may pass the per-(pattern, group) :class:`~roi_kit.followers._means.CellSums` of the
    upsell flag and of the revenue, and ``cell_weights`` the propensity weight of every cell
    (None = naive only; ``weights`` is then not used): the means come from those small tables
    instead of passes over the customers.

    Examples
    --------
    >>> r = compare_upsell(np.array([1, 0, 2, 0]), np.array([5.0, 0, 9, 0]),
    ...                    np.array([True, True, False, False]), None)
    >>> r.effect("upsell share", "naive").difference
    0.0
    """
    z = z_value(conf_level)
    has = (count > 0).astype(float) if cells is None else None
    out: list[Effect] = []
    for method, w in (("naive", None), ("adjusted", weights if cells is None else cell_weights)):
        if method == "adjusted" and w is None:
            continue
        share = rev = None
        if cells is not None:
            share, rev = cells[0].means(w), cells[1].means(w)
        out.append(difference_effect("upsell", "upsell share", method, has, treated, w,  # type: ignore[arg-type]
                                     unit="share", z=z, means=share))
        out.append(difference_effect("upsell", "upsell revenue per customer", method,  # type: ignore[arg-type]
                                     None if cells is not None else revenue.astype(float), treated,
                                     w, unit="money", z=z, currency=currency, means=rev))
    return UpsellComparison(tuple(out), horizon_days, excluded_short)


def mann_whitney(ranks: np.ndarray, treated: np.ndarray, tie_term: float) -> tuple[float, float]:
    """Two-sided Mann–Whitney U test from precomputed average ranks (normal approximation with
    tie and continuity correction, as scipy's ``method="asymptotic"``). Returns (U, p).

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 5.0]); t = np.array([1, 1, 0, 1, 0, 0], bool)
    >>> u, p = mann_whitney(stats.rankdata(x), t, 6.0)
    >>> ref = stats.mannwhitneyu(x[t], x[~t], method="asymptotic")
    >>> bool(np.isclose(u, ref.statistic) and np.isclose(p, ref.pvalue))
    True
    """
    n1, n0 = int(treated.sum()), int((~treated).sum())
    return _mann_whitney(float(ranks[treated].sum()), n1, n0, tie_term)


def _mann_whitney(rank_sum: float, n1: int, n0: int, tie_term: float) -> tuple[float, float]:
    n = n1 + n0
    u1 = rank_sum - n1 * (n1 + 1) / 2.0
    mu = n1 * n0 / 2.0
    var = n1 * n0 / 12.0 * ((n + 1) - tie_term / (n * (n - 1))) if n > 1 else 0.0
    if var <= 0:
        return u1, 1.0
    u = max(u1, n1 * n0 - u1)
    zstat = (u - mu - 0.5) / math.sqrt(var)
    return u1, float(min(1.0, 2 * special.ndtr(-zstat)))


def _median_boot(y: np.ndarray, pos: np.ndarray, w: np.ndarray | None, n_boot: int,
                 rng: np.random.Generator) -> tuple[float, np.ndarray]:
    """Median and exact (vectorised) bootstrap replicates of it for the group at positions
    ``pos`` (ascending) of ``y`` (sorted ascending); ``w`` = the group's weights, in that order.
    The group is read through its positions, never copied out."""
    if w is None:
        n = pos.size
        v = rng.beta((n + 1) / 2.0, (n + 1) / 2.0, n_boot)
        idx = np.clip(np.ceil(n * v).astype(np.int64) - 1, 0, n - 1)
        mid = (n - 1) // 2  # y is sorted: the median without another partition
        return float(y[pos[mid]] if n % 2 else (y[pos[mid]] + y[pos[mid + 1]]) / 2.0), y[pos[idx]]
    cw = np.cumsum(w)
    cw /= cw[-1]
    n_eff = float(w.sum() ** 2 / np.einsum("i,i->", w, w))  # einsum: no BLAS threads
    v = rng.beta((n_eff + 1) / 2.0, (n_eff + 1) / 2.0, n_boot)
    pick = np.minimum(np.searchsorted(cw, v), pos.size - 1)
    return float(y[pos[min(int(np.searchsorted(cw, 0.5)), pos.size - 1)]]), y[pos[pick]]


@dataclass(frozen=True)
class DealSizeComparison(EffectLookup, ResultMixin):
    """Mean and median won new deal per group, naive and adjusted, with the rank test.

    ``to_frame()``: the :func:`~roi_kit.followers._effects.effects_frame` columns (mean rows carry a sandwich
    interval, median rows a bootstrap interval, the naive mean row the Mann–Whitney p-value).
    """

    effects: tuple[Effect, ...]
    mann_whitney_u: float | None
    mann_whitney_p: float | None
    n_boot: int
    seed: int

    def summary(self) -> str:
        """Deal size differences in words."""
        lines = ["Won new deals, by the customer's follower status when the deal was created:",
                 *_sentences(self.effects)]
        if self.mann_whitney_p is not None:
            verdict = "differ" if self.mann_whitney_p < 0.05 else "do not clearly differ"
            lines.append(f"Mann–Whitney rank test on the raw groups: deal sizes {verdict} "
                         f"(p = {self.mann_whitney_p:.3g}).")
        return "\n".join([*lines, CAVEAT])

    def chart(self) -> alt.TopLevelMixin:
        """Naive and adjusted differences with intervals."""
        from roi_kit.charts.segments import effects_chart

        return effects_chart(list(self.effects), title="Deal size: followers minus non-followers")


def compare_deal_size(
    amount: np.ndarray, treated: np.ndarray, weights: np.ndarray | None, *,
    n_boot: int = 2000, seed: int = 0, conf_level: float = 0.95, currency: str = "USD",
    order: np.ndarray | None = None, ranks: np.ndarray | None = None, tie_term: float | None = None,
    presorted: bool = False, cells: CellSums | None = None, cell_weights: np.ndarray | None = None,
) -> DealSizeComparison:
    """Compare won new deal amounts (``order``/``ranks``/``tie_term`` may be cached by the caller).

    Parameters
    ----------
    amount
        Amount per won new deal.
    treated
        Follower status of the customer when the deal was created.
    weights
        Deal-level propensity weights for the adjusted rows (None = naive only).
    n_boot, seed
        Bootstrap replicates and seed for the median intervals.
    order, ranks, tie_term
        Cached sort order, average ranks and tie term Σ(t³ − t) of ``amount``.
    presorted
        ``amount`` is already ascending (skips the reordering).
    cells, cell_weights
        Per-(pattern, group) :class:`~roi_kit.followers._means.CellSums` of ``amount`` and the
        propensity weight of every cell (``weights`` are then those cell weights per deal): the
        means come from the small tables instead of passes over the deals.
    """
    z = z_value(conf_level)
    alpha = 1 - conf_level
    if presorted:  # amounts already ascending: no reordering at all
        y_sorted, t_sorted = amount, treated
    else:
        order = np.argsort(amount, kind="stable") if order is None else order
        y_sorted, t_sorted = amount[order], treated[order]
    rng = np.random.default_rng(seed)
    out: list[Effect] = []
    pos1, pos0 = np.flatnonzero(t_sorted), np.flatnonzero(~t_sorted)
    both = bool(pos1.size and pos0.size)
    for method, w in (("naive", None), ("adjusted", weights)):
        if method == "adjusted" and w is None:
            continue
        means = None if cells is None else cells.means(None if w is None else cell_weights)
        out.append(difference_effect("deal size", "mean won new deal", method, amount, treated, w,  # type: ignore[arg-type]
                                     unit="money", z=z, currency=currency, means=means))
        if not both:
            continue
        w_sorted = None if w is None else (w if presorted else w[order])
        m1, b1 = _median_boot(y_sorted, pos1, None if w_sorted is None else w_sorted[pos1], n_boot, rng)
        m0, b0 = _median_boot(y_sorted, pos0, None if w_sorted is None else w_sorted[pos0], n_boot, rng)
        lo, hi = np.quantile(b1 - b0, [alpha / 2, 1 - alpha / 2])
        out.append(Effect("deal size", "median won new deal", method, m1, m0, m1 - m0, float(lo),  # type: ignore[arg-type]
                          float(hi), n_followers=int(pos1.size),
                          n_non_followers=int(pos0.size), unit="money", currency=currency))
    u = p = None
    if both:
        if ranks is None:
            ranks = stats.rankdata(amount)
        if tie_term is None:
            _, counts = np.unique(amount, return_counts=True)
            tie_term = float(np.sum(counts.astype(float) ** 3 - counts))
        if presorted:  # treated == t_sorted: the followers' ranks are read at their positions
            u, p = _mann_whitney(float(ranks[pos1].sum()), int(pos1.size), int(pos0.size), tie_term)
        else:
            u, p = mann_whitney(ranks, treated, tie_term)
        out[0] = Effect(**{**out[0].__dict__, "p_value": p})
    return DealSizeComparison(tuple(out), u, p, n_boot, seed)


