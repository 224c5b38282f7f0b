"""The automated report: config checks, period rules, hand-checked figures on the sample data, and
the four output formats (Excel reopened with openpyxl, CSV, JSON, HTML) with formulas neutralised."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from roi_kit.attribution.period import journeys_in_period
from roi_kit.errors import ConfigError
from roi_kit.periods import rows_in_dates
from roi_kit.reporting.build import Report, build_report
from roi_kit.reporting.config import load_config, parse_config, relative_period
from roi_kit.reporting.data import as_of
from roi_kit.reporting.metrics import daily_actuals, period_totals
from roi_kit.reporting.period import period_milestones
from roi_kit.reporting.write import infer_format, write_report

ROOT = Path(__file__).resolve().parents[1]
SAAS = ROOT / "data" / "samples" / "saas"
INJECTION = '=HYPERLINK("http://evil.example","click")'


def _config(tmp_path: Path, body: str, name: str = "report.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def report(november_report: Report) -> Report:
    """The shipped example config, cut to November 2025 (previous period: 2 to 31 October): the
    session's report (tests/conftest.py), shared with test_reporting_indirect.py, read only."""
    return november_report


@pytest.fixture(scope="module")
def saas() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(SAAS / f"{name}.csv") for name in ("costs", "posts", "goals")}


# --- config ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "match"), [
    ('[report]\nperiod_start = "2025-01-01"\nperiod_end = "2025-01-31"\ntitel = "x"',
     r"report\.titel is not a known key\.\nHint: did you mean 'title'\?"),
    ('[reprot]\nx = 1', r"\[reprot\] is not a known section\.\nHint: did you mean \[report\]\?"),
    ('[report]\nperiod_start = "2025-01-01"\nperiod_end = "2025-01-31"\ncompare_previous = "yes"',
     r"report\.compare_previous has the wrong type \(str: 'yes'\)\.\nHint: it must be true or false"),
    ('[report]\nperiod_start = "2025-01-01"\nperiod_end = "2025-01-31"\n[followers]\nlandmark_days = 0',
     r"followers\.landmark_days is 0; it must be at least 1"),
    ('[report]\nperiod_start = "2025-01-01"\nperiod_end = "2025-01-31"\n[followers]\nplatforms = ["x", 3]',
     r"followers\.platforms must list texts only"),
    ('[report]\nperiod_start = "2025-13-01"\nperiod_end = "2025-01-31"',
     r"report\.period_start is not a date: '2025-13-01'\.\nHint: write it as \"YYYY-MM-DD\""),
    ('[report]\nperiod_start = "2025-02-01"\nperiod_end = "2025-01-31"',
     r"report\.period_end \(2025-01-31\) is before period_start \(2025-02-01\)\.\nHint: swap"),
    ('[report]\nperiod_end = "2025-01-31"', r"report\.period_start is missing\."),
    ('[report]\nperiod = "last_week"', r"report\.period is 'last_week'\.\nHint: use one of last_month"),
    ('[report]\nperiod = "last_month"\nperiod_start = "2025-01-01"', r"report\.period is given together"),
    ('[report]\nperiod = "last_month"\n[attribution]\nmodel = "magic"', r"attribution\.model is 'magic'"),
    ('[report]\nperiod = "last_month"\n[funnel]\nstages = ["visit"]', r"funnel\.stages lists 1 event"),
    ('[report]\nperiod = "last_month"\n[data]\nsample = "messy"', r"data\.sample is 'messy'"),
    ('[report]\nperiod = "last_month"\n[data]\ncosts = "nope.csv"',
     r"data\.costs points to .*nope\.csv, which does not exist\.\nHint: fix the path"),
    ('[report]\nperiod = "last_month"', r"\[data\] names no data\.\nHint: add dir = "),
    ('[report\nperiod = 1', r"is not valid TOML"),
])
def test_config_error_names_key_and_fix(tmp_path: Path, body: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        load_config(_config(tmp_path, body))


def test_config_paths_resolve_from_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "costs.csv").write_text("date,category,amount\n2025-01-01,ads,1\n")
    (tmp_path / "exports" / "my_deals.csv").write_text("x\n")
    cfg = load_config(_config(tmp_path, '[report]\nperiod = "last_year"\n[data]\ndir = "exports"\n'
                                         'deals = "my_deals.csv"'))
    assert cfg.files == {"deals": tmp_path / "exports" / "my_deals.csv",
                         "costs": tmp_path / "exports" / "costs.csv"}


@pytest.mark.parametrize(("name", "today", "expected"), [
    ("last_month", dt.date(2025, 1, 15), ("2024-12-01", "2024-12-31")),
    ("last_month", dt.date(2024, 3, 31), ("2024-02-01", "2024-02-29")),
    ("last_quarter", dt.date(2025, 1, 1), ("2024-10-01", "2024-12-31")),
    ("last_year", dt.date(2025, 6, 1), ("2024-01-01", "2024-12-31")),
    ("quarter_to_date", dt.date(2025, 8, 20), ("2025-07-01", "2025-08-19")),
    ("year_to_date", dt.date(2025, 1, 1), ("2024-12-31", "2024-12-31")),
])
def test_relative_period_is_whole_calendar_units(name: str, today: dt.date,
                                                 expected: tuple[str, str]) -> None:
    assert tuple(d.isoformat() for d in relative_period(name, today)) == expected


def test_previous_period_has_equal_length_and_ends_the_day_before() -> None:
    cfg = parse_config('[report]\nperiod_start = "2025-03-01"\nperiod_end = "2025-03-31"',
                       check_files=False)
    start, end = cfg.previous_period
    assert (start, end) == (dt.date(2025, 1, 29), dt.date(2025, 2, 28))
    assert (end - start).days + 1 == cfg.period_days == 31


# --- period rules ----------------------------------------------------------------------------

def test_in_period_includes_the_whole_last_day() -> None:
    frame = pd.DataFrame({"t": pd.to_datetime(["2024-12-31 23:59:00", "2025-01-01 00:00:00",
                                               "2025-01-31 23:59:59", "2025-02-01 00:00:00"])})
    kept = rows_in_dates(frame, "t", dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert kept.index.tolist() == [1, 2]


def test_as_of_rolls_deals_and_churn_back_to_the_period_end() -> None:
    deals = pd.DataFrame({"deal_id": ["d1", "d2", "d3"], "customer_id": ["a", "a", "a"],
                          "created_at": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03"]),
                          "closed_at": pd.to_datetime(["2025-01-10", "2025-02-10", None]),
                          "amount": [1.0, 2.0, 3.0], "status": ["won", "lost", "open"]})
    audience = pd.DataFrame({"customer_id": ["a", "a"],
                             "followed_at": pd.to_datetime(["2025-01-02", "2025-03-01"])})
    out = as_of({"deals": deals, "social_audience": audience}, dt.date(2025, 1, 31))
    assert out["deals"][["deal_id", "status"]].values.tolist() == [["d1", "won"], ["d2", "open"]]
    assert out["deals"]["closed_at"].isna().tolist() == [False, True]
    assert len(out["social_audience"]) == 1
    assert deals["status"].tolist() == ["won", "lost", "open"]  # the caller's frame is untouched


def test_period_touchpoints_keep_only_journeys_ending_in_the_period() -> None:
    tp = pd.DataFrame({
        "user_id": ["a", "a", "a", "b", "b", "c"],
        "timestamp": pd.to_datetime(["2024-12-20", "2024-12-28", "2025-01-03", "2024-12-30",
                                     "2025-02-02", "2025-01-15"]),
        "converted": [True, False, True, False, True, False]})
    kept = journeys_in_period(tp, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    # a: the December journey closed before the period; b: converts after it (only the touch in
    # the window is kept, as a non-converting journey); c: a journey in the period
    assert kept[["user_id", "timestamp"]].astype(str).values.tolist() == [
        ["a", "2024-12-28"], ["a", "2025-01-03"], ["c", "2025-01-15"]]


def test_daily_actuals_follow_the_goal_definitions_by_hand() -> None:
    posts = pd.DataFrame({"platform": ["x", "linkedin", "x"],
                          "published_at": pd.to_datetime(["2025-01-01 08:00", "2025-01-01 09:00",
                                                          "2025-01-03 10:00"]),
                          "reach": [100, 40, 60], "likes": [5, 1, 2], "comments": [1, 0, np.nan],
                          "clicks": [3, 2, 1], "followers": [1000, 300, 1010]})
    events = pd.DataFrame({"user_id": ["u1", "u1", "u2"],
                           "timestamp": pd.to_datetime(["2025-01-01 10:00", "2025-01-02 11:00",
                                                        "2025-01-02 12:00"]),
                           "event": ["lead", "won", "lead"], "value": [np.nan, 500.0, np.nan]})
    costs = pd.DataFrame({"date": pd.to_datetime(["2025-01-02 00:00", "2025-01-02 00:00"]),
                          "category": ["staff", "ads"], "amount": [np.nan, 50.0],
                          "hours": [2.0, np.nan], "rate": [40.0, np.nan]})
    daily = daily_actuals({"posts": posts, "funnel_events": events, "costs": costs})
    totals = period_totals(daily, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert totals["reach"] == 200.0
    assert totals["engagements"] == 5 + 1 + 1 + 2
    assert totals["followers"] == 1010 + 300  # latest x count + latest linkedin count
    assert totals["leads"] == totals["lead"] == 2.0
    assert totals["revenue"] == 500.0
    assert totals["cost"] == 2 * 40 + 50


# --- the report on the sample data ----------------------------------------------------------

def _row(report: Report, metric: str) -> pd.Series:
    table = report.to_frame().set_index("metric")
    return table.loc[metric]


def test_report_costs_match_the_cost_lines_by_hand(report: Report,
                                                   saas: dict[str, pd.DataFrame]) -> None:
    costs = saas["costs"].assign(date=lambda f: pd.to_datetime(f["date"]))
    money = costs["amount"].fillna(costs["hours"] * costs["rate"])
    nov = money[(costs["date"] >= "2025-11-01") & (costs["date"] < "2025-12-01")].sum()
    octo = money[(costs["date"] >= "2025-10-02") & (costs["date"] < "2025-11-01")].sum()
    row = _row(report, "cost")
    assert row["current"] == pytest.approx(nov)
    assert row["previous"] == pytest.approx(octo)
    assert row["change_pct"] == pytest.approx((nov - octo) / octo)
    assert report.tables["costs_by_category"]["amount"].sum() == pytest.approx(nov)


def test_report_roi_is_the_cfo_formula_on_its_own_numbers(report: Report) -> None:
    revenue, cost = _row(report, "social_revenue"), _row(report, "cost")
    for side in ("current", "previous"):
        expected = (revenue[side] - cost[side]) * 100 / cost[side]
        assert _row(report, "roi_pct")[side] == pytest.approx(expected)
    att = report.tables["attribution"]
    social = att.loc[att["channel"].isin(["Organic Social", "Paid Social"]), "value"].sum()
    assert revenue["current"] == pytest.approx(social)
    assert 0 < social <= att["value"].sum()


def test_report_follower_value_is_per_follower_value_times_new_followers(report: Report) -> None:
    value = report.tables["value_of_social"]
    total = value["total"].sum()
    per_follower = total / value.loc[value["component"] == "retention", "count"].iloc[0]
    followers = _row(report, "new_followers")["current"]
    assert followers > 0
    assert _row(report, "follower_value")["current"] == pytest.approx(per_follower * followers)


def test_report_goals_measure_quarter_actuals_up_to_the_period_end(
        report: Report, saas: dict[str, pd.DataFrame]) -> None:
    goals = report.tables["goals"]
    assert set(goals["period_start"].dt.strftime("%Y-%m-%d")) == {"2025-10-01"}  # Q4 overlaps Nov
    posts = saas["posts"].assign(published_at=lambda f: pd.to_datetime(f["published_at"]))
    in_q4 = (posts["published_at"] >= "2025-10-01") & (posts["published_at"] < "2025-12-01")
    reach = goals.set_index("metric").loc["reach"]
    assert reach["actual"] == posts.loc[in_q4, "reach"].sum()
    assert reach["status"] in ("on track", "at risk", "achieved")  # the quarter is not over
    roi_goal = goals.set_index("metric").loc["roi_pct"]
    assert roi_goal["status"] == "no data" and "report period equals" in roi_goal["note"]


def test_report_summary_is_plain_words_without_nan_or_inf(report: Report) -> None:
    text = report.summary()
    assert text.splitlines()[0] == ("Period: 2025-11-01 to 2025-11-30 (30 days), compared with "
                                    "2025-10-02 to 2025-10-31.")
    assert "Social media cost: EUR" in text and "vs the previous period" in text
    assert "association, not proof of cause" in text
    for bad in ("nan", "inf", "None"):
        assert f" {bad}" not in text.lower().replace("information", "")


def test_report_without_customer_tables_explains_the_missing_sections(tmp_path: Path) -> None:
    path = _config(tmp_path, f'[report]\ntitle = "Q4 <script>alert(1)</script>"\n'
                             f'period_start = "2025-11-01"\nperiod_end = "2025-11-30"\n'
                             f'compare_previous = false\n[data]\ncosts = "{SAAS / "costs.csv"}"\n'
                             f'touchpoints = "{SAAS / "touchpoints.csv"}"\n')
    rep = build_report(load_config(path))
    page = rep.to_html()
    assert "Q4 &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page
    assert rep.previous is None and rep.to_frame()["previous"].isna().all()
    text = rep.summary()
    assert "needs the customers and social_audience tables" in text
    assert "vs the previous period" not in text
    headings = [s.heading for s in rep.sections]
    assert "Funnel" in headings and "Goals" in headings
    goals = next(s for s in rep.sections if s.heading == "Goals")
    assert goals.text == "No goals table, so there are no targets to compare with."


def test_report_leads_with_the_scorecard_of_its_goals(report: Report) -> None:
    assert report.sections[0].heading == "Scorecard"
    card = report.tables["scorecard"]
    kpis = card.loc[card["kind"] == "kpi"]
    goals = report.tables["goals"]
    # the same goals, the same statuses (one rule), the same actuals
    assert kpis["metric"].tolist() == goals["metric"].tolist()
    assert kpis["status"].tolist() == goals["status"].tolist()
    assert kpis["actual"].tolist() == pytest.approx(goals["actual"].tolist(), nan_ok=True)
    # pace = progress / share of the quarter gone (1 Oct – 30 Nov = 61 of 92 days)
    reach = kpis.set_index("metric").loc["reach"]
    assert reach["pace"] == pytest.approx(reach["progress"] * 92 / 61)
    assert report.sections[0].text.startswith("Scorecard 2025-11-01 to 2025-11-30, as of 2025-11-30")
    metrics = card.loc[card["kind"] == "metric"]
    assert {"ctr", "cpm", "posts"} <= set(metrics["metric"])
    # November against October (one whole month back) on the posts themselves
    posts = pd.read_csv(SAAS / "posts.csv", parse_dates=["published_at"])
    october = posts.loc[(posts["published_at"] >= "2025-10-01") & (posts["published_at"] < "2025-11-01")]
    assert metrics.set_index("metric").loc["posts", "previous_period"] == len(october)


def test_report_scorecard_reads_the_benchmark_file(tmp_path: Path) -> None:
    bench = pd.DataFrame({"metric": ["ctr"], "platform": ["all"], "low": [0.5], "median": [0.6],
                          "high": [0.7], "source": ["Test table"]})
    bench.to_csv(tmp_path / "bench.csv", index=False)
    path = _config(tmp_path, '[report]\nperiod_start = "2025-11-01"\nperiod_end = "2025-11-30"\n'
                             'compare_previous = false\n[data]\nsample = "saas"\n'
                             '[scorecard]\nbenchmarks = "bench.csv"\nbasis = "previous_period"\n')
    rep = build_report(load_config(path), charts=False)
    ctr = rep.tables["scorecard"].set_index(["metric", "platform"]).loc[("ctr", "all")]
    assert ctr["bench_position"] == "below" and ctr["benchmark"] == ctr["previous_period"]
    assert "OUTSIDE the range: below the benchmark range 50.00%–70.00%" in rep.sections[0].text
    with pytest.raises(ConfigError, match=r"scorecard\.benchmarks points to .*missing\.csv"):
        parse_config('[report]\nperiod = "last_month"\n[data]\nsample = "saas"\n'
                     '[scorecard]\nbenchmarks = "missing.csv"',
                     base_dir=tmp_path)
    with pytest.raises(ConfigError, match=r"scorecard\.basis is 'median'"):
        parse_config('[report]\nperiod = "last_month"\n[scorecard]\nbasis = "median"',
                     check_files=False)


def test_period_milestones_are_known_at_the_period_end() -> None:
    deals = pd.DataFrame({"deal_id": ["d1", "d2", "d3"], "customer_id": ["c1", "c2", "c3"],
                          "status": ["won", "open", "won"], "amount": [10.0, None, 5.0],
                          "created_at": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-02"]),
                          "closed_at": pd.to_datetime(["2025-02-10", None, "2025-02-03"])})
    events = pd.DataFrame({"user_id": ["c1", "c2", "c1"], "event": ["lead", "lead", "visit"],
                           "timestamp": pd.to_datetime(["2025-01-02", "2025-02-03", "2025-01-01"])})
    ms = period_milestones({"deals": deals, "funnel_events": events}, dt.date(2025, 1, 31))
    ms = ms.set_index("user_id")  # type: ignore[union-attr]
    assert sorted(ms.index) == ["c1", "c2"]  # d3 was created after the period
    assert ms.loc["c1", "lead_at"] == pd.Timestamp("2025-01-02")
    assert ms.loc["c1", "deal_at"] == pd.Timestamp("2025-01-05")
    assert pd.isna(ms.loc["c1", "won_at"])  # won after the period: still open at its end
    assert pd.isna(ms.loc["c2", "lead_at"])  # lead event after the period
    assert period_milestones({}, dt.date(2025, 1, 31)).startswith("there is no deals table")


@pytest.mark.parametrize(("model", "heading"), [("w_shaped", "Attribution (W-shaped"),
                                                 ("j_shaped", "Attribution (J-shaped")])
def test_report_runs_the_milestone_models(model: str, heading: str) -> None:
    cfg = parse_config(f'[report]\nperiod_start = "2025-10-01"\nperiod_end = "2025-12-31"\n'
                       f'compare_previous = false\n[data]\nsample = "saas"\n'
                       f'[attribution]\nmodel = "{model}"\nlookback_days = 90\n', check_files=False)
    rep = build_report(cfg, charts=False)
    att = next(s for s in rep.sections if s.heading.startswith("Attribution"))
    assert att.heading.startswith(heading)
    assert rep.tables["attribution"]["conversions"].sum() == pytest.approx(19.0)
    if model == "w_shaped":
        assert "converting journeys have no deal creation touch" in str(att.text)


def test_report_says_why_a_milestone_model_is_not_shown(tmp_path: Path) -> None:
    path = _config(tmp_path, f'[report]\nperiod_start = "2025-10-01"\nperiod_end = "2025-12-31"\n'
                             f'compare_previous = false\n[data]\n'
                             f'touchpoints = "{SAAS / "touchpoints.csv"}"\n'
                             f'[attribution]\nmodel = "u_shaped"\n')
    rep = build_report(load_config(path), charts=False)
    att = next(s for s in rep.sections if s.heading == "Attribution")
    assert att.text == ("The u_shaped model is not shown: it places touches at CRM milestones, and "
                        "there is no deals table with customer_id and created_at.")


# --- outputs ---------------------------------------------------------------------------------

def test_excel_reopens_with_a_sheet_per_table_and_the_numbers(report: Report,
                                                              tmp_path: Path) -> None:
    (path,) = write_report(report, out=tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:4] == ["summary", "scorecard", "comparison", "costs_by_category"]
    assert {"attribution", "roi", "value_of_social", "funnel", "goals", "data_quality"} <= set(book.sheetnames)
    summary = book["summary"]
    assert summary["A2"].value == report.lines[0]
    sheet = book["comparison"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["cost"]["current"] == pytest.approx(_row(report, "cost")["current"])
    assert rows["cost"]["label"] == "Social media cost"
    assert sheet.max_row == len(report.to_frame()) + 1


def test_csv_and_json_hold_every_table(report: Report, tmp_path: Path) -> None:
    written = write_report(report, out=tmp_path / "csv", fmt="csv")
    assert {p.name for p in written} == {"summary.txt", *(f"{n}.csv" for n in report.tables)}
    back = pd.read_csv(tmp_path / "csv" / "comparison.csv", encoding="utf-8-sig")
    assert back["current"].tolist() == pytest.approx(report.to_frame()["current"].tolist(), nan_ok=True)
    (doc_path,) = write_report(report, out=tmp_path / "report.json")
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    assert doc["period"] == ["2025-11-01", "2025-11-30"]
    assert doc["previous_period"] == ["2025-10-02", "2025-10-31"]
    assert doc["summary"] == list(report.lines)
    assert set(doc["tables"]) == set(report.tables)
    assert "NaN" not in doc_path.read_text(encoding="utf-8")


def test_html_is_self_contained(report: Report, tmp_path: Path) -> None:
    (path,) = write_report(report, out=tmp_path / "report.html")
    page = path.read_text(encoding="utf-8")
    assert page.count("<svg") >= 7
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert "src=" not in page and "url(http" not in page


def test_formula_injection_is_neutralised_in_every_export(tmp_path: Path) -> None:
    costs = pd.DataFrame({"date": ["2025-11-03", "2025-11-04"], "category": ["ads", "agency"],
                          "amount": [100.0, 250.0], "platform": ["linkedin", "x"],
                          "campaign": [INJECTION, "@SUM(1+1)"]})
    costs.to_csv(tmp_path / "costs.csv", index=False)
    path = _config(tmp_path, '[report]\nperiod_start = "2025-11-01"\nperiod_end = "2025-11-30"\n'
                             'compare_previous = false\n[data]\ncosts = "costs.csv"\n')
    rep = build_report(load_config(path))
    assert _row(rep, "cost")["current"] == 350.0
    (xlsx,) = write_report(rep, out=tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(xlsx)
    for sheet in ("cost_lines", "costs_by_campaign"):
        cells = [c for row in book[sheet].iter_rows(min_row=2) for c in row
                 if isinstance(c.value, str) and "HYPERLINK" in c.value]
        assert cells and all(c.value == "'" + INJECTION and c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    write_report(rep, out=tmp_path / "csv", fmt="csv")
    lines = pd.read_csv(tmp_path / "csv" / "cost_lines.csv", encoding="utf-8-sig")
    assert sorted(lines["campaign"]) == ["'" + INJECTION, "'@SUM(1+1)"]


def test_output_format_comes_from_the_suffix_or_fails_clearly(tmp_path: Path) -> None:
    assert infer_format("r.HTML", None) == "html" and infer_format("r.json", None) == "json"
    assert infer_format("r.anything", "csv") == "csv"
    with pytest.raises(ConfigError, match=r"cannot tell the format from '\.pdf'"):
        infer_format("report.pdf", None)


def test_excel_bytes_reopen_in_pandas(report: Report, tmp_path: Path) -> None:
    (path,) = write_report(report, out=tmp_path / "r.xlsx")
    sheets = pd.read_excel(io.BytesIO(path.read_bytes()), sheet_name=None)
    assert sheets["costs_by_category"]["amount"].sum() == pytest.approx(_row(report, "cost")["current"])


def test_report_on_a_period_after_the_data_warns_first(tmp_path: Path) -> None:
    path = _config(tmp_path, f'[report]\nperiod_start = "2030-01-01"\nperiod_end = "2030-01-31"\n'
                             f'[data]\ncosts = "{SAAS / "costs.csv"}"\n')
    lines = build_report(load_config(path), charts=False).lines
    assert lines[1].startswith("Warning: the data end on 2025-12-31, before this period starts")
    assert lines[2] == "Social media cost: USD 0 (previous period: 0)."
    assert "ROI is undefined: total social cost is zero." in lines


def test_journeys_in_period_without_an_earlier_conversion_or_bounds() -> None:
    tp = pd.DataFrame({"user_id": ["a", "a", "b"],
                       "timestamp": pd.to_datetime(["2024-12-20", "2025-01-05", "2025-02-03"]),
                       "converted": [False, True, False]})
    assert journeys_in_period(tp, dt.date(2025, 1, 1), dt.date(2025, 1, 31))["user_id"].tolist() == ["a", "a"]
    assert len(journeys_in_period(tp, None, None)) == 3
    assert journeys_in_period(tp, None, dt.date(2025, 1, 31))["user_id"].tolist() == ["a", "a"]
