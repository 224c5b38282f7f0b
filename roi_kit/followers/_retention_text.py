"""Plain-words reading of a retention comparison (used by ``RetentionResult.summary``).

Numbers are rounded for reading; undefined quantities (beyond the follow-up, a median never
reached) are said in words, never printed as NaN.

Examples
--------
>>> fmt_p(0.0004), fmt_p(0.0432)
('p < 0.001', 'p = 0.043')
>>> label("non-followers"), label("pro")
('Non-followers', 'Pro')
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roi_kit.followers._retention import RetentionResult

__all__ = ["describe_retention", "fmt_p", "label"]


def label(group: Any) -> str:
    """A group label as it starts a sentence."""
    text = str(group)
    return text[:1].upper() + text[1:]


def fmt_p(p: float) -> str:
    """A p-value for reading."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _ok(*values: Any) -> bool:
    return all(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in values)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _band(lo: float, hi: float, level: float, unit: str = "%", scale: float = 100.0) -> str:
    return f"({level:.0f}% CI {scale * lo:.0f}–{scale * hi:.0f}{unit})"


def _since(res: RetentionResult) -> str:
    if res.time_unit != "days" or res.durations:
        return ("from the start" if res.landmark_days == 0
                else f"after {res.time_unit[:-1]} {res.landmark_days}")
    return "after acquisition" if res.landmark_days == 0 else f"after day {res.landmark_days}"


def _horizon_line(res: RetentionResult, h: int, level: float) -> str:
    hz = res.horizons[res.horizons["horizon_days"] == h].set_index("group")
    known = [g for g in res.groups if _ok(hz.loc[g, "retention"])]
    unknown = [g for g in res.groups if g not in known]
    parts = []
    for i, g in enumerate(known):
        row = hz.loc[g]
        band = _band(row["ci_low"], row["ci_high"], level)
        if i == 0:
            parts.append(f"{label(g)}: {_pct(row['retention'])} still customers {h} {res.time_unit} "
                         f"{_since(res)} {band}")
        else:
            parts.append(f"{_pct(row['retention'])} {band} for {g}")
    line = " vs ".join(parts)
    diffs = res.differences[res.differences["horizon_days"] == h]
    for _, d in diffs.iterrows():  # one row per non-reference group: a handful at most
        if _ok(d["difference"]):
            line += (f"; {d['group']} minus {res.reference}: {100 * d['difference']:+.1f} "
                     f"percentage points ({level:.0f}% CI {100 * d['ci_low']:+.1f} to "
                     f"{100 * d['ci_high']:+.1f})")
    if unknown:
        longest = max(res.tables[g].followed_up_to for g in unknown)
        gap = (f"Retention {h} {res.time_unit} {_since(res)} cannot be estimated for {', '.join(unknown)}: "
               f"follow-up too short (longest {longest:.0f} {res.time_unit})")
        line = f"{line}. {gap}" if line else gap
    return line + "."


def _median_line(res: RetentionResult, level: float) -> str:
    parts = []
    for _, m in res.medians.iterrows():
        if _ok(m["median_days"]):
            lo = f"{m['ci_low']:.0f}" if _ok(m["ci_low"]) else "?"
            hi = f"{m['ci_high']:.0f}" if _ok(m["ci_high"]) else "not reached"
            parts.append(f"{m['group']} {m['median_days']:.0f} {res.time_unit} ({level:.0f}% CI {lo} to {hi})")
        else:
            follow = res.tables[m["group"]].followed_up_to
            parts.append(f"{m['group']} not reached (more than half were still customers after "
                         f"{follow:.0f} {res.time_unit} of follow-up)")
    return f"Median lifetime {_since(res)}: " + "; ".join(parts) + "."


def _rmst_line(res: RetentionResult, level: float) -> str:
    tau = max(res.horizons_days)
    rm = res.rmst.set_index("group")
    if not all(_ok(rm.loc[g, "rmst_days"]) for g in res.groups):
        return (f"Mean {res.time_unit} retained within {tau} {res.time_unit} cannot be compared: not every group was "
                f"followed up that long.")
    lines = []
    for _, d in res.rmst_differences.iterrows():
        g = d["group"]
        more = "more" if d["difference"] >= 0 else "fewer"
        lines.append(f"within the first {tau} {res.time_unit} {_since(res)}, {g} stayed on average "
                     f"{abs(d['difference']):.1f} {more} {res.time_unit} than {res.reference} "
                     f"({level:.0f}% CI {d['ci_low']:+.1f} to {d['ci_high']:+.1f}): "
                     f"{rm.loc[g, 'rmst_days']:.1f} vs {rm.loc[res.reference, 'rmst_days']:.1f} {res.time_unit}")
    return label("; ".join(lines)) + "." if lines else ""


def _logrank_line(res: RetentionResult) -> str:
    lr = res.logrank
    if lr is None:
        return "Only one group: there is nothing to test."
    if lr.df == 0:
        return "No customer churned after the landmark, so the curves cannot be tested."
    verdict = ("the curves differ by more than chance would explain" if lr.p_value < 0.05
               else "no clear evidence that the curves differ")
    return f"Log-rank test: χ² = {lr.statistic:,.1f} on {lr.df} df, {fmt_p(lr.p_value)} — {verdict}."


def describe_retention(res: RetentionResult) -> str:
    """The whole reading, one paragraph per line."""
    level = 100 * res.conf_level
    sizes = res.horizons.drop_duplicates("group").set_index("group")["customers"]
    who = ", ".join(f"{g} {sizes[g]:,.0f}" for g in res.groups)
    lines = [f"Retention {_since(res)}, by group ({who} customers"
             f"{', weighted' if res.weighted else ''})."]
    lines += [_horizon_line(res, h, level) for h in res.horizons_days]
    lines += [_median_line(res, level), _rmst_line(res, level), _logrank_line(res)]
    lines += list(res.notes)
    caveat = ("adjusted for the covariates behind the weights, " if res.weighted else "")
    lines.append(f"This is an association, {caveat}not proof that group membership causes "
                 f"customers to stay.")
    return "\n".join(line for line in lines if line)
