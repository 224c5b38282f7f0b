"""Single-byte code pages are decoded by pyarrow while it parses; the result and the LoadReport
equal the route that decodes the whole file in Python first (kept for other encodings and as the
fallback), including the fall back to latin-1 for a byte cp1252 leaves undefined."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.io import text

ROWS = 3_000


def european(extra: bytes = b"", rows: int = ROWS) -> bytes:
    """A deals export in cp1252: ``;``, ``1.234,56 €``, day-first dates, umlauts, a bad row."""
    lines = ["deal_id;customer_id;created_at;amount;status;source"]
    for i in range(rows):
        amount = f"{(i * 7919) % 250_000 / 100:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
        day, month = i % 28 + 1, i % 12 + 1
        lines.append(f"D{i};C{i % 400};{day:02d}.{month:02d}.2024;{amount} €;"
                     f"{('won', 'lost', 'open')[i % 3]};{'E-Mail für Kunden' if i % 4 else 'Messe'}")
    lines.append("D-bad;C1;31.02.2024;abc €;won;Messe")
    return "\n".join(lines).encode("cp1252") + extra + b"\n"


def python_route(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "single_byte", lambda encoding: False)


def same_load(a: Any, b: Any) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    for f in fields(a.report):
        x, y = getattr(a.report, f.name), getattr(b.report, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True)
        else:
            assert x == y, f.name


@pytest.mark.parametrize("encoding", [None, "cp1252", "windows-1252"])
def test_code_page_read_by_arrow_equals_python_decode(monkeypatch: pytest.MonkeyPatch,
                                                      encoding: str | None) -> None:
    data = european()
    fast = rk.load_deals(data, name="deals.csv", encoding=encoding, now="2030-01-01")
    with monkeypatch.context() as m:
        python_route(m)
        slow = rk.load_deals(data, name="deals.csv", encoding=encoding, now="2030-01-01")
    same_load(fast, slow)
    assert fast.report.encoding in ("cp1252", "windows-1252") and fast.report.decimal == ","
    assert fast.frame["amount"].iloc[1] == 79.19 and fast.report.rows_dropped >= 1


def test_undefined_byte_after_the_sample_still_falls_back_to_latin1(monkeypatch: pytest.MonkeyPatch) -> None:
    data = european(extra=b"\nD-x;C1;01.01.2024;1,00 \x81;won;Messe", rows=3_000)
    assert b"\x81" not in data[:1 << 16]  # the sample says cp1252; the byte comes later
    fast = rk.load_deals(data, name="deals.csv", now="2030-01-01")
    with monkeypatch.context() as m:
        python_route(m)
        slow = rk.load_deals(data, name="deals.csv", now="2030-01-01")
    same_load(fast, slow)
    assert fast.report.encoding == "latin-1"


def test_explicit_code_page_with_an_undefined_byte_names_it() -> None:
    with pytest.raises(rk.errors.UnsupportedFormatError, match=r"cannot be decoded as cp1252.*0x81"):
        rk.load_deals(european(extra=b"\n\x81"), name="deals.csv", encoding="cp1252")


def test_malformed_rows_in_a_code_page_file_keep_their_row_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    data = european(extra=b"\nD-y;C1;01.01.2024;1,00 \x80;won;Messe;one too many", rows=200)
    fast = rk.load_deals(data, name="deals.csv", now="2030-01-01")
    with monkeypatch.context() as m:
        python_route(m)
        slow = rk.load_deals(data, name="deals.csv", now="2030-01-01")
    same_load(fast, slow)
    issues = fast.report.issues
    assert (issues["row"] == 203).any() and (issues["action"] == "dropped").any()
