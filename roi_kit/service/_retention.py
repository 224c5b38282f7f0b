"""Do served complainers stay? Retention of customers who complained on social, by service experience.

Method
------
* **Who.** Customers with at least one care case (``customer_id`` in both tables). Cases without
  a customer id, and ids not in ``customers``, are counted in the notes, not compared.
* **When (landmark).** The clock starts ``landmark_days`` after a customer's first case. A customer
  is *served* when one of their cases was answered (``served="answered"``) or resolved
  (``served="resolved"``, default) by then; otherwise *not served*. Customers who churned or left
  the data before the landmark are left out. Without the landmark, customers who churn at once
  would have had no time to be served and would make service look better than it is (immortal
  time bias) — the same rule as the follower comparison.
* **Retention.** Kaplan–Meier per group (:func:`roi_kit.survival.survival_by_group`), days from the
  landmark to ``churned_at`` (rounded up) or to the end of observation (``observed_until``, else
  ``as_of``, else the latest date in either table; rounded down), the log-rank test, and retention
  at each horizon with its interval. The difference served − not served carries a normal
  interval from the two Greenwood standard errors.
* **Reading.** Association, not proof of cause: customers whose problem could be solved may differ
  from those whose problem could not.

Examples
--------
>>> import pandas as pd
>>> t = pd.to_datetime
>>> customers = pd.DataFrame({"customer_id": ["1", "2", "3", "4"],
...     "acquired_at": t(["2023-01-01"] * 4),
...     "churned_at": t([None, "2024-03-01", "2024-02-01", None]),
...     "observed_until": t(["2024-12-31"] * 4)})
>>> cases = pd.DataFrame({"interaction_id": ["a", "b", "c", "d"], "platform": ["x"] * 4,
...     "customer_id": ["1", "2", "3", "4"], "opened_at": t(["2024-01-01"] * 4),
...     "resolved_at": t(["2024-01-02", "2024-01-03", None, None])})
>>> r = service_retention(customers, cases, horizons_days=(90,))
>>> r.to_frame()[["group", "horizon_days", "value"]].values.tolist()
[['served', 90, 0.5], ['not served', 90, 0.5], ['difference', 90, 0.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import special

from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.epoch import seconds_of
from roi_kit.errors import ConfigError, EmptyDataError
from roi_kit.service._prepare import _time, with_times
from roi_kit.service._retention_result import GROUPS, ServiceRetention
from roi_kit.survival import survival_by_group

__all__ = ["Served", "service_retention"]

Served = Literal["answered", "resolved"]
_DAY = 86_400.0


def _complainers(interactions: Any, served: Served) -> tuple[pd.DataFrame, int]:
    """One row per customer with a case: first case and first service time (seconds)."""
    f = as_frame(interactions, name="interactions")
    require_columns(f, ["customer_id", "opened_at"], name="interactions")
    names = column_names(f)
    base = with_times(f, ["opened_at", "first_response_at", "resolved_at"])
    base = base.with_columns(nw.col("_s_opened_at").alias("_o"))
    if served == "answered":
        when = _time(names, "first_response_at", "first_response_minutes")
    else:
        when = _time(names, "resolved_at", "resolution_minutes")
        if "resolved" in names:  # a case flagged unresolved does not count, whatever its time
            when = nw.when(nw.col("resolved").cast(nw.Boolean).fill_null(True)).then(when)
    base = base.with_columns(when.alias("_s"), nw.col("customer_id").cast(nw.String).alias("_c"))
    no_id = int(to_pandas(base.select(nw.col("_c").is_null().cast(nw.Int64).sum())).iloc[0, 0])
    per = to_pandas(base.filter(~nw.col("_c").is_null()).group_by("_c").agg(
        nw.col("_o").min().alias("first"), nw.col("_s").min().alias("served_at"),
        nw.col("_o").max().alias("last_open"), nw.col("_s").max().alias("last_served")))
    return per.rename(columns={"_c": "customer_id"}), no_id


def _customer_seconds(customers: Any) -> pd.DataFrame:
    f = as_frame(customers, name="customers")
    require_columns(f, ["customer_id", "churned_at"], name="customers")
    has_obs = "observed_until" in column_names(f)
    cols = ["churned_at", *(["observed_until"] if has_obs else [])]
    out = to_pandas(with_times(f, cols, table="customers", loader="rk.load_customers(...)").select(nw.col("customer_id").cast(nw.String),
                                               *[nw.col(f"_s_{c}").alias(c) for c in cols]))
    if not has_obs:
        out["observed_until"] = np.nan
    return out


def service_retention(
    customers: Any,
    interactions: Any,
    *,
    served: Served = "resolved",
    landmark_days: int = 7,
    horizons_days: Sequence[int] = (90, 180, 365),
    as_of: Any = None,
    conf_level: float = 0.95,
) -> ServiceRetention:
    """Retention of customers who complained on social: served vs not served (see module docs).

    Parameters
    ----------
    customers
        The customers table (``customer_id``, ``churned_at``, optional ``observed_until``).
    interactions
        The ``service_interactions`` table with ``customer_id``.
    served
        ``"resolved"`` (default): a case resolved by the landmark; ``"answered"``: answered by then.
    landmark_days
        Days after the first case at which service is judged and the clock starts.
    horizons_days
        Days after the landmark at which retention is compared.
    as_of
        End of observation for customers without ``observed_until``.
    conf_level
        Confidence level of the intervals.

    Returns
    -------
    ServiceRetention

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.to_datetime
    >>> customers = pd.DataFrame({"customer_id": ["1", "2"], "churned_at": t([None, "2024-02-01"])})
    >>> cases = pd.DataFrame({"interaction_id": ["a", "b"], "platform": ["x", "x"],
    ...     "customer_id": ["1", "2"], "opened_at": t(["2024-01-01"] * 2),
    ...     "resolved_at": t(["2024-01-02", None])})
    >>> service_retention(customers, cases, as_of="2024-06-30").counts
    {'served': 1, 'not served': 1}
    """
    if served not in ("answered", "resolved"):
        raise ConfigError(f"served={served!r} is not an option.", hint="use 'resolved' or 'answered'.")
    if landmark_days < 0 or not 0.0 < conf_level < 1.0:
        raise ConfigError(f"landmark_days={landmark_days!r} / conf_level={conf_level!r} out of range.",
                          hint="use landmark_days >= 0 and 0 < conf_level < 1.")
    per, no_id = _complainers(interactions, served)
    cust = _customer_seconds(customers)
    merged = per.merge(cust, on="customer_id", how="inner")
    notes = []
    if no_id:
        notes.append(f"{no_id:,} case(s) have no customer_id and are not compared.")
    unmatched = len(per) - len(merged)
    if unmatched:
        notes.append(f"{unmatched:,} complaining customer id(s) are not in customers; left out.")
    if as_of is not None:
        end = seconds_of(as_of)
    else:
        end = float(np.nanmax(merged[["last_open", "last_served", "churned_at"]].to_numpy(dtype=float),
                              initial=-np.inf))
    obs = merged["observed_until"].fillna(end).to_numpy(dtype=float)
    start = merged["first"].to_numpy(dtype=float) + landmark_days * _DAY
    churn = merged["churned_at"].to_numpy(dtype=float)
    keep = (np.isnan(churn) | (churn > start)) & (obs >= start)
    if not keep.any():
        raise EmptyDataError("no complaining customer was still a customer at the landmark.",
                             hint="check that the ids match, or use a smaller landmark_days.")
    excluded = int((~keep).sum())
    if excluded:
        notes.append(f"{excluded:,} customer(s) churned or left the data within {landmark_days} days "
                     "of their first case; left out.")
    served_at = merged["served_at"].to_numpy(dtype=float)
    group = np.where(served_at <= start, GROUPS[0], GROUPS[1])[keep]
    event = (~np.isnan(churn) & (churn <= obs))[keep]
    days = (np.where(event, churn[keep], obs[keep]) - start[keep]) / _DAY
    days = np.where(event, np.ceil(days), np.floor(days)).astype(np.int64)
    curves, test = survival_by_group(days, event, group, conf_level=conf_level)
    return ServiceRetention(
        curves=curves, logrank=test, horizons_days=tuple(int(h) for h in horizons_days),
        counts={g: int((group == g).sum()) for g in GROUPS}, served=served,
        landmark_days=landmark_days, z=float(special.ndtri(0.5 + conf_level / 2)),
        conf_level=conf_level, notes=tuple(notes))
