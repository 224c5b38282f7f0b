"""Reusable ipywidgets components and whole app panels for JupyterLab and Voila.

Every app is a class a notebook composes in two lines; every panel is unit-tested without a
browser by setting widget values and asserting on outputs and trait values. Charts render
offline (``alt.JupyterChart`` with its JavaScript bundled); downloads are CSV and Excel with
spreadsheet formulas neutralised.

Examples
--------
>>> from roi_kit.widgets import ResultPanel
>>> ResultPanel("ROI").heading.value
"<div class='roi-kit-section-title'>ROI</div>"
"""

from __future__ import annotations

from roi_kit.widgets._common import Progress, StatusBox, download_link
from roi_kit.widgets.app import AppPanel
from roi_kit.widgets.apps.attribution_app import AttributionApp
from roi_kit.widgets.apps.content_app import ContentApp
from roi_kit.widgets.apps.followers_app import FollowersApp
from roi_kit.widgets.apps.funnel_app import FunnelApp
from roi_kit.widgets.apps.incrementality_app import IncrementalityApp
from roi_kit.widgets.apps.overview_app import DataOverviewApp
from roi_kit.widgets.apps.report_app import ManagementReportApp
from roi_kit.widgets.apps.roi_app import RoiCalculatorApp
from roi_kit.widgets.controls import CONTROL_NAMES, SegmentControls, SegmentSettings
from roi_kit.widgets.data_source import DataSourcePicker, UploadedTable, guess_table
from roi_kit.widgets.results import ResultPanel

__all__ = [
    "CONTROL_NAMES",
    "AppPanel",
    "AttributionApp",
    "ContentApp",
    "DataOverviewApp",
    "DataSourcePicker",
    "FollowersApp",
    "FunnelApp",
    "IncrementalityApp",
    "ManagementReportApp",
    "Progress",
    "ResultPanel",
    "RoiCalculatorApp",
    "SegmentControls",
    "SegmentSettings",
    "StatusBox",
    "UploadedTable",
    "download_link",
    "guess_table",
]
