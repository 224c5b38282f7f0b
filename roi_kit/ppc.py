"""PPC-equivalent value of organic social traffic: what the same clicks would have cost as ads.

::

    value per group = sessions × CPC of that group          (CPC = cost per click you would pay)
    total value     = sum over groups with a known CPC

This is indirect value (money not spent), not revenue: it answers "what would buying this traffic
have cost us?". The CPC table is **yours to supply** — from your own ad accounts for the same
audience. :data:`EXAMPLE_CPC` only exists so the function runs out of the box; its numbers are
illustrative placeholders, not market data, and every result built on them says so.

Examples
--------
>>> import pandas as pd
>>> traffic = pd.DataFrame({"platform": ["linkedin", "x"], "sessions": [200, 1000]})
>>> v = ppc_value(traffic, cpc={"linkedin": 5.0, "x": 0.5})
>>> v.total
1500.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import narwhals as nw
import pandas as pd

from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.errors import InputError
from roi_kit.formatting import fmt_money, fmt_number, no_interval
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["EXAMPLE_CPC", "PpcValue", "ppc_value"]

EXAMPLE_CPC: Mapping[str, float] = MappingProxyType({
    "linkedin": 5.50, "facebook": 1.00, "instagram": 1.20, "x": 0.60, "youtube": 0.50,
    "tiktok": 1.00,
})
"""EXAMPLE cost-per-click values per platform (USD). Illustrative placeholders only — not market
data, not maintained. Replace them with the CPCs from your own ad accounts (``cpc=``)."""


@dataclass(frozen=True)
class PpcValue(ResultMixin):
    """PPC-equivalent value of organic traffic (see :func:`ppc_value`).

    ``table`` columns: ``<by>, sessions, cpc, value, cpc_source, reason`` (``cpc_source`` is
    ``"yours"`` or ``"EXAMPLE"``; ``value`` is NaN with a reason where no CPC is known).

    Examples
    --------
    >>> import pandas as pd
    >>> v = ppc_value(pd.DataFrame({"platform": ["x"], "sessions": [100]}))
    >>> v.uses_examples, v.total
    (True, 60.0)
    """

    table: pd.DataFrame
    by: str
    total: float
    uses_examples: bool
    currency: str = "USD"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def revenue_estimate(self) -> tuple[float, float | None, float | None, str]:
        """(value, None, None, description) so the value can be passed to ``rk.roi(revenue=...)``."""
        source = "EXAMPLE CPCs — replace with yours" if self.uses_examples else "your CPCs"
        return self.total, None, None, f"PPC-equivalent value of organic social traffic ({source})"

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (a copy)."""
        return self.table.copy()

    def summary(self) -> str:
        """The value in words, with a loud warning when example CPCs were used."""
        t = self.table
        sessions = float(t["sessions"].sum())
        lines = [f"Buying these {fmt_number(sessions)} organic sessions as paid clicks would have "
                 f"cost {fmt_money(self.total, currency=self.currency)}."]
        ok = t[t["value"].notna()].sort_values("value", ascending=False)
        if len(ok):
            lines.append("By " + self.by + ": " + ", ".join(
                f"{row[self.by]} {fmt_money(row['value'], currency=self.currency)} "
                f"({fmt_number(row['sessions'])} × {fmt_money(row['cpc'], currency=self.currency)})"
                for row in ok.head(6).to_dict("records")) + ".")
        if self.uses_examples:
            lines.append("WARNING: some CPCs are EXAMPLE values, not market data. Pass cpc= with "
                         "the cost per click from your own ad accounts.")
        lines.append(no_interval("the PPC-equivalent value", "it is counted sessions times the "
                                 "CPC given, not an estimate; it is only as good as those CPCs"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.Chart:
        """Bars of PPC-equivalent value per group."""
        from roi_kit.charts.roi import ppc_chart

        return ppc_chart(self)


def _cpc_table(cpc: Any, by: str) -> tuple[pd.DataFrame, bool]:
    if cpc is None:
        table = pd.DataFrame({by: list(EXAMPLE_CPC), "cpc": list(EXAMPLE_CPC.values())})
        return table.assign(cpc_source="EXAMPLE"), True
    if isinstance(cpc, Mapping):
        table = pd.DataFrame({by: [str(k) for k in cpc], "cpc": [float(v) for v in cpc.values()]})
    else:
        frame = as_frame(cpc, name="cpc")
        require_columns(frame, [by, "cpc"], name="cpc")
        table = to_pandas(frame.select(nw.col(by).cast(nw.String), nw.col("cpc").cast(nw.Float64)))
    if (table["cpc"] < 0).any() or table["cpc"].isna().any():
        raise InputError("cpc has missing or negative values.",
                         hint="give every key a cost per click ≥ 0 (or leave the key out).")
    table[by] = table[by].str.strip().str.lower()
    if table[by].duplicated().any():
        raise InputError(f"cpc lists some {by} twice (keys are compared in lower case).",
                         hint="keep one CPC per key.")
    return table.assign(cpc_source="yours"), False


def ppc_value(
    traffic: Any,
    *,
    cpc: Mapping[str, float] | Any | None = None,
    by: str = "platform",
    sessions: str | None = "sessions",
    currency: str = "USD",
) -> PpcValue:
    """Value organic social traffic at what the same clicks would cost as paid clicks.

    Parameters
    ----------
    traffic
        Organic social traffic in any engine: a ``by`` column and a ``sessions`` column (summed
        per group), or one row per session (``sessions=None`` counts rows) — e.g. touchpoints
        already filtered to the "Organic Social" channel.
    cpc
        Your cost per click per group: a dict ``{"linkedin": 4.8, ...}`` or a frame with
        columns ``<by>, cpc``. ``None`` uses :data:`EXAMPLE_CPC` — placeholders, flagged as such.
        Keys are matched case- and space-insensitively.
    by
        The grouping column (``"platform"`` by default; ``"source"`` or ``"channel"`` work too).
    sessions
        Column holding session/click counts, or ``None`` to count rows.
    currency
        Currency code used in the summary.

    Returns
    -------
    PpcValue
        Groups without a CPC get a missing value with a reason and do not count in the total.

    Examples
    --------
    >>> import pandas as pd
    >>> visits = pd.DataFrame({"platform": ["LinkedIn", "linkedin", "mastodon"]})
    >>> v = ppc_value(visits, cpc={"linkedin": 4.0}, sessions=None)
    >>> v.total, v.to_frame()["reason"].tolist()
    (8.0, ['', 'no CPC given for mastodon.'])
    """
    frame = as_frame(traffic, name="traffic")
    require_columns(frame, [by, *([sessions] if sessions else [])], name="traffic")
    count = nw.col(sessions).cast(nw.Float64) if sessions else nw.lit(1.0)
    prepared = frame.select(
        nw.col(by).cast(nw.String).str.strip_chars().str.to_lowercase().fill_null("(missing)")
        .alias(by),
        count.alias("sessions"),
    )
    agg = to_pandas(prepared.group_by(by).agg(nw.col("sessions").sum()))
    agg["sessions"] = agg["sessions"].astype("float64").fillna(0.0)
    agg[by] = agg[by].astype("str")
    prices, examples = _cpc_table(cpc, by)
    table = agg.merge(prices, on=by, how="left").sort_values(by).reset_index(drop=True)
    table["value"] = table["sessions"] * table["cpc"]
    table["reason"] = [("" if pd.notna(c) else f"no CPC given for {k}.")
                       for k, c in zip(table[by], table["cpc"])]
    table["cpc_source"] = table["cpc_source"].fillna("")
    table = table[[by, "sessions", "cpc", "value", "cpc_source", "reason"]]
    if not len(table):
        raise InputError("traffic has no rows.", hint="pass the organic social sessions to value.")
    notes = []
    missing = table.loc[table["cpc"].isna(), by].tolist()
    if missing:
        notes.append(f"Left out of the total (no CPC): {', '.join(missing)}.")
    if sessions is None and "sessions" in column_names(frame):
        notes.append("Counted rows as sessions although the data has a 'sessions' column.")
    used_examples = examples and bool(table["cpc"].notna().any())
    return PpcValue(table=table, by=by, total=float(table["value"].sum(skipna=True)),
                    uses_examples=used_examples, currency=currency, notes=tuple(notes))
