"""Funnel stage presets for the business models analysts meet.

A :class:`FunnelStage` has a name, the event names that count as reaching it (a user reaches the
stage with any of them), whether it is a **micro** conversion (a step that signals progress: a
product view, a lead, a demo) or a **macro** conversion (the goal the business is paid for: an
order, a won deal, a sale), its phase in the awareness → interest → evaluation → purchase map,
and whether it is usually recorded **offline** (showroom visits, in-store purchases — import them
as events, e.g. from a CRM or coupon redemptions).

Presets (keys of :data:`FUNNEL_PRESETS`):

``dtc``               online shop: session → product_view → add_to_cart → checkout → order
``saas``              B2B/SaaS: visit → lead → MQL → SQL → demo → trial → won
``car_dealership``    visit → vehicle_view → lead → appointment → showroom_visit → sale
``brick_and_mortar``  visit → store_intent → coupon_claim → store_visit → in_store_purchase
``awareness_to_purchase``  the generic map: awareness → interest → evaluation → purchase

Event names follow the sample data (``rk.datasets``): saas uses visit, lead, mql, sql, demo, trial,
won; dtc uses session, product_view, add_to_cart, checkout, order. GA4's recommended event names
(the same ``event_name`` values as its BigQuery export) are aliases of the stages: ``page_view`` /
``session_start`` (session, visit), ``view_item`` (product_view, vehicle_view), ``add_to_cart``,
``begin_checkout`` / ``add_payment_info`` / ``add_shipping_info`` (checkout), ``generate_lead``
(lead) and ``purchase`` (order, sale). :func:`roi_kit.funnel` skips a preset stage the data
does not have, with a sentence in the result's notes.

Examples
--------
>>> FUNNEL_PRESETS["saas"].stage_names
('visit', 'lead', 'mql', 'sql', 'demo', 'trial', 'won')
>>> [s.name for s in FUNNEL_PRESETS["dtc"].stages if s.kind == "macro"]
['order']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from roi_kit.errors import ConfigError

__all__ = ["FUNNEL_PRESETS", "FunnelPreset", "FunnelStage", "Phase", "StageKind", "resolve_stages"]

StageKind = Literal["micro", "macro"]
Phase = Literal["awareness", "interest", "evaluation", "purchase"]


@dataclass(frozen=True)
class FunnelStage:
    """One funnel stage.

    Parameters
    ----------
    name
        Stage name shown in results.
    events
        Event names that count as reaching the stage (defaults to ``(name,)``).
    kind
        ``"micro"`` (progress signal) or ``"macro"`` (the business goal).
    phase
        Where the stage sits in awareness → interest → evaluation → purchase.
    offline
        True when the stage is usually recorded offline and imported.

    Examples
    --------
    >>> FunnelStage("order", events=("order", "purchase"), kind="macro").events
    ('order', 'purchase')
    """

    name: str
    events: tuple[str, ...] = ()
    kind: StageKind = "micro"
    phase: Phase | None = None
    offline: bool = False

    def __post_init__(self) -> None:
        if not self.events:
            object.__setattr__(self, "events", (self.name,))
        if self.kind not in ("micro", "macro"):
            raise ConfigError(f"stage {self.name!r} has kind={self.kind!r}.",
                              hint="use 'micro' or 'macro'.")


@dataclass(frozen=True)
class FunnelPreset:
    """A named, ordered list of stages.

    Examples
    --------
    >>> FUNNEL_PRESETS["car_dealership"].stage_names[-1]
    'sale'
    """

    name: str
    description: str
    stages: tuple[FunnelStage, ...]

    def __post_init__(self) -> None:
        check_stages(self.stages)

    @property
    def stage_names(self) -> tuple[str, ...]:
        """The stage names in order."""
        return tuple(s.name for s in self.stages)


def check_stages(stages: Sequence[FunnelStage]) -> None:
    """Raise :class:`ConfigError` unless there are ≥ 2 stages with unique names and events."""
    if len(stages) < 2:
        raise ConfigError(f"a funnel needs at least two stages, got {len(stages)}.",
                          hint="pass stages=['visit', 'lead', ...] or a preset name.")
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise ConfigError(f"stage names repeat: {names}.", hint="give every stage its own name.")
    seen: dict[str, str] = {}
    for stage in stages:
        for event in stage.events:
            if event in seen:
                raise ConfigError(
                    f"event {event!r} belongs to two stages ({seen[event]!r} and {stage.name!r}).",
                    hint="an event can count for one stage only.",
                )
            seen[event] = stage.name


def _s(name: str, *events: str, kind: StageKind = "micro", phase: Phase | None = None,
       offline: bool = False) -> FunnelStage:
    return FunnelStage(name, events=(name, *events), kind=kind, phase=phase, offline=offline)


FUNNEL_PRESETS: Mapping[str, FunnelPreset] = MappingProxyType({
    "dtc": FunnelPreset("dtc", "Direct-to-consumer online shop", (
        _s("session", "visit", "page_view", "session_start", phase="awareness"),
        _s("product_view", "view_item", phase="interest"),
        _s("add_to_cart", phase="evaluation"),
        _s("checkout", "begin_checkout", "add_payment_info", "add_shipping_info",
           phase="purchase"),
        _s("order", "purchase", kind="macro", phase="purchase"),
    )),
    "saas": FunnelPreset("saas", "B2B / SaaS: lead → MQL → SQL → demo → trial → won", (
        _s("visit", "session", "page_view", "session_start", phase="awareness"),
        _s("lead", "form_submit", "generate_lead", kind="macro", phase="interest"),
        _s("mql", phase="evaluation"),
        _s("sql", phase="evaluation"),
        _s("demo", "demo_request", phase="evaluation"),
        _s("trial", "trial_start", phase="evaluation"),
        _s("won", "closed_won", kind="macro", phase="purchase"),
    )),
    "car_dealership": FunnelPreset("car_dealership", "Car dealership (online to showroom)", (
        _s("visit", "session", "page_view", "session_start", phase="awareness"),
        _s("vehicle_view", "vdp_view", "view_item", phase="interest"),
        _s("lead", "inquiry", "call", "chat", "generate_lead", kind="macro", phase="evaluation"),
        _s("appointment", "test_drive_booked", phase="evaluation"),
        _s("showroom_visit", "test_drive", phase="evaluation", offline=True),
        _s("sale", "purchase", kind="macro", phase="purchase", offline=True),
    )),
    "brick_and_mortar": FunnelPreset("brick_and_mortar",
                                     "Physical store with offline conversions", (
        _s("visit", "session", "page_view", "session_start", "profile_visit", phase="awareness"),
        _s("store_intent", "directions", "click_to_call", "store_locator", phase="interest"),
        _s("coupon_claim", "offer_claim", phase="evaluation"),
        _s("store_visit", "coupon_redeemed", phase="purchase", offline=True),
        _s("in_store_purchase", "purchase", "pos_sale", kind="macro", phase="purchase",
           offline=True),
    )),
    "awareness_to_purchase": FunnelPreset("awareness_to_purchase",
                                          "Generic awareness → interest → evaluation → purchase", (
        FunnelStage("awareness", events=("reach", "impression", "view"), phase="awareness"),
        FunnelStage("interest", events=("like", "share", "follow", "link_click", "comment", "save",
                                        "visit", "session", "product_view", "page_view",
                                        "session_start", "view_item"), phase="interest"),
        FunnelStage("evaluation", events=("product_page_time", "inquiry", "demo_request", "trial",
                                          "qualified_lead", "lead", "mql", "sql", "demo",
                                          "add_to_cart", "checkout", "generate_lead",
                                          "begin_checkout", "add_payment_info"),
                    phase="evaluation"),
        FunnelStage("purchase", events=("order", "won", "closed_won", "purchase"), kind="macro",
                    phase="purchase"),
    )),
})
"""Stage presets by name (see the module docstring)."""


def resolve_stages(stages: str | FunnelPreset | Sequence[str | FunnelStage]
                   | Mapping[str, Sequence[str]]) -> tuple[FunnelStage, ...]:
    """Stages from a preset name, a preset, a list of names/stages or ``{stage: [events]}``.

    A plain list of names makes every stage micro except the last, which is macro.

    Examples
    --------
    >>> [(s.name, s.kind) for s in resolve_stages(["visit", "signup", "paid"])]
    [('visit', 'micro'), ('signup', 'micro'), ('paid', 'macro')]
    >>> resolve_stages({"seen": ["reach"], "bought": ["order", "purchase"]})[1].events
    ('order', 'purchase')
    """
    if isinstance(stages, FunnelPreset):
        return stages.stages
    if isinstance(stages, str):
        if stages not in FUNNEL_PRESETS:
            raise ConfigError(
                f"stages={stages!r} is not a preset. Presets: {', '.join(FUNNEL_PRESETS)}.",
                hint="pass a preset name or a list of event names in funnel order.",
            )
        return FUNNEL_PRESETS[stages].stages
    if isinstance(stages, Mapping):
        items = list(stages.items())
        out = tuple(FunnelStage(str(k), events=tuple(str(e) for e in v),
                                kind="macro" if i == len(items) - 1 else "micro")
                    for i, (k, v) in enumerate(items))
    else:
        seq = list(stages)
        out = tuple(s if isinstance(s, FunnelStage)
                    else FunnelStage(str(s), kind="macro" if i == len(seq) - 1 else "micro")
                    for i, s in enumerate(seq))
    check_stages(out)
    return out
