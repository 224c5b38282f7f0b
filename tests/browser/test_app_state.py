"""In a real browser: switch an app to "Upload files" and upload a malformed file — no number
computed from the sample may stay on the page, and the page says why it is empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

# app, charts to wait for, file name, malformed content (a required column is missing)
CASES = [
    ("03_funnel", 1, "funnel_events.csv", b"user_id,event\nu1,visit\n"),
    ("05_content", 1, "posts.csv", b"post_id,platform\np1,linkedin\n"),
    ("02_followers_vs_non_followers", 1, "customers.csv", b"name\nacme\n"),
    ("04_attribution", 1, "touchpoints.csv", b"source\nlinkedin\n"),
    ("01_roi_calculator", 2, "costs.csv", b"when,what\n2025-01-01,ads\n"),
    ("06_management_report", 0, "costs.csv", b"when,what\n2025-01-01,ads\n"),
]


def _numbers_on_page(page: Any) -> list[str]:
    """The big numbers of every result tile, and the report's tiles."""
    return [t.strip() for t in page.locator(
        ".roi-kit-tile .value, .roi-kit-report .tile .value").all_inner_texts() if t.strip()]


@pytest.mark.parametrize(("app", "charts", "name", "content"), CASES,
                         ids=[c[0] for c in CASES])
def test_malformed_upload_leaves_no_sample_number(ui: Any, page: Any, tmp_path: Path, app: str,
                                                  charts: int, name: str,
                                                  content: bytes) -> None:
    ui.open(app, charts=charts)
    if app == "06_management_report":
        page.wait_for_selector(".roi-kit-report .tile .value", timeout=120_000)
    before = _numbers_on_page(page)
    assert before, "the sample shows numbers first"
    page.locator(".roi-kit-data-source button", has_text="Upload files").click()
    page.wait_for_selector("text=Waiting for data", timeout=60_000)
    bad = tmp_path / name
    bad.write_bytes(content)
    with page.expect_file_chooser() as chooser:
        page.locator(".roi-kit-data-source .widget-upload").click()
    chooser.value.set_files(str(bad))
    page.wait_for_selector(".roi-kit-msg.error", timeout=60_000)
    body = page.inner_text("body")
    assert name in page.locator(".roi-kit-msg.error").first.inner_text()
    assert _numbers_on_page(page) == []
    left = [n for n in before if len(n) > 2 and n in body]  # e.g. "1,391", "176.1%"
    assert left == [], f"sample numbers still on the page: {left}"
    assert "Waiting for data" in body and "KeyError" not in body
    assert page.locator(".roi-kit-chart svg").count() == 0 or all(
        not b.is_visible() for b in page.locator(".roi-kit-chart").all())
    ui.no_error()
    ui.screenshot(f"{app}_malformed_upload")


def _choose(page: Any, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.locator(".roi-kit-data-source .widget-upload").click()
    chooser.value.set_files(str(path))


def test_file_over_the_limit_is_refused_at_once_and_binary_named(ui: Any, page: Any,
                                                                  tmp_path: Path) -> None:
    ui.open("00_start_here")
    page.locator(".roi-kit-data-source button", has_text="Upload files").click()
    big = tmp_path / "costs_big.csv"
    with big.open("wb") as out:  # 30 MB of plausible rows, over the 25 MB limit
        row = b"2024-01-05,ads,600.00,linkedin\n"
        out.write(b"date,category,amount,platform\n" + row * (30 * 1024 * 1024 // len(row)))
    started = page.evaluate("() => performance.now()")
    _choose(page, big)
    page.wait_for_selector("text=over the 25.0 MB limit, not sent", timeout=5_000)
    page.wait_for_selector(".roi-kit-msg.error", timeout=15_000)
    waited_ms = page.evaluate("() => performance.now()") - started
    assert "costs_big.csv is 30.0 MB; the upload limit is 25 MB per file" in \
        page.locator(".roi-kit-msg.error").first.inner_text()
    assert waited_ms < 15_000
    png = tmp_path / "costs.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    _choose(page, png)
    page.wait_for_selector("text=costs.csv is not a text file: it looks like a PNG image",
                           timeout=30_000)
    assert "\\x89PNG" not in page.inner_text("body")
    ui.no_error()
    ui.screenshot("00_upload_limits")
