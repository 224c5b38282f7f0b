"""Aggregated paths under their interchange names, and hints that name calls that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import MissingColumnError

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def test_channelattribution_columns_are_read_without_keywords() -> None:
    frame = pd.read_csv(FIXTURES / "channelattribution_paths.csv")
    res = rk.attribute(frame, model="linear")
    got = res.to_frame().set_index("channel")[["conversions", "value"]]
    # linear by hand: Facebook > Email 3 conv / 300 -> 1.5 / 150 each; Email 1 / 50;
    # Facebook 2 / 120; the Instagram path never converts
    assert got.loc["Facebook"].tolist() == pytest.approx([3.5, 270.0])
    assert got.loc["Email"].tolist() == pytest.approx([2.5, 200.0])
    assert got.loc["Instagram"].tolist() == pytest.approx([0.0, 0.0])
    assert ("Columns read by their interchange names: 'total_conversions' as conversions, "
            "'total_conversion_value' as value, 'total_null' as nulls.") in res.notes


def test_interchange_names_give_the_same_markov_result_as_canonical_ones() -> None:
    frame = pd.read_csv(FIXTURES / "channelattribution_paths.csv")
    canonical = frame.rename(columns={"total_conversions": "conversions",
                                      "total_conversion_value": "value", "total_null": "nulls"})
    a = rk.attribute(frame).to_frame()
    b = rk.attribute(canonical).to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_explicit_names_are_used_as_given() -> None:
    frame = pd.DataFrame({"journey": ["a > b", "b"], "n": [2, 1], "total_conversions": [99, 99]})
    paths = rk.read_paths(frame, path="journey", conversions="n")
    assert paths.total_conversions == 3


def test_missing_count_column_hint_names_read_paths() -> None:
    with pytest.raises(MissingColumnError, match=r"rk\.read_paths\(frame, path="):
        rk.attribute(pd.DataFrame({"path": ["a > b"], "convs": [1]}))


def test_every_loader_named_in_the_package_exists() -> None:
    named = set()
    for file in (ROOT / "roi_kit").rglob("*.py"):
        named |= set(re.findall(r"\brk\.(load_\w+)", file.read_text(encoding="utf-8")))
    assert named, "the scan found no loader names at all"
    assert sorted(n for n in named if not hasattr(rk, n)) == []


def test_touchpoint_hint_names_the_touchpoint_loader() -> None:
    with pytest.raises(MissingColumnError) as err:
        rk.attribute(pd.DataFrame({"user_id": ["u"], "source": ["x"], "medium": ["y"],
                                   "converted": [True]}))
    hint = str(err.value).split("Hint:")[1]
    assert "rk.load_touchpoints(path, columns={'your_name': 'timestamp'})" in hint
    assert "<table>" not in hint
