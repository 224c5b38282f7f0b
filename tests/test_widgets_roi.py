"""One ROI per sample: the ROI calculator (app 01) and the management report (app 06) agree."""

from __future__ import annotations

import pytest

import roi_kit as rk
from roi_kit.formatting import fmt_pct
from roi_kit.widgets import ManagementReportApp, RoiCalculatorApp
from roi_kit.widgets.apps.social_roi import cost_dates, social_ledger, social_revenue


@pytest.fixture(scope="module")
def saas() -> rk.datasets.SampleData:
    return rk.datasets.load_sample("saas")


def test_roi_calculator_and_report_show_the_same_roi(saas: rk.datasets.SampleData) -> None:
    calc = RoiCalculatorApp(saas)
    report = ManagementReportApp(saas)
    assert calc.revenue_source.value == "attribution" == report.revenue_from.value
    mine, theirs = calc.result, report.roi_result
    assert mine.revenue == theirs.revenue and mine.cost == theirs.cost
    assert mine.roi_pct == pytest.approx((mine.revenue - mine.cost) * 100 / mine.cost)
    assert mine.roi_pct == theirs.roi_pct
    shown = fmt_pct(mine.roi_pct, ratio_input=False)
    assert shown in calc.roi_panel.tiles.value and shown in report.page.value


def test_the_roi_uses_revenue_and_cost_of_the_same_dates(saas: rk.datasets.SampleData) -> None:
    start, end = cost_dates(saas.costs)
    inside = saas.touchpoints[(saas.touchpoints["timestamp"].dt.date >= start)
                              & (saas.touchpoints["timestamp"].dt.date <= end)]
    revenue = social_revenue(saas.tables(), "attribution", start=start, end=end)
    assert revenue.revenue_estimate()[0] == pytest.approx(
        rk.attribute(inside, model="markov").revenue_estimate()[0])
    assert social_ledger(saas.costs).total == pytest.approx(rk.cost_ledger(saas.costs).total)
