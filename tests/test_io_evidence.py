"""An export family is named only on real evidence; hints suggest only columns that could fit."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import MissingColumnError
from roi_kit.io.aliases import detect_alias_set, resolve_columns

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2025-06-30"


def test_two_generic_headers_do_not_make_a_hubspot_export() -> None:
    _, rep = rk.load_deals(FIXTURES / "crm_pipeline.csv", now=NOW,
                               columns={"engage_date": "created_at", "close_value": "amount"})
    assert rep.alias_set is None
    assert "HubSpot" not in rep.summary()
    assert rep.mapping_origin == {
        "engage_date": "columns=", "close_value": "columns=", "opportunity_id": "common aliases",
        "account": "common aliases", "deal_stage": "common aliases", "close_date": "common aliases"}
    lines = rep.summary().splitlines()
    assert "Columns you named (columns=): 'engage_date' → created_at, 'close_value' → amount." in lines
    assert any(line.startswith("Columns recognised as common aliases: 'opportunity_id' → deal_id")
               for line in lines)


def test_pipedrive_export_reads_its_status_column_not_its_stage() -> None:
    deals, rep = rk.load_deals(FIXTURES / "pipedrive_deals.csv", now=NOW)
    assert rep.alias_set == "Pipedrive deals"
    assert rep.mapping["Deal - Status"] == "status" and rep.mapping["Deal - Value"] == "amount"
    assert rep.mapping["Deal - Deal closed on"] == "closed_at"
    assert "Deal - Stage" in rep.extra_columns
    assert deals["status"].tolist() == ["won", "open", "lost", "open"]
    assert deals["customer_id"].tolist() == ["Acme", "Beta", "Gamma", "Delta"]
    assert deals["amount"].fillna(-1).tolist() == [4000.0, -1, -1, 1500.0]
    assert (rep.rows_kept, int((rep.issues["problem"] == "amount missing").sum())) == (4, 2)


def test_zoho_export_and_its_default_stages() -> None:
    deals, rep = rk.load_deals(FIXTURES / "zoho_deals.csv", now=NOW)
    assert rep.alias_set == "Zoho CRM deals"
    assert rep.mapping["Account Name"] == "customer_id" and rep.mapping["Created Time"] == "created_at"
    assert deals["status"].tolist() == ["won", "open", "open", "lost", "open"]
    assert deals["kind"].tolist() == ["new", "new", "new", "new", "upsell"]
    assert rep.mapping_origin["Stage"] == "alias set"


def test_family_needs_its_columns_to_fit_their_kinds() -> None:
    headers = ["Record ID", "Deal Name", "Pipeline", "Deal owner"]
    assert detect_alias_set(headers, "deals").name == "HubSpot deals"  # headers alone: yes
    # but a "Record ID" column of yes/no values cannot be the deal id
    yes_no = {"Record ID": ["yes", "no", "yes"]}
    assert detect_alias_set(headers, "deals", fit=lambda h, k: h not in yes_no) is None
    src = pd.DataFrame({"Record ID": ["yes", "no", "yes"], "Deal Name": list("abc"),
                        "Pipeline": ["p"] * 3, "Deal owner": ["o"] * 3, "deal_id": ["d1", "d2", "d3"],
                        "customer_id": list("xyz"), "created_at": ["2024-01-01"] * 3,
                        "amount": [1, 2, 3], "status": ["won"] * 3})
    _, rep = rk.load_deals(src, now=NOW)
    assert rep.alias_set is None and "Record ID" in rep.extra_columns


def test_alias_never_maps_a_column_whose_values_cannot_fit() -> None:
    # "Created" is a common alias of created_at; here it holds names, so it is left alone
    m = resolve_columns(["deal_id", "customer_id", "Created", "amount", "status"], "deals",
                        fit=lambda h, kind: not (h == "Created" and kind == "datetime"))
    assert "Created" not in m.mapping and m.extra == ("Created",)


def test_post_export_hint_never_offers_an_hour_as_id_or_a_weekday_as_timestamp() -> None:
    # a weekday without an hour is no timing: the timestamp is asked for, never the weekday
    src = pd.DataFrame({"Post Weekday": ["Monday", "Tuesday", "Monday", "Friday"],
                        "Post Month": ["Jan", "Jan", "Feb", "Feb"], "Likes": [3, 4, 5, 6],
                        "Post Day": [1, 2, 1, 3], "Platform": ["instagram"] * 4})
    with pytest.raises(MissingColumnError) as err:
        rk.load_posts(src, now=NOW)
    hint = str(err.value).split("Hint:")[1]
    assert "Post Day" not in hint and "Post Weekday" not in hint and "Post Month" not in hint
    assert err.value.suggested == {}
    assert "published_at or weekday+hour" in str(err.value)
    # no column could be the id: rows get stable ids, and only the timestamp is asked for
    assert re.search(r"pass columns=\{'<your column>': 'published_at'\}", str(err.value))


def test_weekday_and_hour_columns_are_the_timing_of_a_post_export() -> None:
    src = pd.DataFrame({"Post Hour": [9, 14, 9, 18], "Post Weekday": ["Monday", "Tuesday",
                                                                         "Monday", "Friday"],
                        "Post Month": ["Jan", "Jan", "Feb", "Feb"], "Likes": [3, 4, 5, 6],
                        "Platform": ["instagram"] * 4})
    posts, rep = rk.load_posts(src, now=NOW)
    assert rep.mapping["Post Hour"] == "hour" and rep.mapping["Post Weekday"] == "weekday"
    assert posts["weekday"].tolist() == ["Mon", "Tue", "Mon", "Fri"]
    assert "published_at" not in posts and rep.rows_kept == 4


def test_hint_still_offers_a_column_that_fits() -> None:
    src = pd.DataFrame({"Post ref": ["p1", "p2", "p3"], "Posted": ["2024-01-02", "2024-01-03",
                                                                   "2024-01-04"],
                        "Likes": [1, 2, 3], "platform": ["x"] * 3})
    with pytest.raises(MissingColumnError) as err:
        rk.load_posts(src, columns={"Posted": "published_at"}, now=NOW)
    assert err.value.suggested == {"Post ref": "post_id"}


def test_open_deal_with_expected_close_date_is_censored_in_time_to_close() -> None:
    deals, _ = rk.load_deals(FIXTURES / "salesforce_opportunities.csv", now=NOW)
    customers = pd.DataFrame({"customer_id": ["Acme", "Beta", "Gamma", "Delta", "Eps", "Zeta"],
                              "acquired_at": pd.to_datetime(["2023-12-01"] * 6),
                              "observed_until": pd.to_datetime(["2024-12-31"] * 6)})
    audience = pd.DataFrame({"customer_id": ["Acme", "Beta", "Gamma"],
                             "followed_at": pd.to_datetime(["2023-11-01"] * 3)})
    cmp = rk.compare_segments(customers, deals, audience=audience, by=rk.FollowerDefinition(),
                              covariates=(), n_boot=20, seed=1)
    close = cmp.time_to_close
    assert close is not None
    # three open new-business opportunities carry an expected close date (Delta's is an
    # upgrade, not a new deal): they are censored, not closed
    assert close.open_deals == 3
    # followers: Acme won after 44 days, Beta and Gamma open -> median not reached;
    # non-followers: Eps lost after 22 days, Zeta open -> median 22 days
    assert close.medians[("naive", "followers")][0] is None
    assert close.medians[("naive", "non-followers")][0] == pytest.approx(22.0)
