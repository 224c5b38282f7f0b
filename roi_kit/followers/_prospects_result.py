"""The result of :func:`~roi_kit.compare_prospects`: effects per pair of groups, counts, curves.

Examples
--------
>>> from roi_kit.followers._effects import Effect
>>> e = Effect("deals", "win rate", "naive", 0.5, 0.25, 0.25, 0.01, 0.45, key="win_rate")
>>> r = ProspectComparison((e,), pd.DataFrame({"group": ["followers", "non-followers"],
...     "leads": [4, 8], "deals": [4, 8], "won": [2, 2], "lost": [2, 6], "open": [0, 0]}),
...     {}, "the deals column 'fan'", (), pd.Timestamp("2024-06-30"), 0.95)
>>> r.to_frame()[["group", "reference", "measure", "difference"]].values.tolist()
[['followers', 'non-followers', 'win rate', 0.25]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from roi_kit.followers._close_time import CloseTimeComparison
from roi_kit.followers._effects import Effect, EffectLookup, effects_frame
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["ProspectComparison"]

_CAVEAT = ("Caveat: these are raw comparisons of leads, without covariate adjustment. They show an "
           "association, not proof that following causes the difference: company size, the deal's source "
           "or a champion at the account can explain it.")


@dataclass(frozen=True)
class ProspectComparison(EffectLookup, ResultMixin):
    """Follower vs non-follower leads: win rate, lead conversion, sales cycle, pipeline velocity.

    Attributes
    ----------
    effects
        One :class:`~roi_kit.followers.Effect` per measure and pair; ``labels`` holds the two
        groups (group, reference).
    counts
        Per group: ``group, leads, deals, won, lost, open``.
    cycles
        Per pair ``(group, reference)``: the sales-cycle comparison (Kaplan–Meier curves of the
        share of deals still open, medians, log-rank test).
    describe
        How the groups were formed.
    notes
        Rows left out and why; how the audience matched.
    as_of
        End of observation.
    conf_level
        Confidence level of the intervals.

    Examples
    --------
    >>> import roi_kit as rk
    >>> deals = pd.DataFrame({"customer_id": list("abcd"), "fan": [1, 1, 0, 0],
    ...     "status": ["won", "lost", "won", "lost"], "created_at": pd.to_datetime(["2024-01-01"] * 4),
    ...     "closed_at": pd.to_datetime(["2024-01-03", "2024-01-09", "2024-01-05", "2024-01-20"])})
    >>> r = rk.compare_prospects(deals, by="fan", n_boot=50)
    >>> r.counts["won"].tolist(), r.effect("close_median", "naive").difference
    ([1, 1], -2.0)
    """

    effects: tuple[Effect, ...]
    counts: pd.DataFrame = field(repr=False)
    cycles: dict[tuple[str, str], CloseTimeComparison] = field(repr=False)
    describe: str
    notes: tuple[str, ...]
    as_of: pd.Timestamp
    conf_level: float

    @property
    def n_deals(self) -> int:
        """New deals compared (customers' and prospects')."""
        return int(self.counts["deals"].sum())

    def to_frame(self) -> pd.DataFrame:
        """Effects table with ``group, reference`` first, then the columns of
        :func:`~roi_kit.followers.effects_frame` (``followers`` / ``non_followers`` hold the
        group's and the reference's figures)."""
        frame = effects_frame(list(self.effects))
        frame.insert(0, "reference", [e.labels[1] for e in self.effects])
        frame.insert(0, "group", [e.labels[0] for e in self.effects])
        return frame

    def summary(self) -> str:
        """The comparison in plain words."""
        c = self.counts
        lines = [f"Leads compared by {self.describe}; data until {self.as_of:%Y-%m-%d}."]
        lines += [f"{r.group}: {r.leads:,} leads, {r.deals:,} new deals ({r.won:,} won, {r.lost:,} lost, "
                  f"{r.open:,} open)." for r in c.itertuples()]
        lines += [e.sentence()[0].upper() + e.sentence()[1:] for e in self.effects]
        for (g, ref), cyc in self.cycles.items():
            if cyc.logrank is not None:
                lines.append(f"Sales cycle, {g} vs {ref}: log-rank χ² = {cyc.logrank.statistic:.1f}, "
                             f"p = {cyc.logrank.p_value:.3g}.")
        lines += list(self.notes)
        return "\n".join([*lines, _CAVEAT])

    def chart(self) -> alt.TopLevelMixin:
        """Forest plot of the differences (one panel per unit) with their intervals."""
        from roi_kit.charts.segments import effects_chart

        if len(self.cycles) > 1:
            shown = [e.__class__(**{**e.__dict__, "measure": f"{e.measure}: {e.labels[0]} vs {e.labels[1]}"})
                     for e in self.effects]
            return effects_chart(shown, title="Each group minus the reference")
        return effects_chart(list(self.effects), title="Follower leads minus non-follower leads")
