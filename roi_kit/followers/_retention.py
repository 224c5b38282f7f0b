"""Retention by segment: Kaplan–Meier curves, log-rank test, horizons, median, RMST, cohorts.

:func:`retention_curves` turns a customers table into days-since-landmark durations inside the
caller's engine (pandas, polars, DuckDB, Spark), aggregates them to counts per
(group, acquisition month, day), and hands that small table to :mod:`roi_kit.survival`.

**Landmark.** Only customers still active ``landmark_days`` after acquisition and observed at
least that long are analysed; time is counted in days since that landmark day. This removes the
immortal-time bias of "ever followed" comparisons. ``landmark_days=0`` is the classic analysis
from acquisition.

**Days.** Durations are whole days: a churn 3.2 days after the landmark counts on day 4 (the
customer *was* still a customer on day 3); a customer last observed 3.2 days after the landmark is
censored on day 3 (observed for 3 full days). Date-only data gives exact day counts.

**Censoring.** A customer without ``churned_at`` (or churned after ``observed_until``) is
right-censored at ``observed_until``. Where ``observed_until`` is missing (column or values), the
``as_of`` date is used, or else the latest date in the data; the result's notes say which.

Examples
--------
>>> import pandas as pd
>>> customers = pd.DataFrame({
...     "customer_id": [1, 2, 3, 4, 5, 6],
...     "acquired_at": pd.to_datetime(["2024-01-01"] * 6),
...     "churned_at": pd.to_datetime(["2024-02-01", None, "2024-03-01", "2024-01-20", None, None]),
...     "observed_until": pd.to_datetime(["2024-12-31"] * 6),
...     "plan": ["pro", "pro", "pro", "basic", "basic", "basic"]})
>>> res = retention_curves(customers, by="plan", landmark_days=0, horizons_days=(90,))
>>> res.horizons[["group", "horizon_days", "retention"]]
  group  horizon_days  retention
0   pro            90   0.333333
1 basic            90   0.666667
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from roi_kit.errors import ConfigError, EmptyDataError, InputError
from roi_kit.followers._arrays import positions
from roi_kit.followers._definition import FollowerDefinition, Segments
from roi_kit.followers._groups import Grouping, LabelSource, resolve_landmark
from roi_kit.followers._retention_text import describe_retention
from roi_kit.results import ResultMixin
from roi_kit.survival import (
    CIMethod,
    LogRankResult,
    SurvivalTable,
    kaplan_meier_from_counts,
    logrank_from_counts,
)

if TYPE_CHECKING:
    import altair as alt

    from roi_kit.followers._population import Population

__all__ = ["RetentionResult", "retention_curves", "retention_from_population"]

CohortLayout = Literal["long", "wide"]
_MONTH_DAYS = 30.4375  # mean Gregorian month
CURVE_COLUMNS = ("group", "time_days", "at_risk", "events", "survival", "ci_low", "ci_high")


@dataclass(frozen=True, eq=False)
class RetentionResult(ResultMixin):
    """Retention compared across groups.

    Attributes
    ----------
    curves
        Kaplan–Meier curves, one row per group and day with an event or censoring, plus a first
        row at ``time_days = 0`` per group (everyone at risk, survival 1): ``group, time_days,
        at_risk, events, survival, ci_low, ci_high`` (weighted sums when weighted).
    logrank
        Log-rank test across all groups (``statistic`` χ², ``p_value``, ``df``); ``None`` with a
        single group.
    horizons
        ``group, horizon_days, customers, retention, ci_low, ci_high`` — share still customers
        that many days after the landmark (missing beyond a group's follow-up).
    differences
        ``group, reference, horizon_days, difference, ci_low, ci_high`` — retention of each group
        minus the reference group (normal interval from the two Greenwood standard errors).
    medians
        ``group, median_days, ci_low, ci_high`` (missing where the curve or band never reaches 50%).
    rmst
        ``group, tau_days, rmst_days, std_err, ci_low, ci_high`` — mean days retained within the
        first ``tau_days`` (the longest horizon) after the landmark.
    rmst_differences
        ``group, reference, tau_days, difference, ci_low, ci_high``.
    counts
        ``group, cohort, duration, events, removed`` (+ weighted sums) — the sufficient statistics.
    tables
        The :class:`~roi_kit.survival.SurvivalTable` of each group.

    Examples
    --------
    >>> import pandas as pd
    >>> import roi_kit as rk
    >>> c = pd.DataFrame({"customer_id": [1, 2, 3, 4], "g": ["a", "a", "b", "b"],
    ...     "acquired_at": pd.to_datetime(["2024-01-01"] * 4),
    ...     "churned_at": pd.to_datetime(["2024-03-01", None, "2024-02-01", None]),
    ...     "observed_until": pd.to_datetime(["2024-12-31"] * 4)})
    >>> res = rk.retention_curves(c, by="g", landmark_days=0, horizons_days=(30, 90))
    >>> res.groups, res.reference, res.logrank.df
    (('b', 'a'), 'a', 1)
    >>> print(res.summary().splitlines()[2])
    B: 50% still customers 90 days after acquisition (95% CI 1–91%) vs 50% (95% CI 1–91%) for a; b minus a: +0.0 percentage points (95% CI -98.0 to +98.0).
    """

    curves: pd.DataFrame
    logrank: LogRankResult | None
    horizons: pd.DataFrame
    differences: pd.DataFrame
    medians: pd.DataFrame
    rmst: pd.DataFrame
    rmst_differences: pd.DataFrame
    counts: pd.DataFrame
    tables: dict[str, SurvivalTable]
    groups: tuple[str, ...]
    reference: str
    landmark_days: int
    horizons_days: tuple[int, ...]
    conf_level: float
    weighted: bool
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """The curves: ``group, time_days, at_risk, events, survival, ci_low, ci_high``."""
        return self.curves.copy()

    def summary(self) -> str:
        """Retention, median lifetime, RMST and the log-rank test in plain words."""
        return describe_retention(self)

    def chart(self) -> alt.LayerChart:
        """Kaplan–Meier step curves with confidence bands, one colour per group."""
        from roi_kit.charts.retention import retention_chart

        return retention_chart(self)

    def cohorts(self, *, months: int = 12, layout: CohortLayout = "long") -> pd.DataFrame:
        """Monthly cohort retention: share of each acquisition-month cohort still customers.

        Months are counted from the landmark in 30.4375-day steps; each cell is the cohort's
        Kaplan–Meier estimate (equal to the plain share retained while the whole cohort is
        observed) and is missing beyond the cohort's follow-up.

        Parameters
        ----------
        months
            Last month shown.
        layout
            ``"long"``: ``group, cohort, customers, month, retention``; ``"wide"``: one row per
            group and cohort, one column per month.

        Examples
        --------
        >>> import pandas as pd
        >>> c = pd.DataFrame({"customer_id": [1, 2, 3], "plan": ["a", "a", "b"],
        ...     "acquired_at": pd.to_datetime(["2024-01-05", "2024-01-09", "2024-02-01"]),
        ...     "churned_at": pd.to_datetime(["2024-03-01", None, None]),
        ...     "observed_until": pd.to_datetime(["2024-06-30"] * 3)})
        >>> retention_curves(c, by="plan", landmark_days=0).cohorts(months=2, layout="wide")
        month group   cohort  customers    0    1    2
        0         a  2024-01          2  1.0  1.0  0.5
        1         b  2024-02          1  1.0  1.0  1.0
        """
        if layout not in ("long", "wide"):
            raise ConfigError(f"layout={layout!r} is not valid; use 'long' or 'wide'.",
                              hint="layout='long' gives a tidy table, 'wide' a cohort triangle.")
        rows = []
        weighted = "weighted_removed" in self.counts.columns
        grid = np.arange(int(months) + 1)
        for (group, cohort), c in self.counts.groupby(["group", "cohort"], sort=True):
            c = c.groupby("duration", as_index=False).sum(numeric_only=True).sort_values("duration")
            c = c[c["removed"] > 0]
            if c.empty:
                continue
            table = kaplan_meier_from_counts(c, conf_level=self.conf_level)
            values = [table.at(m * _MONTH_DAYS)[0] for m in grid]
            size = float(c["weighted_removed" if weighted else "removed"].sum())
            code = int(cohort)
            rows += [{"group": group, "cohort": f"{code // 100}-{code % 100:02d}",
                      "customers": size if weighted else int(size), "month": int(m),
                      "retention": np.nan if v is None else v} for m, v in zip(grid, values)]
        long = pd.DataFrame(rows, columns=["group", "cohort", "customers", "month", "retention"])
        if layout == "long":
            return long
        wide = long.pivot(index=["group", "cohort", "customers"], columns="month", values="retention")
        return wide.reset_index()


# --- statistics on the small table --------------------------------------------------------------


def _pick_reference(groups: Sequence[str], reference: str | None) -> str:
    if reference is not None:
        if reference not in groups:
            raise ConfigError(f"reference={reference!r} is not one of the groups: {', '.join(groups)}.",
                              hint="pick one of the group labels shown.")
        return reference
    return "non-followers" if "non-followers" in groups else groups[0]


def _curve_frame(group: str, t: SurvivalTable, weighted: bool) -> pd.DataFrame:
    frame = pd.DataFrame({"group": group, "time_days": t.time.astype(np.int64), "at_risk": t.at_risk,
                          "events": t.events, "survival": t.survival, "ci_low": t.ci_low,
                          "ci_high": t.ci_high})
    if t.time[0] > 0:
        first = pd.DataFrame({"group": [group], "time_days": [0], "at_risk": [t.at_risk[0]],
                              "events": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]})
        frame = pd.concat([first, frame], ignore_index=True)
    if not weighted:
        frame = frame.astype({"at_risk": "int64", "events": "int64"})
    return frame


def _diff_rows(values: dict[str, tuple[float | None, float | None]], reference: str, z: float,
               **keys: Any) -> list[dict[str, Any]]:
    """est ± z·sqrt(se1² + se0²) for each group against the reference."""
    ref_est, ref_se = values[reference]
    rows = []
    for g, (est, se) in values.items():
        if g == reference:
            continue
        ok = None not in (est, se, ref_est, ref_se)
        d = est - ref_est if ok else np.nan  # type: ignore[operator]
        half = z * float(np.hypot(se, ref_se)) if ok else np.nan  # type: ignore[arg-type]
        rows.append({"group": g, "reference": reference, **keys, "difference": d,
                     "ci_low": d - half, "ci_high": d + half})
    return rows


def retention_curves(
    customers: Any,
    *,
    by: FollowerDefinition | Segments | str | LabelSource,
    audience: Any | None = None,
    landmark_days: int | None = None,
    horizons_days: Sequence[int] = (90, 180, 365),
    conf_level: float = 0.95,
    weights: str | pd.DataFrame | None = None,
    as_of: Any = None,
    reference: str | None = None,
    ci: CIMethod = "log-log",
) -> RetentionResult:
    """Compare how long customers stay, by group, from a landmark day on.

    Parameters
    ----------
    customers
        Customers table (``customer_id, acquired_at, churned_at`` and ideally
        ``observed_until``) in any engine narwhals supports.
    by
        A follower definition (:func:`~roi_kit.define_followers`'s result, or a
        :class:`~roi_kit.FollowerDefinition` with ``audience=``); a column of ``customers`` whose
        values are the groups (any number, labelled as given; empty values are left out); or an
        object with ``labels(customers, *, landmark_days)`` returning ``customer_id, group``.
    audience
        Social audience, needed with a bare :class:`~roi_kit.FollowerDefinition`.
    landmark_days
        Analyse customers still active this many days after acquisition; count time from then.
        Default: the definition's landmark day (90 for a column). ``0`` gives the classic analysis
        from acquisition. The population is the one of :mod:`roi_kit.followers._population`.
    horizons_days
        Days after the landmark at which retention is reported; the longest is also the RMST
        horizon.
    conf_level
        Confidence level of every interval.
    weights
        Optional weights (e.g. inverse propensity weights): a column of ``customers`` or a frame
        with ``customer_id, weight``. Curves then use weighted counts (see :mod:`roi_kit.survival`).
    as_of
        Censoring date for customers without ``observed_until``; default: latest date in the data.
    reference
        Group the others are compared with; default ``"non-followers"`` if present, else the
        first label in sorted order.
    ci
        Pointwise interval method: ``"log-log"`` (default) or ``"linear"``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": [1, 2, 3, 4],
    ...     "acquired_at": pd.to_datetime(["2024-01-01"] * 4),
    ...     "churned_at": pd.to_datetime(["2024-06-01", None, "2024-05-01", None]),
    ...     "observed_until": pd.to_datetime(["2024-12-31"] * 4),
    ...     "follows": ["yes", "yes", "no", "no"]})
    >>> res = retention_curves(c, by="follows", horizons_days=(180,))
    >>> res.to_frame().columns.tolist()
    ['group', 'time_days', 'at_risk', 'events', 'survival', 'ci_low', 'ci_high']
    >>> res.differences[["group", "reference", "difference"]]
      group reference  difference
    0   yes        no         0.0
    """
    from roi_kit.followers._population import prepare_population

    if isinstance(by, Segments):
        audience = by.matched
    if isinstance(by, FollowerDefinition | Segments) and audience is None:
        raise ConfigError("a follower definition needs the social audience.",
                          hint="pass audience=social_audience_frame, or by=rk.define_followers(...).")
    columns = [c for c in (by, weights) if isinstance(c, str)]
    pop = prepare_population(customers, audience=audience, columns=columns, as_of=as_of)
    if not isinstance(by, FollowerDefinition | Segments | str):
        if not callable(getattr(by, "labels", None)):
            raise ConfigError(f"by={type(by).__name__} is not a way to form groups.",
                              hint="pass a column name, a FollowerDefinition or rk.define_followers(...).")
        big_l, _ = resolve_landmark(None, landmark_days)
        labels = by.labels(customers, landmark_days=big_l)
        if not {"customer_id", "group"} <= set(labels.columns):
            raise InputError(f"{type(by).__name__}.labels() returned columns {list(labels.columns)}.",
                             hint="labels() must return a frame with columns customer_id and group.")
        by = _per_customer(pop, labels["customer_id"], labels["group"], "group")
    return retention_from_population(pop, by, landmark_days=landmark_days, horizons_days=horizons_days,
                                     conf_level=conf_level, weights=weights, reference=reference, ci=ci)


def _per_customer(pop: Population, ids: pd.Series, values: pd.Series, name: str) -> pd.Series:
    """``values`` given per ``ids`` put in the population's customer order (missing: None)."""
    where = positions(pop.ids, ids.astype(pop.ids.dtype) if len(ids) else ids)
    out = np.full(pop.n_customers, None, dtype=object)
    found = where >= 0
    out[where[found]] = np.asarray(values, dtype=object)[found]
    return pd.Series(out, name=name)


def _weights(pop: Population, weights: str | pd.DataFrame | None) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        w = pd.to_numeric(pop.columns[weights], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    elif isinstance(weights, pd.DataFrame):
        if not {"customer_id", "weight"} <= set(weights.columns):
            raise InputError(f"weights has columns {list(weights.columns)}.",
                             hint="pass a column name of customers, or a frame with customer_id and weight.")
        w = pd.to_numeric(_per_customer(pop, weights["customer_id"], weights["weight"], "weight"),
                          errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        raise ConfigError(f"weights={type(weights).__name__} is not supported.",
                          hint="pass a column name of customers or a frame with customer_id and weight.")
    return w


def population_counts(pop: Population, g: Grouping, weights: np.ndarray | None) -> pd.DataFrame:
    """``group, cohort, duration, events, removed`` (+ weighted sums) of the landmark population."""
    lm = g.landmark
    keep = g.codes >= 0
    idx = lm.index[keep]
    frame = pd.DataFrame({"group": np.asarray(g.names, dtype=object)[g.codes[keep]],
                          "cohort": pop.cohort[idx], "duration": lm.days[keep],
                          "events": lm.event[keep].astype(np.int64), "removed": 1})
    if weights is not None:
        w = weights[idx]
        if np.isnan(w).any():
            raise InputError("some weights are missing.", hint="fill or drop customers without a weight.")
        frame = frame.assign(weighted_events=w * lm.event[keep], weighted_removed=w, weighted_removed_sq=w * w)
    counts = frame.groupby(["group", "cohort", "duration"], as_index=False, sort=True).sum()
    return counts.astype({"group": str})


def retention_from_population(
    pop: Population,
    by: Any,
    *,
    landmark_days: int | None = None,
    horizons_days: Sequence[int] = (90, 180, 365),
    conf_level: float = 0.95,
    weights: str | pd.DataFrame | None = None,
    reference: str | None = None,
    ci: CIMethod = "log-log",
) -> RetentionResult:
    """:func:`retention_curves` on a prepared population (``Population.retention``)."""
    horizons = tuple(int(h) for h in horizons_days)
    if not horizons or min(horizons) <= 0:
        raise ConfigError(f"horizons_days={horizons_days!r} must be one or more positive day counts.",
                          hint="use e.g. horizons_days=(90, 180, 365).")
    if not 0 < conf_level < 1:
        raise ConfigError(f"conf_level={conf_level!r} must lie strictly between 0 and 1.",
                          hint="use e.g. conf_level=0.95.")
    g = pop.grouping(by, landmark_days=landmark_days, two_groups=False)
    landmark_days = g.landmark.landmark_days
    counts = population_counts(pop, g, _weights(pop, weights))
    notes = pop.notes(landmark_days)
    notes.insert(1, g.landmark_note)
    if g.unlabelled:
        notes.append(f"{g.unlabelled:,} customers without a group label were left out.")
    if counts.empty:
        raise EmptyDataError(
            f"no customer was active and observed at day {landmark_days} after acquisition.",
            hint="lower landmark_days, or check acquired_at / churned_at / observed_until.")
    weighted = "weighted_removed" in counts.columns
    per_day = counts.drop(columns="cohort").groupby(["group", "duration"], as_index=False).sum()
    groups = tuple(sorted(per_day["group"].unique()))
    ref = _pick_reference(groups, reference)
    order = (*[g for g in groups if g != ref], ref)
    tables = {g: kaplan_meier_from_counts(per_day[per_day["group"] == g], conf_level=conf_level, ci=ci)
              for g in order}
    sizes = {g: float(per_day.loc[per_day["group"] == g, "weighted_removed" if weighted else "removed"].sum())
             for g in order}
    z = float(special.ndtri(0.5 + conf_level / 2))
    curves = pd.concat([_curve_frame(g, tables[g], weighted) for g in order], ignore_index=True)
    hz_rows, diff_rows, med_rows, rmst_rows, rmst_diff = [], [], [], [], []
    tau = max(horizons)
    rmst_vals: dict[str, tuple[float | None, float | None]] = {}
    for h in horizons:
        surv: dict[str, tuple[float | None, float | None]] = {}
        for g in order:
            s, lo, hi = tables[g].at(h)
            i = int(np.searchsorted(tables[g].time, h, side="right")) - 1
            se = None if s is None else (0.0 if i < 0 else float(tables[g].std_err[i]))
            surv[g] = (s, se)
            hz_rows.append({"group": g, "horizon_days": h, "customers": sizes[g],
                            "retention": np.nan if s is None else s,
                            "ci_low": np.nan if lo is None else lo, "ci_high": np.nan if hi is None else hi})
        diff_rows += _diff_rows(surv, ref, z, horizon_days=h)
    for g in order:
        m, lo, hi = tables[g].median()
        med_rows.append({"group": g, "median_days": m, "ci_low": lo, "ci_high": hi})
        est, se = tables[g].rmst(tau)
        rmst_vals[g] = (est, se)
        half = z * se if se is not None else np.nan
        rmst_rows.append({"group": g, "tau_days": tau, "rmst_days": est, "std_err": se,
                          "ci_low": est - half if est is not None else np.nan,
                          "ci_high": est + half if est is not None else np.nan})
    rmst_diff = _diff_rows(rmst_vals, ref, z, tau_days=tau)
    logrank = logrank_from_counts(per_day) if len(order) > 1 else None
    if weighted:
        notes.append("Curves use the given weights (weighted counts, Xie–Liu weighted Greenwood "
                     "variance); the log-rank p-value is approximate under weighting.")

    hz = pd.DataFrame(hz_rows, columns=["group", "horizon_days", "customers", "retention", "ci_low", "ci_high"])
    if not weighted:
        hz["customers"] = hz["customers"].astype("int64")
    diff_cols = ["group", "reference", "horizon_days", "difference", "ci_low", "ci_high"]
    return RetentionResult(
        curves=curves[list(CURVE_COLUMNS)], logrank=logrank, horizons=hz,
        differences=pd.DataFrame(diff_rows, columns=diff_cols),
        medians=pd.DataFrame(med_rows, columns=["group", "median_days", "ci_low", "ci_high"]).astype(
            {"median_days": float, "ci_low": float, "ci_high": float}),
        rmst=pd.DataFrame(rmst_rows, columns=["group", "tau_days", "rmst_days", "std_err", "ci_low", "ci_high"]).astype(
            {"rmst_days": float, "std_err": float}),
        rmst_differences=pd.DataFrame(rmst_diff, columns=["group", "reference", "tau_days", "difference", "ci_low", "ci_high"]),
        counts=counts, tables=tables, groups=order, reference=ref, landmark_days=int(landmark_days),
        horizons_days=horizons, conf_level=conf_level, weighted=weighted, notes=tuple(notes),
    )
