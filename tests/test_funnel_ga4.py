"""Funnel presets on GA4 / BigQuery-export event names; absent stages are skipped (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError

FIXTURES = Path(__file__).parent / "fixtures"


def _events() -> pd.DataFrame:
    frame, _ = rk.load_funnel_events(FIXTURES / "ga4_bigquery_events.csv")
    return frame


def test_bigquery_export_loads_without_a_mapping() -> None:
    frame, report = rk.load_funnel_events(FIXTURES / "ga4_bigquery_events.csv")
    assert len(frame) == 27
    assert "GA4 events (BigQuery export)" in str(report)
    assert frame["timestamp"].min() == pd.Timestamp("2024-06-01 12:00:00")  # µs since 1970, UTC
    assert frame["value"].sum() == pytest.approx(59.90 + 20.00 + 10.00 + 35.50)


def test_dtc_preset_counts_ga4_events_and_skips_the_missing_stage() -> None:
    f = rk.funnel(_events(), stages="dtc")
    t = f.to_frame()
    # by hand: session_start/page_view u1-u6, u8 = 7; add_to_cart u1 u2 u3 u6 u8 = 5;
    # begin_checkout/add_payment_info after the cart u1 u2 u8 = 3; purchase after checkout u1 u8 = 2
    # (u6 bought without a checkout event, u7 bought without a session: strict order)
    assert t["stage"].tolist() == ["session", "add_to_cart", "checkout", "order"]
    assert t["users"].tolist() == [7, 5, 3, 2]
    assert t["step_conversion"].tolist() == pytest.approx([1.0, 5 / 7, 3 / 5, 2 / 3])
    assert (t["drop_off"] >= 0).all()
    assert "product_view (product_view, view_item) is not in the data and was skipped" in f.summary()


def test_polars_events_give_the_same_funnel() -> None:
    pd_table = rk.funnel(_events(), stages="dtc").to_frame()
    pl_table = rk.funnel(pl.from_pandas(_events()), stages="dtc").to_frame()
    assert pl_table["users"].tolist() == pd_table["users"].tolist()


def test_wide_daily_aggregates_with_ga4_event_columns() -> None:
    agg = pd.DataFrame({
        "Date": ["20240601", "20240601", "20240602"],
        "Session source / medium": ["google / organic", "facebook / paid_social", "google / organic"],
        "session_start": [1000, 500, 1200], "add_to_cart": [80, 30, 90],
        "begin_checkout": [40, 10, 45], "purchase": [20, 6, 25]})
    f = rk.funnel(agg, stages="dtc")
    t = f.to_frame()
    assert t["users"].tolist() == [2700, 200, 95, 51]
    assert t["unit"].tolist() == ["session_start", "add_to_cart", "begin_checkout", "purchase"]
    assert (t["drop_off"] >= 0).all() and "no users entered" not in f.summary()
    by = rk.funnel(agg, stages="dtc", by="Session source / medium").to_frame()
    google = by[by["Session source / medium"] == "google / organic"]
    assert google["users"].tolist() == [2200, 170, 85, 45]


def test_stage_count_aggregates_skip_absent_stages() -> None:
    agg = pd.DataFrame({"stage": ["page_view", "generate_lead"], "count": [400, 12]})
    f = rk.funnel(agg, stages="saas")
    assert f.to_frame()["stage"].tolist() == ["visit", "lead"]
    assert f.to_frame()["users"].tolist() == [400, 12]
    assert "mql (mql), sql (sql), demo (demo, demo_request), trial (trial, trial_start), won " in f.summary()


def test_no_preset_stage_in_the_data_lists_found_and_expected_names() -> None:
    ev = _events()
    ev["event"] = ev["event"].map(lambda e: "scroll" if e != "first_visit" else e)
    with pytest.raises(ConfigError) as err:
        rk.funnel(ev, stages="dtc")
    text = str(err.value)
    assert "none is in the data" in text
    assert "events: first_visit, scroll" in text
    assert "session (session, visit, page_view, session_start)" in text
    only_one = ev.assign(event="purchase")
    with pytest.raises(ConfigError, match="only order is in the data"):
        rk.funnel(only_one, stages="dtc")


def test_own_stage_lists_are_not_skipped() -> None:
    ev = _events()
    t = rk.funnel(ev, stages=["session_start", "view_item", "purchase"]).to_frame()
    assert t["users"].tolist() == [6, 0, 0]


def test_funnel_and_app_agree_on_which_preset_stages_are_present() -> None:
    """One rule (``stage_found``): a stage counts by its name or an event name, case and spaces
    ignored — in the funnel and in the app's warning alike."""
    import narwhals as nw

    from roi_kit.funnel_presence import present_stages
    from roi_kit.funnel_presets import FUNNEL_PRESETS
    from roi_kit.widgets.apps.funnel_app import missing_stages

    events = pd.DataFrame({"user_id": ["u1"] * 3,
                           "timestamp": pd.to_datetime(["2025-01-01"] * 3),
                           "event": [" Session_Start ", "ADD_TO_CART", "order"]})
    stages = FUNNEL_PRESETS["dtc"].stages
    kept, _ = present_stages(nw.from_native(events), stages, preset="dtc")
    assert [s.name for s in kept] == ["session", "add_to_cart", "order"]
    assert set(missing_stages(events["event"], "dtc")) == {s.name for s in stages} - {s.name for s in kept}
