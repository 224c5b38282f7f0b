"""Alias detection per export family, and the report naming the mapping that was used."""

from __future__ import annotations

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.io.aliases import ALIAS_SETS, COMMON, normalise, resolve_columns
from roi_kit.schema import TABLES

NOW = "2025-06-30"


def test_hubspot_deals_export() -> None:
    src = pd.DataFrame({
        "Record ID": ["1001", "1002", "1003"], "Deal Name": ["A", "B", "C"],
        "Deal Stage": ["Closed Won", "closedlost", "Contract Sent"], "Pipeline": ["Sales"] * 3,
        "Amount": ["1200", "300", "50"], "Create Date": ["2024-01-02 10:00", "2024-01-03 11:00", "2024-01-04 12:00"],
        "Close Date": ["2024-02-01", "2024-02-02", ""], "Deal Type": ["New Business", "existingbusiness", ""],
        "Associated Company IDs": ["555", "556", "557"]})
    df, rep = rk.load_deals(src, now=NOW)
    assert rep.alias_set == "HubSpot deals"
    assert rep.mapping["Deal Stage"] == "status" and rep.mapping["Record ID"] == "deal_id"
    assert df["status"].tolist() == ["won", "lost", "open"]
    assert df["kind"].tolist()[:2] == ["new", "upsell"]
    assert df["customer_id"].tolist() == ["555", "556", "557"]
    assert "HubSpot deals export" in rep.summary()


def test_hubspot_contacts_prefer_became_customer_date() -> None:
    src = pd.DataFrame({"Record ID": ["7"], "First Name": ["Ada"], "Last Name": ["L"], "Email": ["ada@x.io"],
                        "Create Date": ["2023-05-01"], "Became a Customer Date": ["2023-06-15"],
                        "Lifecycle Stage": ["customer"], "Original Source": ["Organic Social"],
                        "Number of Employees": ["250"], "Country/Region": ["Sweden"]})
    df, rep = rk.load_customers(src, now=NOW)
    assert rep.alias_set == "HubSpot contacts"
    assert rep.mapping["Became a Customer Date"] == "acquired_at"
    assert "Create Date" in rep.extra_columns
    assert df[["customer_id", "acquisition_channel", "region"]].iloc[0].tolist() == ["7", "Organic Social", "Sweden"]
    assert df["employees"].tolist() == [250.0]


def test_salesforce_opportunities_export() -> None:
    src = pd.DataFrame({"Opportunity ID": ["006A"], "Opportunity Name": ["Big"], "Account ID": ["001B"],
                        "Account Name": ["Acme"], "Stage": ["Negotiation/Review"], "Amount": ["$12,000.00"],
                        "Created Date": ["3/14/2024"], "Close Date": ["4/30/2024"], "Type": ["Existing Customer - Upgrade"],
                        "Lead Source": ["Social Media"], "Probability (%)": ["80%"]})
    df, rep = rk.load_deals(src, now=NOW)
    assert rep.alias_set == "Salesforce opportunities"
    assert rep.mapping["Account ID"] == "customer_id"  # the id wins over the account name
    assert df[["deal_id", "status", "amount", "kind", "source"]].iloc[0].tolist() == [
        "006A", "open", 12000.0, "upsell", "Social Media"]
    assert str(df["created_at"].iloc[0]) == "2024-03-14 00:00:00"


def test_ga4_export_splits_source_medium() -> None:
    src = pd.DataFrame({"Effective user ID": ["u1", "u2"], "Date + hour (YYYYMMDDHH)": ["2024010513", "2024010609"],
                        "Session source / medium": ["linkedin.com / social", "google / cpc"],
                        "Session campaign": ["spring", "(not set)"], "Total revenue": ["0", "49.90"]})
    df, rep = rk.load_touchpoints(src, now=NOW)
    assert rep.alias_set == "GA4 export"
    assert rep.mapping["Session source / medium"] == "source + medium"
    assert df[["source", "medium"]].values.tolist() == [["linkedin.com", "social"], ["google", "cpc"]]
    assert [str(t) for t in df["timestamp"]] == ["2024-01-05 13:00:00", "2024-01-06 09:00:00"]
    assert df["conversion_value"].tolist() == [0.0, 49.9]


def test_meta_facebook_posts_export() -> None:
    src = pd.DataFrame({"Post ID": ["123_456"], "Page ID": ["123"], "Page name": ["Acme"],
                        "Title": ["Hello"], "Publish time": ["01/15/2024 14:05"], "Permalink": ["https://fb/1"],
                        "Post type": ["Photos"], "Reach": ["1,500"], "Impressions": ["2,000"],
                        "Reactions": ["40"], "Comments": ["3"], "Shares": ["2"], "Total clicks": ["25"],
                        "Reactions, Comments and Shares": ["45"]})
    df, rep = rk.load_posts(src, now=NOW)
    assert rep.alias_set == "Meta Business Suite (Facebook posts)"
    row = df.iloc[0]
    assert (row["platform"], row["post_id"], row["reach"], row["likes"], row["clicks"]) == (
        "facebook", "123_456", 1500, 40, 25)
    assert str(row["published_at"]) == "2024-01-15 14:05:00"


def test_meta_instagram_posts_export() -> None:
    src = pd.DataFrame({"Post ID": ["1789"], "Account ID": ["17"], "Account username": ["acme"],
                        "Account name": ["Acme"], "Description": ["Hi #sale"], "Publish time": ["02/20/2024 08:00"],
                        "Permalink": ["https://ig/1"], "Post type": ["IG carousel"], "Views": ["900"],
                        "Reach": ["700"], "Likes": ["50"], "Saves": ["7"], "Follows": ["2"], "Shares": ["1"],
                        "Comments": ["4"]})
    df, rep = rk.load_posts(src, now=NOW)
    assert rep.alias_set == "Meta Business Suite (Instagram posts)"
    assert df[["platform", "impressions", "saves", "text"]].iloc[0].tolist() == ["instagram", 900, 7, "Hi #sale"]


def test_linkedin_posts_export() -> None:
    src = pd.DataFrame({"Update title": ["We are hiring"], "Update link": ["https://lnkd/1"],
                        "Update type": ["Sponsored"], "Campaign name": ["Q1"], "Posted by": ["Ana"],
                        "Created date": ["03/15/2024"], "Impressions": ["5000"], "Clicks": ["70"],
                        "Click through rate (CTR)": ["1.4%"], "Likes": ["30"], "Comments": ["2"],
                        "Reposts": ["5"], "Engagement rate": ["2.1%"]})
    df, rep = rk.load_posts(src, now=NOW)
    assert rep.alias_set == "LinkedIn page posts"
    assert df[["platform", "post_id", "paid", "shares", "campaign"]].iloc[0].tolist() == [
        "linkedin", "https://lnkd/1", True, 5, "Q1"]


def test_x_twitter_post_analytics_export() -> None:
    src = pd.DataFrame({"Tweet id": ["1745000000000000001"], "Tweet permalink": ["https://x.com/a/1"],
                        "Tweet text": ["Launch!"], "time": ["2024-01-10 15:30 +0000"], "impressions": ["1200.0"],
                        "engagements": ["40"], "retweets": ["3"], "replies": ["2"], "likes": ["20"],
                        "url clicks": ["9"], "media views": ["100"]})
    df, rep = rk.load_posts(src, now=NOW)
    assert rep.alias_set == "X/Twitter post analytics"
    row = df.iloc[0]
    assert row["post_id"] == "1745000000000000001"  # 19-digit id intact, not a float
    assert (row["platform"], row["shares"], row["comments"], row["clicks"]) == ("x", 3, 2, 9)
    assert str(row["published_at"]) == "2024-01-10 15:30:00"


def test_caller_columns_override_aliases() -> None:
    src = pd.DataFrame({"id": ["d1"], "Net": ["10"], "Gross": ["12"], "customer_id": ["c"],
                        "created_at": ["2024-01-01"], "status": ["won"]})
    df, rep = rk.load_deals(src, columns={"id": "deal_id", "Gross": "amount"}, now=NOW)
    assert df["amount"].tolist() == [12.0]
    assert rep.alias_set is None


def test_canonical_names_need_no_alias_set() -> None:
    m = resolve_columns(["deal_id", "customer_id", "created_at", "amount", "status"], "deals")
    assert m.alias_set is None
    assert m.mapping == {c: c for c in ["deal_id", "customer_id", "created_at", "amount", "status"]}


@pytest.mark.parametrize("header", ["Deal Stage", "deal_stage", "DEAL-STAGE", " deal  stage "])
def test_header_normalisation(header: str) -> None:
    assert normalise(header) == "deal stage"


def test_alias_tables_target_canonical_columns() -> None:
    for alias_set in ALIAS_SETS:
        spec = TABLES[alias_set.table]
        assert set(alias_set.columns) <= set(spec.columns), alias_set.name
        assert set(alias_set.constants) <= set(spec.columns), alias_set.name
        assert all(a == normalise(a) for aliases in alias_set.columns.values() for a in aliases)
    for table, aliases in COMMON.items():
        assert set(aliases) <= set(TABLES[table].columns), table


def test_one_signature_header_is_not_enough() -> None:
    m = resolve_columns(["deal_id", "customer_id", "created_at", "amount", "status", "Pipeline"], "deals")
    assert m.alias_set is None
