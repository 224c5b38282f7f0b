"""Fictional names (people, companies, handles, e-mails), built vectorised from small pools.

Accented names are deliberate: the messy European export writes them in cp1252, and matching by
e-mail must cope with the ASCII-folded local parts.

Examples
--------
>>> import numpy as np
>>> people = person_names(np.random.default_rng(0), 3)
>>> len(people[0]), people[1][0] == ascii_slug(people[0][0])
(3, True)
>>> ascii_slug("Zoë Núñez-Ødegård")
'zoe.nunez-odegard'
"""

from __future__ import annotations

import unicodedata

import numpy as np
import polars as pl

__all__ = [
    "ascii_slug", "company_codes", "company_names", "company_pools", "person_codes",
    "person_names", "person_pools",
]

FIRST = (
    "Anna", "Lukas", "Sofia", "Mateo", "Emma", "Noah", "Léa", "Jürgen", "Chloé", "José", "Zoë",
    "Søren", "Agnès", "Björn", "Inês", "François", "Małgorzata", "Olivia", "Liam", "Mia", "Elias",
    "Hannah", "Jonas", "Laura", "David", "Sara", "Marco", "Julia", "Tomás", "Ana", "Pedro", "Eva",
    "Felix", "Nora", "Oskar", "Ida", "Rafael", "Clara", "Hugo", "Marta", "Amélie", "Renée",
    "Kai", "Leonie", "Aiko", "Priya", "Omar", "Fatima", "Chen", "Grace",
)
LAST = (
    "Müller", "García", "Dubois", "Rossi", "Jensen", "Nowak", "Smith", "Johnson", "Schröder",
    "Martínez", "Lefèvre", "Ødegård", "Núñez", "Çelik", "Weiß", "Brown", "Wilson", "Taylor",
    "Fischer", "Bauer", "Moreau", "Bianchi", "Larsen", "Kowalski", "Costa", "Silva", "Novák",
    "Horvát", "Lindqvist", "Åberg", "Hoffmann", "Wagner", "Becker", "Lopez", "Fernández",
    "Kim", "Tanaka", "Patel", "Nguyen", "O'Brien", "Walsh", "Murphy", "de Vries", "Jansen",
    "Peeters", "Svensson", "Nieminen", "Papadopoulos", "Kovačić", "Ibáñez",
)
COMPANY_A = (
    "Blue", "North", "Bright", "Silver", "Green", "Nordic", "Alpine", "Urban", "Quantum", "Solar",
    "Crystal", "Iron", "Maple", "Harbor", "Summit", "Coral", "Amber", "Polar", "Rapid", "Noble",
    "Café", "Société", "Überall", "Crème", "Øresund", "Zürich", "Málaga", "Bergen", "Lumière",
    "Atlas",
)
COMPANY_B = (
    "Logistics", "Labs", "Foods", "Systems", "Retail", "Health", "Finance", "Works", "Partners",
    "Dynamics", "Studio", "Energy", "Textiles", "Robotics", "Media", "Consulting", "Bakery",
    "Pharma", "Motors", "Analytics",
)
COMPANY_C = ("GmbH", "AG", "S.A.", "SARL", "B.V.", "AB", "Ltd", "Inc.", "ApS", "S.p.A.", "Oy", "")


def ascii_slug(text: str) -> str:
    """Lower-case ASCII slug of a name (accents folded, spaces to dots, apostrophes dropped)."""
    folded = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O")
                                   .replace("ß", "ss").replace("ł", "l").replace("Ł", "L"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return plain.lower().replace("'", "").replace(" ", ".").replace("&", "and")


def _pool(values: tuple[str, ...], slug: bool = False) -> np.ndarray:
    if slug:
        return np.array([ascii_slug(v) for v in values], dtype=object)
    return np.array(values, dtype=object)


def _product(left: np.ndarray, sep: str, right: np.ndarray) -> np.ndarray:
    """Every ``left[i] + sep + right[j]`` at index ``i * len(right) + j``."""
    return np.array([f"{a}{sep}{b}".rstrip() for a in left for b in right], dtype=object)


def person_pools() -> dict[str, pl.Series]:
    """Every first × last combination: display name, e-mail local part, handle stem."""
    local = _product(_pool(FIRST, True), ".", _pool(LAST, True))
    return {
        "display": pl.Series(_product(_pool(FIRST), " ", _pool(LAST)).tolist(), dtype=pl.String),
        "local": pl.Series(local.tolist(), dtype=pl.String),
        "handle": pl.Series([v.replace(".", "_").replace("-", "_") for v in local.tolist()],
                            dtype=pl.String),
    }


def company_pools() -> dict[str, pl.Series]:
    """Every company name (with legal suffix) and the domain slug of its first two words."""
    base = _product(_pool(COMPANY_A), " ", _pool(COMPANY_B))
    return {
        "name": pl.Series(_product(base, " ", _pool(COMPANY_C)).tolist(), dtype=pl.String),
        "slug": pl.Series(_product(_pool(COMPANY_A, True), "-", _pool(COMPANY_B, True)).tolist(),
                          dtype=pl.String),
    }


def person_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Indices into :func:`person_pools` for ``n`` people."""
    return rng.integers(0, len(FIRST) * len(LAST), n)


def company_codes(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices into the ``name`` and ``slug`` pools of :func:`company_pools`."""
    k = rng.integers(0, len(COMPANY_A) * len(COMPANY_B), n)
    c = rng.integers(0, len(COMPANY_C), n)
    return k * len(COMPANY_C) + c, k


def person_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(display names, ascii e-mail local parts)`` of ``n`` fictional people."""
    k = person_codes(rng, n)
    pools = person_pools()
    return (pools["display"].gather(k).to_numpy(), pools["local"].gather(k).to_numpy())


def company_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(company names, ascii domain slugs)`` of ``n`` fictional companies (not unique)."""
    full, slug = company_codes(rng, n)
    pools = company_pools()
    return pools["name"].gather(full).to_numpy(), pools["slug"].gather(slug).to_numpy()
