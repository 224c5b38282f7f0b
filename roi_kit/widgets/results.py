"""The result panel: headline numbers, plain words, an offline chart, a table and downloads.

A :class:`ResultPanel` shows any roi_kit result (anything with ``summary()``, ``to_frame()`` and
``chart()``). The chart is an offline ``alt.JupyterChart`` (see :mod:`roi_kit.charts.render`)
created once and updated in place, so a control change redraws in ~50 ms without reloading
JavaScript. Downloads are CSV (main table) and Excel (every table), both with spreadsheet
formulas neutralised by :mod:`roi_kit.export`.

Examples
--------
>>> import pandas as pd
>>> panel = ResultPanel("Costs", filename="costs")
>>> panel.show(summary="Total cost is <b>USD 10</b>.", table=pd.DataFrame({"cost": [10]}))
>>> "&lt;b&gt;" in panel.summary.value and "costs.csv" in panel.downloads.value
True
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import ipywidgets as W
import pandas as pd

from roi_kit.export import to_csv_bytes, to_excel_bytes
from roi_kit.results import escape
from roi_kit.widgets._common import StatusBox, download_link, error_text
from roi_kit.widgets.plain import plain_words
from roi_kit.widgets.tables import table_html

__all__ = [
    "CHART_WIDTH", "EMBED_ACTIONS", "ResultPanel", "readable_width", "table_html", "tiles_html",
]

CHART_WIDTH = 560
"""Width (px) given to single and layered charts that do not set one."""

EMBED_ACTIONS = {"export": True, "source": False, "compiled": False, "editor": False}
"""vega-embed menu: PNG/SVG export only; no "Open in Vega Editor" (it would post data online)."""


def readable_width(chart: Any) -> Any:
    """Give a single or layered chart without an explicit width :data:`CHART_WIDTH` pixels.

    Discrete x axes otherwise get ~20 px per category, which squeezes a waterfall of five bars.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> c = alt.Chart(pd.DataFrame({"a": ["x"]})).mark_bar().encode(x="a:N")
    >>> readable_width(c).width
    560
    >>> readable_width(c.properties(width=100)).width
    100
    """
    import altair as alt

    if isinstance(chart, alt.Chart | alt.LayerChart) and chart.width is alt.Undefined:
        has_facet = isinstance(chart, alt.Chart) and (
            any(getattr(chart.encoding, ch, alt.Undefined) is not alt.Undefined
                   for ch in ("facet", "row", "column")))
        if not has_facet:
            return chart.properties(width=CHART_WIDTH)
    return chart


def tiles_html(headline: Mapping[str, str]) -> str:
    """Big-number tiles (label → formatted value), escaped. A value's lines after the first
    (e.g. its interval) are shown small under the big number.

    Examples
    --------
    >>> "ROI" in tiles_html({"ROI": "25.0%"})
    True
    >>> "<div class='note'>95% interval 10.0% to 40.0%</div>" in tiles_html(
    ...     {"ROI": "25.0%\\n95% interval 10.0% to 40.0%"})
    True
    """
    if not headline:
        return ""

    def tile(label: str, value: str) -> str:
        big, _, note = value.partition("\n")
        small = f"<div class='note'>{escape(note)}</div>" if note else ""
        return (f"<div class='roi-kit-tile'><div class='label'>{escape(label)}</div>"
                f"<div class='value'>{escape(big)}</div>{small}</div>")

    tiles = "".join(tile(k, v) for k, v in headline.items())
    return f"<div class='roi-kit-tiles'>{tiles}</div>"


class ResultPanel(W.VBox):
    """Headline tiles, summary in words, an offline chart, a table and download links.

    Parameters
    ----------
    title
        Section heading shown above the result ('' for none).
    filename
        Base name of the downloaded files (``<filename>.csv`` / ``.xlsx``).
    table_rows
        Rows of the main table shown on the page (downloads always hold every row).
    details
        Show only the tiles, the summary's first sentence and the chart; the full summary
        (tests, p-values) and the table go into a collapsed "Details" section.

    Attributes
    ----------
    frames
        The tables of the last result (sheet name → frame), as downloaded.
    chart_widget
        The ``alt.JupyterChart`` once a chart has been shown, else ``None``.
    shown_key
        The ``key`` of the shown result (see :meth:`show`), else ``None``.
    """

    def __init__(self, title: str = "", *, filename: str = "result", table_rows: int = 15,
                 details: bool = False) -> None:
        self.filename = filename
        self.table_rows = table_rows
        self.heading = W.HTML(
            f"<div class='roi-kit-section-title'>{escape(title)}</div>" if title else ""
        )
        self.tiles = W.HTML("")
        self.summary = W.HTML("")
        self.message = StatusBox()
        self.chart_box = W.Box(layout=W.Layout(display="none", overflow="auto"))
        self.chart_box.add_class("roi-kit-chart")
        self.table = W.HTML("", layout=W.Layout(overflow="auto", max_width="100%"))
        self.table.add_class("roi-kit-table-box")
        self.downloads = W.HTML("")
        self.downloads.add_class("roi-kit-downloads")
        self.chart_widget: Any = None
        self.frames: dict[str, pd.DataFrame] = {}
        self.shown_key: Hashable = None
        self.lead = W.HTML("")
        self.details: W.Accordion | None = None
        if details:  # the answer first: tiles, one sentence, the chart; the rest on request
            self.details = W.Accordion(children=[W.VBox([self.summary, self.table])],
                                       titles=("Details: every figure, tests and p-values",))
            self.details.selected_index = None
            self.details.layout.display = "none"
            body = [self.lead, self.chart_box, self.details]
        else:
            body = [self.summary, self.chart_box, self.table]
        super().__init__([self.heading, self.message, self.tiles, *body, self.downloads])
        self.add_class("roi-kit-result")

    # ------------------------------------------------------------------------------------------
    def show(
        self,
        result: Any = None,
        *,
        summary: str | None = None,
        chart: Any = None,
        table: pd.DataFrame | None = None,
        tables: Mapping[str, pd.DataFrame] | None = None,
        headline: Mapping[str, str] | None = None,
        display: pd.DataFrame | None = None,
        key: Hashable = None,
    ) -> None:
        """Show a result; explicit arguments override what ``result`` provides.

        Parameters
        ----------
        result
            Any object with ``summary()``, ``to_frame()`` and optionally ``chart()``.
        summary
            Plain words (each line a paragraph; escaped).
        chart
            An Altair chart; ``None`` takes ``result.chart()`` when there is a result.
        table
            Main table (shown and downloaded as CSV); defaults to ``result.to_frame()``.
        tables
            Extra tables for the Excel download (sheet name → frame).
        headline
            Big numbers shown as tiles (label → formatted text).
        display
            A shorter table to show on the page instead of ``table`` (downloads keep ``table``).
        key
            What the shown result was computed from (the caller's inputs of this panel). When the
            panel already shows the result of an equal key, nothing is redrawn: no chart, table or
            download is built again. ``None`` (default) always redraws; :meth:`clear` forgets it.
        """
        if key is not None and key == self.shown_key:
            return
        self.shown_key = None
        self.message.clear()
        if result is not None:
            summary = result.summary() if summary is None else summary
            table = result.to_frame() if table is None else table
            if chart is None and hasattr(result, "chart"):
                try:
                    chart = result.chart()
                except Exception as exc:  # a chart problem must not hide the numbers
                    self.message.show(f"The chart could not be drawn: {error_text(exc)}", "warning")
                    chart = None
        self.tiles.value = tiles_html(headline or {})
        self.summary.value = (
            "<div class='roi-kit-summary'>"
            + "".join(f"<p>{escape(p)}</p>" for p in plain_words(summary or "").split("\n")
                      if p.strip())
            + "</div>"
        )
        if self.details is not None:
            paragraphs = [p for p in plain_words(summary or "").split("\n") if p.strip()]
            self.lead.value = (f"<div class='roi-kit-summary'><p><b>{escape(paragraphs[0])}</b>"
                               "</p></div>" if paragraphs else "")
            self.details.layout.display = "flex" if (len(paragraphs) > 1 or table is not None) \
                else "none"
        self._show_chart(chart)
        frames: dict[str, pd.DataFrame] = {}
        if table is not None:
            frames[self.filename] = table
        frames.update(tables or {})
        self.frames = frames
        shown = display if display is not None else table
        self.table.value = (
            table_html(shown, max_rows=self.table_rows) if shown is not None else ""
        )
        self._show_downloads()
        self.shown_key = key

    def _show_chart(self, chart: Any) -> None:
        if chart is None:
            self.chart_box.layout.display = "none"
            return
        chart = readable_width(chart)
        if self.chart_widget is None:
            from roi_kit.charts.render import chart_widget
            from roi_kit.widgets._offline import warm_offline_bundle

            warm_offline_bundle()  # ~1.5 s saved per kernel once the bundle is on disk
            self.chart_widget = chart_widget(chart)
            # export buttons yes; "open in Vega editor" would send the data to a web site
            self.chart_widget.embed_options = {"actions": EMBED_ACTIONS}
            self.chart_box.children = (self.chart_widget,)
        else:
            self.chart_widget.chart = chart
        self.chart_box.layout.display = "flex"

    def _show_downloads(self) -> None:
        if not self.frames:
            self.downloads.value = ""
            return
        main = next(iter(self.frames.values()))
        links = [download_link(to_csv_bytes(main), f"{self.filename}.csv", label="Download CSV")]
        links.append(download_link(to_excel_bytes(self.frames), f"{self.filename}.xlsx",
                                   label="Download Excel"))
        self.downloads.value = "".join(links)

    def show_error(self, error: BaseException) -> None:
        """Replace the result by a visible, specific error message (the app keeps working)."""
        self.clear()
        self.message.error(error_text(error))

    def clear(self) -> None:
        """Empty the panel (the chart widget is kept for reuse, hidden)."""
        self.message.clear()
        self.tiles.value = self.summary.value = self.table.value = self.downloads.value = ""
        self.lead.value = ""
        if self.details is not None:
            self.details.layout.display = "none"
        self.chart_box.layout.display = "none"
        self.frames = {}
        self.shown_key = None

    @property
    def chart_spec(self) -> dict[str, Any] | None:
        """The Vega-Lite spec currently shown (``None`` when no chart is visible)."""
        if self.chart_widget is None or self.chart_box.layout.display == "none":
            return None
        return dict(self.chart_widget.spec)
