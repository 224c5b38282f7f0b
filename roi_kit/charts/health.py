"""Data health as one bar per check, coloured by status; the finding is in the tooltip.

Examples
--------
>>> import pandas as pd
>>> from roi_kit.reconcile import data_health
>>> posts = pd.DataFrame({"post_id": ["p1"], "published_at": pd.to_datetime(["2025-01-01"])})
>>> health_chart(data_health(posts=posts)).to_dict()["mark"]["type"]
'bar'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

from roi_kit.charts.theme import use_theme

if TYPE_CHECKING:
    from roi_kit.reconcile import DataHealth

__all__ = ["HEALTH_COLORS", "health_chart"]

HEALTH_COLORS: dict[str, str] = {"ok": "#2e7d32", "warning": "#f9a825", "problem": "#c62828",
                                 "skipped": "#9e9e9e"}
"""Colour per data-health status."""


def health_chart(result: DataHealth) -> alt.Chart:
    """One bar per check in the order of :data:`roi_kit.reconcile.CHECKS`, coloured by status."""
    from roi_kit.reconcile import CHECKS

    use_theme()
    data = result.to_frame().assign(one=1)[["check", "status", "message", "one"]]
    scale = alt.Scale(domain=list(HEALTH_COLORS), range=list(HEALTH_COLORS.values()))
    return (alt.Chart(data, title="Data health").mark_bar()
            .encode(y=alt.Y("check:N", sort=list(CHECKS), title=None),
                    x=alt.X("one:Q", axis=None, title=None),
                    color=alt.Color("status:N", scale=scale, title="Status"),
                    tooltip=["check:N", "status:N", "message:N"]))
