"""Wide aggregates (one column per stage, e.g. an ads export) straight into rk.funnel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import MissingColumnError

FIXTURES = Path(__file__).parent / "fixtures"
STAGES = ["Impressions", "Clicks", "Total_Conversion", "Approved_Conversion"]


def _ads() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "facebook_ads_wide.csv")


def test_wide_ads_export_totals_each_stage_in_its_column_unit() -> None:
    f = rk.funnel(_ads(), stages=STAGES)
    table = f.to_frame()
    # column totals by hand: 62777 impressions, 9 clicks, 10 conversions, 4 approved
    assert table["users"].tolist() == [62777, 9, 10, 4]
    assert table["unit"].tolist() == STAGES
    assert table["step_conversion"].tolist() == pytest.approx([1.0, 9 / 62777, 10 / 9, 0.4])
    text = f.summary()
    assert "62,777 Impressions at 'Impressions'" in text and "users" not in text.split("\n")[1]
    assert "Wide aggregates: each stage is the total of its column" in text
    assert "Stages count different things" in text


def test_wide_aggregates_split_by_a_column() -> None:
    table = rk.funnel(_ads(), stages=["impressions", "clicks"], by="gender").to_frame()
    got = {(g, s): n for g, s, n in table[["gender", "stage", "users"]].itertuples(index=False)}
    assert got == {("F", "impressions"): 28481, ("F", "clicks"): 4,
                   ("M", "impressions"): 34296, ("M", "clicks"): 5}


def test_a_stage_without_a_column_is_still_an_error() -> None:
    with pytest.raises(MissingColumnError, match="needs user_id, timestamp and event"):
        rk.funnel(_ads(), stages=["Impressions", "Leads"])
