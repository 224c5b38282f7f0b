"""One default ``as_of``: ``rk.goal_progress`` and ``rk.scorecard`` measure goals to the same day.

Both take it from :func:`roi_kit.goal_rules.as_of_day` (the latest day of data among the goals'
metrics, never the clock); these hand-made cases prove the two cannot differ.
"""

from __future__ import annotations

import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import EmptyDataError
from roi_kit.goal_rules import as_of_day

GOALS = pd.DataFrame({"metric": ["leads"], "target": [100.0],
                      "period_start": pd.to_datetime(["2024-01-01"]),
                      "period_end": pd.to_datetime(["2024-01-31"])})


def _actuals(*dates: str, metric: str = "leads") -> pd.DataFrame:
    return pd.DataFrame({"date": pd.to_datetime(list(dates)), "metric": [metric] * len(dates),
                         "value": [10.0] * len(dates)})


def _both(actuals: pd.DataFrame, as_of: str | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    progress = rk.goal_progress(GOALS, actuals, as_of=as_of)
    card = rk.scorecard(actuals, goals=GOALS, as_of=as_of, rate_metrics=())
    return progress.as_of, card.as_of


@pytest.mark.parametrize(("dates", "expected"), [
    (("2024-01-03", "2024-01-10"), "2024-01-10"),        # data end before the period end
    (("2024-01-03", "2024-02-15"), "2024-02-15"),        # data run past the period end
    (("2024-01-03 08:00", "2024-01-10 18:45"), "2024-01-10"),  # times of day are dropped
    (("2024-01-31 23:59:59",), "2024-01-31"),            # the last second is still that day
])
def test_goal_progress_and_scorecard_default_to_one_day(dates: tuple[str, ...], expected: str) -> None:
    progress, card = _both(_actuals(*dates))
    assert progress == card == pd.Timestamp(expected)


def test_as_of_ignores_metrics_without_a_goal() -> None:
    actuals = pd.concat([_actuals("2024-01-10"), _actuals("2024-03-01", metric="cost")])
    assert _both(actuals) == (pd.Timestamp("2024-01-10"), pd.Timestamp("2024-01-10"))


def test_given_as_of_with_a_time_is_its_day_in_both() -> None:
    progress, card = _both(_actuals("2024-01-03"), as_of="2024-01-20 17:30")
    assert progress == card == pd.Timestamp("2024-01-20")


@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_timezone_aware_data_count_on_their_utc_day_in_both(engine: str) -> None:
    """22:30 in New York on 10 January is 03:30 UTC on the 11th: both say the 11th (goal_progress
    used to read the New York day, the scorecard the UTC day)."""
    import polars as pl

    actuals = _actuals("2024-01-03 10:00", "2024-01-10 22:30")
    actuals["date"] = actuals["date"].dt.tz_localize("America/New_York")
    data = actuals if engine == "pandas" else pl.from_pandas(actuals)
    progress = rk.goal_progress(GOALS, data)
    card = rk.scorecard(data, goals=GOALS, rate_metrics=())
    assert progress.as_of == card.as_of == pd.Timestamp("2024-01-11")
    assert progress.to_frame()["actual"].tolist() == [20.0] == [r.actual for r in card.kpis()]


def test_timezone_aware_as_of_is_its_utc_day() -> None:
    day = as_of_day(pd.Timestamp("2024-01-20 22:30", tz="America/New_York"), _actuals("2024-01-03"),
                    metrics=["leads"])
    assert day == pd.Timestamp("2024-01-21") and day.tz is None


@pytest.mark.parametrize("actuals", [
    _actuals(),                                          # no rows at all
    _actuals("2024-01-10", metric="cost"),               # rows, but none for a goal's metric
])
def test_no_data_for_the_goals_is_one_error_in_both(actuals: pd.DataFrame) -> None:
    with pytest.raises(EmptyDataError, match=r"no values for the goals' metrics \(leads\)") as a:
        rk.goal_progress(GOALS, actuals)
    with pytest.raises(EmptyDataError, match=r"no values for the goals' metrics \(leads\)") as b:
        rk.scorecard(actuals, goals=GOALS, rate_metrics=())
    assert "Hint: pass as_of='YYYY-MM-DD'" in str(a.value) and "Hint: pass as_of=" in str(b.value)
