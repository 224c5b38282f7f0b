"""The clean-file fast paths of the loaders give the same answers as the exact paths they skip."""

from __future__ import annotations

import io
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_kit as rk
from roi_kit.io import build as build_module
from roi_kit.io.cells import plain_edges
from tests.budget import examples

EDGE_CHARS = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\u00a0", "\u2003", "\u3000",
              "\x01", "é", "a", "Z", "0", "-", "_", "€"]
texts = st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(EDGE_CHARS), max_size=5)),
                 min_size=1, max_size=30)


def _deals_csv(ids: list[str], statuses: list[str] | None = None) -> io.BytesIO:
    statuses = statuses or ["won"] * len(ids)
    lines = ["deal_id,customer_id,created_at,amount,status"]
    lines += [f"{d},C{i % 7},2024-01-{1 + i % 28:02d} 10:00:00,{10 + i}.5,{s}"
              for i, (d, s) in enumerate(zip(ids, statuses))]
    buf = io.BytesIO(("\n".join(lines) + "\n").encode())
    buf.name = "deals.csv"
    return buf


@settings(max_examples=examples(50), deadline=None)
@given(texts, st.booleans(), st.integers(min_value=1, max_value=4))
def test_plain_edges_true_only_when_trimming_changes_nothing(values: list[str | None], large: bool,
                                                             pieces: int) -> None:
    kind = pa.large_string() if large else pa.string()
    size = -(-len(values) // pieces)
    arr = pa.chunked_array([pa.array(values[i:i + size], type=kind)
                            for i in range(0, len(values), size)], type=kind)
    if plain_edges(arr):
        present = [v for v in values if v is not None]
        assert "" not in present
        assert pc.utf8_trim_whitespace(arr).to_pylist() == values
        assert pc.ascii_trim_whitespace(arr).to_pylist() == values


def test_plain_edges_sliced_array_reads_its_own_window() -> None:
    arr = pa.array([" x", "a", "b", "c "])
    assert plain_edges(arr.slice(1, 2)) is True
    assert plain_edges(arr.slice(0, 2)) is False
    assert plain_edges(arr.slice(2, 2)) is False


def test_plain_edges_non_text_is_maybe() -> None:
    assert plain_edges(pa.array([1, 2])) is False


def test_id_whitespace_trimmed_when_edges_not_plain() -> None:
    ids = [f"D{i}" for i in range(1500)]
    ids[700] = " D700 "  # only this one value needs trimming
    deals, report = rk.load_deals(_deals_csv(ids), now="2030-01-01")
    assert deals["deal_id"].iloc[700] == "D700"
    assert report.rows_kept == 1500 and report.issues.empty


def test_duplicate_found_when_hashes_say_unique_is_not_proven(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [f"D{i}" for i in range(1500)]
    # A hash collision only makes the count smaller: the exact check then finds no duplicate.
    monkeypatch.setattr(build_module, "_n_unique", lambda values: len(values) - 1)
    deals, report = rk.load_deals(_deals_csv(ids), now="2030-01-01")
    assert report.rows_read == report.rows_kept == 1500 == deals["deal_id"].nunique()
    assert report.issues.empty


def test_duplicate_id_in_large_clean_file_dropped_and_reported() -> None:
    ids = [f"D{i}" for i in range(3000)]
    ids[2999] = "D17"
    deals, report = rk.load_deals(_deals_csv(ids), now="2030-01-01")
    assert report.rows_read == report.rows_kept + report.rows_dropped == 3000
    assert report.issues[["row", "column", "problem", "action"]].to_dict("records") == [
        {"row": 3001, "column": "deal_id", "problem": "duplicate deal_id (first seen on row 19)",
         "action": "dropped"}]
    assert len(deals) == 2999


def test_labels_mapped_on_main_thread_while_worker_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    real = build_module._n_unique

    def slow(values: pa.ChunkedArray) -> int:
        time.sleep(0.3)  # the worker is still busy when parsing ends: labels are done here
        return real(values)

    monkeypatch.setattr(build_module, "_n_unique", slow)
    statuses = ["Closed Won", "closedlost", "Sleeping"] * 500
    deals, report = rk.load_deals(_deals_csv([f"D{i}" for i in range(1500)], statuses),
                                  now="2030-01-01")
    assert deals["status"].value_counts().to_dict() == {"won": 500, "lost": 500}
    unknown = report.issues[report.issues["column"] == "status"]
    assert len(unknown) == 500 and set(unknown["action"]) == {"dropped"}


def test_text_columns_from_csv_are_pandas_strings() -> None:
    deals, _ = rk.load_deals(_deals_csv([f"D{i}" for i in range(20)]), now="2030-01-01")
    for col in ("deal_id", "customer_id", "status"):
        assert isinstance(deals[col].dtype, pd.StringDtype)
    assert deals["amount"].dtype == np.float64
    deals.loc[0, "amount"] = 1.0  # the frame owns writable memory
    assert deals["amount"].iloc[0] == 1.0


numberish = st.lists(st.one_of(st.none(), st.lists(
    st.sampled_from([*"0123456789.,()%-' \t", "€", "kr", "US$", "−", "é", "\u00a0"]),
    max_size=8).map("".join)), max_size=30)


@settings(max_examples=examples(50), deadline=None)
@given(numberish, st.booleans(), st.integers(min_value=0, max_value=3))
def test_byte_edits_match_the_string_kernels(values: list[str | None], large: bool, skip: int) -> None:
    from roi_kit.io.number_text import _drop_ascii, _residues

    arr = pa.array(values, type=pa.large_string() if large else pa.string()).slice(skip)
    regex = pc.replace_substring_regex(arr, r"[0-9.,]+", "")
    assert sorted(_residues(arr)) == sorted(pc.unique(regex).drop_null().to_pylist())
    swapped = pc.replace_substring(pc.replace_substring(arr, ".", ""), ",", ".")
    assert _drop_ascii(arr, b".", swap=(ord(","), ord("."))).to_pylist() == swapped.to_pylist()
    spaced = pc.replace_substring(pc.replace_substring(arr, " ", ""), "'", "")
    assert _drop_ascii(arr, b" '").to_pylist() == spaced.to_pylist()
