"""UTM tags: parse them from landing URLs and normalise the tagging mistakes people make.

Everything here builds narwhals expressions, so parsing runs inside the caller's engine (pandas,
polars, DuckDB, Spark). Only the small report of *distinct* raw ``source / medium`` pairs comes
back to pandas.

Normalisation (in this order):

1. ``utm_*`` values are taken from the URL query string when present (parameter names are
   matched case-insensitively), otherwise from the ``source`` / ``medium`` / ``campaign`` columns;
2. ``+`` and ``%20`` become spaces, surrounding whitespace is stripped, text is lower-cased;
3. a leading ``www.`` is dropped, and known aliases of a platform (``fb``, ``m.facebook.com``,
   ``l.facebook.com``, ``lnkd.in``, ``t.co``, ``twitter`` ...) are mapped onto one name — see
   :data:`SOURCE_ALIASES`;
4. empty values become missing; a missing source *and* medium is direct traffic
   (``(direct) / (none)``), as in GA4.

Examples
--------
>>> import pandas as pd
>>> tp = pd.DataFrame({"url": ["https://shop.example/?utm_source=Facebook%20&utm_medium=CPC",
...                            "https://shop.example/p?UTM_SOURCE=lnkd.in&utm_medium=social"]})
>>> parse_utm(tp)[["source", "medium"]].values.tolist()
[['facebook', 'cpc'], ['linkedin', 'social']]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import narwhals as nw
import pandas as pd

from roi_kit.attribution.clicks import click_id, referrer_host
from roi_kit.engine import as_frame, column_names, to_pandas

__all__ = ["SOURCE_ALIASES", "UTM_FIELDS", "normalize_text", "parse_utm", "source_expr", "tagging_report"]

UTM_FIELDS: tuple[str, ...] = ("source", "medium", "campaign", "content", "term")
"""The five UTM parameters; ``utm_<field>`` in a URL fills the column ``<field>``."""

SOURCE_ALIASES: dict[str, tuple[str, ...]] = {
    "facebook": ("fb", "facebook.com", "m.facebook.com", "l.facebook.com", "lm.facebook.com",
                 "web.facebook.com", "business.facebook.com", "fb.com", "fb.me", "meta"),
    "instagram": ("ig", "instagram.com", "l.instagram.com", "insta"),
    "linkedin": ("linkedin.com", "lnkd.in", "li", "linked_in", "linked-in", "lnkd"),
    "x": ("t.co", "twitter", "twitter.com", "x.com", "tw", "mobile.twitter.com"),
    "youtube": ("youtube.com", "m.youtube.com", "youtu.be", "yt"),
    "tiktok": ("tiktok.com", "vm.tiktok.com", "tt"),
    "pinterest": ("pinterest.com", "pin.it"),
    "reddit": ("reddit.com", "out.reddit.com", "old.reddit.com"),
    "google": ("google.com", "google.co.uk", "google.de", "googleads", "adwords"),
    "bing": ("bing.com", "msn", "microsoft ads"),
    "newsletter": ("news letter", "news-letter"),
}
"""Canonical source name -> raw values (after lower-casing and stripping ``www.``) that mean it."""

_ALIAS_TO_CANONICAL: dict[str, str] = {
    raw: canon for canon, raws in SOURCE_ALIASES.items() for raw in raws
}


def normalize_text(expr: nw.Expr) -> nw.Expr:
    """Lower-case, decode ``+``/``%20`` as spaces, strip whitespace; empty text becomes missing.

    Examples
    --------
    >>> import pandas as pd, narwhals as nw
    >>> f = nw.from_native(pd.DataFrame({"s": [" Facebook ", "", None]}))
    >>> f.select(normalize_text(nw.col("s")).alias("s")).to_native()["s"].isna().tolist()
    [False, True, True]
    """
    text = (
        expr.cast(nw.String)
        .str.replace_all("%20", " ", literal=True)
        .str.replace_all("+", " ", literal=True)
        .str.strip_chars()
        .str.to_lowercase()
    )
    return nw.when(text.str.len_chars() > 0).then(text)


def source_expr(expr: nw.Expr) -> nw.Expr:
    """Normalise a source: :func:`normalize_text`, drop ``www.``, map aliases (``fb`` -> ``facebook``).

    Examples
    --------
    >>> import pandas as pd, narwhals as nw
    >>> f = nw.from_native(pd.DataFrame({"s": ["FB", "www.LinkedIn.com", "t.co", "newsletter"]}))
    >>> f.select(source_expr(nw.col("s")).alias("s")).to_native()["s"].tolist()
    ['facebook', 'linkedin', 'x', 'newsletter']
    """
    text = normalize_text(expr).str.replace_all("^www\\.", "")
    return text.replace_strict(_ALIAS_TO_CANONICAL, default=text, return_dtype=nw.String)


def _url_param(url: nw.Expr, field: str) -> nw.Expr:
    """Value of ``utm_<field>`` in a URL (missing when absent); no capture groups, so it is portable."""
    text = url.cast(nw.String)
    # (?i): parameter names match case-insensitively while the value keeps its case, so the
    # tagging report can show the raw value; (?i) reads the same in Python, Rust, RE2 and Java
    key = f"(?i)[?&#;]utm_{field}="
    value = text.str.replace_all(f"(?i)^.*?[?&#;]utm_{field}=", "").str.replace_all("[&#;].*$", "")
    return nw.when(text.str.contains(key)).then(value)


def _untagged(columns: list[str], url: str | None, referrer: str | None
               ) -> tuple[nw.Expr, nw.Expr] | None:
    """(source, medium) of an untagged touch from its click ID, else its referrer (see
    :mod:`roi_kit.attribution.clicks`); None when the data have neither column."""
    from roi_kit.attribution.channels import SEARCH_SOURCES

    src: nw.Expr | None = None
    med: nw.Expr | None = None
    if referrer is not None and referrer in columns:
        src = source_expr(referrer_host(nw.col(referrer)))
        med = (nw.when(src.is_in(list(SEARCH_SOURCES)).fill_null(False)).then(nw.lit("organic"))
               .otherwise(nw.when(~src.is_null()).then(nw.lit("referral"))))
    if url is not None and url in columns:
        u = nw.col(url)
        src = click_id(u, part=0) if src is None else nw.coalesce(click_id(u, part=0), src)
        med = click_id(u, part=1) if med is None else nw.coalesce(click_id(u, part=1), med)
    return None if src is None or med is None else (src, med)


def _utm_exprs(columns: list[str], *, url: str | None,
               referrer: str | None = "referrer") -> dict[str, nw.Expr]:
    """Expressions for the five normalised UTM fields from a URL column and/or plain columns;
    untagged touches take their source / medium from a click ID or the referrer."""
    exprs = _tag_exprs(columns, url=url)
    fallback = _untagged(columns, url, referrer)
    if fallback is not None:
        src, med = exprs["source"], exprs["medium"]
        tagged = (~src.is_null() & ~src.is_in(["(direct)", "direct"]).fill_null(False)) | (
            ~med.is_null() & ~med.is_in(["(none)", "(not set)", "none", "direct"]).fill_null(False))
        exprs["source"] = nw.when(tagged).then(src).otherwise(nw.coalesce(fallback[0], src))
        exprs["medium"] = nw.when(tagged).then(med).otherwise(nw.coalesce(fallback[1], med))
    return exprs


def _tag_exprs(columns: list[str], *, url: str | None) -> dict[str, nw.Expr]:
    """The five UTM fields from URL tags and/or plain columns, normalised."""
    exprs: dict[str, nw.Expr] = {}
    for field in UTM_FIELDS:
        parts: list[nw.Expr] = []
        if url is not None and url in columns:
            parts.append(_url_param(nw.col(url), field))
        if field in columns:
            parts.append(nw.col(field))
        if not parts:
            exprs[field] = nw.lit(None, nw.String)
            continue
        raw = parts[0] if len(parts) == 1 else nw.coalesce(*parts)
        exprs[field] = source_expr(raw) if field == "source" else normalize_text(raw)
    return exprs


def parse_utm(data: Any, *, url: str | None = "url") -> Any:
    """Add normalised ``source, medium, campaign, content, term`` columns parsed from UTM tags.

    Values in the URL win over existing columns of the same name; existing columns fill the rest.
    The work runs in the caller's engine and the result is a frame of the same engine; the
    caller's frame is not modified.

    Parameters
    ----------
    data
        Touchpoints (any frame narwhals supports) with a ``url`` column and/or ``source`` /
        ``medium`` / ``campaign`` / ``content`` / ``term`` columns.
    url
        Name of the landing-URL column (``None`` to ignore URLs).

    Returns
    -------
    A native frame of the same engine with the five UTM columns (normalised) added or replaced.

    Examples
    --------
    >>> import pandas as pd
    >>> tp = pd.DataFrame({"url": ["https://a.example/?utm_source=fb&utm_medium=Paid_Social"
    ...                            "&utm_campaign=Spring+Sale", None],
    ...                    "source": [None, "Newsletter "], "medium": [None, "EMAIL"]})
    >>> parse_utm(tp)[["source", "medium", "campaign"]].fillna("-").values.tolist()
    [['facebook', 'paid_social', 'spring sale'], ['newsletter', 'email', '-']]
    """
    frame = as_frame(data, name="touchpoints")
    columns = column_names(frame)
    exprs = _utm_exprs(columns, url=url)
    return nw.to_native(frame.with_columns(**exprs))


def tagging_report(data: Any, *, url: str | None = "url") -> pd.DataFrame:
    """Distinct raw ``source / medium`` values, what they were normalised to, and how many rows.

    Only rows whose value changed (beyond nothing) are listed, so the table is the list of tagging
    mistakes to fix at the source: case and whitespace variants, platform aliases
    (``m.facebook.com``), URL tags that disagree with the columns.

    Returns
    -------
    pandas.DataFrame with columns ``raw_source, raw_medium, source, medium, rows, issue``.

    Examples
    --------
    >>> import pandas as pd
    >>> tp = pd.DataFrame({"source": ["Facebook ", "facebook", "fb"], "medium": ["cpc"] * 3})
    >>> tagging_report(tp)[["raw_source", "source", "rows", "issue"]].values.tolist()
    [['Facebook ', 'facebook', 1, 'case or whitespace'], ['fb', 'facebook', 1, 'alias of facebook']]
    """
    frame = as_frame(data, name="touchpoints")
    return _tagging_report(frame, url, _utm_exprs(column_names(frame), url=url))


def _tagging_report(frame: Any, url: str | None, exprs: Mapping[str, nw.Expr]) -> pd.DataFrame:
    """:func:`tagging_report` of a narwhals ``frame`` whose normalised source and medium are
    ``exprs["source"]`` / ``exprs["medium"]`` (a caller that has them as columns passes
    ``nw.col``: the URL is then not parsed again)."""
    columns = column_names(frame)
    untagged = _untagged_report(frame, columns, url, exprs)
    raw: dict[str, nw.Expr] = {}
    for field in ("source", "medium"):
        parts = []
        if url is not None and url in columns:
            parts.append(_url_param(nw.col(url), field))
        if field in columns:
            parts.append(nw.col(field).cast(nw.String))
        raw[f"raw_{field}"] = (nw.coalesce(*parts) if len(parts) > 1 else parts[0]) if parts else nw.lit(None, nw.String)
    grouped = (
        frame.select(**raw, source=exprs["source"], medium=exprs["medium"])
        .group_by("raw_source", "raw_medium", "source", "medium", drop_null_keys=False)
        .agg(nw.len().alias("rows"))
    )
    table = to_pandas(grouped)
    if table.empty and untagged.empty:
        return pd.DataFrame(columns=["raw_source", "raw_medium", "source", "medium", "rows", "issue"])
    issues = []
    for rs, rm, s, m in table[["raw_source", "raw_medium", "source", "medium"]].itertuples(index=False):
        issues.append(_issue(rs, s) or _issue(rm, m, medium=True) or "")
    table["issue"] = issues
    table = table[(table["issue"] != "") & table["raw_source"].notna()]  # untagged: listed below
    table = pd.concat([table, untagged], ignore_index=True) if len(untagged) else table
    table["rows"] = table["rows"].astype("int64")
    # ties in rows are ordered by the raw values: the group order of the engine is not fixed
    return table.sort_values(["source", "rows", "raw_source", "raw_medium", "issue"],
                             ascending=[True, False, True, True, True], kind="stable"
                             ).reset_index(drop=True)


def _untagged_report(frame: Any, columns: list[str], url: str | None,
                     exprs: Mapping[str, nw.Expr]) -> pd.DataFrame:
    """Untagged touches read from a click ID, or from a social network's referrer, with counts."""
    from roi_kit.attribution.channels import SOCIAL_SOURCES

    tags = _tag_exprs(columns, url=url)
    untagged = tags["source"].is_null() & tags["medium"].is_null()
    cid = click_id(nw.col(url)) if url is not None and url in columns else nw.lit(None, nw.String)
    host = (referrer_host(nw.col("referrer")) if "referrer" in columns
            else nw.lit(None, nw.String))
    social = exprs["source"].is_in(list(SOCIAL_SOURCES)).fill_null(False)
    evidence = nw.when(untagged & ~cid.is_null()).then(
        nw.concat_str([nw.lit("click ID only ("), cid, nw.lit(")")])).otherwise(
        nw.when(untagged & ~host.is_null() & social).then(
            nw.concat_str([nw.lit("untagged social referrer ("), host, nw.lit(")")])))
    out = to_pandas(frame.select(source=exprs["source"], medium=exprs["medium"], issue=evidence)
                    .filter(~nw.col("issue").is_null())
                    .group_by("source", "medium", "issue").agg(nw.len().alias("rows")))
    out.insert(0, "raw_medium", None)
    out.insert(0, "raw_source", None)
    return out[["raw_source", "raw_medium", "source", "medium", "rows", "issue"]]


def _issue(raw: Any, norm: Any, *, medium: bool = False) -> str | None:
    """Describe how a raw tag differs from its normalised form (None when they agree)."""
    raw_s = None if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw)
    norm_s = None if norm is None or (isinstance(norm, float) and pd.isna(norm)) else str(norm)
    if raw_s == norm_s:
        return None
    if raw_s is None or norm_s is None:
        return "empty value" if raw_s is not None else None
    cleaned = raw_s.replace("%20", " ").replace("+", " ").strip().lower()
    if cleaned.startswith("www."):
        cleaned = cleaned[4:]
    if cleaned == norm_s:
        return "case or whitespace"
    if not medium and _ALIAS_TO_CANONICAL.get(cleaned) == norm_s:
        return f"alias of {norm_s}"
    return "normalised"
