"""Revenue credited to social, split by platform, campaign or period, for the ROI calculator.

The ROI calculator has one figure for the revenue social brought in (attribution, the value of
followers, or typed in). To show ROI per platform, campaign or period with the same seed formula
(:func:`roi_kit.roi_by`), that figure is split into groups — never inflated or shrunk:

* **platform** — the same attribution model is run once more with each social network's touches
  as a channel of their own (``source`` after alias normalisation: ``lnkd.in`` → ``linkedin``,
  ``t.co`` → ``x``); the social total is shared out by those credits. Social touches with no known
  network (e.g. ``medium=social`` from an unknown source) form ``(other social)``.
* **campaign** — attribution at ``level="campaign"``; the social total is shared out by the credit
  of each campaign within the Organic Social and Paid Social channel groups.
* **period** — the social total is shared out by the conversion value booked in each period
  (the attribution's social share assumed constant over time). Without touchpoints, the total is
  spread evenly over the days of the chosen dates.

Examples
--------
>>> shares = share_out(100.0, pd.Series({"linkedin": 3.0, "x": 1.0}))
>>> shares
{'linkedin': 75.0, 'x': 25.0}
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pandas as pd

__all__ = ["METHOD", "OTHER_SOCIAL", "campaign_credit", "period_revenue", "platform_credit",
           "share_out"]

Breakdown = Literal["platform", "campaign", "period"]

OTHER_SOCIAL = "(other social)"
"""Group of social touches whose network is not known."""

_PREFIX = "social: "

METHOD: dict[str, str] = {
    "platform": ("Revenue per platform: the social revenue above, shared out by a second run of "
                 "the same attribution model in which every social network's touches are a "
                 "channel of their own."),
    "campaign": ("Revenue per campaign: the social revenue above, shared out by the credit each "
                 "campaign earns within Organic and Paid Social (attribution per campaign)."),
    "period": ("Revenue per period: the social revenue above, shared out by the conversion value "
               "booked in each period (social's share of value taken as constant over time)."),
}
"""One line per breakdown, shown in the app, saying where each group's revenue comes from."""


def share_out(total: float, weights: pd.Series) -> dict[str, float]:
    """Split ``total`` over the index of ``weights`` in proportion to their positive values.

    Negative credits (possible in some models) count as zero. Returns an empty dict when there
    is no positive weight.

    Examples
    --------
    >>> share_out(10.0, pd.Series({"a": 1.0, "b": -1.0, "c": 1.0}))
    {'a': 5.0, 'b': 0.0, 'c': 5.0}
    """
    positive = weights.astype(float).clip(lower=0.0)
    denominator = float(positive.sum())
    if denominator <= 0:
        return {}
    return {str(k): float(total) * float(v) / denominator for k, v in positive.items()}


def platform_credit(touchpoints: Any, *, model: str = "markov") -> pd.Series:
    """Conversion value credited to each social network (index: platform name).

    Examples
    --------
    >>> tp = pd.DataFrame({"user_id": ["u1", "u1", "u2"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
    ...     "source": ["lnkd.in", "google", "fb"], "medium": ["referral", "organic", "social"],
    ...     "converted": [False, True, True], "conversion_value": [0.0, 100.0, 50.0]})
    >>> platform_credit(tp, model="linear").to_dict()
    {'facebook': 50.0, 'linkedin': 50.0}
    """
    from roi_kit.attribution import attribute
    from roi_kit.attribution.channels import DEFAULT_CHANNEL_RULES, SOCIAL_SOURCES, ChannelRule
    from roi_kit.attribution.result import SOCIAL_CHANNELS

    rules = tuple(ChannelRule(_PREFIX + p, source_in=(p,)) for p in SOCIAL_SOURCES
                  if p != "social")
    table = attribute(touchpoints, model=model, rules=(*rules, *DEFAULT_CHANNEL_RULES)).to_frame()
    channel = table["channel"].astype(str)
    is_platform = channel.str.startswith(_PREFIX)
    names = channel.where(~is_platform, channel.str.slice(len(_PREFIX)))
    keep = is_platform | channel.isin(list(SOCIAL_CHANNELS))
    names = names.where(is_platform, OTHER_SOCIAL)
    return table.loc[keep, "value"].groupby(names[keep]).sum().sort_index()


def campaign_credit(touchpoints: Any, *, model: str = "markov") -> pd.Series:
    """Conversion value credited to each campaign within the social channel groups.

    Examples
    --------
    >>> tp = pd.DataFrame({"user_id": ["u1", "u2"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03"]),
    ...     "source": ["linkedin", "x"], "medium": ["social", "social"],
    ...     "campaign": ["launch", None],
    ...     "converted": [True, True], "conversion_value": [80.0, 20.0]})
    >>> campaign_credit(tp, model="last").to_dict()
    {'(not set)': 20.0, 'launch': 80.0}
    """
    from roi_kit.attribution import attribute
    from roi_kit.attribution.result import SOCIAL_CHANNELS

    table = attribute(touchpoints, model=model, level="campaign").to_frame()
    social = table[table["channel"].isin(list(SOCIAL_CHANNELS))]
    names = social["campaign"].astype(object).where(social["campaign"].notna(), "(not set)")
    return social["value"].groupby(names.astype(str)).sum().sort_index()


def period_revenue(total: float, touchpoints: pd.DataFrame | None, *, start: dt.date | None,
                   end: dt.date | None) -> pd.DataFrame:
    """Rows ``date, revenue`` summing to ``total``, dated like the conversions (or evenly).

    With touchpoints that carry conversions, each conversion gets ``total × its value / all
    value``; otherwise ``total`` is spread evenly over the days from ``start`` to ``end``.

    Examples
    --------
    >>> tp = pd.DataFrame({"timestamp": pd.to_datetime(["2024-01-05", "2024-04-05"]),
    ...                    "converted": [True, True], "conversion_value": [30.0, 10.0]})
    >>> period_revenue(100.0, tp, start=None, end=None)["revenue"].tolist()
    [75.0, 25.0]
    >>> period_revenue(10.0, None, start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 2))["revenue"].tolist()
    [5.0, 5.0]
    """
    if touchpoints is not None and {"timestamp", "converted", "conversion_value"} <= set(touchpoints.columns):
        converted = touchpoints["converted"].astype("boolean").fillna(False).astype(bool)
        rows = touchpoints.loc[converted, ["timestamp", "conversion_value"]]
        value = rows["conversion_value"].astype(float).fillna(0.0)
        if float(value.sum()) > 0:
            dates = pd.to_datetime(rows["timestamp"])
            if getattr(dates.dt, "tz", None) is not None:
                dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
            return pd.DataFrame({"date": dates.to_numpy(),
                                 "revenue": (float(total) * value / float(value.sum())).to_numpy()})
    if start is None or end is None or end < start:
        return pd.DataFrame({"date": pd.to_datetime([]), "revenue": pd.Series([], dtype=float)})
    days = pd.date_range(start, end, freq="D")
    return pd.DataFrame({"date": days, "revenue": float(total) / len(days)})
