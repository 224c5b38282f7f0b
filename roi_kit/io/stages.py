"""Default deal-stage maps of the common CRMs: which stage label means won, lost or still open.

A deals export names its stages the way its CRM's pipeline does. The default pipelines of
HubSpot, Salesforce, Pipedrive and Zoho CRM, plus the generic labels of hand-made pipelines
(``Won`` / ``Lost`` / ``Prospecting`` / ``Engaging`` ...), are listed in :data:`STAGE_MAPS`;
labels are compared after :func:`roi_kit.io.aliases.normalise`, so ``Closed Won``, ``closedwon``
and ``closed-won`` are the same. A label in none of the maps is never guessed beyond one rule
(a label with the word *won* or *lost*): the rows are reported and dropped, and the report lists
the labels found so that ``status_map={"Sleeping": "open"}`` can name them. ``status_map`` is
read first, so it also overrides a default (``{"Contract Sent": "won"}``).

Sources of the default names: HubSpot's default sales pipeline (internal names such as
``appointmentscheduled`` and their labels), Salesforce's standard ``StageName`` picklist,
Pipedrive's deal ``status`` (open / won / lost) and its default pipeline stages, Zoho CRM's
default ``Stage`` picklist.

Examples
--------
>>> stage_status("closedwon"), stage_status("Id. Decision Makers"), stage_status("Engaging")
('won', 'open', 'open')
>>> stage_status("Sleeping") is None
True
>>> stage_status("Sleeping", {"sleeping": "lost"})
'lost'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from roi_kit.errors import ConfigError
from roi_kit.io.aliases import normalise

__all__ = ["STAGE_MAPS", "DealStatus", "StageMap", "check_status_map", "stage_status"]

DealStatus = Literal["won", "lost", "open"]
STATUSES: tuple[str, ...] = get_args(DealStatus)


@dataclass(frozen=True)
class StageMap:
    """Stage labels of one CRM's default pipeline, by the canonical status they mean."""

    crm: str
    won: tuple[str, ...]
    lost: tuple[str, ...]
    open: tuple[str, ...]

    def labels(self) -> dict[str, DealStatus]:
        """``{normalised label: status}`` for every label of this map."""
        out: dict[str, DealStatus] = {}
        for status, labels in (("won", self.won), ("lost", self.lost), ("open", self.open)):
            for label in labels:
                out[normalise(label)] = status  # type: ignore[assignment]
        return out


STAGE_MAPS: tuple[StageMap, ...] = (
    StageMap("HubSpot", won=("Closed Won", "closedwon"), lost=("Closed Lost", "closedlost"),
             open=("Appointment Scheduled", "appointmentscheduled", "Qualified To Buy",
                   "qualifiedtobuy", "Presentation Scheduled", "presentationscheduled",
                   "Decision Maker Bought-In", "decisionmakerboughtin", "Contract Sent",
                   "contractsent")),
    StageMap("Salesforce", won=("Closed Won",), lost=("Closed Lost",),
             open=("Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
                   "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
                   "Negotiation/Review")),
    StageMap("Pipedrive", won=("won",), lost=("lost",),
             open=("open", "Lead In", "Qualified", "Contact Made", "Demo Scheduled",
                   "Needs Defined", "Proposal Made", "Negotiations Started")),
    StageMap("Zoho CRM", won=("Closed Won",),
             lost=("Closed Lost", "Closed-Lost to Competition", "Closed Lost to Competition"),
             open=("Qualification", "Needs Analysis", "Value Proposition",
                   "Identify Decision Makers", "Proposal/Price Quote", "Negotiation/Review")),
    StageMap("generic", won=("Won", "Win", "Closed - Won", "Signed", "Booked", "Gewonnen", "Gagné",
                             "Ganado"),
             lost=("Lost", "Loss", "Closed - Lost", "Rejected", "Verloren", "Perdu", "Perdido"),
             open=("Open", "Pending", "In Progress", "Lead", "New", "Prospecting", "Engaging",
                   "Qualifying", "Qualified", "Contacted", "Discovery", "Demo", "Trial",
                   "Proposal", "Proposal Sent", "Negotiation", "In Negotiation", "Active")),
)
"""Default pipelines, one per CRM (documented in ``docs/loading.md``)."""


def _all_labels() -> dict[str, DealStatus]:
    out: dict[str, DealStatus] = {}
    for stage_map in STAGE_MAPS:
        out.update(stage_map.labels())
    return out


DEFAULT_STAGES: dict[str, DealStatus] = _all_labels()


def check_status_map(status_map: Mapping[str, str] | None) -> dict[str, str]:
    """``status_map`` with normalised labels; a value other than won / lost / open is refused.

    Examples
    --------
    >>> check_status_map({"Signed - paid": "won"})
    {'signed paid': 'won'}
    """
    out: dict[str, str] = {}
    for label, status in (status_map or {}).items():
        if status not in STATUSES:
            raise ConfigError(
                f"status_map={{{label!r}: {status!r}}}: {status!r} is not a deal status.",
                hint="map each stage label to 'won', 'lost' or 'open'.")
        out[normalise(label)] = status
    return out


def stage_status(label: str, extra: Mapping[str, str] | None = None) -> str | None:
    """Canonical status of a stage label: ``extra`` (normalised labels) first, then the defaults.

    A label outside every map that contains the word *won* or *lost* (``Closed - Won (paid)``)
    takes that status; anything else is ``None`` (unknown, reported by the loader).
    """
    key = normalise(label)
    if extra and key in extra:
        return extra[key]
    if key in DEFAULT_STAGES:
        return DEFAULT_STAGES[key]
    words = key.split()
    if "won" in words:
        return "won"
    if "lost" in words:
        return "lost"
    return None
