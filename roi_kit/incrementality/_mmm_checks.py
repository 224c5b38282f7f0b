"""Checks of a ``media_weekly`` table before a marketing-mix model is fitted to it.

Every problem names the column (channel) and the week and ends with a ``Hint:``: too few weeks
for the number of channels (the span and the channels named), a channel, control or outcome that
never changes, gaps or repeats in the weeks, negative, missing or infinite values. Nothing is fitted silently on data that cannot support it.

Examples
--------
>>> import pandas as pd
>>> w = pd.DataFrame({"week": pd.date_range("2024-01-01", periods=30, freq="W-MON"),
...                   "revenue": range(30), "search": [1.0, 2.0] * 15})
>>> d = media_data(w, channels=("search",))
>>> d.x.shape, d.names
((30, 1), ('search',))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import ConfigError, EmptyDataError, InputError

__all__ = ["MediaData", "media_data", "min_weeks"]


@dataclass(frozen=True)
class MediaData:
    """The checked weekly table as arrays (weeks sorted)."""

    weeks: pd.DatetimeIndex
    y: np.ndarray
    x: np.ndarray  # (weeks, channels): paid spend first, then organic activity
    names: tuple[str, ...]
    organic: tuple[str, ...]
    controls: np.ndarray | None
    control_names: tuple[str, ...]


def min_weeks(n_channels: int, n_base: int) -> int:
    """Fewest weeks accepted: three weeks per parameter (3 per channel, plus the baseline).

    Examples
    --------
    >>> min_weeks(7, 8)
    87
    """
    return 3 * (3 * n_channels + n_base)


def media_data(weekly: Any, *, channels: Sequence[str], organic: Sequence[str] = (),
               controls: Sequence[str] = (), outcome: str = "revenue",
               week: str = "week") -> MediaData:
    """Check the weekly table and return it as arrays; raises an error naming channel and week."""
    if isinstance(channels, str) or isinstance(organic, str) or isinstance(controls, str):
        raise ConfigError("channels, organic and controls take lists of column names, not one "
                          "string.", hint="write channels=['search'] rather than channels='search'.")
    names = tuple(channels) + tuple(organic)
    if not names:
        raise ConfigError("fit_mmm needs at least one channel (channels= or organic=).",
                          hint="pass channels=[...] with the weekly spend columns.")
    if len(set(names)) < len(names):
        raise ConfigError(f"a column is listed twice among channels/organic: {', '.join(names)}.",
                          hint="list each channel column once.")
    frame = as_frame(weekly, name="weekly")
    require_columns(frame, [week, outcome, *names, *controls], name="the weekly media table")
    df = to_pandas(frame)[[week, outcome, *names, *controls]].copy()
    if df.empty:
        raise EmptyDataError("the weekly media table has no rows.",
                             hint="pass one row per week with outcome and spend columns.")
    weeks = pd.DatetimeIndex(pd.to_datetime(df[week], errors="coerce"))
    if weeks.isna().any():
        bad = df[week][weeks.isna()].iloc[0]
        raise InputError(f"column {week!r} has a value that is not a date: {bad!r}.",
                         hint="give each week as a date (the Monday of the week, say).")
    df = df.assign(**{week: weeks.tz_localize(None) if weeks.tz is not None else weeks})
    df = df.sort_values(week).reset_index(drop=True)
    _check_weeks(df[week])
    for col in (outcome, *names, *controls):
        _check_values(df, col, week, allow_negative=col in (outcome, *controls))
    for col in (outcome, *names, *controls):
        values = df[col].to_numpy(float)
        if np.ptp(values) == 0 and col == outcome:
            raise InputError(
                f"the outcome {col!r} is {values[0]:,.2f} in every week "
                f"({df[week].iloc[0]:%Y-%m-%d} to {df[week].iloc[-1]:%Y-%m-%d}): there is no "
                "variation for the channels to explain.",
                hint="check that outcome= names the weekly revenue (or conversions) column.")
        if np.ptp(values) == 0 and col in controls:
            raise InputError(
                f"control {col!r} is {values[0]:,.2f} in every week ({df[week].iloc[0]:%Y-%m-%d} "
                f"to {df[week].iloc[-1]:%Y-%m-%d}): it cannot explain any week's change.",
                hint=f"drop {col!r} from controls=.")
        if np.ptp(values) == 0:
            raise InputError(
                f"channel {col!r} is {values[0]:,.2f} in every week ({df[week].iloc[0]:%Y-%m-%d} to "
                f"{df[week].iloc[-1]:%Y-%m-%d}): a mix model learns a channel's effect from weeks "
                "when it changed, so it cannot say anything about this one.",
                hint=f"drop {col!r} from channels= (or add weeks in which its spend varied).")
    n_base = 2 + (4 if len(df) >= 52 else 0) + len(controls)
    need = min_weeks(len(names), n_base)
    if len(df) < need:
        raise InputError(
            f"the weekly table has {len(df)} weeks ({df[week].iloc[0]:%Y-%m-%d} to "
            f"{df[week].iloc[-1]:%Y-%m-%d}), too few for {len(names)} channels "
            f"({', '.join(names)}): the model estimates 3 parameters per channel plus {n_base} for "
            f"the baseline and needs at least {need} weeks (3 per parameter).",
            hint="add weeks, or fit fewer channels (merge small ones into one column).")
    ctrl = df[list(controls)].to_numpy(float) if controls else None
    return MediaData(weeks=pd.DatetimeIndex(df[week]), y=df[outcome].to_numpy(float),
                     x=df[list(names)].to_numpy(float), names=names, organic=tuple(organic),
                     controls=ctrl, control_names=tuple(controls))


def _check_weeks(weeks: pd.Series) -> None:
    gaps = weeks.diff().dt.days.to_numpy()[1:]
    for i, days in enumerate(gaps):
        if days == 0:
            raise InputError(f"week {weeks.iloc[i + 1]:%Y-%m-%d} appears twice in the weekly table.",
                             hint="sum the rows of each week into one before fitting.")
        if days != 7:
            raise InputError(
                f"the weeks are not consecutive: after {weeks.iloc[i]:%Y-%m-%d} the next week is "
                f"{weeks.iloc[i + 1]:%Y-%m-%d} ({days:.0f} days later, not 7).",
                hint="add the missing weeks (with zero spend if nothing was spent) or start the "
                     "table after the gap; week dates must all fall on the same weekday.")


def _check_values(df: pd.DataFrame, col: str, week: str, *, allow_negative: bool) -> None:
    values = pd.to_numeric(df[col], errors="coerce")
    missing = values.isna() | ~np.isfinite(values.fillna(0.0))
    if missing.any():
        i = int(np.flatnonzero(missing.to_numpy())[0])
        raw = df[col].iloc[i]
        shown = repr(raw) if isinstance(raw, str) else str(raw)
        raise InputError(
            f"column {col!r} has no number in week {df[week].iloc[i]:%Y-%m-%d} "
            f"(value {shown}; {int(missing.sum())} such weeks).",
            hint="fill the week with 0 if nothing was spent, or with the real figure.")
    negative = values < 0
    if not allow_negative and negative.any():
        i = int(np.flatnonzero(negative.to_numpy())[0])
        raise InputError(
            f"channel {col!r} has negative spend in week {df[week].iloc[i]:%Y-%m-%d} "
            f"({values.iloc[i]:,.2f}; {int(negative.sum())} negative weeks).",
            hint="spend cannot be negative: move refunds and credits to the week they offset, "
                 "or set the week to 0.")
    df[col] = values.astype(float)
