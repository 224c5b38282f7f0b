"""Untagged touches read from click IDs and social referrers, as GA4 reads them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.engine import to_pandas

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2025-01-01"

# user -> (source, medium, channel), worked out by hand from the GA4 rules in the module docstring
EXPECTED = {
    "u01": ("facebook", "referral", "Organic Social"),  # fbclid: any Facebook link
    "u02": ("google", "cpc", "Paid Search"), "u03": ("google", "cpc", "Paid Search"),
    "u04": ("google", "cpc", "Paid Search"), "u05": ("bing", "cpc", "Paid Search"),
    "u06": ("tiktok", "cpc", "Paid Social"), "u07": ("linkedin", "cpc", "Paid Social"),
    "u08": ("x", "cpc", "Paid Social"),
    "u09": ("instagram", "referral", "Organic Social"),  # l.instagram.com
    "u10": ("facebook", "referral", "Organic Social"),  # lm.facebook.com
    "u11": ("facebook", "referral", "Organic Social"),  # m.facebook.com
    "u12": ("x", "referral", "Organic Social"),  # t.co
    "u13": ("linkedin", "referral", "Organic Social"),  # lnkd.in
    "u14": ("reddit", "referral", "Organic Social"),  # out.reddit.com
    "u15": ("google", "organic", "Organic Search"),
    "u16": ("blog.partner.example", "referral", "Referral"),
    "u17": (None, None, "Direct"),
    "u18": ("newsletter", "email", "Email"),  # UTM tags win over gclid and referrer
    "u19": ("facebook", "referral", "Organic Social"),
    "u20": ("google", "cpc", "Paid Search"),
}


def _touches() -> pd.DataFrame:
    frame, report = rk.load_touchpoints(FIXTURES / "ga4_untagged_events.csv", now=NOW)
    assert report.rows_kept == 20 and report.mapping["page_referrer"] == "referrer"
    return frame


def test_click_ids_and_referrers_give_ga4_channels(engine: str,
                                                   to_engine: Callable[[pd.DataFrame], Any]) -> None:
    out = to_pandas(rk.channel_group(to_engine(_touches()))).sort_values("user_id")
    got = {u: (s if isinstance(s, str) else None, m if isinstance(m, str) else None, c)
           for u, s, m, c in out[["user_id", "source", "medium", "channel"]].itertuples(index=False)}
    assert got == EXPECTED


def test_social_is_no_longer_understated() -> None:
    counts = rk.channel_group(_touches())["channel"].value_counts().to_dict()
    assert counts == {"Organic Social": 8, "Paid Search": 5, "Paid Social": 3,
                      "Organic Search": 1, "Referral": 1, "Direct": 1, "Email": 1}


def test_tagging_report_lists_click_id_only_and_social_referrer_visits() -> None:
    rep = rk.tagging_report(_touches())
    rows = {(r.issue, r.source, r.medium): r.rows for r in rep.itertuples()}
    assert rows == {
        ("click ID only (fbclid)", "facebook", "referral"): 2,
        ("click ID only (gclid)", "google", "cpc"): 2,
        ("click ID only (gbraid)", "google", "cpc"): 1,
        ("click ID only (wbraid)", "google", "cpc"): 1,
        ("click ID only (msclkid)", "bing", "cpc"): 1,
        ("click ID only (ttclid)", "tiktok", "cpc"): 1,
        ("click ID only (li_fat_id)", "linkedin", "cpc"): 1,
        ("click ID only (twclid)", "x", "cpc"): 1,
        ("untagged social referrer (l.instagram.com)", "instagram", "referral"): 1,
        ("untagged social referrer (lm.facebook.com)", "facebook", "referral"): 1,
        ("untagged social referrer (m.facebook.com)", "facebook", "referral"): 1,
        ("untagged social referrer (t.co)", "x", "referral"): 1,
        ("untagged social referrer (lnkd.in)", "linkedin", "referral"): 1,
        ("untagged social referrer (out.reddit.com)", "reddit", "referral"): 1,
    }
    assert rep["raw_source"].isna().all()


def test_tags_win_and_tagged_mistakes_are_still_reported() -> None:
    tp = pd.DataFrame({"url": ["https://a.example/?utm_source=FB&utm_medium=cpc&fbclid=x"],
                       "referrer": ["https://t.co/x"]})
    out = rk.channel_group(tp)
    assert out[["source", "medium", "channel"]].iloc[0].tolist() == ["facebook", "cpc", "Paid Social"]
    assert rk.tagging_report(tp)["issue"].tolist() == ["alias of facebook"]


def test_attribute_notes_the_touches_read_from_click_ids() -> None:
    tp = _touches().assign(converted=lambda f: f["user_id"].isin(["u01", "u09"]))
    res = rk.attribute(tp, model="last", converted="converted")
    frame = res.to_frame().set_index("channel")["conversions"]
    assert frame[frame > 0].to_dict() == pytest.approx({"Organic Social": 2.0})
    assert any("16 untagged touches were read from a click ID or a social referrer" in n
               for n in res.notes)
