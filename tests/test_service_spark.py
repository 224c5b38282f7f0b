"""Social care metrics on local PySpark give the same tables as on pandas."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import roi_kit as rk
from tests.test_service import five_cases
from tests.test_service_retention import tables

pytestmark = pytest.mark.spark


def test_service_metrics_on_spark(spark: Any) -> None:
    kw: dict[str, Any] = {"by": "platform", "cost_per_case": {"phone": 6.0, "email": 4.0, "social": 1.0}}
    got = rk.service_metrics(spark.createDataFrame(five_cases()), **kw).to_frame()
    pd.testing.assert_frame_equal(got, rk.service_metrics(five_cases(), **kw).to_frame())


def test_service_retention_on_spark(spark: Any) -> None:
    customers, cases = tables()
    got = rk.service_retention(spark.createDataFrame(customers),
                               spark.createDataFrame(cases.astype({"customer_id": "string"})),
                               as_of="2024-12-31").to_frame()
    pd.testing.assert_frame_equal(got, rk.service_retention(customers, cases, as_of="2024-12-31").to_frame())
