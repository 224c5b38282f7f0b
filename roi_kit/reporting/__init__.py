"""Automated, self-contained reports (used by the ``roi-kit`` command line).

* :mod:`~roi_kit.reporting.config` — ``report.toml`` parsed and checked key by key;
* :mod:`~roi_kit.reporting.data` — the tables loaded once, period filters, "as known at the end";
* :mod:`~roi_kit.reporting.period` — one period's costs, attribution, ROI and funnel;
* :mod:`~roi_kit.reporting.followers` — the value of followers credited to a period;
* :mod:`~roi_kit.reporting.metrics` and :mod:`~roi_kit.reporting.goals` — goal actuals and targets;
* :mod:`~roi_kit.reporting.sections` and :mod:`~roi_kit.reporting.display` — words, tables, charts;
* :mod:`~roi_kit.reporting.build` — :func:`build_report` → :class:`Report`;
* :mod:`~roi_kit.reporting.write` — :func:`write_report` as HTML, Excel, CSV or JSON.

Examples
--------
>>> from roi_kit.reporting import parse_config
>>> parse_config('[report]\\nperiod = "last_year"', check_files=False).compare_previous
True
"""

from __future__ import annotations

from roi_kit.reporting.build import Report, build_report
from roi_kit.reporting.config import ReportConfig, load_config, parse_config
from roi_kit.reporting.write import write_report

__all__ = ["Report", "ReportConfig", "build_report", "load_config", "parse_config", "write_report"]
