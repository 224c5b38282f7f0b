"""Direct + indirect ROI in the ROI calculator (app 01) and the management report (app 06)."""

from __future__ import annotations

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.widgets import ManagementReportApp, RoiCalculatorApp


def _small() -> dict[str, pd.DataFrame]:
    t = pd.to_datetime
    costs = pd.DataFrame({"date": t(["2025-01-01 00:00", "2025-01-31 00:00"]),
                          "category": ["ads", "staff"], "amount": [80.0, 120.0]})
    posts = pd.DataFrame({"post_id": ["p1", "p2", "p3"], "platform": ["x", "x", "x"],
                          "published_at": t(["2025-01-03 00:00", "2025-01-04 00:00",
                                             "2025-01-06 00:00"]),
                          "paid": [False, True, False], "clicks": [40.0, 100.0, 10.0],
                          "spend": [0.0, 80.0, 0.0]})
    cases = pd.DataFrame({
        "interaction_id": ["a", "b", "c"], "platform": ["x"] * 3,
        "opened_at": t(["2025-01-06 09:00", "2025-01-07 09:00", "2025-01-08 09:00"]),
        "first_response_at": t(["2025-01-06 10:00", "2025-01-07 10:00", None]),
        "resolved_at": t(["2025-01-06 12:00", "2025-01-07 12:00", None]),
        "resolved": [True, True, False], "replaced_channel": ["phone", "email", "phone"]})
    return {"costs": costs, "posts": posts, "service_interactions": cases}


def test_roi_app_statement_by_hand_and_cost_per_case_typed() -> None:
    app = RoiCalculatorApp(_small())
    # no cost per case yet: only PPC-equivalent traffic (50 organic clicks × own CPC 80/100 = 40)
    assert [c.name for c in app.statement.components] == ["PPC-equivalent traffic"]
    assert app.statement.revenue == pytest.approx(40.0)
    assert "no cost per case given" in app.statement_panel.summary.value
    app.cost_per_case.value = "phone=6, email=3, social=1"
    # + service savings 1 × (6 − 1) + 1 × (3 − 1) = 7; cost 200 -> ROI (47 − 200) / 2 = −76.5 %
    r = app.statement
    assert r.revenue == pytest.approx(47.0) and r.roi_pct == pytest.approx(-76.5)
    assert r.direct is None and "ROI, direct revenue alone" in app.statement_panel.tiles.value
    assert "undefined" in app.statement_panel.tiles.value
    app.cost_per_case.value = "phone 6"
    assert app.statement is None and "is not channel=cost" in app.statement_panel.message.value
    assert app.result is None or app.roi_panel.tiles.value  # the ROI above is untouched


@pytest.mark.slow
def test_apps_statement_on_the_sample_recovers_planted_savings() -> None:
    saas = rk.datasets.load_sample("saas")
    calc = RoiCalculatorApp(saas)
    calc.cost_per_case.value = ", ".join(f"{k}={v}" for k, v in saas.truth.care_cost_per_case.items())
    r = calc.statement
    names = [c.name for c in r.components]
    assert names == ["attributed sales", "follower value", "PPC-equivalent traffic", "service savings"]
    # direct alone is the calculator's own ROI (same dates, same attribution, same ledger)
    assert r.direct.roi_pct == pytest.approx(calc.result.roi_pct)
    # the ledger spans the whole window: every case counts, so the savings are the planted ones
    assert r.components[3].value == pytest.approx(saas.truth.care["savings"])
    assert "can count the same money twice" in calc.statement_panel.summary.value
    report = ManagementReportApp(saas)
    section = next(s for s in report.sections if s.heading == "Direct + indirect ROI")
    assert dict(section.tiles)["ROI, direct revenue alone"] in calc.roi_panel.tiles.value
    assert "Service savings left out: no cost per case given" in section.text
    assert "roi_components" in report.frames
