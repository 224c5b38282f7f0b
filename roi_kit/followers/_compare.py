"""The four follower comparisons on a :class:`~roi_kit.followers._population.Population`.

:func:`compare_population` (reached as ``Population.compare`` and through
:func:`~roi_kit.compare_segments`) takes the population's grouping at the landmark
(:mod:`roi_kit.followers._groups`) and computes retention (Kaplan–Meier on the population's whole
days), upsell, deal size and time to close, naive and propensity-weighted. Per definition the cost
is a few vectorised passes: the durations, covariate patterns and deal arrays are cached.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.followers import prepare_population
>>> c = pd.DataFrame({"customer_id": list("abcd"), "acquired_at": pd.to_datetime(["2024-01-01"] * 4),
...     "churned_at": pd.to_datetime([None, "2024-06-01", None, "2024-05-01"]),
...     "observed_until": pd.to_datetime(["2024-12-31"] * 4), "fan": [True, True, False, False]})
>>> cmp = compare_population(prepare_population(c, columns=["fan"]), "fan", horizons_days=(180,))
>>> cmp.n_followers, round(cmp.retention.effect("retention", "naive", horizon_days=180).difference, 2)
(2, 0.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from roi_kit.followers._close_time import compare_close_time
from roi_kit.followers._comparisons import RetentionComparison, SegmentComparison
from roi_kit.followers._deal_comparisons import compare_deal_size, compare_upsell
from roi_kit.followers._effects import Effect, measure_label, z_value
from roi_kit.followers._group_survival import (
    SurvivalTable,
    curve_difference,
    event_code,
    group_counts,
    median_effect,
    rmst_effect,
)
from roi_kit.followers._landmark import TimeUnit
from roi_kit.followers._means import cell_sums
from roi_kit.followers._propensity import PropensityModel, propensity_from_design
from roi_kit.followers._value_boot import ValueArrays

if TYPE_CHECKING:
    from roi_kit.followers._groups import By
    from roi_kit.followers._population import Landmark, Population

__all__ = ["compare_population"]


def _retention(lm: Landmark, t: np.ndarray, w: np.ndarray | None, horizons: Sequence[int],
               tau: float, z: float, unit: TimeUnit, durations: bool = False,
               cell: np.ndarray | None = None) -> RetentionComparison:
    effects: list[Effect] = []
    curves: dict[tuple[str, str], SurvivalTable] = {}
    medians: dict[tuple[str, str], tuple[float | None, float | None, float | None]] = {}
    raw = group_counts(lm.days, lm.event, t, coded=lm.coded, size=lm.size, per_day=1.0, cell=cell)
    counts = {"naive": raw}
    if w is not None:
        counts["adjusted"] = raw.weighted(lm.event, w)
    for method, cnt in counts.items():
        c = cnt.curves()
        curves.update({(method, g): v for g, v in c.items()})
        for h in horizons:
            eff = curve_difference("retention", measure_label("retention", h, unit), method, c, h, z=z)  # type: ignore[arg-type]
            effects.append(replace(eff, key="retention", horizon_days=h))
        eff = rmst_effect("retention", measure_label("rmst", tau, unit), method, c, tau, z=z)  # type: ignore[arg-type]
        effects.append(replace(eff, key="rmst", horizon_days=tau, unit=unit))
        eff, med = median_effect("retention", measure_label("median_lifetime"), method, c, unit=unit)  # type: ignore[arg-type]
        effects.append(eff)
        medians.update({(method, g): v for g, v in med.items()})
    return RetentionComparison(
        tuple(effects), curves, medians, raw.logrank(),
        counts["adjusted"].logrank() if "adjusted" in counts else None, lm.landmark_days, unit,
        durations)


def _weights(model: PropensityModel | None) -> np.ndarray | None:
    return None if model is None else model.weights


def _rank_cache(amount: np.ndarray) -> tuple[np.ndarray, float]:
    ranks = stats.rankdata(amount)
    _, counts = np.unique(amount, return_counts=True)
    return ranks, float(np.sum(counts.astype(float) ** 3 - counts))


def _mean_mrr(pop: Population, idx: np.ndarray) -> float | None:
    if pop.mrr is None:
        return None
    values = pop.mrr[idx]
    return float(np.nanmean(values)) if np.isfinite(values).any() else None


def compare_population(
    pop: Population,
    by: By,
    *,
    followers: Any = None,
    landmark_days: int | None = None,
    horizon_days: int = 365,
    horizons_days: Sequence[int] = (90, 180, 365),
    trim: float | None = 0.01,
    n_boot: int = 2000,
    seed: int = 0,
    currency: str = "USD",
) -> SegmentComparison:
    """Compare followers and non-followers of ``pop`` (options of :func:`~roi_kit.compare_segments`)."""
    g = pop.grouping(by, landmark_days=landmark_days, followers=followers, horizon_days=horizon_days)
    lm, t, td = g.landmark, g.treated, g.deal_flags
    nd = pop.new_deals
    has_deals = nd is not None and nd.customer.size > 0
    td = td if has_deals else None
    z = z_value()
    n_cells = 2 * pop.design.patterns.shape[0]
    cell = lm.pattern2 - t  # covariate pattern·2 + (non-follower)
    counts = np.bincount(cell, minlength=n_cells)
    n_followers = int(counts[0::2].sum())
    model = (propensity_from_design(lm.design, t, trim=trim, cell=cell, counts=counts)
             if pop.covariates else None)
    w = _weights(model)
    w_cells = None if model is None else model.cell_weights
    km_cell = lm.coded + ((~t).view(np.uint8) << 1)  # day·4 + group·2 + event: retention and value
    retention = _retention(lm, t, w, horizons_days, float(horizon_days), z, pop.time_unit, pop.durations,
                           km_cell)
    arrays = ValueArrays(pop.n_customers, lm.index, km_cell, lm.size, w)
    upsell = None
    if lm.upsell_count is not None and lm.upsell_revenue is not None:
        count, revenue = lm.upsell_count, lm.upsell_revenue
        has, rev = (count > 0).astype(float), revenue.astype(float)
        t_full = t[lm.full_index]
        ucell = lm.full_pattern2 - t_full
        ucounts = np.bincount(ucell, minlength=n_cells)
        sums = (cell_sums(ucell, n_cells, has, has, counts=ucounts),
                cell_sums(ucell, n_cells, rev, rev ** 2, counts=ucounts))
        upsell = compare_upsell(count, revenue, t_full, None, horizon_days=horizon_days,
                                excluded_short=int(lm.n - count.size), currency=currency,
                                cells=sums, cell_weights=w_cells)
        arrays = replace(arrays, upsell_member=lm.index[lm.full_index], upsell_revenue=rev,
                         upsell_treated=t_full, upsell_weights=None if w_cells is None else w_cells.ravel().take(ucell))
    deal_size = close = deal_model = None
    deal_followers = 0
    if td is not None and nd is not None and td.any() and not td.all():
        pattern2, amount2 = pop.cache("deal_cells", lambda: (
            pop.design.pattern[nd.customer] * 2 + 1, nd.amount[:nd.n_won] ** 2))
        dcell = pattern2 - td
        dcounts = np.bincount(dcell, minlength=n_cells)
        deal_design = pop.cache("deal_design", lambda: pop.design.subset(nd.customer))
        deal_model = (propensity_from_design(deal_design, td, trim=trim, balance=False,
                                             cell=dcell, counts=dcounts) if pop.covariates else None)
        wd = _weights(deal_model)
        nw_ = nd.n_won  # won deals are a prefix sorted by amount
        ranks, tie_term = pop.cache("won_ranks", lambda: _rank_cache(nd.amount[:nw_]))
        deal_size = compare_deal_size(
            nd.amount[:nw_], td[:nw_], None if wd is None else wd[:nw_], n_boot=n_boot,
            seed=seed, currency=currency, ranks=ranks, tie_term=tie_term, presorted=True,
            cells=cell_sums(dcell[:nw_], n_cells, nd.amount[:nw_], amount2,
                            counts=dcounts if nw_ == dcell.size else None),
            cell_weights=None if deal_model is None else deal_model.cell_weights)
        arrays = replace(arrays, deal_customer=nd.customer[:nw_], deal_amount=nd.amount[:nw_],
                         deal_treated=td[:nw_], deal_weights=None if wd is None else wd[:nw_])
        coded, size = pop.cache("close_coded", lambda: (
            event_code(nd.close_hours, nd.closed),
            ((int(nd.close_hours.max()) + 1) if nd.close_hours.size else 1) * 4))
        close = compare_close_time(nd.close_hours, nd.closed, td, wd, coded=coded, size=size)
        seen = np.zeros(pop.n_customers, dtype=bool)  # customers with a won deal as followers
        seen[nd.customer[:nw_][td[:nw_]]] = True
        deal_followers = int(np.count_nonzero(seen))
    notes = [g.landmark_note]
    if pop.censoring_note:
        notes.append(pop.censoring_note)
    if nd is not None and nd.unknown_customer:
        notes.append(f"{nd.unknown_customer:,} new deals belong to ids not in the customer table "
                     "(prospects) or have no usable dates; their follower status and covariates "
                     "are unknown, so they are left out of the deal comparisons; "
                     "rk.compare_prospects(deals, by=...) compares every lead's deals.")
    if g.kind == "ever":
        notes.append("Warning: 'ever followed' compares everyone from acquisition; customers who "
                     "stayed longer had more time to follow, which flatters followers (immortal-time bias).")
    return SegmentComparison(
        definition=g.describe, landmark_days=lm.landmark_days, horizon_days=horizon_days,
        covariates=pop.covariates, n_followers=n_followers, n_non_followers=int(t.size - n_followers),
        retention=retention, upsell=upsell, deal_size=deal_size, time_to_close=close,
        propensity=model, deal_propensity=deal_model,
        match=None if pop.audience is None else pop.audience.report,
        revenue_per_account_month=pop.cache(("mrr", lm.landmark_days), lambda: _mean_mrr(pop, lm.index)),
        deal_followers=deal_followers, currency=currency, notes=tuple(notes), time_unit=pop.time_unit,
        durations=pop.durations, value_arrays=arrays)
