"""The decimal-separator votes read the last separator from the reversed text only where the
first positions cannot decide it (issue 19: European CSV speed); they equal the votes computed
from every value's reversed text."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.io.number_text import _number_text


def _ints(arr: pa.Array, fill: int) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, fill).to_numpy(zero_copy_only=False))


def test_votes_equal_full_reversal() -> None:
    rng = np.random.default_rng(19)
    alpha = [*"0123456789.,", " ", "€", "-", "(", ")", "%"]
    values: list[str | None] = ["".join(rng.choice(alpha, rng.integers(0, 12))) for _ in range(30_000)]
    values += ["1.234,56 €", "1,234.56", "1.234.567,89", "1,234,567.89", "1.2,3.4", "1,2.3,4", ",.", ".,", None]
    nt = _number_text(pa.array(values))
    bare = pc.utf8_ltrim(nt.core, "-+")
    n_comma, n_dot = _ints(pc.count_substring(bare, ","), 0), _ints(pc.count_substring(bare, "."), 0)
    rev = pc.utf8_reverse(bare)
    comma_last = _ints(pc.find_substring(rev, ","), -1) < _ints(pc.find_substring(rev, "."), -1)
    both = (n_comma > 0) & (n_dot > 0)
    only_comma, only_dot = (n_comma > 0) & (n_dot == 0), (n_dot > 0) & (n_comma == 0)
    assert both.sum() > 1_000  # the case under test occurs often
    comma = (both & comma_last) | (only_comma & (n_comma == 1) & ~nt.ambiguous) | (only_dot & (n_dot > 1))
    dot = (both & ~comma_last) | (only_dot & (n_dot == 1) & ~nt.ambiguous) | (only_comma & (n_comma > 1))
    np.testing.assert_array_equal(nt.comma_vote, comma)
    np.testing.assert_array_equal(nt.dot_vote, dot)


def test_single_residue_cut_equals_stripping_every_symbol() -> None:
    from roi_kit.io.cells import _clean_missing, _strings
    from roi_kit.io.number_text import _residues, _strip

    cases = [
        ["1.234,56 €", "7,00 €", None, "n/a", "12 €"],          # one residue " €": cut
        ["1.234,56 €", "€ 7,00"],                             # two residues: strip
        ["12,5 kr.", "3 kr."],                                # residue " kr" but text ends " kr.": strip
        ["1\u00a0234,56 EUR", "5 EUR"],                         # residue "\u00a0 EUR" vs " EUR": strip
        ["US$12", "US$3.5"],                                  # a prefix: strip
        ["12%", "3%"],                                        # % is not stripped here
        ["−12 €", "3 €"],                                     # the Unicode minus
        [None, None],
    ]
    for values in cases:
        nt = _number_text(pa.array(values, pa.string()))
        text, _ = _clean_missing(_strings(pa.array(values, pa.string())))
        want, symbols = _strip(text, _residues(text))
        if "%" in "".join(v or "" for v in values):
            want = pc.replace_substring(want, "%", "")
        assert nt.core.to_pylist() == want.to_pylist(), values
        assert list(nt.symbols) == symbols, values
