"""The messy "European export": saas deals and customers as a German-style CRM writes them.

Semicolon-delimited, cp1252-encoded, CRLF line ends, decimal comma with ``.`` thousands separators
and a trailing euro sign (``'1.234,56 €'``), day-first dates (``dd.mm.yyyy`` for deals,
``dd/mm/yyyy`` for customers), accented names, a quoted note containing a semicolon, and a few
deliberately bad rows. Every bad row is listed (spreadsheet row number, header = row 1) in
:data:`BadRow` records, in ``README.md`` and in ``bad_rows.json`` so that loader tests can assert
them exactly.

Examples
--------
>>> euro(1234.5), euro(-1250.0), euro(7.0)
('1.234,50 €', '-1.250,00 €', '7,00 €')
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

import pandas as pd

from roi_kit.datasets.sampledata import SampleData

__all__ = ["BadRow", "MessyExport", "build_messy", "euro"]

N_CUSTOMERS = 300


@dataclass(frozen=True)
class BadRow:
    """One deliberately bad row of the messy export."""

    file: str
    row: int          # spreadsheet row number, header = row 1
    column: str
    value: str
    problem: str


@dataclass(frozen=True)
class MessyExport:
    """The encoded files and the bad rows they contain."""

    deals: bytes
    customers: bytes
    bad_rows: tuple[BadRow, ...]
    n_deals: int
    n_customers: int

    def bad_rows_json(self) -> list[dict[str, object]]:
        """The bad rows as plain dicts."""
        return [asdict(b) for b in self.bad_rows]


def euro(x: float) -> str:
    """Format a number the German way with a euro sign: ``1.234,56 €``."""
    text = f"{abs(x):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return ("-" if x < 0 else "") + text + " €"


def _date(ts: pd.Series, sep: str) -> list[str]:
    return [("" if pd.isna(v) else v.strftime(f"%d{sep}%m{sep}%Y")) for v in ts]


def _encodable(s: pd.Series) -> pd.Series:
    def ok(v: object) -> bool:
        try:
            str(v).encode("cp1252")
        except UnicodeEncodeError:
            return False
        return True
    return s.map(ok).astype(bool)


def _encode(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("cp1252")


_NOTES = ("", "", "", "", "", "Rabatt 10 %; Zahlung in 2 Raten", "Verlängerung geprüft",
          "Kündigung angedroht", "Angebot über Geschäftsführer", "")


def build_messy(saas: SampleData) -> MessyExport:
    """The European export of the first customers of a saas sample (and all their deals)."""
    c = saas.customers
    ok = _encodable(c["name"]) & _encodable(c["contact"])
    cust = c.loc[ok].head(N_CUSTOMERS).reset_index(drop=True)
    deals = saas.deals.loc[saas.deals["customer_id"].isin(set(cust["customer_id"]))]
    deals = deals.sort_values("deal_id").reset_index(drop=True)

    d_header = ["deal_id", "customer_id", "created_at", "closed_at", "amount", "status", "kind",
                "source", "note"]
    d_rows = [[r.deal_id, r.customer_id, cr, cl, euro(r.amount), r.status, r.kind, r.source,
               _NOTES[i % len(_NOTES)]]
              for i, (r, cr, cl) in enumerate(zip(deals.itertuples(index=False),
                                                  _date(deals["created_at"], "."),
                                                  _date(deals["closed_at"], ".")))]
    bad: list[tuple[str, int, str, str, str]] = []   # (file, data index, column, value, problem)
    col = {name: i for i, name in enumerate(d_header)}

    def spoil(i: int, column: str, value: str, problem: str) -> None:
        d_rows[i][col[column]] = value
        bad.append(("deals.csv", i, column, value, problem))

    spoil(6, "amount", "", "missing amount")
    spoil(18, "created_at", "31.02.2025", "unparseable date (31 February)")
    spoil(31, "amount", "-" + d_rows[31][col["amount"]], "negative amount")
    spoil(47, "amount", "n/a", "text 'n/a' in a number column")
    dup_of = 12
    insert_at = 60
    d_rows.insert(insert_at, list(d_rows[dup_of]))
    # rows after the insertion point move down by one
    bad = [(f, i + 1 if i >= insert_at else i, cname, v, pr) for f, i, cname, v, pr in bad]
    bad.append(("deals.csv", insert_at, "deal_id", d_rows[dup_of][0],
                f"duplicate deal_id (repeats row {dup_of + 2})"))

    c_header = ["customer_id", "name", "contact", "email", "acquired_at", "churned_at", "mrr",
                "company_size", "industry", "region"]
    c_rows = [[r.customer_id, r.name, r.contact, r.email, a, ch, euro(r.mrr), r.company_size,
               r.industry, r.region]
              for r, a, ch in zip(cust.itertuples(index=False), _date(cust["acquired_at"], "/"),
                                  _date(cust["churned_at"], "/"))]
    c_rows[4][6] = "n/a"
    bad.append(("customers.csv", 4, "mrr", "n/a", "text 'n/a' in a number column"))
    c_rows[10][4] = "unbekannt"
    bad.append(("customers.csv", 10, "acquired_at", "unbekannt", "unparseable date (text)"))

    records = tuple(BadRow(file=f, row=i + 2, column=cname, value=v, problem=pr)
                    for f, i, cname, v, pr in sorted(bad, key=lambda b: (b[0], b[1])))
    return MessyExport(deals=_encode(d_header, d_rows), customers=_encode(c_header, c_rows),
                       bad_rows=records, n_deals=len(d_rows), n_customers=len(c_rows))


def messy_readme(export: MessyExport, *, command: str) -> str:
    """README.md text for ``data/samples/messy/``."""
    lines = [
        "# Sample data: messy (European CRM export)",
        "",
        f"Generated by `{command}` from the saas sample; do not edit by hand.",
        "",
        "A German-style export of the first saas customers and all their deals, to exercise the "
        "loaders (`roi_kit.io`):",
        "",
        "- delimiter `;`, encoding **cp1252**, line ends CRLF;",
        "- amounts with decimal comma, `.` thousands separators and a euro sign: `1.234,56 €`;",
        "- day-first dates: `dd.mm.yyyy` in deals.csv, `dd/mm/yyyy` in customers.csv (no times);",
        "- accented names (`Crème`, `Zürich`, `Müller`, `Ødegård` ...) that only decode as cp1252;",
        "- a `note` column in deals.csv whose values sometimes contain `;` (quoted) and umlauts;",
        "- column names are the canonical ones.",
        "",
        f"deals.csv: {export.n_deals:,} data rows; customers.csv: {export.n_customers:,} data rows. "
        "`truth.json` is the saas truth (the export is a subset of those customers).",
        "",
        "## Deliberately bad rows",
        "",
        "Row numbers as a spreadsheet shows them (header = row 1, first data row = row 2). The same "
        "list is in `bad_rows.json`. Every other row is clean.",
        "",
        "| file | row | column | value | problem |",
        "|---|---|---|---|---|",
    ]
    for b in export.bad_rows:
        lines.append(f"| {b.file} | {b.row} | `{b.column}` | `{b.value}` | {b.problem} |")
    return "\n".join(lines) + "\n"
