"""The byte-level fast path for European amounts (``1.234,56 €``, issue 19: European CSV speed)
gives exactly what the general route gives — values, problems, notes and the decimal-comma
votes — and whatever it declines still goes through the general route; date columns encoded once
by the loader parse as they do unencoded; the loader still reports every row it drops or flags."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_kit as rk
from roi_kit.io import number_text
from roi_kit.io.number_fast import comma_amounts
from roi_kit.io.number_text import _number_text
from roi_kit.io.numbers import parse_numbers, prepare_numbers
from roi_kit.io.parse import date_evidence, parse_dates
from tests.budget import examples


def _general(monkeypatch: pytest.MonkeyPatch, values: pa.Array, **kw: object) -> object:
    with monkeypatch.context() as m:
        m.setattr(number_text, "comma_amounts", lambda *a: None)
        return parse_numbers(values, **kw)  # type: ignore[arg-type]


def _same(a: object, b: object) -> None:
    assert a.values.to_pylist() == b.values.to_pylist()  # type: ignore[attr-defined]
    np.testing.assert_array_equal(  # -0.0 stays -0.0
        np.signbit(a.values.to_numpy(zero_copy_only=False)),  # type: ignore[attr-defined]
        np.signbit(b.values.to_numpy(zero_copy_only=False)))  # type: ignore[attr-defined]
    assert a.problems.keys() == b.problems.keys()  # type: ignore[attr-defined]
    for key in a.problems:  # type: ignore[attr-defined]
        np.testing.assert_array_equal(a.problems[key], b.problems[key])  # type: ignore[attr-defined]
    assert a.notes == b.notes  # type: ignore[attr-defined]


def test_comma_amounts_hand_worked() -> None:
    values = pa.array(["1.234,56 €", "-1.234,56 €", None, "12 345,10 €", "0,05 €", "-0,00 €",
                       "1.234.567.890,12 €", "9999999999999,99 €"])
    out = comma_amounts(values, " €")
    assert out is not None
    assert out.to_pylist() == [1234.56, -1234.56, None, 12345.1, 0.05, -0.0, 1234567890.12,
                               9999999999999.99]
    assert np.signbit(out[5].as_py())
    assert comma_amounts(pa.array(["1.234,56"]), "").to_pylist() == [1234.56]  # type: ignore[union-attr]
    assert comma_amounts(pa.array(["12,5 €"]), " €") is None                # one decimal
    assert comma_amounts(pa.array(["(1.234,56) €"]), " €") is None          # brackets
    assert comma_amounts(pa.array(["1\u00a0234,56 €"]), " €") is None       # NBSP: general route
    assert comma_amounts(pa.array(["1.234,56 €", "1,00 $"]), " €") is None  # another suffix
    assert comma_amounts(pa.array([".,50 €"]), " €") is None                # no digit
    assert comma_amounts(pa.array(["12345678901234,00 €"]), " €") is None   # 14 digits: not exact
    assert comma_amounts(pa.array(["1e3,00 €"]), " €") is None


EDGE_CASES: list[tuple[list[str | None], bool]] = [  # (values, whether the fast path reads them)
    (["1.234,56 €", "-1.234,56 €", "7,00 €", None], True),
    (["1.234,56 €", "", None, "n/a", "-"], True),            # empty cells and placeholders
    ([" 1.234,56 € ", "7,00 €"], True),                      # padded: read after trimming
    (["1 234,56 €", "12 345 678,00 €"], True),               # spaces as thousands separators
    (["1.234,56", "-0,00", "0,01"], True),                   # no currency
    (["1.234,56 EUR", "3,10 EUR"], True),
    (["(1.234,56) €", "7,00 €"], False),                     # accounting negative
    (["(1.234,56)", "-1.234,56"], False),
    (["1\u00a0234,56 €", "5,00 €"], False),                  # non-breaking space separator
    (["1\u202f234,56 €", "5,00 €"], False),                  # narrow non-breaking space
    (["1.234,56 €", "12,00 $"], False),                      # mixed currencies: noted
    (["1.234,56 €", "€ 12,00"], False),
    (["1.234,56 €", "abc €"], False),                        # not a number: reported
    (["1.234,56 €", "1.234,5 €"], False),                    # one decimal
    (["1.234 €", "2.345 €"], False),                         # thousands or decimals: votes
    (["12,5 %", "3,25 %"], False),
    (["−12,00 €", "3,00 €"], False),                         # Unicode minus
    (["1.234,56 kr.", "3,00 kr."], False),
]


@pytest.mark.parametrize(("values", "fast"), EDGE_CASES)
@pytest.mark.parametrize("decimal", [None, ",", "."])
def test_fast_path_equals_general_route(monkeypatch: pytest.MonkeyPatch, values: list[str | None],
                                         fast: bool, decimal: str | None) -> None:
    arr = pa.array(values, pa.string())
    assert (_number_text(arr).comma_values is not None) is fast
    _same(parse_numbers(arr, decimal=decimal), _general(monkeypatch, arr, decimal=decimal))  # type: ignore[arg-type]
    nt, general = _number_text(arr), _number_text(arr, fast=False)
    for field in ("present", "placeholder", "comma_vote", "dot_vote", "ambiguous", "pct", "neg"):
        np.testing.assert_array_equal(getattr(nt, field), getattr(general, field), err_msg=field)
    assert nt.core.to_pylist() == general.core.to_pylist()
    assert nt.symbols == general.symbols


def test_mixed_currencies_are_noted_not_converted() -> None:
    parsed = parse_numbers(pa.array(["1.234,56 €", "12,00 $", "3,00 €"]))
    assert parsed.values.to_pylist() == [1234.56, 12.0, 3.0]
    assert any("mixed currencies (EUR, USD)" in n for n in parsed.notes)


def test_one_bad_value_sends_the_column_to_the_general_route(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(19)
    cents = rng.integers(-10**9, 10**9, 5_000)
    text = [f"{c / 100:,.2f} €".replace(",", "_").replace(".", ",").replace("_", ".") for c in cents]
    text[17] = "zwölf €"
    arr = pa.array(text)
    assert _number_text(arr).comma_values is None
    parsed = parse_numbers(arr)
    _same(parsed, _general(monkeypatch, arr))
    assert parsed.problems["not a number"].nonzero()[0].tolist() == [17]
    text[17] = "0,00 €"
    fast = prepare_numbers(pa.array(text))
    assert fast is not None and fast.text.comma_values is not None
    expected = cents / 100
    expected[17] = 0.0
    np.testing.assert_array_equal(parse_numbers(fast).values.to_numpy(), expected)


_PIECES = st.sampled_from([*"0123456789", ".", ",", " ", "-", "€", "(", ")", "\u00a0", "e", "%"])
_AMOUNTS = st.integers(-10**13, 10**13).map(
    lambda c: f"{c / 100:,.2f} €".replace(",", "_").replace(".", ",").replace("_", "."))


@settings(max_examples=examples(100), deadline=None)
@given(st.one_of(  # columns the fast path reads, and columns with any text in them
    st.lists(st.one_of(st.none(), _AMOUNTS), min_size=1, max_size=30),
    st.lists(st.one_of(st.none(), st.text(_PIECES, max_size=14), _AMOUNTS), min_size=1, max_size=30)))
def test_fast_path_never_differs(values: list[str | None]) -> None:
    arr = pa.array(values, pa.string())
    for decimal in (None, ","):
        fast = parse_numbers(arr, decimal=decimal)  # type: ignore[arg-type]
        general = number_text._number_text(arr, fast=False)
        nt = _number_text(arr)
        np.testing.assert_array_equal(nt.comma_vote, general.comma_vote)
        np.testing.assert_array_equal(nt.dot_vote, general.dot_vote)
        if nt.comma_values is not None:
            # the general route's parse of the same column, by hand: drop ".", read "," as "."
            core = [None if v is None else float(v.replace(".", "").replace(",", "."))
                    for v in general.core.to_pylist()]
            assert fast.values.to_pylist() == core


def test_dates_encoded_once_parse_as_unencoded() -> None:
    rng = np.random.default_rng(7)
    days = np.datetime64("2024-01-01") + rng.integers(0, 400, 3_000)
    text = [str(d.item().strftime("%d.%m.%Y")) for d in days]
    text[5], text[9] = "31.02.2024", None  # an impossible date, a blank
    plain = pa.array(text)
    encoded = plain.dictionary_encode()
    ev_plain, ev_enc = date_evidence(plain), date_evidence(encoded)
    assert ev_enc.decides is ev_plain.decides is True
    np.testing.assert_array_equal(ev_enc.day_rows, ev_plain.day_rows)
    a, b = parse_dates(plain, dayfirst=True), parse_dates(encoded, dayfirst=True)
    assert a.values.equals(b.values)
    assert {k: v.nonzero()[0].tolist() for k, v in b.problems.items()} == {
        "not a date (read as day-first)": [5]}


def test_loader_reports_every_dropped_or_flagged_row(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    rng = np.random.default_rng(3)
    n = 2_000
    amounts = [f"{c / 100:,.2f} €".replace(",", "_").replace(".", ",").replace("_", ".")
               for c in rng.integers(100, 10**8, n)]
    created = [f"{d:02d}.{m:02d}.2024" for d, m in zip(rng.integers(1, 29, n), rng.integers(1, 13, n))]
    amounts[10], amounts[20] = "n/a", "-1.234,56 €"      # placeholder, negative amount
    created[30] = "32.13.2024"                           # a bad date on one row
    lines = ["deal_id;customer_id;created_at;amount;status"]
    lines += [f"D{i};C{i % 50};{created[i]};{amounts[i]};won" for i in range(n)]
    path = Path(str(tmp_path)) / "deals_eu.csv"
    path.write_bytes("\n".join(lines).encode("cp1252"))
    fast = rk.load_deals(path, now="2030-01-01")
    with monkeypatch.context() as m:
        m.setattr(number_text, "comma_amounts", lambda *a: None)
        general = rk.load_deals(path, now="2030-01-01")
    assert fast.frame.equals(general.frame)
    assert fast.report.issues.equals(general.report.issues)
    issues = fast.report.issues
    by_row = {(int(r.row), r.column): r.action for r in issues.itertuples()}
    assert by_row[(12, "amount")] and by_row[(22, "amount")] and by_row[(32, "created_at")]
    assert fast.report.rows_read == n and fast.report.decimal == ","
