"""Customer lifetime value per segment for subscriptions: months active up to a horizon × revenue.

For each group of the one landmark population (:mod:`roi_kit.followers._population`):

* **months active** = restricted mean survival time of the Kaplan–Meier curve up to the horizon
  (``horizon_months`` × 30.4375 days), counted from the landmark — the months a customer still
  active at the landmark stays within the horizon, censoring respected. Its standard error is
  the delta-method (Greenwood) one of :meth:`roi_kit.survival.SurvivalTable.rmst`.
* **revenue per month** = mean ``mrr`` of the group's members (standard error ``sd / √n``), or
  ``revenue_per_account_month`` when given (then taken as known).
* **CLV** = months active × revenue per month; interval by the delta method,
  ``se² = (m·se_r)² + (r·se_m)²`` (the two estimates come from the same customers; their
  covariance is ignored, so read the interval as approximate).
* **difference** against the reference group (non-followers by default for a follower
  grouping; name ``reference=`` for a column): the groups are independent, so
  ``se_diff = √(se₁² + se₀²)``.

A horizon beyond a group's follow-up is not extrapolated: the figure is left out and the summary
says up to when the data reach.

Examples
--------
>>> import pandas as pd, roi_kit as rk
>>> c = pd.DataFrame({"customer_id": list("abcdef"), "acquired_at": pd.to_datetime(["2024-01-01"] * 6),
...     "churned_at": pd.to_datetime(["2024-03-02", "2024-05-02", None, "2024-02-01", None, None]),
...     "observed_until": pd.to_datetime(["2025-02-04"] * 6), "mrr": [100.0] * 6,
...     "fan": [True, True, True, False, False, False]})
>>> v = rk.customer_lifetime_value(c, by="fan", horizon_months=6, landmark_days=0)
>>> round(float(v.to_frame().set_index("group").loc["followers", "clv"]), 2)  # 121.875 / 30.4375 × 100
400.41
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from roi_kit.errors import ConfigError
from roi_kit.followers._definition import NON_FOLLOWERS, FollowerDefinition
from roi_kit.followers._effects import z_value
from roi_kit.followers._landmark import UNIT_DAYS
from roi_kit.followers._lifetime_value_result import GroupValue, LifetimeValue
from roi_kit.followers._prepare import prepare_population
from roi_kit.followers._repeat_value import group_values, rfm
from roi_kit.followers._segments import Segments
from roi_kit.followers._value import DAYS_PER_MONTH
from roi_kit.survival import kaplan_meier

__all__ = ["customer_lifetime_value"]

ALL = "all customers"


def _group_value(name: str, days: np.ndarray, event: np.ndarray, mrr: np.ndarray | None,
                 known_rev: float | None, tau: float, step_days: float, conf_level: float) -> GroupValue:
    n = int(days.size)
    if n == 0:
        return GroupValue(name, 0, None, None, None, None, "no customer in this group at the landmark.")
    km = kaplan_meier(days, event, conf_level=conf_level)
    r, r_se = km.rmst(tau)
    if known_rev is not None:
        rev, rev_se = known_rev, 0.0
    else:
        vals = mrr[np.isfinite(mrr)] if mrr is not None else np.array([])
        if vals.size == 0:
            return GroupValue(name, n, None if r is None else r * step_days / DAYS_PER_MONTH, None, None, None,
                              "no revenue per account: give the customers an mrr column or pass "
                              "revenue_per_account_month=.")
        rev = float(vals.mean())
        rev_se = float(vals.std(ddof=1) / math.sqrt(vals.size)) if vals.size > 1 else 0.0
    if r is None or r_se is None:
        reach = km.followed_up_to * step_days / DAYS_PER_MONTH
        return GroupValue(name, n, None, None, rev, rev_se,
                          f"the data follow this group for {reach:.1f} months after the landmark, less than "
                          "the horizon; use a shorter horizon_months (no extrapolation).")
    months, months_se = r * step_days / DAYS_PER_MONTH, r_se * step_days / DAYS_PER_MONTH
    return GroupValue(name, n, months, months_se, rev, rev_se, "")


def _repeat(customers: Any, transactions: Any, *, by: Any, audience: Any, followers: Any, reference: str | None,
            horizon_months: float, landmark_days: int | None, as_of: Any, time: str, conf_level: float,
            currency: str) -> LifetimeValue:
    data = rfm(transactions, time=time, as_of=as_of)
    notes = []
    if by is None:
        names: tuple[str, ...] = (ALL,)
        codes = np.zeros(len(data), dtype=np.int64)
        describe = "all customers with a purchase"
    else:
        pop = prepare_population(customers, audience=audience if not isinstance(by, Segments) else by.matched,
                                 columns=(by,) if isinstance(by, str) else (), as_of=as_of)
        labels = pop.labels(by, landmark_days=landmark_days, followers=followers)
        group = data["customer_id"].map(dict(zip(labels["customer_id"].astype(str), labels["group"], strict=True)))
        names = tuple(sorted(group.dropna().unique(), key=str))
        codes = np.array([names.index(g) if isinstance(g, str) else -1 for g in group], dtype=np.int64)
        describe = pop.grouping(by, landmark_days=landmark_days, followers=followers, two_groups=False).describe
        left = int((codes < 0).sum())
        if left:
            notes.append(f"{left:,} buying customer(s) are not in the population at the landmark (or not in "
                         "customers); they help fit the models but belong to no group.")
    values, said = group_values(data, codes, names, horizon_months * DAYS_PER_MONTH)
    if reference is None and NON_FOLLOWERS in names and len(names) == 2:
        reference = NON_FOLLOWERS
    if reference is not None and reference not in names:
        raise ConfigError(f"reference={reference!r} is not one of the groups: {', '.join(names)}.",
                          hint="pick one of the group labels shown.")
    return LifetimeValue(values, reference, float(horizon_months), describe, (said, *notes), z_value(conf_level),
                         conf_level, currency, model="repeat_purchase")


def customer_lifetime_value(
    customers: Any,
    *,
    by: FollowerDefinition | Segments | str | None = None,
    audience: Any | None = None,
    followers: Any = None,
    reference: str | None = None,
    horizon_months: float = 36,
    landmark_days: int | None = None,
    revenue_per_account_month: float | None = None,
    as_of: Any = None,
    transactions: Any = None,
    time: str = "closed_at",
    conf_level: float = 0.95,
    currency: str = "USD",
) -> LifetimeValue:
    """Lifetime value per segment of subscription customers, with intervals (see module docs).

    Parameters
    ----------
    customers
        ``customer_id, acquired_at, churned_at`` (``observed_until``, ``mrr``), any engine.
    by
        None (all customers), a follower definition (with ``audience=``), a bool/0-1 column, a
        two-valued column with ``followers=``, or any column (per-group values; differences
        against ``reference=``).
    audience
        The social audience for a bare :class:`~roi_kit.FollowerDefinition`.
    followers, reference
        The follower value of a two-valued column; the group the others are compared with.
    horizon_months
        Months after the landmark that the value counts.
    landmark_days
        Day after acquisition from which value is counted (the definition's, 90 for a column,
        0 without ``by``).
    revenue_per_account_month
        Known monthly revenue per account; default the group's mean ``mrr``.
    as_of
        End of observation for customers without ``observed_until`` (and of the transactions).
    transactions
        Repeat-purchase shops: the purchases (``customer_id``, ``time``, ``amount``; won rows
        only when there is a ``status``) — e.g. the won deals. The value is then BG/NBD expected
        purchases × Gamma-Gamma spend within the horizon (:mod:`roi_kit.followers._repeat_value`),
        and ``customers`` only supplies the groups.
    time
        The purchase time column of ``transactions``.
    conf_level
        Confidence level of the intervals.
    currency
        Currency code for the words.

    Returns
    -------
    LifetimeValue
        ``summary()``, ``to_frame()`` (one row per group), ``differences()``, ``chart()``.

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> v = rk.customer_lifetime_value(s.customers, horizon_months=12)
    >>> v.to_frame()["group"].tolist()
    ['all customers']
    """
    if horizon_months <= 0 or not 0.0 < conf_level < 1.0:
        raise ConfigError(f"horizon_months={horizon_months!r} / conf_level={conf_level!r} out of range.",
                          hint="use horizon_months > 0 (e.g. 36) and 0 < conf_level < 1.")
    if revenue_per_account_month is not None and not revenue_per_account_month >= 0:
        raise ConfigError(f"revenue_per_account_month={revenue_per_account_month!r} must be >= 0.",
                          hint="pass the monthly revenue per account, or leave it out to use mrr.")
    if transactions is not None:
        return _repeat(customers, transactions, by=by, audience=audience, followers=followers,
                       reference=reference, horizon_months=horizon_months, landmark_days=landmark_days,
                       as_of=as_of, time=time, conf_level=conf_level, currency=currency)
    pop = prepare_population(customers, audience=audience if not isinstance(by, Segments) else by.matched,
                             columns=(by,) if isinstance(by, str) else (), as_of=as_of)
    names: tuple[str, ...]
    if by is None:
        big_l = 0 if landmark_days is None else int(landmark_days)
        lm = pop.landmark(big_l)
        codes, names = np.zeros(lm.n, dtype=np.int64), (ALL,)
        describe, note = "all customers", f"Value counted from day {big_l} after acquisition."
    else:
        g = pop.grouping(by, landmark_days=landmark_days, followers=followers, two_groups=False)
        lm, codes, names, describe, note = g.landmark, g.codes, g.names, g.describe, g.landmark_note
    if reference is None and NON_FOLLOWERS in names and len(names) == 2:
        reference = NON_FOLLOWERS
    if reference is not None and reference not in names:
        raise ConfigError(f"reference={reference!r} is not one of the groups: {', '.join(names)}.",
                          hint="pick one of the group labels shown.")
    step = UNIT_DAYS[pop.time_unit]
    tau = horizon_months * DAYS_PER_MONTH / step
    mrr = None if pop.mrr is None else pop.mrr[lm.index]
    values = tuple(_group_value(name, lm.days[codes == k], lm.event[codes == k],
                                None if mrr is None else mrr[codes == k], revenue_per_account_month,
                                tau, step, conf_level)
                   for k, name in enumerate(names))
    return LifetimeValue(values, reference, float(horizon_months), describe,
                         (note, *pop.notes(lm.landmark_days)), z_value(conf_level), conf_level, currency)
