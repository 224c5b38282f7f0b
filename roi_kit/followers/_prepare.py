"""Reading the data once into the one :class:`~roi_kit.followers._population.Population`.

The engine (pandas, polars, DuckDB, Spark) turns dates into seconds and applies the
end-of-observation rule; a few numeric columns per customer come back.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"customer_id": ["a"], "acquired_at": pd.to_datetime(["2024-01-01"])})
>>> prepare_population(c).censoring_note
'Censoring: there is no observed_until column, so they count as observed until the latest date in the data (2024-01-01).'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.errors import EmptyDataError, InputError
from roi_kit.followers._arrays import audience_arrays, deal_arrays
from roi_kit.followers._design import build_design
from roi_kit.followers._population import SECONDS, Population
from roi_kit.followers._seconds import with_seconds

__all__ = ["prepare_population"]


def _end_rule(meta: pd.Series, has_obs: bool, as_of: Any) -> tuple[float, str | None]:
    """The fallback end of observation (seconds) and the note saying who got it."""
    n = int(meta["n"])
    missing = n if not has_obs else int(meta["missing_obs"])
    if as_of is not None:
        ts = pd.Timestamp(as_of)
        ts = ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo is not None else ts
        fallback, source = ts.value / 1e9, f"as_of={ts.date()}"
    else:
        latest = [meta[k] for k in ("acq", "churn", "obs") if k in meta and pd.notna(meta[k])]
        fallback = float(max(latest)) if latest else float("nan")
        source = f"the latest date in the data ({pd.Timestamp(fallback, unit='s').date()})"
    if not missing:
        return fallback, None
    what = ("there is no observed_until column" if not has_obs
            else f"{missing:,} customers have no observed_until")
    return fallback, f"Censoring: {what}, so they count as observed until {source}."


def prepare_population(
    customers: Any,
    deals: Any | None = None,
    *,
    audience: Any | None = None,
    covariates: Sequence[str] = (),
    columns: Sequence[str] = (),
    as_of: Any = None,
    new_kinds: Sequence[str] = ("new",),
    upsell_kinds: Sequence[str] = ("upsell",),
) -> Population:
    """Read customers (and deals, audience) once into the one follower :class:`Population`.

    Parameters
    ----------
    customers
        ``customer_id, acquired_at``; ``churned_at``, ``observed_until``, ``mrr`` and the
        covariates when available. Any engine narwhals supports.
    deals
        ``customer_id, created_at, amount, status``; ``closed_at`` and ``kind``. None: no deals.
    audience
        Social audience, or a matched one (``Segments.matched``), for follower definitions.
    covariates
        Customer columns of the propensity model.
    columns
        Other customer columns to keep (group columns for ``by="column"``, weights).
    as_of
        End of observation for customers without ``observed_until``; default: the latest date
        in the customer table.
    new_kinds, upsell_kinds
        Deal kinds counted as new business and as upsell.

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> pop = rk.prepare_population(s.customers, s.deals, audience=s.social_audience)
    >>> pop.compare(rk.FollowerDefinition(platforms=("linkedin",)), n_boot=100).to_frame()[
    ...     "comparison"].unique().tolist()
    ['retention', 'upsell', 'deal size', 'time to close']
    """
    cust = as_frame(customers, name="customers")
    extra = [c for c in dict.fromkeys([*covariates, *columns])]
    require_columns(cust, ["customer_id", "acquired_at", *extra], name="customers")
    cols = column_names(cust)
    dates: list[str] = [c for c in ("acquired_at", "churned_at", "observed_until") if c in cols]
    f = with_seconds(cust, dates)
    meta_exprs = [nw.len().alias("n"), nw.col("_s_acquired_at").max().alias("acq")]
    if "churned_at" in cols:
        meta_exprs.append(nw.col("_s_churned_at").max().alias("churn"))
    if "observed_until" in cols:
        meta_exprs += [nw.col("_s_observed_until").max().alias("obs"),
                       nw.col("observed_until").null_count().alias("missing_obs")]
    meta = to_pandas(f.select(*meta_exprs)).iloc[0]
    if int(meta["n"]) == 0:
        raise EmptyDataError("customers has no rows.", hint="check the file or the filters before it.")
    fallback, note = _end_rule(meta, "observed_until" in cols, as_of)
    end = nw.lit(fallback, nw.Float64())
    if "observed_until" in cols:
        end = nw.coalesce(nw.col("_s_observed_until"), end)
    keep = [c for c in extra if c != "mrr"] + (["mrr"] if "mrr" in cols else [])
    pdf = to_pandas(f.select(
        nw.col("customer_id"), nw.col("_s_acquired_at").alias("_acq"),
        (nw.col("_s_churned_at") if "churned_at" in cols else nw.lit(None, nw.Float64())).alias("_churn"),
        end.alias("_end"), *[nw.col(c) for c in keep]))
    ids = pd.Index(pdf["customer_id"])
    if ids.has_duplicates:
        dup = ids[ids.duplicated()][0]
        raise InputError(f"customers has duplicate customer_id values (e.g. {dup!r}).",
                         hint="keep one row per customer (drop or merge the duplicates).")

    def days(col: str) -> np.ndarray:
        return pdf[col].to_numpy(dtype=float, na_value=np.nan) / SECONDS

    acq, churn, end_days = days("_acq"), days("_churn"), days("_end")
    aud = audience_arrays(cust, audience, ids) if audience is not None else None
    new = ups = None
    if deals is not None:
        new, ups = deal_arrays(deals, ids, acq, end_days, new_kinds=new_kinds, upsell_kinds=upsell_kinds)
    return Population(
        ids=ids, acquired=acq, end=end_days, churned=churn,
        mrr=pdf["mrr"].to_numpy(dtype=float, na_value=np.nan) if "mrr" in pdf else None,
        design=build_design(pdf, covariates), covariates=tuple(covariates),
        columns={c: pdf[c] for c in columns}, audience=aud, upsells=ups, new_deals=new,
        upsell_kinds=tuple(upsell_kinds), censoring_note=note)
