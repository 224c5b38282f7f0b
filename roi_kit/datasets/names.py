"""Fictional names (people, companies, handles, e-mails), built vectorised from small pools.

Accented names are deliberate: the messy European export writes them in cp1252, and matching by
e-mail must cope with the ASCII-folded local parts.

Examples
--------
>>> import numpy as np
>>> people = person_names(np.random.default_rng(0), 3)
>>> len(people[0]), people[0].dtype == object
(3, True)
>>> ascii_slug("Zoë Núñez-Ødegård")
'zoe.nunez-odegard'
"""

from __future__ import annotations

import unicodedata

import numpy as np

__all__ = ["ascii_slug", "company_names", "person_names"]

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


def person_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(display names, ascii e-mail local parts)`` of ``n`` fictional people."""
    k = rng.integers(0, len(FIRST) * len(LAST), n)
    display = _product(_pool(FIRST), " ", _pool(LAST))
    local = _product(_pool(FIRST, True), ".", _pool(LAST, True))
    return display[k], local[k]


def company_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(company names, ascii domain slugs)`` of ``n`` fictional companies (not unique)."""
    k = rng.integers(0, len(COMPANY_A) * len(COMPANY_B), n)
    c = rng.integers(0, len(COMPANY_C), n)
    base = _product(_pool(COMPANY_A), " ", _pool(COMPANY_B))
    full = _product(base, " ", _pool(COMPANY_C))
    slug = _product(_pool(COMPANY_A, True), "-", _pool(COMPANY_B, True))
    return full[k * len(COMPANY_C) + c], slug[k]
