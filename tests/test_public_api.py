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
