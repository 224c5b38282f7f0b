"""The social media cost ledger: people, tools, ads, agency, service give-aways, training.

One row per cost line. Staff and management lines carry ``hours`` and ``rate`` (and
``amount = hours × rate``); every other line carries the ``amount`` only. The ``ads`` lines are the
paid posts' spend summed per month, platform and campaign, so the ledger agrees with the posts
table to the cent.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from roi_kit.datasets.presets import PRESETS
>>> posts = pd.DataFrame({"platform": ["x"], "published_at": [pd.Timestamp("2024-01-05")],
...                       "paid": [True], "spend": [120.5], "campaign": ["brand"]})
>>> c = build_ledger(np.random.default_rng(0), PRESETS["saas"], posts, start="2024-01-01",
...                  end="2024-03-31")
>>> float(c.loc[c["category"] == "ads", "amount"].sum())
120.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roi_kit.datasets.presets import Preset

__all__ = ["build_ledger"]

_TOOLS = {
    "saas": (("Scheduling tool (Buffer-like)", 120.0), ("Social listening suite", 450.0),
             ("Design tool", 30.0), ("Link-in-bio and UTM builder", 15.0)),
    "dtc": (("Scheduling tool (Later-like)", 80.0), ("UGC rights manager", 199.0),
            ("Design tool", 30.0), ("Influencer CRM", 250.0)),
}


def build_ledger(rng: np.random.Generator, p: Preset, posts: pd.DataFrame, *, start: str,
                 end: str) -> pd.DataFrame:
    """Monthly cost lines from ``start`` to ``end`` (inclusive months)."""
    months = pd.date_range(pd.Timestamp(start).to_period("M").to_timestamp(),
                           pd.Timestamp(end), freq="MS")
    nm = len(months)
    last = pd.Timestamp(end)
    month_end = (months + pd.offsets.MonthEnd(0)).where(months + pd.offsets.MonthEnd(0) <= last,
                                                         last)
    rows: list[pd.DataFrame] = []

    def add(date, category, amount, *, hours=None, rate=None, platform=None, campaign=None,
            note=None) -> None:
        k = len(date)
        rows.append(pd.DataFrame({
            "date": pd.DatetimeIndex(date), "category": category,
            "amount": np.round(np.asarray(amount, dtype=float), 2),
            "hours": np.nan if hours is None else np.asarray(hours, dtype=float),
            "rate": np.nan if rate is None else np.asarray(rate, dtype=float),
            "platform": platform, "campaign": campaign,
            "note": np.broadcast_to(np.asarray(note, dtype=object), (k,)),
        }))

    hours = np.round(p.staff_hours_month + 12.0 * rng.standard_normal(nm), 1)
    add(month_end, "staff", hours * p.staff_rate, hours=hours, rate=np.full(nm, p.staff_rate),
        note="social media manager")
    creator_h = np.round(60.0 + 10.0 * rng.standard_normal(nm), 1)
    add(month_end, "staff", creator_h * 36.0, hours=creator_h, rate=np.full(nm, 36.0),
        note="content creator")
    mgmt_h = np.round(14.0 + 3.0 * rng.standard_normal(nm), 1)
    add(month_end, "management", mgmt_h * 95.0, hours=mgmt_h, rate=np.full(nm, 95.0),
        note="marketing lead: planning and reviews")
    for name, fee in _TOOLS[p.business]:
        add(months + pd.Timedelta(days=int(rng.integers(0, 5))), "tools", np.full(nm, fee),
            note=name)

    paid = posts.loc[posts["paid"].astype(bool)]
    if len(paid):
        ads = (paid.assign(date=(paid["published_at"].dt.to_period("M").dt.to_timestamp()
                                 + pd.offsets.MonthEnd(0)).clip(upper=last),
                           campaign=paid["campaign"].fillna("(none)"))
               .groupby(["date", "platform", "campaign"], as_index=False)["spend"].sum())
        add(ads["date"], "ads", ads["spend"], platform=ads["platform"].to_numpy(),
            campaign=ads["campaign"].to_numpy(), note="paid posts (boosts and ads)")

    quarter_starts = months[months.month.isin([1, 4, 7, 10])]
    retainer = 6_000.0 if p.business == "saas" else 3_500.0
    add(quarter_starts + pd.Timedelta(days=14), "agency", np.full(len(quarter_starts), retainer),
        note="video production retainer")

    scale = 25.0 if p.business == "saas" else 60.0
    for what, mean in (("refunds", 3.0), ("discount codes", 6.0), ("service credits", 2.0)):
        k = rng.poisson(mean, nm)
        amount = np.array([rng.lognormal(np.log(scale), 0.6, kk).sum() for kk in k.tolist()])
        keep = k > 0
        add(month_end[keep], "service", amount[keep],
            note=[f"{what} given through social customer service ({kk} cases)"
                  for kk in k[keep].tolist()])

    conf = months[months.month.isin([3, 10])]
    add(conf + pd.Timedelta(days=19), "training", np.full(len(conf), 1_850.0),
        note="conference tickets and travel")
    course = months[rng.random(nm) < 0.25]
    add(course + pd.Timedelta(days=9), "training", np.full(len(course), 390.0),
        note="online course: social analytics")
    research = months[months.month == 2]
    add(research + pd.Timedelta(days=4), "training", np.full(len(research), 2_400.0),
        note="market research report")
    other = months[rng.random(nm) < 0.15]
    add(other + pd.Timedelta(days=20), "other", np.round(rng.uniform(50, 400, len(other)), 2),
        note="props and studio supplies")

    ledger = pd.concat([r for r in rows if len(r)], ignore_index=True)
    ledger = ledger.loc[ledger["date"] <= last]
    ledger["date"] = ledger["date"].astype("datetime64[ns]")
    return ledger.sort_values(["date", "category"], kind="stable").reset_index(drop=True)
