"""Post exports without a post id: stable made-up ids, and missing counts said in the report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import roi_kit as rk

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2025-01-01"


def test_rows_without_id_get_stable_ids_said_in_the_report() -> None:
    first, rep = rk.load_posts(FIXTURES / "posts_without_ids.csv", now=NOW)
    again, _ = rk.load_posts(FIXTURES / "posts_without_ids.csv", now=NOW)
    ids = first["post_id"].tolist()
    assert ids == again["post_id"].tolist()  # the same file, the same ids
    assert all(i.startswith("post-") for i in ids) and len(set(ids)) == 4
    # rows 2 and 4 are identical: the repeat keeps its row with a numbered id
    assert ids[2] == ids[0] + "-2"
    assert rep.rows_kept == 4
    assert any(w.startswith("post_id: the file has no post id") for w in rep.warnings)


def test_absent_and_blank_counts_are_reported() -> None:
    posts, rep = rk.load_posts(FIXTURES / "posts_without_ids.csv", now=NOW)
    notes = list(rep.warnings)
    assert "shares, saves: not in the file; engagement totals count them as 0" in notes
    assert "likes: 1 of 4 rows blank; engagement totals count them as 0" in notes
    assert "comments: 1 of 4 rows blank; engagement totals count them as 0" in notes
    assert posts["likes"].isna().tolist() == [False, True, False, False]


def test_a_column_that_could_be_the_id_is_asked_for_not_replaced() -> None:
    src = pd.DataFrame({"Post ref": ["p1", "p2"], "published_at": ["2024-01-02", "2024-01-03"],
                        "platform": ["x", "x"]})
    with pytest.raises(rk.MissingColumnError, match=r"\{'Post ref': 'post_id'\}"):
        rk.load_posts(src, now=NOW)


def test_ids_given_in_the_file_are_kept() -> None:
    src = pd.DataFrame({"post_id": ["a1"], "published_at": ["2024-01-02"], "platform": ["x"],
                        "likes": [1], "comments": [0], "shares": [0], "saves": [0]})
    posts, rep = rk.load_posts(src, now=NOW)
    assert posts["post_id"].tolist() == ["a1"]
    assert not any("post id" in w or "engagement totals" in w for w in rep.warnings)
