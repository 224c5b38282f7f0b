"""Analytics aggregate exports: the traffic table (GA4 traffic acquisition with and without Date,
Universal Analytics source / medium), rates and the social share on it, wide funnels, and the
row-level loaders that recognise an aggregate instead of suggesting a wrong mapping.

Every expected number is summed by hand from the fixture rows (see the comments).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import roi_kit as rk
from roi_kit.errors import MissingColumnError

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2025-01-01"


def _load(name: str, **options: object) -> tuple[pd.DataFrame, rk.LoadReport]:
    frame, rep = rk.load_traffic(FIXTURES / f"{name}.csv", now=NOW, **options)  # type: ignore[arg-type]
    return frame, rep


def _wilson(x: float, n: float, z: float = float(stats.norm.ppf(0.975))) -> tuple[float, float]:
    """Wilson score interval written out (the formula of Wilson 1927)."""
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_ga4_traffic_acquisition_keeps_every_row_and_flags_the_impossible_one() -> None:
    traffic, rep = _load("ga4_traffic_acquisition")
    assert rep.alias_set == "GA4 traffic acquisition"
    assert (rep.rows_read, rep.rows_kept, rep.rows_dropped) == (9, 9, 0)
    issues = rep.issues[["row", "column", "problem", "action"]].to_dict("records")
    assert issues == [{"row": 17, "column": "engaged_sessions",  # t.co: 45 engaged of 40
                       "problem": "more engaged sessions than sessions", "action": "flagged"}]
    assert rep.mapping["Session source / medium"] == "source + medium"
    assert rep.mapping["Key events"] == "key_events" and rep.mapping["Total revenue"] == "revenue"
    # GA4's own placeholders stay as written and group as GA4 groups them
    assert traffic["channel"].tolist() == [
        "Organic Search", "Direct", "Organic Social", "Paid Social", "Organic Social", "Email",
        "Unassigned", "Organic Social", "Paid Search"]
    assert traffic.loc[1, ["source", "medium"]].tolist() == ["(direct)", "(none)"]
    assert traffic.loc[6, ["source", "medium"]].tolist() == ["(not set)", "(not set)"]
    assert any("1 rows match no rule ('(not set)' included) and are Unassigned" in w
               for w in rep.warnings)
    # the export's own rates are kept beside the counts, never summed
    assert "Engagement rate" in traffic.columns and "Engagement rate" in rep.extra_columns
    assert traffic["sessions"].sum() == 3340 and traffic["revenue"].sum() == 6590


def test_ga4_by_date_keeps_the_exports_channel_group_and_reads_the_dates() -> None:
    traffic, rep = _load("ga4_traffic_by_date")
    assert rep.alias_set == "GA4 traffic acquisition"
    assert (rep.rows_read, rep.rows_kept, rep.rows_dropped) == (12, 12, 0)
    assert rep.issues.empty
    assert sorted(traffic["date"].dt.strftime("%Y-%m-%d").unique()) == [
        "2024-05-01", "2024-05-02", "2024-05-03"]
    assert "channel: the export's own channel group, kept as written" in rep.warnings
    assert traffic.groupby("channel")["sessions"].sum().to_dict() == {
        "Direct": 450, "Organic Search": 890, "Organic Social": 310, "Paid Social": 240}


def test_universal_analytics_export_drops_and_lists_its_totals_row() -> None:
    traffic, rep = _load("ua_source_medium")
    assert rep.alias_set == "Universal Analytics acquisition"
    assert (rep.rows_read, rep.rows_kept, rep.rows_dropped) == (6, 5, 1)
    issues = rep.issues[["row", "column", "action"]].to_dict("records")
    assert issues == [{"row": 13, "column": "source", "action": "dropped"}]
    assert "totals row" in rep.issues["problem"].iloc[0]
    assert rep.mapping["Goal Completions"] == "key_events"
    assert traffic["sessions"].tolist() == [1400, 800, 250, 180, 100]  # "1,400" read as 1400
    assert traffic["revenue"].tolist() == [2100.0, 900.0, 150.0, 120.0, 400.0]  # "$2,100.00"
    assert traffic["channel"].tolist() == [
        "Organic Search", "Direct", "Organic Social", "Organic Social", "Paid Social"]


def test_polars_engine_gives_the_same_table() -> None:
    pdf, _ = _load("ga4_traffic_acquisition")
    plf, _ = _load("ga4_traffic_acquisition", engine="polars")
    assert plf["channel"].to_list() == pdf["channel"].tolist()
    assert rk.rates(plf, by="channel").value("engaged_session_rate", channel="Organic Social") \
        == pytest.approx(255 / 440)


def test_rates_by_channel_are_the_hand_summed_ratios_with_wilson_intervals() -> None:
    traffic, _ = _load("ga4_traffic_acquisition")
    r = rk.rates(traffic, by="channel")
    # Organic Social = l.instagram.com (300, 150, 6, 240) + m.facebook.com (100, 60, 2, 80)
    #                + t.co (40, 45, 1, 30): 440 sessions, 255 engaged, 9 key events, 350 revenue
    assert r.value("engaged_session_rate", channel="Organic Social") == pytest.approx(255 / 440)
    assert r.value("key_event_rate", channel="Organic Social") == pytest.approx(9 / 440)
    assert r.value("revenue_per_session", channel="Organic Social") == pytest.approx(350 / 440)
    row = r.to_frame().query("channel == 'Organic Social' and metric == 'engaged_session_rate'")
    assert row["ci_method"].iloc[0] == "Wilson (independent trials)"  # one date: no clusters
    assert (row["ci_low"].iloc[0], row["ci_high"].iloc[0]) == pytest.approx(_wilson(255, 440))
    money = r.to_frame().query("metric == 'revenue_per_session'")
    assert money["ci_low"].isna().all()  # not a proportion: no interval


def test_rates_on_daily_traffic_cluster_by_date() -> None:
    traffic, _ = _load("ga4_traffic_by_date")
    r = rk.rates(traffic, by="channel")
    assert r.cluster == "date"
    row = r.to_frame().query("channel == 'Organic Social' and metric == 'engaged_session_rate'")
    # Organic Social by day: 60/100, 80/120, 50/90 -> 190/310
    y, n = np.array([60.0, 80.0, 50.0]), np.array([100.0, 120.0, 90.0])
    rate = y.sum() / n.sum()
    loo = (y.sum() - y) / (n.sum() - n)
    var = 2 / 3 * ((loo - loo.mean()) ** 2).sum()  # delete-one-day jackknife
    deff = max(var / (rate * (1 - rate) / n.sum()), 1.0)
    n_eff = n.sum() / deff * (stats.norm.ppf(0.975) / stats.t.ppf(0.975, 2)) ** 2
    assert row["value"].iloc[0] == pytest.approx(190 / 310)
    assert (row["ci_low"].iloc[0], row["ci_high"].iloc[0]) == pytest.approx(
        _wilson(rate * n_eff, n_eff), rel=1e-9)
    assert row["ci_method"].iloc[0].startswith("cluster-robust over 3 date values")


def test_social_share_of_sessions_key_events_and_revenue() -> None:
    traffic, _ = _load("ga4_traffic_acquisition")
    s = rk.social_share(traffic)
    # social = instagram (300, 6, 240) + facebook paid (500, 10, 500) + m.facebook (100, 2, 80)
    #        + t.co (40, 1, 30) = 940 of 3,340 sessions, 19 of 92 key events, 850 of 6,590
    assert s.share("sessions") == pytest.approx(940 / 3340)
    assert s.share("key_events") == pytest.approx(19 / 92)
    assert s.share("revenue") == pytest.approx(850 / 6590)
    table = s.to_frame().set_index("measure")
    assert (table.loc["sessions", "ci_low"], table.loc["sessions", "ci_high"]) == pytest.approx(
        _wilson(940, 3340))
    assert math.isnan(table.loc["revenue", "ci_low"])
    assert "revenue is money, not a count of trials" in table.loc["revenue", "reason"]
    text = s.summary()
    assert "28.1% of sessions (940 of 3,340)" in text and "12.9% of revenue (850 of 6,590)" in text


def test_social_share_by_date_is_clustered_and_ua_shares_are_hand_summed() -> None:
    daily, _ = _load("ga4_traffic_by_date")
    s = rk.social_share(daily)
    # social sessions 100+80+120+90+90+70 = 550 of 1,890; revenue 1,030 of 5,150
    assert s.share("sessions") == pytest.approx(550 / 1890)
    assert s.share("revenue") == pytest.approx(1030 / 5150)
    assert s.to_frame()["ci_method"].str.startswith("cluster-robust over 3 dates").all()
    ua, _ = _load("ua_source_medium")
    u = rk.social_share(ua)  # facebook/referral + instagram/social + linkedin/cpc
    assert u.share("sessions") == pytest.approx(530 / 2730)
    assert u.share("key_events") == pytest.approx(10 / 61)
    assert u.share("revenue") == pytest.approx(670 / 3670)
    none = rk.social_share(daily, channels=["Referral"])
    assert none.share("sessions") == 0.0 and "channels found are Direct" in none.summary()


def test_funnel_on_traffic_counts_in_column_units() -> None:
    traffic, _ = _load("ga4_traffic_acquisition")
    f = rk.funnel(traffic, stages=["sessions", "engaged_sessions", "key_events"])
    table = f.to_frame()
    assert table["users"].tolist() == [3340, 1885, 92]  # column totals
    assert table["unit"].tolist() == ["sessions", "engaged_sessions", "key_events"]
    text = f.summary()
    assert "3,340 sessions at 'sessions'" in text
    assert ("The step sessions → engaged_sessions is a share of sessions (engaged_sessions are "
            "sessions): a conversion probability.") in text
    assert "(e.g. key_events per engaged_session), not a conversion probability" in text


@pytest.mark.parametrize("fixture", ["ga4_traffic_acquisition", "ga4_traffic_by_date",
                                     "ua_source_medium"])
@pytest.mark.parametrize("loader", ["load_touchpoints", "load_funnel_events"])
def test_row_level_loaders_recognise_an_aggregate(fixture: str, loader: str) -> None:
    with pytest.raises(MissingColumnError) as err:
        getattr(rk, loader)(FIXTURES / f"{fixture}.csv")
    assert "looks like an aggregated analytics export" in str(err.value)
    assert "rk.load_traffic(path)" in err.value.hint and "rk.funnel(frame" in err.value.hint
    assert err.value.suggested == {}  # type: ignore[attr-defined]  # no Key events -> event


def test_daily_event_counts_are_an_aggregate_for_the_loaders_and_a_funnel_for_rk_funnel() -> None:
    counts = pd.DataFrame({
        "date": ["2024-05-01", "2024-05-01", "2024-05-02"],
        "session_source_medium": ["google / organic", "instagram / social", "google / organic"],
        "session_start": [500, 200, 400], "add_to_cart": [50, 10, 40],
        "begin_checkout": [20, 4, 16], "purchase": [10, 1, 8]})
    with pytest.raises(MissingColumnError, match="session_start, add_to_cart, begin_checkout"):
        rk.load_funnel_events(counts)
    f = rk.funnel(counts, stages=["session_start", "add_to_cart", "begin_checkout", "purchase"])
    assert f.to_frame()["users"].tolist() == [1100, 100, 40, 19]


def test_hints_only_suggest_type_compatible_columns() -> None:
    # the reproduction: a numeric 'Key events' was offered as the TEXT column event, because
    # every column fits 'text' in the loose check; a measured amount ('1,050') as an id likewise
    numeric = pd.DataFrame({"User pseudo ID": ["u1", "u2"], "Event date": ["2024-05-01"] * 2,
                            "Key events": [1, 2]})
    with pytest.raises(MissingColumnError) as err:
        rk.load_funnel_events(numeric)
    assert err.value.suggested == {} and "Key events" not in err.value.hint  # type: ignore[attr-defined]
    amounts = pd.DataFrame({"Users": ["1,050", "600"], "time": ["2024-05-01"] * 2,
                            "event": ["lead", "demo"]})
    with pytest.raises(MissingColumnError) as err:
        rk.load_funnel_events(amounts)
    assert err.value.suggested == {}  # type: ignore[attr-defined]
    labels = pd.DataFrame({"user": ["u1", "u2"], "time": ["2024-05-01"] * 2,
                           "Event type": ["lead", "demo"]})
    with pytest.raises(MissingColumnError) as err:
        rk.load_funnel_events(labels)
    assert err.value.suggested == {"Event type": "event"}  # type: ignore[attr-defined]


def test_traffic_is_registered_like_every_canonical_table() -> None:
    from roi_kit import cli, engine
    from roi_kit.schema import TABLES

    assert "traffic" in TABLES and "traffic" in cli._TABLES
    assert engine.LOADERS["traffic"] == "rk.load_traffic"
    assert rk.load(pd.DataFrame({"channel": ["Direct"], "sessions": [3]}),
                   "traffic").report.rows_kept == 1


def test_ga4_user_acquisition_needs_no_sessions_column() -> None:
    src = pd.DataFrame({
        "First user source / medium": ["instagram / social", "google / cpc"],
        "Total users": [120, 400], "New users": [100, 350], "Returning users": [20, 50],
        "Engaged sessions per active user": [0.8, 0.9], "Key events": [5, 30],
        "Total revenue": [250.0, 1800.0]})
    traffic, rep = rk.load_traffic(src)
    assert rep.alias_set == "GA4 user acquisition"
    assert traffic["channel"].tolist() == ["Organic Social", "Paid Search"]
    assert traffic["new_users"].tolist() == [100, 350]
    s = rk.social_share(traffic)
    assert s.share("new_users") == pytest.approx(100 / 450)
    assert s.share("key_events") == pytest.approx(5 / 35)


def test_unreadable_and_blank_counts_are_listed_and_said() -> None:
    src = pd.DataFrame({"Session source / medium": ["google / organic", "bing / cpc", "x / referral"],
                        "Sessions": ["12", "n/a", ""], "Key events": [1, 2, 3]})
    traffic, rep = rk.load_traffic(src)
    assert rep.rows_kept == 3
    assert rep.issues[["row", "column", "value", "action"]].to_dict("records") == [
        {"row": 3, "column": "sessions", "value": "n/a", "action": "coerced"}]
    assert "sessions: 2 of 3 rows blank or unreadable; rates, shares and funnels sum them as 0" \
        in rep.warnings
    assert rk.social_share(traffic).share("sessions") == 0.0  # x / referral: blank sessions


def test_older_ga4_exports_name_key_events_conversions() -> None:
    src = pd.DataFrame({"Session default channel group": ["Organic Social", "Direct"],
                        "Sessions": [50, 150], "Engaged sessions": [30, 90],
                        "Engagement rate": [0.6, 0.6], "Conversions": [2, 6]})
    traffic, rep = rk.load_traffic(src)
    assert rep.alias_set == "GA4 traffic acquisition"
    assert rep.mapping["Conversions"] == "key_events"
    assert rk.rates(traffic).value("key_event_rate") == pytest.approx(8 / 200)


@pytest.mark.slow  # importing altair costs ~8 s on its own
def test_social_share_chart_has_a_bar_per_measure() -> None:
    traffic, _ = _load("ga4_traffic_acquisition")
    spec = rk.social_share(traffic).chart().to_dict()
    assert spec["layer"][0]["mark"]["type"] == "bar"
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 4  # sessions ... revenue
