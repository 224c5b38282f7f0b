"""App 0 — start here: which data is loaded, how big, which period; upload and check your files.

Examples
--------
>>> import pandas as pd
>>> frame = table_overview({"deals": pd.DataFrame({"created_at": pd.to_datetime(["2024-01-02"]),
...                                                 "amount": [5.0]})})
>>> frame[["table", "rows", "first_date"]].values.tolist()
[['deals', 1, '2024-01-02']]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import altair as alt
import ipywidgets as W
import pandas as pd

from roi_kit.schema import TABLES
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.results import ResultPanel

__all__ = ["DataOverviewApp", "table_overview"]

_DATE_COLUMN = {
    "customers": "acquired_at", "social_audience": "followed_at", "deals": "created_at",
    "touchpoints": "timestamp", "posts": "published_at", "costs": "date",
    "funnel_events": "timestamp", "goals": "period_start",
    "service_interactions": "opened_at", "ad_performance": "date",
    "traffic": "date",
}


def table_overview(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per table: ``table, rows, columns, first_date, last_date, description``."""
    rows = []
    for name, frame in tables.items():
        column = _DATE_COLUMN.get(name)
        first = last = ""
        if column in frame.columns and len(frame):
            values = pd.to_datetime(frame[column], errors="coerce").dropna()
            if len(values):
                first, last = str(values.min().date()), str(values.max().date())
        spec = TABLES.get(name)
        rows.append({"table": name, "rows": len(frame), "columns": frame.shape[1],
                     "first_date": first, "last_date": last,
                     "description": spec.description if spec else ""})
    return pd.DataFrame(rows, columns=["table", "rows", "columns", "first_date", "last_date",
                                       "description"])


def overview_chart(overview: pd.DataFrame) -> alt.LayerChart:
    """Bar chart of rows per table (log scale: tables differ by orders of magnitude).

    A log axis has no zero, so each bar is drawn from 1 row (``x2``) to its count; a bar from the
    default baseline 0 has no width at all. The count is written at the end of each bar.

    Examples
    --------
    >>> spec = overview_chart(table_overview({"deals": pd.DataFrame({"x": [1, 2]})})).to_dict()
    >>> spec["layer"][0]["encoding"]["x2"]
    {'datum': 1}
    """
    from roi_kit.charts.theme import use_theme

    use_theme()
    base = alt.Chart(overview, title="Rows per table").encode(
        y=alt.Y("table:N", sort="-x", title=None),
        x=alt.X("rows:Q", scale=alt.Scale(type="log"), title="rows (log scale)"),
        tooltip=["table", alt.Tooltip("rows:Q", format=","), "first_date", "last_date"],
    )
    bars = base.mark_bar().encode(x2=alt.datum(1))
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("rows:Q", format=","))
    return alt.LayerChart(layer=[bars, labels])


class DataOverviewApp(AppPanel):
    """The tables in use: rows, columns and period of each, with the load report of uploads."""

    title: ClassVar[str] = "Start here: your data"
    question: ClassVar[str] = ("Which data do the apps use? Pick the shipped sample or upload your "
                               "own exports and check what was read before you trust a number.")
    tables: ClassVar[tuple[str, ...]] = ()
    optional_tables: ClassVar[tuple[str, ...]] = tuple(TABLES)

    def build(self) -> Sequence[W.Widget]:
        self.panel = ResultPanel("Tables", filename="tables")
        self.overview = pd.DataFrame()
        return [self.panel]

    def compute(self, step: Any) -> None:
        self.overview = table_overview(self.data)
        step()
        if self.overview.empty:
            self.panel.show(summary="No tables loaded yet: upload a file or pick a sample.")
            return
        total = int(self.overview["rows"].sum())
        summary = (
            f"{len(self.overview)} tables with {total:,} rows in all. Open an app from the list "
            "(ROI calculator, followers vs non-followers, funnel, attribution, content, "
            "management report); each one lets you switch between the sample and your own files."
        )
        self.panel.show(summary=summary, table=self.overview, chart=overview_chart(self.overview),
                        headline={"Tables": str(len(self.overview)), "Rows": f"{total:,}"})
