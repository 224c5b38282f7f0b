"""Post exports timed only by weekday and hour (no timestamp): loaded, reported, and mapped by
best_time_to_post from the export's own slots.

The fixture plants Monday 09:00 as the best slot (4 posts at 100 engagements per 1,000
impressions) against Wednesday 14:00 (25 per 1,000) and Friday 18:00 (26 per 1,000).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import roi_kit as rk
from roi_kit.content._stated_time import stated_slot_sums
from roi_kit.engine import as_frame

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2025-01-01"


def _load() -> tuple[pd.DataFrame, rk.LoadReport]:
    posts, rep = rk.load_posts(FIXTURES / "posts_weekday_hour.csv", now=NOW)
    return posts, rep


def test_weekday_hour_export_loads_and_says_published_at_is_absent() -> None:
    posts, rep = _load()
    assert (rep.rows_read, rep.rows_kept, rep.rows_dropped) == (12, 12, 0)
    assert rep.mapping["Post Weekday"] == "weekday" and rep.mapping["Post Hour"] == "hour"
    assert rep.mapping["Post Month"] == "month"
    assert "published_at" not in posts.columns
    assert any(w.startswith("published_at: not in the file") for w in rep.warnings)
    issues = rep.issues[["row", "column", "value", "action"]].to_dict("records")
    assert issues == [
        {"row": 12, "column": "weekday", "value": "3", "action": "coerced"},  # 1 = Mon or Sun?
        {"row": 13, "column": "hour", "value": "25", "action": "coerced"},
    ]
    assert posts["weekday"].iloc[:3].tolist() == ["Mon", "Mon", "Mon"]


def test_missing_counts_are_reported_not_silently_zero() -> None:
    _, rep = _load()
    notes = list(rep.warnings)
    assert "saves: not in the file; engagement totals count it as 0" in notes
    assert "likes: 1 of 12 rows blank; engagement totals count them as 0" in notes
    assert "shares: 1 of 12 rows blank; engagement totals count them as 0" in notes


def test_best_time_from_weekday_and_hour_finds_the_planted_slot() -> None:
    posts, _ = _load()
    best = rk.best_time_to_post(posts)
    cells = best.cells.query("posts > 0").set_index(["weekday_name", "hour"])
    assert cells["posts"].to_dict() == {("Mon", 9): 4, ("Wed", 14): 3, ("Fri", 18): 3}
    # hand sums: (likes + comments + shares) / impressions per slot
    assert cells.loc[("Mon", 9), "raw_rate"] == pytest.approx(400 / 4000)
    assert cells.loc[("Wed", 14), "raw_rate"] == pytest.approx(75 / 3000)
    assert cells.loc[("Fri", 18), "raw_rate"] == pytest.approx(78 / 3000)
    row = best.best.iloc[0]
    assert (row["weekday_name"], row["hour"]) == ("Mon", 9)
    assert best.tz == "the export's time zone"
    assert any("tz= was not applied" in n and "2 posts without a readable" in n
               for n in best.notes)


def test_tz_cannot_move_stated_slots() -> None:
    posts, _ = _load()
    utc = rk.best_time_to_post(posts, tz="UTC").cells
    cph = rk.best_time_to_post(posts, tz="Europe/Copenhagen").cells
    pd.testing.assert_frame_equal(utc, cph)


def test_stated_slots_are_the_same_in_polars() -> None:
    posts, _ = _load()
    frame = posts.assign(engagements=1.0)[["platform", "weekday", "hour", "engagements"]]
    a = stated_slot_sums(as_frame(frame), keys=("platform",), sums=("engagements",))
    b = stated_slot_sums(as_frame(pl.from_pandas(frame)), keys=("platform",), sums=("engagements",))
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert a["posts"].sum() == 10  # the unreadable weekday and hour are left out


def test_analyses_that_need_the_publish_time_say_so() -> None:
    posts, _ = _load()
    with pytest.raises(rk.MissingColumnError, match=r"rk\.top_posts needs the date and time"):
        rk.top_posts(posts)
