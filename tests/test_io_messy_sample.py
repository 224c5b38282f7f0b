"""The committed messy European export (data/samples/messy): every documented bad row is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import roi_kit as rk

MESSY = Path(__file__).resolve().parents[1] / "data" / "samples" / "messy"
NOW = "2026-01-01"  # after the export's last date, so no future-date flags

pytestmark = pytest.mark.skipif(not (MESSY / "bad_rows.json").exists(), reason="messy sample missing")

#: the loader's wording for each documented bad row (bad_rows.json describes them for people)
EXPECTED = {
    ("customers.csv", 6, "mrr"): ("missing-value placeholder", "coerced"),
    ("customers.csv", 12, "acquired_at"): ("not a date", "dropped"),
    ("deals.csv", 8, "amount"): ("missing value", "dropped"),
    ("deals.csv", 20, "created_at"): ("not a date (read as day-first)", "dropped"),
    ("deals.csv", 33, "amount"): ("negative amount", "dropped"),
    ("deals.csv", 49, "amount"): ("missing-value placeholder", "dropped"),
    ("deals.csv", 62, "deal_id"): ("duplicate deal_id (first seen on row 14)", "dropped"),
}


@pytest.mark.parametrize(("file", "loader"), [("deals.csv", rk.load_deals),
                                              ("customers.csv", rk.load_customers)])
def test_messy_export_reports_exactly_the_documented_bad_rows(file: str, loader: object) -> None:
    documented = [b for b in json.loads((MESSY / "bad_rows.json").read_text()) if b["file"] == file]
    frame, rep = loader(MESSY / file, now=NOW)  # type: ignore[operator]
    assert (rep.encoding, rep.delimiter, rep.decimal) == ("cp1252", ";", ",")
    got = {(int(r.row), r.column): (r.problem, r.action, r.value) for r in rep.issues.itertuples()}
    want = {(b["row"], b["column"]): (*EXPECTED[(file, b["row"], b["column"])], b["value"])
            for b in documented}
    assert got == want
    dropped = sum(1 for p, a, _ in want.values() if a == "dropped")
    assert (rep.rows_dropped, rep.rows_read) == (dropped, rep.rows_kept + dropped)
    assert len(frame) == rep.rows_kept


def test_messy_export_values_match_the_clean_saas_sample() -> None:
    deals, _ = rk.load_deals(MESSY / "deals.csv", now=NOW)
    clean, clean_report = rk.load_deals(MESSY.parent / "saas" / "deals.csv", now=NOW)
    merged = deals.merge(clean, on="deal_id", suffixes=("", "_clean"))
    assert len(merged) == len(deals)
    assert clean_report.rows_dropped == 0
    assert (merged["amount"] - merged["amount_clean"]).abs().max() < 0.01
    assert (merged["created_at"].dt.normalize() == merged["created_at_clean"].dt.normalize()).all()
    assert merged["status"].equals(merged["status_clean"])
