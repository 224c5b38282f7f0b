"""The summary in words at the top of the report: a few plain sentences, one per result.

:func:`summary_lines` says the period (and a warning when the data end before it), the cost, the
revenue credited to social and its ROI, the other ROI sources, the value of followers, the
indirect return, the funnel, the goals, the data health and what the loads dropped or flagged;
each figure with its change from the previous period. Undefined values say why in words, never
inf or NaN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from roi_kit.formatting import fmt_pct
from roi_kit.goals import STATUSES, GoalProgress
from roi_kit.reporting.comparison import _with_change, follower_roi
from roi_kit.reporting.display import fmt_value
from roi_kit.reporting.followers import FollowerValue
from roi_kit.reporting.indirect import indirect_line
from roi_kit.reporting.roi_sources import source_lines

if TYPE_CHECKING:
    from roi_kit.reporting.build import Computed

__all__ = ["summary_lines"]



def summary_lines(c: Computed, table: pd.DataFrame) -> list[str]:
    """A few plain sentences for the top of the report (no inf/NaN: undefined values say why)."""
    cfg, cur = c.config, c.current
    money = lambda v: fmt_value(v, "money", currency=cfg.currency)  # noqa: E731
    lines = [f"Period: {cfg.period_start} to {cfg.period_end} ({cfg.period_days} days)"
             + (f", compared with {c.previous.start} to {c.previous.end}." if c.previous else ".")]
    last = c.data.last_day()
    if last is not None and last < cfg.period_start:
        lines.append(f"Warning: the data end on {last}, before this period starts — check the period "
                     "or refresh the exports.")
    elif last is not None and last < cfg.period_end:
        lines.append(f"Note: the data end on {last}, before the period ends; figures cover the days "
                     "up to then.")
    if cur.cost is None:
        lines.append(cur.notes.get("costs", "No costs."))
    else:
        lines.append(_with_change(f"Social media cost: {money(cur.cost)}", table, "cost", "money") + ".")
    if cur.attribution is None:
        lines.append(cur.notes.get("attribution", "No attribution."))
    else:
        channels = " + ".join(cfg.attribution.social_channels)
        lines.append(_with_change(f"Revenue credited to {channels} by {cur.attribution.label} "
                                  f"attribution: {money(cur.social_revenue)}", table,
                                  "social_revenue", "money") + ".")
    on_attribution = "attribution" in cfg.roi.sources
    if on_attribution and cur.roi is not None and cur.roi.roi_pct is not None:
        lines.append(_with_change(f"ROI on that revenue: {fmt_pct(cur.roi.roi_pct, ratio_input=False)}",
                                  table, "roi_pct", "pct") + ".")
    elif on_attribution and cur.roi is not None and cur.cost is not None:
        lines.append(str(cur.roi.roi_reason))
    lines.extend(source_lines(c))
    if isinstance(c.followers, FollowerValue):
        pv = c.followers.for_period(cur.start, cur.end)
        est, lo, hi, _ = pv.revenue_estimate()
        per = money(c.followers.value.per_follower)
        text = (f"{pv.followers:,} customers reached day {pv.landmark_days} as followers; at {per} "
                f"each ({c.followers.value.method} comparison over {c.followers.value.months} months) "
                f"that is {money(est)}")
        if lo is not None and hi is not None:
            text += f" (95% interval {money(lo)} to {money(hi)})"
        fr = follower_roi(c, cur)
        if fr is not None and fr.roi_pct is not None:
            text += f"; ROI on follower value {fmt_pct(fr.roi_pct, ratio_input=False)}"
        lines.append(text + ". This is an association, not proof of cause.")
    else:
        lines.append(str(c.followers))
    lines.append(indirect_line(c.indirect))
    if cur.funnel is not None:
        t = cur.funnel.to_frame()
        first, last = t.iloc[0], t.iloc[-1]
        conv = fmt_pct(last["overall_conversion"]) if pd.notna(last["overall_conversion"]) else "no entries"
        text = (f"Funnel: {int(first['users']):,} entered at '{first['stage']}' in the period, "
                f"{int(last['users']):,} of them reached '{last['stage']}' by its end ({conv})")
        text = _with_change(text, table, f"funnel:{last['stage']}", "count")
        reached = cur.totals.get(str(last["stage"]))
        if reached is not None and reached != last["users"]:
            text += (f"; with people who entered earlier, {reached:,.0f} reached "
                     f"'{last['stage']}' in the period")
        lines.append(text + ".")
    elif "funnel" in cur.notes:
        lines.append(cur.notes["funnel"])
    if isinstance(c.goals, GoalProgress):
        counts = c.goals.table["status"].value_counts()
        parts = ", ".join(f"{int(counts[s])} {s}" for s in STATUSES if s in counts)
        attention = c.goals.table.loc[c.goals.table["status"].isin(["at risk", "missed"]), "metric"]
        text = f"Goals as of {c.as_of}: {parts}"
        if len(attention):
            text += "; needing attention: " + ", ".join(dict.fromkeys(attention.astype(str)))
        lines.append(text + ".")
    else:
        lines.append(c.goals)
    health = c.health
    lines.append(health.headline() + (" See the Data health section." if health.worst != "ok" else ""))
    lines.append(_data_line(c))
    return lines


def _data_line(c: Computed) -> str:
    reps = c.data.reports
    read = sum(r.rows_read for r in reps)
    dropped = [(r.table, r.rows_dropped) for r in reps if r.rows_dropped]
    flagged = [(r.table, n) for r in reps if (n := r.action_counts().get("flagged", 0))]
    text = f"Data: {len(reps)} tables, {read:,} rows read"
    if not dropped and not flagged:
        return text + ", none dropped or flagged."
    bits = [f"{n:,} dropped in {t}" for t, n in dropped] + [f"{n:,} flagged in {t}" for t, n in flagged]
    return text + "; " + ", ".join(bits) + " (see Data quality)."
