"""One ROI per sample: the ROI calculator (app 01) and the management report (app 06) agree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import roi_kit as rk
from roi_kit.formatting import fmt_pct
from roi_kit.widgets import ManagementReportApp, RoiCalculatorApp
from roi_kit.widgets.apps.social_roi import cost_dates, social_ledger, social_revenue


# The sample and both apps are the session's (tests/conftest.py), shared with test_widgets_apps.py:
# read only, and a test that changes a control puts it back in a ``finally``.
@pytest.fixture
def saas(saas_sample: rk.datasets.SampleData) -> rk.datasets.SampleData:
    return saas_sample


@pytest.fixture
def calc(saas_roi_app: RoiCalculatorApp) -> RoiCalculatorApp:
    return saas_roi_app


@pytest.fixture
def report(saas_report_app: ManagementReportApp) -> ManagementReportApp:
    return saas_report_app


def test_roi_calculator_and_report_show_the_same_roi(calc: RoiCalculatorApp,
                                                     report: ManagementReportApp) -> None:
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


def test_effects_chart_gives_each_unit_its_own_axis() -> None:
    from roi_kit.charts.segments import effects_chart
    from roi_kit.followers import Effect

    effects = [Effect("retention", "retention at 90 days", "naive", 0.6, 0.5, 0.1, 0.05, 0.15),
               Effect("retention", "mean days active", "naive", 200.0, 163.0, 37.0, 20.0, 50.0,
                      unit="days")]
    spec = effects_chart(effects).to_dict()
    panels = spec["vconcat"]
    assert len(panels) == 2 and spec["resolve"]["scale"]["x"] == "independent"
    axes = [p["layer"][1]["encoding"]["x"] for p in panels]
    assert [a["title"] for a in axes] == ["difference (percentage points)", "difference (days)"]
    assert [a["axis"]["format"] for a in axes] == [".0%", ",.0f"]


def test_best_time_heatmap_leaves_slots_without_posts_grey() -> None:
    import pandas as pd

    from roi_kit.content import best_time_to_post

    posts = pd.DataFrame({
        "post_id": ["a", "b", "c", "d"], "platform": ["x"] * 4,
        "published_at": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 09:30",
                                        "2024-01-02 14:00", "2024-01-08 09:10"]),
        "impressions": [100, 200, 100, 300], "likes": [5, 10, 2, 9]})
    spec = best_time_to_post(posts).chart().to_dict()
    color = spec["spec"]["layer"][0]["encoding"]["color"]
    assert color["condition"]["test"] == "(datum.posts > 0)" and color["value"] == "#eeeeee"


def test_report_file_is_readable_by_others(tmp_path: Path) -> None:
    import os
    import stat

    from roi_kit.reporting.write import _atomic_write

    old = os.umask(0o022)
    try:
        _atomic_write(tmp_path / "report.html", b"<html></html>")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "report.html").stat().st_mode)
    assert mode == 0o644


def test_report_follower_tile_statement_and_cli_report_are_one_follower_value(
        report: ManagementReportApp, saas: rk.datasets.SampleData) -> None:
    """App 06's follower tile, the follower-value component of its direct + indirect statement,
    the ROI on followers and `roi-kit report`'s follower value for the same dates are one figure."""
    from roi_kit.formatting import fmt_money
    from roi_kit.reporting.config import parse_config
    from roi_kit.reporting.data import load_data
    from roi_kit.reporting.followers import follower_value

    start, end = cost_dates(saas.costs)
    component = report.frames["roi_components"].set_index("component").loc["follower value"]
    tile = dict(report.sections[0].tiles)["Value of followers"]
    money = lambda v: fmt_money(v, currency="USD", decimals=0)  # noqa: E731
    assert tile == (f"{money(component['value'])}\n95% interval {money(component['ci_low'])} to "
                    f"{money(component['ci_high'])}")
    # the old tile (compare_segments on all the data, n_boot=300) said USD 1,366,280 here,
    # beside the statement's USD 1,424,763
    assert money(component["value"]) == "USD 1,424,763"
    report.revenue_from.value = "followers"  # the ROI on followers reads the same figure
    try:
        assert report.roi_result.revenue == component["value"]
    finally:
        report.revenue_from.value = "attribution"
    # `roi-kit report` for the same dates: its follower value (build.compute) credited to them
    # (indirect.period_statement)
    cfg = parse_config(f'[report]\nperiod_start = "{start}"\nperiod_end = "{end}"\n'
                       'compare_previous = false\n[data]\nsample = "saas"\n', check_files=False)
    cli = follower_value(load_data(cfg).tables, cfg)
    assert not isinstance(cli, str)
    est, low, high, _ = cli.for_period(start, end).revenue_estimate()
    assert (est, low, high) == pytest.approx(
        (component["value"], component["ci_low"], component["ci_high"]), rel=1e-12)


def test_roi_calculator_follower_revenue_is_the_follower_value_of_its_dates(
        calc: RoiCalculatorApp) -> None:
    """App 01's "value of followers" revenue is its statement's follower value for any dates: only
    the followers who reached the landmark in the dates are credited."""
    def statement_value() -> float:
        return float(calc.statement.components_frame().set_index("component").loc[
            "follower value", "value"])

    first = calc.start.value
    calc.revenue_source.value = "followers"
    try:
        whole = calc.result.revenue
        assert statement_value() == whole
        calc.start.value = dt.date(2025, 7, 1)  # the last two quarters only: fewer followers
        half = calc.result.revenue
        assert 0 < half < whole and statement_value() == half
    finally:
        calc.start.value = first
        calc.revenue_source.value = "attribution"
