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
from roi_kit.epoch import pandas_seconds, with_seconds
from roi_kit.errors import ConfigError, EmptyDataError, InputError
from roi_kit.followers._arrays import (
    audience_arrays,
    audience_ids,
    deals_on_customers,
    find_ids,
    id_type,
)
from roi_kit.followers._deal_rows import deal_rows
from roi_kit.followers._design import build_design
from roi_kit.followers._landmark import UNIT_DAYS, TimeUnit
from roi_kit.followers._population import SECONDS, Population

__all__ = ["prepare_population"]


def _from_durations(customers: Any, duration: str, event: str, time_unit: TimeUnit,
                    covariates: Sequence[str], columns: Sequence[str]) -> Population:
    """Durations and churn flags → the population (everyone starts at 0; churned customers end
    in an event, the others are censored at their duration)."""
    cust = as_frame(customers, name="customers")
    extra = list(dict.fromkeys([*covariates, *columns]))
    require_columns(cust, ["customer_id", duration, event, *extra], name="customers")
    mrr = ["mrr"] if "mrr" in column_names(cust) and "mrr" not in extra else []
    pdf = to_pandas(cust.select(*[nw.col(c) for c in dict.fromkeys(["customer_id", duration, event, *extra, *mrr])]))
    ids = pd.Index(pdf["customer_id"])
    if ids.has_duplicates:
        raise InputError(f"customers has duplicate customer_id values (e.g. {ids[ids.duplicated()][0]!r}).",
                         hint="keep one row per customer (drop or merge the duplicates).")
    length = pd.to_numeric(pdf[duration], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = int((~np.isfinite(length) | (length < 0)).sum())
    if bad:
        raise InputError(f"customers column {duration!r} has {bad:,} values that are not durations >= 0.",
                         hint=f"fill or drop them; {duration!r} is each customer's time as a customer, in {time_unit}.")
    flag = pdf[event]
    values = set(pd.unique(flag.dropna()).tolist())
    if flag.isna().any() or not values <= {True, False}:
        raise InputError(f"customers column {event!r} must hold True/False or 0/1 (churned or not); "
                         f"found {sorted(map(repr, values))[:10]}.",
                         hint=f"e.g. customers[{event!r}] = customers['status'] == 'churned'.")
    churned = flag.to_numpy(dtype=float) == 1
    end = length * UNIT_DAYS[time_unit]
    return Population(
        ids=ids, acquired=np.zeros(len(pdf)), end=end, churned=np.where(churned, end, np.nan),
        mrr=pdf["mrr"].to_numpy(dtype=float, na_value=np.nan) if "mrr" in pdf else None,
        design=build_design(pdf, covariates), covariates=tuple(covariates),
        columns={c: pdf[c] for c in columns}, time_unit=time_unit, durations=True)


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


def _seconds_in_engine(cust: Any, cols: Sequence[str], keep: list[str],
                       as_of: Any) -> tuple[pd.DataFrame, tuple[np.ndarray, ...], str | None]:
    """Dates → seconds and the end-of-observation rule inside the caller's engine: the customer
    columns to keep, seconds of acquisition / churn / end, and the censoring note."""
    dates = [c for c in ("acquired_at", "churned_at", "observed_until") if c in cols]
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
    pdf = to_pandas(f.select(
        nw.col("customer_id"), nw.col("_s_acquired_at").alias("_acq"),
        (nw.col("_s_churned_at") if "churned_at" in cols else nw.lit(None, nw.Float64())).alias("_churn"),
        end.alias("_end"), *[nw.col(c) for c in keep]))
    seconds = tuple(pdf[c].to_numpy(dtype=float, na_value=np.nan) for c in ("_acq", "_churn", "_end"))
    return pdf, seconds, note


def _seconds_from_ticks(cust: Any, fast: dict[str, np.ndarray], keep: list[str],
                        as_of: Any) -> tuple[pd.DataFrame, tuple[np.ndarray, ...], str | None]:
    """:func:`_seconds_in_engine` for a pandas frame whose dates are datetime64: the same rule on
    the seconds :func:`~roi_kit.epoch.pandas_seconds` read from the ticks (no frame round trip)."""
    native = nw.to_native(cust)
    n = len(native)
    if n == 0:
        raise EmptyDataError("customers has no rows.", hint="check the file or the filters before it.")

    def latest(x: np.ndarray) -> float:
        return float(np.fmax.reduce(x))  # NaN only when every value is

    acq, obs = fast["acquired_at"], fast.get("observed_until")
    churn = fast["churned_at"] if "churned_at" in fast else np.full(n, np.nan)
    meta = {"n": n, "acq": latest(acq)}
    if "churned_at" in fast:
        meta["churn"] = latest(churn)
    no_obs = None if obs is None else np.isnan(obs)
    if obs is not None and no_obs is not None:
        meta |= {"obs": latest(obs), "missing_obs": int(np.count_nonzero(no_obs))}
    fallback, note = _end_rule(pd.Series(meta), obs is not None, as_of)
    if obs is None or no_obs is None:
        end = np.full(n, fallback)
    else:
        end = np.where(no_obs, fallback, obs) if meta["missing_obs"] else obs
    pdf = native[list(dict.fromkeys(["customer_id", *keep]))].reset_index(drop=True)
    return pdf, (acq, churn, end), note


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
    duration: str | None = None,
    event: str | None = None,
    time_unit: TimeUnit = "days",
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
    duration, event, time_unit
        Durations without dates: a column with each customer's time as a customer (tenure,
        ``>= 0``) and a bool / 0-1 column saying whether that time ended in churn; ``time_unit``
        (``"days"``, ``"weeks"``, ``"months"``) is the unit of ``duration`` and of the grid,
        landmark and horizons. Follower definitions and deals need dates, so they are not
        available then; group by a column.

    Examples
    --------
    >>> import roi_kit as rk
    >>> s = rk.datasets.generate(seed=1, n_customers=300)
    >>> pop = rk.prepare_population(s.customers, s.deals, audience=s.social_audience)
    >>> pop.compare(rk.FollowerDefinition(platforms=("linkedin",)), n_boot=100).to_frame()[
    ...     "comparison"].unique().tolist()
    ['retention', 'upsell', 'deal size', 'time to close']
    """
    if time_unit not in UNIT_DAYS:
        raise ConfigError(f"time_unit={time_unit!r} is not a time unit.",
                          hint="use time_unit='days', 'weeks' or 'months'.")
    if duration is not None or event is not None:
        if duration is None or event is None:
            raise ConfigError("durations without dates need both duration= and event=.",
                              hint="e.g. duration='tenure_months', event='churned', time_unit='months'.")
        if deals is not None or audience is not None:
            raise ConfigError("deals and follower definitions need dates; with duration= only "
                              "customer columns can form the groups.",
                              hint="drop deals/audience, or pass acquired_at / churned_at dates instead.")
        return _from_durations(customers, duration, event, time_unit, covariates, columns)
    if time_unit != "days":
        raise ConfigError(f"time_unit={time_unit!r} applies to durations (duration=, event=); "
                          "dates are counted in days.", hint="drop time_unit, or pass duration= and event=.")
    cust = as_frame(customers, name="customers")
    extra = [c for c in dict.fromkeys([*covariates, *columns])]
    require_columns(cust, ["customer_id", "acquired_at", *extra], name="customers")
    cols = column_names(cust)
    dates: list[str] = [c for c in ("acquired_at", "churned_at", "observed_until") if c in cols]
    keep = [c for c in extra if c != "mrr"] + (["mrr"] if "mrr" in cols else [])
    fast = pandas_seconds(cust, dates)
    pdf, seconds, note = (_seconds_in_engine(cust, cols, keep, as_of) if fast is None
                          else _seconds_from_ticks(cust, fast, keep, as_of))
    ids = pd.Index(pdf["customer_id"])
    rows = None if deals is None else deal_rows(deals, new_kinds, upsell_kinds, id_type=id_type(ids))
    # one hash of the ids: the duplicate check, the deals' customers and the audience's ids
    look = find_ids(ids, None if rows is None else rows.ids,
                    None if audience is None else audience_ids(audience, ids))
    if look.duplicated:
        dup = ids[ids.duplicated()][0]
        raise InputError(f"customers has duplicate customer_id values (e.g. {dup!r}).",
                         hint="keep one row per customer (drop or merge the duplicates).")
    deal_pos, aud_pos = look.found
    acq, churn, end_days = (x / SECONDS for x in seconds)
    aud = audience_arrays(cust, audience, ids, id_positions=aud_pos) if audience is not None else None
    new = ups = None
    if rows is not None and deal_pos is not None:
        new, ups = deals_on_customers(rows, deal_pos, acq, end_days)
    return Population(
        ids=ids, acquired=acq, end=end_days, churned=churn,
        mrr=pdf["mrr"].to_numpy(dtype=float, na_value=np.nan) if "mrr" in pdf else None,
        design=build_design(pdf, covariates), covariates=tuple(covariates),
        columns={c: pdf[c] for c in columns}, audience=aud, upsells=ups, new_deals=new,
        upsell_kinds=tuple(upsell_kinds), censoring_note=note)
