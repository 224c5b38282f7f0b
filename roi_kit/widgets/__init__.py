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

from typing import TYPE_CHECKING

from roi_kit._lazy import attach as _attach

# Each app loads only its own modules when first named (an app notebook imports one app; the
# incrementality app alone pulls in scipy's optimisers), so a Voila kernel starts sooner.
if TYPE_CHECKING:
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

__getattr__, __dir__, __all__ = _attach(__name__, __file__, namespace=globals())
