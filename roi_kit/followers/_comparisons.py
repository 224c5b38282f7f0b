"""Followers vs non-followers on retention, upsell, deal size and time to close — side by side,
raw ("naive") and propensity-weighted ("adjusted").

:func:`compare_segments` is the one call an analyst makes; it prepares the definition-independent
arrays once (:func:`~roi_kit.followers._population.prepare_comparison`) and compares. To try several
follower definitions quickly (a widget), prepare once and call :func:`compare_prepared` per
definition.

Populations (landmark definition, the default):

* retention and upsell — customers still active ``landmark_days`` after acquisition; follower =
  followed on or before that day; time counted from the landmark;
* deal size and time to close — new deals of known customers; follower = the customer had
  followed before the deal was created (status at deal creation);
* ``kind="ever"`` instead uses every customer, time from acquisition and "ever followed" (biased
  by immortal time; offered for contrast).

The adjusted figures weight each group to the covariate mix of the whole population (stabilised
ATE weights from a logistic propensity model; deals get their own model for "followed before the
deal"). Intervals: Kaplan–Meier differences use Greenwood standard errors (weighted:
Xie & Liu 2005); means use sandwich standard errors; medians of deal size a bootstrap. The
propensity model is treated as known, which for ATE weights makes intervals slightly
conservative.

Examples
--------
>>> import pandas as pd, roi_kit as rk
>>> customers = pd.DataFrame({"customer_id": list("abcdef"),
...     "acquired_at": pd.to_datetime(["2024-01-01"] * 6),
...     "churned_at": pd.to_datetime([None, None, "2024-09-01", None, "2024-06-01", "2024-12-01"]),
...     "observed_until": pd.to_datetime(["2025-06-30"] * 6), "mrr": [100.0] * 6})
>>> audience = pd.DataFrame({"customer_id": ["a", "b", "c"],
...                          "followed_at": pd.to_datetime(["2024-01-15"] * 3)})
>>> cmp = rk.compare_segments(customers, by=rk.FollowerDefinition(), audience=audience,
...                           covariates=())
>>> cmp.n_followers, cmp.n_non_followers
(3, 3)
>>> round(cmp.retention.effect("retention at 365 days", "naive").difference, 4)
0.3333
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.errors import ConfigError
from roi_kit.followers._deal_comparisons import (
    CloseTimeComparison,
    DealSizeComparison,
    UpsellComparison,
    compare_close_time,
    compare_deal_size,
    compare_upsell,
)
from roi_kit.followers._definition import FollowerDefinition, Segments
from roi_kit.followers._effects import (
    CAVEAT,
    Effect,
    Method,
    cell_sums,
    closing_lines,
    effects_frame,
    z_value,
)
from roi_kit.followers._group_survival import (
    GROUPS,
    curve_difference,
    event_code,
    group_counts,
    median_effect,
    rmst_effect,
)
from roi_kit.followers._matching import MatchReport
from roi_kit.followers._population import ComparisonData, prepare_comparison
from roi_kit.followers._propensity import PropensityModel, propensity_from_design
from roi_kit.results import ResultMixin
from roi_kit.survival import LogRankResult, SurvivalTable

if TYPE_CHECKING:
    import altair as alt

__all__ = ["DEFAULT_COVARIATES", "GROUPS", "RetentionComparison", "SegmentComparison", "compare_prepared", "compare_segments"]

DEFAULT_COVARIATES: tuple[str, ...] = ("company_size", "industry", "region", "acquisition_channel")


@dataclass(frozen=True)
class RetentionComparison(ResultMixin):
    """Kaplan–Meier retention of followers vs non-followers from the landmark, naive and adjusted.

    ``to_frame()``: effects (retention at each horizon, restricted mean lifetime, median
    lifetime); :meth:`curves_frame` the curves.
    """

    effects: tuple[Effect, ...]
    curves: dict[tuple[str, str], SurvivalTable] = field(repr=False)
    medians: dict[tuple[str, str], tuple[float | None, float | None, float | None]]
    logrank: LogRankResult | None
    logrank_weighted: LogRankResult | None
    landmark_days: int

    def effect(self, measure: str, method: Method = "adjusted") -> Effect:
        """The effect named ``measure`` (e.g. ``"retention at 365 days"``)."""
        return next(e for e in self.effects if e.measure == measure and e.method == method)

    def curves_frame(self) -> pd.DataFrame:
        """Columns ``method, group, time_days, at_risk, events, survival, ci_low, ci_high``."""
        parts = []
        for (method, group), c in self.curves.items():
            f = c.to_frame().rename(columns={"time": "time_days"})
            parts.append(f.assign(method=method, group=group))
        cols = ["method", "group", "time_days", "at_risk", "events", "survival", "ci_low", "ci_high"]
        return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)

    def to_frame(self) -> pd.DataFrame:
        """Effects table (see :func:`~roi_kit.followers._effects.effects_frame`)."""
        return effects_frame(list(self.effects))

    def summary(self) -> str:
        """Retention differences in words."""
        lines = [f"Retention counted from day {self.landmark_days} after acquisition:"]
        lines += [e.sentence()[0].upper() + e.sentence()[1:] for e in self.effects]
        return "\n".join([*lines, *closing_lines(self.logrank)])

    def chart(self) -> alt.TopLevelMixin:
        """Survival curves with confidence bands, naive and adjusted."""
        from roi_kit.charts.segments import curves_chart

        return curves_chart(self.curves, title="Customers still active after the landmark",
                            y_title="still active")


def _retention(hours: np.ndarray, event: np.ndarray, t: np.ndarray, w: np.ndarray | None,
               horizons: Sequence[int], tau: float, landmark_days: int, z: float,
               coded: np.ndarray | None = None, size: int | None = None) -> RetentionComparison:
    effects: list[Effect] = []
    curves: dict[tuple[str, str], SurvivalTable] = {}
    medians: dict[tuple[str, str], tuple[float | None, float | None, float | None]] = {}
    raw = group_counts(hours, event, t, coded=coded, size=size)
    counts = {"naive": raw}
    if w is not None:
        counts["adjusted"] = raw.weighted(event, w)
    for method, cnt in counts.items():
        c = cnt.curves()
        curves.update({(method, g): v for g, v in c.items()})
        for h in horizons:
            effects.append(curve_difference("retention", f"retention at {h} days", method, c, h, z=z))  # type: ignore[arg-type]
        effects.append(rmst_effect("retention", f"mean days active within {tau:g} days", method, c,  # type: ignore[arg-type]
                                   tau, z=z))
        eff, med = median_effect("retention", "median lifetime after the landmark", method, c)  # type: ignore[arg-type]
        effects.append(eff)
        medians.update({(method, g): v for g, v in med.items()})
    return RetentionComparison(
        tuple(effects), curves, medians, raw.logrank(),
        counts["adjusted"].logrank() if "adjusted" in counts else None, landmark_days)


@dataclass(frozen=True)
class SegmentComparison(ResultMixin):
    """All four follower comparisons, naive and adjusted, for one follower definition.

    Attributes
    ----------
    definition
        The follower definition in words.
    retention, upsell, deal_size, time_to_close
        The four comparisons (``None`` when the data needed are missing, e.g. no deals).
    propensity, deal_propensity
        Customer-level and deal-level propensity models (``None`` without covariates); their
        ``balance`` holds the balance tables.
    n_followers, n_non_followers
        Sizes of the landmark population's groups.
    revenue_per_account_month
        Mean ``mrr`` of the landmark population (None when the customers have no ``mrr``).
    won_new_deals_per_follower
        Won new deals per follower-at-creation customer (used to value larger deals).

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> seg = rk.define_followers(s.customers, s.social_audience)
    >>> cmp = rk.compare_segments(s.customers, s.deals, by=seg, covariates=["company_size"], n_boot=200)
    >>> sorted(cmp.to_frame()["method"].unique())
    ['adjusted', 'naive']
    """

    definition: str
    landmark_days: int
    horizon_days: int
    covariates: tuple[str, ...]
    n_followers: int
    n_non_followers: int
    retention: RetentionComparison
    upsell: UpsellComparison | None
    deal_size: DealSizeComparison | None
    time_to_close: CloseTimeComparison | None
    propensity: PropensityModel | None = field(repr=False)
    deal_propensity: PropensityModel | None = field(repr=False)
    match: MatchReport | None = field(repr=False)
    revenue_per_account_month: float | None
    deal_followers: int = 0
    currency: str = "USD"
    notes: tuple[str, ...] = ()

    @property
    def balance(self) -> Any:
        """Customer-level balance table (None without covariates)."""
        return None if self.propensity is None else self.propensity.balance

    def parts(self) -> dict[str, Any]:
        """The comparisons that could be computed, by name."""
        named = {"retention": self.retention, "upsell": self.upsell, "deal size": self.deal_size,
                 "time to close": self.time_to_close}
        return {k: v for k, v in named.items() if v is not None}

    def to_frame(self) -> pd.DataFrame:
        """Every effect of every comparison (columns of :func:`~roi_kit.followers._effects.effects_frame`)."""
        return pd.concat([p.to_frame() for p in self.parts().values()], ignore_index=True)

    def summary(self) -> str:
        """Headline findings, naive next to adjusted, with the caveat."""
        lines = [f"Follower = {self.definition}.",
                 f"{self.n_followers:,} followers and {self.n_non_followers:,} non-followers are "
                 f"active at day {self.landmark_days} after acquisition."]
        if self.match is not None:
            lines.append(self.match.summary().splitlines()[0])
        picks = [("retention", f"retention at {h} days") for h in (365,)] + [
            ("retention", f"mean days active within {self.horizon_days} days"),
            ("upsell", "upsell share"), ("upsell", "upsell revenue per customer"),
            ("deal size", "mean won new deal"), ("time to close", "median days to close")]
        parts = self.parts()
        for comp, measure in picks:
            if comp not in parts:
                continue
            for e in parts[comp].effects:
                if e.measure == measure:
                    lines.append(e.sentence()[0].upper() + e.sentence()[1:])
        if self.propensity is not None:
            lines.append("Adjusted for " + ", ".join(self.covariates) + ". "
                         + self.propensity.balance.summary())
        else:
            lines.append("No covariates were chosen, so the adjusted figures are not computed.")
        lines += list(self.notes)
        return "\n".join([*lines, CAVEAT])

    def chart(self) -> alt.TopLevelMixin:
        """Forest plot of every difference, naive next to adjusted."""
        from roi_kit.charts.segments import comparison_chart

        return comparison_chart(self)


def _weights(model: PropensityModel | None) -> np.ndarray | None:
    return None if model is None else model.weights


def compare_prepared(
    data: ComparisonData,
    by: FollowerDefinition | Segments | str,
    *,
    landmark_days: int | None = None,
    horizon_days: int = 365,
    horizons_days: Sequence[int] = (90, 180, 365),
    trim: float | None = 0.01,
    n_boot: int = 2000,
    seed: int = 0,
    currency: str = "USD",
) -> SegmentComparison:
    """Compare followers and non-followers on prepared data (the fast path of a widget).

    Parameters
    ----------
    data
        From :func:`~roi_kit.followers._population.prepare_comparison`.
    by
        A :class:`FollowerDefinition`, a :class:`Segments` (its definition is used), or the name
        of the customer column given as ``group=`` when preparing (taken as given).
    landmark_days
        Overrides the definition's landmark (default 90 for a column).
    horizon_days
        Horizon for upsell and the restricted mean lifetime.
    horizons_days
        Horizons for retention differences.
    trim, n_boot, seed
        Propensity truncation, bootstrap replicates and seed.

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> data = rk.prepare_comparison(s.customers, s.deals, audience=s.social_audience)
    >>> for days in (60, 90):  # a widget re-segments on every change; the joins are not redone
    ...     result = rk.compare_prepared(data, rk.FollowerDefinition(landmark_days=days), n_boot=100)
    >>> result.landmark_days
    90
    """
    defn = by.definition if isinstance(by, Segments) else by if isinstance(by, FollowerDefinition) else None
    if defn is None and data.group_column is None:
        raise ConfigError(f"by={by!r} is a column name, but the data were prepared without group=.",
                          hint="pass by=rk.FollowerDefinition(...) with audience=..., or prepare with group='column'.")
    kind = defn.kind if defn is not None else "landmark"
    big_l = 0 if kind == "ever" else (landmark_days if landmark_days is not None
                                      else defn.landmark_days if defn is not None else 90)
    lm = data.landmark(big_l, horizon_days)
    idx = lm["index"]
    nd = data.new_deals
    has_deals = nd is not None and nd.customer.size > 0
    if defn is not None and kind == "landmark":  # labels straight from the qualifying follows
        t, follow_cust, follow_day = data.landmark_status(defn, big_l, horizon_days)
        td = data.deal_status(follow_cust, follow_day) if has_deals else None
    elif defn is not None:
        _, any_row = data.first_follow(defn)
        t = any_row[idx]
        td = any_row[nd.customer] if has_deals else None  # type: ignore[union-attr]
    else:
        assert data.group_column is not None
        status = data.group_column
        t = status[idx]
        td = status[nd.customer] if has_deals else None  # type: ignore[union-attr]
    z = z_value()
    n_cells = 2 * data.design.patterns.shape[0]
    cell = lm["pattern2"] - t  # covariate pattern·2 + (non-follower)
    counts = np.bincount(cell, minlength=n_cells)
    n_followers = int(counts[0::2].sum())
    model = (propensity_from_design(lm["design"], t, trim=trim, cell=cell, counts=counts)
             if data.covariates else None)
    w = _weights(model)
    w_cells = None if model is None else model.cell_weights
    retention = _retention(lm["hours"], lm["event"], t, w, horizons_days, float(horizon_days), big_l,
                           z, coded=lm["coded"], size=lm["size"])
    upsell = None
    if lm["upsell_count"] is not None:
        full = lm["full"]
        has, rev, rev2 = data.cache(f"upsell_y_{big_l}_{horizon_days}", lambda: (
            (lm["upsell_count"] > 0).astype(float), lm["upsell_revenue"].astype(float),
            lm["upsell_revenue"].astype(float) ** 2))
        t_full = t[lm["full_index"]]
        ucell = lm["full_pattern2"] - t_full
        ucounts = np.bincount(ucell, minlength=n_cells)
        sums = (cell_sums(ucell, n_cells, has, has, counts=ucounts),
                cell_sums(ucell, n_cells, rev, rev2, counts=ucounts))
        upsell = compare_upsell(lm["upsell_count"], lm["upsell_revenue"], t_full, None,
                                horizon_days=horizon_days,
                                excluded_short=int(full.size - lm["upsell_count"].size),
                                currency=currency, cells=sums, cell_weights=w_cells)
    deal_size = close = deal_model = None
    deal_followers = 0
    if td is not None:
        assert nd is not None
        if td.any() and not td.all():
            pattern2, amount2 = data.cache("deal_cells", lambda: (
                data.design.pattern[nd.customer] * 2 + 1, nd.amount[:nd.n_won] ** 2))
            dcell = pattern2 - td
            dcounts = np.bincount(dcell, minlength=n_cells)
            deal_design = data.cache("deal_design", lambda: data.design.subset(nd.customer))
            deal_model = (propensity_from_design(deal_design, td, trim=trim, balance=False,
                                                 cell=dcell, counts=dcounts)
                          if data.covariates else None)
            wd = _weights(deal_model)
            nw_ = nd.n_won  # won deals are a prefix sorted by amount
            ranks, tie_term = data.cache("won_ranks", lambda: _rank_cache(nd.amount[:nw_]))
            won_cell = dcell[:nw_]
            won_counts = dcounts if nw_ == dcell.size else None
            deal_size = compare_deal_size(
                nd.amount[:nw_], td[:nw_], None if wd is None else wd[:nw_], n_boot=n_boot,
                seed=seed, currency=currency, ranks=ranks, tie_term=tie_term, presorted=True,
                cells=cell_sums(won_cell, n_cells, nd.amount[:nw_], amount2, counts=won_counts),
                cell_weights=None if deal_model is None else deal_model.cell_weights)
            coded, size = data.cache("close_coded", lambda: (
                event_code(nd.close_hours, nd.closed),
                ((int(nd.close_hours.max()) + 1) if nd.close_hours.size else 1) * 4))
            close = compare_close_time(nd.close_hours, nd.closed, td, wd, coded=coded, size=size)
            one_each = data.cache("one_won_deal_each", lambda: bool(
                np.bincount(nd.customer[:nw_], minlength=data.n_customers).max(initial=0) <= 1))
            deal_followers = (int(np.count_nonzero(td[:nw_])) if one_each else int(np.count_nonzero(
                np.bincount(nd.customer[:nw_][td[:nw_]], minlength=data.n_customers))))
    mrr = data.cache(f"mrr_{big_l}", lambda: _mean_mrr(data, idx))
    notes = []
    if nd is not None and nd.unknown_customer:
        notes.append(f"{nd.unknown_customer:,} new deals belong to ids not in the customer table "
                     "(prospects); their follower status and covariates are unknown, so they are "
                     "left out of the deal comparisons.")
    if kind == "ever":
        notes.append("Warning: 'ever followed' compares everyone from acquisition; customers who "
                     "stayed longer had more time to follow, which flatters followers (immortal-time bias).")
    return SegmentComparison(
        definition=defn.describe() if defn is not None else f"the customer column {by!r}",
        landmark_days=big_l, horizon_days=horizon_days, covariates=data.covariates,
        n_followers=n_followers, n_non_followers=int(t.size - n_followers), retention=retention,
        upsell=upsell, deal_size=deal_size, time_to_close=close, propensity=model,
        deal_propensity=deal_model, match=None if data.audience is None else data.audience.report,
        revenue_per_account_month=mrr, deal_followers=deal_followers, currency=currency,
        notes=tuple(notes))


def _mean_mrr(data: ComparisonData, idx: np.ndarray) -> float | None:
    if data.mrr is None:
        return None
    values = data.mrr[idx]
    return float(np.nanmean(values)) if np.isfinite(values).any() else None


def _rank_cache(amount: np.ndarray) -> tuple[np.ndarray, float]:
    ranks = stats.rankdata(amount)
    _, counts = np.unique(amount, return_counts=True)
    return ranks, float(np.sum(counts.astype(float) ** 3 - counts))


def compare_segments(
    customers: Any,
    deals: Any | None = None,
    *,
    by: FollowerDefinition | Segments | str,
    audience: Any | None = None,
    covariates: Sequence[str] | None = None,
    landmark_days: int | None = None,
    horizon_days: int = 365,
    horizons_days: Sequence[int] = (90, 180, 365),
    trim: float | None = 0.01,
    n_boot: int = 2000,
    seed: int = 0,
    upsell_kinds: Sequence[str] = ("upsell",),
    currency: str = "USD",
) -> SegmentComparison:
    """Compare followers and non-followers on retention, upsell, deal size and time to close.

    Parameters
    ----------
    customers
        Customer table, any engine (``customer_id, acquired_at``; ``churned_at``,
        ``observed_until``, ``mrr`` and covariates when available).
    deals
        Deal table, same engine (None: retention only).
    by
        A :class:`FollowerDefinition` (needs ``audience``), a :class:`Segments` from
        :func:`~roi_kit.followers._definition.define_followers`, or a customer column with the groups.
    audience
        Social audience table (for a :class:`FollowerDefinition`).
    covariates
        Covariates of the propensity model; None = whichever of company_size, industry, region,
        acquisition_channel the customers have; ``()`` = no adjustment.
    landmark_days, horizon_days, horizons_days
        Landmark (default: the definition's), horizon of upsell and restricted mean lifetime,
        horizons of the retention differences.
    trim, n_boot, seed
        Propensity truncation, bootstrap replicates and seed of the median intervals.
    upsell_kinds
        Deal kinds counted as upsell (e.g. ``("upsell", "cross-sell")``).

    Returns
    -------
    SegmentComparison

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> seg = rk.define_followers(s.customers, s.social_audience)
    >>> cmp = rk.compare_segments(s.customers, s.deals, by=seg, covariates=["company_size"], n_boot=200)
    >>> cmp.n_followers + cmp.n_non_followers == len(seg.labels(s.customers, landmark_days=90))
    True
    """
    from roi_kit.engine import as_frame, column_names

    if covariates is None:
        cols = column_names(as_frame(customers, name="customers"))
        covariates = tuple(c for c in DEFAULT_COVARIATES if c in cols)
    if isinstance(by, Segments):
        audience = by.matched
    if isinstance(by, FollowerDefinition | Segments) and audience is None:
        raise ConfigError("a follower definition needs the social audience.",
                          hint="pass audience=social_audience_frame.")
    data = prepare_comparison(customers, deals, audience=audience, covariates=covariates,
                              upsell_kinds=upsell_kinds, group=by if isinstance(by, str) else None)
    return compare_prepared(data, by, landmark_days=landmark_days, horizon_days=horizon_days,
                            horizons_days=horizons_days, trim=trim, n_boot=n_boot, seed=seed,
                            currency=currency)

