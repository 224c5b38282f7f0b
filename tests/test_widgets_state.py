"""The apps' state: a result is shown only for the data it was computed from.

Switching to uploads, a failed upload or a failed computation clears every number of the
previous data and says why; a typed-in revenue is the user's own, never a pre-filled example.
"""

from __future__ import annotations

import ipywidgets as W
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.widgets import ContentApp, FunnelApp, RoiCalculatorApp


def page_text(widget: W.Widget) -> str:
    """Every HTML text shown by ``widget`` and its children (what a reader could see)."""
    parts: list[str] = []
    if isinstance(widget, W.HTML | W.HTMLMath | W.Label):
        parts.append(str(widget.value))
    for child in getattr(widget, "children", ()):
        parts.append(page_text(child))
    return "\n".join(p for p in parts if p)


@pytest.fixture(scope="module")
def saas() -> rk.datasets.SampleData:
    return rk.datasets.load_sample("saas")


@pytest.fixture(scope="module")
def dtc() -> rk.datasets.SampleData:
    return rk.datasets.load_sample("dtc")


def test_content_app_upload_mode_clears_the_sample_numbers(dtc: rk.datasets.SampleData) -> None:
    app = ContentApp(dtc)
    posts = f"{len(dtc.posts):,}"
    assert app.state == "ready" and posts in page_text(app)
    app.source.mode.value = "upload"
    assert app.state == "waiting" and app.result_version == -1
    assert app.status.kind == "info" and "KeyError" not in app.status.text
    assert "removed because the data changed" in app.status.text
    assert posts not in page_text(app) and "class='roi-kit-tile'" not in page_text(app)


def test_content_app_failed_analysis_of_an_upload_shows_no_old_number(
        dtc: rk.datasets.SampleData) -> None:
    app = ContentApp(dtc)
    posts = f"{len(dtc.posts):,}"
    three = dtc.posts.head(3).drop(columns=["impressions", "reach"], errors="ignore")
    app.source.add_files({"posts.csv": three.to_csv(index=False).encode()})
    assert app.source.ready  # the file loaded ...
    assert app.state == "error" and app.status.kind == "error"  # ... but no analysis ran
    assert "No result is shown" in app.status.text
    text = page_text(app)
    assert posts not in text and "class='roi-kit-tile'" not in text
    assert app.top_panel.frames == {} and app.view_panel.chart_spec is None


def test_funnel_app_upload_mode_waits_instead_of_key_error(saas: rk.datasets.SampleData) -> None:
    app = FunnelApp(saas)
    entered = app.panel.tiles.value
    assert app.state == "ready" and entered
    app.source.mode.value = "upload"
    assert app.state == "waiting" and "KeyError" not in app.status.text
    assert "Waiting for data: funnel_events" in app.status.text
    assert app.panel.tiles.value == "" and app.panel.chart_spec is None
    app.source.add_files({"funnel_events.csv": b"user_id,event,timestamp\nu1,???\n"})
    assert app.state == "waiting" and app.source.message.kind == "error"
    assert "class='roi-kit-tile'" not in page_text(app)


def test_result_comes_back_for_the_new_data_only(saas: rk.datasets.SampleData) -> None:
    app = FunnelApp(saas)
    app.source.mode.value = "upload"
    events = pd.DataFrame({"user_id": ["a", "a", "b"], "event": ["session", "order", "session"],
                           "timestamp": ["2024-01-01", "2024-01-02", "2024-01-03"]})
    app.source.add_files({"funnel_events.csv": events.to_csv(index=False).encode()})
    assert app.state == "ready" and app.result_version == app.source.version
    assert "<div class='value'>2</div>" in app.panel.tiles.value  # 2 users entered, by hand


def test_roi_app_never_uses_a_prefilled_revenue() -> None:
    costs = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-02-05"]),
                          "category": ["ads", "staff"], "amount": [600.0, 400.0]})
    app = RoiCalculatorApp({"costs": costs})
    assert app.revenue_source.value == "typed" and app.revenue.value == 0
    assert app.result is None and "ROI" not in app.roi_panel.tiles.value
    assert "Type that revenue" in app.roi_panel.message.text
    assert "Total cost" in app.roi_panel.tiles.value and "USD 1,000" in app.roi_panel.tiles.value
    app.revenue.value = 1500.0
    assert app.result.roi_pct == 50.0  # (1500 - 1000) * 100 / 1000
    assert "revenue you typed in" in app.roi_panel.summary.value


def test_rows_per_table_chart_draws_bars_of_positive_width() -> None:
    import re

    import vl_convert as vlc

    from roi_kit.widgets.apps.overview_app import overview_chart, table_overview

    frames = {"goals": pd.DataFrame({"x": range(32)}), "deals": pd.DataFrame({"x": range(6976)})}
    spec = overview_chart(table_overview(frames)).to_dict()
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["x2"] == {"datum": 1}
    assert bars["encoding"]["x"]["scale"] == {"type": "log"}
    svg = vlc.vegalite_to_svg(spec)
    widths = [float(w) for w in re.findall(r'roledescription="bar" d="M[-\d.]+,[-\d.]+h([-\d.]+)v', svg)]
    assert len(widths) == 2 and all(w > 0 for w in widths)
    # log scale: 6,976 rows is log10(6976) / log10(32) ≈ 2.55 times as long as 32 rows
    assert max(widths) / min(widths) == pytest.approx(3.8436 / 1.5051, rel=0.02)


def test_funnel_preset_without_its_events_says_so(saas: rk.datasets.SampleData) -> None:
    app = FunnelApp(saas)
    assert app.preset.value == "saas" and app.panel.message.kind == ""
    app.preset.value = "dtc"
    # the saas sample reaches dtc's "session" and nothing after it: absent stages are skipped, and
    # one stage is no funnel, so the page shows no number and says which events the data have
    status = app.status.value
    assert "could not be computed" in status and "only session is in the data" in status
    assert "demo, lead, mql, sql, trial, visit, won" in status
    assert app.panel.message.kind == ""
    app.preset.value = "saas"
    assert app.panel.message.kind == ""


@pytest.mark.parametrize(("content", "kind"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    (b"%PDF-1.4\n%\xe2\xe3", "a PDF document"),
    (b"id,amount\n\x00\x13\x88\x01\x02", "a binary file"),
])
def test_binary_file_renamed_csv_is_named_as_such(content: bytes, kind: str) -> None:
    from roi_kit.widgets import DataSourcePicker

    picker = DataSourcePicker(("costs",))
    picker.add_files({"costs.csv": content})
    assert picker.message.kind == "error" and not picker.ready
    assert f"costs.csv is not a text file: it looks like {kind}." in picker.message.text
    assert "Columns found" not in picker.message.text


def test_utf16_csv_is_not_taken_for_binary() -> None:
    from roi_kit.widgets import DataSourcePicker

    picker = DataSourcePicker(("costs",))
    picker.add_files({"costs.csv": "date,category,amount\n2024-01-05,ads,600\n".encode("utf-16")})
    assert picker.ready, picker.message.text
    assert picker.tables["costs"]["amount"].tolist() == [600.0]


def test_file_over_the_limit_is_refused_before_sending_and_said() -> None:
    from roi_kit.widgets import DataSourcePicker

    picker = DataSourcePicker(("costs",), max_upload_mb=1)
    assert picker.upload.max_bytes == 1024 * 1024  # the browser refuses anything larger
    # what the browser sends for a 30 MB file: one "too_big" note, no bytes
    picker.upload.receive({"kind": "too_big", "name": "big.csv", "size": 30 * 1024 * 1024}, [])
    picker.upload.receive({"kind": "done"}, [])
    assert picker.message.kind == "error" and not picker.uploads
    assert "big.csv is 30.0 MB; the upload limit is 1 MB per file, so it was not sent" \
        in picker.message.text


def test_file_under_the_limit_arrives_in_chunks_and_loads() -> None:
    from roi_kit.widgets import DataSourcePicker

    picker = DataSourcePicker(("costs",))
    data = b"date,category,amount\n2024-01-05,ads,600\n2024-01-06,tools,50\n"
    half = len(data) // 2
    for i, part in enumerate((data[:half], data[half:])):
        picker.upload.receive({"kind": "chunk", "name": "costs.csv", "index": i, "total": 2,
                               "size": len(data)}, [memoryview(part)])
    picker.upload.receive({"kind": "done"}, [])
    assert picker.ready and picker.tables["costs"]["amount"].tolist() == [600.0, 50.0]


def test_mapping_survives_a_failed_load() -> None:
    from roi_kit.widgets import DataSourcePicker

    picker = DataSourcePicker(("costs",))
    # Danish headers: the loader suggests Dato and Kategori but finds no amount: it fails ...
    picker.add_files({"udgifter.csv": b"Dato;Kategori;Pris\n05-01-2024;ads;85.890,19 kr.\n"})
    assert picker.message.kind == "error" and not picker.ready
    values = {k: d.value for k, d in picker._mapping_dropdowns.items()}
    assert values["date"] == "Dato" and values["category"] == "Kategori"  # ... aliases stay
    picker._mapping_dropdowns["amount"].value = "Pris"
    picker.dates.value = "month"  # 05-01 read month first is fine; the user's choice survives
    assert picker._mapping_dropdowns["amount"].value in ("Pris", "(not in file)")
    picker._mapping_dropdowns["amount"].value = "Pris"
    picker.apply_mapping.click()
    assert picker.ready, picker.message.text
    assert picker.tables["costs"]["amount"].tolist() == [85890.19]


def test_attribution_mapping_marks_converted_as_required() -> None:
    from roi_kit.widgets import AttributionApp

    app = AttributionApp({"touchpoints": pd.DataFrame({"user_id": ["a"], "source": ["x"],
                                                       "timestamp": ["2024-01-01"]})})
    app.source.add_files({"touchpoints.csv": b"user,when,src\nu1,2024-01-01,x\n"})
    labels = " ".join(str(row.children[0].value) for row in app.source.mapping_box.children[1:])
    assert "<b>converted</b>" in labels and "<b>user_id</b>" in labels


def test_details_panel_shows_the_answer_first_and_the_rest_on_request() -> None:
    from roi_kit.widgets import ResultPanel

    panel = ResultPanel("Followers", details=True)
    panel.show(summary="Followers stay longer: 88.2% vs 70.8% at 365 days.\n"
                       "Log-rank p = 0.003; adjusted for company size.",
               table=pd.DataFrame({"followers": [546.0], "retention_share": [0.882],
                                   "p_value": [0.003]}),
               headline={"Followers": "546"})
    assert "Followers stay longer" in panel.lead.value and "Log-rank" not in panel.lead.value
    assert panel.details is not None and panel.details.selected_index is None  # collapsed
    assert panel.details.layout.display == "flex" and "Log-rank" in panel.summary.value
    cells = panel.table.value
    assert "<td>546</td>" in cells and "88.2%" in cells and "<td>0.003</td>" in cells
    assert "546.00" not in cells and "0.882" not in cells
    assert "overflow-x:auto" in cells  # wide tables scroll inside their box
    panel.clear()
    assert panel.lead.value == "" and panel.details.layout.display == "none"


def test_currency_is_one_label_for_the_whole_app() -> None:
    costs = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-02-05"]),
                          "category": ["ads", "staff"], "amount": [600.0, 400.0]})
    app = RoiCalculatorApp({"costs": costs})
    app.revenue.value = 1500.0
    app.source.currency.value = "DKK"
    assert app.result.roi_pct == 50.0  # a label: nothing converted
    assert "DKK 1,500" in app.roi_panel.tiles.value and "USD" not in app.roi_panel.tiles.value
