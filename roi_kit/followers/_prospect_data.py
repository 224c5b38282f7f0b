"""Every lead's new deals — customers' and prospects' — and who was a follower when each was created.

The customer comparison positions deals on the customer table and counts (then drops) the deals
of ids that are not customers (:func:`~roi_kit.followers._arrays.deal_arrays`): for a sales
question those prospects are half the evidence. Here the unit is the deal itself, with the same
rules as the customer comparison's deal side:

* **who**: new-business deals (``kind`` in ``kinds``; every deal when the table has no ``kind``)
  of any lead id in ``customer_id``;
* **status when the deal was created**: a lead counts as a follower for a deal when their first
  qualifying follow is on or before ``created_at`` (``kind="ever"``: any qualifying audience row);
  a follow after the deal was created cannot have helped win it (no immortal time);
* **until when**: ``as_of``, or the latest ``created_at`` / ``closed_at``; deals created after
  it are left out, deals closed after it are still open then (censored);
* rows without a lead id or ``created_at``, or closed before they were created, are left out
  and counted in the notes — never dropped silently.

Heavy work (kind filter, narrowing, dates to seconds) runs in the caller's engine; what comes
back is one short row per deal.

Examples
--------
>>> import pandas as pd
>>> t = pd.to_datetime
>>> deals = pd.DataFrame({"customer_id": ["a", "b", "b"], "status": ["won", "lost", "open"],
...     "created_at": t(["2024-01-01", "2024-01-01", "2024-02-01"]),
...     "closed_at": t(["2024-01-11", "2024-01-21", None]), "amount": [100.0, 50.0, 70.0]})
>>> d = read_deals(deals, kinds=("new",), column=None, as_of=None)
>>> d.frame[["lead", "status", "days", "closed"]].values.tolist()
[['a', 'won', 10.0, True], ['b', 'lost', 20.0, True], ['b', 'open', 0.0, False]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from roi_kit.engine import as_frame, column_names, require_columns, to_pandas
from roi_kit.epoch import seconds_of, with_seconds
from roi_kit.errors import ConfigError, EmptyDataError, InputError
from roi_kit.followers._definition import FOLLOWERS, NON_FOLLOWERS, FollowerDefinition
from roi_kit.followers._groups import follower_flags
from roi_kit.followers._segments import Segments, define_followers

__all__ = ["DealGroups", "ProspectDeals", "deal_groups", "read_deals"]

_DAY = 86_400.0
_STATUSES = ("won", "lost", "open")


@dataclass(frozen=True, eq=False)
class ProspectDeals:
    """One row per kept deal: ``lead, created (days since 1970), days`` (creation to close, or to
    the end of observation when open), ``closed, status, amount`` and the ``by`` column if any."""

    frame: pd.DataFrame
    as_of: pd.Timestamp
    notes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class DealGroups:
    """Group code per deal (index into ``names``) and the pairs compared (group, reference)."""

    codes: np.ndarray
    names: tuple[str, ...]
    pairs: tuple[tuple[int, int], ...]
    describe: str
    notes: tuple[str, ...]


def read_deals(deals: Any, *, kinds: Sequence[str], column: str | None, as_of: Any) -> ProspectDeals:
    """The new deals of every lead, narrowed in the engine (see the module docstring)."""
    d = as_frame(deals, name="deals")
    require_columns(d, ["customer_id", "created_at", "status", *([column] if column else [])], name="deals")
    cols = column_names(d)
    if "kind" in cols:
        d = d.filter(nw.col("kind").cast(nw.String).str.to_lowercase().is_in([k.lower() for k in kinds]))
    closed = nw.col("closed_at") if "closed_at" in cols else nw.lit(None, nw.Datetime("us"))
    amount = nw.col("amount").cast(nw.Float64) if "amount" in cols else nw.lit(None, nw.Float64)
    narrow = d.select(nw.col("customer_id").cast(nw.String).alias("lead"), nw.col("created_at"),
                      closed.alias("closed_at"), amount.alias("amount"),
                      nw.col("status").cast(nw.String).str.strip_chars().str.to_lowercase().alias("status"),
                      *([nw.col(column)] if column else []))
    f = to_pandas(with_seconds(narrow, ["created_at", "closed_at"], table="deals", loader="rk.load_deals(...)"))
    if f.empty:
        raise EmptyDataError(f"deals has no deal of kind {tuple(kinds)!r}.",
                             hint="check the kind column, or pass kinds=(...) with the kinds of new business.")
    bad = sorted(set(f["status"].dropna()) - set(_STATUSES))
    if bad or f["status"].isna().any():
        raise InputError(f"deals column 'status' has the values {bad or ['(empty)']!r}, not won/lost/open.",
                         hint="load the table with rk.load_deals(...), which maps CRM stages onto won/lost/open.")
    created, closed_s = f["_s_created_at"].to_numpy(float), f["_s_closed_at"].to_numpy(float)
    end = (float(np.nanmax(np.fmax(created, closed_s))) if as_of is None else seconds_of(as_of))
    notes = []
    no_id, no_date = f["lead"].isna().to_numpy(), np.isnan(created)
    late = ~no_date & (created > end)
    backwards = ~np.isnan(closed_s) & (closed_s < created)
    for n, why in ((no_id.sum(), "no customer_id (lead id)"), (no_date.sum(), "no created_at"),
                   (late.sum(), "a created_at after the end of observation"),
                   (backwards.sum(), "a closed_at before their created_at")):
        if n:
            notes.append(f"{int(n):,} deal(s) have {why}; left out.")
    keep = ~(no_id | no_date | late | backwards)
    f, created, closed_s = f[keep].reset_index(drop=True), created[keep], closed_s[keep]
    if f.empty:
        raise EmptyDataError("no deal is left to compare after the checks above: " + " ".join(notes),
                             hint="check created_at / closed_at and the as_of date.")
    decided = f["status"].isin(["won", "lost"]).to_numpy()
    is_closed = decided & ~np.isnan(closed_s) & (closed_s <= end)
    reopened = decided & ~np.isnan(closed_s) & (closed_s > end)
    status = np.where(reopened, "open", f["status"].to_numpy(dtype=object))
    untimed = int((decided & np.isnan(closed_s)).sum())
    if reopened.any():
        notes.append(f"{int(reopened.sum()):,} deal(s) closed after the end of observation count as open.")
    if untimed:
        notes.append(f"{untimed:,} won/lost deal(s) have no closed_at: they count in the win rate "
                     "but not in the sales cycle.")
    days = (np.where(is_closed, closed_s, end) - created) / _DAY
    out = pd.DataFrame({"lead": f["lead"].astype(str).to_numpy(), "created": created / _DAY,
                        "days": days, "closed": is_closed, "status": status,
                        "timed": ~(decided & ~reopened & np.isnan(closed_s)),
                        "amount": f["amount"].to_numpy(dtype=float, na_value=np.nan)})
    if column:
        out[column] = f[column].to_numpy()
    return ProspectDeals(out, pd.Timestamp("1970-01-01") + pd.Timedelta(seconds=end), tuple(notes))


def _lead_table(leads: pd.Series, contacts: Any) -> pd.DataFrame:
    """Every lead id, with the email and handle ``contacts`` gives: leads missing from ``contacts``
    (e.g. prospects next to a customers table) are still matched on their id.

    >>> c = pd.DataFrame({"customer_id": ["C1"], "email": ["a@x.com"], "plan": ["pro"]})
    >>> t = _lead_table(pd.Series(["C1", "P1", "P1"]), c)
    >>> t["customer_id"].tolist(), t["email"].isna().tolist()
    (['C1', 'P1'], [False, True])
    """
    ids = pd.unique(leads)
    if contacts is None:
        return pd.DataFrame({"customer_id": ids})
    c = as_frame(contacts, name="contacts")
    require_columns(c, ["customer_id"], name="contacts")
    keep = [k for k in ("customer_id", "email", "handle") if k in column_names(c)]
    table = to_pandas(c.select(keep)).astype("str")
    extra = ids[~pd.Series(ids).isin(table["customer_id"]).to_numpy()]
    added = pd.DataFrame({k: pd.Series(extra if k == "customer_id" else None, index=range(len(extra)),
                                       dtype="str") for k in keep})
    return pd.concat([table, added], ignore_index=True)


def _first_follow(by: FollowerDefinition | Segments, audience: Any, contacts: Any,
                  leads: pd.Series) -> tuple[FollowerDefinition, pd.DataFrame, str]:
    if isinstance(by, Segments):
        if audience is not None:
            raise ConfigError("audience= is not needed with a Segments result: it already holds the match.",
                              hint="drop audience=, or pass the FollowerDefinition (seg.definition) instead.")
        seg, said = by, "the Segments given (matched against their own customer table)"
    else:
        if audience is None:
            raise ConfigError("by=FollowerDefinition(...) needs audience= (the social_audience table).",
                              hint="pass audience=social_audience, or a column of deals: by='follower'.")
        seg = define_followers(_lead_table(leads, contacts), audience, definition=by)
        rate = seg.match.match_rate
        said = (f"Audience rows matched to leads: {seg.match.rows - seg.match.unmatched:,} of "
                f"{seg.match.rows:,}" + (f" ({rate:.0%})" if rate is not None else "") + ".")
        if seg.match.unmatched and contacts is None:
            said += (" Rows that match no lead id (e.g. prospects known only by email or handle) count as "
                     "nobody's follows; pass contacts= (customer_id, email, handle of every lead) to match them.")
    follows = seg.follow_table()
    follows = follows.assign(customer_id=follows["customer_id"].astype(str))
    return seg.definition, follows, said


def deal_groups(deals: ProspectDeals, by: Any, *, audience: Any = None, contacts: Any = None,
                followers: Any = None, reference: Any = None) -> DealGroups:
    """Group of every deal under ``by`` — a definition, a bool/0-1 column, or a column plus the
    ``followers`` value; more than two groups need ``reference`` (see the module docstring)."""
    f = deals.frame
    if isinstance(by, FollowerDefinition | Segments):
        if followers is not None or reference is not None:
            raise ConfigError("followers= / reference= only apply to a column of deals, not to a definition.",
                              hint="drop them, or pass by='column'.")
        definition, follows, said = _first_follow(by, audience, contacts, f["lead"])
        first = f["lead"].map(follows.set_index("customer_id")["first_followed_at"])
        has_row = f["lead"].isin(follows["customer_id"]).to_numpy()
        if definition.kind == "ever":
            flags = has_row
        else:
            day = pd.to_datetime(first).to_numpy("datetime64[ns]").astype("int64") / (_DAY * 1e9)
            day = np.where(first.isna().to_numpy(), np.inf, day)
            flags = day <= f["created"].to_numpy() + 1e-9
        when = "any qualifying follow" if definition.kind == "ever" else "followed on or before the deal's creation"
        return DealGroups(np.where(flags, 0, 1), (FOLLOWERS, NON_FOLLOWERS), ((0, 1),),
                          f"{definition.describe()}; status per deal: {when}", (said,))
    if not isinstance(by, str):
        raise ConfigError(f"by={type(by).__name__} is not a way to form groups of deals.",
                          hint="pass a FollowerDefinition (with audience=), rk.define_followers(...), "
                               "or the name of a deals column.")
    values = f[by]
    distinct = sorted(pd.unique(values.dropna()).tolist(), key=str)
    if reference is not None:
        if followers is not None:
            raise ConfigError("pass either followers= (two groups) or reference= (any number), not both.",
                              hint="drop one of them.")
        if values.isna().any():
            raise InputError(f"deals column {by!r} has {int(values.isna().sum()):,} empty values, so their group is unknown.",
                             hint="fill them or drop those deals.")
        if reference not in distinct:
            raise ConfigError(f"reference={reference!r} is not a value of deals column {by!r}: {distinct!r}.",
                              hint="pick one of those values as the group everyone is compared with.")
        codes, uniques = pd.factorize(values, sort=True)
        names = tuple(str(u) for u in uniques)
        ref = list(uniques).index(reference)
        pairs = tuple((i, ref) for i in range(len(names)) if i != ref)
        return DealGroups(codes.astype(np.int64), names, pairs,
                          f"the deals column {by!r}, each group against {reference!r}", ())
    flag_like = pd.api.types.is_bool_dtype(values) or (
        pd.api.types.is_numeric_dtype(values) and set(distinct) <= {0, 1})
    if followers is None and not flag_like and len(distinct) > 2:
        raise InputError(f"by={by!r} has {len(distinct)} values {distinct[:10]!r}; roi_kit does not guess "
                         "which of them are the followers.",
                         hint=f"compare every group with one of them: reference={distinct[0]!r}, "
                              f"or name the follower value of a two-valued column with followers=.")
    flags = follower_flags(values, by, followers)
    said = f" (followers: {followers!r})" if followers is not None else ""
    return DealGroups(np.where(flags, 0, 1), (FOLLOWERS, NON_FOLLOWERS), ((0, 1),),
                      f"the deals column {by!r}{said}", ())
