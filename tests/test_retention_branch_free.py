"""The branch-free and hash-free steps of the pandas retention route equal their plain forms.

Each fast step (issue 19: ``retention_curves`` ≥ 3× lifelines from a pandas table) replaces a
plain numpy / pandas operation whose cost came from unpredictable masks or from hashing every
row; each test runs both on the same data, edge values included, and compares exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from roi_kit.epoch import _nan_where
from roi_kit.followers._groups import text_codes
from roi_kit.followers._landmark import SECONDS, UNIT_DAYS, whole_steps
from roi_kit.followers._retention_counts import per_day

N = 120_000  # above text_codes' size threshold, so its equality route runs


def _factorize(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(values, sort=True)
    return codes, [str(u) for u in uniques]


def _text(n: int, labels: list[str], seed: int = 3) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(rng.choice(labels, n), dtype="str")


@pytest.mark.parametrize("case", ["two", "nulls", "rare-late", "many", "small", "unicode", "all-null-head"])
def test_text_codes_equal_sorted_factorize(case: str) -> None:
    values = _text(N, ["non-followers", "followers"])
    if case == "nulls":
        values = values.where(np.random.default_rng(1).random(N) > 0.05)
    elif case == "rare-late":  # labels absent from the first rows are found among the rest
        values.iloc[[50_000, 99_999]] = ["aardvark", "zulu"]
        values.iloc[70_000] = None
    elif case == "many":  # more labels than the equality route takes: hashing
        values = _text(N, [f"g{i:02d}" for i in range(12)])
    elif case == "small":
        values = _text(500, ["b", "a"])
    elif case == "unicode":  # byte order of UTF-8 = code point order of Python strings
        values = _text(N, ["Zoë", "zoe", "Ärger", "apple"])
    elif case == "all-null-head":
        values.iloc[:20_000] = None
    codes, labels = text_codes(values)
    want_codes, want_labels = _factorize(values)
    assert labels.tolist() == want_labels
    assert codes.dtype == np.intp
    np.testing.assert_array_equal(codes, want_codes)


@pytest.mark.parametrize("unit", ["days", "weeks", "months"])
def test_whole_steps_equal_ceil_for_events_floor_for_censored(unit: str) -> None:
    rng = np.random.default_rng(7)
    step = UNIT_DAYS[unit] * SECONDS
    n = 50_000
    seconds = np.round(rng.random(n) * 900 * SECONDS, 3)
    seconds[: n // 10] = rng.integers(0, 900, n // 10) * step  # exact multiples of a step
    seconds[n // 10: n // 5] = rng.integers(1, 900, n // 10) * step + rng.choice([-1e-3, 1e-3], n // 10)
    seconds[-3:] = [0.0, -0.0, 1e-3]
    event = rng.random(n) < 0.5
    x = np.round(seconds / step, 9)
    want = np.where(event, np.ceil(x), np.floor(x)).astype(np.int64)
    np.testing.assert_array_equal(whole_steps(seconds.copy(), event, step), want)


def test_nan_where_equals_mask_assignment() -> None:
    rng = np.random.default_rng(5)
    values = np.concatenate([rng.normal(0, 1e9, 10_000), [0.0, -0.0, np.inf, -np.inf, -9.2e12]])
    mask = rng.random(values.size) < 0.6
    want = values.copy()
    want[mask] = np.nan
    got = values.copy()
    _nan_where(got, mask)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))  # numpy's positive NaN
    keep = ~np.isnan(want)
    np.testing.assert_array_equal(got[keep], want[keep])
    np.testing.assert_array_equal(np.signbit(got[keep]), np.signbit(want[keep]))  # -0.0 kept


def test_per_day_equals_groupby_over_cohorts() -> None:
    rng = np.random.default_rng(11)
    n = 3_000
    counts = pd.DataFrame({"group": rng.choice(["b", "a", "c"], n), "cohort": rng.choice([202401, 202402, 202405], n),
                           "duration": rng.integers(0, 400, n), "events": rng.integers(0, 3, n)})
    counts["removed"] = counts["events"] + rng.integers(0, 3, n)
    counts = counts[counts["removed"] > 0]
    counts = counts.groupby(["group", "cohort", "duration"], as_index=False).sum().astype({"group": str})
    table, parts = per_day(counts)
    want = counts.drop(columns="cohort").groupby(["group", "duration"], as_index=False).sum()
    pd.testing.assert_frame_equal(table, want, check_exact=True)
    assert list(parts) == ["a", "b", "c"]
    for g, part in parts.items():
        expect = want[want["group"] == g].drop(columns="group").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, expect, check_exact=True)
