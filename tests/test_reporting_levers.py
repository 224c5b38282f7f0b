"""The report's lever sections (prospects, lifetime value by segment, earned reach): each figure is
the public function's own result on the report's data, every output carries the tables, and a
missing table is explained in words."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.periods import rows_in_dates
from roi_kit.reporting.build import Report, build_report
from roi_kit.reporting.config import ReportConfig, parse_config
from roi_kit.reporting.data import as_of
from roi_kit.reporting.levers import report_earned_reach, report_lifetime_value, report_prospects
from roi_kit.reporting.write import write_report

Q4 = (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
LEVERS = ("Prospects (followers vs others)", "Lifetime value by segment", "Earned reach")
TABLES = ("prospects", "prospect_counts", "lifetime_value", "lifetime_value_differences",
          "earned_reach", "earned_reach_posts")


def _config(sample: str = "saas", horizon_days: int = 365) -> ReportConfig:
    return parse_config(f'[report]\ncurrency = "EUR"\nperiod_start = "{Q4[0]}"\nperiod_end = "{Q4[1]}"\n'
                        f'compare_previous = false\n[data]\nsample = "{sample}"\n'
                        f'[followers]\nmin_engagements = 1\nhorizon_days = {horizon_days}\n', check_files=False)


@pytest.fixture(scope="module")
def saas() -> dict[str, pd.DataFrame]:
    return rk.datasets.load_sample("saas").tables()


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(_config(), charts=False)


def _definition() -> rk.FollowerDefinition:
    return rk.FollowerDefinition(min_engagements=1, landmark_days=90)


def test_report_has_the_three_lever_sections_after_the_follower_sections(report: Report) -> None:
    headings = [s.heading for s in report.sections]
    at = headings.index("Followers vs non-followers")
    # the follower value's direct + indirect ROI statement comes first, then the three levers
    assert headings[at + 1: at + 5] == ["Direct + indirect ROI", *LEVERS]
    assert set(TABLES) <= set(report.tables)


def test_report_prospects_are_compare_prospects_as_known_at_the_period_end(
        report: Report, saas: dict[str, pd.DataFrame]) -> None:
    known = as_of(saas, Q4[1])
    own = rk.compare_prospects(known["deals"], by=_definition(), audience=known["social_audience"],
                               contacts=saas["customers"], as_of=pd.Timestamp("2025-12-31 23:59:59"),
                               currency="EUR")
    pd.testing.assert_frame_equal(report.tables["prospects"], own.to_frame())
    pd.testing.assert_frame_equal(report.tables["prospect_counts"], own.counts)
    # prospects' deals are counted: more leads than the customers who were ever acquired
    assert own.counts["leads"].sum() > len(known["customers"])
    # audience rows match leads like customers: by id, and by email / handle through the customers
    n = len(known["social_audience"])
    assert f"Audience rows matched to leads: {n:,} of {n:,} (100%)." in own.summary()
    text = next(s for s in report.sections if s.heading == LEVERS[0]).text
    assert "EUR" in text and "USD" not in text and "data until 2025-12-31" in text
    assert own.effect("win_rate", "naive").sentence()[1:] in text


def test_report_lifetime_value_is_customer_lifetime_value_within_the_follower_horizon(
        report: Report, saas: dict[str, pd.DataFrame]) -> None:
    known = as_of(saas, Q4[1])
    own = rk.customer_lifetime_value(known["customers"], by=_definition(), audience=known["social_audience"],
                                     horizon_months=12, currency="EUR")
    pd.testing.assert_frame_equal(report.tables["lifetime_value"], own.to_frame())
    pd.testing.assert_frame_equal(report.tables["lifetime_value_differences"], own.differences())
    frame = own.to_frame().set_index("group")
    # CLV = months active × revenue per month, and both groups are estimable within 12 months
    assert frame["clv"].tolist() == pytest.approx((frame["months_active"] * frame["revenue_per_month"]).tolist())
    assert frame["clv"].notna().all()
    assert "horizon 12 months" in next(s for s in report.sections if s.heading == LEVERS[1]).text


def test_report_earned_reach_is_earned_reach_of_the_period_posts(
        report: Report, saas: dict[str, pd.DataFrame]) -> None:
    posts = rows_in_dates(saas["posts"], "published_at", *Q4)
    own = rk.earned_reach(posts, by="campaign")
    pd.testing.assert_frame_equal(report.tables["earned_reach"], own.to_frame())
    assert len(report.tables["earned_reach_posts"]) == len(posts)
    assert report.tables["earned_reach"]["posts"].sum() == len(posts)
    assert report.tables["earned_reach"]["shares"].sum() == pytest.approx(posts["shares"].sum())


def test_report_outputs_carry_the_lever_tables(report: Report, tmp_path: Path) -> None:
    written = {p.name for p in write_report(report, out=tmp_path / "csv", fmt="csv")}
    assert {f"{t}.csv" for t in TABLES} <= written
    write_report(report, out=tmp_path / "r.json")
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert len(doc["tables"]["lifetime_value"]) == 2 and doc["tables"]["earned_reach"]
    write_report(report, out=tmp_path / "r.xlsx")
    assert set(TABLES) <= set(openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True).sheetnames)
    page = report.to_html()
    assert all(heading.replace("(", "") in page.replace("(", "") for heading in LEVERS)


def test_missing_tables_are_said_in_words(saas: dict[str, pd.DataFrame]) -> None:
    cfg = _config()
    only_posts = {"posts": saas["posts"]}
    assert report_prospects(only_posts, cfg) == \
        "The prospect comparison needs the deals and social_audience tables."
    assert report_lifetime_value(only_posts, cfg) == \
        "The lifetime value by segment needs the customers and social_audience tables."
    assert report_earned_reach({"customers": saas["customers"]}, *Q4) == "Earned reach needs the posts table."
    empty = report_earned_reach(only_posts, dt.date(2030, 1, 1), dt.date(2030, 1, 31))
    assert empty == "No post was published from 2030-01-01 to 2030-01-31, so there is no earned reach to report."


def test_report_without_deals_or_posts_keeps_the_sections_and_says_why(tmp_path: Path) -> None:
    costs = tmp_path / "costs.csv"
    rk.datasets.load_sample("saas").costs.to_csv(costs, index=False)
    path = tmp_path / "report.toml"
    path.write_text(f'[report]\nperiod_start = "{Q4[0]}"\nperiod_end = "{Q4[1]}"\ncompare_previous = false\n'
                    f'[data]\ncosts = "{costs}"\n', encoding="utf-8")
    from roi_kit.reporting.config import load_config

    rep = build_report(load_config(path), charts=False)
    texts = {s.heading: s.text for s in rep.sections}
    assert "needs the deals and social_audience tables" in texts[LEVERS[0]]
    assert "needs the customers and social_audience tables" in texts[LEVERS[1]]
    assert texts[LEVERS[2]] == "Earned reach needs the posts table."
    assert not set(TABLES) & set(rep.tables)


def test_dtc_lifetime_value_beyond_the_data_says_why_instead_of_a_number() -> None:
    tables = rk.datasets.load_sample("dtc").tables()
    value = report_lifetime_value(tables, _config("dtc", horizon_days=1461))  # 48 months
    assert not isinstance(value, str)
    frame = value.to_frame()
    assert frame["clv"].isna().all() and frame["note"].str.contains("no extrapolation").all()
    assert "not estimated" in value.summary() and "nan" not in value.summary().lower()
