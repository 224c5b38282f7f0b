"""rk.compare_prospects: hand-worked numbers, Newcombe against scipy's Wilson and the published
values, coverage on simulated leads, engines, the definition route and the errors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import roi_kit as rk
from roi_kit.aggregates import newcombe_interval
from roi_kit.errors import ConfigError, InputError

T = pd.to_datetime


def _deals() -> pd.DataFrame:
    """Followers a, b, c (a has a second, open deal); non-followers d, e, f, g (g open).

    Days to close: followers 10 (won), 20 (lost), 30 (won), open from 2024-03-01 (121 days to
    2024-06-30); non-followers 30 (won), 10 (lost), 40 (lost), open from 2024-01-01 (181 days)."""
    return pd.DataFrame({
        "deal_id": range(8),
        "customer_id": ["a", "b", "c", "a", "d", "e", "f", "g"],
        "fan": [True, True, True, True, False, False, False, False],
        "kind": ["new"] * 8,
        "status": ["won", "lost", "won", "open", "won", "lost", "lost", "open"],
        "created_at": T(["2024-01-01"] * 3 + ["2024-03-01"] + ["2024-01-01"] * 4),
        "closed_at": T(["2024-01-11", "2024-01-21", "2024-01-31", None,
                        "2024-01-31", "2024-01-11", "2024-02-10", None]),
        "amount": [100.0, 50.0, 300.0, 80.0, 300.0, 40.0, 60.0, 70.0],
    })


def _wilson(x: int, n: int) -> tuple[float, float]:
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def _newcombe_ref(x1: int, n1: int, x0: int, n0: int) -> tuple[float, float, float]:
    """Newcombe (1998) method 10 from scipy's Wilson intervals."""
    p1, p0 = x1 / n1, x0 / n0
    (l1, u1), (l0, u0) = _wilson(x1, n1), _wilson(x0, n0)
    d = p1 - p0
    return d, d - math.hypot(p1 - l1, u0 - p0), d + math.hypot(u1 - p1, p0 - l0)


def test_prospects_hand_worked(engine: str, to_engine: Any) -> None:
    r = rk.compare_prospects(to_engine(_deals()), by="fan", as_of="2024-06-30", n_boot=200)
    assert r.counts.to_dict("list") == {"group": ["followers", "non-followers"], "leads": [3, 4],
                                        "deals": [4, 4], "won": [2, 1], "lost": [1, 2], "open": [1, 1]}
    win = r.effect("win_rate", "naive")
    assert (win.followers, win.non_followers) == pytest.approx((2 / 3, 1 / 3))
    assert (win.difference, win.ci_low, win.ci_high) == pytest.approx(_newcombe_ref(2, 3, 1, 3))
    conv = r.effect("lead_conversion", "naive")  # a (first deal won) and c of a, b, c; d of d-g
    assert (conv.followers, conv.non_followers) == pytest.approx((2 / 3, 1 / 4))
    assert (conv.difference, conv.ci_low, conv.ci_high) == pytest.approx(_newcombe_ref(2, 3, 1, 4))
    med = r.effect("close_median", "naive")  # KM: followers S(20) = 1/2, non-followers S(30) = 1/2
    assert (med.followers, med.non_followers, med.difference) == pytest.approx((20.0, 30.0, -10.0))
    vel = r.effect("velocity", "naive")  # 2/3 × 200 / 20 vs 1/3 × 300 / 30
    assert (vel.followers, vel.non_followers) == pytest.approx((20 / 3, 10 / 3))
    assert vel.ci_low is None and "no median cycle" in vel.note  # 4 deals a group: said in words
    assert r.n_deals == 8 and r.as_of == pd.Timestamp("2024-06-30")


def test_prospects_velocity_interval_covers_the_simulated_truth() -> None:
    seed = 7
    rng = np.random.default_rng(seed)
    rows = []
    for fan, p, mean_amount, median_days in ((True, 0.5, 1000.0, 20.0), (False, 0.4, 800.0, 30.0)):
        n = 600
        days = rng.exponential(median_days / math.log(2), n)
        won = rng.random(n) < p
        created = T("2024-01-01") + pd.to_timedelta(rng.uniform(0, 300, n), unit="D")
        rows.append(pd.DataFrame({"customer_id": [f"{fan}{i}" for i in range(n)], "fan": fan,
                                  "status": np.where(won, "won", "lost"), "created_at": created,
                                  "closed_at": created + pd.to_timedelta(days, unit="D"),
                                  "amount": rng.exponential(mean_amount, n)}))
    deals = pd.concat(rows, ignore_index=True)
    r = rk.compare_prospects(deals, by="fan", as_of="2030-01-01", n_boot=300, seed=seed)
    vel = r.effect("velocity", "naive")
    truth = 0.5 * 1000 / 20 - 0.4 * 800 / 30
    assert vel.ci_low is not None and vel.ci_high is not None
    assert vel.ci_low < truth < vel.ci_high, f"seed {seed}: {vel}"
    assert vel.ci_low < vel.difference < vel.ci_high  # type: ignore[operator]


def test_prospects_rmst_matches_kaplan_meier() -> None:
    r = rk.compare_prospects(_deals(), by="fan", as_of="2024-06-30", n_boot=50, tau_days=60)
    km = rk.survival.kaplan_meier([10, 20, 30, 121], [1, 1, 1, 0])
    ref = km.rmst(60)[0]  # 10 + 0.75·10 + 0.5·10 + 0.25·30
    assert ref == pytest.approx(30.0)
    assert r.effect("close_rmst", "naive").followers == pytest.approx(ref)


def test_newcombe_matches_published_and_scipy() -> None:
    # Newcombe (1998), Table II, example (a): 56/70 − 48/80, method 10: 0.0524 to 0.3339
    d, lo, hi = newcombe_interval(56, 70, 48, 80)
    assert (round(float(d), 4), round(float(lo), 4), round(float(hi), 4)) == (0.2, 0.0524, 0.3339)
    for x1, n1, x0, n0 in [(0, 10, 0, 20), (10, 10, 3, 7), (1, 50, 7, 40)]:
        assert newcombe_interval(x1, n1, x0, n0) == pytest.approx(_newcombe_ref(x1, n1, x0, n0))


def test_newcombe_coverage_on_simulated_win_rates() -> None:
    seed = 20
    rng = np.random.default_rng(seed)
    p1, p0, n1, n0 = 0.35, 0.25, 60, 140
    x1, x0 = rng.binomial(n1, p1, 4000), rng.binomial(n0, p0, 4000)
    _, lo, hi = newcombe_interval(x1, n1, x0, n0)
    cover = float(np.mean((lo <= p1 - p0) & (p1 - p0 <= hi)))
    assert 0.935 <= cover <= 0.965, f"seed {seed}: coverage {cover}"


def test_prospects_include_deals_the_customer_comparison_drops() -> None:
    s = rk.datasets.load_sample("saas")
    new = s.deals[s.deals["kind"] == "new"]
    prospects = int((~new["customer_id"].isin(s.customers["customer_id"])).sum())
    r = rk.compare_prospects(s.deals.assign(fan=s.deals["source"] == "Organic Social"), by="fan", n_boot=50)
    assert r.n_deals == len(new) and prospects / len(new) > 0.4
    assert int(r.counts["leads"].sum()) == new["customer_id"].nunique()


def test_prospects_definition_status_at_deal_creation() -> None:
    deals = _deals().drop(columns="fan")
    # a followed before both deals, b after its deal, c never; g (a prospect) by email before its deal
    audience = pd.DataFrame({"customer_id": ["a", "b", None], "email": [None, None, "G@x.com"],
                             "followed_at": T(["2023-12-01", "2024-02-01", "2023-06-01"])})
    contacts = pd.DataFrame({"customer_id": list("abcdefg"), "email": [None] * 6 + ["g@x.com"]})
    r = rk.compare_prospects(deals, by=rk.FollowerDefinition(), audience=audience, contacts=contacts,
                             as_of="2024-06-30", n_boot=50)
    assert r.counts.set_index("group")["deals"].to_dict() == {"followers": 3, "non-followers": 5}
    assert r.effect("win_rate", "naive").followers == pytest.approx(1.0)  # a won; a's open deal undecided
    ever = rk.compare_prospects(deals, by=rk.FollowerDefinition(kind="ever"), audience=audience,
                                contacts=contacts, as_of="2024-06-30", n_boot=50)
    assert ever.counts.set_index("group")["deals"].to_dict() == {"followers": 4, "non-followers": 4}
    seg = rk.define_followers(contacts.assign(acquired_at=T(["2024-01-01"] * 7)), audience)
    same = rk.compare_prospects(deals, by=seg, as_of="2024-06-30", n_boot=50)
    assert same.counts.equals(r.counts)


def test_prospects_more_groups_need_a_reference() -> None:
    deals = _deals().assign(src=["ads", "social", "social", "ads", "mail", "mail", "ads", "social"])
    with pytest.raises(InputError, match="does not guess"):
        rk.compare_prospects(deals, by="src")
    with pytest.raises(ConfigError, match="is not a value"):
        rk.compare_prospects(deals, by="src", reference="tv")
    r = rk.compare_prospects(deals, by="src", reference="ads", n_boot=50, as_of="2024-06-30")
    frame = r.to_frame()
    assert set(zip(frame["group"], frame["reference"])) == {("mail", "ads"), ("social", "ads")}
    win = frame[frame["measure"] == "win rate"].set_index("group")  # ads 1/2, mail 1/2, social 1/2
    assert win["followers"].to_dict() == {"mail": 0.5, "social": 0.5}
    assert win["n_followers"].to_dict() == {"mail": 2.0, "social": 2.0}
    assert "mail 50.0% vs ads 50.0%" in r.summary()
    assert r.chart().to_dict()["vconcat"]


def test_prospects_errors_say_how_to_fix() -> None:
    with pytest.raises(ConfigError, match="needs audience="):
        rk.compare_prospects(_deals(), by=rk.FollowerDefinition())
    with pytest.raises(InputError, match="not won/lost/open"):
        rk.compare_prospects(_deals().assign(status=["won"] * 7 + ["maybe"]), by="fan")
    with pytest.raises(ConfigError, match="out of range"):
        rk.compare_prospects(_deals(), by="fan", conf_level=1.5)


def test_prospects_summary_and_frame_say_it_in_words() -> None:
    r = rk.compare_prospects(_deals(), by="fan", as_of="2024-06-30", n_boot=50)
    text = r.summary()
    assert "Win rate (naive): followers 66.7% vs non-followers 33.3%" in text
    assert "nan" not in text.lower() and " inf" not in text
    assert list(r.to_frame().columns[:4]) == ["group", "reference", "comparison", "measure"]
    spec = r.chart().to_dict()
    assert "vconcat" in spec  # shares, days and money each on their own axis


def test_prospects_velocity_is_worded_in_the_given_currency() -> None:
    r = rk.compare_prospects(_deals(), by="fan", as_of="2024-06-30", n_boot=50, currency="EUR")
    velocity = r.effect("velocity", "naive").sentence()
    assert "EUR 7" in velocity and "USD" not in r.summary()  # 2/3 × 200 / 20 = 6.67 per day
    assert "USD" in rk.compare_prospects(_deals(), by="fan", as_of="2024-06-30", n_boot=50).summary()
