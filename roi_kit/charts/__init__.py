"""Altair chart builders (one theme) and offline rendering.

Each analysis result has a ``.chart()`` method that calls a builder here; builders are pure
functions ``result -> alt.Chart``.
"""

from __future__ import annotations

from roi_kit.charts.render import chart_widget, enable_offline, to_svg
from roi_kit.charts.theme import PALETTE, SEGMENT_COLORS, use_theme

__all__ = ["PALETTE", "SEGMENT_COLORS", "chart_widget", "enable_offline", "to_svg", "use_theme"]
