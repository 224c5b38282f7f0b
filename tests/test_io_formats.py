"""Happy paths: every format, encoding, delimiter, number and date convention, and source kind."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import roi_kit as rk

NOW = "2025-06-30"
EXPECTED_AMOUNTS = [1234.56, 99.5]


def upload(data: bytes, name: str) -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def deals_text(delim: str, amounts: tuple[str, str] = ("1234.56", "99.5")) -> str:
    rows = [["deal_id", "customer_id", "created_at", "amount", "status"],
            ["D1", "C1", "2024-01-05", amounts[0], "won"],
            ["D2", "C2", "2024-02-06", amounts[1], "lost"]]
    return "\n".join(delim.join(r) for r in rows) + "\n"


@pytest.mark.parametrize(("delim", "fmt"), [(",", "csv"), (";", "csv"), ("\t", "tsv"), ("|", "csv")])
def test_delimiter_detected(delim: str, fmt: str) -> None:
    df, rep = rk.load_deals(upload(deals_text(delim).encode(), "deals.txt"), now=NOW)
    assert rep.delimiter == delim
    assert rep.format == fmt
    assert df["amount"].tolist() == EXPECTED_AMOUNTS
    assert rep.rows_read == rep.rows_kept == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encoding_detected(encoding: str) -> None:
    text = "customer_id,acquired_at,region\nC1,2024-01-05,Zürich\nC2,2024-01-06,Malmö\n"
    df, rep = rk.load_customers(upload(text.encode(encoding), "customers.csv"), now=NOW)
    assert rep.encoding == encoding
    assert df["region"].tolist() == ["Zürich", "Malmö"]
    assert df.columns[0] == "customer_id"  # no BOM left in the first header


def test_european_export_semicolon_decimal_comma_cp1252_dayfirst() -> None:
    text = ("Deal ID;Customer;Created;Amount;Stage\n"
            "D1;C1;31.01.2024;1.234,56 €;Closed Won\n"
            "D2;C2;05.02.2024;99,50 €;Closed Lost\n")
    df, rep = rk.load_deals(upload(text.encode("cp1252"), "export.csv"), now=NOW)
    assert (rep.encoding, rep.delimiter, rep.decimal, rep.thousands) == ("cp1252", ";", ",", ".")
    assert df["amount"].tolist() == EXPECTED_AMOUNTS
    assert df["created_at"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-31", "2024-02-05"]
    assert df["status"].tolist() == ["won", "lost"]


@pytest.mark.parametrize(("values", "expected"), [
    (("€1.234,56", "€99,50"), EXPECTED_AMOUNTS),
    (("$1,234.56", "$99.50"), EXPECTED_AMOUNTS),
    (("1 234,56 kr", "99,50 kr"), EXPECTED_AMOUNTS),
    (("1\u00a0234,56\u00a0€", "99,5"), EXPECTED_AMOUNTS),
    (("EUR 1234.56", "(99.50)"), [1234.56, -99.5]),
    (("1'234.56", "99.5"), EXPECTED_AMOUNTS),
])
def test_currency_strings(values: tuple[str, str], expected: list[float]) -> None:
    frame = pd.DataFrame({"date": ["2024-01-01", "2024-01-02"], "category": ["ads", "tools"],
                          "amount": list(values)})
    df, _rep = rk.load_costs(frame, now=NOW)
    assert df["amount"].tolist() == expected


def test_ambiguous_thousands_follow_other_columns_evidence() -> None:
    text = "date;category;amount;hours\n2024-01-31;staff;1.500;7,5\n2024-02-29;staff;2.000;8\n"
    df, _rep = rk.load_costs(upload(text.encode(), "costs.csv"), now=NOW)
    assert df["amount"].tolist() == [1500.0, 2000.0]
    assert df["hours"].tolist() == [7.5, 8.0]


def test_percent_strings_become_fractions() -> None:
    frame = pd.DataFrame({"metric": ["ctr", "churn"], "target": ["2.5%", "12.5 %"],
                          "period_start": ["2025-01-01"] * 2, "period_end": ["2025-12-31"] * 2})
    df, rep = rk.load_goals(frame)
    assert df["target"].tolist() == pytest.approx([0.025, 0.125])
    assert any("percent" in w for w in rep.warnings)
    df, _ = rk.load_goals(frame.assign(target=["2,5%", "12,5 %"]))
    assert df["target"].tolist() == pytest.approx([0.025, 0.125])


def test_month_first_dates_detected_from_evidence() -> None:
    text = ("post_id,platform,published_at\np1,x,01/31/2024 10:15 PM\np2,x,02/03/2024 9:05 AM\n")
    df, _rep = rk.load_posts(upload(text.encode(), "posts.csv"), now=NOW)
    assert [str(t) for t in df["published_at"]] == ["2024-01-31 22:15:00", "2024-02-03 09:05:00"]


def test_dayfirst_evidence_from_another_column_decides() -> None:
    text = ("customer_id,acquired_at,churned_at\nC1,03/02/2024,25/03/2024\nC2,04/02/2024,\n")
    df, _rep = rk.load_customers(upload(text.encode(), "customers.csv"), now=NOW)
    assert df["acquired_at"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-03", "2024-02-04"]


def test_timezone_aware_times_converted_to_naive_utc_and_reported() -> None:
    text = "user_id,timestamp,url\nu1,2024-01-05T10:00:00+02:00,https://x.com/?utm_source=a\n" \
           "u2,2024-01-05T10:00:00Z,https://x.com/\n"
    df, rep = rk.load_touchpoints(upload(text.encode(), "t.csv"), now=NOW)
    assert [str(t) for t in df["timestamp"]] == ["2024-01-05 08:00:00", "2024-01-05 10:00:00"]
    assert str(df["timestamp"].dtype) == "datetime64[us]"
    assert any("naive UTC" in w for w in rep.warnings)


def test_datetime_dtype_is_naive_microseconds() -> None:
    df, _ = rk.load_deals(upload(deals_text(",").encode(), "d.csv"), now=NOW)
    assert str(df["created_at"].dtype) == "datetime64[us]"


def test_ids_kept_as_strings_with_leading_zeros() -> None:
    text = "customer_id,acquired_at,employees\n00123,2024-01-05,10\n 0456 ,2024-01-06,20\n"
    df, _ = rk.load_customers(upload(text.encode(), "c.csv"), now=NOW)
    assert df["customer_id"].tolist() == ["00123", "0456"]
    assert df["employees"].tolist() == [10.0, 20.0]


def test_integer_ids_from_a_frame_become_strings() -> None:
    frame = pd.DataFrame({"customer_id": [1.0, 2.0], "acquired_at": pd.to_datetime(["2024-01-01", "2024-02-01"])})
    df, _ = rk.load_customers(frame, now=NOW)
    assert df["customer_id"].tolist() == ["1", "2"]


def test_booleans_and_integer_counts() -> None:
    frame = pd.DataFrame({"post_id": ["a", "b", "c"], "platform": ["Instagram", "IG", "FB"],
                          "published_at": ["2024-01-01"] * 3, "paid": ["Yes", "no", "TRUE"],
                          "likes": ["1,200", "3", ""]})
    df, _ = rk.load_posts(frame, now=NOW)
    assert df["platform"].tolist() == ["instagram", "instagram", "facebook"]
    assert df["paid"].tolist() == [True, False, True]
    assert df["likes"].isna().tolist() == [False, False, True]
    assert df["likes"].iloc[0] == 1200


def test_path_csv_and_parquet(tmp_path: Path) -> None:
    frame = pd.DataFrame({"deal_id": ["D1", "D2"], "customer_id": ["C1", "C2"],
                          "created_at": pd.to_datetime(["2024-01-05", "2024-02-06"]),
                          "amount": EXPECTED_AMOUNTS, "status": ["won", "lost"]})
    frame.to_csv(tmp_path / "deals.csv", index=False)
    frame.to_parquet(tmp_path / "deals.parquet")
    a, ra = rk.load_deals(tmp_path / "deals.csv", now=NOW)
    b, rb = rk.load_deals(str(tmp_path / "deals.parquet"), now=NOW)
    assert (ra.format, rb.format, ra.source, rb.source) == ("csv", "parquet", "deals.csv", "deals.parquet")
    pd.testing.assert_frame_equal(a, b)
    assert a["amount"].tolist() == EXPECTED_AMOUNTS


def test_excel_with_title_row_above_header() -> None:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        pd.DataFrame([["Post analytics for Acme"]]).to_excel(xw, index=False, header=False, startrow=0)
        pd.DataFrame({"Update title": ["Launch", "Hiring"], "Update link": ["https://l/1", "https://l/2"],
                      "Update type": ["Organic", "Sponsored"], "Created date": ["01/15/2024", "01/31/2024"],
                      "Impressions": [1000, 2500], "Clicks": [10, 30], "Reactions": [5, 9],
                      "Reposts": [1, 2]}).to_excel(xw, index=False, startrow=1)
    df, rep = rk.load_posts(upload(buf.getvalue(), "content.xlsx"), now=NOW)
    assert rep.format == "excel"
    assert rep.alias_set == "LinkedIn page posts"
    assert df["platform"].tolist() == ["linkedin", "linkedin"]
    assert df["paid"].tolist() == [False, True]
    assert df["impressions"].tolist() == [1000, 2500]
    assert any("row 2" in w for w in rep.warnings)


def test_excel_bad_value_reports_excel_row() -> None:
    buf = io.BytesIO()
    pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "acquired_at": ["2024-01-05", "oops", "2024-01-07"]}
                 ).to_excel(buf, index=False)
    _df, rep = rk.load_customers(upload(buf.getvalue(), "customers.xlsx"), now=NOW)
    assert rep.issues[["row", "column", "problem", "action"]].values.tolist() == [
        [3, "acquired_at", "not a date", "dropped"]]


def test_file_like_text_stream_and_upload_dict() -> None:
    text = deals_text(",")
    stream = io.StringIO(text)
    stream.name = "/uploads/deals.csv"  # type: ignore[misc]
    a, ra = rk.load_deals(stream, now=NOW)
    b, rb = rk.load_deals({"name": "deals.csv", "content": memoryview(text.encode())}, now=NOW)
    c, rc = rk.load_deals(text.encode(), name="pasted.csv", now=NOW)
    assert ra.source == rb.source == "deals.csv" and rc.source == "pasted.csv"
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_polars_eager_lazy_and_arrow_inputs() -> None:
    frame = pl.DataFrame({"user_id": ["u1", "u2"], "timestamp": ["2024-01-05", "2024-01-06"],
                          "source": ["google", "linkedin"], "medium": ["cpc", "social"]})
    a, ra = rk.load_touchpoints(frame, now=NOW)
    b, rb = rk.load_touchpoints(frame.lazy(), now=NOW)
    c, rc = rk.load_touchpoints(frame.to_arrow(), now=NOW)
    assert (ra.format, rb.format, rc.format) == ("polars frame", "polars frame", "arrow table")
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_engine_polars_returns_polars_frame() -> None:
    df, _rep = rk.load_deals(upload(deals_text(";", ("1.234,56", "99,5")).encode(), "d.csv"),
                            engine="polars", now=NOW)
    assert isinstance(df, pl.DataFrame)
    assert df["amount"].to_list() == EXPECTED_AMOUNTS
    assert df.schema["created_at"] == pl.Datetime("us")


def test_pandas_input_not_mutated_and_named_index_kept() -> None:
    frame = pd.DataFrame({"acquired_at": ["2024-01-05", "bad"]},
                         index=pd.Index(["C1", "C2"], name="customer_id"))
    before = frame.copy()
    df, rep = rk.load_customers(frame, now=NOW)
    pd.testing.assert_frame_equal(frame, before)
    assert df["customer_id"].tolist() == ["C1"]
    assert rep.issues["row"].tolist() == [3]


def test_extra_columns_kept_unchanged() -> None:
    text = "customer_id,acquired_at,favourite_colour\nC1,2024-01-05,blue\n"
    df, rep = rk.load_customers(upload(text.encode(), "c.csv"), now=NOW)
    assert list(df.columns) == ["customer_id", "acquired_at", "favourite_colour"]
    assert rep.extra_columns == ("favourite_colour",)


def test_epoch_and_compact_dates() -> None:
    frame = pd.DataFrame({"user_id": ["u1", "u2"], "timestamp": np.array([1704448800000000, 1704535200000000]),
                          "source": ["a", "b"], "medium": ["c", "d"]})
    df, rep = rk.load_touchpoints(frame, now=NOW)
    assert [str(t) for t in df["timestamp"]] == ["2024-01-05 10:00:00", "2024-01-06 10:00:00"]
    assert any("microseconds" in w for w in rep.warnings)


def test_month_name_dates() -> None:
    frame = pd.DataFrame({"post_id": ["1", "2"], "platform": ["x", "x"],
                          "published_at": ["Sat, Jan 06, 2024", "5 February 2024"]})
    df, _ = rk.load_posts(frame, now=NOW)
    assert df["published_at"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-06", "2024-02-05"]


def test_fill_adds_a_constant_column() -> None:
    frame = pd.DataFrame({"post_id": ["1"], "published_at": ["2024-01-05"]})
    df, rep = rk.load_posts(frame, fill={"platform": "tiktok"}, now=NOW)
    assert df["platform"].tolist() == ["tiktok"]
    assert "platform set to 'tiktok' for every row" in rep.warnings


def test_malformed_rows_in_a_larger_file_keep_exact_rows() -> None:
    lines = [f"D{i},C{i},2024-01-05,{i},won" for i in range(2000)]
    lines[1500] = "D1500,C1500,2024-01-05"
    text = "deal_id,customer_id,created_at,amount,status\n" + "\n".join(lines) + "\n"
    df, rep = rk.load_deals(upload(text.encode(), "big.csv"), now=NOW)
    assert rep.issues[["row", "column", "action"]].values.tolist() == [[1502, "(row)", "dropped"]]
    assert len(df) == 1999 and rep.rows_read == 2000


def test_late_bad_value_after_clean_block_retries_as_text() -> None:
    lines = [f"D{i},C{i},2024-01-05,{i}.5,won" for i in range(200_000)]
    lines[-1] = "D199999,C1,2024-01-05,n/a?,won"
    text = "deal_id,customer_id,created_at,amount,status\n" + "\n".join(lines) + "\n"
    df, rep = rk.load_deals(upload(text.encode(), "big.csv"), now=NOW)
    assert rep.issues[["row", "column", "problem"]].values.tolist() == [[200_001, "amount", "not a number"]]
    assert len(df) == 199_999


def test_arrow_dictionary_columns_are_read() -> None:
    table = pa.table({"metric": pa.array(["leads"]).dictionary_encode(), "target": [5],
                      "period_start": ["2025-01-01"], "period_end": ["2025-02-01"]})
    df, _ = rk.load_goals(table)
    assert df["metric"].tolist() == ["leads"]
