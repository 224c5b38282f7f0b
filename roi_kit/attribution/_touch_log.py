"""A touchpoint log read into engine expressions: the element label, the conversion flag, the value.

Both routes from a log start here: :func:`~roi_kit.attribution.paths.build_paths` (the path table
every model reads) and the Markov route straight to transition counts
(:mod:`~roi_kit.attribution._markov_log`). So the checks, the channel grouping, the tagging report
and the notes are written once.

Examples
--------
>>> import pandas as pd
>>> log = prepare_log(pd.DataFrame({"user_id": [1], "timestamp": [1], "channel": ["Email"],
...                                 "converted": [True]}), channel="channel", lookback_days=7)
>>> log.notes
('Touches more than 7 days before the end of their path were dropped.',)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pandas as pd

from roi_kit.attribution._paths_table import CAMPAIGN_SEP
from roi_kit.attribution.channels import ChannelRule, channel_expr
from roi_kit.attribution.encoding import flag
from roi_kit.attribution.utm import _tagging_report, _utm_exprs
from roi_kit.engine import as_frame, column_names, require_columns
from roi_kit.errors import EmptyDataError, InputError, MissingColumnError

__all__ = ["PreparedLog", "no_rows_error", "prepare_log"]


@dataclass(frozen=True, eq=False)
class PreparedLog:
    """A touchpoint log ready for path building: the (narwhals) frame, expressions for each
    touch's element ``label``, 0/1 ``conv`` and ``val``, the notes and the tagging report."""

    frame: Any
    label: nw.Expr
    conv: nw.Expr
    val: nw.Expr
    notes: tuple[str, ...]
    report: pd.DataFrame | None


def no_rows_error() -> EmptyDataError:
    """The error for a log without a single labelled row."""
    return EmptyDataError("touchpoints has no rows with a user and a timestamp.",
                          hint="check the user and timestamp columns.")


def _pandas_on_polars(frame: Any) -> Any:
    """A pandas log, as a polars frame (the same values; polars is a core dependency).

    The UTM parsing, channel rules and tagging report are a few hundred string expressions; on
    pandas each one is a separate pass over object arrays, on polars one query. On the saas sample's
    1,474 touches ``build_paths`` took 2.5-2.7 CPU s from pandas and 0.5-0.7 s from polars (issue 13:
    every app and report attributes its sample's log several times). A frame polars cannot read as
    it is (e.g. an object column mixing numbers and text) stays on pandas.
    """
    native = nw.to_native(frame)
    if not isinstance(native, pd.DataFrame):
        return frame
    import polars as pl
    import pyarrow as pa

    try:
        return nw.from_native(pl.from_pandas(native), eager_only=True)
    except (pl.exceptions.PolarsError, pa.ArrowException, TypeError, ValueError):
        return frame


def prepare_log(
    touchpoints: Any,
    *,
    user: str = "user_id",
    timestamp: str = "timestamp",
    converted: str = "converted",
    value: str = "conversion_value",
    channel: str | None = None,
    level: str = "channel",
    lookback_days: float | None = None,
    rules: Sequence[ChannelRule] | None = None,
    url: str | None = "url",
    report: bool = True,
) -> PreparedLog:
    """Check a touchpoint log and express its labels, flags and values (options as
    :func:`~roi_kit.attribution.paths.build_paths`)."""
    frame = _pandas_on_polars(as_frame(touchpoints, name="touchpoints"))
    require_columns(frame, [user, timestamp, converted], name="touchpoints")
    cols = column_names(frame)
    notes: list[str] = []
    rep: pd.DataFrame | None = None
    if channel is None:
        if not ({"source", "medium"} & set(cols) or (url is not None and url in cols)):
            raise MissingColumnError(
                f"touchpoints has no channel information. Columns found: {', '.join(cols)}.",
                hint="give source and medium columns, a landing url with UTM tags, or "
                "channel='<column with channel names>'.",
            )
        utm = _utm_exprs(cols, url=url)
        # materialise the normalised tags once; every channel rule then reads plain columns
        frame = frame.with_columns(utm["source"].alias("_src"), utm["medium"].alias("_med"),
                                   utm["campaign"].alias("_cmp"))
        ch = channel_expr(nw.col("_src"), nw.col("_med"), nw.col("_cmp"), rules=rules)
        camp = nw.col("_cmp")
        if report:
            rep = _tagging_report(frame, url, {"source": nw.col("_src"), "medium": nw.col("_med")})
            untagged = rep["raw_source"].isna() & rep["raw_medium"].isna()
            fixed, inferred = rep[~untagged], rep[untagged]
            if len(fixed):
                notes.append(f"{int(fixed['rows'].sum()):,} touches had source/medium tags that were "
                             f"normalised ({len(fixed)} distinct raw values); see .report.")
            if len(inferred):
                notes.append(f"{int(inferred['rows'].sum()):,} untagged touches were read from a "
                             "click ID or a social referrer, as GA4 does; see .report.")
    else:
        require_columns(frame, [channel], name="touchpoints")
        ch = nw.col(channel).cast(nw.String).fill_null("Unassigned")
        camp = nw.col("campaign").cast(nw.String) if "campaign" in cols else nw.lit(None, nw.String)
    conv = flag(frame, converted)
    val = nw.col(value).cast(nw.Float64).fill_null(0.0) if value in cols else nw.lit(0.0)
    if level == "campaign":
        label = nw.concat_str([ch, nw.lit(CAMPAIGN_SEP), camp.fill_null("(not set)")])
    elif level == "channel":
        label = ch
    else:
        raise InputError(f"level={level!r} is not a path level.", hint="use 'channel' or 'campaign'.")
    if lookback_days is not None:
        if lookback_days < 0 or not math.isfinite(lookback_days):
            raise InputError(f"lookback_days={lookback_days!r} must be a non-negative number.",
                             hint="use e.g. lookback_days=30, or None for no window.")
        notes.append(f"Touches more than {lookback_days:g} days before the end of their path were dropped.")
    return PreparedLog(frame, label, conv, val, tuple(notes), rep)
