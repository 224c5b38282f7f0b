"""Keep the public surface honest: every name in ``__all__`` exists, is documented with an example,
and the names the rest of the product relies on (DESIGN section 7) are present."""

from __future__ import annotations

import inspect

import pytest

import roi_kit as rk

CONTRACT = (
    "load_customers", "load_deals", "load_touchpoints", "load_posts", "load_costs", "load_audience",
    "load_funnel_events", "load_goals", "load", "roi", "retention_curves", "compare_segments",
    "value_of_social", "attribute", "compare_models", "funnel", "rates", "top_posts",
    "best_time_to_post", "goal_progress", "datasets",
    # incrementality and the value levers
    "plan_lift_test", "lift_test", "fit_mmm", "load_service_interactions", "service_metrics",
    "compare_prospects", "customer_lifetime_value", "scorecard", "customers_from_deals",
)


@pytest.mark.parametrize("name", CONTRACT)
def test_contract_name_is_public(name: str) -> None:
    assert hasattr(rk, name), f"roi_kit.{name} is part of the public contract (DESIGN section 7)"
    assert name in rk.__all__


def test_all_names_exist() -> None:
    missing = [n for n in rk.__all__ if not hasattr(rk, n)]
    assert missing == []
    assert len(rk.__all__) == len(set(rk.__all__)), "duplicate names in __all__"


def test_public_callables_have_docstring_with_example() -> None:
    undocumented = []
    for name in rk.__all__:
        obj = getattr(rk, name)
        if inspect.ismodule(obj) or not callable(obj) or (isinstance(obj, type) and issubclass(obj, Exception)):
            continue
        doc = inspect.getdoc(obj) or ""
        if ">>>" not in doc:
            undocumented.append(name)
    assert undocumented == [], f"public names without a docstring example: {undocumented}"


def test_options_are_keyword_only() -> None:
    """Data comes first; options after ``*`` (STYLE: keyword-only options)."""
    offenders = []
    for name in rk.__all__:
        obj = getattr(rk, name)
        if not inspect.isfunction(obj):
            continue
        params = list(inspect.signature(obj).parameters.values())
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(positional) > 2:
            offenders.append(f"{name}{inspect.signature(obj)}")
    assert offenders == [], f"functions with more than two positional parameters: {offenders}"


def test_import_loads_no_heavy_library() -> None:
    """``import roi_kit`` defers every analysis module (and pandas, scipy, altair, polars, duckdb)
    until a name is first used; the names still resolve, and ``from roi_kit import x`` works."""
    import subprocess
    import sys

    code = ("import sys, roi_kit as rk\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
            "{'pandas', 'numpy', 'scipy', 'altair', 'polars', 'duckdb', 'narwhals', 'pyarrow'})\n"
            "print(heavy)\n"
            "from roi_kit import roi, datasets\n"
            "print(roi(revenue=3, cost=2).roi_pct, datasets.__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", "50.0 roi_kit.datasets"]


def test_lazy_names_come_from_the_type_checking_block_only() -> None:
    from roi_kit._lazy import _public_imports

    lazy, eager = _public_imports(
        "from roi_kit.errors import InputError\nfrom roi_kit._lazy import attach as _attach\n"
        "if TYPE_CHECKING:\n    from roi_kit import datasets\n    from roi_kit.roi import roi as r\n")
    assert lazy == {"datasets": ("roi_kit", "datasets"), "r": ("roi_kit.roi", "roi")}
    assert eager == {"InputError"}
    with pytest.raises(TypeError, match="line 2"):
        _public_imports("if TYPE_CHECKING:\n    import roi_kit.roi\n")


def test_a_submodule_import_does_not_replace_the_public_function() -> None:
    """``roi_kit.roi``, ``rates``, ``funnel``, ``roi_by`` are both modules and public functions:
    loading the module first (as other modules do) must leave ``rk.roi`` the function."""
    import subprocess
    import sys

    code = ("import roi_kit as rk, roi_kit.rates, roi_kit.funnel\n"
            "from roi_kit.roi import RoiResult\n"
            "from roi_kit.roi_by import RoiByResult\n"
            "print(*(type(getattr(rk, n)).__name__ for n in ('roi', 'rates', 'funnel', 'roi_by')))\n"
            "print(rk.roi(revenue=3, cost=2).roi_pct)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["function function function function", "50.0"]


def test_an_app_notebook_loads_only_its_own_app() -> None:
    """A Voila kernel imports one app: ``from roi_kit.widgets import DataOverviewApp`` leaves the
    other apps (and the incrementality app's scipy optimisers) unloaded, and the lock keeps out
    rfc3987-syntax, whose grammars cost every ``import altair`` about 2 CPU seconds (Makefile)."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys\nfrom roi_kit.widgets import DataOverviewApp\nimport altair\n"
            "print(sorted(m for m in sys.modules if m.startswith('roi_kit.widgets.apps.')))\n"
            "print('roi_kit.incrementality' in sys.modules, 'rfc3987_syntax' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["['roi_kit.widgets.apps.overview_app']", "False False"]
    lock = (Path(__file__).parents[1] / "requirements.lock").read_text(encoding="utf-8")
    assert "\nrfc3987-syntax==" not in lock and "\nlark==" not in lock
