"""Every result that prints a number a manager acts on prints its interval, or says in words why none
exists (docs/uncertainty.md holds the audit table; this file keeps it true).

Each audited result is built on the shipped ``saas`` sample (service results on the simulated cases
of ``tests/service_sim.py``) and its ``summary()`` must show, for the numbers listed, an interval or
the sentence from :func:`roi_kit.formatting.no_interval`. A public result class that is neither
audited here nor listed in ``NOT_DECISION`` with its reason fails ``test_every_public_result_is_audited``.
"""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.actuals import daily_actuals
from roi_kit.content.boosting import _per_spend
from roi_kit.formatting import NO_INTERVAL

INTERVAL = r"(\bCI\b|interval)[^\n]*?\d[^\n]*? to [^\n]*?\d"
"""An interval in words: 'CI' or 'interval' followed by 'a to b'."""

NOT_DECISION = {
    "LoadReport": "rows read, kept and dropped by a loader: bookkeeping of the file, nothing estimated",
    "MatchReport": "how many audience rows matched a customer: a count of this data",
    "Segments": "who counts as a follower under a definition: a labelling step",
    "DealCustomers": "a customers table derived from deals, with its assumptions in words",
    "BalanceTable": "covariate balance (standardised mean differences) is a diagnostic of the "
                    "weighting, read against a threshold, not a quantity to act on",
    "DataHealth": "reconciliation checks between sources (counts that agree or not)",
    "LiftPlan": "a design: the sample size follows from the assumed rate and lift, nothing is estimated",
}


@cache
def _sample() -> Any:
    return rk.datasets.load_sample("saas")


@cache
def _comparison() -> rk.SegmentComparison:
    s = _sample()
    return rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                               by=rk.FollowerDefinition(), n_boot=60, seed=1)


@cache
def _attribution() -> rk.AttributionResult:
    return rk.attribute(_sample().touchpoints, n_boot=100, seed=1)


def _tables() -> dict[str, pd.DataFrame]:
    s = _sample()
    return {"posts": s.posts, "funnel_events": s.funnel_events, "deals": s.deals}


def _service() -> Any:
    from tests.service_sim import simulate

    cases, as_of = simulate(0)
    return rk.service_metrics(cases, cost_per_case={"phone": 6.0, "email": 4.0, "social": 1.0},
                              as_of=as_of)


def _service_retention() -> Any:
    from tests.service_sim import simulate_customers

    customers, cases, as_of = simulate_customers(0, n=600)
    return rk.service_retention(customers, cases, as_of=as_of)


def _lines(text: str, start: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(start, line)]


def _each(start: str, pattern: str = INTERVAL) -> Callable[[str], list[str]]:
    """Every line matching ``start`` carries ``pattern``; returns the lines that do not."""
    def check(text: str) -> list[str]:
        lines = _lines(text, start)
        assert lines, f"no line matches {start!r}"
        return [line for line in lines if not re.search(pattern, line)]
    return check


def _has(*patterns: str) -> Callable[[str], list[str]]:
    def check(text: str) -> list[str]:
        return [p for p in patterns if not re.search(p, text)]
    return check


def _reason(what: str) -> str:
    return re.escape(f"{NO_INTERVAL} {what}")


S = _sample  # short alias for the builders below
AUDITED: dict[str, tuple[Callable[[], Any], list[Callable[[str], list[str]]]]] = {
    "AttributionResult": (_attribution,
                          [_has(r"Largest credits: [A-Za-z ]+ [\d.]+% \([\d.]+% to [\d.]+%\)",
                                r"of value \(95% interval [\d,.]+ to [\d,.]+\)")]),
    "ModelComparison": (lambda: rk.compare_models(S().touchpoints, models=("first", "markov"), n_boot=50),
                        [_each(r"of conversions\.$", r"\([\w -]+, [\d.]+% to [\d.]+%\).*\([\w -]+, [\d.]+% to")]),
    "CostLedger": (lambda: rk.cost_ledger(S().costs), [_has(_reason("the cost total"))]),
    "RoiResult": (lambda: rk.roi(revenue=_attribution(), cost=S().costs),
                  [_has(r"ROI lies between -?[\d.]+% and -?[\d.]+%")]),
    "RoiByResult": (lambda: rk.roi_by({"linkedin": 9000.0, "x": 100.0}, S().costs, by="platform"),
                    [_has(_reason("ROI per group"))]),
    "RatesResult": (lambda: rk.rates(S().posts, by="platform"),
                    [_each(r"^(ctr|engagement_rate)", r"from [\d.]+% \(\w+, 95% CI [\d.]+% to [\d.]+%\) to "
                                                       r"[\d.]+% \(\w+, 95% CI"),
                     _has(_reason("cpm, cpc"))]),
    "FunnelResult": (lambda: rk.funnel(S().funnel_events, stages="saas"),
                     [_has(r"\(25\.3%, 95% Wilson interval [\d.]+% to [\d.]+%\) reached 'won'",
                           r"lost \([\d,]+ users; 95% Wilson interval [\d.]+% to [\d.]+% lost\)")]),
    "GoalProgress": (lambda: rk.goal_progress(S().goals, daily_actuals(_tables())),
                     [_each(r" is (at risk|missed|on track)", r"prediction interval|no interval: the period is over")]),
    "ScorecardResult": (lambda: rk.scorecard(_tables(), goals=S().goals, as_of="2025-11-15"),
                        [_each(r"^KPI (?!.*no data)", r"prediction interval [\d,.]+ to|" + _reason("")),
                         _has(_reason("changes against history"))]),
    "SegmentComparison": (_comparison, [_each(r"\((naive|adjusted)\): ", r"95% CI")]),
    "ValueOfSocial": (lambda: rk.value_of_social(_comparison(), months=12, n_boot=100, seed=1),
                      [_has(r"95% interval USD [\d,]+ to USD [\d,]+; joint bootstrap")]),
    "RetentionResult": (lambda: rk.retention_curves(S().customers, by=rk.FollowerDefinition(),
                                                    audience=S().social_audience),
                        [_each(r"^Followers: ", r"95% CI.*95% CI.*95% CI")]),
    "GroupComparison": (lambda: rk.compare_groups(S().customers, S().deals, by="region", reference="APAC",
                                                  covariates=(), n_boot=30),
                        [_each(r" minus APAC", r"95% CI")]),
    "LifetimeValue": (lambda: rk.customer_lifetime_value(S().customers, horizon_months=12),
                      [_each(r"^all customers", r"95% CI USD [\d,]+ to USD")]),
    "ProspectComparison": (lambda: rk.compare_prospects(
        S().deals.assign(fan=S().deals["source"].eq("Organic Social")), by="fan", n_boot=50),
        [_each(r"\(naive\): ", r"95% CI")]),
    "TopPosts": (lambda: rk.top_posts(S().posts),
                 [_each(r"^(Best|Weakest): ", r"95% Wilson interval [\d.]+% to [\d.]+%")]),
    "BestTime": (lambda: rk.best_time_to_post(S().posts), [_each(r"^\w+: \w{3} \d", INTERVAL)]),
    "Boosting": (lambda: rk.boosting_effect(S().posts),
                 [_each(r"^(Boosted posts reached|Each unit of spend)", INTERVAL),
                  _has(_reason("CPM and CPC"))]),
    "EarnedReach": (lambda: rk.earned_reach(S().posts), [_has(_reason("shares, amplification"))]),
    "Drivers": (lambda: rk.engagement_drivers(S().posts), [_each(r"(higher|lower) engagement", r"95% interval")]),
    "FollowerGrowth": (lambda: rk.follower_growth(S().posts), [_has(_reason("follower counts and growth"))]),
    "IntentLadder": (lambda: rk.intent_ladder(S().posts), [_has(_reason("intent points and ratios"))]),
    "PostMetrics": (lambda: rk.post_metrics(S().posts), [_has(_reason("medians, spend"))]),
    "PpcValue": (lambda: rk.ppc_value(pd.DataFrame({"platform": ["linkedin", "x"], "sessions": [200, 1000]}),
                                      cpc={"linkedin": 5.0, "x": 0.5}),
                 [_has(_reason("the PPC-equivalent value"))]),
    "AudienceBreakdown": (lambda: rk.audience_breakdown(pd.DataFrame({"gender": ["f", "m"], "count": [60, 40]})),
                          [_has(_reason("audience shares"))]),
    "LiftResult": (lambda: rk.lift_test(pd.DataFrame({"group": ["test", "control"], "users": [1000, 1000],
                                                      "conversions": [60, 40]})),
                   [_each(r"^(Lift|Incremental conversions): ", r"95% interval|\(\d+ to \d+\)")]),
    "ServiceMetrics": (_service, [_each(r"cases (answered|resolved) by", r"95% CI.*95% CI"),
                                  _has(_reason("service-cost savings"))]),
    "ServiceRetention": (_service_retention, [_has(INTERVAL)]),
    "SocialShareResult": (lambda: rk.social_share(rk.load_traffic(
        Path(__file__).parent / "fixtures" / "ga4_traffic_acquisition.csv").frame),
        [_each(r"^- [\d.]+% of ", r"95% CI [\d.]+% to [\d.]+%|no interval: revenue is money")]),
    "MmmResult": (lambda: rk.fit_mmm(rk.datasets.generate_media_weekly(seed=0, weeks=104).frame,
                                     channels=["search", "video"]),
                  [_each(r"per USD spent", INTERVAL)]),
}
SLOW = {"MmmResult"}


def test_every_public_result_is_audited() -> None:
    public = {n for n in rk.__all__ if inspect.isclass(getattr(rk, n)) and hasattr(getattr(rk, n), "summary")}
    missing = public - set(AUDITED) - set(NOT_DECISION)
    assert not missing, f"audit these in tests/test_uncertainty_audit.py and docs/uncertainty.md: {missing}"
    assert not (set(AUDITED) | set(NOT_DECISION)) - public, "the audit lists a class that is not public"


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n
                                  for n in AUDITED])
def test_summary_prints_interval_or_reason(name: str) -> None:
    build, checks = AUDITED[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build()
    assert type(result).__name__ == name
    text = result.summary()
    for check in checks:
        assert not check(text), f"{name}.summary() lacks its interval or reason:\n{check(text)}\n{text}"
    assert not re.search(r"\b(nan|inf)\b", text.lower()), "undefined numbers must be said in words"


def test_no_interval_sentence_has_one_wording() -> None:
    from roi_kit.formatting import no_interval

    assert no_interval("x", "y") == "No interval: x — y."
    assert re.search(_reason("x"), no_interval("x", "y"))


def test_boosting_per_spend_interval_hand_worked() -> None:
    # two strata: 10 posts Δ = 50 at spend 5 (se 10), 30 posts Δ = 20 at spend 2 (se 4)
    z = 1.959963984540054
    e = pd.DataFrame({"paid_posts": [10, 30], "spend_per_paid_post": [5.0, 2.0],
                      "incremental": [50.0, 20.0], "ci_low": [50 - z * 10, 20 - z * 4],
                      "ci_high": [50 + z * 10, 20 + z * 4]})
    per, lo, hi = _per_spend(e, 0.95)
    # Σ n·Δ / Σ n·s = (500 + 600) / (50 + 60) = 10; se = sqrt(100·100 + 900·16) / 110
    assert per == pytest.approx(10.0)
    se = np.sqrt(10**2 * 10**2 + 30**2 * 4**2) / 110
    assert (lo, hi) == pytest.approx((10 - z * se, 10 + z * se))


def test_time_to_close_difference_fast_coverage() -> None:
    """A small version of ``validate_coverage.py --what followers`` for the difference of median
    days to close (the 40-seed run is in docs/uncertainty.md): the planted difference is covered."""
    hits = 0
    seeds = (200, 201, 202)
    for seed in seeds:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = rk.datasets.generate(seed=seed, n_customers=2000)
        cmp = rk.compare_segments(s.customers, s.deals, audience=s.social_audience,
                                  by=rk.FollowerDefinition(), n_boot=100, seed=seed)
        row = cmp.to_frame().set_index(["measure", "method"]).loc[("median days to close", "adjusted")]
        truth = s.truth.median_close_days["followers"] - s.truth.median_close_days["non_followers"]
        print(f"seed {seed}: truth {truth:.2f}, interval {row['ci_low']:.2f} to {row['ci_high']:.2f}")
        hits += int(row["ci_low"] <= truth <= row["ci_high"])
    assert hits >= len(seeds) - 1, f"covered {hits} of {len(seeds)}"


def test_top_posts_engine_wilson_bound_matches_the_one_wilson_interval() -> None:
    """top_posts ranks by a Wilson bound computed in the caller's engine (aggregates.wilson_expr)
    and prints the interval from aggregates.wilson_interval: both must be the same formula."""
    import narwhals as nw

    from roi_kit.aggregates import wilson_expr, wilson_interval

    x = np.array([0, 1, 6, 300, 49, 20])
    n = np.array([10, 5, 40, 5000, 50, 20])
    frame = nw.from_native(pd.DataFrame({"x": x, "n": n}), eager_only=True)
    got = frame.select(wilson_expr(nw.col("x"), nw.col("n"), lower=True).alias("lo"),
                       wilson_expr(nw.col("x"), nw.col("n"), lower=False).alias("hi")).to_pandas()
    lo, hi = wilson_interval(x, n)
    np.testing.assert_allclose(got["lo"], lo, atol=1e-12)
    np.testing.assert_allclose(got["hi"], hi, atol=1e-12)


@pytest.mark.parametrize("metric", ["engagement_rate_by_impressions", "engagement_rate_by_reach",
                                    "engagement_rate_by_followers", "ctr", "clicks"])
def test_top_posts_every_metric_prints_interval_or_reason(metric: str) -> None:
    text = rk.top_posts(S().posts, metric=metric).summary()
    lines = _lines(text, r"^(Best|Weakest): ")
    assert len(lines) == 2
    for line in lines:
        assert re.search(r"95% Wilson interval [\d.]+% to [\d.]+%|no Wilson interval", line) or \
            re.search(_reason(""), text), line
