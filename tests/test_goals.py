"""SMART goals: progress, run-rate forecast and status, hand-worked, on every engine."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from roi_kit.errors import EmptyDataError, InputError
from roi_kit.goals import goal_progress, goal_status

if TYPE_CHECKING:
    from roi_kit.datasets import SampleData
    from roi_kit.widgets import ManagementReportApp


def _goals() -> pd.DataFrame:
    return pd.DataFrame({
        "metric": ["leads", "followers", "revenue", "demos", "webinars"],
        "target": [300.0, 1200.0, 10_000.0, 10.0, 2.0],
        "period_start": pd.to_datetime(["2024-01-01", "2024-01-01", "2023-10-01", "2024-01-01",
                                        "2024-02-01"]),
        "period_end": pd.to_datetime(["2024-01-30", "2024-01-10", "2023-12-31", "2024-03-31",
                                      "2024-02-29"]),
        "owner": ["Ana", "Ben", None, "Ana", "Ben"],
        "stage": ["evaluation", "awareness", "purchase", "evaluation", "interest"],
        "baseline": [None, 1000.0, None, None, None],
    })


def _actuals() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2024-01-02", "2024-01-10 15:00", "2024-01-10 09:00",
                                "2024-01-05", "2024-01-09", "2023-11-15", "2024-01-08",
                                "2023-12-31"], format="ISO8601"),
        "metric": ["leads", "leads", "leads", "followers", "followers", "revenue", "demos", "demos"],
        "value": [60.0, 25.0, 15.0, 1050.0, 1080.0, 9_000.0, 1.0, 50.0],
    })


def _table(to_engine=lambda f: f, **kwargs) -> pd.DataFrame:
    res = goal_progress(to_engine(_goals()), to_engine(_actuals()), as_of="2024-01-10",
                        how={"followers": "last"}, **kwargs)
    return res.to_frame().set_index("metric")


def test_hand_worked_progress_forecast_status(to_engine) -> None:
    t = _table(to_engine)
    # leads: 100 in 10 of 30 days → forecast 300 = target → on track
    assert t.loc["leads", ["actual", "progress", "forecast", "expected_by_now"]].tolist() == \
        pytest.approx([100.0, 1 / 3, 300.0, 100.0])
    assert t.loc["leads", "status"] == "on track"
    # followers (level): latest 1080 vs baseline 1000 → 80 / 200 = 40 %; 10 of 10 days over → 1080
    assert t.loc["followers", ["actual", "progress", "forecast"]].tolist() == \
        pytest.approx([1080.0, 0.4, 1080.0])
    assert t.loc["followers", "status"] == "missed"
    # revenue: period over, 9 000 of 10 000 → missed
    assert t.loc["revenue", "status"] == "missed"
    # demos: 1 in 10 of 91 days (2023-12-31 is before the period) → forecast 9.1 < 10 → at risk
    assert t.loc["demos", "actual"] == 1.0
    assert t.loc["demos", "forecast"] == pytest.approx(9.1)
    assert t.loc["demos", "status"] == "at risk"
    assert t.loc["webinars", "status"] == "not started"


def test_identical_on_every_engine(to_engine) -> None:
    pd.testing.assert_frame_equal(_table(to_engine), _table())


def test_level_metric_mid_period_forecast() -> None:
    goals = _goals().iloc[[1]].assign(period_end=pd.to_datetime(["2024-01-20"]))
    t = goal_progress(goals, _actuals(), as_of="2024-01-10", how={"followers": "last"}).to_frame()
    # 80 gained in 10 of 20 days → 1000 + 80 × 2 = 1160 < 1200 → at risk
    assert t.loc[0, "forecast"] == pytest.approx(1160.0)
    assert t.loc[0, "status"] == "at risk"


def test_achieved_and_no_data() -> None:
    t = goal_progress(_goals(), _actuals(), as_of="2024-02-15").to_frame().set_index("metric")
    assert t.loc["demos", "status"] == "at risk"  # 1 demo in 46 of 91 days → forecast 1.98 < 10
    goals = _goals().assign(target=[300.0, 1200.0, 10_000.0, 1.0, 2.0])
    t = goal_progress(goals, _actuals(), as_of="2024-02-15").to_frame().set_index("metric")
    assert t.loc["demos", "status"] == "achieved"
    assert t.loc["webinars", "status"] == "no data"
    assert "no actuals for 'webinars'" in t.loc["webinars", "note"]


def test_as_of_defaults_to_latest_actual_never_today() -> None:
    res = goal_progress(_goals(), _actuals())
    assert res.as_of == pd.Timestamp("2024-01-10")
    assert "(the latest date in the actuals)" in res.summary()


def test_summary_in_words() -> None:
    res = goal_progress(_goals(), _actuals(), as_of="2024-01-10", how={"followers": "last"})
    text = res.summary()
    assert text.startswith("As of 2024-01-10: 5 goal(s) — 1 on track, 1 at risk, 2 missed, "
                           "1 not started.")
    assert "demos 2024-01-01–2024-03-31 (owner: Ana) is at risk" in text
    assert "nan" not in text.lower()


def test_chart_layers() -> None:
    spec = goal_progress(_goals(), _actuals(), as_of="2024-01-10").chart().to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "point", "rule"]


def test_errors() -> None:
    with pytest.raises(InputError, match="'sum' or 'last'"):
        goal_progress(_goals(), _actuals(), how={"leads": "mean"})  # type: ignore[dict-item]
    bad = _goals().assign(period_end=pd.to_datetime(["2023-01-01"] * 5))
    with pytest.raises(InputError, match="ends before it starts"):
        goal_progress(bad, _actuals())
    with pytest.raises(EmptyDataError, match="as_of"):
        goal_progress(_goals(), _actuals().iloc[:0])


def test_target_equal_to_baseline_is_undefined_in_words() -> None:
    goals = _goals().iloc[[1]].assign(target=[1000.0])
    t = goal_progress(goals, _actuals(), as_of="2024-01-05", how={"followers": "last"}).to_frame()
    assert math.isnan(t.loc[0, "progress"])
    assert "undefined" in t.loc[0, "note"]


def test_sample_data_goals_with_actuals_from_posts(generated: Callable[..., SampleData]) -> None:
    seed = 4  # the same data as test_lifetime_value.py's, generated once (tests/conftest.py)
    data = generated(seed=seed, n_customers=400, business="saas")
    posts = data.posts
    actuals = pd.DataFrame({"date": posts["published_at"], "metric": "reach",
                            "value": posts["reach"].astype(float)})
    goals = data.goals[data.goals["metric"] == "reach"]
    res = goal_progress(goals, actuals, as_of="2025-08-15")
    t = res.to_frame()
    assert len(t) == len(goals) and set(t["status"]) <= {"achieved", "on track", "at risk",
                                                         "missed", "not started", "no data"}
    q1 = t.iloc[0]
    in_q1 = actuals[(actuals["date"] >= q1["period_start"]) &
                    (actuals["date"] < q1["period_end"] + pd.Timedelta(days=1))]
    assert q1["actual"] == pytest.approx(in_q1["value"].sum()), f"seed={seed}"


# --- directions: one status rule for floors and ceilings -----------------------------------------

def _budget(direction: str | None, actual: float, *, end: str = "2024-01-31",
            tolerance: float | None = None) -> pd.DataFrame:
    goals = pd.DataFrame({"metric": ["cost"], "target": [100.0],
                          "period_start": pd.to_datetime(["2024-01-01"]),
                          "period_end": pd.to_datetime([end])})
    if direction is not None:
        goals["direction"] = [direction]
    if tolerance is not None:
        goals["tolerance"] = [tolerance]
    actuals = pd.DataFrame({"date": pd.to_datetime(["2024-01-10"]), "metric": ["cost"],
                            "value": [actual]})
    return goal_progress(goals, actuals, as_of="2024-01-31").to_frame()


def test_at_most_goal_under_budget_is_achieved_and_over_budget_missed() -> None:
    assert _budget("at_most", 80.0)["status"].tolist() == ["achieved"]
    assert _budget("at_most", 101.0)["status"].tolist() == ["missed"]
    # the same numbers as a floor read the other way round
    assert _budget("at_least", 80.0)["status"].tolist() == ["missed"]
    assert _budget(None, 80.0)["direction"].tolist() == ["at_least"]


def test_tolerance_band_widens_the_ceiling_by_its_units() -> None:
    assert _budget("at_most", 104.0, tolerance=5.0)["status"].tolist() == ["achieved"]
    assert _budget("at_most", 106.0, tolerance=5.0)["status"].tolist() == ["missed"]


def test_at_most_forecast_over_budget_is_at_risk_before_the_period_ends() -> None:
    # 60 spent in the first 31 of 60 days: run rate 60 / 31 × 60 = 116.1 > 100, not over yet
    t = _budget("at_most", 60.0, end="2024-02-29")
    assert t["forecast"].iloc[0] == pytest.approx(60.0 / 31 * 60)
    assert t["status"].tolist() == ["at risk"]
    assert goal_status(direction="at_most", actual=60.0, target=100.0, forecast=360.0,
                       period_over=False) == "at risk"
    assert goal_status(direction="at_most", actual=20.0, target=100.0, forecast=60.0,
                       period_over=False) == "on track"


def test_unknown_direction_is_refused_with_a_hint() -> None:
    with pytest.raises(InputError, match=r"direction='below'(.|\n)*Hint: use 'at_least'"):
        _budget("below", 80.0)


def test_goal_status_agrees_in_api_app_and_cli_report(saas_sample: SampleData,
                                                      saas_report_app: ManagementReportApp) -> None:
    """One rule: rk.goal_progress, app 06 (ManagementReportApp) and roi-kit report give the same
    status to every Q4 2025 goal of the saas sample, and 'Keep social costs flat' is a ceiling."""
    from pathlib import Path

    import roi_kit as rk
    from roi_kit.reporting.build import build_report
    from roi_kit.reporting.config import load_config
    from roi_kit.reporting.metrics import daily_actuals

    sample = saas_sample  # the session's sample and app 06 on it (tests/conftest.py), read only
    q4 = sample.goals[(sample.goals["period_start"] == "2025-10-01")
                      & (sample.goals["metric"] != "roi_pct")]
    api = rk.goal_progress(q4, daily_actuals(sample.tables()), as_of="2025-12-31",
                           how={"followers": "last"}).to_frame().set_index("metric")["status"]
    frame = saas_report_app.frames["goals"]
    app = frame[frame["period_start"] == "2025-10-01"].set_index("metric")["status"]
    config = load_config(Path(__file__).parents[1] / "examples" / "report.toml")
    cli = build_report(config).tables["goals"]
    cli = cli.set_index("metric")[["status", "actual"]]
    assert api.sort_index().to_dict() == app.drop("roi_pct").sort_index().to_dict()
    assert app.sort_index().to_dict() == cli["status"].sort_index().to_dict()  # ROI goal too
    roi_app = frame[(frame["metric"] == "roi_pct") & (frame["period_start"] == "2025-10-01")]
    assert roi_app["actual"].item() == pytest.approx(cli.loc["roi_pct", "actual"], rel=1e-9)
    assert q4.set_index("metric").loc["cost", "direction"] == "at_most"
