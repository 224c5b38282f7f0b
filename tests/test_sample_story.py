"""The sample company tells one story: the invariants that tie its tables together, checked on both
committed samples and on freshly generated seeds."""

from __future__ import annotations

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.attribution import Paths, as_paths
from roi_kit.datasets import SampleData

SOCIAL = ["Organic Social", "Paid Social"]


def _sample(key: str) -> SampleData:
    if key in ("saas", "dtc"):
        return rk.datasets.load_sample(key)  # type: ignore[arg-type]
    business, seed = key.split("-")
    print(f"seed={seed}")
    return rk.datasets.generate(seed=int(seed), n_customers=400, business=business,  # type: ignore[arg-type]
                                touchpoints_per_customer=4.0)


KEYS = ["saas", "dtc", "saas-11", "dtc-12"]


@pytest.fixture(scope="module", params=KEYS)
def sample(request: pytest.FixtureRequest) -> SampleData:
    if request.param in ("saas", "dtc"):  # the session's copy, shared with other modules
        return request.getfixturevalue(f"{request.param}_sample")  # type: ignore[no-any-return]
    return _sample(request.param)


@pytest.fixture(scope="module")
def paths(request: pytest.FixtureRequest, sample: SampleData) -> Paths:
    """The sample's touchpoints as attribution paths, built once per sample: ``rk.attribute`` on the
    log builds exactly these first (~3 CPU s each), so the credit checks of every model attribute
    them (``test_attributing_the_log_is_attributing_its_paths`` holds that the two are one)."""
    if sample is request.getfixturevalue("saas_sample"):
        return request.getfixturevalue("saas_paths")  # type: ignore[no-any-return]
    return as_paths(sample.touchpoints)


def _won_new(s: SampleData) -> pd.DataFrame:
    d = s.deals
    return d[(d["kind"] == "new") & (d["status"] == "won")]


def test_conversion_values_are_the_won_deals_of_converting_journeys(sample: SampleData) -> None:
    conv = sample.touchpoints[sample.touchpoints["converted"]]
    won = _won_new(sample).set_index("customer_id")["amount"]
    assert conv["user_id"].is_unique and conv["user_id"].isin(won.index).all()
    assert conv["conversion_value"].to_numpy() == pytest.approx(
        won.loc[conv["user_id"]].to_numpy(), rel=1e-12)


@pytest.mark.parametrize("model", ["markov", "last", "linear", "first"])
def test_credited_revenue_sums_to_the_won_revenue_of_converting_journeys(
        sample: SampleData, paths: Paths, model: str) -> None:
    conv_users = sample.touchpoints.loc[sample.touchpoints["converted"], "user_id"]
    won = _won_new(sample)
    expected = won.loc[won["customer_id"].isin(conv_users), "amount"].sum()
    # the point credits only: no bootstrap intervals (n_boot=0) – they leave the credits unchanged
    credited = rk.attribute(paths, model=model, n_boot=0).to_frame()["value"].sum()
    assert credited == pytest.approx(expected, rel=1e-9)
    assert len(conv_users) > 0


def test_attributing_the_log_is_attributing_its_paths(saas_sample: SampleData,
                                                     saas_paths: Paths) -> None:
    """The tests above attribute the paths of each sample's log; attributing the log itself (what
    an analyst types) gives the same credits and intervals, on one sample and the default model."""
    pd.testing.assert_frame_equal(rk.attribute(saas_sample.touchpoints).to_frame(),
                                  rk.attribute(saas_paths).to_frame())


def test_funnel_purchases_are_the_won_new_deals(sample: SampleData) -> None:
    ev = sample.funnel_events
    last = ev["event"].isin(["won", "order"])
    won = _won_new(sample)
    assert last.sum() == len(won) and ev.loc[last, "value"].sum() == pytest.approx(
        won["amount"].sum(), rel=1e-12)
    # per quarter too: the purchase event happens when the deal closes
    ev_q = ev.loc[last].groupby(ev.loc[last, "timestamp"].dt.to_period("Q"))["value"].sum()
    won_q = won.groupby(won["closed_at"].dt.to_period("Q"))["amount"].sum()
    pd.testing.assert_series_equal(ev_q, won_q, check_names=False, rtol=1e-12)


def test_reach_to_purchase_funnel_is_not_empty(sample: SampleData) -> None:
    t = rk.funnel(sample.funnel_events, stages="awareness_to_purchase",
                  posts=sample.posts).to_frame()
    assert (t["users"] > 0).all() and t["unit"].iloc[0] == "impressions"
    assert t["users"].iloc[-1] == len(_won_new(sample))


def test_revenue_per_post_sums_to_social_revenue_under_last_touch(sample: SampleData,
                                                                  paths: Paths) -> None:
    per_post = rk.post_metrics(sample.posts, touchpoints=sample.touchpoints).to_frame()
    last = rk.attribute(paths, model="last", n_boot=0).to_frame().set_index("channel")
    social = last.reindex(SOCIAL)["value"].fillna(0.0).sum()
    assert social > 0
    assert per_post["revenue"].sum() == pytest.approx(social, rel=1e-9)


def test_social_touches_link_to_posts_of_their_kind(sample: SampleData) -> None:
    tp = rk.channel_group(sample.touchpoints)
    social = tp[tp["channel"].isin(SOCIAL)]
    posts = sample.posts.set_index("post_id")
    linked = posts.loc[social["content"]]
    assert (linked["paid"].to_numpy() == (social["channel"] == "Paid Social").to_numpy()).all()
    # a paid click costs its post's CPC
    paid = social["channel"].to_numpy() == "Paid Social"
    cpc = (linked["spend"] / linked["clicks"].clip(lower=1)).round(2).to_numpy()
    assert social["cost"].to_numpy()[paid] == pytest.approx(cpc[paid])


def test_paid_posts_cost_a_realistic_cpm(sample: SampleData) -> None:
    from roi_kit.datasets.links import CPM_RANGE

    paid = sample.posts[sample.posts["paid"]]
    lo = paid["platform"].map(lambda p: CPM_RANGE[p][0]) * paid["impressions"] / 1000
    hi = paid["platform"].map(lambda p: CPM_RANGE[p][1]) * paid["impressions"] / 1000
    # spend = impressions × CPM / 1000, rounded to the cent
    assert ((paid["spend"] >= lo - 0.005) & (paid["spend"] <= hi + 0.005)).all()


def test_many_touchpoints_never_invent_conversions_without_a_deal() -> None:
    # 30 touches per customer would give ~2.5 converting journeys per customer: the walk stops at
    # the n-th conversion, so there are exactly as many conversions as customers, all of them won
    s = rk.datasets.generate(seed=5, n_customers=150, business="dtc", touchpoints_per_customer=30.0)
    conv = s.touchpoints[s.touchpoints["converted"]]
    assert len(conv) == 150 and set(conv["user_id"]) == set(s.customers["customer_id"])


def test_every_goal_has_a_direction_and_costs_are_a_ceiling(sample: SampleData) -> None:
    g = sample.goals.set_index("metric")
    assert set(g["direction"]) == {"at_least", "at_most"}
    assert (g.loc["cost", "direction"] == "at_most").all()
    assert (g.loc["cost", "tolerance"] == (0.03 * g.loc["cost", "baseline"]).round()).all()
    assert (g.drop(index="cost")["direction"] == "at_least").all()
