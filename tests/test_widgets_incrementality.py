"""App 07 (incrementality) without a browser: set widget values, assert on outputs and traits.

Fits use a tiny sampler setting (4 chains × 400 steps) on 60 weeks × 2 paid channels + organic
social of the seeded generator, so the file stays fast; the app's own quick setting is measured in
docs/incrementality.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.widgets import IncrementalityApp
from roi_kit.widgets.apps.incrementality_data import guess_roles, marginal_at, read_weekly
from roi_kit.widgets.apps.incrementality_lift import LiftTestPanel

TINY = {"chains": 4, "tune": 200, "steps": 200, "draws": 100}
SEED = 0


@pytest.fixture(scope="module")
def weekly() -> pd.DataFrame:
    print(f"seed={SEED}")
    frame = rk.datasets.generate_media_weekly(seed=SEED, weeks=60).frame
    return frame[["week", "revenue", "search", "display", "organic_social", "promotion"]]


@pytest.fixture(scope="module")
def app(weekly: pd.DataFrame) -> IncrementalityApp:
    return IncrementalityApp(weekly, fit=TINY, organic_cost=50_000)


def _tile_values(panel: Any) -> str:
    return str(panel.tiles.value)


def test_first_screen_is_roi_per_channel_with_intervals(app: IncrementalityApp) -> None:
    assert app.state == "ready" and app.computations == 1
    roi = app.result.roi()
    assert list(roi["channel"]) == ["search", "display", "organic_social"]
    assert (roi["roas_low"] <= roi["roas"]).all() and (roi["roas"] <= roi["roas_high"]).all()
    tiles = _tile_values(app.roi_panel)
    for row in roi.itertuples(index=False):  # every channel as a tile: ROAS and ROI, intervals
        assert f"{row.roas:,.2f} ({row.roas_low:,.2f}–{row.roas_high:,.2f})" in tiles
        assert f"ROI {row.roi:,.0f}% ({row.ci_low:,.0f}% to" in tiles
    assert "ROAS (USD per USD of organic cost)" in tiles  # priced with the typed cost
    assert app.roi_panel.chart_spec is not None
    assert app.curves_panel.chart_spec is not None and app.budget_panel.chart_spec is not None
    assert "Quick fit for the page: 4 chains × (200 tuning + 200) steps" in app.fit_note.value


def test_roles_guessed_from_column_names(weekly: pd.DataFrame) -> None:
    roles = guess_roles(weekly)
    assert roles.week == "week" and roles.outcome == "revenue"
    assert roles.channels == ("search", "display")
    assert roles.organic == ("organic_social",) and roles.controls == ("promotion",)


def test_budget_total_changes_numbers_without_refit(app: IncrementalityApp) -> None:
    fits = app.computations
    before = app.plan.to_frame()["suggested"].sum()
    app.budget_total.value = 2 * before
    after = app.plan.to_frame()["suggested"].sum()
    assert after == pytest.approx(2 * before, rel=1e-6)  # the whole budget is spent
    assert "USD" in _tile_values(app.budget_panel) and app.computations == fits


def test_marginal_return_matches_numeric_slope(app: IncrementalityApp) -> None:
    r = app.result
    x, h = 3_000.0, 1e-3
    numeric = np.median((r.response([x + h], "search") - r.response([x - h], "search")) / (2 * h))
    assert marginal_at(r, "search", x) == pytest.approx(float(numeric), rel=1e-5)
    assert "the next USD 1 brings" in app.curves_panel.summary.value


def test_control_change_refits_and_changes_numbers(weekly: pd.DataFrame) -> None:
    app = IncrementalityApp(weekly, fit=TINY)
    assert "USD per unit of activity (no cost given)" in _tile_values(app.roi_panel)
    tiles = _tile_values(app.roi_panel)
    app.channels.value = ("search",)
    assert app.state == "ready" and list(app.result.roi()["channel"]) == ["search",
                                                                          "organic_social"]
    assert _tile_values(app.roi_panel) != tiles and "display" not in _tile_values(app.roi_panel)


def test_upload_weekly_file_and_bad_file(weekly: pd.DataFrame) -> None:
    app = IncrementalityApp(weekly, fit=TINY)
    app.weekly_mode.value = "upload"
    assert app.state == "waiting" and app.roi_panel.tiles.value == ""
    assert "choose a weekly file" in app.status.text
    gap = weekly.drop(index=[10, 11])
    app.add_file("media.csv", gap.to_csv(index=False).encode())
    assert app.state == "error" and "2024-03-04" in app.status.text  # the week before the gap
    assert app.roi_panel.tiles.value == "" and app.result is None
    app.add_file("media.csv", weekly.head(50).to_csv(index=False).encode())
    assert app.state == "ready" and len(app.result.weeks) == 50
    app.add_file("notes.csv", b"when,what\n2024-01-01,x\n")
    assert app.state == "error" and "no week column" in app.status.text
    app.source.currency.value = "EUR"  # a later change must not bring the old file back
    assert app.state == "waiting" and app.roi_panel.tiles.value == "" and app.result is None
    assert "EUR" in app.lift.readout_panel.tiles.value


def test_read_weekly_reports_bad_date_row() -> None:
    with pytest.raises(rk.errors.InputError, match="row 3"):
        read_weekly("m.csv", b"week,revenue\n2024-01-01,1\nsoon,2\n")


def test_lift_planner_gives_users_and_detectable_lift_in_words() -> None:
    panel = LiftTestPanel()
    assert "79,376 users" in panel.plan_panel.lead.value  # rk.plan_lift_test's doctest figure
    panel.baseline.value = 5.0
    panel.users.value = 50_000
    panel.holdout.value = 20.0  # the same plan as LiftPlan's doctest: +14.2% detectable
    assert panel.plan.to_frame()["lift_pct"].iloc[0] == pytest.approx(14.2, abs=0.05)
    assert "Smallest detectable lift" in panel.plan_panel.tiles.value
    panel.baseline.value = 99.0  # a +14% lift on 99% is impossible: said, not crashed
    panel.lift.value = 50.0
    panel.users.value = 0
    assert panel.plan is None and panel.plan_panel.message.kind == "error"


def test_lift_readout_matches_hand_count() -> None:
    panel = LiftTestPanel()
    panel.test_users.value, panel.test_conversions.value = 1000, 150
    panel.control_users.value, panel.control_conversions.value = 1000, 100
    r = panel.result
    assert r.estimate("lift_pct") == pytest.approx(50.0)  # 15% vs 10%
    assert r.estimate("incremental_conversions") == pytest.approx(50.0)
    assert "+50.0%" in panel.readout_panel.tiles.value or "50.0%" in panel.readout_panel.tiles.value
    panel.control_conversions.value = 2000  # more conversions than users: said in words
    assert panel.result is None and panel.readout_panel.message.kind == "error"


@pytest.mark.slow
def test_sample_quick_fit_on_the_page_recovers_planted_roi() -> None:
    media = rk.datasets.generate_media_weekly(seed=0)  # the app's sample
    app = IncrementalityApp()
    roi = app.result.roi().set_index("channel")
    truth = {c: media.truth.roas_of(c) for c in media.truth.channels}  # organic: of its cost
    inside = sum(roi.loc[c, "roas_low"] <= t <= roi.loc[c, "roas_high"] for c, t in truth.items())
    assert inside >= 6, (inside, roi, truth)  # measured 7 of 7 (docs/apps.md)
    assert float(np.max(app.result.rhat)) <= 1.05
    assert "chains agree (largest R-hat" in app.roi_panel.summary.value


def test_currency_label_reaches_lift_readout(weekly: pd.DataFrame) -> None:
    panel = LiftTestPanel(currency=lambda: "EUR")
    assert "EUR 9,000" in panel.readout_panel.tiles.value  # (630/18,000 − 60/2,000) × 18,000 × 100


def test_lift_test_entered_refits_calibrated_and_shows_the_table(weekly: pd.DataFrame) -> None:
    media = rk.datasets.generate_media_weekly(seed=SEED, weeks=60)
    app = IncrementalityApp(weekly, fit=TINY, organic_cost=50_000)
    cal = app.calibration
    assert "Not calibrated" in cal.panel.lead.value and list(cal.channel.options) == [
        "search", "display", "organic_social"]
    fits, tiles = app.computations, _tile_values(app.roi_panel)
    cal.channel.value, cal.start.value, cal.end.value = "search", "2024-05-06", "2024-06-24"
    true = media.true_lift("search", "2024-05-06", "2024-06-24")  # planted, noise-free
    cal.incremental.value, cal.se.value = true, 0.1 * true
    cal.add_button.click()
    assert app.state == "ready" and app.computations == fits + 1
    table = app.result.calibration()
    assert table["measured"].tolist() == [pytest.approx(true)] and len(cal.tests) == 1
    assert table.loc[0, "ci_low"] <= true + 2 * 0.1 * true and true - 2 * 0.1 * true <= \
        table.loc[0, "ci_high"]  # the calibrated model agrees with the test
    assert "search lift test" in cal.panel.tiles.value and "measured" in cal.panel.table.value
    assert "Calibrated with a lift test of search" in cal.panel.summary.value
    assert _tile_values(app.roi_panel) != tiles  # the page shows the calibrated fit
    cal.end.value = "2026-01-01"  # outside the weeks: refused in the panel, fit kept
    cal.add_button.click()
    assert cal.panel.message.kind == "error" and "2026-01-01" in cal.panel.message.text
    assert app.computations == fits + 1 and app.state == "ready" and len(cal.tests) == 1
    cal.remove_button.click()
    assert app.computations == fits + 2 and app.result.lift_tests == ()
    assert "Not calibrated" in cal.panel.lead.value
    app.channels.value = ("search",)  # other roles: refit; the channel choices follow the model
    assert app.state == "ready" and list(cal.channel.options) == ["search", "organic_social"]
