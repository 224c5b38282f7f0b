"""The report's direct + indirect ROI section: one rk.roi statement, components checked by hand
against the sample CSVs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError
from roi_kit.reporting.build import Report, build_report
from roi_kit.reporting.config import load_config

ROOT = Path(__file__).resolve().parents[1]
SAAS = ROOT / "data" / "samples" / "saas"


@pytest.fixture
def report(november_report: Report) -> Report:
    """The example config cut to November 2025: the session's report (tests/conftest.py), shared
    with test_reporting.py (built with its charts, which change no number), read only."""
    return november_report


def _in_nov(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    when = pd.to_datetime(frame[column])
    return frame.loc[(when >= "2025-11-01") & (when < "2025-12-01")]


def test_components_match_the_sample_by_hand(report: Report) -> None:
    parts = report.tables["roi_components"].set_index("component")
    assert parts.index.tolist() == ["attributed sales", "follower value", "PPC-equivalent traffic",
                                    "service savings"]
    # attributed sales: the same revenue as the "ROI on attributed revenue" section
    roi = report.tables["roi"].set_index("metric")
    assert parts.loc["attributed sales", "value"] == pytest.approx(roi.loc["revenue", "value"])
    assert bool(parts.loc["attributed sales", "direct"]) is True
    comparison = report.tables["comparison"].set_index("metric")
    assert parts.loc["follower value", "value"] == pytest.approx(
        comparison.loc["follower_value", "current"])
    # PPC-equivalent traffic: organic clicks × own paid CPC (spend / clicks of paid posts), per platform
    posts = _in_nov(pd.read_csv(SAAS / "posts.csv"), "published_at")
    paid = posts[posts["paid"]].groupby("platform")[["spend", "clicks"]].sum()
    cpc = paid["spend"] / paid["clicks"]
    organic = posts[~posts["paid"]].groupby("platform")["clicks"].sum()
    expected = float((organic * cpc.reindex(organic.index)).sum())
    assert parts.loc["PPC-equivalent traffic", "value"] == pytest.approx(expected)
    # service savings: November cases resolved (the export's flag wins, as in rk.service_metrics)
    # × (cost on the replaced channel − cost on social)
    cases = _in_nov(pd.read_csv(SAAS / "service_interactions.csv"), "opened_at")
    resolved = cases[cases["resolved"]]
    per_case = {"phone": 6.5 - 1.5, "email": 3.2 - 1.5}
    expected = float(resolved["replaced_channel"].map(per_case).sum())
    assert expected > 0
    assert parts.loc["service savings", "value"] == pytest.approx(expected)


def test_statement_is_rk_roi_direct_and_total(report: Report) -> None:
    parts = report.tables["roi_components"]
    cost = report.tables["comparison"].set_index("metric").loc["cost", "current"]
    table = report.tables["roi_direct_indirect"].set_index("metric")
    total = float(parts["value"].sum())
    assert table.loc["revenue", "value"] == pytest.approx(total)
    assert table.loc["roi_pct", "value"] == pytest.approx((total - cost) * 100 / cost)
    direct = float(parts.loc[parts["direct"], "value"].sum())
    assert table.loc["direct_roi_pct", "value"] == pytest.approx((direct - cost) * 100 / cost)
    again = rk.roi(revenue=dict(zip(parts["component"], parts["value"])), cost=cost)
    assert again.roi_pct == pytest.approx(table.loc["roi_pct", "value"])
    # the total's interval: attributed sales and follower value carry one, the others are known
    assert table.loc["roi_pct", "ci_low"] < table.loc["roi_pct", "value"] < table.loc["roi_pct", "ci_high"]


def test_section_and_summary_say_it_in_words(report: Report) -> None:
    section = next(s for s in report.sections if s.heading == "Direct + indirect ROI")
    text = section.text
    assert "Direct ROI (attributed sales):" in text and "Total ROI (direct + indirect):" in text
    assert "WARNING: 'attributed sales' and 'follower value' can count the same money twice" in text
    assert "own paid CPC" in text
    line = next(x for x in report.lines if x.startswith("ROI of direct revenue alone"))
    assert "upper bound" in line
    for bad in ("nan", "inf", "none"):
        assert f" {bad}" not in text.lower()


def test_without_cost_per_case_service_savings_are_left_out_in_words(tmp_path: Path) -> None:
    path = tmp_path / "report.toml"
    path.write_text(f'[report]\nperiod_start = "2025-11-01"\nperiod_end = "2025-11-30"\n'
                    f'compare_previous = false\n[data]\ncosts = "{SAAS / "costs.csv"}"\n'
                    f'touchpoints = "{SAAS / "touchpoints.csv"}"\n'
                    f'service_interactions = "{SAAS / "service_interactions.csv"}"\n',
                    encoding="utf-8")
    rep = build_report(load_config(path), charts=False)
    section = next(s for s in rep.sections if s.heading == "Direct + indirect ROI")
    assert "Not included: Service savings left out: no cost per case given" in section.text
    assert "needs the customers and social_audience tables" in section.text
    assert "Not included: PPC-equivalent traffic needs the posts table." in section.text
    assert rep.tables["roi_components"]["component"].tolist() == ["attributed sales"]


@pytest.mark.parametrize(("body", "match"), [
    ('[indirect]\ncost_per_case = { phone = "six" }', r"indirect\.cost_per_case must give a number"),
    ('[indirect]\ncpc = { x = -1 }', r"indirect\.cpc must give a number >= 0"),
    ('[indirect]\ncpc = 3', r"indirect\.cpc has the wrong type"),
])
def test_indirect_config_errors_name_key_and_fix(tmp_path: Path, body: str, match: str) -> None:
    path = tmp_path / "report.toml"
    path.write_text('[report]\nperiod = "last_month"\n[data]\nsample = "saas"\n' + body,
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=match):
        load_config(path)
