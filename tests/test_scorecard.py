"""The scorecard: KPIs against targets (goal_progress' status), own-history and table benchmarks,
hand-worked on small frames, plus the first screen on the saas sample."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_kit as rk
from roi_kit.errors import ConfigError, EmptyDataError, InputError, MissingColumnError
from roi_kit.goals import goal_progress
from tests.budget import examples

# One value on the 10th of the first month of each quarter; 1000 and 500 fall just outside the
# like-for-like windows (after 15 Feb and after 15 May), so they must never be counted.
_DAILY = pd.DataFrame({
    "date": pd.to_datetime(["2024-04-01", "2024-04-10", "2024-05-20", "2024-07-10", "2024-10-10",
                            "2025-01-10", "2025-02-20", "2025-04-10", "2025-05-01"]),
    "metric": ["leads"] * 9,
    "value": [0.0, 10.0, 500.0, 20.0, 30.0, 40.0, 1000.0, 25.0, 25.0],
})
_GOAL = pd.DataFrame({"metric": ["leads"], "target": [100.0], "owner": ["Priya"],
                      "stage": ["conversion"], "period_start": pd.to_datetime(["2025-04-01"]),
                      "period_end": pd.to_datetime(["2025-06-30"])})


def _card(**kw: object) -> rk.ScorecardResult:
    return rk.scorecard(_DAILY, goals=_GOAL, as_of="2025-05-15", **kw)  # type: ignore[arg-type]


def test_kpi_pace_and_history_hand_worked() -> None:
    row = _card().kpis()[0]
    # Apr 1 – May 15 = 45 of 91 days; 25 + 25 = 50 of 100 → pace 0.5 / (45/91)
    assert row.actual == 50.0
    assert row.progress == pytest.approx(0.5)
    assert row.pace == pytest.approx(0.5 * 91 / 45)
    # previous quarter, same days: Jan 1 – Feb 15 → 40; last year Apr 1 – May 15 2024 → 10;
    # trailing 4 quarters: 40, 30, 20, 10 → median 25
    assert (row.previous_period, row.last_year, row.trailing_median) == (40.0, 10.0, 25.0)
    assert row.benchmark == 25.0 and row.change == pytest.approx(1.0)
    assert "100% above the median of the same days in the previous 4 periods (25.0)" in row.words


@settings(max_examples=examples(15), deadline=None)
@given(values=st.lists(st.integers(0, 50), min_size=1, max_size=8), day=st.integers(0, 89),
       target=st.integers(1, 500))
def test_pace_is_the_run_rate_forecast_over_target(values: list[int], day: int, target: int) -> None:
    """For a flow, pace = progress / share gone = goal_progress' run-rate forecast / target."""
    dates = pd.date_range("2025-04-01", periods=len(values), freq="7D")
    daily = pd.concat([_DAILY.iloc[:7], pd.DataFrame({"date": dates, "metric": "leads",
                                                      "value": [float(v) for v in values]})])
    as_of = pd.Timestamp("2025-04-01") + pd.Timedelta(days=day)
    goal = _GOAL.assign(target=float(target))
    row = rk.scorecard(daily, goals=goal, as_of=as_of).kpis()[0]
    forecast = goal_progress(goal, daily, as_of=as_of).to_frame()["forecast"].iloc[0]
    assert row.pace == pytest.approx(forecast / target)


def test_basis_picks_the_history_column() -> None:
    prev = _card(basis="previous_period").kpis()[0]
    assert prev.benchmark == 40.0 and prev.change == pytest.approx(0.25)
    last = _card(basis="last_year", trailing=2).kpis()[0]
    assert last.benchmark == 10.0 and last.change == pytest.approx(4.0)
    assert last.trailing_median == pytest.approx(35.0)  # median of 40 and 30


def test_status_is_goal_progress_status() -> None:
    """No second status rule: the scorecard shows what rk.goal_progress says."""
    goals = pd.concat([_GOAL, _GOAL.assign(metric="cost", target=45.0, direction="at_most",
                                           stage="efficiency")], ignore_index=True)
    daily = pd.concat([_DAILY, _DAILY.assign(metric="cost")], ignore_index=True)
    card = rk.scorecard(daily, goals=goals, as_of="2025-05-15")
    expected = goal_progress(goals, daily, as_of="2025-05-15").to_frame()
    assert [r.status for r in card.kpis()] == expected["status"].tolist() == ["on track", "missed"]
    assert "against ceiling 45.0" in card.row("cost").words


def test_history_before_the_data_is_missing_not_zero() -> None:
    start = pd.DataFrame({"date": [pd.Timestamp("2025-01-01")], "metric": ["leads"], "value": [0.0]})
    late = pd.concat([start, _DAILY.loc[_DAILY["date"] >= "2025-01-01"]], ignore_index=True)
    row = rk.scorecard(late, goals=_GOAL, as_of="2025-05-15", basis="last_year").kpis()[0]
    assert row.last_year is None and row.benchmark is None and row.change is None
    assert row.trailing_median == 40.0  # only the previous quarter is covered
    later = late.loc[late["date"] > "2025-01-01"]  # data from Jan 10: Jan 1 - Feb 15 not covered
    assert rk.scorecard(later, goals=_GOAL, as_of="2025-05-15").kpis()[0].trailing_median is None
    assert "No value for the same days last year" in row.words
    assert math.isnan(rk.scorecard(late, goals=_GOAL, as_of="2025-05-15",
                                   basis="last_year").to_frame()["benchmark"].iloc[0])


def test_period_that_is_not_whole_months_shifts_by_days() -> None:
    goal = _GOAL.assign(period_start=pd.Timestamp("2025-05-01"), period_end=pd.Timestamp("2025-05-30"))
    daily = pd.DataFrame({"date": pd.to_datetime(["2025-03-01", "2025-04-01", "2025-04-05",
                                                  "2025-05-01"]),
                          "metric": ["leads"] * 4, "value": [1.0, 7.0, 3.0, 5.0]})
    row = rk.scorecard(daily, goals=goal, as_of="2025-05-05", basis="previous_period").kpis()[0]
    # 30-day period: May 1–5 shifted 30 days = Apr 1–5 → 7 + 3
    assert row.previous_period == 10.0 and row.actual == 5.0


def test_same_result_on_every_engine(to_engine: Callable[[pd.DataFrame], Any]) -> None:
    b = rk.scorecard(to_engine(_DAILY), goals=to_engine(_GOAL), as_of="2025-05-15").to_frame()
    pd.testing.assert_frame_equal(_card().to_frame(), b)


def _posts() -> pd.DataFrame:
    return pd.DataFrame({
        "post_id": ["a", "b", "c", "d"], "platform": ["x", "x", "linkedin", "linkedin"],
        "published_at": pd.to_datetime(["2025-04-02", "2025-04-20", "2025-04-03", "2025-05-02"]),
        "impressions": [1000, 1000, 500, 500], "clicks": [2, 8, 10, 20],
        "likes": [10, 10, 5, 5], "spend": [5.0, 5.0, 20.0, 40.0], "paid": [True, True, True, True],
    })


_BENCH = pd.DataFrame({"metric": ["ctr", "ctr", "cpc"], "platform": ["x", "all", "linkedin"],
                       "industry": ["all", "all", "all"], "low": [0.01, 0.01, 3.0],
                       "median": [0.015, 0.02, 4.0], "high": [0.02, 0.025, 5.0],
                       "source": ["Example Survey 2025", "Example Survey 2025", ""]})


def _tables() -> dict[str, pd.DataFrame]:
    return {"posts": _posts(), "goals": _GOAL.assign(metric="clicks", target=50.0)}


def test_rates_against_benchmark_table_called_out_in_words() -> None:
    card = rk.scorecard(_tables(), as_of="2025-05-15", benchmarks=_BENCH)
    # x: 10 clicks / 2000 impressions = 0.5 % < low 1 % → below, called out in the summary
    x = card.row("ctr", platform="x")
    assert x.actual == pytest.approx(0.005) and x.bench_position == "below"
    assert "OUTSIDE the range: below the benchmark range 1.00%–2.00%" in x.words
    assert "Source: Example Survey 2025" in x.words
    assert x.words in card.summary()
    # linkedin ctr: 30 / 1000 = 3 % > 2.5 % of the 'all' row → above
    assert card.row("ctr", platform="linkedin").bench_position == "above"
    # linkedin cpc: 60 / 30 = 2.00 below 3.00 → a cost below range is cheaper than typical
    cpc = card.row("cpc", platform="linkedin")
    assert cpc.actual == pytest.approx(2.0) and "cheaper than typical" in cpc.words
    # the clicks KPI: 40 of 50
    assert card.kpis()[0].actual == 40.0


def test_platform_goal_is_measured_on_that_platform() -> None:
    tables = {"posts": _posts(), "goals": _GOAL.assign(metric="clicks", target=20.0, platform="X")}
    kpi = rk.scorecard(tables, as_of="2025-05-15").kpis()[0]
    assert (kpi.platform, kpi.actual) == ("x", 10.0)  # 2 + 8 clicks on x; linkedin's 30 left out
    assert "KPI clicks on x" in kpi.words


def test_tables_read_from_csv_text_are_parsed() -> None:
    raw = {"posts": _posts().assign(published_at=lambda f: f["published_at"].dt.strftime("%Y-%m-%d")),
           "goals": _GOAL.assign(metric="clicks", target=50.0)}
    assert rk.scorecard(raw, as_of="2025-05-15").kpis()[0].actual == 40.0
    raw["posts"].loc[0, "published_at"] = "soon"
    with pytest.raises(InputError, match=r"posts\.published_at has values that are not dates \(row 1: .soon.\)"):
        rk.scorecard(raw, as_of="2025-05-15")


def test_benchmark_median_only_and_within() -> None:
    bench = pd.DataFrame({"metric": ["ctr", "ctr"], "platform": ["x", "linkedin"],
                          "median": [0.004, 0.03]})
    card = rk.scorecard(_tables(), as_of="2025-05-15", benchmarks=bench)
    assert card.row("ctr", platform="x").bench_position == "above median"
    assert card.row("ctr", platform="linkedin").bench_position == "at median"
    within = _BENCH.assign(low=[0.001, 0.001, 1.0])
    card = rk.scorecard(_tables(), as_of="2025-05-15", benchmarks=within)
    assert card.row("ctr", platform="x").bench_position == "within"


def test_benchmark_table_errors_name_the_fix() -> None:
    with pytest.raises(MissingColumnError, match="no 'metric' column"):
        rk.scorecard(_tables(), as_of="2025-05-15", benchmarks=_BENCH.drop(columns="metric"))
    with pytest.raises(InputError, match=r"row 1 \(ctr\).*not in order"):
        rk.scorecard(_tables(), as_of="2025-05-15", benchmarks=_BENCH.assign(low=[0.5, 0.01, 3.0]))
    two = pd.concat([_BENCH, _BENCH.assign(industry="software", low=0.0)], ignore_index=True)
    with pytest.raises(ConfigError, match="industries: all, software"):
        rk.scorecard(_tables(), as_of="2025-05-15", benchmarks=two)
    card = rk.scorecard(_tables(), as_of="2025-05-15", benchmarks=two, industry="software")
    assert card.row("ctr", platform="x").bench_low == 0.0


def test_option_errors() -> None:
    with pytest.raises(InputError, match="basis='median'"):
        _card(basis="median")
    with pytest.raises(InputError, match="trailing=0"):
        _card(trailing=0)
    with pytest.raises(ConfigError, match="no goals table"):
        rk.scorecard(_DAILY)
    with pytest.raises(EmptyDataError, match="no goal has started by 2025-03-01"):
        rk.scorecard(_DAILY, goals=_GOAL, as_of="2025-03-01")


def test_ended_goals_are_shown_when_none_is_running() -> None:
    card = rk.scorecard(_DAILY, goals=_GOAL, as_of="2025-08-01")
    assert card.kpis()[0].status == "missed" and card.kpis()[0].pace == pytest.approx(0.5)


def test_chart_panels() -> None:
    assert len(_card().chart().to_dict(validate=False)["vconcat"]) == 1
    spec = rk.scorecard(_tables(), as_of="2025-05-15", benchmarks=_BENCH).chart().to_dict(validate=False)
    assert len(spec["vconcat"]) == 2
    assert [layer["mark"]["type"] for layer in spec["vconcat"][1]["layer"]] == ["bar", "rule", "point"]


def test_example_benchmarks_cite_a_source() -> None:
    table = rk.datasets.example_benchmarks()
    assert table["source"].str.contains("https://").all()
    assert table["note"].str.startswith("EXAMPLE").all()


def test_sample_first_screen() -> None:
    sample = rk.datasets.load_sample("saas")
    card = rk.scorecard(sample.tables(), benchmarks=rk.datasets.example_benchmarks())
    kpis = card.kpis()
    assert (card.period_start, card.period_end) == (pd.Timestamp("2025-10-01"), pd.Timestamp("2025-12-31"))
    assert [r.metric for r in kpis] == ["reach", "followers", "engagements", "clicks", "leads",
                                        "revenue", "cost", "roi_pct"]
    assert {r.stage for r in kpis} == {"awareness", "engagement", "conversion", "revenue", "efficiency"}
    q4 = sample.goals.loc[pd.to_datetime(sample.goals["period_start"]) == "2025-10-01"]
    from roi_kit.actuals import daily_actuals

    direct = goal_progress(q4, daily_actuals(sample.tables()), as_of=card.as_of,
                           how={"followers": "last"}).to_frame()
    assert [r.status for r in kpis] == direct["status"].tolist()
    assert kpis[-1].status == "no data" and "roi-kit report" in kpis[-1].words
    # planted truth: the generator set each Q4 goal's baseline to the Q3 actual, which is the
    # scorecard's previous period (the whole of Q3: the data run to the end of Q4)
    baselines = q4.set_index("metric")["baseline"]
    for row in kpis[:-1]:
        assert row.previous_period == pytest.approx(baselines[row.metric], abs=0.01), row.metric
    metrics = card.to_frame().query("kind == 'metric'")
    assert {"posts", "ctr", "cpm", "engagement_rate_by_impressions"} <= set(metrics["metric"])
    assert metrics["trailing_median"].notna().all()


def test_each_kpi_is_compared_with_its_own_period() -> None:
    monthly = _GOAL.assign(target=30.0, period_start=pd.Timestamp("2025-05-01"),
                           period_end=pd.Timestamp("2025-05-31"))
    card = rk.scorecard(_DAILY, goals=pd.concat([_GOAL, monthly], ignore_index=True),
                        as_of="2025-05-15", basis="previous_period")
    quarter, month = card.kpis()
    assert (quarter.actual, quarter.benchmark) == (50.0, 40.0)  # Jan 1 – Feb 15
    assert (month.actual, month.benchmark) == (25.0, 25.0)  # May 1–15 against Apr 1–15
    assert "its own period's history" in card.summary()


def test_roi_goals_are_measured_by_the_given_roi_over_their_dates() -> None:
    """``roi=`` measures roi_pct KPIs over the goal's first day to as_of, with the report's rule."""
    import roi_kit as rk

    daily = pd.DataFrame({"date": pd.to_datetime(["2025-04-05"]), "metric": ["leads"],
                          "value": [30.0]})
    goals = pd.DataFrame({"metric": ["leads", "roi_pct"], "target": [90.0, 40.0],
                          "period_start": pd.to_datetime(["2025-04-01"] * 2),
                          "period_end": pd.to_datetime(["2025-06-29"] * 2)})
    asked: list[tuple[pd.Timestamp, pd.Timestamp]] = []

    def roi(start: pd.Timestamp, end: pd.Timestamp) -> rk.RoiResult:
        asked.append((start, end))
        return rk.roi(revenue=150.0, cost=100.0)

    card = rk.scorecard(daily, goals=goals, as_of="2025-04-30", roi=roi)
    row = next(r for r in card.kpis() if r.metric == "roi_pct")
    assert asked == [(pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30"))]
    assert row.actual == 50.0 and row.status == "achieved"  # goal_status: at or above a floor of 40 %
    undefined = rk.scorecard(daily, goals=goals, as_of="2025-04-30",
                             roi=lambda s, e: rk.roi(revenue=150.0, cost=0.0))
    row = next(r for r in undefined.kpis() if r.metric == "roi_pct")
    assert row.status == "no data" and "cost" in row.words.lower()
    plain = rk.scorecard(daily, goals=goals, as_of="2025-04-30")
    assert next(r for r in plain.kpis() if r.metric == "roi_pct").status == "no data"
