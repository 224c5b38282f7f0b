"""Workshop checks: right answers pass, the usual slips are named, placeholders are not answers."""

from __future__ import annotations

import pytest

import roi_kit as rk
from roi_kit import workshop as ws
from roi_kit.attribution import Paths


@pytest.fixture
def saas(saas_sample: rk.datasets.SampleData) -> rk.datasets.SampleData:
    return saas_sample  # the session's copy (tests/conftest.py), read only


def test_placeholder_and_non_numbers_fail_with_instructions() -> None:
    assert "replace the ..." in ws.check_roi(...).message
    assert "one number" in ws.check_roi("lots").message
    assert "divide by zero" in ws.check_roi(float("inf")).message
    assert repr(ws.check_roi(...)).startswith("✘")


def test_roi_check_matches_the_seed_formula(saas: rk.datasets.SampleData) -> None:
    cost = rk.cost_ledger(saas.costs).total
    right = (ws.WORKSHOP_REVENUE - cost) * 100 / cost
    assert ws.check_roi(right).passed and repr(ws.check_roi(right)).startswith("✔")
    assert "multiply by 100" in ws.check_roi(right / 100).message
    assert "divides by the cost" in ws.check_roi((ws.WORKSHOP_REVENUE - cost) * 100
                                                  / ws.WORKSHOP_REVENUE).message
    assert "ROAS" in ws.check_roi(ws.WORKSHOP_REVENUE / cost * 100).message
    assert not ws.check_roi(right + 50)


def test_engagement_rate_check_names_the_definition_slips(saas: rk.datasets.SampleData) -> None:
    li = saas.posts[saas.posts["platform"] == "linkedin"]
    eng = li[["likes", "comments", "shares", "saves"]].fillna(0).sum(axis=1)
    right = eng.sum() / li["impressions"].sum()
    assert ws.check_engagement_rate(right).passed
    assert "by reach" in ws.check_engagement_rate(eng.sum() / li["reach"].sum()).message
    assert "mean of per-post" in ws.check_engagement_rate((eng / li["impressions"]).mean()).message
    assert "percentage" in ws.check_engagement_rate(right * 100).message


def test_landmark_check_recognises_the_ever_followed_count(saas: rk.datasets.SampleData) -> None:
    seg = rk.define_followers(saas.customers, saas.social_audience)
    labels = seg.labels(saas.customers)
    assert ws.check_landmark_followers((labels["group"] == "followers").sum()).passed
    ever = rk.define_followers(saas.customers, saas.social_audience, kind="ever")
    n_ever = (ever.labels(saas.customers)["group"] == "followers").sum()
    assert "ever followed" in ws.check_landmark_followers(n_ever).message


def test_attribution_check_knows_markov_from_last_touch(saas_paths: Paths) -> None:
    def share(model: str) -> float:  # the saas touchpoints' paths, built once for the session
        f = rk.attribute(saas_paths, model=model, n_boot=0).to_frame()
        return f.loc[f["channel"].isin(["Organic Social", "Paid Social"]), "share"].sum()

    assert ws.check_social_share(share("last")).passed
    assert "Markov" in ws.check_social_share(share("markov")).message


def test_direct_roi_check_names_the_total_and_the_overlap(saas: rk.datasets.SampleData) -> None:
    cost = rk.cost_ledger(saas.costs).total
    sales = ws.WORKSHOP_COMPONENTS["attributed sales"]
    right = (sales - cost) * 100 / cost
    assert rk.roi(revenue=ws.WORKSHOP_COMPONENTS, cost=saas.costs).direct.roi_pct == pytest.approx(right)
    assert ws.check_direct_roi(right).passed
    total = sum(ws.WORKSHOP_COMPONENTS.values())
    assert "total ROI" in ws.check_direct_roi((total - cost) * 100 / cost).message
    assert "overlaps" in ws.check_direct_roi((sales + 250_000 - cost) * 100 / cost).message
    assert not ws.check_direct_roi(right + 10)
