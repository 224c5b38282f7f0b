"""The fast paths of ``prepare_population`` give exactly what the general paths give.

Audience matching on Arrow arrays (pandas with Arrow text keys) is checked against the engine path
on the same frames (forced with ``monkeypatch``), on hand-made and generated frames; the covariate
design built on the distinct patterns is checked against the row-level construction it replaced
(one-hot matrix of every row, ``np.unique`` per covariate), written out here as the reference.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_kit as rk
import roi_kit.followers._matching as matching
from roi_kit.errors import InputError
from roi_kit.followers._arrays import has_duplicates
from roi_kit.followers._design import build_design
from roi_kit.followers._match_arrays import key_matches, supports_fast_match
from tests.budget import examples

TEXT = pd.StringDtype("pyarrow")


def _both(customers: pd.DataFrame, audience: pd.DataFrame, monkeypatch: pytest.MonkeyPatch,
          **kw: Any) -> tuple[Any, Any]:
    fast = rk.match_audience(customers, audience, **kw)
    with monkeypatch.context() as m:
        m.setattr(matching, "supports_fast_match", lambda *a: False)
        slow = rk.match_audience(customers, audience, **kw)
    return fast, slow


def _assert_same(fast: Any, slow: Any) -> None:
    pd.testing.assert_frame_equal(nw.to_native(fast.frame), nw.to_native(slow.frame), check_index_type=False)
    pd.testing.assert_frame_equal(fast.report.unmatched_rows, slow.report.unmatched_rows)
    for name in ("rows", "unmatched", "ambiguous", "customers", "customers_matched", "keys"):
        assert getattr(fast.report, name) == getattr(slow.report, name), name
    assert list(fast.report.matched.items()) == list(slow.report.matched.items())
    assert fast.columns == slow.columns


def _hand_made() -> tuple[pd.DataFrame, pd.DataFrame]:
    customers = pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4", "c5"],
        "email": ["Ann@X.com", " bo@y.com", "dup@z.com", "DUP@z.com ", None],
        "handle": ["@@Ann", "bo", "ÉLISE", None, "\tzed "],
    }, dtype=TEXT)
    audience = pd.DataFrame({
        "customer_id": ["c1", None, None, None, None, "c9", None, "c5"],
        "email": [None, "BO@Y.COM", "dup@z.com", None, None, None, "ann@x.com", None],
        "handle": [None, None, None, "élise", "@ZED", "@nobody", "x", None],
        "platform": ["linkedin", "x", "x", "x", "youtube", "x", "x", "x"],
    }, dtype=TEXT)
    return customers, audience


def test_array_match_hand_worked() -> None:
    customers, audience = _hand_made()
    hit = key_matches(customers, audience, ("customer_id", "email", "handle"))
    # c1 by id; c2 by email (trimmed, lower case); dup@z.com belongs to c3 and c4: ambiguous;
    # élise = ÉLISE lower-cased (not ASCII); @ZED = "\tzed " trimmed; c9 nobody; ann@x.com -> c1
    assert hit.position.tolist() == [0, 1, -1, 2, 4, -1, 0, 4]
    assert hit.method.tolist() == [0, 1, -1, 2, 2, -1, 1, 0]
    assert hit.ambiguous.tolist() == [False, False, True, False, False, False, False, False]


def test_array_match_equals_engine_path(monkeypatch: pytest.MonkeyPatch) -> None:
    customers, audience = _hand_made()
    assert supports_fast_match(customers, audience, ("customer_id", "email", "handle"))
    for on in (("customer_id", "email", "handle"), ("handle", "email"), ("email",)):
        fast, slow = _both(customers, audience, monkeypatch, on=on, max_listed=2)
        _assert_same(fast, slow)



@pytest.mark.parametrize("parts", [2, 3])
def test_array_match_reads_chunked_columns_in_place(parts: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text columns of several Arrow chunks (concatenated frames) match as the one-chunk frames
    do and as the engine path does; ``string[pyarrow]`` (32-bit offsets) too."""
    customers, audience = _hand_made()

    def chunked(frame: pd.DataFrame) -> pd.DataFrame:
        cut = np.array_split(np.arange(len(frame)), parts)
        return pd.concat([frame.iloc[c] for c in cut], ignore_index=True)

    many_c, many_a = chunked(customers), chunked(audience)
    assert pa.array(many_c["email"].array).num_chunks == parts  # the case under test
    on = ("customer_id", "email", "handle")
    one = key_matches(customers, audience, on)
    many = key_matches(many_c, many_a, on)
    for name in ("position", "method", "ambiguous"):
        np.testing.assert_array_equal(getattr(many, name), getattr(one, name), err_msg=name)
    fast, slow = _both(many_c, many_a, monkeypatch, on=on, max_listed=2)
    _assert_same(fast, slow)
    small = many_c.astype(pd.ArrowDtype(pa.string())), many_a.astype(pd.ArrowDtype(pa.string()))
    assert supports_fast_match(*small, on)
    np.testing.assert_array_equal(key_matches(*small, on).position, one.position)


def test_other_column_types_take_the_engine_path() -> None:
    customers, audience = _hand_made()
    assert not supports_fast_match(customers.astype(object), audience, ("email",))
    assert not supports_fast_match(customers.assign(customer_id=range(5)), audience, ("email",))
    with_null = customers.assign(customer_id=pd.array(["c1", None, "c3", "c4", "c5"], dtype=TEXT))
    assert not supports_fast_match(with_null, audience, ("email",))
    assert not supports_fast_match(customers, audience.astype(object), ("email",))


def test_prepared_positions_are_the_matched_customers() -> None:
    customers, audience = _hand_made()
    customers["acquired_at"] = pd.to_datetime(["2024-01-01"] * 5)
    audience["followed_at"] = pd.to_datetime(["2024-01-02"] * 8)
    pop = rk.prepare_population(customers, audience=audience)
    matched = nw.to_native(rk.match_audience(customers, audience).frame)
    assert pop.audience is not None
    assert pop.audience.customer.tolist() == pop.ids.get_indexer(matched["customer_id"]).tolist() \
        == [0, 1, 2, 4, 0, 4]


_text = st.one_of(st.none(), st.text(alphabet=" @aAbÉé\t", min_size=0, max_size=4))


@settings(max_examples=examples(40), deadline=None)
@given(emails=st.lists(_text, min_size=1, max_size=12), handles=st.data(),
       audience_rows=st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 14)), _text, _text),
                              min_size=0, max_size=15))
def test_array_match_equals_engine_path_on_generated_frames(
        emails: list[str | None], handles: st.DataObject, audience_rows: list[tuple[Any, Any, Any]]) -> None:
    n = len(emails)
    customers = pd.DataFrame({
        "customer_id": [f"c{i}" for i in range(n)], "email": emails,
        "handle": handles.draw(st.lists(_text, min_size=n, max_size=n)),
    }, dtype=TEXT)
    audience = pd.DataFrame({
        "customer_id": [None if i is None else f"c{i}" for i, _, _ in audience_rows],
        "email": [e for _, e, _ in audience_rows], "handle": [h for _, _, h in audience_rows],
    }, dtype=TEXT)
    patch = pytest.MonkeyPatch()
    try:
        fast, slow = _both(customers, audience, patch)
    finally:
        patch.undo()
    _assert_same(fast, slow)


def _reference_design(frame: pd.DataFrame, covariates: list[str]) -> tuple[Any, ...]:
    """The row-level construction the pattern-level one replaced (one-hot of every row)."""
    n = len(frame)
    columns, terms = [np.ones(n)], ["(intercept)"]
    key = np.zeros(n, dtype=np.int64)
    indicators = []
    for cov in covariates:
        series = frame[cov]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            values = series.astype("object").where(series.notna(), "(missing)").astype(str)
            codes, levels = pd.factorize(values, sort=True)
            ref = int(np.argmax(np.bincount(codes, minlength=len(levels))))
            for j, level in enumerate(levels):
                if j != ref:
                    columns.append((codes == j).astype(float))
                    terms.append(f"{cov}={level}")
            indicators.append((cov, codes.astype(np.int64), tuple(str(v) for v in levels)))
            card = len(levels)
        else:
            x = series.to_numpy(dtype=float, na_value=np.nan)
            miss = np.isnan(x)
            mean = float(np.nanmean(x)) if (~miss).any() else 0.0
            sd = float(np.nanstd(x)) if (~miss).any() else 1.0
            columns.append((np.where(miss, mean, x) - mean) / (sd if sd > 0 else 1.0))
            terms.append(cov)
            if miss.any():
                columns.append(miss.astype(float))
                terms.append(f"{cov}=(missing)")
            codes, uniques = pd.factorize(x, use_na_sentinel=False)
            card = len(uniques)
            indicators.append((cov, x, None))
        _, key = np.unique(key * card + codes, return_inverse=True)
    first = np.full(int(key.max()) + 1, -1, dtype=np.int64)
    first[key[::-1]] = np.arange(n)[::-1]
    per = tuple((c, v[first] if lv is not None else v, lv) for c, v, lv in indicators)
    return tuple(terms), np.column_stack(columns)[first], key, per


def _assert_design(frame: pd.DataFrame, covariates: list[str]) -> None:
    d = build_design(frame, covariates)
    terms, patterns, key, per = _reference_design(frame, covariates)
    assert d.terms == terms
    np.testing.assert_array_equal(d.patterns, patterns)  # exact: same arithmetic per value
    np.testing.assert_array_equal(d.pattern, key)
    for (c1, v1, l1), (c2, v2, l2) in zip(d.indicators, per, strict=True):
        assert (c1, l1) == (c2, l2)
        np.testing.assert_array_equal(v1, v2)


def test_design_on_patterns_equals_row_level_design() -> None:
    frame = pd.DataFrame({
        "size": pd.array(["s", None, "l", "s", "(missing)", "l"], dtype=TEXT),
        "mixed": pd.array([1, "1", None, 2.5, True, "b"], dtype=object),  # 1 and "1" share a level
        "flag": [True, False, True, True, False, False],
        "mrr": [1.0, np.nan, 3.0, 1.0, 2.0, np.nan],
        "seats": [1, 2, 3, 1, 2, 2],
        "cat": pd.Categorical(["x", "y", None, "x", "y", "y"]),
    })
    _assert_design(frame, list(frame.columns))
    d = build_design(frame, ["mixed"])
    assert d.indicators[0][2] == ("(missing)", "1", "2.5", "True", "b")


@settings(max_examples=examples(50), deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["a", "B", "é", None]), st.booleans(),
                               st.one_of(st.none(), st.sampled_from([0.5, 1.0, -2.0])),
                               st.integers(0, 3)), min_size=1, max_size=40))
def test_design_equals_row_level_design_on_generated_frames(rows: list[tuple[Any, ...]]) -> None:
    frame = pd.DataFrame(rows, columns=["t", "b", "x", "i"]).astype({"t": TEXT, "x": float})
    _assert_design(frame, ["t", "b", "x", "i"])
    _assert_design(frame, ["i", "x"])


@pytest.mark.parametrize("values", [["a", "b", "a"], [None, "a", None], [None, "a"], ["a", "b"], []])
@pytest.mark.parametrize("dtype", [TEXT, object])
def test_duplicate_ids_found_as_pandas_finds_them(values: list[Any], dtype: Any) -> None:
    ids = pd.Index(values, dtype=dtype)
    assert has_duplicates(ids) == ids.has_duplicates


def test_duplicate_arrow_ids_are_an_input_error() -> None:
    customers = pd.DataFrame({"customer_id": pd.array(["a", "b", "a"], dtype=TEXT),
                              "acquired_at": pd.to_datetime(["2024-01-01"] * 3)})
    with pytest.raises(InputError, match=r"duplicate customer_id values \(e.g. 'a'\)"):
        rk.prepare_population(customers)
