"""Social customer care: how fast and how well cases are answered on social, and what it saves.

* :func:`service_metrics` — response rate, first-response and resolution times (Kaplan–Meier
  medians, open cases censored at the data end), resolution rate, and service-cost savings
  against the channels the cases replaced; → :class:`ServiceMetrics`.
* :func:`service_retention` — do served complainers stay? Kaplan–Meier retention of customers
  who complained on social, served vs not served by a landmark; → :class:`ServiceRetention`.
* The cases come from ``rk.load_service_interactions`` (the ``service_interactions`` table).

Method, conventions and sources: ``docs/service.md``.

Examples
--------
>>> import pandas as pd
>>> cases = pd.DataFrame({"interaction_id": ["a", "b"], "platform": ["x", "x"],
...                       "opened_at": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 10:00"]),
...                       "first_response_at": pd.to_datetime(["2024-01-01 09:20", None])})
>>> service_metrics(cases).value("response_rate")
0.5
"""

from __future__ import annotations

from roi_kit.service._metrics import service_metrics
from roi_kit.service._result import ServiceMetric, ServiceMetrics
from roi_kit.service._retention import Served, service_retention
from roi_kit.service._retention_result import ServiceRetention

__all__ = [
           "Served",
           "ServiceMetric",
           "ServiceMetrics",
           "ServiceRetention",
           "service_metrics",
           "service_retention",
]
