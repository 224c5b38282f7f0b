"""The plan of a lift test: :class:`LiftPlan`, a table and a recommendation in words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["LiftPlan", "geo_plan_result", "holdout_plan_result"]


@dataclass(frozen=True, eq=False)
class LiftPlan(ResultMixin):
    """A lift-test plan (see :func:`~roi_kit.incrementality.plan_lift_test`).

    Attributes
    ----------
    design
        ``"holdout"`` or ``"geo"``.
    table
        Holdout: one row ``solved_for, baseline_rate, lift_pct, users_total, users_test,
        users_control, power, alpha``. Geo: one row per test length ``weeks, n_treated,
        placebos, min_detectable_lift_pct, power_at_lift, min_detectable_incremental``.
    curve
        Power by true lift: ``option, lift_pct, power`` (what :meth:`chart` draws).
    lines
        The plan in words (what :meth:`summary` joins).

    Examples
    --------
    >>> from roi_kit.incrementality import plan_lift_test
    >>> plan = plan_lift_test(baseline_rate=0.05, users=50_000, holdout_share=0.2)
    >>> round(float(plan.to_frame()["lift_pct"].iloc[0]), 1)
    14.2
    """

    design: Literal["holdout", "geo"]
    table: pd.DataFrame
    curve: pd.DataFrame
    lines: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The plan table (see the class attributes for its columns)."""
        return self.table.copy()

    def summary(self) -> str:
        """The plan in words a manager can act on."""
        return "\n".join(self.lines)

    def chart(self) -> alt.LayerChart:
        """Power (chance of detecting it) against the true lift, one line per option."""
        from roi_kit.charts.incrementality import plan_chart

        return plan_chart(self)


def holdout_plan_result(solved: Literal["users", "lift", "power"], baseline: float, lift: float,
                        n_t: float, n_c: float, power: float, alpha: float) -> LiftPlan:
    from roi_kit.incrementality._plan import holdout_power

    total = n_t + n_c
    share = n_c / total
    table = pd.DataFrame([{
        "solved_for": solved, "baseline_rate": baseline, "lift_pct": 100 * lift,
        "users_total": total, "users_test": n_t, "users_control": n_c, "power": power,
        "alpha": alpha}])
    grid = np.linspace(0.0, max(2.0 * lift, 0.05) if math.isfinite(lift) else 1.0, 101)
    grid = grid[baseline * (1 + grid) < 1]
    curve = pd.DataFrame({"option": f"{total:,.0f} users", "lift_pct": 100 * grid,
                          "power": holdout_power(baseline, grid, total, holdout_share=share,
                                                 alpha=alpha)})
    setting = (f"({power:.0%} power, {alpha:.0%} false-alarm rate)" if solved != "power"
               else f"({alpha:.0%} false-alarm rate)")
    split = (f"{n_t:,.0f} who see the campaign and {n_c:,.0f} held out ({share:.0%}), assigned "
             "at random before the campaign starts.")
    if solved == "users":
        head = (f"To detect a +{fmt_pct(lift)} lift on a {fmt_pct(baseline, decimals=2)} "
                f"conversion rate {setting} you need {total:,.0f} users: {split}")
    elif solved == "lift":
        head = (f"With {total:,.0f} users ({n_t:,.0f} exposed, {n_c:,.0f} held out) and a "
                f"{fmt_pct(baseline, decimals=2)} conversion rate, the smallest lift you can "
                f"reliably detect {setting} is +{fmt_pct(lift)}"
                + (" — smaller true lifts will often read as 'no effect'." if math.isfinite(lift)
                   else ": no lift is detectable at this size."))
    else:
        head = (f"With {total:,.0f} users ({n_t:,.0f} exposed, {n_c:,.0f} held out), a true "
                f"+{fmt_pct(lift)} lift on a {fmt_pct(baseline, decimals=2)} conversion rate is "
                f"detected {power:.0%} of the time {setting}.")
    lines = [head, "Method: two-proportion z test (normal approximation); the exposed group "
             "must not be chosen by who engages — only a random holdout shows what the "
             "campaign caused."]
    if solved == "power" and power < 0.8:
        lines.append("That is below the usual 80%: enlarge the test or hold out a larger share "
                     "(a 50/50 split needs the fewest users).")
    return LiftPlan("holdout", table, curve, tuple(lines))


def geo_plan_result(rows: list[tuple[Any, ...]], curves: list[tuple[int, np.ndarray]],
                    grid: np.ndarray, *, lift: float | None, power: float, alpha: float,
                    cost: float | None, currency: str, source: str,
                    treated: tuple[str, ...] | None) -> LiftPlan:
    table = pd.DataFrame(rows, columns=["weeks", "n_treated", "placebos",
                                        "min_detectable_lift_pct", "power_at_lift",
                                        "min_detectable_incremental"])
    table["min_detectable_lift_pct"] *= 100
    keep = grid <= 0.5
    curve = pd.concat([pd.DataFrame({"option": f"{w} weeks", "lift_pct": 100 * grid[keep],
                                     "power": pw[keep]}) for w, pw in curves], ignore_index=True)
    who = (f"treating {', '.join(treated)}" if treated else
           f"treating {int(table['n_treated'].iloc[0])} markets")
    lines = [f"Geo test plan ({who}; power simulated on {source}, {power:.0%} power, "
             f"{alpha:.0%} false-alarm rate):"]
    for r in table.itertuples(index=False):
        money = fmt_money(r.min_detectable_incremental, currency=currency, decimals=0)
        if math.isfinite(r.min_detectable_lift_pct):
            text = (f"- {r.weeks} weeks: smallest detectable lift +{r.min_detectable_lift_pct:.1f}% "
                    f"of a usual week (about {money} of incremental outcome")
            if cost:
                text += f", an incremental ROAS of {r.min_detectable_incremental / cost:.2f} at a cost of {fmt_money(cost, currency=currency, decimals=0)}"
            text += ")"
        else:
            text = f"- {r.weeks} weeks: no lift up to +100% is reliably detectable"
        if lift is not None:
            text += f"; a +{lift:.0%} lift is detected {r.power_at_lift:.0%} of the time"
        lines.append(text + ".")
    best = table[table["min_detectable_lift_pct"].notna()]
    if len(best):
        pick = best.iloc[int(np.argmin(best["min_detectable_lift_pct"].to_numpy()))]
        lines.append(f"Recommendation: if the campaign is expected to lift sales by less than "
                     f"{pick['min_detectable_lift_pct']:.1f}%, even the best of these tests "
                     f"({int(pick['weeks'])} weeks) will probably read as 'no effect' — treat "
                     "more markets or run longer.")
    if int(table["placebos"].min()) < 2 / alpha - 1:
        lines.append(f"Only {int(table['placebos'].min())} placebo groups are possible, too few "
                     f"for a {alpha:.0%} test to reject reliably; add control markets.")
    return LiftPlan("geo", table, curve, tuple(lines))
