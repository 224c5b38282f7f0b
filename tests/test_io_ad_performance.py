"""Ad-level exports: the ad_performance table from Meta / LinkedIn / X ads managers and the Kaggle
KAG_conversion_data shape, then rates (clustered by ad) and wide funnels on it.

Every expected number below is summed by hand from the fixture rows.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

import roi_kit as rk
from roi_kit.schema import TABLES

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2025-01-01"


def _meta() -> tuple[pd.DataFrame, rk.LoadReport]:
    ads, rep = rk.load_ad_performance(FIXTURES / "meta_ads_manager.csv", now=NOW)
    return ads, rep


def test_meta_export_keeps_reports_and_flags_rows() -> None:
    ads, rep = _meta()
    assert rep.alias_set == "Meta Ads Manager"
    assert (rep.rows_read, rep.rows_kept, rep.rows_dropped) == (8, 7, 1)
    issues = rep.issues[["row", "column", "problem", "action"]].to_dict("records")
    assert issues == [
        {"row": 4, "column": "clicks", "problem": "clicks missing", "action": "flagged"},
        {"row": 8, "column": "spend", "problem": "missing-value placeholder", "action": "dropped"},
        {"row": 9, "column": "clicks", "problem": "more clicks than impressions",
         "action": "flagged"},
    ]
    assert rep.mapping["Amount spent (USD)"] == "spend" and rep.mapping["Results"] == "conversions"
    assert rep.mapping["Link clicks"] == "clicks" and rep.mapping["Reporting starts"] == "date"
    assert set(ads["platform"]) == {"meta"}
    assert ads["age"].tolist() == ["18-24", "18-24", "25-34", "18-24", "25-34", "25-34", "35-44"]
    assert "Result indicator" in rep.extra_columns
    assert any("1 rows have no clicks" in w and "summed as 0" in w for w in rep.warnings)
    assert "conversions: 1 of 8 rows blank; rates and funnels sum them as 0" in rep.warnings


def test_ads_without_an_id_share_a_stable_id_per_ad() -> None:
    ads, rep = _meta()
    again, _ = _meta()
    assert ads["ad_id"].tolist() == again["ad_id"].tolist()
    per_ad = ads.groupby("ad_name")["ad_id"].nunique()
    assert per_ad.to_dict() == {"Carousel B": 1, "Static C": 1, "Video A": 1}
    assert ads["ad_id"].nunique() == 3 and ads["ad_id"].str.startswith("ad-").all()
    assert any(w.startswith("ad_id: the file has no ad id") for w in rep.warnings)


def test_rates_per_campaign_match_hand_sums_and_cluster_by_ad() -> None:
    ads, _ = _meta()
    r = rk.rates(ads, by="campaign")
    # Spring Sale: spend 60, 12,500 impressions, 160 clicks (one blank = 0), 10 conversions
    assert r.value("ctr", campaign="Spring Sale") == pytest.approx(160 / 12_500)
    assert r.value("cpc", campaign="Spring Sale") == pytest.approx(60 / 160)
    assert r.value("cpm", campaign="Spring Sale") == pytest.approx(60 / 12_500 * 1000)
    assert r.value("cpa", campaign="Spring Sale") == pytest.approx(6.0)
    assert r.value("conversion_rate", campaign="Spring Sale") == pytest.approx(10 / 160)
    # Retargeting: spend 15, 510 impressions, 37 clicks, 7 conversions
    assert r.value("cpa", campaign="Retargeting") == pytest.approx(15 / 7)
    assert r.value("ctr", campaign="Retargeting") == pytest.approx(37 / 510)
    assert r.cluster == "ad_id"
    t = r.to_frame().set_index(["campaign", "metric"])
    assert t.loc[("Spring Sale", "ctr"), "ci_method"].startswith("cluster-robust over 2 ad_id")
    assert t.loc[("Retargeting", "ctr"), "ci_method"].startswith("Wilson (one ad_id")
    explicit = rk.rates(ads, by="campaign", cluster="ad_id").to_frame()
    pd.testing.assert_frame_equal(r.to_frame(), explicit)


def test_rates_by_breakdown_column() -> None:
    ads, _ = _meta()
    wide = rk.rates(ads, by="age").wide().set_index("age")
    # 18-24: clicks 50 + 30 + 40 over 2,500 + 2,000 + 4,000 impressions
    assert wide.loc["18-24", "ctr"] == pytest.approx(120 / 8500)
    assert wide.loc["35-44", "cpc"] == pytest.approx(5 / 12)


def test_funnel_on_ads_counts_in_column_units() -> None:
    ads, _ = _meta()
    f = rk.funnel(ads, stages=["impressions", "clicks", "conversions"])
    table = f.to_frame()
    assert table["users"].tolist() == [13_010, 197, 17]
    assert table["unit"].tolist() == ["impressions", "clicks", "conversions"]
    text = f.summary()
    assert "users" not in text
    assert "e.g. clicks per impression" in text


def test_linkedin_campaign_manager_export() -> None:
    ads, rep = rk.load_ad_performance(FIXTURES / "linkedin_campaign_manager.csv", now=NOW)
    assert rep.alias_set == "LinkedIn Campaign Manager"
    assert (rep.rows_read, rep.rows_kept, rep.rows_dropped) == (4, 3, 1)
    assert rep.issues[["row", "column", "action"]].to_dict("records") == [
        {"row": 8, "column": "spend", "action": "dropped"}]  # the '-' spend; 3 title lines above
    assert set(ads["platform"]) == {"linkedin"}
    assert ads["spend"].tolist() == [1200.0, 800.0, 500.0]
    assert ads["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-05-01", "2024-05-15", "2024-05-01"]
    r = rk.rates(ads)  # conversion_value is the revenue of ROAS
    assert r.value("roas") == pytest.approx(6300 / 2500)
    assert r.value("cpa") == pytest.approx(2500 / 39)
    assert "Campaign Group Name" in ads.columns  # a column the table does not know is kept


def test_x_ads_export_keeps_its_ad_ids() -> None:
    ads, rep = rk.load_ad_performance(FIXTURES / "x_ads.csv", now=NOW)
    assert rep.alias_set == "X Ads"
    assert (rep.rows_read, rep.rows_kept) == (4, 4)
    assert rep.issues[["row", "column", "problem"]].to_dict("records") == [
        {"row": 5, "column": "clicks", "problem": "more clicks than impressions"}]
    assert ads["ad_id"].tolist() == ["a11", "a11", "a12", "a12"]
    assert ads["ad_set"].tolist() == ["Developers", "Developers", "Founders", "Founders"]
    r = rk.rates(ads, by="ad_set")
    assert r.value("ctr", ad_set="Developers") == pytest.approx(360 / 38_000)
    assert r.value("cpa", ad_set="Founders") == pytest.approx(200 / 4)


def test_kaggle_kag_conversion_shape() -> None:
    ads, rep = rk.load_ad_performance(FIXTURES / "facebook_ads_wide.csv", now=NOW)
    assert rep.alias_set == "Kaggle KAG_conversion_data (Facebook ads)"
    assert (rep.rows_read, rep.rows_kept, rep.rows_dropped) == (8, 8, 0)
    assert set(ads["campaign"]) == {"916"} and ads["ad_set"].iloc[0] == "103916"
    assert ads["spend"].sum() == pytest.approx(11.83)
    assert rep.extra_columns == ("interest",)
    f = rk.funnel(ads, stages=["impressions", "clicks", "conversions", "approved_conversions"])
    assert f.to_frame()["users"].tolist() == [62_777, 9, 10, 4]
    assert f.to_frame()["unit"].tolist() == ["impressions", "clicks", "conversions",
                                             "approved_conversions"]
    r = rk.rates(ads, by="gender")
    assert r.value("cpc", gender="M") == pytest.approx((1.43 + 1.82 + 1.25 + 1.29) / 5)
    assert r.cluster == "ad_id"


def test_a_file_that_does_not_name_its_platform_asks_for_it() -> None:
    src = pd.DataFrame({"campaign": ["c"], "spend": ["€10,00"], "impressions": [100],
                        "clicks": [3]})
    with pytest.raises(rk.MissingColumnError, match=r"fill=\{'platform': 'facebook'\}"):
        rk.load_ad_performance(src, now=NOW)
    ads, rep = rk.load_ad_performance(src, fill={"platform": "TikTok"}, now=NOW)
    assert ads["platform"].tolist() == ["tiktok"] and ads["spend"].tolist() == [10.0]
    assert rep.alias_set is None


def test_table_is_registered_everywhere_tables_are_listed() -> None:
    from roi_kit.cli import _TABLES
    from roi_kit.engine import LOADERS
    from roi_kit.io.checks import FUTURE_CHECKED

    spec = TABLES["ad_performance"]
    assert spec.required == ("platform", "campaign", "spend", "impressions", "clicks")
    assert "ad_performance" in _TABLES and "ad_performance" in FUTURE_CHECKED
    assert LOADERS["ad_performance"] == "rk.load_ad_performance"
    assert "load_ad_performance" in rk.__all__


def test_a_bare_export_maps_money_headers_with_a_currency_code() -> None:
    # too few distinctive headers to name Meta, but the common aliases still read it
    src = pd.DataFrame({"Campaign name": ["a", "b"], "Ad name": ["x", "y"],
                        "Impressions": [100, 200], "Link clicks": [3, 4],
                        "Amount spent (EUR)": ["5,00 €", "7,50 €"]})
    ads, rep = rk.load_ad_performance(src, fill={"platform": "facebook"}, now=NOW)
    assert rep.alias_set is None
    assert rep.mapping["Amount spent (EUR)"] == "spend" and rep.mapping["Link clicks"] == "clicks"
    assert ads["spend"].tolist() == [5.0, 7.5]
    assert ads["ad_id"].nunique() == 2


def test_ctr_interval_is_the_delete_one_ad_jackknife_worked_by_hand() -> None:
    ads, _ = _meta()
    row = rk.rates(ads).to_frame().set_index("metric").loc["ctr"]
    # per ad (age × gender rows summed): Video A 80 / 5,500, Carousel B 80 / 7,000, Static C 37 / 510
    y, n = [80, 80, 37], [5500, 7000, 510]
    p = sum(y) / sum(n)
    loo = [(sum(y) - yi) / (sum(n) - ni) for yi, ni in zip(y, n, strict=True)]
    mean = sum(loo) / 3
    var = 2 / 3 * sum((r - mean) ** 2 for r in loo)
    deff = var / (p * (1 - p) / sum(n))
    z, t = stats.norm.ppf(0.975), stats.t.ppf(0.975, 2)
    m = sum(n) / deff * (z / t) ** 2  # effective sample size, few-clusters correction
    centre, half = p + z * z / (2 * m), z * math.sqrt(p * (1 - p) / m + z * z / (4 * m * m))
    assert row["value"] == pytest.approx(197 / 13_010)
    assert row["ci_low"] == pytest.approx((centre - half) / (1 + z * z / m))
    assert row["ci_high"] == pytest.approx((centre + half) / (1 + z * z / m))
    assert row["ci_method"] == f"cluster-robust over 3 ad_id values, design effect {deff:.1f}"
    wilson = rk.rates(ads, cluster=None).to_frame().set_index("metric").loc["ctr"]
    assert row["ci_low"] < wilson["ci_low"] and row["ci_high"] > wilson["ci_high"]


def test_a_platform_breakdown_does_not_split_an_ad() -> None:
    src = pd.read_csv(FIXTURES / "meta_ads_manager.csv").head(2)
    src.insert(5, "Platform", ["Facebook", "Instagram"])
    ads, rep = rk.load_ad_performance(src, now=NOW)
    assert rep.alias_set == "Meta Ads Manager"
    assert ads["platform"].tolist() == ["facebook", "instagram"]
    assert ads["ad_id"].nunique() == 1  # one ad (Video A) delivered on both platforms


def test_polars_engine_gives_the_same_rates() -> None:
    pandas_ads, _ = _meta()
    polars_ads, _ = rk.load_ad_performance(FIXTURES / "meta_ads_manager.csv", engine="polars",
                                           now=NOW)
    a = rk.rates(pandas_ads, by="campaign").to_frame()
    b = rk.rates(polars_ads.lazy(), by="campaign").to_frame()
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_a_time_period_range_is_read_as_its_start_and_reported() -> None:
    src = pd.read_csv(FIXTURES / "x_ads.csv")
    src["Time period"] = ["5/1/2024 - 5/31/2024"] * 2 + ["May 1, 2024 - May 31, 2024", "junk"]
    ads, rep = rk.load_ad_performance(src, now=NOW)
    assert rep.alias_set == "X Ads"  # the range still reads as a date: the family is named
    assert ads["date"].astype(str).tolist()[:3] == ["2024-05-01"] * 3
    assert ads["date"].isna().tolist() == [False, False, False, True]
    date_issues = rep.issues[rep.issues["column"] == "date"]
    assert date_issues[["row", "problem", "action"]].to_dict("records") == [
        {"row": r, "problem": "a date range: its start date is used", "action": "coerced"}
        for r in (2, 3, 4)] + [{"row": 5, "problem": "not a date", "action": "coerced"}]
