"""UTM parsing, tagging-mistake normalisation and GA4-style channel grouping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from roi_kit.attribution import ChannelRule, channel_group, parse_utm, tagging_report
from roi_kit.engine import to_pandas
from roi_kit.errors import ConfigError

# (source, medium, expected channel): GA4 definitions, including the tagging mistakes people make
CASES = [
    ("facebook", "cpc", "Paid Social"),
    ("Facebook ", "paidsocial", "Paid Social"),
    ("fb", "cpc", "Paid Social"),
    ("linkedin", "paid_social", "Paid Social"),
    ("instagram", "paid-social", "Paid Social"),
    ("facebook", "social", "Organic Social"),
    ("m.facebook.com", "referral", "Organic Social"),
    ("l.facebook.com", "referral", "Organic Social"),
    ("lnkd.in", "referral", "Organic Social"),
    ("t.co", "referral", "Organic Social"),
    ("LinkedIn", "Social", "Organic Social"),
    ("someblog", "social", "Organic Social"),
    ("google", "cpc", "Paid Search"),
    ("bing", "ppc", "Paid Search"),
    ("google", "organic", "Organic Search"),
    ("duckduckgo", "referral", "Organic Search"),
    ("newsletter", "email", "Email"),
    ("Newsletter", "E-mail", "Email"),
    ("hubspot", "e_mail", "Email"),
    ("google", "display", "Display"),
    ("criteo", "cpm", "Display"),
    ("youtube", "video", "Video"),
    ("youtube", "cpv", "Video"),
    ("youtu.be", "referral", "Video"),
    ("vimeo", "video", "Video"),
    ("awin", "affiliate", "Affiliates"),
    ("g2.com", "referral", "Referral"),
    ("(direct)", "(none)", "Direct"),
    (None, None, "Direct"),
    ("", " ", "Direct"),
    ("mystery", "carrier-pigeon", "Unassigned"),
]


def test_channel_group_matches_ga4_definitions_for_common_tags() -> None:
    tp = pd.DataFrame({"source": [c[0] for c in CASES], "medium": [c[1] for c in CASES]})
    got = channel_group(tp)["channel"].tolist()
    expected = [c[2] for c in CASES]
    wrong = [(c[0], c[1], g) for c, g in zip(CASES, got) if g != c[2]]
    assert got == expected, wrong


def test_channel_group_same_in_every_engine(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    tp = pd.DataFrame({"source": [c[0] for c in CASES], "medium": [c[1] for c in CASES],
                       "k": range(len(CASES))})
    out = to_pandas(channel_group(to_engine(tp))).sort_values("k")
    assert out["channel"].tolist() == [c[2] for c in CASES]


def test_parse_utm_url_tags_win_and_columns_fill_the_rest() -> None:
    tp = pd.DataFrame({
        "url": ["https://a.example/p?x=1&UTM_Source=FB&utm_medium=CPC&utm_campaign=Spring%20Sale"
                "&utm_content=Video_A&utm_term=crm+software#top",
                "https://a.example/",
                None],
        "source": ["google", "Newsletter ", "bing"],
        "medium": [None, "EMAIL", "organic"],
    })
    out = parse_utm(tp)
    assert out.loc[0, ["source", "medium", "campaign", "content", "term"]].tolist() == [
        "facebook", "cpc", "spring sale", "video_a", "crm software"]
    assert out.loc[1, ["source", "medium"]].tolist() == ["newsletter", "email"]
    assert out.loc[2, ["source", "medium"]].tolist() == ["bing", "organic"]
    assert pd.isna(out.loc[1, "campaign"])
    assert tp.loc[0, "source"] == "google", "the caller's frame must not change"


def test_parse_utm_same_in_every_engine(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    tp = pd.DataFrame({"k": [0, 1], "url": ["https://a.example/?utm_source=lnkd.in&utm_medium=social",
                                            "https://a.example/?a=utm_source=no"]})
    out = to_pandas(parse_utm(to_engine(tp))).sort_values("k")
    assert out["source"].iloc[0] == "linkedin"
    assert pd.isna(out["source"].iloc[1]), "utm_source must be a parameter, not any substring"


def test_tagging_report_lists_case_whitespace_and_alias_mistakes() -> None:
    tp = pd.DataFrame({"source": ["Facebook ", "Facebook ", "facebook", "fb", "m.facebook.com", "google"],
                       "medium": ["social", "social", "social", "social", "social", "organic"]})
    rep = tagging_report(tp)
    rows = {r.raw_source: (r.source, r.rows, r.issue) for r in rep.itertuples()}
    assert rows == {
        "Facebook ": ("facebook", 2, "case or whitespace"),
        "fb": ("facebook", 1, "alias of facebook"),
        "m.facebook.com": ("facebook", 1, "alias of facebook"),
    }


def test_user_rules_come_first_and_are_ordered() -> None:
    tp = pd.DataFrame({"source": ["spotify", "facebook"], "medium": ["podcast", "cpc"]})
    rules = (ChannelRule("Podcast", medium_in=("podcast",)),
             ChannelRule("Meta Ads", source_in=("facebook",), medium_regex="^cpc$"))
    assert channel_group(tp, rules=rules)["channel"].tolist() == ["Podcast", "Meta Ads"]


def test_channel_rule_without_condition_is_refused() -> None:
    with pytest.raises(ConfigError, match="no condition"):
        ChannelRule("Everything")
    with pytest.raises(ConfigError, match="match='all'"):
        ChannelRule("X", medium_in=("a",), match="some")
