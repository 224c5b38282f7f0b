"""App panels driven like a user would, without a browser: change a widget, assert on the
numbers, the chart spec and the messages."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.widgets import DataSourcePicker, FollowersApp, RoiCalculatorApp
from roi_kit.widgets.apps.roi_app import filter_dates


@pytest.fixture(scope="module")
def saas() -> rk.datasets.SampleData:
    return rk.datasets.load_sample("saas")


def _costs() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2024-01-05", "2024-02-10", "2024-04-01"]),
        "category": ["ads", "staff", "tools"],
        "amount": [600.0, None, 100.0], "hours": [None, 10.0, None], "rate": [None, 30.0, None],
        "platform": ["linkedin", None, None],
    })


# -- ROI calculator ------------------------------------------------------------------------------
def test_roi_app_seed_formula_on_round_numbers() -> None:
    app = RoiCalculatorApp({"costs": _costs()})
    app.revenue.value = 2000.0
    assert app.ledger.total == 1000.0
    assert app.result.roi_pct == 100.0  # (2000 - 1000) * 100 / 1000
    assert "100.0%" in app.roi_panel.tiles.value and app.status.kind == ""


def test_roi_app_date_filter_changes_costs_and_chart() -> None:
    app = RoiCalculatorApp({"costs": _costs()})
    spec_before = app.cost_panel.chart_spec
    app.end.value = dt.date(2024, 1, 31)
    assert app.ledger.total == 600.0
    assert app.cost_panel.chart_spec != spec_before


def test_roi_app_shows_specific_error_when_no_cost_is_left_and_recovers() -> None:
    app = RoiCalculatorApp({"costs": _costs()})
    app.start.value = dt.date(2030, 1, 1)
    assert app.status.kind == "error" and "no rows" in app.status.text
    app.start.value = dt.date(2024, 1, 1)
    assert app.status.kind == "" and app.ledger.total == 1000.0


def test_roi_app_downloads_hold_every_table() -> None:
    app = RoiCalculatorApp({"costs": _costs()})
    assert set(app.cost_panel.frames) == {"costs", "by_period", "by_platform", "by_campaign"}
    assert "costs.xlsx" in app.cost_panel.downloads.value


def test_filter_dates_is_inclusive_of_the_end_day() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-01-31 23:00", "2024-02-01 00:00"])})
    assert len(filter_dates(frame, "date", None, dt.date(2024, 1, 31))) == 1


# -- Followers -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def followers(saas: rk.datasets.SampleData) -> FollowersApp:
    return FollowersApp(saas, n_boot=200)


def test_followers_app_starts_with_the_landmark_comparison(followers: FollowersApp) -> None:
    cmp = followers.comparison
    assert followers.status.kind == "" and cmp.landmark_days == 90
    assert cmp.n_followers > 0 and cmp.n_non_followers > 0
    assert f"{cmp.n_followers:,}" in followers.summary_panel.tiles.value
    assert followers.detail_panel.chart_spec is not None
    assert set(followers.controls.platform_boxes) >= {"linkedin", "x"}


def test_followers_app_stricter_definition_means_fewer_followers(followers: FollowersApp) -> None:
    before = followers.comparison.n_followers
    spec = followers.detail_panel.chart_spec
    followers.controls.min_engagements.value = 5
    try:
        assert followers.comparison.n_followers < before
        assert followers.detail_panel.chart_spec != spec
    finally:
        followers.controls.min_engagements.value = 0
    assert followers.comparison.n_followers == before


def test_followers_app_value_feeds_roi(followers: FollowersApp, saas: rk.datasets.SampleData) -> None:
    estimate = followers.value.revenue_estimate()[0]
    assert rk.roi(revenue=followers.value, cost=saas.costs).revenue == pytest.approx(estimate)


def test_followers_app_no_platform_is_a_clear_error(followers: FollowersApp) -> None:
    boxes = list(followers.controls.platform_boxes.values())
    for box in boxes:
        box.value = False
    try:
        assert followers.status.kind == "error" and "No platform is ticked" in followers.status.text
    finally:
        for box in boxes:
            box.value = True
    assert followers.status.kind == ""


def test_followers_app_views_switch_detail(followers: FollowersApp) -> None:
    followers.view.value = "balance"
    assert "balance" in followers.detail_panel.filename
    assert followers.detail_panel.chart_spec is not None
    followers.view.value = "retention"


def test_followers_app_ever_definition_uses_everyone(followers: FollowersApp) -> None:
    landmark = followers.comparison
    followers.kind.value = "ever"
    try:
        ever = followers.comparison
    finally:
        followers.kind.value = "landmark"
    assert "immortal time" in ever.definition and "landmark" in landmark.definition
    # "ever" keeps customers who churned before the landmark day; the landmark design drops them
    assert ever.n_followers + ever.n_non_followers > landmark.n_followers + landmark.n_non_followers


# -- Uploads through the real loaders ---------------------------------------------------------------
def test_upload_good_csv_with_aliases_is_loaded_and_reported() -> None:
    picker = DataSourcePicker(("costs",), data={"costs": _costs()})
    picker.add_files({"my costs.csv": b"Date;Category;Cost\n05/01/2024;ads;1.234,50\n"
                                       b"13/02/2024;tools;10,00\n"})
    assert picker.message.kind == "success", picker.message.text
    assert picker.ready and picker.tables["costs"]["amount"].tolist() == [1234.5, 10.0]
    assert "2 read" in picker.report.value or "2 kept" in picker.report.value
    values = {k: d.value for k, d in picker._mapping_dropdowns.items()}
    assert values["date"] == "Date" and values["amount"] == "Cost"


def test_upload_missing_column_then_fix_mapping_with_dropdowns() -> None:
    picker = DataSourcePicker(("costs",))
    version = picker.version
    picker.add_files({"export.csv": b"when,what,x\n2024-01-01,ads,3\n2024-01-02,tools,4\n"})
    assert picker.message.kind == "error"
    assert "missing the required columns" in picker.message.text
    assert "Columns found: when, what, x" in picker.message.text
    assert not picker.ready
    picker._mapping_dropdowns["date"].value = "when"
    picker._mapping_dropdowns["category"].value = "what"
    picker._mapping_dropdowns["amount"].value = "x"
    picker.apply_mapping.click()
    assert picker.message.kind == "success" and picker.ready
    assert picker.tables["costs"]["amount"].sum() == 7.0 and picker.version > version


def test_upload_ambiguous_dates_are_fixed_by_the_dates_choice() -> None:
    picker = DataSourcePicker(("costs",))
    picker.add_files({"costs.csv": b"date,category,amount\n01/02/2024,ads,5\n03/04/2024,ads,5\n"})
    assert picker.message.kind == "error" and "dayfirst" in picker.message.text
    picker.dates.value = "day"
    assert picker.ready
    assert picker.tables["costs"]["date"].tolist() == [pd.Timestamp("2024-02-01"),
                                                       pd.Timestamp("2024-04-03")]


def test_upload_corrupt_excel_is_a_message_not_a_crash() -> None:
    picker = DataSourcePicker(("costs",))
    picker.add_files({"costs.xlsx": b"PK\x03\x04 not really a workbook"})
    assert picker.message.kind == "error" and "costs.xlsx" in picker.message.text
    assert not picker.ready


def test_upload_excel_file_with_the_table_chosen_by_hand() -> None:
    buffer = io.BytesIO()
    _costs().to_excel(buffer, index=False)
    picker = DataSourcePicker(("costs", "deals"))
    picker.add_files({"Book1.xlsx": buffer.getvalue()})
    assert picker.uploads[0].table == "costs"  # unknown name: first table of the app
    assert picker.tables["costs"]["category"].tolist() == ["ads", "staff", "tools"]


def test_app_waits_for_missing_tables_then_computes(saas: rk.datasets.SampleData) -> None:
    app = RoiCalculatorApp({"costs": _costs()})
    app.source.mode.value = "upload"
    assert app.status.kind == "info" and "Waiting for data: costs" in app.status.text
    app.source.add_files({"costs.csv": saas.costs.to_csv(index=False).encode()})
    assert app.status.kind == "", app.status.text
    assert app.ledger.total == pytest.approx(rk.cost_ledger(saas.costs).total)
