"""Goal forecasts carry a prediction interval and a chance of reaching the target: coverage of
simulated periods, the hand-worked case, and the words when there are too few days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.goal_forecast import forecast_band, reach_probability


@pytest.mark.parametrize("how", ["sum", "last"])
def test_prediction_interval_covers_simulated_period_ends(how: str) -> None:
    rng = np.random.default_rng(12)
    e, r, n = 12, 18, 3000
    covered, chance_hits = [], []
    for _ in range(n):
        steps = rng.normal(5.0, 3.0, e + r)
        if how == "sum":
            seen = steps[:e]
            forecast = seen.sum() / e * (e + r)
            final = steps.sum()
            b = forecast_band(how="sum", offsets=np.arange(e), values=seen, elapsed=e, remaining=r,
                              forecast=forecast)
        else:
            level = 100 + np.cumsum(steps)
            seen = np.r_[100.0, level[:e - 1]]  # readings on days 0..e-1, base 100 on day 0
            forecast = 100 + (seen[-1] - 100) * (e - 1 + r) / (e - 1)  # goals: base + drift * days
            final = level[e + r - 2]
            b = forecast_band(how="last", offsets=np.arange(e), values=seen, elapsed=e - 1,
                              remaining=r, forecast=forecast)
        covered.append(b.low <= final <= b.high)
        p = reach_probability(b, target=forecast + 10, direction="at_least")
        chance_hits.append((p, final >= forecast + 10))
    cov = float(np.mean(covered))
    print(how, cov)
    assert 0.93 <= cov <= 0.97  # nominal 0.95, 3000 periods (sd 0.004)
    p = np.array([c[0] for c in chance_hits])
    hit = np.array([c[1] for c in chance_hits])
    assert hit.mean() == pytest.approx(p.mean(), abs=0.03)  # calibrated on average


def _goal(end: str = "2024-01-30") -> pd.DataFrame:
    return pd.DataFrame({"metric": ["leads"], "target": [300.0],
                         "period_start": pd.to_datetime(["2024-01-01"]), "period_end": pd.to_datetime([end])})


def test_goal_progress_adds_interval_columns_and_words() -> None:
    days = pd.date_range("2024-01-01", "2024-01-10")
    actuals = pd.DataFrame({"date": days, "metric": "leads",
                            "value": [8.0, 12, 10, 10, 9, 11, 10, 10, 12, 8]})
    g = rk.goal_progress(_goal(), actuals, as_of="2024-01-10")
    t = g.to_frame()
    assert list(t.columns[-3:]) == ["forecast_low", "forecast_high", "reach_probability"]
    row = t.iloc[0]
    assert row["forecast"] == pytest.approx(300.0)
    daily = actuals["value"].to_numpy()
    sd = np.sqrt(daily.var(ddof=1) * 20 * (1 + 20 / 10))
    assert row["forecast_high"] - row["forecast"] == pytest.approx(2.262157 * sd, rel=1e-5)  # t_9
    assert row["reach_probability"] == pytest.approx(0.5, abs=1e-9)  # forecast exactly on target
    assert "50.0% chance of meeting the target" in g.summary()


def test_too_few_days_and_finished_periods_say_so() -> None:
    one = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "metric": ["leads"], "value": [20.0]})
    row = rk.goal_progress(_goal(), one, as_of="2024-01-01").to_frame().iloc[0]
    assert np.isnan(row["forecast_low"]) and np.isnan(row["reach_probability"])
    assert "No forecast interval: one day of data" in row["note"]
    done = rk.goal_progress(_goal("2024-01-05"), one, as_of="2024-01-10").to_frame().iloc[0]
    assert done["status"] == "missed" and done["reach_probability"] == 0.0
    assert done["forecast_low"] == done["forecast_high"] == done["actual"]
