"""GA4-style default channel grouping with ordered, user-editable rules.

A :class:`ChannelRule` matches normalised ``source`` / ``medium`` / ``campaign`` values (see
:mod:`roi_kit.attribution.utm`); the first rule that matches decides the channel, and rows no
rule matches are ``Unassigned``. The default rules follow Google Analytics 4's default channel
group definitions, merged into the groups roi_kit reports:

==============  ==================================================================================
Direct          source ``(direct)``/``direct``/missing and medium ``(none)``/``(not set)``/missing
Paid Search     source in :data:`SEARCH_SOURCES` and a paid medium (``cpc``, ``ppc``, ``paid*``, ``*cp*``, ``retargeting``)
Paid Social     source in :data:`SOCIAL_SOURCES` and a paid medium, or medium ``paid_social``/``paid-social``/``paidsocial``
Video           source in :data:`VIDEO_SOURCES` and a paid medium (GA4's "Paid Video")
Display         medium ``display``, ``banner``, ``expandable``, ``interstitial``, ``cpm``
Organic Social  source in :data:`SOCIAL_SOURCES`, or medium ``social``, ``social-network``, ``social-media``, ``sm``, ``organic_social``
Video           source in :data:`VIDEO_SOURCES` or a medium containing ``video`` (GA4's "Organic Video")
Organic Search  source in :data:`SEARCH_SOURCES` or medium ``organic``
Email           source or medium ``email``, ``e-mail``, ``e_mail``, ``e mail``, ``newsletter``
Affiliates      medium ``affiliate``/``affiliates``
Referral        medium ``referral``, ``app``, ``link``
==============  ==================================================================================

As in GA4, YouTube and Vimeo are *video* sites, not social ones: their traffic is ``Video``.

Examples
--------
>>> import pandas as pd
>>> tp = pd.DataFrame({"source": ["facebook", "google", "fb", None, "newsletter"],
...                    "medium": ["cpc", "organic", "social", None, "email"]})
>>> channel_group(tp)["channel"].tolist()
['Paid Social', 'Organic Search', 'Organic Social', 'Direct', 'Email']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from roi_kit.attribution.utm import _utm_exprs
from roi_kit.engine import as_frame, column_names
from roi_kit.errors import ConfigError

__all__ = [
    "CHANNEL_GROUPS",
    "DEFAULT_CHANNEL_RULES",
    "SEARCH_SOURCES",
    "SOCIAL_SOURCES",
    "VIDEO_SOURCES",
    "ChannelRule",
    "channel_expr",
    "channel_group",
]

CHANNEL_GROUPS: tuple[str, ...] = (
    "Organic Social", "Paid Social", "Email", "Organic Search", "Paid Search", "Referral",
    "Direct", "Display", "Video", "Affiliates", "Unassigned",
)
"""The default channel groups, in the order charts list them."""

SOCIAL_SOURCES: tuple[str, ...] = (
    "facebook", "instagram", "linkedin", "x", "twitter", "tiktok", "pinterest", "reddit",
    "snapchat", "threads", "tumblr", "quora", "whatsapp", "messenger", "telegram", "discord",
    "mastodon", "bluesky", "bsky.app", "vk", "weibo", "wechat", "line", "xing", "meetup",
    "nextdoor", "medium.com", "substack", "lemon8", "kakao", "naver blog", "social",
)
"""Sources that count as social networks (after alias normalisation, so ``fb`` is ``facebook``)."""

SEARCH_SOURCES: tuple[str, ...] = (
    "google", "bing", "yahoo", "duckduckgo", "baidu", "yandex", "ecosia", "naver", "ask",
    "aol", "brave", "qwant", "startpage", "seznam", "sogou", "so.com", "perplexity", "chatgpt",
)
"""Sources that count as search engines."""

VIDEO_SOURCES: tuple[str, ...] = ("youtube", "vimeo", "twitch", "dailymotion", "wistia", "vidyard")
"""Sources that count as video sites (GA4 keeps YouTube out of the social list)."""

PAID_MEDIUM = "^(?:.*cp.*|ppc|retargeting|paid.*)$"
"""GA4's regular expression for paid media."""


@dataclass(frozen=True)
class ChannelRule:
    """One ordered rule of a channel grouping.

    The rule matches when *all* of its given conditions hold (``match="all"``) or when *any*
    does (``match="any"``). Values are compared after normalisation (lower case, stripped,
    aliases mapped), so write them in lower case. Regular expressions should use non-capturing
    groups ``(?:...)`` and the syntax common to Python, Rust, RE2 and Java (anchors,
    alternation, ``.*``) so that every engine reads them alike.

    Parameters
    ----------
    channel
        The channel group name given to matching rows.
    source_in, medium_in
        Exact values (any of them).
    source_regex, medium_regex, campaign_regex
        Regular expressions searched in the value.
    match
        ``"all"`` or ``"any"`` of the given conditions.

    Examples
    --------
    >>> import pandas as pd
    >>> rules = (ChannelRule("Podcast", medium_in=("podcast", "audio")), *DEFAULT_CHANNEL_RULES)
    >>> channel_group(pd.DataFrame({"source": ["spotify"], "medium": ["Podcast"]}),
    ...               rules=rules)["channel"].tolist()
    ['Podcast']
    """

    channel: str
    source_in: tuple[str, ...] = ()
    medium_in: tuple[str, ...] = ()
    source_regex: str | None = None
    medium_regex: str | None = None
    campaign_regex: str | None = None
    match: str = "all"

    def __post_init__(self) -> None:
        if self.match not in ("all", "any"):
            raise ConfigError(
                f"ChannelRule({self.channel!r}) has match={self.match!r}.",
                hint="use match='all' (every condition) or match='any' (at least one).",
            )
        if not (self.source_in or self.medium_in or self.source_regex or self.medium_regex
                or self.campaign_regex):
            raise ConfigError(
                f"ChannelRule({self.channel!r}) has no condition and would match every row.",
                hint="give source_in, medium_in or a *_regex condition.",
            )

    def expr(self, source: nw.Expr, medium: nw.Expr, campaign: nw.Expr) -> nw.Expr:
        """The rule as a boolean narwhals expression (missing values never match)."""
        conds: list[nw.Expr] = []
        if self.source_in:
            conds.append(source.is_in(list(self.source_in)).fill_null(False))
        if self.source_regex:
            conds.append(source.str.contains(self.source_regex).fill_null(False))
        if self.medium_in:
            conds.append(medium.is_in(list(self.medium_in)).fill_null(False))
        if self.medium_regex:
            conds.append(medium.str.contains(self.medium_regex).fill_null(False))
        if self.campaign_regex:
            conds.append(campaign.str.contains(self.campaign_regex).fill_null(False))
        out = conds[0]
        for c in conds[1:]:
            out = (out & c) if self.match == "all" else (out | c)
        return out


_SOCIAL_MEDIA = ("social", "social-network", "social-media", "sm", "social network",
                 "social media", "organic_social", "organic-social")
_EMAIL = "^(?:email|e-mail|e_mail|e mail|newsletter)$"

DEFAULT_CHANNEL_RULES: tuple[ChannelRule, ...] = (
    ChannelRule("Paid Search", source_in=SEARCH_SOURCES, medium_regex=PAID_MEDIUM),
    ChannelRule("Paid Social", source_in=SOCIAL_SOURCES, medium_regex=PAID_MEDIUM),
    ChannelRule("Paid Social", medium_in=("paid_social", "paid-social", "paidsocial", "social_paid",
                                          "social-paid", "paid social")),
    ChannelRule("Video", source_in=VIDEO_SOURCES, medium_regex=PAID_MEDIUM),
    ChannelRule("Display", medium_in=("display", "banner", "expandable", "interstitial", "cpm")),
    ChannelRule("Organic Social", source_in=SOCIAL_SOURCES, medium_in=_SOCIAL_MEDIA, match="any"),
    ChannelRule("Video", source_in=VIDEO_SOURCES, medium_regex="video", match="any"),
    ChannelRule("Organic Search", source_in=SEARCH_SOURCES, medium_in=("organic",), match="any"),
    ChannelRule("Email", source_regex=_EMAIL, medium_regex=_EMAIL, match="any"),
    ChannelRule("Affiliates", medium_in=("affiliate", "affiliates")),
    ChannelRule("Referral", medium_in=("referral", "app", "link")),
)
"""GA4-style default rules (the Direct rule is built in and checked first)."""


def _is_direct(source: nw.Expr, medium: nw.Expr) -> nw.Expr:
    src_direct = source.is_null() | source.is_in(["(direct)", "direct"]).fill_null(False)
    med_none = medium.is_null() | medium.is_in(["(none)", "(not set)", "none", "direct"]).fill_null(False)
    return src_direct & med_none


def channel_expr(
    source: nw.Expr,
    medium: nw.Expr,
    campaign: nw.Expr | None = None,
    *,
    rules: Sequence[ChannelRule] | None = None,
    unassigned: str = "Unassigned",
) -> nw.Expr:
    """The channel grouping as one narwhals expression over normalised source/medium/campaign.

    Examples
    --------
    >>> import pandas as pd, narwhals as nw
    >>> f = nw.from_native(pd.DataFrame({"s": ["bing"], "m": ["cpc"]}))
    >>> f.select(ch=channel_expr(nw.col("s"), nw.col("m"))).to_native()["ch"].tolist()
    ['Paid Search']
    """
    rules = DEFAULT_CHANNEL_RULES if rules is None else tuple(rules)
    camp = nw.lit(None, nw.String) if campaign is None else campaign
    out: nw.Expr = nw.lit(unassigned)
    for rule in reversed(rules):
        out = nw.when(rule.expr(source, medium, camp)).then(nw.lit(rule.channel)).otherwise(out)
    return nw.when(_is_direct(source, medium)).then(nw.lit("Direct")).otherwise(out)


def channel_group(
    data: Any,
    *,
    rules: Sequence[ChannelRule] | None = None,
    url: str | None = "url",
    into: str = "channel",
) -> Any:
    """Add a channel-group column to touchpoints, computed in the caller's engine.

    Source, medium and campaign are first normalised (UTM tags from ``url`` win, then the
    ``source``/``medium``/``campaign`` columns; see :func:`~roi_kit.attribution.utm.parse_utm`).

    Parameters
    ----------
    data
        Touchpoints with ``source``/``medium`` columns and/or a landing ``url`` with UTM tags.
    rules
        Ordered rules; the first match wins (default :data:`DEFAULT_CHANNEL_RULES`). Direct
        traffic is recognised before any rule.
    url
        Name of the URL column (``None`` to ignore URLs).
    into
        Name of the new column.

    Returns
    -------
    A native frame of the same engine with the normalised UTM columns and ``into`` added.

    Examples
    --------
    >>> import pandas as pd
    >>> tp = pd.DataFrame({"url": ["https://x.example/?utm_source=LinkedIn&utm_medium=paid_social",
    ...                            "https://x.example/?utm_source=youtube&utm_medium=video"]})
    >>> channel_group(tp)["channel"].tolist()
    ['Paid Social', 'Video']
    """
    frame = as_frame(data, name="touchpoints")
    exprs = _utm_exprs(column_names(frame), url=url)
    frame = frame.with_columns(**exprs)
    ch = channel_expr(nw.col("source"), nw.col("medium"), nw.col("campaign"), rules=rules)
    return nw.to_native(frame.with_columns(ch.alias(into)))
