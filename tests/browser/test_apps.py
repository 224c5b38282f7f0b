"""Each app in a real browser with the network cut off: charts draw, controls change numbers and
charts, downloads work, uploads are checked — and Voila never reports an error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _tile(ui: Any, index: int = 0) -> str:
    return str(ui.page.locator(".roi-kit-tile .value").nth(index).inner_text())


def test_start_here_lists_data_and_refuses_oversized_and_binary_uploads(ui: Any,
                                                                        tmp_path: Path) -> None:
    ui.open("00_start_here")
    assert ui.marks(0) > 0
    text = ui.text(".roi-kit-app")
    assert "customers" in text and "touchpoints" in text
    ui.screenshot("00_start_here")
    assert ui.page.blocked == [] or all("127.0.0.1" not in u for u in ui.page.blocked)
    # uploads: a file over the limit is refused in the browser at once; a binary file is named
    page = ui.page
    page.locator(".roi-kit-data-source button", has_text="Upload files").click()
    big = tmp_path / "costs_big.csv"
    with big.open("wb") as out:  # 30 MB of plausible rows, over the 25 MB limit
        row = b"2024-01-05,ads,600.00,linkedin\n"
        out.write(b"date,category,amount,platform\n" + row * (30 * 1024 * 1024 // len(row)))
    started = page.evaluate("() => performance.now()")
    ui.choose_file(big)
    page.wait_for_selector("text=over the 25.0 MB limit, not sent", timeout=5_000)
    page.wait_for_selector(".roi-kit-msg.error", timeout=15_000)
    waited_ms = page.evaluate("() => performance.now()") - started
    assert "costs_big.csv is 30.0 MB; the upload limit is 25 MB per file" in \
        page.locator(".roi-kit-msg.error").first.inner_text()
    assert waited_ms < 15_000
    png = tmp_path / "costs.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    ui.choose_file(png)
    page.wait_for_selector("text=costs.csv is not a text file: it looks like a PNG image",
                           timeout=30_000)
    assert "\\x89PNG" not in page.inner_text("body")
    ui.no_error()
    ui.screenshot("00_upload_limits")


def test_roi_calculator_recomputes_on_revenue_change_and_downloads(ui: Any) -> None:
    ui.open("01_roi_calculator", charts=3)
    roi_before, chart_before = _tile(ui), ui.signature(0)
    ui.page.locator(".rk-revenue-source select").select_option(label="typed in")
    # no pre-filled example revenue: the ROI waits for the user's own figure
    ui.page.wait_for_function(
        "() => document.querySelector('.roi-kit-app').innerText.includes('Type that revenue')",
        timeout=60_000)
    labels = ui.page.locator(".roi-kit-result").first.locator(".roi-kit-tile .label")
    assert labels.all_inner_texts() == ["Total cost"]
    link = ui.page.locator("a.roi-kit-download", has_text="Download CSV").first
    box = ui.page.locator(".rk-revenue input")
    box.fill("900000")
    box.press("Enter")
    ui.page.wait_for_function(
        "() => document.querySelector('.roi-kit-summary').innerText.includes('USD 900,000')",
        timeout=60_000)
    assert "revenue you typed in" in ui.text(".roi-kit-summary")
    roi_after = _tile(ui)
    assert roi_after != roi_before
    assert ui.wait_change(lambda: ui.signature(0), chart_before) != chart_before
    ui.no_error()
    # the links are re-rendered after the tiles and chart; on a loaded machine that is a moment later
    ui.page.wait_for_function(
        """() => { const a = [...document.querySelectorAll('a.roi-kit-download')]
                     .find(x => x.textContent.includes('Download CSV'));
                   return a && atob(a.href.split(',')[1]).includes('900000'); }""",
        timeout=60_000)
    with ui.page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "roi.csv"
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("metric,value") and "900000.0" in content
    # ROI by platform -> by period: the breakdown's chart (index 1) and table change
    tables = ui.page.locator(".roi-kit-result table.roi-kit-table")
    # the breakdown is re-rendered after the tiles and links; until then slot 1 holds the cost table
    ui.page.wait_for_function(
        "() => { const t = [...document.querySelectorAll('.roi-kit-result table.roi-kit-table')][1];"
        " return !!t && t.innerText.includes('linkedin'); }", timeout=60_000)
    by_chart = ui.signature(1)
    ui.page.locator(".rk-breakdown button", has_text="Period").click()
    ui.page.wait_for_function(
        "() => [...document.querySelectorAll('.roi-kit-result table.roi-kit-table')][1]"
        ".innerText.includes('2024-Q1')", timeout=60_000)
    assert "linkedin" not in tables.nth(1).inner_text()
    assert ui.wait_change(lambda: ui.signature(1), by_chart) != by_chart
    assert ui.marks(1) > 0
    with ui.page.expect_download() as info:
        ui.page.locator("a.roi-kit-download[download='roi_by_period.csv']").click()
    rows = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert rows.startswith("period,revenue,cost") and "2024-Q1" in rows
    ui.no_error()
    ui.screenshot("01_roi_calculator")


def test_followers_app_reacts_to_the_follower_definition(ui: Any, tmp_path: Path) -> None:
    ui.open("02_followers_vs_non_followers", charts=2)
    followers_before, chart_before = _tile(ui, 0), ui.signature(0)
    ui.page.get_by_text("Settings: who counts as a follower").click()
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
    ui.malformed_upload_leaves_no_sample_number(tmp_path / "customers.csv", b"name\nacme\n")
    ui.screenshot("02_followers_vs_non_followers_malformed_upload")


def test_funnel_app_paid_filter_changes_numbers_and_chart(ui: Any, tmp_path: Path) -> None:
    ui.open("03_funnel")
    entered, chart = _tile(ui, 0), ui.signature(0)
    ui.page.locator(".rk-paid button", has_text="Paid").click()
    assert ui.wait_change(lambda: _tile(ui, 0), entered) != entered
    assert ui.wait_change(lambda: ui.signature(0), chart) != chart
    ui.no_error()
    ui.screenshot("03_funnel")
    ui.malformed_upload_leaves_no_sample_number(tmp_path / "funnel_events.csv",
                                                b"user_id,event\nu1,visit\n")
    ui.screenshot("03_funnel_malformed_upload")


def test_attribution_app_model_change_and_custom_rule(ui: Any, tmp_path: Path) -> None:
    ui.open("04_attribution", charts=2)
    chart = ui.signature(0)  # the chosen model first: the answer, then every model
    ui.page.locator(".rk-model select").select_option(label="Last touch")
    assert ui.wait_change(lambda: ui.signature(0), chart) != chart
    ui.page.get_by_text("Channel grouping (your own rules)").click()
    ui.page.locator(".rk-rule-channel input").fill("LinkedIn <b>")
    ui.page.locator(".rk-rule-sources input").fill("linkedin")
    ui.page.locator(".rk-add-rule").click()
    ui.page.wait_for_function(
        "() => document.querySelector('.roi-kit-app').innerText.includes('LinkedIn <b>')",
        timeout=60_000)
    ui.no_error()
    assert ui.page.locator(".roi-kit-app b", has_text="LinkedIn <b>").count() >= 1  # escaped
    ui.screenshot("04_attribution")
    ui.malformed_upload_leaves_no_sample_number(tmp_path / "touchpoints.csv",
                                                b"source\nlinkedin\n")
    ui.screenshot("04_attribution_malformed_upload")


def test_content_app_views_draw(ui: Any, tmp_path: Path) -> None:
    ui.open("05_content", charts=2)
    chart = ui.signature(1)
    ui.page.locator(".rk-view select").select_option(label="What drives engagement")
    assert ui.wait_change(lambda: ui.signature(1), chart) != chart
    assert ui.marks(1) > 0
    ui.no_error()
    ui.screenshot("05_content")
    ui.malformed_upload_leaves_no_sample_number(tmp_path / "posts.csv",
                                                b"post_id,platform\np1,linkedin\n")
    ui.screenshot("05_content_malformed_upload")


def test_management_report_exports_a_self_contained_page(ui: Any, page: Any,
                                                          tmp_path: Path) -> None:
    ui.open("06_management_report", charts=2)
    glance = page.locator(".roi-kit-report section").first.inner_text()
    assert "ROI" in glance and "95% interval" in glance and "Attributed revenue" in glance
    # at a glance, goals, direct + indirect ROI, funnel, data health: one page, not every table
    assert page.locator(".roi-kit-report section").count() == 5
    assert "ROI, direct revenue alone" in page.locator(".roi-kit-report section").nth(2).inner_text()
    assert "Data health" in page.locator(".roi-kit-report section").last.inner_text()
    with page.expect_download() as info:
        page.locator("a.roi-kit-download", has_text="Download report (HTML)").click()
    html = Path(info.value.path()).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    ui.screenshot("06_management_report")
    page.wait_for_selector(".roi-kit-report .tile .value", timeout=120_000)
    ui.malformed_upload_leaves_no_sample_number(tmp_path / "costs.csv",
                                                b"when,what\n2025-01-01,ads\n")
    ui.screenshot("06_management_report_malformed_upload")
    page.set_content(html)  # the exported file, offline: its charts are inside it
    assert page.locator(".roi-kit-chart svg g[class*='mark-'] > *").count() > 10
    assert page.blocked == []
    ui.screenshot("06_exported_report")


def test_incrementality_app_fits_and_budget_and_planner_respond(ui: Any) -> None:
    ui.open("07_incrementality", charts=3)  # ROAS per channel, response curves, budget
    tiles = ui.page.locator(".roi-kit-result").first.locator(".roi-kit-tile .label")
    assert "organic_social" in " ".join(tiles.all_inner_texts())
    assert "Marketing-mix model of 104 weeks" in ui.text(".roi-kit-app")
    budget_box = ui.page.locator(".roi-kit-result", has_text="spread across")
    gain = budget_box.locator(".roi-kit-tile .value").nth(1).inner_text()
    chart = ui.signature(2)
    box = ui.page.locator(".rk-budget input")
    box.fill("200000")
    box.press("Enter")
    assert ui.wait_change(lambda: budget_box.locator(".roi-kit-tile .value").nth(1)
                          .inner_text(), gain) != gain
    assert "USD 200,000" in budget_box.locator(".roi-kit-tile .value").first.inner_text()
    assert ui.wait_change(lambda: ui.signature(2), chart) != chart
    plan_box = ui.page.locator(".roi-kit-result", has_text="you need")
    needed = plan_box.locator(".roi-kit-tile .value").first.inner_text()
    assert needed == "79,376"  # 3% baseline, +20% lift, 10% held out (rk.plan_lift_test)
    lift = ui.page.locator(".rk-lift input")
    lift.fill("40")
    lift.press("Enter")
    assert ui.wait_change(lambda: plan_box.locator(".roi-kit-tile .value").first.inner_text(),
                          needed) != needed
    ui.no_error()
    ui.screenshot("07_incrementality")


GOOD_COSTS = b"Date;Category;Cost;Platform\n05/01/2025;ads;1.500,00;linkedin\n" \
             b"20/01/2025;staff;2.000,00;\n13/02/2025;tools;99,00;\n"
BAD_COSTS = b"when,what\n2025-01-01,ads\n"


def test_upload_good_and_malformed_csv(ui: Any, page: Any, tmp_path: Path) -> None:
    ui.open("01_roi_calculator", charts=2)
    roi_before = _tile(ui)
    ui.malformed_upload_leaves_no_sample_number(tmp_path / "costs_bad.csv", BAD_COSTS,
                                                waiting="Waiting for data: costs")
    message = page.locator(".roi-kit-msg.error").first.inner_text()
    assert "costs_bad.csv" in message and "missing the required column" in message
    ui.no_error()
    ui.screenshot("01_upload_malformed")
    good = tmp_path / "costs.csv"
    good.write_bytes(GOOD_COSTS)
    ui.choose_file(good)
    page.wait_for_function(
        "() => document.querySelector('.roi-kit-data-source').innerText.includes('costs: 3 rows')",
        timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.roi-kit-tile .value')].some("
        "e => e.innerText === 'USD 3,599')", timeout=60_000)
    assert _tile(ui) != roi_before
    assert ui.marks(0) > 0
    ui.no_error()
    ui.screenshot("01_upload_good")
