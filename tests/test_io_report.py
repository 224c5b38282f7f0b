"""LoadReport / Loaded rendering and the no-silent-loss invariant on random messy columns."""

from __future__ import annotations

import io

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_kit as rk
from roi_kit.io import Loaded, LoadReport
from tests.budget import examples

NOW = "2025-06-30"


def upload(text: str, name: str) -> io.BytesIO:
    buf = io.BytesIO(text.encode())
    buf.name = name
    return buf


def test_loaded_unpacks_and_exposes_frame_and_report() -> None:
    loaded = rk.load_deals(upload("deal_id,customer_id,created_at,amount,status\nD1,C1,2024-01-05,5,won\n",
                                  "d.csv"), now=NOW)
    assert isinstance(loaded, Loaded)
    frame, report = loaded
    assert frame is loaded.frame and report is loaded.report
    assert repr(loaded) == "Loaded(deals: 1 rows × 5 columns from 'd.csv'; 0 dropped)"
    assert "First rows" in loaded._repr_html_()


def test_text_summary_lists_counts_mapping_and_problems() -> None:
    text = "Deal ID;Customer;Created;Value;Stage\nD1;C1;2024-01-05;-5;won\nD2;C2;2024-01-06;7;won\n"
    _, rep = rk.load_deals(upload(text, "eu.csv"), now=NOW)
    lines = str(rep).splitlines()
    assert lines[0] == "Loaded deals from eu.csv (csv, utf-8, delimiter ';', decimal ',', thousands '.')."
    assert lines[1] == "Rows: 2 read, 1 kept, 1 dropped."
    assert lines[2].startswith("Columns recognised as common aliases: 'Deal ID' → deal_id")
    assert lines[3] == "Rows with issues: 1 dropped (see .issues)."
    assert lines[4] == "  amount: negative amount — 1 × dropped"


def test_html_escapes_user_text() -> None:
    text = "customer_id,acquired_at\nC1,<script>alert(1)</script>\nC2,2024-01-01\n"
    _, rep = rk.load_customers(upload(text, "<b>evil.csv"), now=NOW)
    html = rep._repr_html_()
    assert rep.issues["value"].tolist() == ["<script>alert(1)</script>"]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>evil" not in html and "&lt;b&gt;evil.csv" in html


def test_issue_frame_has_documented_columns_and_types() -> None:
    _, rep = rk.load_customers(upload("customer_id,acquired_at\nC1,2024-01-05\n", "c.csv"), now=NOW)
    assert list(rep.issues.columns) == ["row", "column", "value", "problem", "action"]
    assert str(rep.issues["row"].dtype) == "int64"
    assert rep.to_frame().empty and "No issues found." in rep.summary()


def test_report_repr_is_short() -> None:
    rep = LoadReport(source="x.csv", table="goals", format="csv", rows_read=3, rows_kept=2, rows_dropped=1)
    assert repr(rep) == ("LoadReport(source='x.csv', table='goals', rows_read=3, rows_kept=2, "
                         "rows_dropped=1, issues=0)")


cells = st.one_of(
    st.integers(-1000, 10_000).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: f"{v:.2f}"),
    st.sampled_from(["", "n/a", "abc", "1,5", "2.5", "€3,50", "(4)", "12%", "1.234,56", "1,234.56"]),
)


@settings(max_examples=examples(50), deadline=None)
@given(amounts=st.lists(cells, min_size=1, max_size=30),
       ids=st.lists(st.sampled_from(["D1", "D2", "D3", " ", "D4"]), min_size=30, max_size=30))
def test_no_row_disappears_silently(amounts: list[str], ids: list[str]) -> None:
    frame = pd.DataFrame({"deal_id": ids[: len(amounts)], "customer_id": "C1",
                          "created_at": "2024-01-05", "amount": amounts, "status": "won"})
    try:
        df, rep = rk.load_deals(frame, now=NOW)
    except rk.EmptyDataError as exc:
        rep = exc.report  # type: ignore[attr-defined]
        df = frame.iloc[:0]
    assert rep.rows_read == len(frame) == rep.rows_kept + rep.rows_dropped
    assert len(df) == rep.rows_kept
    dropped = rep.issues.loc[rep.issues["action"] == "dropped", "row"]
    assert dropped.nunique() == rep.rows_dropped
    kept_rows = set(range(2, len(frame) + 2)) - set(dropped)
    assert len(kept_rows) == rep.rows_kept
    assert (df["amount"] >= 0).all()
    assert df["deal_id"].is_unique
