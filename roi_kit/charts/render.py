"""Render Altair charts with no internet access.

Altair's default HTML output loads Vega from a CDN and shows a blank chart offline. roi_kit uses:

* in JupyterLab and Voila: :func:`chart_widget` — an ``alt.JupyterChart`` with its JavaScript
  bundled (``JupyterChart.enable_offline()``); update it in place with ``widget.chart = new``;
* in self-contained HTML (reports, exports): :func:`to_svg` — a static SVG rendered in Python by
  vl-convert, so the page makes no request at all.

Examples
--------
>>> import altair as alt, pandas as pd
>>> chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_bar().encode(x="x:O", y="y")
>>> to_svg(chart).startswith("<svg")
True
"""

from __future__ import annotations

import functools
import json

import altair as alt

__all__ = ["chart_widget", "enable_offline", "to_svg"]

_offline_enabled = False


def enable_offline() -> None:
    """Bundle the Vega JavaScript into ``JupyterChart`` widgets (once per kernel)."""
    global _offline_enabled
    if not _offline_enabled:
        alt.JupyterChart.enable_offline()
        _offline_enabled = True


def chart_widget(chart: alt.TopLevelMixin) -> alt.JupyterChart:
    """An interactive chart widget that renders offline in JupyterLab and Voila.

    Parameters
    ----------
    chart
        Any Altair chart.
    """
    enable_offline()
    return alt.JupyterChart(chart)  # type: ignore[arg-type]


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to a static SVG string (no JavaScript, no network).

    The last :data:`SVG_CACHE_SIZE` renderings are kept by their Vega-Lite spec, so a page that is
    rebuilt with charts that did not change (e.g. the management report after its title changed)
    does not pay vl-convert again; a different spec (data, encoding or size) renders anew.

    Parameters
    ----------
    chart
        Any Altair chart.
    """
    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0].replace(".", "_")
    return _render(json.dumps(chart.to_dict(), sort_keys=True, default=str), f"v{version}")


SVG_CACHE_SIZE = 32
"""How many rendered charts :func:`to_svg` keeps (by spec; least recently used dropped first)."""


@functools.lru_cache(maxsize=SVG_CACHE_SIZE)
def _render(spec: str, vl_version: str) -> str:
    """The SVG of a Vega-Lite spec given as JSON text (vl-convert reads the text itself)."""
    import vl_convert as vlc

    return str(vlc.vegalite_to_svg(spec, vl_version=vl_version))
