"""The one registered Altair theme of roi_kit, applied by every chart builder.

Examples
--------
>>> import altair as alt
>>> use_theme()
>>> alt.theme.active
'roi_kit'
"""

from __future__ import annotations

import altair as alt

__all__ = ["PALETTE", "SEGMENT_COLORS", "use_theme"]

PALETTE: tuple[str, ...] = (
    "#1f5aa6", "#e07b39", "#3a9b5c", "#c8423d", "#7d5ba6", "#8c6d4f", "#d67fb5", "#6b6b6b",
    "#b5a642", "#3fa7b5",
)
"""Colour-blind-friendly categorical palette (ordered: primary first)."""

SEGMENT_COLORS: dict[str, str] = {"followers": "#1f5aa6", "non-followers": "#9a9a9a"}
"""Fixed colours for the two segments of the follower comparison."""

_FONT = "Inter, 'Segoe UI', Helvetica, Arial, sans-serif"


@alt.theme.register("roi_kit", enable=False)
def _roi_kit_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": _FONT,
            "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 300},
            "range": {"category": list(PALETTE)},
            "axis": {
                "labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
                "gridColor": "#e6e6e6", "domainColor": "#888888", "tickColor": "#888888",
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "title": {"fontSize": 15, "anchor": "start", "fontWeight": 600, "subtitleColor": "#555555"},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "point": {"color": PALETTE[0]},
        }
    }


def use_theme() -> None:
    """Enable the roi_kit theme (idempotent; chart builders call it)."""
    if alt.theme.active != "roi_kit":
        alt.theme.enable("roi_kit")
