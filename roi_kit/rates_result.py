"""The result of :func:`roi_kit.rates`: rates per group with intervals, in a table and in words.

:class:`RatesResult` holds one row per group and metric (value, numerator, denominator, interval
and how it was computed, the reason a value is undefined, the definition used); it answers
``value(metric, **group)``, turns the table wide, says each metric in words (overall or its
range across groups) and draws bars of one metric per group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.formatting import fmt_number, fmt_pct, no_interval
from roi_kit.rate_definitions import RATE_DEFINITIONS
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["RatesResult"]


@dataclass(frozen=True)
class RatesResult(ResultMixin):
    """Marketing rates per group (see :func:`rates`).

    ``table`` columns: the ``by`` columns, ``metric, value, numerator, denominator, ci_low,
    ci_high, ci_method, reason, definition`` — one row per group and metric; ``value`` is NaN
    exactly where ``reason`` is non-empty; ``ci_low``/``ci_high`` only for proportions, with
    ``ci_method`` saying how they were computed (empty for other rates).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.rates import rates
    >>> r = rates(pd.DataFrame({"spend": [10.0], "clicks": [0]}))
    >>> r.to_frame()[["metric", "reason"]].values.tolist()
    [['cpc', 'cpc is undefined: clicks is zero.']]
    """

    table: pd.DataFrame
    by: tuple[str, ...] = ()
    conf_level: float = 0.95
    notes: tuple[str, ...] = field(default_factory=tuple)
    cluster: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """The tidy table (a copy)."""
        return self.table.copy()

    def wide(self) -> pd.DataFrame:
        """One row per group, one column per metric (values only)."""
        if not self.by:
            return self.table.set_index("metric")[["value"]].T.reset_index(drop=True)
        out = self.table.pivot(index=list(self.by), columns="metric", values="value")
        return out[[m for m in RATE_DEFINITIONS if m in out.columns]].reset_index()

    def value(self, metric: str, **group: Any) -> float | None:
        """The value of one metric (for one group: ``value("ctr", platform="x")``), or None."""
        t = self.table[self.table["metric"] == metric]
        for key, val in group.items():
            t = t[t[key] == val]
        if len(t) != 1:
            raise InputError(f"found {len(t)} rows for metric={metric!r} and {group}.",
                             hint=f"name one group with keywords for {', '.join(self.by)}."
                             if self.by else "check the metric name.")
        v = float(t["value"].iloc[0])
        return None if math.isnan(v) else v

    def summary(self) -> str:
        """Each metric in words (overall, or its range across groups), with its interval."""
        lines: list[str] = []
        bare: list[str] = []
        conf = f"{self.conf_level:.0%}"
        for metric, rows in self.table.groupby("metric", sort=False):
            words = RATE_DEFINITIONS[str(metric)][4]
            prop = RATE_DEFINITIONS[str(metric)][3]
            show = (lambda v: fmt_pct(v, decimals=2)) if prop else (lambda v: fmt_number(v, decimals=2))
            ci = lambda r, show=show: (  # noqa: E731
                f", {conf} CI {show(r['ci_low'])} to {show(r['ci_high'])}"
                if not math.isnan(r["ci_low"]) else "")
            ok = rows[rows["value"].notna()]
            if not ok.empty and ok["ci_low"].isna().any():
                bare.append(str(metric))
            if not self.by:
                row = rows.iloc[0]
                if ok.empty:
                    lines.append(f"{metric} ({words}): {row['reason']}")
                    continue
                lines.append(f"{metric} ({words}): {show(row['value'])}"
                             + (f" ({ci(row)[2:]}, {row['ci_method']})" if ci(row) else "") + ".")
            elif ok.empty:
                lines.append(f"{metric} ({words}): undefined in every group.")
            else:
                lo, hi = ok.loc[ok["value"].idxmin()], ok.loc[ok["value"].idxmax()]
                name = lambda r: " / ".join(str(r[k]) for k in self.by)  # noqa: E731
                lines.append(f"{metric} ({words}): from {show(lo['value'])} ({name(lo)}{ci(lo)}) to "
                             f"{show(hi['value'])} ({name(hi)}{ci(hi)})"
                             + (f"; undefined in {len(rows) - len(ok)} group(s)."
                                if len(ok) < len(rows) else "."))
        if self.by and (self.table["ci_method"] != "").any():
            lines.append(self.interval_note())
        if bare:
            lines.append(no_interval(
                f"{', '.join(bare)}", "a cost ratio is what was paid per unit (booked spend over counted "
                "units) in these rows, not an estimate of an unknown rate"))
        lines.extend(self.notes)
        return "\n".join(lines)

    def interval_note(self) -> str:
        """Which interval the proportions carry, in words."""
        if self.cluster is None:
            return ("Intervals of proportions are Wilson intervals: every impression / click / "
                    "follower counts as an independent trial (no cluster column).")
        return (f"Intervals of proportions are cluster-robust over '{self.cluster}' (rates vary "
                "between clusters, so they are wider than Wilson's); a group with one cluster "
                "falls back to Wilson.")

    def chart(self, metric: str | None = None) -> alt.LayerChart:
        """Bars of one metric per group (default: the first metric), with Wilson intervals."""
        from roi_kit.charts.rates import rates_chart

        return rates_chart(self, metric=metric)
