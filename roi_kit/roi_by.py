"""ROI per platform, campaign or period — the :func:`~roi_kit.roi.roi` formula applied per group.

Revenue per group comes from a frame (summed in its engine) or a dict; cost per group from the
cost ledger. Costs booked without a platform or campaign (staff time, tools) are either shown as
their own group ``(none)`` or spread in proportion to each group's own cost.

Examples
--------
>>> import pandas as pd
>>> costs = pd.DataFrame({"date": pd.to_datetime(["2024-01-10", "2024-02-10"]),
...                       "category": ["ads", "ads"], "amount": [100.0, 100.0]})
>>> revenue = pd.DataFrame({"date": pd.to_datetime(["2024-01-15", "2024-02-15"]),
...                         "revenue": [250.0, 0.0]})
>>> roi_by(revenue, costs, by="period").to_frame()["roi_pct"].tolist()
[150.0, -100.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw
import pandas as pd

from roi_kit.costs import NO_LABEL, CostLedger, Period, cost_ledger, period_labels
from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import InputError
from roi_kit.formatting import fmt_money, fmt_pct, no_interval
from roi_kit.results import ResultMixin
from roi_kit.roi import RoiResult, roi, roi_pct

if TYPE_CHECKING:
    import altair as alt

__all__ = ["RoiByResult", "roi_by"]

ByKey = Literal["platform", "campaign", "period"]
Shared = Literal["separate", "proportional"]


@dataclass(frozen=True)
class RoiByResult(ResultMixin):
    """ROI per platform, campaign or period (see :func:`roi_by`).

    ``table`` columns: the ``by`` columns, ``revenue, cost, net_return, roi_pct, roas, reason``
    (``roi_pct``/``roas`` NaN where undefined and ``reason`` says why; empty otherwise).

    Examples
    --------
    >>> import pandas as pd
    >>> costs = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"] * 2),
    ...                       "category": ["ads", "ads"], "amount": [100.0, 50.0],
    ...                       "platform": ["linkedin", "x"]})
    >>> res = roi_by({"linkedin": 300.0, "x": 50.0}, costs, by="platform")
    >>> res.to_frame()["roi_pct"].tolist()
    [200.0, 0.0]
    """

    table: pd.DataFrame
    by: tuple[str, ...]
    total: RoiResult
    currency: str = "USD"
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (a copy)."""
        return self.table.copy()

    def label(self, row: Mapping[str, Any]) -> str:
        """Name of a group (``linkedin`` or ``linkedin / 2024-01``)."""
        return " / ".join(str(row[k]) for k in self.by)

    def summary(self) -> str:
        """Overall ROI, best and worst groups in words; undefined groups explained."""
        t = self.table
        defined = t[t["roi_pct"].notna()].sort_values("roi_pct", ascending=False)
        overall = (fmt_pct(self.total.roi_pct, ratio_input=False)
                   if self.total.roi_pct is not None else str(self.total.roi_reason))
        lines = [f"ROI by {' and '.join(self.by)} over {len(t):,} group(s); overall: {overall}."]
        money = lambda v: fmt_money(v, currency=self.currency)  # noqa: E731
        if len(defined):
            best = defined.iloc[0]
            lines.append(f"Highest: {self.label(best)} at "
                         f"{fmt_pct(best['roi_pct'], ratio_input=False)} "
                         f"(net {money(best['net_return'])}).")
            if len(defined) > 1:
                worst = defined.iloc[-1]
                lines.append(f"Lowest: {self.label(worst)} at "
                             f"{fmt_pct(worst['roi_pct'], ratio_input=False)} "
                             f"(net {money(worst['net_return'])}).")
        for row in t[t["roi_pct"].isna()].head(5).to_dict("records"):
            lines.append(f"{self.label(row)}: {row['reason']}")
        if len(defined):
            lines.append(no_interval(
                "ROI per group", "revenue and cost per group are booked amounts summed from the "
                "tables given, so nothing is estimated; for ROI with an interval pass an "
                "attribution or value-of-social result to rk.roi(revenue=..., cost=...)"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.LayerChart:
        """Bars of ROI % per group (groups with undefined ROI named in the subtitle)."""
        from roi_kit.charts.roi import roi_by_chart

        return roi_by_chart(self)


def _revenue_table(revenue: Any, keys: list[str], *, period: Period, column: str,
                   date_column: str) -> pd.DataFrame:
    """Revenue summed per group, in the revenue frame's engine."""
    if isinstance(revenue, Mapping):
        if len(keys) != 1:
            raise InputError("revenue as a dict needs exactly one by= key.",
                             hint="pass a frame with one column per key and a revenue column.")
        return pd.DataFrame({keys[0]: [str(k) for k in revenue],
                             "revenue": [float(v) for v in revenue.values()]})
    frame = as_frame(revenue, name="revenue")
    plain = [k for k in keys if k != "period"]
    needed = [*plain, column, *([date_column] if "period" in keys else [])]
    require_columns(frame, needed, name="revenue")
    exprs = [nw.col(k).cast(nw.String).fill_null(NO_LABEL).alias(k) for k in plain]
    group = list(plain)
    if "period" in keys:
        exprs += [nw.col(date_column).dt.year().cast(nw.Int64).alias("year"),
                  nw.col(date_column).dt.month().cast(nw.Int64).alias("month")]
        group += ["year", "month"]
    exprs.append(nw.col(column).cast(nw.Float64).fill_null(0.0).alias("revenue"))
    if "period" in keys:
        frame = frame.filter(~nw.col(date_column).is_null())
    agg = to_pandas(frame.select(*exprs).group_by(group).agg(nw.col("revenue").sum()))
    if "period" in keys:
        agg["period"] = period_labels(agg["year"], agg["month"], period)
        agg = agg.drop(columns=["year", "month"])
    return agg.groupby(keys, as_index=False)["revenue"].sum()


def _spread_shared(cost_t: pd.DataFrame, key: str, currency: str) -> tuple[pd.DataFrame, str | None]:
    is_shared = cost_t[key] == NO_LABEL
    pool = float(cost_t.loc[is_shared, "cost"].sum())
    own = cost_t.loc[~is_shared].copy()
    if pool == 0 or own["cost"].sum() <= 0:
        return cost_t, None
    own["cost"] = own["cost"] + pool * own["cost"] / own["cost"].sum()
    return own, (f"{fmt_money(pool, currency=currency)} of costs without a {key} were spread "
                 f"over the {key}s in proportion to their own cost.")


def roi_by(
    revenue: Any,
    costs: Any,
    *,
    by: ByKey | Sequence[ByKey] = "platform",
    period: Period = "month",
    shared: Shared = "separate",
    revenue_column: str = "revenue",
    date_column: str = "date",
    currency: str = "USD",
) -> RoiByResult:
    """ROI % per platform, campaign and/or period, with the same formula as :func:`roi`.

    Parameters
    ----------
    revenue
        Revenue per group: a frame (any engine) with the ``by`` columns (``date_column`` for
        ``"period"``) and ``revenue_column``, summed per group; or a dict ``{group: revenue}``.
    costs
        The cost ledger: a costs frame (any engine) or a :class:`~roi_kit.costs.CostLedger`.
    by
        ``"platform"``, ``"campaign"``, ``"period"`` or a list of them.
    period
        ``"month"``, ``"quarter"`` or ``"year"`` when ``by`` includes ``"period"``.
    shared
        Costs booked without a platform/campaign (staff time, tools) are shown as their own
        group ``(none)`` with ``"separate"``; ``"proportional"`` spreads them over the groups in
        proportion to each group's own cost (one ``by`` key, platform or campaign).
    revenue_column, date_column
        Column names in the revenue frame.
    currency
        Currency code used in the summary.

    Returns
    -------
    RoiByResult
        A group with revenue but no cost has undefined ROI (reason given); a group with cost
        but no revenue has ROI −100 %.

    Examples
    --------
    >>> import pandas as pd
    >>> costs = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-01"]),
    ...                       "category": ["ads", "staff"], "amount": [100.0, 100.0],
    ...                       "platform": ["linkedin", None]})
    >>> res = roi_by({"linkedin": 400.0}, costs, shared="proportional")
    >>> res.to_frame()[["platform", "cost", "roi_pct"]].values.tolist()
    [['linkedin', 200.0, 100.0]]
    """
    keys: list[str] = [by] if isinstance(by, str) else list(by)
    bad = [k for k in keys if k not in ("platform", "campaign", "period")]
    if bad or not keys:
        raise InputError(f"by={by!r} is not a way to split ROI.",
                         hint="use 'platform', 'campaign', 'period' or a list of them.")
    if shared not in ("separate", "proportional"):
        raise InputError(f"shared={shared!r} is not an option.",
                         hint="use 'separate' or 'proportional'.")
    if shared == "proportional" and (len(keys) != 1 or keys[0] == "period"):
        raise InputError("shared='proportional' works with one by= key: platform or campaign.",
                         hint="use shared='separate' to see shared costs as their own group.")
    if isinstance(costs, CostLedger):
        ledger = CostLedger(costs.detail, period=period, currency=costs.currency, notes=costs.notes)
    else:
        ledger = cost_ledger(costs, period=period, currency=currency)
    cost_t = ledger.totals(keys)[[*keys, "amount"]].rename(columns={"amount": "cost"})  # type: ignore[arg-type]
    notes: list[str] = []
    if shared == "proportional":
        cost_t, note = _spread_shared(cost_t, keys[0], currency)
        notes.extend([note] if note else [])
    rev_t = _revenue_table(revenue, keys, period=period, column=revenue_column,
                           date_column=date_column)
    table = rev_t.merge(cost_t, on=keys, how="outer").fillna({"revenue": 0.0, "cost": 0.0})
    table = table.sort_values(keys).reset_index(drop=True)
    table["net_return"] = table["revenue"] - table["cost"]
    pct: list[float] = []
    roas: list[float] = []
    reason: list[str] = []
    for rev, cost in zip(table["revenue"].tolist(), table["cost"].tolist()):
        p, why = roi_pct(rev, cost)
        if why and cost == 0:
            why = f"ROI is undefined: no cost is booked for this {' / '.join(keys)}."
        pct.append(float("nan") if p is None else p)
        roas.append(rev / cost if p is not None else float("nan"))
        reason.append(why or "")
    table["roi_pct"] = pct
    table["roas"] = roas
    table["reason"] = reason
    if (table[keys] == NO_LABEL).any(axis=1).any():
        notes.append("'(none)' holds costs booked without a " + " / ".join(keys)
                     + " (e.g. staff time, tools); shared='proportional' spreads them.")
    total = roi(revenue=float(table["revenue"].sum()), cost=float(table["cost"].sum()),
                currency=currency)
    return RoiByResult(table=table, by=tuple(keys), total=total, currency=currency,
                       notes=tuple(notes))
