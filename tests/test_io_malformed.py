"""Malformed inputs: every test asserts the exact error or the exact report entry, and the
invariant rows_read == rows_kept + rows_dropped (nothing disappears silently)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import (
    ConfigError,
    EmptyDataError,
    InputError,
    MissingColumnError,
    UnsupportedFormatError,
)
from roi_kit.io import AmbiguousDateError, LoadReport

NOW = "2025-06-30"
DEALS = "deal_id,customer_id,created_at,amount,status\n"


def upload(text: str, name: str = "deals.csv", encoding: str = "utf-8") -> io.BytesIO:
    buf = io.BytesIO(text.encode(encoding))
    buf.name = name
    return buf


def check(report: LoadReport) -> None:
    """The invariant, and every dropped row listed in issues."""
    assert report.rows_read == report.rows_kept + report.rows_dropped
    dropped = report.issues.loc[report.issues["action"] == "dropped", "row"].nunique()
    assert dropped == report.rows_dropped


def entries(report: LoadReport) -> list[tuple[int, str, str, str]]:
    return [(int(r.row), r.column, r.problem, r.action) for r in report.issues.itertuples()]


def test_negative_deal_amount_dropped_with_reason() -> None:
    df, rep = rk.load_deals(upload(DEALS + "D1,C1,2024-01-05,100,won\nD2,C2,2024-01-06,-5,won\n"),
                            now=NOW)
    assert entries(rep) == [(3, "amount", "negative amount", "dropped")]
    assert df["deal_id"].tolist() == ["D1"]
    check(rep)


def test_missing_required_value_dropped() -> None:
    _, rep = rk.load_deals(upload(DEALS + "D1,C1,2024-01-05,,won\nD2,C2,2024-01-06,7,won\n"), now=NOW)
    assert entries(rep) == [(2, "amount", "missing value", "dropped")]
    check(rep)


def test_unparseable_required_number_dropped() -> None:
    _, rep = rk.load_deals(upload(DEALS + "D1,C1,2024-01-05,100,won\nD2,C2,2024-01-06,abc,won\n"),
                           now=NOW)
    assert entries(rep) == [(3, "amount", "not a number", "dropped")]
    assert rep.issues["value"].tolist() == ["abc"]
    check(rep)


def test_unparseable_optional_number_coerced_to_missing() -> None:
    text = "customer_id,acquired_at,mrr\nC1,2024-01-05,lots\nC2,2024-01-06,99\n"
    df, rep = rk.load_customers(upload(text, "customers.csv"), now=NOW)
    assert entries(rep) == [(2, "mrr", "not a number", "coerced")]
    assert df["mrr"].isna().tolist() == [True, False]
    check(rep)


def test_duplicate_id_keeps_first_drops_later() -> None:
    text = DEALS + "D1,C1,2024-01-05,100,won\nD1,C2,2024-01-06,5,lost\nD2,C1,2024-01-05,1,won\n"
    df, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [(3, "deal_id", "duplicate deal_id (first seen on row 2)", "dropped")]
    assert df["amount"].tolist() == [100.0, 1.0]
    check(rep)


def test_duplicate_of_a_dropped_row_is_kept() -> None:
    text = DEALS + "D1,C1,2024-01-05,-1,won\nD1,C2,2024-01-06,5,lost\n"
    df, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [(2, "amount", "negative amount", "dropped")]
    assert df["amount"].tolist() == [5.0]
    check(rep)


def test_unknown_deal_status_dropped() -> None:
    _, rep = rk.load_deals(upload(DEALS + "D1,C1,2024-01-05,100,won\nD2,C2,2024-01-06,5,zombie\n"),
                           now=NOW)
    assert entries(rep) == [
        (3, "status", "unknown deal status (expected won, lost, open or a CRM stage name)", "dropped")]
    check(rep)


def test_status_map_rescues_custom_stage() -> None:
    df, rep = rk.load_deals(upload(DEALS + "D1,C1,2024-01-05,100,Signed off\n"), now=NOW,
                            status_map={"Signed off": "won"})
    assert df["status"].tolist() == ["won"]
    assert rep.issues.empty
    check(rep)


def test_future_date_flagged_not_dropped() -> None:
    _, rep = rk.load_deals(upload(DEALS + "D1,C1,2024-01-05,100,won\nD2,C2,2031-01-06,5,won\n"),
                           now=NOW)
    assert entries(rep) == [(3, "created_at", "date in the future", "flagged")]
    assert rep.rows_kept == 2
    check(rep)


def test_expected_close_date_of_open_deal_not_flagged() -> None:
    text = "deal_id,customer_id,created_at,amount,status,closed_at\n" \
           "D1,C1,2025-01-05,100,open,2026-01-01\nD2,C1,2025-01-05,100,won,2026-01-01\n"
    _, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [(3, "closed_at", "date in the future", "flagged")]
    check(rep)


def test_negative_cost_flagged_and_kept() -> None:
    text = "date,category,amount\n2024-01-31,ads,500\n2024-02-29,service,-40\n"
    df, rep = rk.load_costs(upload(text, "costs.csv"), now=NOW)
    assert entries(rep) == [(3, "amount", "negative amount (refund or credit?)", "flagged")]
    assert df["amount"].tolist() == [500.0, -40.0]
    check(rep)


def test_unknown_cost_category_coerced_to_other() -> None:
    text = "date,category,amount\n2024-01-31,Catering,50\n2024-01-31,Software,10\n"
    df, rep = rk.load_costs(upload(text, "costs.csv"), now=NOW)
    assert entries(rep) == [(2, "category", "unknown category (set to other)", "coerced")]
    assert df["category"].tolist() == ["other", "tools"]
    check(rep)


def test_cost_without_amount_or_hours_dropped() -> None:
    text = "date,category,amount,hours,rate\n2024-01-31,staff,,10,50\n2024-01-31,staff,,,50\n"
    _, rep = rk.load_costs(upload(text, "costs.csv"), now=NOW)
    assert entries(rep) == [(3, "amount", "no amount, and no hours and rate", "dropped")]
    check(rep)


def test_row_with_too_many_fields_dropped_with_line() -> None:
    text = DEALS + "D1,C1,2024-01-05,100,won\nD3,C3,2024-01-07,1,won,extra\n"
    _, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [(3, "(row)", "has 6 fields, the header has 5", "dropped")]
    assert rep.issues["value"].tolist() == ["D3,C3,2024-01-07,1,won,extra"]
    check(rep)


def test_row_with_too_few_fields_dropped() -> None:
    text = DEALS + "D1,C1,2024-01-05,100,won\nD2,C2,2024-01-06,5\nD4,C4,2024-01-08,3,open\n"
    df, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [(3, "(row)", "has 4 fields, the header has 5", "dropped")]
    assert df["deal_id"].tolist() == ["D1", "D4"]
    check(rep)


def test_blank_lines_keep_spreadsheet_row_numbers() -> None:
    text = DEALS + "D1,C1,2024-01-05,100,won\n\n\nD4,C4,2024-01-08,-3,open\n"
    _, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [(5, "amount", "negative amount", "dropped")]
    assert any("skipped 2 blank line" in w for w in rep.warnings)
    check(rep)


def test_quoted_newline_counts_as_one_row() -> None:
    text = "post_id,platform,published_at,text,likes\n" \
           'p1,linkedin,2024-01-05,"first line\nsecond line",3\np2,linkedin,2024-01-06,ok,lots\n'
    df, rep = rk.load_posts(upload(text, "posts.csv"), now=NOW)
    assert df["text"].iloc[0] == "first line\nsecond line"
    assert entries(rep) == [(3, "likes", "not a number", "coerced")]
    check(rep)


def test_impossible_date_dropped() -> None:
    text = DEALS + "D1,C1,31/01/2024,100,won\nD2,C2,30/02/2024,5,won\n"
    _, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [(3, "created_at", "not a date (read as day-first)", "dropped")]
    check(rep)


def test_unparseable_optional_date_coerced() -> None:
    text = "deal_id,customer_id,created_at,amount,status,closed_at\n" \
           "D1,C1,2024-01-05,100,won,yesterday\n"
    df, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [(2, "closed_at", "not a date", "coerced")]
    assert df["closed_at"].isna().all()
    check(rep)


def test_contradictory_date_order_is_an_error_naming_rows() -> None:
    text = DEALS + "D1,C1,31/01/2024,100,won\nD2,C2,01/31/2024,5,lost\n"
    with pytest.raises(AmbiguousDateError, match=re.escape(
            "deals.csv, column 'created_at': dates contradict each other — row 2 (31/01/2024) "
            "can only be day-first and row 3 (01/31/2024) can only be month-first.")):
        rk.load_deals(upload(text), now=NOW)


def test_ambiguous_dates_without_evidence_is_an_error() -> None:
    text = DEALS + "D1,C1,03/01/2024,100,won\nD2,C2,01/02/2024,5,lost\n"
    with pytest.raises(AmbiguousDateError, match=r"(?s)column 'created_at': dates such as "
                       r"'03/01/2024' read as day-first or month-first.*Hint: pass dayfirst=True"):
        rk.load_deals(upload(text), now=NOW)


def test_dayfirst_false_reports_rows_that_do_not_fit() -> None:
    text = DEALS + "D1,C1,01/31/2024,100,won\nD2,C2,31/01/2024,5,lost\n"
    df, rep = rk.load_deals(upload(text), now=NOW, dayfirst=False)
    assert entries(rep) == [(3, "created_at", "not a date (read as month-first)", "dropped")]
    assert str(df["created_at"].iloc[0]) == "2024-01-31 00:00:00"
    check(rep)


def test_decimal_point_in_decimal_comma_column_read_and_reported() -> None:
    # "2.5" has only one reading (a thousands dot needs three digits after it): kept, reported
    text = DEALS + 'D1,C1,2024-01-05,"1,5",won\nD2,C2,2024-01-06,2.5,lost\nD3,C2,2024-01-06,"3,5",lost\n'
    df, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [
        (3, "amount", "read with a decimal point, unlike the rest of the column", "coerced")]
    assert df["amount"].tolist() == [1.5, 2.5, 3.5]
    check(rep)


def test_decimal_comma_in_optional_customer_column_is_read_not_emptied() -> None:
    text = ("customer_id,acquired_at,mrr,arr\nc1,2024-01-01,\"12,5\",100.5\n"
            "c2,2024-01-02,30.25,200.5\nc3,2024-01-03,40.75,1.5\n")
    df, rep = rk.load_customers(upload(text, "customers.csv"), now=NOW)
    assert df["mrr"].tolist() == [12.5, 30.25, 40.75]
    assert entries(rep) == [
        (2, "mrr", "read with a decimal comma, unlike the rest of the column", "coerced")]


def test_negative_mrr_is_flagged_and_kept() -> None:
    text = "customer_id,acquired_at,mrr\nc1,2024-01-01,100\nc2,2024-01-02,-30\n"
    df, rep = rk.load_customers(upload(text, "customers.csv"), now=NOW)
    assert df["mrr"].tolist() == [100.0, -30.0]
    assert entries(rep) == [(3, "mrr", "negative mrr (credit, refund or typo?)", "flagged")]


def test_danish_amounts_with_kr_dot_are_parsed_after_mapping() -> None:
    text = "Dag;Udgift;Pris\n05-01-2024;ads;85.890,19 kr.\n06-01-2024;tools;1.200,00 kr.\n"
    df, rep = rk.load_costs(upload(text, "udgifter.csv"), now=NOW, dayfirst=True,
                            columns={"Dag": "date", "Udgift": "category", "Pris": "amount"})
    assert df["amount"].tolist() == [85890.19, 1200.0]
    assert rep.rows_dropped == 0


def test_percent_with_decimal_comma_in_a_decimal_point_file() -> None:
    text = ("metric,target,baseline,period_start,period_end\n"
            'engagement_rate,"3,5%",1.5,2024-01-01,2024-03-31\n'
            "followers,2000,1.25,2024-01-01,2024-03-31\n")
    df, _rep = rk.load_goals(upload(text, "goals.csv"), now=NOW)
    assert df["target"].tolist() == [0.035, 2000.0]


def test_missing_required_column_names_file_columns_and_fix() -> None:
    text = "deal_id,customer_id,created_at,Amout,status\nD1,C1,2024-01-05,100,won\n"
    with pytest.raises(MissingColumnError, match=re.escape(
            "deals.csv is missing the required column 'amount' for the deals table. Columns found: "
            "deal_id, customer_id, created_at, Amout, status.\n"
            "Hint: pass columns={'Amout': 'amount'} if those are the right columns.")):
        rk.load_deals(upload(text), now=NOW)


def test_missing_column_without_close_match_shows_generic_fix() -> None:
    text = "deal_id,customer_id,created_at,status\nD1,C1,2024-01-05,won\n"
    with pytest.raises(MissingColumnError,
                       match=re.escape("Hint: pass columns={'<your column>': 'amount'}")):
        rk.load_deals(upload(text), now=NOW)


def test_touchpoints_need_source_medium_or_url() -> None:
    text = "user_id,timestamp,campaign\nu1,2024-01-05,x\n"
    with pytest.raises(MissingColumnError, match=re.escape(
            "touchpoints.csv is missing the required columns source+medium or url for the "
            "touchpoints table.")):
        rk.load_touchpoints(upload(text, "touchpoints.csv"), now=NOW)


def test_columns_naming_absent_header_suggests_closest() -> None:
    text = "deal_id,customer_id,created_at,Amount (EUR),status\nD1,C1,2024-01-05,1,won\n"
    with pytest.raises(ConfigError, match=re.escape(
            "columns={'Amount': 'amount'}: the source has no column 'Amount'.")) as info:
        rk.load_deals(upload(text), columns={"Amount": "amount"}, now=NOW)
    assert "did you mean 'Amount (EUR)'?" in str(info.value)


def test_columns_mapping_to_unknown_canonical_name() -> None:
    with pytest.raises(ConfigError, match=re.escape(
            "columns={'deal_id': 'deal_number'}: 'deal_number' is not a column of the deals table.")):
        rk.load_deals(upload(DEALS + "D1,C1,2024-01-05,1,won\n"), columns={"deal_id": "deal_number"})


def test_empty_file_is_an_error() -> None:
    with pytest.raises(EmptyDataError, match=re.escape("deals.csv is empty (0 bytes).")):
        rk.load_deals(upload(""))


def test_header_only_file_is_an_error() -> None:
    with pytest.raises(EmptyDataError, match=re.escape("deals.csv has a header but no data rows.")):
        rk.load_deals(upload(DEALS))


def test_every_row_dropped_is_an_error_with_report() -> None:
    text = DEALS + "D1,C1,2024-01-05,-1,won\nD2,C2,2024-01-06,-2,won\n"
    with pytest.raises(EmptyDataError, match=re.escape(
            "deals.csv: every row was dropped (row 2 amount: negative amount; "
            "row 3 amount: negative amount).")) as info:
        rk.load_deals(upload(text), now=NOW)
    report = info.value.report  # type: ignore[attr-defined]
    assert (report.rows_read, report.rows_kept, report.rows_dropped) == (2, 0, 2)
    check(report)


def test_unknown_flag_value_coerced() -> None:
    text = "user_id,timestamp,event,paid\nu1,2024-01-05,lead,maybe\nu2,2024-01-05,lead,yes\n"
    df, rep = rk.load_funnel_events(upload(text, "events.csv"), now=NOW)
    assert entries(rep) == [(2, "paid", "not a yes/no value", "coerced")]
    assert bool(df["paid"].iloc[1]) is True
    assert df["paid"].isna().tolist() == [True, False]
    check(rep)


def test_fractional_count_coerced() -> None:
    text = "post_id,platform,published_at,likes\np1,x,2024-01-05,12.5\np2,x,2024-01-05,3\n"
    df, rep = rk.load_posts(upload(text, "posts.csv"), now=NOW)
    assert entries(rep) == [(2, "likes", "not a whole number", "coerced")]
    assert df["likes"].isna().tolist() == [True, False]
    check(rep)


def test_deal_closed_before_created_flagged() -> None:
    text = "deal_id,customer_id,created_at,amount,status,closed_at\nD1,C1,2024-03-05,100,won,2024-01-01\n"
    _, rep = rk.load_deals(upload(text), now=NOW)
    assert entries(rep) == [(2, "closed_at", "closed before it was created", "flagged")]
    check(rep)


def test_customer_churned_before_acquired_flagged() -> None:
    text = "customer_id,acquired_at,churned_at\nC1,2024-03-05,2024-01-01\n"
    _, rep = rk.load_customers(upload(text, "customers.csv"), now=NOW)
    assert entries(rep) == [(2, "churned_at", "churned before acquired", "flagged")]
    check(rep)


def test_goal_ending_before_start_dropped() -> None:
    text = "metric,target,period_start,period_end\nleads,10,2025-03-01,2025-01-01\nmql,5,2025-01-01,2025-03-31\n"
    _, rep = rk.load_goals(upload(text, "goals.csv"))
    assert entries(rep) == [(2, "period_end", "period ends before it starts", "dropped")]
    check(rep)


def test_blank_id_dropped_as_missing() -> None:
    text = "customer_id,acquired_at\n   ,2024-01-05\nC2,2024-01-06\n"
    _, rep = rk.load_customers(upload(text, "customers.csv"), now=NOW)
    assert entries(rep) == [(2, "customer_id", "missing value", "dropped")]
    check(rep)


def test_ga4_preamble_shifts_row_numbers() -> None:
    text = ("# ----\n# Traffic acquisition\n# Start date: 20240101\n\n"
            "User pseudo ID,Date,Session source / medium\nu1,20240105,google / cpc\nu2,2024xx05,x / y\n")
    _, rep = rk.load_touchpoints(upload(text, "ga4.csv"), now=NOW)
    assert entries(rep) == [(7, "timestamp", "not a date", "dropped")]
    check(rep)


def test_old_xls_workbook_rejected() -> None:
    with pytest.raises(UnsupportedFormatError, match=re.escape(
            "legacy.xls is an old Excel .xls workbook, which roi_kit does not read.")):
        rk.load_deals(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64), name="legacy.xls")


def test_xlsx_name_with_text_content_rejected() -> None:
    with pytest.raises(UnsupportedFormatError, match=re.escape(
            "deals.xlsx is named like a .xlsx file but its content is not one.")):
        rk.load_deals(upload(DEALS + "D1,C1,2024-01-05,1,won\n", "deals.xlsx"))


def test_missing_path_is_an_input_error(tmp_path: object) -> None:
    with pytest.raises(InputError, match=r"File not found: .*nope\.csv\."):
        rk.load_deals(f"{tmp_path}/nope.csv")


def test_unsupported_source_object() -> None:
    with pytest.raises(UnsupportedFormatError, match=re.escape("Cannot read a int as a table.")):
        rk.load_deals(42)


def test_wrong_explicit_encoding_is_reported() -> None:
    text = "customer_id,acquired_at,region\nC1,2024-01-05,Zürich\n"
    with pytest.raises(UnsupportedFormatError, match=re.escape("customers.csv is not valid utf-8")):
        rk.load_customers(upload(text, "customers.csv", encoding="cp1252"), encoding="utf-8")


def test_unknown_table_and_engine_are_config_errors() -> None:
    frame = pd.DataFrame({"metric": ["x"]})
    with pytest.raises(ConfigError, match=re.escape("table='leads' is not a canonical table.")):
        rk.load(frame, "leads")
    with pytest.raises(ConfigError, match=re.escape("engine='spark' is not supported.")):
        rk.load(frame, "goals", engine="spark")  # type: ignore[arg-type]


def test_placeholder_in_optional_number_reported_as_coerced() -> None:
    text = "customer_id,acquired_at,mrr\nC1,2024-01-05,n/a\nC2,2024-01-06,\n"
    df, rep = rk.load_customers(upload(text, "customers.csv"), now=NOW)
    assert entries(rep) == [(2, "mrr", "missing-value placeholder", "coerced")]
    assert df["mrr"].isna().all()
    check(rep)


def test_placeholder_in_required_number_dropped() -> None:
    _, rep = rk.load_deals(upload(DEALS + "D1,C1,2024-01-05,N/A,won\nD2,C1,2024-01-05,1,won\n"), now=NOW)
    assert entries(rep) == [(2, "amount", "missing-value placeholder", "dropped")]
    check(rep)


def test_missing_column_suggestion_skips_columns_of_the_wrong_kind() -> None:
    # "Paid" is the closest header to customer_id by name, but holds true/false: no suggestion
    text = "Paid,Signed up\ntrue,2024-01-05\nfalse,2024-01-06\n"
    with pytest.raises(MissingColumnError) as info:
        rk.load_customers(upload(text, "customers.csv"), now=NOW)
    assert "'Paid'" not in str(info.value).split("Hint:")[1]
    assert "pass columns={'<your column>': 'customer_id'}" in str(info.value)
