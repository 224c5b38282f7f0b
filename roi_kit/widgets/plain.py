"""Messages for the page in the words of the page: which dropdown to change, not which argument.

roi_kit's errors end with a ``Hint:`` written for Python users (``pass columns={...}``,
``pass dayfirst=True``, ``see .issues``); that is right in a notebook and wrong in an app. The apps
pass every message through :func:`plain_words`, which names the control to use instead; a hint
that still reads as code is replaced by a general pointer rather than shown.

Examples
--------
>>> plain_words("Hint: pass columns={'Amout': 'amount'} if those are the right columns.")
'Hint: in the column mapping below, choose “Amout” for “amount”, then press “Apply column mapping”.'
>>> plain_words("Hint: pass dayfirst=True (31/12/2024 style) or dayfirst=False (12/31/2024 style).")
'Hint: choose “day first (31/12)” or “month first (12/31)” in the “Dates” dropdown above.'
>>> plain_words("Rows with issues: 2 dropped (see .issues).")
'Rows with issues: 2 dropped (listed in the load report).'
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

__all__ = ["plain_words"]

_MAP = "then press “Apply column mapping”"
_DATES = "choose “day first (31/12)” or “month first (12/31)” in the “Dates” dropdown above"


def _mapping_pairs(match: re.Match[str]) -> str:
    try:
        pairs = ast.literal_eval("{" + match.group(1) + "}")
    except (ValueError, SyntaxError):
        return f"in the column mapping below, choose the right columns, {_MAP}."
    said = ", ".join(f"“{src}” for “{dst}”" for src, dst in pairs.items())
    return f"in the column mapping below, choose {said}, {_MAP}."


_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"pass columns=\{'<your column>': '(\w+)'\} to name the column\."),
     lambda m: f"in the column mapping below, choose the column of your file that holds "
               f"“{m.group(1)}”, {_MAP}."),
    (re.compile(r"pass columns=\{(.+?)\} if those are the right columns\."), _mapping_pairs),
    (re.compile(r"map another column with columns=\{\.\.\.\}"),
     "choose another column in the column mapping below"),
    (re.compile(r"map your columns onto one of these with columns=\{\.\.\.\} when loading"),
     "choose one of these in the column mapping below"),
    (re.compile(r"rename the column \(e\.g\. columns=\{.*?\} in rk\.load_<table>\)"),
     "choose the column in the column mapping below"),
    (re.compile(r"load the file with rk\.load_\w+\(path, columns=\{.*?\}\), or rename the "
                r"column in the frame"),
     "choose the column in the column mapping below"),
    (re.compile(r"rename the column in the frame \(frame\.rename\(columns=\{.*?\}\)\)"),
     "choose the column in the column mapping below"),
    (re.compile(r"pass dayfirst=True \(31/12/2024 style\) or dayfirst=False \(12/31/2024 style\)"),
     _DATES),
    (re.compile(r"pass dayfirst=True or dayfirst=False"), _DATES),
    (re.compile(r"pass dayfirst=True or False"), _DATES),
    (re.compile(r"pass decimal=',' if it is one"),
     "if it is one, write every amount of the file with a decimal comma"),
    (re.compile(r"pass sheet='<name>'( with an existing sheet)?"),
     "put the table in the first sheet of the workbook"),
    (re.compile(r"pass encoding=.*?(\.|$)"), "save the file as CSV (UTF-8) and upload it again."),
    (re.compile(r"\(see \.issues\)"), "(listed in the load report)"),
    (re.compile(r"see \.issues"), "see the load report"),
    (re.compile(r"see \.report\.?"), "see the table below."),
)
_CODE = re.compile(r"\w=|\.\w+\(\)|\brk\.|\bpass \w+=")


def plain_words(text: str) -> str:
    """``text`` with programmer hints turned into instructions about the page's controls."""
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    lines = []
    for line in text.split("\n"):
        if line.startswith("Hint:") and _CODE.search(line):
            line = ("Hint: change the settings above, or check the file's columns in the "
                    "column mapping and load report.")
        lines.append(line)
    return "\n".join(lines)
