"""Loading customer-care cases: alias sets of help-desk and social-inbox exports, row checks."""

from __future__ import annotations

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import MissingColumnError


def test_zendesk_export_is_recognised_and_minutes_kept() -> None:
    src = pd.DataFrame({
        "Id": [1, 2, 3], "Requester": ["a", "b", "c"], "Requester id": [11, 12, 13],
        "Via": ["Twitter", "Facebook", "Web form"], "Status": ["solved", "open", "solved"],
        "Created at": ["2024-03-01 08:00", "2024-03-01 09:00", "2024-03-02 10:00"],
        "Solved at": ["2024-03-01 10:30", None, "2024-03-02 11:00"],
        "First reply time in minutes": [15, None, 40],
        "Full resolution time in minutes": [150, None, 60],
    })
    df, rep = rk.load_service_interactions(src, now="2024-06-01")
    assert rep.alias_set == "Zendesk tickets"
    assert df["interaction_id"].tolist() == ["1", "2", "3"]
    assert df["platform"].tolist() == ["x", "facebook", "web form"]
    assert df["customer_id"].tolist() == ["11", "12", "13"]
    assert df["first_response_minutes"].tolist()[0] == 15.0
    assert df["resolution_minutes"].tolist()[2] == 60.0
    assert pd.isna(df["resolved_at"].iloc[1])
    assert rep.rows_kept == 3


def test_sprout_style_case_export_is_recognised() -> None:
    src = pd.DataFrame({
        "Case ID": ["C-1"], "Network": ["Instagram"], "Case Type": ["Support"],
        "Case Opened": ["2024-03-01T08:00:00Z"], "First Reply": ["2024-03-01T08:20:00Z"],
        "Case Closed": ["2024-03-01T09:00:00Z"], "Sentiment": ["negative"],
    })
    df, rep = rk.load_service_interactions(src, now="2024-06-01")
    assert rep.alias_set == "Sprout Social cases"
    assert df["platform"].tolist() == ["instagram"]
    assert (df["first_response_at"] - df["opened_at"]).iloc[0] == pd.Timedelta(minutes=20)


def test_answer_before_opening_is_flagged_not_dropped() -> None:
    src = pd.DataFrame({
        "interaction_id": ["a", "b"], "platform": ["x", "x"],
        "opened_at": ["2024-03-01 10:00", "2024-03-01 10:00"],
        "first_response_at": ["2024-03-01 09:00", "2024-03-01 10:05"],
    })
    df, rep = rk.load_service_interactions(src, now="2024-06-01")
    assert len(df) == 2
    issues = rep.issues[["row", "column", "problem", "action"]].to_dict("records")
    assert issues == [{"row": 2, "column": "first_response_at",
                       "problem": "answered before it was opened", "action": "flagged"}]


def test_missing_opened_at_names_the_column() -> None:
    with pytest.raises(MissingColumnError, match="opened_at"):
        rk.load_service_interactions(pd.DataFrame({"interaction_id": ["a"], "platform": ["x"]}))
