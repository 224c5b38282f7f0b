"""PPC-equivalent value: hand-worked values, user CPCs, example CPCs flagged, ROI hand-off."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from roi_kit.errors import InputError
from roi_kit.ppc import EXAMPLE_CPC, ppc_value
from roi_kit.roi import roi


def _traffic() -> pd.DataFrame:
    return pd.DataFrame({"platform": ["LinkedIn", "linkedin ", "x", "mastodon"],
                         "sessions": [150, 50, 1000, 30]})


def test_value_hand_worked_every_engine(to_engine) -> None:
    v = ppc_value(to_engine(_traffic()), cpc={"linkedin": 5.0, "x": 0.4})
    # linkedin 200 × 5 = 1000; x 1000 × 0.4 = 400; mastodon has no CPC
    t = v.to_frame().set_index("platform")
    assert t.loc["linkedin", "value"] == 1000.0 and t.loc["x", "value"] == 400.0
    assert math.isnan(t.loc["mastodon", "value"])
    assert t.loc["mastodon", "reason"] == "no CPC given for mastodon."
    assert v.total == 1400.0 and not v.uses_examples
    pd.testing.assert_frame_equal(v.to_frame(),
                                  ppc_value(_traffic(), cpc={"linkedin": 5.0, "x": 0.4}).to_frame())


def test_rows_as_sessions_and_cpc_frame() -> None:
    visits = pd.DataFrame({"source": ["x", "x", "facebook"]})
    cpc = pd.DataFrame({"source": ["X", "facebook"], "cpc": [1.0, 2.0]})
    v = ppc_value(visits, cpc=cpc, by="source", sessions=None)
    assert v.total == 4.0


def test_example_cpcs_are_flagged_everywhere() -> None:
    v = ppc_value(_traffic())
    assert v.uses_examples
    assert v.total == pytest.approx(200 * EXAMPLE_CPC["linkedin"] + 1000 * EXAMPLE_CPC["x"])
    assert "EXAMPLE" in v.summary()
    assert set(v.to_frame()["cpc_source"]) == {"EXAMPLE", ""}
    assert "EXAMPLE" in v.revenue_estimate()[3]
    assert "EXAMPLE" in v.chart().to_dict()["title"]["subtitle"]
    with pytest.raises(TypeError):
        EXAMPLE_CPC["x"] = 9.0  # type: ignore[index]


def test_feeds_roi_as_revenue() -> None:
    v = ppc_value(_traffic(), cpc={"linkedin": 5.0, "x": 0.4})
    r = roi(revenue=v, cost=700)
    assert r.roi_pct == 100.0
    assert r.revenue_source == "PPC-equivalent value of organic social traffic (your CPCs)"


def test_bad_cpc_tables_raise() -> None:
    with pytest.raises(InputError, match="negative"):
        ppc_value(_traffic(), cpc={"x": -1.0})
    with pytest.raises(InputError, match="twice"):
        ppc_value(_traffic(), cpc={"x": 1.0, "X": 2.0})
