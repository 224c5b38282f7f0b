"""Self-contained HTML reports: sections of words, static charts and tables on one offline page.

A :class:`ReportSection` is one block (heading, plain words, big-number tiles, an Altair chart and
a small table); :func:`static_html_report` puts the sections on a complete page and
:func:`sections_html` gives them as a fragment. Every piece of user text is escaped, charts are
static SVG rendered in Python by vl-convert, the style sheet (:data:`REPORT_CSS`) is inline and a
Content-Security-Policy forbids scripts and requests, so the page opens offline, in an e-mail
attachment or on an intranet.

Examples
--------
>>> page = static_html_report("Q1 <report>", [ReportSection("Costs", text="Spend & return.")])
>>> "Q1 &lt;report&gt;" in page and "<script" not in page
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from roi_kit.results import escape, frame_to_html

__all__ = ["REPORT_CSS", "ReportSection", "sections_html", "static_html_report"]


@dataclass(frozen=True)
class ReportSection:
    """One block of a static report: a heading, plain words, an optional chart and table.

    Parameters
    ----------
    heading
        Section title (escaped).
    text
        Plain words; each line becomes a paragraph (escaped).
    chart
        An Altair chart, rendered to static SVG.
    table
        A small table, rendered as escaped HTML (first ``max_rows`` rows).
    max_rows
        Rows of ``table`` shown.
    tiles
        Big numbers shown first (label → formatted value; escaped), e.g. the headline figures.
    """

    heading: str
    text: str = ""
    chart: Any = None
    table: pd.DataFrame | None = None
    max_rows: int = 20
    tiles: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_result(
        cls, heading: str, result: Any, *, chart: bool = True, table: bool = True,
        max_rows: int = 20,
    ) -> ReportSection:
        """Build a section from any roi_kit result (``summary()``, ``to_frame()``, ``chart()``).

        Examples
        --------
        >>> import pandas as pd
        >>> class R:
        ...     def summary(self): return "Fine."
        ...     def to_frame(self): return pd.DataFrame({"a": [1]})
        >>> ReportSection.from_result("R", R(), chart=False).text
        'Fine.'
        """
        built_chart = result.chart() if chart and hasattr(result, "chart") else None
        frame = result.to_frame() if table and hasattr(result, "to_frame") else None
        return cls(heading, text=str(result.summary()), chart=built_chart, table=frame,
                   max_rows=max_rows)


_CSS = """
body{font-family:Inter,'Segoe UI',Helvetica,Arial,sans-serif;color:#1d1d1d;margin:0;background:#f6f7f9}
main{max-width:980px;margin:0 auto;padding:28px 32px;background:#fff}
h1{font-size:26px;margin:0 0 4px}
.subtitle{color:#555;margin:0 0 18px}
section{border-top:1px solid #e3e3e3;padding:14px 0 6px}
h2{font-size:19px;margin:6px 0 8px}
p{line-height:1.45;margin:6px 0}
.chart{margin:10px 0;overflow-x:auto}
table.roi-kit-table{border-collapse:collapse;font-size:13px;margin:8px 0}
table.roi-kit-table th,table.roi-kit-table td{padding:4px 10px;border-bottom:1px solid #e6e6e6;text-align:right}
table.roi-kit-table th{background:#f2f4f7}
footer{color:#777;font-size:12px;margin-top:18px}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 10px}
.tile{border:1px solid #dde3ea;border-radius:8px;padding:8px 14px;min-width:150px;background:#fafbfc}
.tile .label{font-size:12px;color:#555}
.tile .value{font-size:22px;font-weight:600;color:#1f5aa6}
.tile .note{font-size:12px;color:#555}
@media print{body{background:#fff}main{padding:0}}
"""


def _section_html(section: ReportSection) -> str:
    from roi_kit.charts.render import to_svg

    parts = [f"<section><h2>{escape(section.heading)}</h2>"]
    if section.tiles:
        parts.append("<div class='tiles'>" + "".join(
            f"<div class='tile'><div class='label'>{escape(label)}</div>"
            + "".join(f"<div class='{'value' if i == 0 else 'note'}'>{escape(line)}</div>"
                      for i, line in enumerate(value.split("\n")))
            + "</div>" for label, value in section.tiles) + "</div>")
    parts.extend(f"<p>{escape(line)}</p>" for line in section.text.split("\n") if line.strip())
    if section.chart is not None:
        parts.append(f"<div class='chart roi-kit-chart'>{to_svg(section.chart)}</div>")
    if section.table is not None:
        parts.append(frame_to_html(section.table, max_rows=section.max_rows))
    parts.append("</section>")
    return "".join(parts)


def sections_html(sections: Sequence[ReportSection]) -> str:
    """The report's sections as an HTML fragment (for showing the report inside a page).

    Examples
    --------
    >>> sections_html([ReportSection("A & B")])
    '<section><h2>A &amp; B</h2></section>'
    """
    return "".join(_section_html(s) for s in sections)


REPORT_CSS = _CSS
"""The inline style sheet of :func:`static_html_report`."""


def static_html_report(
    title: str,
    sections: Sequence[ReportSection],
    *,
    subtitle: str = "",
    footer: str = "",
    generated_at: dt.datetime | None = None,
) -> str:
    """A self-contained HTML page (inline CSS, static SVG charts, no scripts, no requests).

    Parameters
    ----------
    title, subtitle
        Page title and the line under it (escaped).
    sections
        The blocks of the page, in order (see :class:`ReportSection`).
    footer
        A last line such as the data source (escaped).
    generated_at
        Time stamp printed in the footer; omitted when ``None`` (keeps output reproducible).

    Returns
    -------
    str
        A complete ``<!DOCTYPE html>`` document; write it with ``encoding="utf-8"``.

    Examples
    --------
    >>> page = static_html_report("ROI", [ReportSection("Summary", text="ROI is 50%.")])
    >>> page.startswith("<!DOCTYPE html>") and "ROI is 50%." in page
    True
    """
    body = sections_html(sections)
    foot = escape(footer)
    if generated_at is not None:
        stamp = escape(generated_at.strftime("%Y-%m-%d %H:%M"))
        foot = f"{foot} · generated {stamp}" if foot else f"Generated {stamp}"
    sub = f"<p class='subtitle'>{escape(subtitle)}</p>" if subtitle else ""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{sub}{body}"
        f"<footer>{foot}</footer></main></body></html>\n"
    )
