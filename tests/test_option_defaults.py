"""Functions that take the same options must default them alike.

The public entry points and the routes behind them repeat their keyword options (the
``duplicates`` report lists these signatures): ``rk.compare_segments`` passes everything on, but
``Population.compare`` (the followers app, ``roi-kit report``) falls back on
``compare_population``'s own defaults, so a default changed in one place only would make the app
and the API disagree on the same data. These tests fail on such a drift.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from roi_kit.attribution.api import as_paths, attribute
from roi_kit.attribution.compare import compare_models
from roi_kit.followers._compare import compare_population
from roi_kit.followers._comparisons import compare_segments
from roi_kit.followers._k_groups import compare_groups
from roi_kit.kpi._build import card_from_progress, scorecard


def _defaults(fn: Callable[..., Any]) -> dict[str, Any]:
    return {name: p.default for name, p in inspect.signature(fn).parameters.items()
            if p.default is not inspect.Parameter.empty}


@pytest.mark.parametrize(("main", "others", "at_least"), [
    (compare_segments, (compare_population, compare_groups),
     {"landmark_days", "horizon_days", "horizons_days", "trim", "n_boot", "seed", "currency"}),
    (attribute, (as_paths, compare_models),
     {"level", "lookback_days", "user", "timestamp", "converted", "value", "channel", "rules"}),
    (scorecard, (card_from_progress,),
     {"basis", "trailing", "benchmarks", "industry", "levels", "rate_metrics", "context"}),
], ids=["compare", "attribution", "scorecard"])
def test_shared_options_have_one_default(main: Callable[..., Any], others: tuple[Callable[..., Any], ...],
                                         at_least: set[str]) -> None:
    ours = _defaults(main)
    for other in others:
        theirs = _defaults(other)
        shared = set(ours) & set(theirs)
        assert shared >= at_least & set(theirs), other.__name__
        drift = {k: (ours[k], theirs[k]) for k in shared if ours[k] != theirs[k]}
        assert not drift, f"{main.__name__} and {other.__name__} default differently: {drift}"
