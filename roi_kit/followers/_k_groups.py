"""More than two groups (LinkedIn followers / Instagram followers / no follow; sales offices):
every group against a named reference group, on the one population.

Each group is compared with the reference exactly as followers are with non-followers
(:func:`~roi_kit.compare_segments`: retention, upsell, deal size, time to close, naive and
adjusted), on the population restricted to the two groups — the same landmark, end of
observation and time grid for every pair. Because several groups are tested against one
reference, each effect's p-value is also given Holm-adjusted across the groups (per measure,
horizon and method): ``p_holm``. Where an effect has an interval but no test of its own (Kaplan–
Meier differences, RMST), its p-value is the normal one from that interval.

Examples
--------
>>> import pandas as pd, roi_kit as rk
>>> c = pd.DataFrame({"customer_id": list("abcdefghi"),
...     "acquired_at": pd.to_datetime(["2024-01-01"] * 9),
...     "churned_at": pd.to_datetime([None, None, "2024-09-01", None, "2024-06-01",
...                                   "2024-05-01", "2024-07-01", None, "2024-08-01"]),
...     "observed_until": pd.to_datetime(["2024-12-31"] * 9),
...     "office": ["Berlin", "Berlin", "Berlin", "Paris", "Paris", "Paris", "Rome", "Rome", "Rome"]})
>>> res = rk.compare_groups(c, by="office", reference="Berlin", covariates=(), horizons_days=(180,))
>>> res.groups, res.sizes   # Berlin keeps 2 of 3 past day 180 (of the landmark), Paris and Rome 1
(('Paris', 'Rome'), {'Berlin': 3, 'Paris': 3, 'Rome': 3})
>>> res.to_frame().query("measure == 'retention at 180 days'")[["group", "reference", "difference"]]
   group reference  difference
0  Paris    Berlin   -0.333333
3   Rome    Berlin   -0.333333
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import special

from roi_kit.errors import ConfigError, InputError
from roi_kit.followers._comparisons import DEFAULT_COVARIATES, SegmentComparison
from roi_kit.followers._effects import CAVEAT, z_value
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

    from roi_kit.followers._population import Population

__all__ = ["GroupComparison", "compare_groups", "holm"]


def holm(p: np.ndarray) -> np.ndarray:
    """Holm step-down adjusted p-values (NaN stays NaN).

    Examples
    --------
    >>> holm(np.array([0.01, 0.04, 0.03])).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    if not ok.size:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    m = order.size
    steps = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out[order] = steps
    return out


@dataclass(frozen=True)
class GroupComparison(ResultMixin):
    """Every group of a column against a reference group (see the module docstring).

    Attributes
    ----------
    column, reference, groups
        The group column, the reference value and the other values (sorted).
    comparisons
        ``group -> SegmentComparison`` of that group ("followers") against the reference
        ("non-followers"), on the population restricted to the two.
    sizes
        Members of the landmark population per group (reference included).

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> res = rk.compare_groups(s.customers, by="region", reference="EMEA", covariates=(), n_boot=50)
    >>> res.reference in res.sizes and "p_holm" in res.to_frame().columns
    True
    """

    column: str
    reference: str
    groups: tuple[str, ...]
    comparisons: Mapping[str, SegmentComparison] = field(repr=False)
    sizes: Mapping[str, int]
    landmark_days: int
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """``group, reference`` + the effect columns (``followers`` = the group,
        ``non_followers`` = the reference) + ``p_holm``."""
        z = z_value()
        parts = []
        for g in self.groups:
            f = self.comparisons[g].to_frame()
            parts.append(f.assign(group=g, reference=self.reference))
        out = pd.concat(parts, ignore_index=True)
        se = (out["ci_high"] - out["ci_low"]) / (2 * z)
        normal = 2 * special.ndtr(-(out["difference"].abs() / se.where(se > 0)))
        out["p_value"] = out["p_value"].where(out["p_value"].notna(), normal)
        out["p_holm"] = np.nan
        for _, rows in out.groupby(["comparison", "measure", "method"], sort=False).groups.items():
            out.loc[rows, "p_holm"] = holm(out.loc[rows, "p_value"].to_numpy(dtype=float))
        first = ["group", "reference"]
        return out[first + [c for c in out.columns if c not in first]]

    def summary(self) -> str:
        """Each group against the reference in words, with Holm-adjusted p-values."""
        sizes = ", ".join(f"{g} {n:,}" for g, n in self.sizes.items())
        lines = [f"Groups of {self.column!r} against {self.reference!r}, counted from day "
                 f"{self.landmark_days} after acquisition ({sizes})."]
        table = self.to_frame()
        for g in self.groups:
            rows = table[(table["group"] == g) & table["difference"].notna()]
            for _, r in rows.iterrows():
                holm_p = "" if pd.isna(r["p_holm"]) else f", Holm-adjusted p = {r['p_holm']:.3g}"
                lines.append(f"{g} minus {self.reference}, {r['measure']} ({r['method']}): "
                             f"{r['difference']:+,.3g} (95% CI {r['ci_low']:+,.3g} to {r['ci_high']:+,.3g})"
                             f"{holm_p}." if pd.notna(r["ci_low"]) else
                             f"{g} minus {self.reference}, {r['measure']} ({r['method']}): {r['difference']:+,.3g}.")
        return "\n".join([*lines, *self.notes, CAVEAT])

    def chart(self) -> alt.TopLevelMixin:
        """One forest plot per group against the reference."""
        import altair as alt

        return alt.vconcat(*[self.comparisons[g].chart().properties(title=f"{g} minus {self.reference}")  # type: ignore[arg-type]
                             for g in self.groups])


def compare_population_groups(pop: Population, column: str, reference: Any, **options: Any) -> GroupComparison:
    """:func:`compare_groups` on a prepared population (``column`` read with ``columns=``)."""
    if column not in pop.columns:
        raise ConfigError(f"by={column!r} was not read with the customers.",
                          hint=f"prepare with columns=({column!r},).")
    values = pop.columns[column]
    missing = int(values.isna().sum())
    if missing:
        raise InputError(f"customers column {column!r} has {missing:,} empty values, so their group is unknown.",
                         hint="fill them (e.g. 'unknown') or drop those customers.")
    found = sorted(pd.unique(values).tolist(), key=str)
    if reference not in found:
        raise InputError(f"reference={reference!r} is not a value of {column!r}: {', '.join(map(repr, found[:20]))}.",
                         hint="pick the reference group from the values listed.")
    if len(found) < 2:
        raise InputError(f"{column!r} has one value only ({reference!r}); there is nothing to compare.",
                         hint="use a column with at least two groups.")
    comparisons, sizes, notes = {}, {}, []
    groups = tuple(v for v in found if v != reference)
    for g in groups:
        keep = ((values == g) | (values == reference)).to_numpy()
        sub = pop.subset(keep)
        flag = pd.Series((values[keep] == g).to_numpy(), name=column)
        sub = type(sub)(**{**sub.__dict__, "columns": {column: flag}, "_cache": {}})
        comparisons[str(g)] = cmp = sub.compare(column, **options)
        sizes[str(g)] = cmp.n_followers
        sizes[str(reference)] = cmp.n_non_followers
        notes = list(cmp.notes)
    sizes = {str(reference): sizes.pop(str(reference)), **sizes}
    first = next(iter(comparisons.values()))
    return GroupComparison(column, str(reference), tuple(str(g) for g in groups), comparisons, sizes,
                           first.landmark_days, tuple(notes))


def compare_groups(
    customers: Any,
    deals: Any | None = None,
    *,
    by: str,
    reference: Any,
    covariates: Sequence[str] | None = None,
    landmark_days: int | None = None,
    horizon_days: int = 365,
    horizons_days: Sequence[int] = (90, 180, 365),
    trim: float | None = 0.01,
    n_boot: int = 2000,
    seed: int = 0,
    as_of: Any = None,
    upsell_kinds: Sequence[str] = ("upsell",),
    currency: str = "USD",
) -> GroupComparison:
    """Compare every group of a customer column with a reference group (see the module docstring).

    Parameters
    ----------
    customers, deals
        As for :func:`~roi_kit.compare_segments`.
    by
        The customer column holding the groups (e.g. ``"follows_on"`` or ``"office"``).
    reference
        The value of ``by`` every other group is compared with (e.g. ``"no follow"``).
    covariates, landmark_days, horizon_days, horizons_days, trim, n_boot, seed, as_of, upsell_kinds, currency
        As for :func:`~roi_kit.compare_segments` (landmark default 90).

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> res = rk.compare_groups(s.customers, s.deals, by="company_size", reference="small",
    ...                         covariates=(), n_boot=50)
    >>> res.groups
    ('large', 'mid')
    """
    from roi_kit.engine import as_frame, column_names
    from roi_kit.followers._prepare import prepare_population

    if covariates is None:
        cols = column_names(as_frame(customers, name="customers"))
        covariates = tuple(c for c in DEFAULT_COVARIATES if c in cols)
    pop = prepare_population(customers, deals, covariates=covariates, columns=(by,), as_of=as_of,
                             upsell_kinds=upsell_kinds)
    return compare_population_groups(pop, by, reference, landmark_days=landmark_days,
                                     horizon_days=horizon_days, horizons_days=horizons_days, trim=trim,
                                     n_boot=n_boot, seed=seed, currency=currency)
