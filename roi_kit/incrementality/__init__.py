"""Incrementality: what social media *caused*, measured by experiments.

Attribution shares out credit and follower comparisons show association; a lift test proves
cause by comparing people or markets that saw a campaign with ones that, at random, did not.

* :func:`plan_lift_test` — before the test: users needed / smallest detectable lift / power for
  a user-level holdout, or power by test length for a geo test (simulated on your history).
* :func:`lift_test` — after the test: :class:`LiftResult` with incremental conversions, revenue,
  lift %, incremental ROAS and cost per incremental conversion, each with an interval. Geo tests
  use a synthetic control with placebo inference. ``rk.roi(revenue=result, cost=...)`` reads it.
* :func:`fit_mmm` — a Bayesian marketing-mix model (adstock, saturation, trend, seasonality,
  controls) on weekly spend and organic activity: :class:`MmmResult` with ROAS and ROI % per channel
  (organic social included) and intervals, response curves and a budget suggestion
  (:class:`BudgetPlan`). ``rk.roi(revenue=result.channel("organic social"), cost=...)`` reads it.
  ``lift_tests=[LiftMeasurement(...)]`` calibrates it with lift tests.
* :func:`simulate_geo_test`, :func:`simulate_holdout` — seeded experiments with a planted truth.

Examples
--------
>>> import roi_kit as rk
>>> g = rk.incrementality.simulate_geo_test(seed=0, n_markets=12, n_treated=2, pre_weeks=30,
...                                         test_weeks=6, lift=0.2)
>>> r = rk.lift_test(g.panel, treated=g.treated, test_start=g.test_start)
>>> r.design, r.p_value < 0.1
('geo', True)
"""

from __future__ import annotations

from roi_kit.incrementality._mmm import fit_mmm
from roi_kit.incrementality._mmm_budget import BudgetPlan
from roi_kit.incrementality._mmm_lift import LiftMeasurement
from roi_kit.incrementality._mmm_result import ChannelContribution, MmmResult
from roi_kit.incrementality._plan import plan_lift_test
from roi_kit.incrementality._plan_result import LiftPlan
from roi_kit.incrementality._readout import lift_test
from roi_kit.incrementality._result import LiftResult
from roi_kit.incrementality._simulate import GeoExperiment, simulate_geo_test, simulate_holdout

__all__ = [
    "BudgetPlan",
    "ChannelContribution",
    "GeoExperiment",
    "LiftMeasurement",
    "LiftPlan",
    "LiftResult",
    "MmmResult",
    "fit_mmm",
    "lift_test",
    "plan_lift_test",
    "simulate_geo_test",
    "simulate_holdout",
]
