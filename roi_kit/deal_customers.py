"""A customers table derived from deals, for CRMs that export no customers (accounts) table.

Rules, each stated in the result's summary with its counts:

* a **customer** is an account (``customer_id``) with at least one won deal; accounts with only
  open or lost deals are prospects and are left out (counted);
* **acquired_at** is the close date of the customer's first won deal (its creation date when the
  won deal has no close date, counted);
* **last activity** is the latest creation date of any of the customer's deals, or close date of a
  won or lost deal (an open deal's close date is only the expected one and is not used);
* **churn is unknown** unless ``churn_after_days`` says how to read it: then a customer without
  deal activity for more than that many days before the end of the data (``as_of``, default the
  latest deal date) is churned ``churn_after_days`` after the last activity (a renewal cycle: with
  yearly contracts, 365 days after the last renewal);
* **observed_until** is the last activity when churn is unknown (nothing is known about the
  customer after it), else the end of the data;
* **acquisition_channel** is the ``source`` of the first won deal, when deals have one.

The output is a canonical customers frame (``customer_id, acquired_at, churned_at,
observed_until[, acquisition_channel]``) for :func:`roi_kit.retention_curves`,
:func:`roi_kit.prepare_population` and :func:`roi_kit.compare_segments`.

Examples
--------
>>> import pandas as pd
>>> deals = pd.DataFrame({
...     "deal_id": ["d1", "d2", "d3", "d4"], "customer_id": ["a", "a", "b", "c"],
...     "created_at": pd.to_datetime(["2024-01-01", "2024-06-01", "2024-02-01", "2024-03-01"]),
...     "closed_at": pd.to_datetime(["2024-01-20", "2024-06-10", "2024-02-15", None]),
...     "status": ["won", "won", "won", "open"], "amount": [100.0, 50.0, 80.0, None]})
>>> customers, result = customers_from_deals(deals)
>>> customers[["customer_id", "acquired_at", "observed_until"]].astype(str).values.tolist()
[['a', '2024-01-20', '2024-06-10'], ['b', '2024-02-15', '2024-02-15']]
>>> result.prospects, customers["churned_at"].isna().all()
(1, np.True_)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pandas as pd

from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.errors import ConfigError
from roi_kit.results import ResultMixin

__all__ = ["DealCustomers", "customers_from_deals"]


@dataclass(frozen=True, eq=False)
class DealCustomers(ResultMixin):
    """Customers derived from deals, and the assumptions that made them.

    Unpacks into ``(frame, result)`` like a loader's :class:`~roi_kit.io.Loaded`.

    Attributes
    ----------
    frame
        The canonical customers frame (pandas): ``customer_id, acquired_at, churned_at,
        observed_until`` and ``acquisition_channel`` when the deals have a ``source``.
    accounts, prospects
        Accounts seen in the deals, and those without a won deal (left out).
    churned
        Customers marked churned (0 when churn is unknown).
    assumptions
        One sentence per rule applied, with its counts (also in :meth:`summary`).

    Examples
    --------
    >>> import pandas as pd
    >>> res = customers_from_deals(pd.DataFrame({"customer_id": ["a", "b"],
    ...     "status": ["won", "lost"], "created_at": pd.to_datetime(["2024-01-01", "2024-01-02"])}))
    >>> print(res.summary().splitlines()[0])
    1 customers derived from the deals of 2 accounts (1 without a won deal are prospects, left out).
    """

    frame: pd.DataFrame
    accounts: int
    prospects: int
    churned: int
    assumptions: tuple[str, ...]

    def __iter__(self) -> Iterator[Any]:
        yield self.frame
        yield self

    def summary(self) -> str:
        """The customers made, and every assumption behind them, in words."""
        head = (f"{len(self.frame):,} customers derived from the deals of {self.accounts:,} "
                f"accounts ({self.prospects:,} without a won deal are prospects, left out).")
        return "\n".join([head, *(f"Assumption: {a}" for a in self.assumptions)])

    def to_frame(self) -> pd.DataFrame:
        """The customers frame (a copy)."""
        return self.frame.copy()


def _per_account(deals: Any) -> pd.DataFrame:
    """One row per account: first won date (and its source), last activity, counts."""
    d = as_frame(deals, name="deals")
    require_columns(d, ["customer_id", "created_at", "status"], name="deals")
    cols = column_names(d)
    status = nw.col("status").cast(nw.String).str.to_lowercase()
    closed = (nw.col("closed_at") if "closed_at" in cols
              else nw.lit(None, nw.Datetime("us"))).cast(nw.Datetime("us"))
    created = nw.col("created_at").cast(nw.Datetime("us"))
    won = status == "won"
    done = nw.when(status.is_in(["won", "lost"])).then(closed)  # open: close date is expected
    source = nw.col("source").cast(nw.String) if "source" in cols else nw.lit(None, nw.String)
    narrow = d.filter(~nw.col("customer_id").is_null()).select(
        nw.col("customer_id").cast(nw.String).alias("customer_id"),
        nw.when(won).then(nw.coalesce(closed, created)).alias("won_at"),
        (won & closed.is_null()).alias("won_undated"),
        nw.max_horizontal(created, done).alias("active_at"),
        source.alias("source"))
    return to_pandas(narrow)


def customers_from_deals(deals: Any, *, churn_after_days: float | None = None,
                         as_of: Any = None) -> DealCustomers:
    """Derive the customers table from deals (first won deal = acquisition).

    Parameters
    ----------
    deals
        Canonical deals (``customer_id, created_at, status``; ``closed_at`` and ``source`` used
        when present) in any engine narwhals supports, e.g. from :func:`roi_kit.load_deals`.
    churn_after_days
        How to read churn: a customer without deal activity for more than this many days before
        the end of the data is churned this many days after the last activity. ``None``
        (default): churn is unknown, nobody is marked churned and each customer is observed
        until the last activity.
    as_of
        End of the data (the export date); default: the latest deal date.

    Returns
    -------
    DealCustomers
        Unpacks into ``(customers, result)``; ``result.summary()`` lists the assumptions.

    Examples
    --------
    >>> import pandas as pd
    >>> deals = pd.DataFrame({"customer_id": ["a", "b"], "status": ["won", "won"],
    ...     "created_at": pd.to_datetime(["2023-01-01", "2024-01-01"]),
    ...     "closed_at": pd.to_datetime(["2023-02-01", "2024-02-01"])})
    >>> customers, res = customers_from_deals(deals, churn_after_days=365, as_of="2024-12-31")
    >>> str(customers["churned_at"][0].date()), bool(pd.isna(customers["churned_at"][1])), res.churned
    ('2024-02-01', True, 1)
    """
    if churn_after_days is not None and not churn_after_days > 0:
        raise ConfigError(f"churn_after_days={churn_after_days!r} is not a positive number of days.",
                          hint="pass e.g. churn_after_days=365 (yearly renewals), or None when "
                          "churn is unknown.")
    rows = _per_account(deals)
    accounts = int(rows["customer_id"].nunique())
    won = rows[rows["won_at"].notna()].sort_values(["customer_id", "won_at"], kind="stable")
    first = won.drop_duplicates("customer_id")
    last = rows.groupby("customer_id")["active_at"].max()
    out = pd.DataFrame({"customer_id": first["customer_id"].to_numpy(),
                        "acquired_at": first["won_at"].to_numpy()})
    out["last_activity"] = last.reindex(out["customer_id"]).to_numpy()
    end = pd.Timestamp(as_of) if as_of is not None else rows["active_at"].max()
    if as_of is not None and (out["acquired_at"] > end).any():
        raise ConfigError(f"as_of={as_of!r} is before the first won deal of "
                          f"{int((out['acquired_at'] > end).sum()):,} customers.",
                          hint="pass the date the deals were exported, or leave as_of=None.")
    notes = [f"a customer is an account with a won deal; acquired_at is the close date of its "
             f"first won deal ({int(first['won_undated'].sum()):,} without a close date use "
             "the creation date)."]
    if churn_after_days is None:
        out["churned_at"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[us]")
        out["observed_until"] = out["last_activity"]
        notes += ["churn is unknown (no churn_after_days=): no customer is marked churned, so "
                  "retention from this table shows no losses; pass churn_after_days= to say "
                  "how long without a deal means a customer is lost.",
                  "observed_until is each customer's last deal activity (creation of any deal, "
                  "close of a won or lost deal): nothing is known about a customer after it."]
        churned = 0
    else:
        gap = pd.Timedelta(days=float(churn_after_days))
        lost = (end - out["last_activity"]) > gap
        out["churned_at"] = (out["last_activity"] + gap).where(lost)
        out["observed_until"] = end
        churned = int(lost.sum())
        notes += [f"{churned:,} customers without deal activity for more than "
                  f"{churn_after_days:g} days before {end.date()} are churned {churn_after_days:g} "
                  "days after their last activity; the others are active.",
                  f"observed_until is the end of the data, {end.date()}"
                  + (" (as_of)." if as_of is not None else " (the latest deal date).")]
    if first["source"].notna().any():
        out["acquisition_channel"] = first["source"].to_numpy()
        notes.append("acquisition_channel is the source of the first won deal.")
    out = out.drop(columns="last_activity")
    for col in ("acquired_at", "churned_at", "observed_until"):
        out[col] = out[col].astype("datetime64[us]")
    out = out.sort_values("customer_id", kind="stable").reset_index(drop=True)
    return DealCustomers(out, accounts, accounts - len(out), churned, tuple(notes))
