"""The social media cost ledger: every cost line in money, totalled the ways a budget owner asks.

A cost line is either money (``amount``) or time (``hours`` × ``rate``, typical for staff and
management). Lines are checked against the eight ledger categories of
:data:`roi_kit.schema.COST_CATEGORIES` and totalled by category, platform, campaign and period
(month, quarter or year).

The heavy work is one group-by in the caller's engine (pandas, polars, DuckDB, Spark); every total
is then derived from that small table, so the totals add up exactly to the sum of the lines
(:class:`~roi_kit.costs_result.CostLedger`; period labels come from :mod:`roi_kit.periods`).

Unknown categories
------------------
By default (``unknown="error"``) a category outside the eight raises :class:`InputError` naming
the bad labels and listing the valid ones: a ledger that silently books a typo as "other" hides
money. ``unknown="other"`` books such lines as ``other`` instead and says so in the notes.

Examples
--------
>>> import pandas as pd
>>> lines = pd.DataFrame({
...     "date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03"]),
...     "category": ["staff", "ads", "Ads"],
...     "amount": [None, 300.0, 200.0],
...     "hours": [10.0, None, None],
...     "rate": [50.0, None, None],
...     "platform": [None, "linkedin", "linkedin"],
... })
>>> ledger = cost_ledger(lines)
>>> ledger.total
1000.0
>>> ledger.by_category()["amount"].tolist()
[500.0, 500.0]
"""

from __future__ import annotations

from typing import Any, Literal

import narwhals as nw
import pandas as pd

from roi_kit.costs_result import CostLedger
from roi_kit.engine import as_frame, column_names, to_pandas
from roi_kit.errors import EmptyDataError, InputError, MissingColumnError
from roi_kit.periods import _PERIODS, Period, period_labels
from roi_kit.schema import COST_CATEGORIES

__all__ = ["NO_LABEL", "CostLedger", "Period", "cost_ledger", "period_labels"]

UnknownCategory = Literal["error", "other"]

NO_LABEL = "(none)"
"""Label of lines without a platform or campaign."""



def _line_amount(frame: Any, names: list[str]) -> Any:
    """Expression: the money of a line — ``amount``, else ``hours × rate``."""
    has_amount = "amount" in names
    has_time = "hours" in names and "rate" in names
    time_money = nw.col("hours").cast(nw.Float64) * nw.col("rate").cast(nw.Float64)
    if has_amount and has_time:
        return nw.coalesce(nw.col("amount").cast(nw.Float64), time_money)
    if has_amount:
        return nw.col("amount").cast(nw.Float64)
    if has_time:
        return time_money
    raise MissingColumnError(
        f"costs needs an 'amount' column or both 'hours' and 'rate'. Columns found: {', '.join(names)}.",
        hint="map your money column onto 'amount' (or time onto 'hours' and 'rate') when loading.",
    )




def cost_ledger(
    costs: Any,
    *,
    period: Period = "month",
    unknown: UnknownCategory = "error",
    currency: str = "USD",
) -> CostLedger:
    """Build the cost ledger: money per line, totals by category, platform, campaign and period.

    Parameters
    ----------
    costs
        The ``costs`` table in any engine: ``date``, ``category`` and ``amount`` — or ``hours`` and
        ``rate`` (line money = hours × rate where ``amount`` is missing); optional ``platform``,
        ``campaign``. Categories are matched case- and space-insensitively.
    period
        Period of :meth:`CostLedger.by_period`: ``"month"``, ``"quarter"`` or ``"year"``.
    unknown
        ``"error"`` (default) raises on a category outside :data:`COST_CATEGORIES`;
        ``"other"`` books such lines as ``other`` and lists them in the notes.
    currency
        Currency code used in the summary.

    Returns
    -------
    CostLedger

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"date": pd.to_datetime(["2024-01-31", "2024-04-01"]),
    ...                       "category": ["agency", "coffee"], "amount": [1000.0, 20.0]})
    >>> cost_ledger(lines, unknown="other", period="quarter").by_period()["amount"].tolist()
    [1000.0, 20.0]
    """
    if period not in _PERIODS:
        period_labels(pd.Series([], dtype="int64"), pd.Series([], dtype="int64"), period)
    if unknown not in ("error", "other"):
        raise InputError(f"unknown={unknown!r} is not an option.", hint="use 'error' or 'other'.")
    frame = as_frame(costs, name="costs")
    names = column_names(frame)
    for col in ("date", "category"):
        if col not in names:
            raise MissingColumnError(
                f"costs is missing the column {col!r}. Columns found: {', '.join(names)}.",
                hint=f"rename your column to {col!r} (e.g. rk.load_costs(..., columns={{...}})).",
            )
    money = _line_amount(frame, names)
    hours = nw.col("hours").cast(nw.Float64).fill_null(0.0) if "hours" in names else nw.lit(0.0)
    label = {
        c: (nw.col(c).cast(nw.String).fill_null(NO_LABEL) if c in names else nw.lit(NO_LABEL))
        for c in ("platform", "campaign")
    }
    prepared = frame.select(
        nw.col("category").cast(nw.String).str.strip_chars().str.to_lowercase()
        .fill_null("(missing)").alias("category"),
        label["platform"].alias("platform"),
        label["campaign"].alias("campaign"),
        nw.col("date").dt.year().alias("year"),  # cast after collecting: NaT → NaN in pandas
        nw.col("date").dt.month().alias("month"),
        money.alias("amount"),
        hours.alias("hours"),
        money.is_null().cast(nw.Int64).alias("no_amount"),
        nw.col("date").is_null().cast(nw.Int64).alias("no_date"),
    )
    keys = ["category", "platform", "campaign", "year", "month"]
    agg = prepared.group_by(keys, drop_null_keys=False).agg(
        nw.col("amount").sum(), nw.col("hours").sum(), nw.len().alias("lines"),
        nw.col("no_amount").sum(), nw.col("no_date").sum(),
    )
    detail = to_pandas(agg)
    if detail.empty:
        raise EmptyDataError("costs has no rows.", hint="pass a costs table with at least one line.")
    return _finish(detail, period=period, unknown=unknown, currency=currency)


def _finish(detail: pd.DataFrame, *, period: Period, unknown: UnknownCategory,
            currency: str) -> CostLedger:
    notes: list[str] = []
    detail = detail.copy()
    no_date = int(detail.pop("no_date").sum())
    if no_date:
        raise InputError(
            f"costs has {no_date:,} line(s) without a date.",
            hint="give every cost line a date (use the first day of the period for monthly costs).",
        )
    no_amount = int(detail.pop("no_amount").sum())
    if no_amount:
        notes.append(f"{no_amount:,} line(s) have neither an amount nor hours × rate and count as 0.")
    bad = sorted(set(detail["category"]) - set(COST_CATEGORIES))
    if bad:
        if unknown == "error":
            raise InputError(
                f"costs has categories roi_kit does not know: {', '.join(repr(b) for b in bad)}. "
                f"Valid categories: {', '.join(COST_CATEGORIES)}.",
                hint="rename them to one of the valid categories, or pass unknown='other' to "
                "book them as 'other'.",
            )
        notes.append(f"Booked as 'other' (unknown categories): {', '.join(bad)}.")
        detail.loc[detail["category"].isin(bad), "category"] = "other"
    detail["amount"] = detail["amount"].astype("float64").fillna(0.0)
    detail["hours"] = detail["hours"].astype("float64").fillna(0.0)
    detail["year"] = detail["year"].astype("int64")
    detail["month"] = detail["month"].astype("int64")
    keys = ["category", "platform", "campaign", "year", "month"]
    detail = (detail.groupby(keys, sort=True)[["amount", "hours", "lines"]].sum().reset_index())
    detail["lines"] = detail["lines"].astype("int64")
    if (detail["amount"] < 0).any():
        notes.append("Some lines are negative (credits or corrections); they reduce the totals.")
    return CostLedger(detail=detail, period=period, currency=currency, notes=tuple(notes))
