"""One hash of the customer ids for the duplicate check, the deals and the audience ids.

``find_ids`` must say what ``has_duplicates`` says and give what ``positions`` gives for each
array; ``prepare_population`` with it (and the audience's ids looked up there, read by the match)
must give exactly what the separate lookups gave: the reference below is the code it replaced,
switched in with ``monkeypatch``. Hand-made frames with duplicate ids, ids missing from the deals,
deals and audience rows of unknown or missing ids, NaT dates, non-midnight timestamps, string,
``large_string``, object and integer ids.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import roi_kit as rk
import roi_kit.followers._prepare as prepare_module
from roi_kit.errors import InputError
from roi_kit.followers._arrays import IdLookup, find_ids, has_duplicates, positions

STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default string type
SMALL = pd.ArrowDtype(pa.string())  # Arrow text with 32-bit offsets


def _reference(ids: pd.Index, *values: Any) -> IdLookup:
    """The separate lookups ``find_ids`` replaced."""
    if has_duplicates(ids):
        return IdLookup(True, ())
    return IdLookup(False, tuple(None if v is None else positions(ids, v) for v in values))


@pytest.mark.parametrize(("ids", "dtype"), [
    (["a", "b", "c"], STR), (["a", "b", "a"], STR), ([None, "a", None], STR), ([None, "a"], STR),
    ([], STR), (["a", "b", "c"], SMALL), (["b", "a", "b"], SMALL), (["a", "b", "c"], object),
    ([3, 1, 2], "int64"), ([3, 1, 3], "int64"),
])
def test_find_ids_equals_separate_lookups(ids: list[Any], dtype: Any) -> None:
    index = pd.Index(ids, dtype=dtype)
    text = dtype is not object and dtype != "int64"
    values = (["c", "zz", None, "a", "a"] if dtype is not object and text else
              ["c", "zz", "a"] if dtype is object else [2, 9, 3])
    series = pd.Series(values, dtype=dtype)
    args: list[Any] = [series, None, pd.Series(values[:2], dtype=dtype)]
    if text:  # Arrow arrays as the deal rows hand them over, one of the other text width
        args += [pa.array(series.array), pa.array(series.array).cast(pa.large_string())]
    fast, slow = find_ids(index, *args), _reference(index, *args)
    assert fast.duplicated == slow.duplicated == index.has_duplicates
    assert len(fast.found) == len(slow.found)
    for f, s in zip(fast.found, slow.found, strict=True):
        assert (f is None) == (s is None)
        if f is not None and s is not None:
            assert f.dtype == s.dtype == np.int64
            np.testing.assert_array_equal(f, s)



def test_find_ids_reads_chunked_arrays_in_place() -> None:
    """Ids and looked-up arrays of several Arrow chunks (as concatenated frames hand them over)
    give the positions of the one-chunk arrays."""
    index = pd.Index(pd.concat([pd.Series(["a", "b"], dtype=STR), pd.Series(["c", None], dtype=STR)],
                               ignore_index=True))
    deals = pd.concat([pd.Series(["c", "zz"], dtype=STR), pd.Series([None, "a"], dtype=STR),
                       pd.Series(["b"], dtype=STR)], ignore_index=True)
    chunked = pa.array(deals.array)
    assert isinstance(chunked, pa.ChunkedArray) and chunked.num_chunks == 3
    look = find_ids(index, chunked, None, pa.array(deals.array).combine_chunks())
    assert not look.duplicated
    expected = [2, -1, 3, 0, 1]  # a missing id finds the missing customer id, as get_indexer does
    assert [None if f is None else f.tolist() for f in look.found] == [expected, None, expected]
    assert _reference(index, deals).found[0].tolist() == expected
    dup = pd.Index(pd.concat([pd.Series(["a", "b"], dtype=STR), pd.Series(["b"], dtype=STR)], ignore_index=True))
    assert find_ids(dup, chunked).duplicated


def _frames(dtype: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    def ids(values: list[Any]) -> Any:
        if dtype == "int64":
            return pd.array([None if v is None else ord(v[0]) * 10 + len(v) for v in values], dtype="Int64")
        return pd.array(values, dtype=dtype)

    customers = pd.DataFrame({
        "customer_id": ids(["a", "b", "c", "d", "e", "f", "g"]),
        "email": pd.array(["A@x.com", "b@x.com", None, "d@x.com", "e@x.com", "f@x.com", None], dtype=STR),
        "handle": pd.array(["@ann", None, "cee", "dee", "@@EE", None, "gee"], dtype=STR),
        "acquired_at": pd.to_datetime(["2024-01-01", "2024-01-05 13:30", "2024-02-01", None, "2024-03-01 06:00",
                                       "2024-01-10", "2024-02-15 17:45"], format="ISO8601"),
        "churned_at": pd.to_datetime([None, "2024-04-10 08:00", None, None, "2024-03-20", "2024-09-01", None],
                                     format="ISO8601"),
        "observed_until": pd.to_datetime(["2024-12-31", None, "2024-06-30 18:00", "2024-12-31", None, None,
                                          "2024-12-31"], format="ISO8601"),
        "region": pd.array(["eu", "us", "eu", None, "us", "eu", "us"], dtype=STR),
    })
    deals = pd.DataFrame({  # "c" has no deals; "zz" and a missing id are not customers
        "customer_id": ids(["a", "b", "zz", None, "e", "a", "d", "b", "a", "e", "f", "g"]),
        "kind": pd.array(["New", "new", "new", "new", "new", "UPSELL", "upsell", "Upsell", "new", "new", "new",
                          "NEW"], dtype=STR),
        "status": pd.array(["won", "Open", "won", "won", "won", "Won", "won", "won", "lost", "won", "won", "won"],
                           dtype=STR),
        "amount": [100.0, 50.0, 10.0, 5.0, 7.0, np.nan, 30.0, 20.0, 1.0, 40.0, 60.0, 80.0],
        "created_at": pd.to_datetime(["2024-01-02 09:15", "2024-01-06", "2024-01-07", "2024-01-08", "2024-03-02",
                                      "2024-04-01 23:59:59", None, "2024-06-01", "2024-02-10", "2024-03-05",
                                      "2024-01-11", "2024-02-16"], format="ISO8601"),
        "closed_at": pd.to_datetime(["2024-01-20 17:00", "2024-03-01", None, "2024-01-09", None, None,
                                     "2024-05-03", "2024-06-10 06:00", None, "2024-03-06 12:00", "2024-01-30",
                                     "2024-03-01 09:00"], format="ISO8601"),
    })
    audience = pd.DataFrame({  # by id, unknown id, missing id matched by email / handle, nobody
        "customer_id": ids(["a", "zz", None, None, "e", None]),
        "email": pd.array([None, "b@x.com", "B@X.COM ", None, None, "nobody@x"], dtype=STR),
        "handle": pd.array([None, None, None, "CEE", "ee", None], dtype=STR),
        "platform": pd.array(["linkedin", "x", "x", "youtube", "linkedin", "x"], dtype=STR),
        "followed_at": pd.to_datetime(["2024-01-15 10:00", "2024-01-06", None, "2024-02-05", "2024-03-01 07:00",
                                       "2024-01-01"], format="ISO8601"),
        "engagements": [3, 1, 0, 5, 2, 1],
    })
    return customers, deals, audience


def _arrays(pop: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"ids": pop.ids.tolist()}
    for part in ("", "audience", "new_deals", "upsells"):
        obj = getattr(pop, part) if part else pop
        for name, value in vars(obj).items():
            if isinstance(value, np.ndarray | int | str | tuple):
                out[f"{part}.{name}"] = value
    report = pop.audience.report
    out["report"] = (report.rows, list(report.matched.items()), report.unmatched, report.ambiguous,
                     report.customers, report.customers_matched, report.unmatched_rows.to_dict("list"))
    return out


@pytest.mark.parametrize("dtype", [STR, SMALL, object, "int64"])
def test_prepare_with_one_lookup_equals_separate_lookups(dtype: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    customers, deals, audience = _frames(dtype)
    if dtype == "int64":  # integer ids: no Arrow lookup, nothing shared; matching by id on the engine
        customers = customers.astype({"customer_id": "int64"})
    kw: dict[str, Any] = {"audience": audience, "covariates": ["region"]}
    fast = rk.prepare_population(customers, deals, **kw)
    with monkeypatch.context() as m:
        m.setattr(prepare_module, "find_ids", _reference)
        m.setattr(prepare_module, "audience_ids", lambda *a: None)
        slow = rk.prepare_population(customers, deals, **kw)
    f, s = _arrays(fast), _arrays(slow)
    assert f.keys() == s.keys()
    for name, value in f.items():
        if isinstance(value, np.ndarray):
            assert value.dtype == s[name].dtype, name
            np.testing.assert_array_equal(value, s[name], err_msg=name)  # exact, NaN == NaN
        else:
            assert value == s[name], name
    if dtype is not object and dtype != "int64":  # hand-worked: a by id, b by email, c by handle, e by id
        assert fast.audience is not None and fast.audience.customer.tolist() == [0, 1, 1, 2, 4]
        assert fast.new_deals is not None and fast.new_deals.unknown_customer >= 2  # zz and the missing id
    definition = rk.FollowerDefinition(landmark_days=30)
    pd.testing.assert_frame_equal(fast.compare(definition, n_boot=50).to_frame(),
                                  slow.compare(definition, n_boot=50).to_frame())
    pd.testing.assert_frame_equal(fast.labels(definition), slow.labels(definition))


@pytest.mark.parametrize("dtype", [STR, SMALL, object])
def test_duplicate_ids_still_an_input_error_with_deals_and_audience(dtype: Any) -> None:
    customers, deals, audience = _frames(dtype)
    customers.loc[3, "customer_id"] = "b"
    with pytest.raises(InputError, match=r"duplicate customer_id values \(e.g. 'b'\)"):
        rk.prepare_population(customers, deals, audience=audience)
