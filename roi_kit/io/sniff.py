"""Sniff a delimited text file: its encoding, its delimiter and where its header row is.

Only a sample is looked at (the first :data:`SAMPLE` bytes): a byte-order mark or many NUL bytes
name the encoding, else the sample is tried as UTF-8 and falls back to a one-byte code page
(cp1252, or latin-1 when cp1252 leaves a byte undefined). The delimiter is the candidate of
:data:`DELIMITERS` whose records agree best on one width above 1; ``#`` comment lines (GA4) and
title lines with fewer than two filled fields above the header are counted so the reader skips them.

Examples
--------
>>> sniff("# GA4 export\\nReport title\\nid;amount\\nd1;1,5\\n", None)
(';', 2, ['id', 'amount'])
>>> detect_encoding("Größe;Menge\\n".encode("cp1252"), None), single_byte("cp1252")
(('cp1252', 0), True)
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

__all__ = ["DELIMITERS", "SAMPLE", "detect_encoding", "eight_bit", "single_byte", "sniff"]

DELIMITERS = (",", ";", "\t", "|")
SAMPLE = 1 << 16


def detect_encoding(data: Any, encoding: str | None) -> tuple[str, int]:
    """(encoding, bytes of BOM to skip)."""
    head = bytes(data[:4])
    if encoding:
        skip = 3 if encoding.lower().replace("_", "-") in {"utf-8-sig"} else 0
        return encoding, skip
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", 3
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", 0
    sample = bytes(data[:SAMPLE])
    if sample.count(b"\x00") > len(sample) // 4:
        return ("utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"), 0
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut by the sample boundary
            return eight_bit(sample), 0
    return "utf-8", 0


def eight_bit(data: Any) -> str:
    try:
        bytes(data).decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def sniff(text: str, delimiter: str | None) -> tuple[str, int, list[str]]:
    """(delimiter, records before the header, header fields) from a text sample."""
    lines = text.splitlines()[:200]
    preamble = 0
    while preamble < len(lines) - 1 and (lines[preamble].startswith("#") or not lines[preamble].strip()):
        preamble += 1
    body = "\n".join(lines[preamble:])
    best = (-1.0, 0, ",")
    for cand in ([delimiter] if delimiter else DELIMITERS):
        records = [r for r in csv.reader(io.StringIO(body), delimiter=cand) if r][:100]
        if not records:
            continue
        counts = [len(r) for r in records]
        width = max(set(counts), key=counts.count)
        agree = sum(c == width for c in counts) / len(counts)
        score = agree if width > 1 else 0.0
        if (score, width) > best[:2]:
            best = (score, width, cand)
    chosen = best[2]
    records = list(csv.reader(io.StringIO(body), delimiter=chosen))
    skip = 0
    width = best[1]
    while skip < len(records) - 1 and width > 1 and sum(1 for f in records[skip] if f.strip()) < 2:
        skip += 1
    header = records[skip] if records else []
    return chosen, preamble + skip, header


def single_byte(encoding: str) -> bool:
    """A code page of one byte per character that keeps ASCII (cp1252, latin-1, iso8859-15 ...)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("cp125", "iso8859-"))

