"""Data health: do the CRM, the analytics touchpoints, the posts and the funnel tell one story?

:func:`data_health` runs five checks a manager needs before trusting an ROI figure. Each finding is
a sentence with the numbers behind it; a check that cannot run says why (never a silent zero).

* ``attributed_revenue``: revenue credited by attribution ≤ the period's conversion value (and ≤
  the CRM's won new-deal revenue);
* ``crm_vs_analytics``: won new-deal revenue in the CRM (``deals`` by ``closed_at``) against the
  analytics conversion value, and per customer whether the converting touch carries the deal amount;
* ``unknown_users``: converting touchpoint users that are not customers in the CRM;
* ``unlinked_posts``: posts whose ``post_id`` never appears as ``utm_content``, and social touches
  whose ``utm_content`` matches no post;
* ``coverage``: a source that stops early (> ``gap_days`` before the latest) skews what follows.

Status per check: ``ok``, ``warning`` (worth a look), ``problem`` (the figures disagree) or
``skipped`` (a table is missing). ``start`` / ``end`` limit every check but ``coverage`` to a period
(both days included; journeys count on the day they convert, deals on ``closed_at``, touches on
their day, posts on ``published_at``).

Examples
--------
>>> import pandas as pd
>>> tp = pd.DataFrame({"user_id": ["C1", "C1", "u9"], "timestamp": pd.to_datetime(
...     ["2025-01-02", "2025-01-05", "2025-01-03"]), "converted": [False, True, False],
...     "conversion_value": [None, 500.0, None], "content": ["post-1", None, "post-7"],
...     "source": ["linkedin", "(direct)", "linkedin"], "medium": ["social", "(none)", "social"]})
>>> deals = pd.DataFrame({"deal_id": ["D1", "D2"], "customer_id": ["C1", "C2"],
...     "status": ["won", "won"], "kind": ["new", "new"], "amount": [500.0, 300.0],
...     "closed_at": pd.to_datetime(["2025-01-05", "2025-01-20"])})
>>> posts = pd.DataFrame({"post_id": ["post-1", "post-2"], "platform": ["linkedin"] * 2,
...     "published_at": pd.to_datetime(["2025-01-01", "2025-01-10"])})
>>> h = data_health(touchpoints=tp, deals=deals, posts=posts, attributed_revenue=450.0)
>>> h.to_frame()[["check", "status"]].values.tolist()[:3]
[['attributed_revenue', 'ok'], ['crm_vs_analytics', 'warning'], ['unknown_users', 'ok']]
>>> print(h.to_frame().set_index("check").loc["unlinked_posts", "message"])
1 of 2 posts (50.0%) never appear as utm_content in the touchpoints: post-2. 1 of 2 social touches carry a utm_content that matches no post (post-7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from roi_kit.attribution.channels import channel_group
from roi_kit.engine import as_frame, require_columns, to_pandas
from roi_kit.errors import InputError
from roi_kit.formatting import fmt_money, fmt_pct
from roi_kit.results import ResultMixin

if TYPE_CHECKING:
    import altair as alt

__all__ = ["CHECKS", "DataHealth", "HealthStatus", "data_health"]

HealthStatus = Literal["ok", "warning", "problem", "skipped"]
CHECKS: tuple[str, ...] = ("attributed_revenue", "crm_vs_analytics", "unknown_users",
                           "unlinked_posts", "coverage")
"""The checks, in the order they are reported."""
_SOCIAL = ("Organic Social", "Paid Social")


@dataclass(frozen=True)
class DataHealth(ResultMixin):
    """Findings of :func:`data_health`.

    ``table`` columns: ``check, status, value, reference, message`` (``value`` / ``reference``: the
    two numbers compared, missing when the check has none).

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["p1"], "published_at": pd.to_datetime(["2025-01-01"])})
    >>> costs = pd.DataFrame({"date": pd.to_datetime(["2025-02-28"])})
    >>> h = data_health(posts=posts, costs=costs)
    >>> h.worst, h.headline()
    ('warning', 'Data health: the sources mostly agree, read the warnings — 1 warning, 4 skipped.')
    """

    table: pd.DataFrame
    period: tuple[dt.date | None, dt.date | None]

    def to_frame(self) -> pd.DataFrame:
        """One row per check (a copy)."""
        return self.table.copy()

    @property
    def worst(self) -> HealthStatus:
        """``problem`` if any check has one, else ``warning``, else ``ok`` (skips ignored)."""
        found = set(self.table["status"])
        return "problem" if "problem" in found else "warning" if "warning" in found else "ok"

    def headline(self) -> str:
        """One line for a banner: the verdict and the counts per status."""
        counts = self.table["status"].value_counts()
        parts = ", ".join(f"{int(counts[s])} {s}" for s in ("problem", "warning", "ok", "skipped")
                          if s in counts)
        verdict = {"ok": "the sources agree", "warning": "the sources mostly agree, read the warnings",
                   "problem": "the sources disagree, fix before trusting the ROI"}[self.worst]
        return f"Data health: {verdict} — {parts}."

    def summary(self) -> str:
        """The headline, then one line per check."""
        lines = [self.headline()]
        lines += [f"[{r['status']}] {r['message']}" for r in self.table.to_dict("records")]
        return "\n".join(lines)

    def chart(self) -> alt.Chart:
        """One bar per check, coloured by status (hover for the finding)."""
        from roi_kit.charts.health import health_chart

        return health_chart(self)


def _frame(data: Any, name: str, columns: list[str]) -> pd.DataFrame | None:
    if data is None:
        return None
    frame = as_frame(data, name=name)
    require_columns(frame, columns, name=name)
    return to_pandas(frame)


def _in(ts: pd.Series, start: dt.date | None, end: dt.date | None) -> pd.Series:
    t = pd.to_datetime(ts)
    keep = t.notna()
    if start is not None:
        keep &= t >= pd.Timestamp(start)
    if end is not None:
        keep &= t < pd.Timestamp(end) + pd.Timedelta(days=1)
    return keep


def _row(check: str, status: HealthStatus, message: str, value: float | None = None,
         reference: float | None = None) -> dict[str, Any]:
    return {"check": check, "status": status, "value": np.nan if value is None else float(value),
            "reference": np.nan if reference is None else float(reference), "message": message}


def _names(ids: pd.Series, k: int = 3) -> str:
    ids = ids.astype(str).tolist()
    more = f" and {len(ids) - k:,} more" if len(ids) > k else ""
    return ", ".join(ids[:k]) + more


def _money_checks(tp: pd.DataFrame | None, deals: pd.DataFrame | None, attributed: float | None,
                  start: dt.date | None, end: dt.date | None, cur: str) -> list[dict[str, Any]]:
    conv = None if tp is None else tp[tp["converted"].astype(bool) & _in(tp["timestamp"], start, end)]
    value = None if conv is None else float(conv["conversion_value"].fillna(0.0).sum())
    won = None
    if deals is not None:
        kind = deals["kind"] if "kind" in deals.columns else pd.Series("new", index=deals.index)
        won = deals[(deals["status"].astype(str) == "won") & (kind.astype(str) == "new")
                    & _in(deals["closed_at"], start, end)]
    crm = None if won is None else float(won["amount"].fillna(0.0).sum())
    rows = []
    if attributed is None or value is None:
        rows.append(_row("attributed_revenue", "skipped", "No attributed revenue given (or no "
                         "touchpoints), so it cannot be checked against the revenue of the period."))
    else:
        ceiling = value if crm is None else min(value, crm)
        status: HealthStatus = "ok" if attributed <= ceiling * (1 + 1e-9) else "problem"
        rows.append(_row("attributed_revenue", status,
                         f"Attribution credits {fmt_money(attributed, currency=cur, decimals=0)}, "
                         f"{fmt_pct(attributed / ceiling) if ceiling else 'n/a'} of the "
                         f"{fmt_money(ceiling, currency=cur, decimals=0)} converted in the period"
                         + (" — more than exists: the models count some revenue twice or read "
                            "another period." if status == "problem" else "."), attributed, ceiling))
    if conv is None or won is None:
        rows.append(_row("crm_vs_analytics", "skipped", "CRM won revenue and analytics conversion "
                         "value need both deals and touchpoints."))
        return rows
    assert value is not None and crm is not None
    paired = conv.merge(won[["customer_id", "amount"]], left_on="user_id", right_on="customer_id")
    off = int((~np.isclose(paired["conversion_value"], paired["amount"])).sum())
    tracked = int(won["customer_id"].isin(set(conv["user_id"])).sum())
    share = value / crm if crm else float("nan")
    verdict: HealthStatus = ("problem" if off or value > crm * (1 + 1e-9) else
                            "warning" if tracked < len(won) else "ok")
    msg = (f"The CRM shows {len(won):,} won new deals worth {fmt_money(crm, currency=cur, decimals=0)}; "
           f"analytics records {len(conv):,} conversions worth {fmt_money(value, currency=cur, decimals=0)} "
           f"({fmt_pct(share) if crm else 'n/a'} of the CRM). {tracked:,} of {len(won):,} won deals "
           f"have a tracked journey")
    msg += (f"; {off:,} conversions carry a value other than their deal's amount." if off else
            "; every tracked conversion carries its deal's amount." if tracked else ".")
    rows.append(_row("crm_vs_analytics", verdict, msg, value, crm))
    return rows


def _unknown_users(tp: pd.DataFrame | None, customers: pd.DataFrame | None,
                   deals: pd.DataFrame | None) -> dict[str, Any]:
    if tp is None or (customers is None and deals is None):
        return _row("unknown_users", "skipped", "Needs touchpoints and customers (or deals).")
    known = set(customers["customer_id"].astype(str)) if customers is not None else set(
        deals["customer_id"].astype(str))   # type: ignore[index]
    conv_users = tp.loc[tp["converted"].astype(bool), "user_id"].astype(str).drop_duplicates()
    unknown = conv_users[~conv_users.isin(known)]
    visitors = tp["user_id"].astype(str).drop_duplicates()
    anon = int((~visitors.isin(known)).sum())
    status: HealthStatus = "problem" if len(unknown) else "ok"
    msg = (f"{len(unknown):,} of {len(conv_users):,} converting touchpoint users are not in the CRM"
           + (f" ({_names(unknown)}): their revenue cannot be matched to a deal." if len(unknown)
              else ".")
           + f" {anon:,} of {len(visitors):,} visitors are anonymous (never converted; expected).")
    return _row("unknown_users", status, msg, len(unknown), len(conv_users))


def _unlinked_posts(tp: pd.DataFrame | None, posts: pd.DataFrame | None,
                    tp_all: pd.DataFrame | None, posts_all: pd.DataFrame | None) -> dict[str, Any]:
    """Posts of the period never linked by any touch; social touches of the period whose content
    matches no post at all."""
    if tp is None or posts is None or tp_all is None or posts_all is None or "content" not in tp.columns:
        return _row("unlinked_posts", "skipped", "Needs posts and touchpoints with a content "
                    "(utm_content) column.")
    content = tp["content"].astype("string").str.strip().str.lower()
    ids = posts["post_id"].astype(str)
    used = set(tp_all["content"].astype("string").str.strip().str.lower().dropna())
    never = ids[~ids.str.strip().str.lower().isin(used)]
    group = (tp["channel"].astype(str) if "channel" in tp.columns else to_pandas(channel_group(
        tp, url="url" if "url" in tp.columns else None))["channel"].astype(str))
    social = content[group.isin(_SOCIAL).to_numpy() & content.notna().to_numpy()]
    orphan = social[~social.isin(set(posts_all["post_id"].astype(str).str.strip().str.lower()))]
    share = len(never) / len(ids) if len(ids) else 0.0
    status: HealthStatus = ("problem" if len(social) and len(orphan) == len(social) else
                            "warning" if len(orphan) else "ok")   # posts nobody clicked are normal
    msg = (f"{len(never):,} of {len(ids):,} posts ({fmt_pct(share)}) never appear as utm_content "
           f"in the touchpoints" + (f": {_names(never)}." if len(never) else ".")
           + f" {len(orphan):,} of {len(social):,} social touches carry a utm_content that matches "
           f"no post" + (f" ({_names(orphan.drop_duplicates())})." if len(orphan) else "."))
    return _row("unlinked_posts", status, msg, len(never), len(ids))


def _coverage(last: dict[str, pd.Timestamp], gap_days: int) -> dict[str, Any]:
    if len(last) < 2:
        return _row("coverage", "skipped", "Needs at least two dated tables to compare.")
    latest = max(last.values())
    early = {k: v for k, v in last.items() if (latest - v).days > gap_days}
    ends = "; ".join(f"{k} {v:%Y-%m-%d}" for k, v in sorted(last.items(), key=lambda x: x[1]))
    if not early:
        return _row("coverage", "ok", f"Every source runs to within {gap_days} days of "
                    f"{latest:%Y-%m-%d} (last days: {ends}).", 0, len(last))
    words = ", ".join(f"{k} ({(latest - v).days} days)" for k, v in early.items())
    return _row("coverage", "warning", f"{len(early)} source(s) stop early: {words} before "
                f"{latest:%Y-%m-%d}. Comparisons after their last day undercount them "
                f"(last days: {ends}).", len(early), len(last))


def data_health(*, touchpoints: Any = None, deals: Any = None, customers: Any = None,
                posts: Any = None, funnel_events: Any = None, costs: Any = None,
                attributed_revenue: float | None = None, start: str | dt.date | None = None,
                end: str | dt.date | None = None, gap_days: int = 14,
                currency: str = "USD") -> DataHealth:
    """Check that the CRM, analytics, posts and funnel agree (see the module docstring).

    Parameters
    ----------
    touchpoints, deals, customers, posts, funnel_events, costs
        Canonical tables in any engine; leave out what you do not have (its checks say so).
    attributed_revenue
        Revenue credited by an attribution model in the period (e.g. to social channels).
    start, end
        Period of the money checks (both days included); default: all data.
    gap_days
        A source whose last day is more than this many days before the latest is flagged.
    currency
        Shown with money amounts.

    Returns
    -------
    DataHealth

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["p1"], "platform": ["x"],
    ...                       "published_at": pd.to_datetime(["2025-01-01"])})
    >>> data_health(posts=posts).worst
    'ok'
    """
    if gap_days < 0:
        raise InputError(f"gap_days={gap_days!r} is negative.", hint="pass e.g. gap_days=14.")
    lo, hi = (None if d is None else pd.Timestamp(d).date() for d in (start, end))
    tp = _frame(touchpoints, "touchpoints", ["user_id", "timestamp", "converted", "conversion_value"])
    dl = _frame(deals, "deals", ["customer_id", "status", "amount", "closed_at"])
    cu = _frame(customers, "customers", ["customer_id"])
    po = _frame(posts, "posts", ["post_id", "published_at"])
    ev = _frame(funnel_events, "funnel_events", ["timestamp"])
    co = _frame(costs, "costs", ["date"])
    rows = _money_checks(tp, dl, attributed_revenue, lo, hi, currency)
    tp_in = None if tp is None else tp[_in(tp["timestamp"], lo, hi)]
    rows.append(_unknown_users(tp_in, cu, dl))
    rows.append(_unlinked_posts(tp_in, None if po is None else po[_in(po["published_at"], lo, hi)],
                                tp, po))
    last = {name: pd.to_datetime(f[col]).max() for name, f, col in (
        ("touchpoints", tp, "timestamp"), ("deals", dl, "closed_at"), ("posts", po, "published_at"),
        ("funnel_events", ev, "timestamp"), ("costs", co, "date")) if f is not None and len(f)}
    rows.append(_coverage({k: v for k, v in last.items() if pd.notna(v)}, gap_days))
    return DataHealth(table=pd.DataFrame(rows), period=(lo, hi))
