"""Follower / non-follower curves from count arrays equal the survival core's table route.

``GroupCounts.curves`` and ``GroupCounts.logrank`` hand their count arrays straight to
``kaplan_meier_from_arrays`` / ``logrank_from_arrays`` (no pandas frame per definition). They
must give exactly what ``kaplan_meier_from_counts`` and ``logrank_from_counts`` give on the
duration-count tables of ``GroupCounts.frames`` — every array of every curve and every field of
the test, bit for bit — raw and propensity-weighted, with ties, an empty group and generated data.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.followers._group_survival import GROUPS, GroupCounts, group_counts
from roi_kit.survival import (
    LogRankResult,
    SurvivalTable,
    kaplan_meier_from_arrays,
    kaplan_meier_from_counts,
    logrank_from_counts,
)
from tests.budget import examples


def _table_route(c: GroupCounts) -> tuple[dict[str, SurvivalTable], LogRankResult | None]:
    frames = c.frames()
    curves = {g: kaplan_meier_from_counts(f) for g, f in frames.items() if len(f)}
    if any(len(f) == 0 for f in frames.values()):
        return curves, None
    long = pd.concat([f.assign(group=i) for i, f in enumerate(frames.values())], ignore_index=True)
    return curves, dataclasses.replace(logrank_from_counts(long), groups=GROUPS)


def _assert_same(c: GroupCounts) -> None:
    curves, test = _table_route(c)
    fast = c.curves()
    assert fast.keys() == curves.keys()
    for g, table in curves.items():
        for field in dataclasses.fields(SurvivalTable):
            a, b = getattr(fast[g], field.name), getattr(table, field.name)
            if isinstance(b, np.ndarray):
                assert a.dtype == b.dtype, field.name
                np.testing.assert_array_equal(a, b, err_msg=f"{g} {field.name}")  # exact
            else:
                assert a == b, field.name
    assert c.logrank() == test  # frozen dataclass: every float equal


HOURS = np.array([24, 48, 48, 72, 24, 96, 48, 120, 72, 24])
EVENT = np.array([1, 1, 0, 1, 1, 0, 1, 0, 0, 1], dtype=bool)
TREATED = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0], dtype=bool)


def test_curves_hand_worked() -> None:
    c = group_counts(HOURS, EVENT, TREATED, per_day=24.0)
    _assert_same(c)
    # followers: 24 (event), 48 (event), 48 (censored), 72 (event), 72 (censored):
    # 5 at risk on day 1, 4 on day 2, 2 on day 3 -> S = 4/5, 4/5 · 3/4, 3/5 · 1/2
    assert c.curves()["followers"].survival.tolist() == pytest.approx([0.8, 0.6, 0.3])
    assert c.curves()["followers"].time.tolist() == [1.0, 2.0, 3.0]


def test_weighted_curves_and_test_equal_table_route() -> None:
    weights = np.linspace(0.5, 2.0, HOURS.size)
    _assert_same(group_counts(HOURS, EVENT, TREATED, weights, per_day=24.0))


def test_one_empty_group_has_one_curve_and_no_test() -> None:
    c = group_counts(HOURS, EVENT, np.ones(HOURS.size, dtype=bool), per_day=24.0)
    _assert_same(c)
    assert list(c.curves()) == ["followers"] and c.logrank() is None


def test_arrays_without_rows_are_an_error() -> None:
    from roi_kit.errors import EmptyDataError

    with pytest.raises(EmptyDataError, match="no subjects"):
        kaplan_meier_from_arrays(np.array([]), np.array([]), np.array([]))


@settings(max_examples=examples(50), deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 30), st.booleans(), st.booleans(),
                               st.floats(0.1, 5.0, allow_nan=False)), min_size=1, max_size=60),
       weighted=st.booleans(), per_day=st.sampled_from([1.0, 24.0]))
def test_curves_equal_table_route_on_generated_data(rows: list[tuple[int, bool, bool, float]],
                                                    weighted: bool, per_day: float) -> None:
    hours = np.array([r[0] for r in rows])
    event = np.array([r[1] for r in rows])
    treated = np.array([r[2] for r in rows])
    weights = np.array([r[3] for r in rows]) if weighted else None
    _assert_same(group_counts(hours, event, treated, weights, per_day=per_day))
