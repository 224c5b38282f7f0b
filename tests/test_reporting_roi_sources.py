"""The report's [roi] revenue_source: config checks, MMM and lift-test revenue priced by the one
ROI rule over the period's social cost, every number naming its source, ROI goals on the first
source. Hand-checked against the same MMM fit and a hand-counted holdout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError
from roi_kit.reporting.build import Report, build_report
from roi_kit.reporting.config import load_config, parse_config
from roi_kit.reporting.roi_sources import RevenueSources, prepare_sources, source_rois

ROOT = Path(__file__).resolve().parents[1]
SAAS = ROOT / "data" / "samples" / "saas"
Q4 = (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
SEED = 3
HEAD = '[report]\nperiod_start = "2025-10-01"\nperiod_end = "2025-12-31"\n[data]\nsample = "saas"\n'
MMM = ('[roi]\nrevenue_source = ["mmm", "lift_test"]\nmedia_weekly = "media_weekly.csv"\n'
       'mmm_channels = ["search"]\nmmm_organic = ["organic_social"]\n'
       'lift_test = "holdout.csv"\nlift_start = "2025-11-03"\nlift_end = "2025-11-30"\n'
       'lift_cost = 5000\n')


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A weekly table covering Q3 and Q4 2025 (60 weeks from 2024-12-30) and a holdout table:
    18,000 exposed with 630 conversions, 2,000 held out with 60; revenue 63,000 and 5,400."""
    print(f"seed={SEED}")
    path = tmp_path_factory.mktemp("roi_sources")
    media = rk.datasets.generate_media_weekly(seed=SEED, weeks=60, start="2024-12-30")
    media.frame[["week", "revenue", "search", "organic_social"]].to_csv(
        path / "media_weekly.csv", index=False)
    pd.DataFrame({"group": ["test", "control"], "users": [18_000, 2_000],
                  "conversions": [630, 60], "revenue": [63_000.0, 5_400.0]}).to_csv(
        path / "holdout.csv", index=False)
    (path / "report.toml").write_text(HEAD.replace('sample = "saas"', f'dir = "{SAAS}"') + MMM,
                                      encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sources(folder: Path) -> RevenueSources:
    return prepare_sources(load_config(folder / "report.toml").roi, currency="USD")


@pytest.fixture(scope="module")
def report(folder: Path, sources: RevenueSources) -> Report:
    """The report of the config; its model is the ``sources`` fit of the same config and seed
    (one fit for the file instead of two)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("roi_kit.reporting.build.prepare_sources", lambda config, currency: sources)
        return build_report(load_config(folder / "report.toml"), charts=False)


# --- config ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "match"), [
    ('[roi]\nrevenue_source = "survey"', r"roi\.revenue_source names 'survey', which is not a "
                                         r"source\.\nHint: use 'attribution', 'mmm', 'lift_test'"),
    ('[roi]\nrevenue_source = ["mmm", "mmm"]', r"list each source once"),
    ('[roi]\nrevenue_source = 3', r"roi\.revenue_source has the wrong type \(int: 3\)"),
    ('[roi]\nrevenue_source = "mmm"\nmedia_weekly = "m.csv"',
     r'roi\.mmm_channels is missing \(revenue_source lists "mmm"\)\.\nHint: add media_weekly'),
    ('[roi]\nmedia_weekly = "m.csv"',
     r'roi\.media_weekly is set but revenue_source does not list "mmm"\.\nHint: add "mmm"'),
    ('[roi]\nrevenue_source = "mmm"\nmedia_weekly = "m.csv"\nmmm_channels = ["search"]',
     r"roi\.mmm_social is \[\]: it must name modelled channels \(mmm_channels or mmm_organic: "
     r"search\)"),
    ('[roi]\nrevenue_source = "mmm"\nmedia_weekly = "m.csv"\nmmm_channels = ["search"]\n'
     'mmm_social = ["tv"]', r"roi\.mmm_social is \['tv'\]"),
    ('[roi]\nrevenue_source = "lift_test"\nlift_test = "h.csv"\nlift_start = "2025-11-30"\n'
     'lift_end = "2025-11-03"', r"roi\.lift_end \(2025-11-03\) is before lift_start"),
    ('[roi]\nrevenue_source = "lift_test"\nlift_test = "h.csv"\nlift_start = "2025-11-03"',
     r'roi\.lift_end is missing \(revenue_source lists "lift_test"\)'),
    ('[roi]\nrevenue_source = "lift_test"\nlift_test = "h.csv"\nlift_start = "soon"\n'
     'lift_end = "2025-11-30"', r"roi\.lift_start is not a date: 'soon'"),
    ('[roi]\nrevenue_source = "lift_test"\nlift_test = "h.csv"\nlift_start = "2025-11-03"\n'
     'lift_end = "2025-11-30"\nlift_cost = 0', r"roi\.lift_cost is 0; a cost must be above zero"),
    ('[roi]\nrevenu_source = "mmm"', r"roi\.revenu_source is not a known key\.\nHint: did you "
                                     r"mean 'revenue_source'\?"),
])
def test_roi_config_error_names_key_and_fix(body: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        parse_config(HEAD + body, check_files=False)


def test_roi_config_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"roi\.media_weekly points to .*nope\.csv, which does "
                                          r"not exist"):
        parse_config(HEAD + '[roi]\nrevenue_source = "mmm"\nmedia_weekly = "nope.csv"\n'
                     'mmm_channels = ["paid_social"]', base_dir=tmp_path)


def test_roi_config_defaults_social_to_organic_and_social_named_channels() -> None:
    cfg = parse_config(HEAD + '[roi]\nrevenue_source = ["attribution", "mmm"]\n'
                       'media_weekly = "m.csv"\nmmm_channels = ["paid_social", "search"]\n'
                       'mmm_organic = ["organic_social"]', check_files=False).roi
    assert cfg.sources == ("attribution", "mmm") and cfg.primary == "attribution"
    assert cfg.mmm_social == ("paid_social", "organic_social")
    assert parse_config(HEAD, check_files=False).roi.sources == ("attribution",)


# --- numbers -----------------------------------------------------------------------------------

def test_mmm_roi_is_the_roi_rule_on_the_models_period_revenue(sources: RevenueSources) -> None:
    assert sources.mmm is not None
    rois = source_rois(sources, *Q4, 40_000.0, 3.0)
    r = rois["mmm"]
    assert not isinstance(r, str)
    same = sources.mmm.revenue(["organic_social"], start=Q4[0], end=Q4[1])
    assert r.revenue == pytest.approx(same.estimate)
    assert r.revenue_ci == pytest.approx((same.ci_low, same.ci_high))
    assert r.roi_pct == pytest.approx((same.estimate - 40_000) * 100 / 40_000)
    assert "organic_social from a marketing-mix model (weeks dated 2025-10-06 to 2025-12-29" \
        in r.revenue_source
    before = source_rois(sources, dt.date(2024, 1, 1), dt.date(2024, 3, 31), 1.0, 3.0)["mmm"]
    assert isinstance(before, str) and "no fitted week is dated 2024-01-01 to 2024-03-31" in before


def test_lift_roi_counts_only_in_the_period_holding_the_test(sources: RevenueSources) -> None:
    r = source_rois(sources, *Q4, 40_000.0, 3.0)["lift_test"]
    assert not isinstance(r, str)
    # (630/18,000 − 60/2,000) × 18,000 = 90 extra conversions at 68,400 / 690 each
    incremental = 90 * 68_400 / 690
    assert r.revenue == pytest.approx(incremental)
    assert r.cost == 5_000 and r.roi_pct == pytest.approx((incremental - 5_000) * 100 / 5_000)
    assert "user-level holdout" in r.revenue_source
    q3 = source_rois(sources, dt.date(2025, 7, 1), dt.date(2025, 9, 30), 1.0, 3.0)["lift_test"]
    assert q3 == ("No ROI on lift-test revenue for 2025-07-01 to 2025-09-30: the lift test ran "
                  "2025-11-03 to 2025-11-30, not inside this period.")


def test_report_prices_mmm_and_lift_revenue_instead_of_attribution(report: Report) -> None:
    t = report.to_frame().set_index("metric")
    assert "roi_pct" not in t.index and "roas" not in t.index  # attribution ROI not asked for
    cost = t.loc["cost", "current"]
    for name in ("mmm", "lift_test"):
        rev, pct = t.loc[f"social_revenue_{name}", "current"], t.loc[f"roi_pct_{name}", "current"]
        expected = (rev - (5_000 if name == "lift_test" else cost)) * 100 / (
            5_000 if name == "lift_test" else cost)
        assert pct == pytest.approx(expected)
    assert pd.isna(t.loc["roi_pct_lift_test", "previous"])  # the test ran in Q4 only
    assert not pd.isna(t.loc["roi_pct_mmm", "previous"])
    text = report.summary()
    assert "ROI on marketing-mix-model revenue (revenue of organic_social from a marketing-mix " \
           "model" in text
    assert "ROI on lift-test revenue (incremental revenue from a user-level holdout" in text
    assert "(90% interval " in text and "(95% interval " in text
    assert "ROI on that revenue" not in text and "nan" not in text.lower()
    titles = [s.heading for s in report.sections]
    assert "ROI on marketing-mix-model revenue" in titles and "ROI on attributed revenue" not in titles
    note = report.tables["roi_mmm"].set_index("metric").loc["revenue", "note"]
    assert "marketing-mix model" in note


def test_report_roi_goal_is_measured_on_the_first_source(report: Report) -> None:
    goals = report.tables["goals"]
    q4 = goals.loc[goals["metric"] == "roi_pct"].iloc[0]
    mmm = report.to_frame().set_index("metric").loc["roi_pct_mmm", "current"]
    assert q4["actual"] == pytest.approx(mmm)


def test_report_shows_lift_test_roi_beside_attribution(folder: Path) -> None:
    body = (HEAD.replace('sample = "saas"', f'dir = "{SAAS}"') + '[roi]\nrevenue_source = '
            '["attribution", "lift_test"]\nlift_test = "holdout.csv"\nlift_start = "2025-11-03"\n'
            'lift_end = "2025-11-30"\n')
    (folder / "beside.toml").write_text(body, encoding="utf-8")
    report = build_report(load_config(folder / "beside.toml"), charts=False)
    t = report.to_frame().set_index("metric")
    cost = t.loc["cost", "current"]
    assert t.loc["roi_pct_lift_test", "current"] == pytest.approx(
        (90 * 68_400 / 690 - cost) * 100 / cost)  # no lift_cost: the period's social cost
    assert "roi_pct" in t.index and "roi_pct_mmm" not in t.index
    headings = [s.heading for s in report.sections]
    assert headings.index("ROI on attributed revenue") < headings.index("ROI on lift-test revenue")
    assert "ROI on that revenue" in report.summary()  # attribution's own line stays
    goals = report.tables["goals"]
    assert goals.loc[goals["metric"] == "roi_pct", "actual"].iloc[0] == pytest.approx(
        t.loc["roi_pct", "current"])  # goals: the first source, attribution
