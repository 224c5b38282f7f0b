"""App panels driven like a user would, without a browser: change a widget, assert on the
numbers, the chart spec and the messages."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.periods import rows_in_dates
from roi_kit.widgets import DataSourcePicker, FollowersApp, ManagementReportApp, RoiCalculatorApp


@pytest.fixture(scope="module")
def saas(saas_sample: rk.datasets.SampleData) -> rk.datasets.SampleData:
    return saas_sample  # the session's copy (tests/conftest.py), read only


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


@pytest.fixture
def roi_app(saas_roi_app: RoiCalculatorApp) -> RoiCalculatorApp:
    """App 01 on the saas sample, shared with other modules: a test that changes a control puts it
    back in a ``finally``."""
    return saas_roi_app


def test_roi_app_platform_breakdown_shares_out_the_social_revenue(roi_app: RoiCalculatorApp) -> None:
    assert roi_app.breakdown.value == "platform" and roi_app.revenue_source.value == "attribution"
    table = roi_app.by_result.to_frame()
    assert {"linkedin", "facebook", "instagram", "x"} <= set(table["platform"])
    # the split never changes the social total, and shared costs are spread, not dropped
    assert table["revenue"].sum() == pytest.approx(roi_app.result.revenue)
    assert table["cost"].sum() == pytest.approx(roi_app.ledger.total)
    assert "(none)" not in set(table["platform"])
    row = table.iloc[0]
    assert row["roi_pct"] == pytest.approx((row["revenue"] - row["cost"]) * 100 / row["cost"])
    assert "second run of the same attribution model" in roi_app.by_panel.summary.value
    assert roi_app.by_panel.chart_spec is not None
    assert "roi_by_platform.csv" in roi_app.by_panel.downloads.value


def test_roi_app_breakdown_control_switches_table_chart_and_downloads(
        roi_app: RoiCalculatorApp) -> None:
    spec, html = roi_app.by_panel.chart_spec, roi_app.by_panel.table.value
    roi_app.breakdown.value = "period"
    try:
        table = roi_app.by_result.to_frame()
        assert list(table.columns[:1]) == ["period"] and "2024-Q1" in set(table["period"])
        assert table["revenue"].sum() == pytest.approx(roi_app.result.revenue)
        assert roi_app.shared.disabled
        assert roi_app.by_panel.chart_spec != spec and roi_app.by_panel.table.value != html
        assert "roi_by_period.xlsx" in roi_app.by_panel.downloads.value
        roi_app.period.value = "year"
        assert set(roi_app.by_result.to_frame()["period"]) == {"2024", "2025"}
    finally:
        roi_app.period.value = "quarter"
        roi_app.breakdown.value = "platform"
    assert not roi_app.shared.disabled


def test_roi_app_shared_costs_as_own_row(roi_app: RoiCalculatorApp) -> None:
    roi_app.shared.value = "separate"
    try:
        table = roi_app.by_result.to_frame().set_index("platform")
        assert table.loc["(none)", "revenue"] == 0.0 and table.loc["(none)", "roi_pct"] == -100.0
        assert table.loc["linkedin", "cost"] == pytest.approx(
            roi_app.ledger.by_platform().set_index("platform").loc["linkedin", "amount"])
    finally:
        roi_app.shared.value = "proportional"


def test_roi_app_campaign_breakdown_names_uncosted_campaigns(roi_app: RoiCalculatorApp) -> None:
    roi_app.breakdown.value = "campaign"
    try:
        table = roi_app.by_result.to_frame().set_index("campaign")
        assert {"always_on", "black_friday"} <= set(table.index)
        assert table.loc["brand", "reason"].startswith("ROI is undefined: no cost")
        assert table["revenue"].sum() == pytest.approx(roi_app.result.revenue)
    finally:
        roi_app.breakdown.value = "platform"


def test_roi_app_period_breakdown_without_touchpoints_spreads_evenly() -> None:
    app = RoiCalculatorApp({"costs": _costs()})
    app.revenue.value = 2000.0
    app.period.value = "month"
    assert app.status.kind == "" and app.by_result is None  # platform needs touchpoints
    assert "needs the touchpoints table" in app.by_panel.message.text
    app.breakdown.value = "period"
    table = app.by_result.to_frame().set_index("period")
    # 2024-01-05 .. 2024-04-01 is 88 days; January holds 27 of them, February 29 (leap year)
    assert table.loc["2024-01", "revenue"] == pytest.approx(2000 * 27 / 88)
    assert table.loc["2024-01", "roi_pct"] == pytest.approx((2000 * 27 / 88 - 600) * 100 / 600)
    assert table.loc["2024-02", "roi_pct"] == pytest.approx((2000 * 29 / 88 - 300) * 100 / 300)
    assert table.loc["2024-03", "reason"].startswith("ROI is undefined")
    assert "spread evenly" in app.by_panel.summary.value


def test_platform_credit_keeps_unknown_social_sources_apart() -> None:
    from roi_kit.widgets.apps.roi_breakdown import OTHER_SOCIAL, platform_credit

    tp = pd.DataFrame({
        "user_id": ["u1", "u2", "u3"],
        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
        "source": ["t.co", "some-forum", "google"], "medium": ["social", "social", "organic"],
        "converted": [True, True, True], "conversion_value": [10.0, 20.0, 40.0]})
    assert platform_credit(tp, model="last").to_dict() == {OTHER_SOCIAL: 20.0, "x": 10.0}


def test_rows_in_dates_is_inclusive_of_the_end_day() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-01-31 23:00", "2024-02-01 00:00"])})
    assert len(rows_in_dates(frame, "date", None, dt.date(2024, 1, 31))) == 1


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
    # the first-screen tiles carry their intervals, small under the big numbers
    gap = cmp.retention.effect("retention", "adjusted", horizon_days=365)
    tiles = followers.summary_panel.tiles.value
    assert (f"<div class='note'>95% CI {gap.ci_low * 100:+.1f} pts to {gap.ci_high * 100:+.1f} pts"
            in tiles)
    _, low, high, _ = followers.value.revenue_estimate()
    assert f"95% interval USD {low:,.0f} to USD {high:,.0f}" in tiles


def test_followers_app_table_writes_each_row_in_its_unit(followers: FollowersApp) -> None:
    table = followers.summary_panel.table.value
    shares = followers.comparison.to_frame()
    share = shares[(shares["measure"] == "upsell share") & (shares["method"] == "adjusted")].iloc[0]
    assert f"{share['followers']:.1%}" in table  # a share as a percentage ...
    assert f"{share['followers']:.3f}" not in table  # ... not as 0.882
    assert "USD " in table and " days" in table and ".00<" not in table


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
    runs = followers.computations
    with followers.controls.hold():  # one action: one recompute, not one per box
        for box in boxes:
            box.value = False
    try:
        assert followers.status.kind == "error" and "No platform is ticked" in followers.status.text
    finally:
        with followers.controls.hold():
            for box in boxes:
                box.value = True
    assert followers.status.kind == "" and followers.computations == runs + 1


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
    assert picker.message.kind == "error" and "“Dates” dropdown above" in picker.message.text
    assert "dayfirst" not in picker.message.text
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


# -- Management report ---------------------------------------------------------------------------
@pytest.fixture
def report(saas_report_app: ManagementReportApp) -> ManagementReportApp:
    """App 06 on the saas sample, shared with other modules: a test that changes a control puts it
    back in a ``finally``."""
    return saas_report_app


def test_report_is_one_page_of_tiles_goals_and_funnel(report: ManagementReportApp) -> None:
    assert report.status.kind == "", report.status.text
    assert [s.heading for s in report.sections] == ["Scorecard", "Goals vs targets",
                                                    "Direct + indirect ROI", "Funnel", "Data health"]
    assert "Data health:" in report.banner.value and "won new deals" in report.banner.value
    tiles = dict(report.sections[0].tiles)
    assert list(tiles) == ["ROI", "Value of followers", "Total social cost",
                           "Attributed revenue"]
    assert "95% interval" in tiles["Value of followers"]
    lo, hi = report.roi_result.roi_pct_ci  # the ROI tile carries the attribution's interval
    from roi_kit.formatting import fmt_pct
    assert (f"95% interval {fmt_pct(lo, ratio_input=False)} to {fmt_pct(hi, ratio_input=False)}"
            in tiles["ROI"])
    roi = report.frames["roi"].set_index("metric")["value"]
    assert tiles["Total social cost"] == f"USD {roi['cost']:,.0f}"
    goals = report.sections[1]
    assert goals.table is not None and 0 < len(goals.table) <= 6
    assert set(goals.table["status"]) <= {"at risk", "missed"}
    full = report.frames["goals"]
    assert len(full) > len(goals.table)  # the download keeps every goal
    latest = full[full["period_end"] == full["period_end"].max()]
    assert set(goals.table["goal"]) <= set(latest["goal"])
    assert report.html.count("<section>") == 5 and "<script" not in report.html
    # direct alone is the ROI tile's revenue (same dates, attribution and ledger); no cost per
    # care case typed, so the service savings are left out in words
    statement = dict(report.sections[2].tiles)
    assert statement["ROI, direct revenue alone"] in tiles["ROI"]
    assert "Service savings left out: no cost per case given" in report.sections[2].text
    assert "class='tile'" in report.html and "social_media_report.xlsx" in report.downloads.value


def test_report_leads_with_the_scorecard(report: ManagementReportApp,
                                         saas: rk.datasets.SampleData) -> None:
    first = report.sections[0]
    assert first.text.startswith("Scorecard 2025-10-01 to 2025-12-31, as of 2025-12-31: 8 KPI(s)")
    card = rk.scorecard(saas.tables(), roi=report._roi_of_dates)  # the app measures ROI goals too
    roi_kpi = next(r for r in card.kpis() if r.metric == "roi_pct")
    assert roi_kpi.status != "no data" and roi_kpi.actual is not None
    assert first.table is not None
    assert first.table["KPI"].tolist() == [r.metric for r in card.kpis()]
    assert first.table["status"].tolist() == [r.status for r in card.kpis()]
    assert [r.words for r in card.kpis() if r.status in ("at risk", "missed")] == \
        first.text.splitlines()[1:5]
    assert report.frames["scorecard"]["kind"].tolist().count("kpi") == 8
    assert "ROI" in dict(first.tiles)  # the money tiles stay in the first section


def test_report_app_and_cli_report_give_one_roi_for_the_same_quarter(
        report: ManagementReportApp) -> None:
    """App 06's ROI of Q4 2025 and `roi-kit report` with the default attribution settings are one
    number: the same journeys (the report's period rule) and the same lookback (none)."""
    from roi_kit.reporting.build import compute
    from roi_kit.reporting.config import parse_config

    cfg = parse_config('[report]\nperiod_start = "2025-10-01"\nperiod_end = "2025-12-31"\n'
                       'compare_previous = false\n[data]\nsample = "saas"\n', check_files=False)
    cli = compute(cfg).current.roi
    app = report._roi_of_dates(pd.Timestamp("2025-10-01"), pd.Timestamp("2025-12-31"))
    assert cli is not None and cli.roi_pct is not None
    assert app.revenue == pytest.approx(cli.revenue, rel=1e-9)
    assert app.cost == pytest.approx(cli.cost, rel=1e-9)
    assert app.roi_pct == pytest.approx(cli.roi_pct, rel=1e-9)


def test_report_revenue_source_switches_the_roi_tile(report: ManagementReportApp) -> None:
    before = dict(report.sections[0].tiles)["ROI"]
    report.revenue_from.value = "followers"
    try:
        after = dict(report.sections[0].tiles)["ROI"]
        assert after != before and "value of followers" in report.sections[0].text
    finally:
        report.revenue_from.value = "attribution"


def test_report_escapes_the_company_name(report: ManagementReportApp) -> None:
    report.company.value = "<script>alert(1)</script> & Co"
    try:
        assert "<script>" not in report.html and "&lt;script&gt;" in report.html
    finally:
        report.company.value = ""


def test_report_without_followers_tables_says_what_is_missing() -> None:
    sample = rk.datasets.load_sample("saas")
    app = ManagementReportApp({"costs": sample.costs, "touchpoints": sample.touchpoints})
    tiles = dict(app.sections[0].tiles)
    assert tiles["Value of followers"] == "not available" and "%" in tiles["ROI"]
    assert "Value of followers: needs the customers, deals, social_audience" in app.sections[0].text
    assert app.sections[1].text.startswith("Not included: this needs the goals")


def test_goal_digest_with_every_goal_on_track_lists_none() -> None:
    from roi_kit.widgets.apps.report_app import goal_digest

    frame = pd.DataFrame({"goal": ["a"], "owner": [None], "period_end": pd.to_datetime(["2024-03-31"]),
                          "target": [1.0], "actual": [1.0], "progress": [1.0],
                          "status": ["on track"]})
    text, tiles, table = goal_digest(frame)
    assert tiles == (("On track", "1"),) and table.empty
    assert "No goal of the latest period is at risk or missed." in text


# -- attribution: CRM milestone models ---------------------------------------------------------------
def _crm_tables() -> dict[str, pd.DataFrame]:
    tp = pd.DataFrame({
        "user_id": ["c1"] * 4, "source": ["linkedin", "google", "newsletter", "google"],
        "medium": ["social", "organic", "email", "cpc"],
        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09", "2024-01-12"]),
        "converted": [False, False, False, True], "conversion_value": [0.0, 0.0, 0.0, 100.0]})
    deals = pd.DataFrame({"customer_id": ["c1"], "status": ["won"],
                          "created_at": pd.to_datetime(["2024-01-10"]),
                          "closed_at": pd.to_datetime(["2024-01-12"])})
    events = pd.DataFrame({"user_id": ["c1"], "timestamp": pd.to_datetime(["2024-01-06"]),
                           "event": ["lead"]})
    return {"touchpoints": tp, "deals": deals, "funnel_events": events}


def test_attribution_app_w_shaped_reads_milestones_from_deals_and_lead_events() -> None:
    from roi_kit.widgets.apps.attribution_app import AttributionApp

    app = AttributionApp(_crm_tables())
    assert {"u_shaped", "w_shaped", "full_path", "j_shaped", "inverse_j"} <= {
        v for _, v in app.model.options}
    app.model.value = "w_shaped"
    got = app.result.to_frame().set_index("channel")["value"].to_dict()
    # lead Jan 6 -> Organic Search (Jan 5), deal Jan 10 -> Email (Jan 9): 30/30/30, Paid Search 10
    assert got == pytest.approx({"Organic Social": 30.0, "Organic Search": 30.0, "Email": 30.0,
                                 "Paid Search": 10.0})
    assert "w_shaped" in app.comparison.results and app.status.kind == ""


def test_attribution_app_milestone_model_without_deals_says_what_to_load() -> None:
    from roi_kit.widgets.apps.attribution_app import AttributionApp

    app = AttributionApp({"touchpoints": _crm_tables()["touchpoints"]})
    assert app.result is not None
    app.model.value = "full_path"
    assert app.status.kind == "error" and "no deals table is loaded" in app.status.text
    assert app.result is None and app.comparison is None  # the previous model is not left showing
    app.model.value = "j_shaped"
    assert app.status.kind == "" and app.result.model == "j_shaped"


def test_content_app_intent_ladder_view() -> None:
    from roi_kit.widgets.apps.content_app import ContentApp

    posts = pd.DataFrame({
        "post_id": ["a", "b"], "platform": ["linkedin", "linkedin"],
        "published_at": pd.to_datetime(["2024-03-04 09:00", "2024-03-05 10:00"]),
        "impressions": [1000, 500], "likes": [10, 2], "comments": [0, 1], "shares": [0, 1],
        "clicks": [0, 2]})
    app = ContentApp({"posts": posts})
    app.view.value = "intent"
    # b: 2 + 2 + 3 + 8 = 15 points over 6 actions; a: 10 likes = 10 points
    assert app.analysis.to_frame()["intent_score"].tolist() == [15.0, 10.0]
    assert app.status.kind == "" and "Intent ladder over 2 posts" in app.analysis.summary()


def test_attribution_app_milestone_missing_in_every_journey_says_what_to_load() -> None:
    from roi_kit.widgets.apps.attribution_app import AttributionApp

    tables = _crm_tables()
    tables["funnel_events"] = tables["funnel_events"].assign(event="visit")  # no lead event
    app = AttributionApp(tables)
    app.model.value = "u_shaped"
    assert app.status.kind == "error" and "none of the 1 converting journeys has one" in app.status.text
    assert "funnel events with a 'lead' event" in app.status.text and "milestones=" not in app.status.text


# -- Followers app: prospects and lifetime value ---------------------------------------------------
def test_followers_app_prospects_are_compare_prospects_with_the_app_definition(
        followers: FollowersApp, saas: rk.datasets.SampleData) -> None:
    definition = followers.definition(followers.controls.settings)
    own = rk.compare_prospects(saas.deals, by=definition, audience=saas.social_audience,
                               contacts=saas.customers, n_boot=200)
    pd.testing.assert_frame_equal(followers.prospects.to_frame(), own.to_frame())
    assert followers.prospects_panel.frames["prospects"].equals(own.to_frame())
    win = own.effect("win_rate", "naive")
    tiles = followers.prospects_panel.tiles.value
    assert f"{win.followers:.1%}" in tiles and f"{win.difference * 100:+.1f} pts" in tiles
    assert "Win rate" in followers.prospects_panel.lead.value
    assert followers.prospects_panel.chart_spec is not None
    # prospects' deals count too: more leads than customers
    assert own.counts["leads"].sum() > len(saas.customers)


def test_followers_app_prospects_follow_the_definition_but_not_the_horizon(followers: FollowersApp) -> None:
    before = followers.prospects
    followers.controls.horizon.value = 180
    try:
        assert followers.prospects is before  # the horizon does not change who is a follower lead
    finally:
        followers.controls.horizon.value = 365
    followers.controls.min_engagements.value = 5
    try:
        stricter = followers.prospects
        assert stricter is not before
        assert stricter.counts.set_index("group").loc["followers", "leads"] < \
            before.counts.set_index("group").loc["followers", "leads"]
    finally:
        followers.controls.min_engagements.value = 0


def test_followers_app_lifetime_value_is_customer_lifetime_value_with_its_horizon(
        followers: FollowersApp, saas: rk.datasets.SampleData) -> None:
    definition = followers.definition(followers.controls.settings)
    own = rk.customer_lifetime_value(saas.customers, by=definition, audience=saas.social_audience,
                                     horizon_months=12)
    pd.testing.assert_frame_equal(followers.lifetime_value.to_frame(), own.to_frame())
    gap = own.differences()["difference"].iloc[0]
    assert f"USD {gap:,.0f}" in followers.clv_panel.lead.value
    followers.clv_horizon.value = 36  # beyond the sample's ~21 months of follow-up
    try:
        assert followers.status.kind == "" and followers.lifetime_value.horizon_months == 36
        assert "not estimated" in followers.clv_panel.tiles.value
        assert "No lifetime-value gap within 36 months" in followers.clv_panel.lead.value
        assert "nan" not in followers.clv_panel.tiles.value.lower()
    finally:
        followers.clv_horizon.value = 12
    assert followers.lifetime_value.horizon_months == 12


# -- Content app: earned vs paid reach -------------------------------------------------------------
def _boost_posts() -> pd.DataFrame:
    """One boosted post (organic 5000 - 3000 = 2000) and three unboosted ones (mean 1000)."""
    return pd.DataFrame({
        "post_id": list("abcde"), "platform": ["facebook"] * 4 + ["x"],
        "published_at": pd.to_datetime(["2024-03-04 09:00"] * 5), "type": ["image"] * 5,
        "paid": [True, False, False, False, False], "campaign": ["spring"] * 4 + ["autumn"],
        "reach": [5000, 900, 1000, 1100, 50], "paid_reach": [3000, 0, 0, 0, 0],
        "impressions": [6000, 1000, 1200, 1300, 60], "likes": [50, 9, 10, 11, 1],
        "followers": [800] * 4 + [100], "shares": [40, 8, 8, 8, 2]})


def test_content_app_earned_reach_by_hand() -> None:
    from roi_kit.widgets.apps.content_app import ContentApp

    app = ContentApp({"posts": _boost_posts()})
    assert app.status.kind == ""
    spring = app.earned.to_frame().set_index("campaign").loc["spring"]
    # boosted post: organic 2000 vs the unboosted baseline 1000 -> 1000 earned beyond the paid 3000
    assert spring["earned_by_boost"] == 1000.0 and spring["paid_reach"] == 3000.0
    # beyond 800 followers: 1200 + 100 + 200 + 300
    assert spring["reach_beyond_followers"] == 1800.0 and spring["shares"] == 64.0
    tiles = app.earned_panel.tiles.value
    assert "Organic reach earned by boosts" in tiles and ">1,000<" in tiles and ">1,800<" in tiles
    assert app.earned_panel.chart_spec is not None and "earned_reach" in app.earned_panel.frames


def test_content_app_earned_reach_follows_platform_and_grouping_not_paid_filter() -> None:
    from roi_kit.widgets.apps.content_app import ContentApp

    posts = _boost_posts()
    app = ContentApp({"posts": posts})
    app.paid.value = "organic"  # the boost baseline needs both, so earned reach keeps every post
    pd.testing.assert_frame_equal(app.earned.to_frame(), rk.earned_reach(posts).to_frame())
    app.platform.value = "facebook"
    app.earned_by.value = "platform"
    own = rk.earned_reach(posts[posts["platform"] == "facebook"], by="platform")
    pd.testing.assert_frame_equal(app.earned.to_frame(), own.to_frame())
    assert "facebook posts" in app.earned_panel.lead.value


def test_content_app_earned_reach_of_the_sample_says_why_boosts_are_unknown(
        saas: rk.datasets.SampleData) -> None:
    from roi_kit.widgets.apps.content_app import ContentApp

    app = ContentApp(saas)
    pd.testing.assert_frame_equal(app.earned.to_frame(), rk.earned_reach(saas.posts).to_frame())
    assert ">unknown<" in app.earned_panel.tiles.value
    assert "organic/paid reach split" in app.earned_panel.summary.value
