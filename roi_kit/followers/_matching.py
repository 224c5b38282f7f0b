"""Match a social audience export to the customer table, and say how well it matched.

Social exports rarely carry the CRM's ``customer_id``. roi_kit matches each audience row, in
this order of preference:

1. ``customer_id`` — the audience row's id equals a customer's id (compared as text);
2. ``email`` — normalised (surrounding spaces trimmed, lower case) and equal to exactly one
   customer's normalised email;
3. ``handle`` — normalised (spaces trimmed, leading ``@`` removed, lower case) and equal to
   exactly one customer's normalised handle.

An email or handle shared by several customers is *ambiguous* and does not match. Rows that match
nobody are counted and listed in the :class:`MatchReport`, never dropped silently. The joins run
in the caller's engine (pandas, polars, DuckDB, Spark); only the report comes back to pandas.
For pandas with Arrow text keys the same rules run on the arrays instead of three joins
(:mod:`~roi_kit.followers._match_arrays`), with identical results.

Examples
--------
>>> import pandas as pd
>>> customers = pd.DataFrame({"customer_id": ["c1", "c2"], "email": ["Ann@x.com", "bo@y.com"],
...                           "handle": ["ann", "bo"]})
>>> audience = pd.DataFrame({"customer_id": ["c1", None, None, None],
...                          "email": [None, " BO@Y.COM ", None, None],
...                          "handle": [None, None, "@Ann", "@nobody"]})
>>> matched = match_audience(customers, audience)
>>> matched.report.counts()
{'customer_id': 1, 'email': 1, 'handle': 1, 'unmatched': 1}
>>> print(matched.report.summary().splitlines()[0])
3 of 4 audience rows (75.0%) matched a customer: 1 by customer_id, 1 by email, 1 by handle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import Frame, as_frame, column_names, is_sql, require_columns, to_pandas
from roi_kit.errors import ConfigError, InputError
from roi_kit.followers._match_arrays import matched_on_arrays, supports_fast_match
from roi_kit.followers._match_report import MatchedAudience, MatchReport

__all__ = ["MatchKey", "MatchReport", "MatchedAudience", "match_audience", "match_with_positions",
           "normalise_email", "normalise_handle"]

MatchKey = Literal["customer_id", "email", "handle"]
_KEYS: tuple[MatchKey, ...] = ("customer_id", "email", "handle")
_ID, _MATCH, _METHOD = "_rk_id_key", "_rk_customer_id", "match_method"


def normalise_email(expr: nw.Expr) -> nw.Expr:
    """Trim surrounding spaces and lower-case an email column (works in every engine).

    Examples
    --------
    >>> import narwhals as nw, pandas as pd
    >>> f = nw.from_native(pd.DataFrame({"e": ["  Ann@X.com "]}))
    >>> f.select(normalise_email(nw.col("e"))).to_native()["e"].tolist()
    ['ann@x.com']
    """
    return expr.cast(nw.String).str.strip_chars().str.to_lowercase()


def normalise_handle(expr: nw.Expr) -> nw.Expr:
    """Trim spaces, drop leading ``@`` and lower-case a social handle column.

    Examples
    --------
    >>> import narwhals as nw, pandas as pd
    >>> f = nw.from_native(pd.DataFrame({"h": [" @Ann_B "]}))
    >>> f.select(normalise_handle(nw.col("h"))).to_native()["h"].tolist()
    ['ann_b']
    """
    return expr.cast(nw.String).str.strip_chars().str.replace_all(r"^@+", "").str.to_lowercase()


_NORMALISERS = {
    "customer_id": lambda e: e.cast(nw.String),
    "email": normalise_email,
    "handle": normalise_handle,
}


def _customer_keys(customers: Frame, key: str) -> Frame:
    """Customers by normalised key, with the number of customers sharing it.

    The id is only used where exactly one customer has the key, so any of them will do
    (``any_value`` is much cheaper than ``min`` on a million text ids)."""
    norm = _NORMALISERS[key](nw.col(key))
    ident = nw.col(f"{_MATCH}_{key}")
    # SQL warehouses (Ibis on PostgreSQL) have no any_value that keeps nulls: min() there
    pick = ident.min() if is_sql(customers) else ident.any_value()
    return (
        customers.select(nw.col("customer_id").alias(f"{_MATCH}_{key}"), norm.alias(f"{_ID}_{key}"))
        .filter(~nw.col(f"{_ID}_{key}").is_null())
        .group_by(f"{_ID}_{key}")
        .agg(pick, nw.len().alias(f"_rk_n_{key}"))
    )


def match_audience(
    customers: Any,
    audience: Any,
    *,
    on: Sequence[MatchKey] = _KEYS,
    max_listed: int = 1000,
) -> MatchedAudience:
    """Match social audience rows to customers by id, normalised email, or handle.

    Parameters
    ----------
    customers
        Customer table (``customer_id`` plus optional ``email`` and ``handle``), any engine.
    audience
        Social audience table with at least one of ``customer_id``, ``email``, ``handle``; same
        engine as ``customers``.
    on
        Keys to try, in order of preference. Keys missing from either table are skipped.
    max_listed
        How many unmatched rows to keep in the report (all are counted).

    Returns
    -------
    MatchedAudience
        The matched rows (in the caller's engine) and a :class:`MatchReport`.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": [1, 2], "email": ["a@x", "b@x"]})
    >>> a = pd.DataFrame({"email": ["A@X", "zz@x"], "platform": ["x", "x"]})
    >>> m = match_audience(c, a)
    >>> m.report.unmatched, m.report.unmatched_rows["email"].tolist()
    (1, ['zz@x'])
    """
    return match_with_positions(customers, audience, on=on, max_listed=max_listed)[0]


def match_with_positions(customers: Any, audience: Any, *, on: Sequence[MatchKey] = _KEYS,
                         max_listed: int = 1000,
                         ids_unique: bool = False, id_positions: np.ndarray | None = None,
                         ) -> tuple[MatchedAudience, np.ndarray | None]:
    """:func:`match_audience`, plus the customer row position of every matched row when the
    match ran on arrays (pandas with Arrow text keys), so callers need not look the ids up again.
    ``ids_unique``: the caller has checked that no two customers share an id; then
    ``id_positions`` may give each audience row's ``customer_id`` position among the customers
    (-1: none), already looked up, for the match on arrays to use instead of a lookup of its own."""
    bad = [k for k in on if k not in _KEYS]
    if bad or not on:
        raise ConfigError(
            f"on={tuple(on)!r} is not a list of match keys.",
            hint="use some of 'customer_id', 'email', 'handle', in order of preference.",
        )
    cust = as_frame(customers, name="customers")
    aud = as_frame(audience, name="social_audience")
    require_columns(cust, ["customer_id"], name="customers")
    ccols, acols = column_names(cust), column_names(aud)
    keys = tuple(k for k in on if k in ccols and k in acols)
    if not keys:
        raise InputError(
            f"The social audience and the customers share none of the match keys {tuple(on)}. "
            f"Audience columns: {', '.join(acols) or '(none)'}; customer columns: {', '.join(ccols)}.",
            hint="add customer_id, email or handle to both tables (rename with columns={...}).",
        )
    keep = [c for c in ("platform", "followed_at", "engagements", "last_engaged_at") if c in acols]
    native_c, native_a = nw.to_native(cust), nw.to_native(aud)
    if supports_fast_match(native_c, native_a, keys):
        return matched_on_arrays(native_c, native_a, keys, keep, max_listed=max_listed, ids_unique=ids_unique,
                                 id_positions=id_positions if ids_unique else None)
    work = aud.with_columns(*[_NORMALISERS[k](nw.col(k)).alias(f"{_ID}_{k}") for k in keys])
    for key in keys:
        work = work.join(_customer_keys(cust, key), on=f"{_ID}_{key}", how="left")  # type: ignore[arg-type]
    unique = {k: nw.col(f"_rk_n_{k}") == 1 for k in keys}
    matched_id = nw.coalesce(*[nw.when(unique[k]).then(nw.col(f"{_MATCH}_{k}")) for k in keys])
    method: Any = nw
    for k in keys:
        method = method.when(unique[k]).then(nw.lit(k))
    ambiguous = nw.lit(False)
    for k in keys:
        ambiguous = ambiguous | (nw.col(f"_rk_n_{k}").fill_null(0) > 1)
    work = work.with_columns(
        matched_id.alias(_MATCH), method.otherwise(nw.lit(None, nw.String)).alias(_METHOD),
        nw.when(ambiguous).then(nw.lit(1, nw.Int64)).otherwise(nw.lit(0, nw.Int64))
        .alias("_rk_ambiguous"),
    )
    # grouped on a non-null key: SQL warehouses (Ibis on PostgreSQL) cannot group null keys
    counts = to_pandas(
        work.group_by(nw.col(_METHOD).fill_null("").alias(_METHOD))
        .agg(nw.len().alias("n"), nw.col("_rk_ambiguous").sum().alias("amb"))
    )
    counts[_METHOD] = counts[_METHOD].astype("object").where(counts[_METHOD] != "", None)
    by_method = {str(m): int(n) for m, n in zip(counts[_METHOD], counts["n"]) if pd.notna(m)}
    missing = counts[counts[_METHOD].isna()]
    unmatched = int(missing["n"].sum())
    unmatched_rows = to_pandas(work.filter(nw.col(_METHOD).is_null()).select(acols).head(max_listed))
    frame = work.filter(~nw.col(_METHOD).is_null()).select(
        nw.col(_MATCH).alias("customer_id"), nw.col(_METHOD), *[nw.col(c) for c in keep]
    )
    stats = to_pandas(cust.select(nw.len().alias("n")))
    ids = nw.col("customer_id")
    n_matched_customers = to_pandas(  # SQL: n_unique() casts a boolean to smallint, refused there
        frame.select(ids).unique().select(nw.len().alias("n")) if is_sql(frame)
        else frame.select(ids.n_unique().alias("n")))
    report = MatchReport(
        rows=int(counts["n"].sum()),
        matched=by_method,
        unmatched=unmatched,
        ambiguous=int(missing["amb"].sum()),
        unmatched_rows=unmatched_rows,
        customers=int(stats["n"].iloc[0]),
        customers_matched=int(n_matched_customers["n"].iloc[0]),
        keys=keys,
    )
    return MatchedAudience(frame=frame, report=report, columns=tuple(["customer_id", *keep])), None
