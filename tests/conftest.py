"""Shared fixtures: run the same test over every engine roi_kit supports."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest
from hypothesis import settings

from tests.cpu_times import recorded, slow_in_quick_tier

if TYPE_CHECKING:
    from roi_kit.attribution import Paths
    from roi_kit.datasets import SampleData
    from roi_kit.reporting.build import Report
    from roi_kit.widgets import ManagementReportApp, RoiCalculatorApp

# Property tests draw the same examples on every run (CI and `make test` must not turn red by
# luck; a failing example found once becomes an `@example`). To explore new examples locally:
# ROI_KIT_HYPOTHESIS=explore make unit
settings.register_profile("reproducible", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("ROI_KIT_HYPOTHESIS", "reproducible"))

ENGINES = ("pandas", "polars", "polars-lazy", "duckdb")


def convert(frame: pd.DataFrame, engine: str) -> Any:
    """Turn a pandas frame into the native frame of ``engine``."""
    if engine == "pandas":
        return frame
    if engine == "polars":
        import polars as pl

        return pl.from_pandas(frame)
    if engine == "polars-lazy":
        import polars as pl

        return pl.from_pandas(frame).lazy()
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.register("frame_view", frame)
        return con.sql("select * from frame_view")
    raise ValueError(engine)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Name of an engine; use with ``to_engine``."""
    return str(request.param)


@pytest.fixture
def to_engine(engine: str) -> Callable[[pd.DataFrame], Any]:
    """Convert a pandas frame to the current engine's native frame."""
    return lambda frame: convert(frame, engine)


@pytest.fixture
def to_engine_many(engine: str) -> Callable[..., list[Any]]:
    """Convert several pandas frames to the current engine at once.

    DuckDB relations can only be joined when they share a connection, so for DuckDB all frames
    are registered on one connection.
    """

    def convert_all(*frames: pd.DataFrame) -> list[Any]:
        if engine != "duckdb":
            return [convert(f, engine) for f in frames]
        import duckdb

        con = duckdb.connect()
        for i, f in enumerate(frames):
            con.register(f"t{i}", f)
        return [con.sql(f"select * from t{i}") for i in range(len(frames))]

    return convert_all


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local PySpark session for the whole run (JVM start-up is slow)."""
    pyspark_sql = pytest.importorskip("pyspark.sql")
    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)  # type: ignore[attr-defined]
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("roi_kit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        # The test tables have hundreds of rows: the time is planning, job start and JIT, not data
        # (issue 13). One partition per shuffle and no adaptive re-planning halve the jobs per
        # analysis; no whole-stage code generation skips a Janino compile per query; the C1 JIT
        # and serial GC spend less CPU on a short-lived JVM on a small shared machine. Arrow moves
        # pandas frames into the JVM as one batch, so later jobs need no Python worker to read them.
        .config("spark.default.parallelism", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


# Expensive objects on the committed samples, built at most once per test process (under xdist once
# per worker that needs them) instead of once per module (issue 13). Tests only read them; a test that
# changes a control of a shared app puts it back in a ``finally``, so no test depends on the order.
@pytest.fixture(scope="session")
def saas_sample() -> SampleData:
    """The committed saas sample (``rk.datasets.load_sample("saas")``)."""
    from roi_kit.datasets import load_sample

    return load_sample("saas")


@pytest.fixture(scope="session")
def dtc_sample() -> SampleData:
    """The committed dtc sample (``rk.datasets.load_sample("dtc")``)."""
    from roi_kit.datasets import load_sample

    return load_sample("dtc")


@pytest.fixture(scope="session")
def generated() -> Callable[..., SampleData]:
    """``generated(seed=4, n_customers=400, business="saas")``: ``rk.datasets.generate`` with these
    options, generated once per test process and shared by every test that passes the same options
    (spell them the same way). Read only."""
    from roi_kit.datasets import generate

    made: dict[tuple[tuple[str, Any], ...], SampleData] = {}

    def get(**options: Any) -> SampleData:
        key = tuple(sorted(options.items()))
        if key not in made:
            made[key] = generate(**options)
        return made[key]

    return get


@pytest.fixture(scope="session")
def saas_paths(saas_sample: SampleData) -> Paths:
    """The saas touchpoints as attribution paths: ``rk.attribute(touchpoints, ...)`` builds exactly
    these first (``as_paths``), 0.4 CPU s each time (2.5 s before pandas logs ran on polars), so
    tests that attribute the same log with several models attribute these instead."""
    from roi_kit.attribution import as_paths

    return as_paths(saas_sample.touchpoints)


@pytest.fixture(scope="session")
def saas_roi_app(saas_sample: SampleData) -> RoiCalculatorApp:
    """App 01 (the ROI calculator) on the saas sample, in its start state."""
    from roi_kit.widgets import RoiCalculatorApp

    return RoiCalculatorApp(saas_sample)


@pytest.fixture(scope="session")
def saas_report_app(saas_sample: SampleData) -> ManagementReportApp:
    """App 06 (the management report) on the saas sample, in its start state."""
    from roi_kit.widgets import ManagementReportApp

    return ManagementReportApp(saas_sample)


@pytest.fixture(scope="session")
def november_report() -> Report:
    """``build_report`` of the shipped example config cut to November 2025 (previous period: 2 to
    31 October), with its charts."""
    import datetime as dt
    from pathlib import Path

    from roi_kit.reporting.build import build_report
    from roi_kit.reporting.config import load_config

    config = load_config(Path(__file__).resolve().parents[1] / "examples" / "report.toml")
    return build_report(config.with_period(dt.date(2025, 11, 1), dt.date(2025, 11, 30)))


# Under pytest-xdist (`make test` runs `-n auto --dist loadgroup`), the tests that share an expensive
# session fixture stay on one worker, so each fixture starts once: one Voila server + Chromium for the
# browser tests, one JVM for the Spark tests, one kernel for the notebooks, one PostgreSQL server for
# the warehouse tests.
SHARED_FIXTURE_GROUPS = ("browser", "spark", "notebook", "warehouse")

# The browser tests are two groups, each on its own worker with its own Voila server and Chromium,
# so both cores build apps at the start of the run (one group was the run's long tail: its kernels
# kept one core busy for minutes after the other had finished). About half the app kernels each.
BROWSER_SECOND = frozenset({
    "test_closed_tabs_are_culled_and_an_open_tab_keeps_its_kernel",
    "test_management_report_exports_a_self_contained_page",
    "test_followers_app_reacts_to_the_follower_definition",
    "test_content_app_views_draw",
    "test_funnel_app_paid_filter_changes_numbers_and_chart",
})


# Whole apps, reports and the CLI built on the shipped samples: part of `make test`, left out of the
# quick `make unit` tier (marked here by module so the modules need no decorator on every test).
INTEGRATION_MODULES = frozenset({"test_widgets_apps.py", "test_cli.py", "test_reporting.py",
                                 "test_workshop.py", "test_widgets_roi.py", "test_widgets_state.py"})


# Single tests that take many seconds even on a quiet machine (planted-truth recovery on generated
# samples, coverage over seeds, per-user reference loops, cross-route parity on whole samples): in
# `make test`, left out of the quick `make unit` tier. Measured with `--durations` (issue 13).
# Every other test whose CPU time `make test-times` recorded above 0.1 s (QUICK_LIMIT) in
# tests/cpu_times.json is marked heavy too (see tests/cpu_times.py).
HEAVY_TESTS = frozenset({
    ("test_goals.py", "test_goal_status_agrees_in_api_app_and_cli_report"),
    ("test_population.py", "test_every_route_agrees_on_generated_frames"),
    ("test_k_groups.py", "test_each_group_equals_the_two_group_comparison"),
    ("test_comparisons.py", "test_fast_coverage_over_seeds"),
    ("test_comparisons.py", "test_naive_is_biased_and_adjusted_recovers_truth_on_confounded_sample"),
    ("test_datasets.py", "test_naive_deal_size_and_upsell_recover_truth_without_confounding"),
    ("test_datasets.py", "test_naive_retention_overstates_truth_with_confounding"),
    ("test_datasets.py", "test_naive_retention_recovers_truth_without_confounding"),
    ("test_datasets.py", "test_empirical_transitions_match_planted_chain"),
    ("test_funnel.py", "test_matches_per_user_reference"),
    ("test_retention.py", "test_generator_landmark_difference_covers_truth"),
    ("test_retention.py", "test_coverage_over_seeds_is_near_nominal"),
    ("test_attribution_markov.py", "test_generated_journeys_recover_the_planted_chain"),
    # two attributions of the saas log with the bootstrap (~7 CPU s); not yet in cpu_times.json
    ("test_sample_story.py", "test_attributing_the_log_is_attributing_its_paths"),
})


def pytest_configure(config: pytest.Config) -> None:
    # registered here too, so a single-process run (`-p no:xdist`) accepts the group markers
    config.addinivalue_line("markers", "xdist_group(name): tests that share one xdist worker")


# tryfirst: xdist's worker reads the xdist_group markers in its own collection_modifyitems hook, and
# it is registered after this conftest, so it would run first and never see the groups added here.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # tests/cpu_times.json, from `make test-times` (which measures every candidate, so it ignores the file)
    measuring = os.environ.get("ROI_KIT_MEASURING_TIMES", "") not in ("", "0")
    measured_slow = frozenset() if measuring else slow_in_quick_tier(recorded())
    for item in items:
        if item.path.name in INTEGRATION_MODULES:
            item.add_marker(pytest.mark.integration)
        if ((item.path.name, getattr(item, "originalname", item.name)) in HEAVY_TESTS
                or item.nodeid in measured_slow):
            item.add_marker(pytest.mark.heavy)
        for group in SHARED_FIXTURE_GROUPS:
            if item.get_closest_marker(group) is not None:
                if group == "browser":
                    second = getattr(item, "originalname", item.name) in BROWSER_SECOND
                    group = "browser-2" if second else "browser-1"
                item.add_marker(pytest.mark.xdist_group(group))
                break
