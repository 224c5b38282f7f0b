"""Orchestrates the seeded simulation of one fictional company and its ground truth.

Examples
--------
>>> s = generate(seed=1, n_customers=300)
>>> s.business, len(s.customers)
('saas', 300)
>>> s.truth.churn_hazard_ratio
0.65
>>> generate(seed=1, n_customers=300).customers.equals(s.customers)
True
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import polars as pl

from roi_kit.datasets.audience import sample_audience
from roi_kit.datasets.care import care_frame, simulate_care
from roi_kit.datasets.customers import retention_truth, simulate_customers
from roi_kit.datasets.deals import KINDS, STATUSES, simulate_deals
from roi_kit.datasets.funnel import simulate_funnel
from roi_kit.datasets.goals import build_goals
from roi_kit.datasets.journeys import simulate_journeys, transition_matrix
from roi_kit.datasets.ledger import build_ledger
from roi_kit.datasets.links import link_posts
from roi_kit.datasets.names import company_codes, company_pools, person_codes, person_pools
from roi_kit.datasets.posts import simulate_posts
from roi_kit.datasets.presets import CARE, POST_TYPE_EFFECTS, PRESETS, REGIONS, SIZES, Preset
from roi_kit.datasets.prospects import prospect_truth
from roi_kit.datasets.sampledata import SampleData
from roi_kit.datasets.samples import typed_frame
from roi_kit.datasets.strings import concat_str, id_strings, pd_str, take_str
from roi_kit.datasets.truth import CHANNELS, Truth, removal_effects
from roi_kit.errors import ConfigError

__all__ = ["LANDMARK_DAYS", "generate"]

LANDMARK_DAYS = 90


def _ids(prefix: str, n: int) -> pl.Series:
    return id_strings(prefix, np.arange(1, n + 1), max(7, len(str(n))))


def _ts(t0: pd.Timestamp, days: np.ndarray) -> np.ndarray:
    """Days from ``t0`` as naive-UTC ``datetime64[ns]`` rounded to the second (nan -> NaT)."""
    d = np.asarray(days, dtype=float)
    ok = np.isfinite(d)
    secs = np.where(ok, np.round(d * 86400.0), 0.0).astype(np.int64)
    out = (np.datetime64(t0.to_datetime64(), "s") + secs.astype("timedelta64[s]")).astype(
        "datetime64[ns]")
    out[~ok] = np.datetime64("NaT")
    return out


def _check(seed: int, n_customers: int, business: str, confounding: float, t0: pd.Timestamp,
           t1: pd.Timestamp, touchpoints_per_customer: float) -> None:
    if business not in PRESETS:
        raise ConfigError(f"business={business!r} is not a sample business. Valid: 'saas', 'dtc'.",
                          hint="pass business='saas' or business='dtc'.")
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(f"seed={seed!r} must be a non-negative integer.",
                          hint="pass e.g. seed=0.")
    if n_customers < 1:
        raise ConfigError(f"n_customers={n_customers!r} must be at least 1.",
                          hint="pass e.g. n_customers=5_000.")
    if not 0.0 <= confounding <= 3.0:
        raise ConfigError(f"confounding={confounding!r} must lie between 0 and 3.",
                          hint="0 removes the covariate-follow link, 1 is the default strength.")
    if (t1 - t0).days < 2 * LANDMARK_DAYS:
        raise ConfigError(f"the window {t0.date()} – {t1.date()} is too short.",
                          hint=f"make end at least {2 * LANDMARK_DAYS} days after start.")
    if touchpoints_per_customer < 0:
        raise ConfigError(f"touchpoints_per_customer={touchpoints_per_customer!r} is negative.",
                          hint="pass a number >= 0, e.g. 10.")


def _identity(rng: np.random.Generator, n: int, p: Preset, size: np.ndarray
              ) -> tuple[dict[str, pl.Series], np.ndarray | None]:
    """Names, unique e-mails and handles (polars String Series) of ``n`` customers."""
    people = person_pools()
    k = person_codes(rng, n)
    local = people["local"].gather(k)
    num = pl.Series(np.arange(1, n + 1)).cast(pl.String)
    out: dict[str, pl.Series] = {"contact": people["display"].gather(k)}
    employees = None
    if p.business == "saas":
        companies = company_pools()
        full, slug = company_codes(rng, n)
        out["name"] = companies["name"].gather(full)
        out["email"] = concat_str(local, pl.Series(["."] * n), num, pl.Series(["@"] * n),
                                  companies["slug"].gather(slug), pl.Series([".com"] * n))
        lo, hi = np.array([5, 50, 500])[size], np.array([49, 499, 5000])[size]
        employees = np.round(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    else:
        mail = pl.Series(["@gmail.com", "@outlook.com", "@web.de", "@icloud.com", "@orange.fr"])
        out["name"] = out["contact"]
        out["email"] = concat_str(local, num, mail.gather(rng.integers(0, 5, n)))
    out["handle"] = concat_str(pl.Series(["@"] * n), people["handle"].gather(k), num)
    return out, employees


def generate(
    seed: int = 0,
    n_customers: int = 5_000,
    business: Literal["saas", "dtc"] = "saas",
    *,
    confounding: float = 1.0,
    start: str = "2024-01-01",
    end: str = "2025-12-31",
    touchpoints_per_customer: float = 10.0,
) -> SampleData:
    """Simulate every canonical table of a fictional company, with known ground truth.

    Parameters
    ----------
    seed
        Seed of the numpy random generator; the same seed gives identical tables.
    n_customers
        Number of customers; deals, audience, touchpoints and funnel events scale with it
        (posts, costs and goals describe the company's accounts and do not).
    business
        ``"saas"`` (B2B software, renewals, LinkedIn-heavy) or ``"dtc"`` (a consumer shop,
        repeat orders as upsells, Instagram/TikTok-heavy).
    confounding
        Strength of the link between covariates (company size, region, industry) and following;
        ``0`` removes it so that a naive follower comparison is unbiased.
    start, end
        The observation window (naive UTC dates). ``observed_until`` is ``end`` for every customer.
    touchpoints_per_customer
        Expected number of touchpoint rows per customer (journeys are drawn until about
        ``n_customers × touchpoints_per_customer`` touches, or until every customer has a
        converting journey — about 12 per customer — since every conversion is a won deal).

    Returns
    -------
    SampleData
        The nine tables and the :class:`Truth`.

    Examples
    --------
    >>> s = generate(seed=3, n_customers=200, business="dtc")
    >>> sorted(s.tables())[:2], s.truth.landmark_days
    (['costs', 'customers'], 90)
    """
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    _check(seed, n_customers, business, confounding, t0, t1, touchpoints_per_customer)
    p = PRESETS[business]
    window = float((t1 - t0).days)
    streams = np.random.SeedSequence([int(seed), list(PRESETS).index(business)]).spawn(11)  # 9 care, 10 prospect rows
    rng = [np.random.default_rng(s) for s in streams]
    n = int(n_customers)

    sim = simulate_customers(rng[0], n, p, confounding=confounding, window_days=window,
                             landmark=LANDMARK_DAYS)
    deals = simulate_deals(rng[1], sim, p, window_days=window, confounding=confounding)
    cust_pl = _ids("C", n)
    n_pros = len(deals.prospect_size)
    pros_pl = _ids("P", n_pros)
    ident, employees = _identity(rng[2], n, p, sim.size)

    # touchpoints: converting journeys end at acquisition with the new deal's amount
    matrix = transition_matrix(business)
    journeys = simulate_journeys(
        rng[3], matrix, n_touches=round(n * touchpoints_per_customer),
        customer_conv_at=sim.acq, customer_value=deals.new_amount, customer_ids=cust_pl,
        window_days=window, gap_days=4.0 if business == "saas" else 1.5,
        domain=p.domain, cpc_scale=1.0 if business == "saas" else 0.6)
    start_p = matrix.iloc[0][list(CHANNELS)].to_numpy(float)
    fallback = rng[2].choice(len(CHANNELS), size=n, p=start_p / start_p.sum())
    acq_channel = np.where(journeys.first_channel >= 0, journeys.first_channel, fallback)
    channel_names = np.asarray(CHANNELS, dtype=object)

    # customers table
    life_end = sim.acq + sim.lifetime
    churned = np.where(sim.lifetime <= sim.obs_len, life_end, np.nan)
    amount = deals.new_amount
    if business == "saas":
        mrr = np.round(amount / 12.0, 2)
        plan = np.where(amount < 8_000, "Starter", np.where(amount < 30_000, "Growth",
                                                            "Enterprise")).astype(object)
    else:
        repeat = p.upsell_rate_per_year * np.exp(np.asarray(p.upsell_size_log)[sim.size])
        mrr = np.round(amount * (1.0 + repeat) / 12.0, 2)
        plan = np.where(rng[2].random(n) < 0.25, "subscribe & save", "one-off").astype(object)
    cols: dict[str, object] = {
        "customer_id": take_str(cust_pl, np.arange(n)), "name": pd_str(ident["name"]),
        "email": pd_str(ident["email"]), "handle": pd_str(ident["handle"]),
        "acquired_at": _ts(t0, sim.acq), "churned_at": _ts(t0, churned),
        "observed_until": np.full(n, t1.to_datetime64()).astype("datetime64[ns]"),
        "plan": plan, "mrr": mrr,
    }
    if business == "saas":
        cols["arr"] = np.round(mrr * 12.0, 2)
        cols["contact"] = pd_str(ident["contact"])
        cols["employees"] = employees
    cols.update({
        "company_size": np.asarray(SIZES, dtype=object)[sim.size],
        "industry": np.asarray(p.industries, dtype=object)[sim.industry],
        "region": np.asarray(REGIONS, dtype=object)[sim.region],
        "acquisition_channel": channel_names[acq_channel],
    })
    customers = pd.DataFrame(cols)

    # deals table
    df = deals.frame
    owner_code = df["owner"].to_numpy()
    owner_code = np.where(owner_code >= 0, owner_code, n - 1 - owner_code)  # prospects after
    created = df["created"].to_numpy()
    order = np.lexsort((owner_code, np.round(created * 86400.0)))
    owner_code = owner_code[order]
    is_c = owner_code < n
    pros_channel = rng[2].choice(len(CHANNELS), size=n_pros, p=start_p / start_p.sum())
    chan_code = np.where(is_c, acq_channel[np.minimum(owner_code, n - 1)],
                         pros_channel[np.clip(owner_code - n, 0, max(n_pros - 1, 0))]
                         if n_pros else 0)
    kind = df["kind"].to_numpy()[order]
    chan_code = np.where(kind == 0, chan_code, len(CHANNELS))
    deal_frame = pd.DataFrame({
        "deal_id": take_str(_ids("D", len(df)), np.arange(len(df))),
        "customer_id": take_str(pl.concat([cust_pl, pros_pl]), owner_code),
        "created_at": _ts(t0, created[order]),
        "closed_at": _ts(t0, df["closed"].to_numpy()[order]),
        "amount": df["amount"].to_numpy(float)[order],
        "status": take_str(list(STATUSES), df["status"].to_numpy()[order]),
        "kind": take_str(list(KINDS), kind),
        "source": take_str([*CHANNELS, "account management"], chan_code),
    })

    # social audience
    post_acq = np.where(sim.followed & ~sim.pre_deal, sim.acq + sim.follow_day, np.nan)
    follow_at = np.where(sim.pre_deal, deals.customer_follow_at, post_acq)
    follow_at = np.where(follow_at <= window, follow_at, np.nan)
    pf = deals.prospect_follow
    aud = sample_audience(
        rng[4], rng[10], customers={"customer_id": cust_pl, "email": ident["email"],
                                    "handle": ident["handle"]},
        follow_at=follow_at, active_until=sim.acq + np.minimum(sim.lifetime, sim.obs_len),
        last_follow_at=sim.acq + 60.0, platforms=p.platforms, platform_p=p.platform_p,
        prospect_id=pros_pl.gather(np.flatnonzero(pf)),
        prospect_follow_at=deals.prospect_follow_at[pf], n_follow_v1=deals.n_follow_v1,
        window_days=window)
    aud["followed_at"] = _ts(t0, aud["followed_at"].to_numpy())
    aud["last_engaged_at"] = _ts(t0, aud["last_engaged_at"].to_numpy())

    posts = simulate_posts(rng[5], p, start=start, window_days=window)
    touch = journeys.frame
    touch.insert(1, "timestamp", _ts(t0, touch.pop("t").to_numpy()))
    social = np.array([CHANNELS.index("Organic Social"), CHANNELS.index("Paid Social")])
    code = np.searchsorted(social, journeys.channel)
    code = np.where(np.isin(journeys.channel, social), code, -1)
    touch = link_posts(rng[8], touch, code, posts)
    costs = build_ledger(rng[6], p, posts, start=start, end=end)
    events = simulate_funnel(
        rng[7], p, matrix, customer_ids=cust_pl, customer_at=sim.acq,
        customer_value=deals.new_amount, customer_channel=acq_channel,
        customer_first_touch=journeys.first_touch, window_days=window)
    events.insert(1, "timestamp", _ts(t0, events.pop("t").to_numpy()))
    social_share = pd.Series(np.isin(journeys.channel, social)).groupby(
        touch["user_id"].to_numpy()).mean()       # linear credit of social in each journey
    conv = touch[touch["converted"]]
    social_revenue = pd.Series(conv["conversion_value"].to_numpy()
                               * social_share.reindex(conv["user_id"].to_numpy()).to_numpy(),
                               index=pd.DatetimeIndex(conv["timestamp"]))
    goals = build_goals(posts, events, costs, business=business, start=start, end=end,
                        social_revenue=social_revenue)
    care_raw, care_truth = simulate_care(rng[9], sim, CARE[business], p, window_days=window)
    care = care_frame(care_raw, _ids("S", len(care_raw)), cust_pl, lambda d: _ts(t0, d))
    ret_diff, rmst = retention_truth(sim)
    conv_p, effects = removal_effects(matrix)
    truth = Truth(
        landmark_days=LANDMARK_DAYS, churn_hazard_ratio=p.churn_hazard_ratio,
        retention_diff=ret_diff, rmst_diff_365=rmst, upsell_rate_ratio=p.upsell_rate_ratio,
        upsell_share_diff_365=deals.upsell_share_diff_365,
        upsell_revenue_diff_365=deals.upsell_revenue_diff_365,
        deal_size_ratio=p.deal_size_ratio, deal_size_diff=deals.deal_size_diff,
        close_time_ratio=p.close_time_ratio, median_close_days=deals.median_close_days,
        channel_transition=matrix, best_post_slot=dict(p.best_post_slot),
        post_type_effects={t: POST_TYPE_EFFECTS[t] for t in
                           sorted({t for ts in p.post_types.values() for t in ts})},
        paid_reach_multiplier=p.paid_reach_multiplier, channel_removal_effects=effects,
        conversion_probability=conv_p, n_landmark=int(sim.active_at_l.sum()),
        n_landmark_365=deals.n_landmark_365, **care_truth,
        prospect_win_odds_ratio=p.prospect_win_odds_ratio,
        **prospect_truth(p, n_customers=n, n_prospects=n_pros, confounding=confounding,
                         window_days=window),
    )
    tables = {"customers": customers, "social_audience": aud, "deals": deal_frame,
              "touchpoints": touch, "posts": posts, "costs": costs, "funnel_events": events,
              "goals": goals, "service_interactions": care}
    return SampleData(**{k: typed_frame(v, k) for k, v in tables.items()}, truth=truth,
                      business=business, seed=int(seed))
