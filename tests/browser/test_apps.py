"""Each app in a real browser with the network cut off: charts draw, controls change numbers and
charts, downloads work, uploads are checked — and Voila never reports an error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _tile(ui: Any, index: int = 0) -> str:
    return str(ui.page.locator(".roi-kit-tile .value").nth(index).inner_text())


def test_start_here_lists_data_and_draws_chart(ui: Any) -> None:
    ui.open("00_start_here")
    assert ui.marks(0) > 0
    text = ui.text(".roi-kit-app")
    assert "customers" in text and "touchpoints" in text
    ui.screenshot("00_start_here")
    assert ui.page.blocked == [] or all("127.0.0.1" not in u for u in ui.page.blocked)


def test_roi_calculator_recomputes_on_revenue_change_and_downloads(ui: Any) -> None:
    ui.open("01_roi_calculator", charts=2)
    roi_before, chart_before = _tile(ui), ui.signature(0)
    box = ui.page.locator(".rk-revenue input")
    box.fill("900000")
    box.press("Enter")
    roi_after = ui.wait_change(lambda: _tile(ui), roi_before)
    assert roi_after != roi_before
    assert ui.wait_change(lambda: ui.signature(0), chart_before) != chart_before
    ui.no_error()
    with ui.page.expect_download() as info:
        ui.page.get_by_text("Download CSV").first.click()
    download = info.value
    assert download.suggested_filename == "roi.csv"
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("metric,value") and "900000.0" in content
    ui.screenshot("01_roi_calculator")


def test_followers_app_reacts_to_the_follower_definition(ui: Any) -> None:
    ui.open("02_followers_vs_non_followers", charts=2)
    followers_before, chart_before = _tile(ui, 0), ui.signature(0)
    box = ui.page.locator(".rk-min-engagements input")
    box.fill("5")
    box.press("Enter")
    followers_after = ui.wait_change(lambda: _tile(ui, 0), followers_before)
    assert int(followers_after.replace(",", "")) < int(followers_before.replace(",", ""))
    assert ui.wait_change(lambda: ui.signature(0), chart_before) != chart_before
    ui.page.locator(".rk-view select").select_option(label="Deal size")
    ui.wait_change(lambda: ui.signature(0), ui.signature(0), timeout_s=3)
    assert ui.marks(0) > 0
    ui.no_error()
    ui.screenshot("02_followers_vs_non_followers")
