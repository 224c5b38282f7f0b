"""Exports: formulas neutralised in CSV and Excel, HTML reports escaped and self-contained."""

from __future__ import annotations

import io
import re

import altair as alt
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.errors import InputError
from roi_kit.export import (
    ReportSection,
    neutralise_formulas,
    static_html_report,
    to_csv_bytes,
    to_excel_bytes,
)
from tests.budget import examples

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "=HYPERLINK(\"http://x\")"]


def test_neutralise_prefixes_every_dangerous_text_cell() -> None:
    frame = pd.DataFrame({"text": [*DANGEROUS, "safe", "a=b"]})
    out = neutralise_formulas(frame)["text"].tolist()
    assert out[: len(DANGEROUS)] == ["'" + v for v in DANGEROUS]
    assert out[-2:] == ["safe", "a=b"]


def test_neutralise_leaves_numbers_and_missing_alone() -> None:
    frame = pd.DataFrame({"n": [-5.0, 3.0], "when": pd.to_datetime(["2024-01-01", None]),
                          "mixed": pd.Series([-1, "=x"], dtype=object)})
    out = neutralise_formulas(frame)
    assert out["n"].tolist() == [-5.0, 3.0]
    assert out["when"].isna().tolist() == [False, True]
    assert out["mixed"].tolist() == [-1, "'=x"]


def test_neutralise_does_not_mutate_input() -> None:
    frame = pd.DataFrame({"=a": ["=b"]})
    neutralise_formulas(frame)
    assert frame.columns.tolist() == ["=a"] and frame["=a"].tolist() == ["=b"]


def test_neutralise_handles_categorical_and_named_index() -> None:
    frame = pd.DataFrame({"c": pd.Categorical(["=x", "y", "=x"])},
                         index=pd.Index(["-i", "j", "k"], name="@idx"))
    out = neutralise_formulas(frame)
    assert out.columns.tolist() == ["'@idx", "c"]
    assert out["'@idx"].tolist() == ["'-i", "j", "k"]
    assert out["c"].astype(str).tolist() == ["'=x", "y", "'=x"]


def test_neutralise_rejects_non_frames_with_hint() -> None:
    with pytest.raises(InputError, match=r"pandas DataFrame; got list(.|\n)*Hint:"):
        neutralise_formulas([1, 2])  # type: ignore[arg-type]


@settings(max_examples=examples(50), deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=8))
def test_csv_round_trip_never_starts_a_cell_with_a_formula(values: list[str]) -> None:
    frame = pd.DataFrame({"v": values})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), dtype=str, keep_default_na=False,
                       skip_blank_lines=False,
                       encoding="utf-8-sig")
    assert len(back) == len(values)
    for original, written in zip(values, back["v"].tolist()):
        if original[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert written.startswith("'")
        assert not written.startswith(("=", "+", "-", "@"))


def test_csv_has_bom_by_default_and_no_index() -> None:
    data = to_csv_bytes(pd.DataFrame({"café": [1]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "café\r\n1\r\n"


def test_excel_cells_are_text_not_formulas() -> None:
    frame = pd.DataFrame({"name": DANGEROUS[:4], "amount": [1.5, -2.0, 3.0, 4.0]})
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"deals": frame})))
    sheet = book["deals"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=False)]
    assert [c.data_type for c in cells] == ["s"] * 4
    assert [c.value for c in cells] == ["'" + v for v in DANGEROUS[:4]]
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [1.5, -2.0, 3.0, 4.0]


def test_excel_sheet_names_are_made_valid_and_unique() -> None:
    frames = {"a/b": pd.DataFrame({"x": [1]}), "a:b": pd.DataFrame({"x": [2]}),
              "x" * 40: pd.DataFrame({"x": [3]})}
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(frames)))
    assert book.sheetnames == ["a_b", "a_b (2)", "x" * 31]


def test_excel_strips_control_characters_and_timezones() -> None:
    frame = pd.DataFrame({"t": ["bad\x01text"],
                          "at": pd.to_datetime(["2024-05-01 12:00"]).tz_localize("Europe/Paris")})
    back = pd.read_excel(io.BytesIO(to_excel_bytes({"s": frame})))
    assert back["t"].tolist() == ["badtext"]
    assert back["at"].tolist() == [pd.Timestamp("2024-05-01 10:00")]


def test_excel_needs_a_table() -> None:
    with pytest.raises(InputError, match="at least one table"):
        to_excel_bytes({})


def _chart() -> alt.Chart:
    data = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})
    return alt.Chart(data).mark_bar().encode(x="k:N", y="v:Q")


def test_report_escapes_user_text_everywhere() -> None:
    evil = "<script>alert(1)</script>"
    page = static_html_report(evil, [ReportSection(evil, text=f"{evil}\nsecond",
                                                    table=pd.DataFrame({evil: [evil]}))],
                              subtitle=evil, footer=evil)
    assert "<script" not in page
    assert page.count("&lt;script&gt;") >= 6
    assert "<p>second</p>" in page


def test_report_is_self_contained_with_svg_chart() -> None:
    page = static_html_report("ROI", [ReportSection("Chart", chart=_chart())])
    assert "<svg" in page and "<script" not in page
    # no attribute or CSS that would fetch anything
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page


def test_report_section_from_result_uses_summary_table_and_chart() -> None:
    class Result:
        def summary(self) -> str:
            return "ROI is 20%."

        def to_frame(self) -> pd.DataFrame:
            return pd.DataFrame({"metric": ["roi"], "value": [0.2]})

        def chart(self) -> alt.Chart:
            return _chart()

    section = ReportSection.from_result("ROI", Result())
    page = static_html_report("Report", [section])
    assert "ROI is 20%." in page and "<svg" in page and "<td>roi</td>" in page


def test_report_footer_shows_generation_time_only_when_given() -> None:
    import datetime as dt

    plain = static_html_report("R", [], footer="sample data")
    stamped = static_html_report("R", [], generated_at=dt.datetime(2025, 1, 2, 3, 4))
    assert "generated" not in plain.lower()
    assert "Generated 2025-01-02 03:04" in stamped


def test_report_tiles_are_escaped_and_second_lines_are_notes() -> None:
    page = static_html_report("R", [ReportSection("Glance", tiles=(("ROI <b>", "12%\n<i>net</i>"),))])
    assert "ROI &lt;b&gt;" in page and "<div class='value'>12%</div>" in page
    assert "<div class='note'>&lt;i&gt;net&lt;/i&gt;</div>" in page
