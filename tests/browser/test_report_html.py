"""The HTML report in a real browser with the network cut off: every chart is drawn as SVG with
marks, nothing is requested from anywhere, and the console stays clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from roi_kit.reporting.build import build_report
from roi_kit.reporting.config import load_config
from roi_kit.reporting.write import write_report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def test_report_html_renders_offline_with_charts(page: Any, tmp_path: Path) -> None:
    config = load_config(ROOT / "examples" / "report.toml").with_period("2025-12-01", "2025-12-31")
    (path,) = write_report(build_report(config), out=tmp_path / "report.html")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(path.as_uri())
    page.wait_for_selector("main h1")

    assert page.inner_text("main h1") == "Northwind Analytics — social media ROI"
    summary = page.inner_text("section:first-of-type")
    assert "Social media cost: EUR" in summary and "Period: 2025-12-01 to 2025-12-31" in summary
    marks = page.evaluate(
        """() => [...document.querySelectorAll('div.chart')].map(box => {
               const svg = box.querySelector('svg');
               const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
               return {marks: svg ? svg.querySelectorAll("g[class*='mark-'] > *").length : 0,
                       width: r.width, height: r.height};
           })""")
    assert len(marks) >= 7
    assert all(m["marks"] > 0 and m["width"] > 50 and m["height"] > 50 for m in marks), marks
    headings = page.eval_on_selector_all("section h2", "hs => hs.map(h => h.textContent)")
    assert {"Costs", "ROI on attributed revenue", "Value of followers", "Funnel", "Goals",
            "Data quality"} <= set(headings)

    assert page.blocked == []  # no request to a non-local host was even attempted
    assert all(url.startswith(("file://", "data:")) for url in requested), requested
    assert page.console_errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report_html.png"), full_page=True)
