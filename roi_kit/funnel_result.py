"""The result of :func:`roi_kit.funnel` — a tidy table per group and stage, in words and as a chart.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.funnel import funnel
>>> f = funnel(pd.DataFrame({"stage": ["visit", "lead"], "count": [200, 50]}),
...            stages=["visit", "lead"])
>>> f.conversion()
0.25
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from roi_kit.errors import InputError
from roi_kit.formatting import fmt_number, fmt_pct, no_interval
from roi_kit.funnel_presets import FunnelStage
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["FunnelResult", "fmt_hours"]


def fmt_hours(hours: float | None) -> str:
    """A duration in hours as words: ``'45 minutes'``, ``'5.0 hours'``, ``'3.2 days'``.

    Examples
    --------
    >>> fmt_hours(0.75), fmt_hours(5), fmt_hours(76.8)
    ('45 minutes', '5.0 hours', '3.2 days')
    """
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return "n/a"
    if abs(hours) < 1:
        return f"{hours * 60:.0f} minutes"
    if abs(hours) < 48:
        return f"{hours:.1f} hours"
    return f"{hours / 24:.1f} days"


@dataclass(frozen=True)
class FunnelResult(ResultMixin):
    """Funnel per group and stage (see :func:`roi_kit.funnel.funnel` for every column).

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.funnel import funnel
    >>> agg = pd.DataFrame({"platform": ["x", "x", "y", "y"], "stage": ["visit", "lead"] * 2,
    ...                     "count": [100, 10, 50, 10]})
    >>> f = funnel(agg, stages=["visit", "lead"], by="platform")
    >>> f.conversion(platform="y")
    0.2
    """

    table: pd.DataFrame
    stages: tuple[FunnelStage, ...]
    by: tuple[str, ...] = ()
    ordering: str = "strict"
    window_days: float | None = None
    source: str = "events"
    conf_level: float = 0.95
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """The tidy table (a copy): one row per group and stage."""
        return self.table.copy()

    def groups(self) -> list[dict[str, Any]]:
        """The groups as dicts of their ``by`` values (``[{}]`` without ``by``)."""
        if not self.by:
            return [{}]
        return self.table[list(self.by)].drop_duplicates().to_dict("records")

    def _rows(self, group: dict[str, Any]) -> pd.DataFrame:
        t = self.table
        for key, value in group.items():
            if key not in self.by:
                raise InputError(f"{key!r} is not a by= column of this funnel.",
                                 hint=f"use one of {', '.join(self.by) or '(none)'}.")
            t = t[t[key] == value]
        if len(t) != len(self.stages):
            raise InputError(f"found no single group for {group}.",
                             hint=f"name a value for each of {', '.join(self.by)}.")
        return t

    def conversion(self, stage: str | None = None, **group: Any) -> float | None:
        """Overall conversion from entry to ``stage`` (default: the last stage), or None."""
        rows = self._rows(group)
        name = stage or self.stages[-1].name
        value = rows.loc[rows["stage"] == name, "overall_conversion"]
        if value.empty:
            raise InputError(f"stage={stage!r} is not in this funnel.",
                             hint=f"use one of {', '.join(s.name for s in self.stages)}.")
        v = float(value.iloc[0])
        return None if math.isnan(v) else v

    def _describe(self) -> str:
        how = f"{self.ordering} order" if self.source == "events" else "stage-level counts"
        window = (f", {self.window_days:g}-day window from the first '{self.stages[0].name}'"
                  if self.window_days is not None and self.source == "events" else "")
        return (f"Funnel of {len(self.stages)} stages from '{self.stages[0].name}' to "
                f"'{self.stages[-1].name}' ({how}{window}).")

    def _group_line(self, group: dict[str, Any]) -> str:
        rows = self._rows(group).reset_index(drop=True)
        label = " / ".join(str(v) for v in group.values())
        prefix = f"{label}: " if label else ""
        unit = rows["unit"] if "unit" in rows else pd.Series(["users"] * len(rows))
        entered = int(rows["users"].iloc[0])
        if entered == 0:
            return f"{prefix}no {unit.iloc[0]} entered the funnel."
        last = rows.iloc[-1]
        same = unit.iloc[-1] == unit.iloc[0]
        share = (fmt_pct(last["overall_conversion"]) if same else
                 f"{fmt_number(last['overall_conversion'] * 1000, decimals=2)} per 1,000 {unit.iloc[0]}")
        conf = f"{self.conf_level:.0%}"
        if same and "overall_ci_low" in rows and not pd.isna(last["overall_ci_low"]):
            share += (f", {conf} Wilson interval {fmt_pct(last['overall_ci_low'])} to "
                      f"{fmt_pct(last['overall_ci_high'])}")
        else:
            share += ("; " + no_interval("for this conversion", "the last stage is not a share of "
                                         "the entrants (other units, or more than entered)")[:-1])
        text = (f"{prefix}{fmt_number(entered)} {unit.iloc[0]} at '{rows['stage'].iloc[0]}'; "
                f"{fmt_number(last['users'])} {unit.iloc[-1]} ({share}) reached '{last['stage']}'")
        if not math.isnan(last["median_hours_from_entry"]):
            text += f", median {fmt_hours(last['median_hours_from_entry'])} after entry"
        steps = rows.iloc[1:]
        steps = steps[steps["step_conversion"].notna()
                      & (unit.iloc[1:].to_numpy() == unit.iloc[:-1].to_numpy())]  # same units only
        if len(steps):
            worst = steps.loc[steps["drop_off_rate"].idxmax()]
            prev = rows.loc[int(worst["step"]) - 2, "stage"]
            text += (f". Largest drop-off: '{prev}' → '{worst['stage']}', "
                     f"{fmt_pct(worst['drop_off_rate'])} lost ({fmt_number(worst['drop_off'])} "
                     f"{unit.iloc[int(worst['step']) - 1]}")
            if not pd.isna(worst["step_ci_low"]):
                text += (f"; {conf} Wilson interval {fmt_pct(1 - worst['step_ci_high'])} to "
                         f"{fmt_pct(1 - worst['step_ci_low'])} lost")
            text += ")"
        return text + "."

    def summary(self) -> str:
        """The funnel in words: entry, final conversion and the largest drop-off per group."""
        lines = [self._describe()]
        groups = self.groups()
        lines.extend(self._group_line(g) for g in groups[:12])
        if len(groups) > 12:
            lines.append(f"... and {len(groups) - 12} more groups (see .to_frame()).")
        macro = [s.name for s in self.stages if s.kind == "macro"]
        if macro:
            lines.append(f"Macro conversions: {', '.join(macro)}; the other stages are micro "
                         "conversions.")
        lines.extend(self.notes)
        return "\n".join(lines)

    def chart(self) -> alt.LayerChart:
        """Funnel bars of users per stage, labelled with step conversion rates."""
        from roi_kit.charts.funnel import funnel_chart

        return funnel_chart(self)
