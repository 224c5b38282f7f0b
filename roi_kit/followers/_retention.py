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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import special

from roi_kit.errors import ConfigError, EmptyDataError, InputError
from roi_kit.followers._definition import FollowerDefinition
from roi_kit.followers._groups import LabelSource, resolve_landmark
from roi_kit.followers._landmark import TimeUnit
from roi_kit.followers._retention_counts import (
    per_customer,
    per_day,
    population_counts,
    weights_array,
)
from roi_kit.followers._retention_result import CURVE_COLUMNS, RetentionResult, table_of_rows
from roi_kit.followers._segments import Segments
from roi_kit.survival import (
    CIMethod,
    SurvivalTable,
    kaplan_meier_from_counts,
    logrank_from_counts,
)

if TYPE_CHECKING:

    from roi_kit.followers._population import Population

__all__ = ["RetentionResult", "retention_curves", "retention_from_population"]


# --- statistics on the small table --------------------------------------------------------------


def _pick_reference(groups: Sequence[str], reference: str | None) -> str:
    if reference is not None:
        if reference not in groups:
            raise ConfigError(f"reference={reference!r} is not one of the groups: {', '.join(groups)}.",
                              hint="pick one of the group labels shown.")
        return reference
    return "non-followers" if "non-followers" in groups else groups[0]


def _curve_frames(order: Sequence[str], tables: dict[str, SurvivalTable], weighted: bool) -> pd.DataFrame:
    """The curves of every group, one below the other; a group whose first time is after day 0
    starts with a day-0 row (everyone at risk, survival 1)."""
    columns: dict[str, list[np.ndarray]] = {c: [] for c in CURVE_COLUMNS[1:]}
    sizes = []
    for g in order:
        t = tables[g]
        lead = bool(t.time[0] > 0)
        for col, values, first in (("time_days", t.time.astype(np.int64), 0), ("at_risk", t.at_risk, t.at_risk[0]),
                                   ("events", t.events, 0.0), ("survival", t.survival, 1.0),
                                   ("ci_low", t.ci_low, 1.0), ("ci_high", t.ci_high, 1.0)):
            columns[col].append(np.concatenate(([first], values)) if lead else values)
        sizes.append(t.time.size + lead)
    frame = {c: np.concatenate(v) for c, v in columns.items()}
    if not weighted:
        frame["at_risk"], frame["events"] = frame["at_risk"].astype("int64"), frame["events"].astype("int64")
    return pd.DataFrame({"group": np.repeat(np.asarray(order, dtype=object), sizes), **frame})


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
    duration: str | None = None,
    event: str | None = None,
    time_unit: TimeUnit = "days",
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
    duration, event, time_unit
        Durations without dates: a tenure column, a churned flag (bool / 0-1) and the unit of the
        tenure (``"days"``, ``"weeks"``, ``"months"``); horizons, landmark and every label are then
        in that unit, and the landmark defaults to 0 (see :func:`~roi_kit.prepare_population`).

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
    from roi_kit.followers._prepare import prepare_population

    if isinstance(by, Segments):
        audience = by.matched
    if isinstance(by, FollowerDefinition | Segments) and audience is None:
        raise ConfigError("a follower definition needs the social audience.",
                          hint="pass audience=social_audience_frame, or by=rk.define_followers(...).")
    columns = [c for c in (by, weights) if isinstance(c, str)]
    pop = prepare_population(customers, audience=audience, columns=columns, as_of=as_of,
                             duration=duration, event=event, time_unit=time_unit)
    if not isinstance(by, FollowerDefinition | Segments | str):
        if not callable(getattr(by, "labels", None)):
            raise ConfigError(f"by={type(by).__name__} is not a way to form groups.",
                              hint="pass a column name, a FollowerDefinition or rk.define_followers(...).")
        big_l, _ = resolve_landmark(None, landmark_days)
        labels = by.labels(customers, landmark_days=big_l)
        if not {"customer_id", "group"} <= set(labels.columns):
            raise InputError(f"{type(by).__name__}.labels() returned columns {list(labels.columns)}.",
                             hint="labels() must return a frame with columns customer_id and group.")
        by = per_customer(pop, labels["customer_id"], labels["group"], "group")
    return retention_from_population(pop, by, landmark_days=landmark_days, horizons_days=horizons_days,
                                     conf_level=conf_level, weights=weights, reference=reference, ci=ci)


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
    grouping = pop.grouping(by, landmark_days=landmark_days, two_groups=False)
    landmark_days = grouping.landmark.landmark_days
    counts = population_counts(pop, grouping, weights_array(pop, weights))
    notes = pop.notes(landmark_days)
    notes.insert(1, grouping.landmark_note)
    if grouping.unlabelled:
        notes.append(f"{grouping.unlabelled:,} customers without a group label were left out.")
    if counts.empty:
        raise EmptyDataError(
            f"no customer was active and observed at day {landmark_days} after acquisition.",
            hint="lower landmark_days, or check acquired_at / churned_at / observed_until.")
    weighted = "weighted_removed" in counts.columns
    table, parts = per_day(counts)
    groups = tuple(sorted(parts))
    ref = _pick_reference(groups, reference)
    order = (*[g for g in groups if g != ref], ref)
    tables = {g: kaplan_meier_from_counts(parts[g], conf_level=conf_level, ci=ci) for g in order}
    sizes = {g: float(parts[g]["weighted_removed" if weighted else "removed"].sum()) for g in order}
    z = float(special.ndtri(0.5 + conf_level / 2))
    curves = _curve_frames(order, tables, weighted)
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
    logrank = logrank_from_counts(table) if len(order) > 1 else None
    if weighted:
        notes.append("Curves use the given weights (weighted counts, Xie–Liu weighted Greenwood "
                     "variance); the log-rank p-value is approximate under weighting.")

    hz = table_of_rows(hz_rows, ["group", "horizon_days", "customers", "retention", "ci_low", "ci_high"],
                ints=() if weighted else ("customers",))
    diff_cols = ["group", "reference", "horizon_days", "difference", "ci_low", "ci_high"]
    return RetentionResult(
        curves=curves, logrank=logrank, horizons=hz, differences=table_of_rows(diff_rows, diff_cols),
        medians=table_of_rows(med_rows, ["group", "median_days", "ci_low", "ci_high"],
                       floats=("median_days", "ci_low", "ci_high")),
        rmst=table_of_rows(rmst_rows, ["group", "tau_days", "rmst_days", "std_err", "ci_low", "ci_high"],
                    floats=("rmst_days", "std_err")),
        rmst_differences=table_of_rows(rmst_diff, ["group", "reference", "tau_days", "difference", "ci_low", "ci_high"]),
        counts=counts, tables=tables, groups=order, reference=ref, landmark_days=int(landmark_days),
        horizons_days=horizons, conf_level=conf_level, weighted=weighted, notes=tuple(notes),
        time_unit=pop.time_unit, durations=pop.durations,
    )
