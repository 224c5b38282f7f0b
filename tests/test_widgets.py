"""Widget building blocks, tested without a browser: set values, assert outputs and traits."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import altair as alt
import pandas as pd
import pytest

from roi_kit.errors import ConfigError, InputError
from roi_kit.widgets import (
    DataSourcePicker,
    Progress,
    ResultPanel,
    SegmentControls,
    StatusBox,
    download_link,
    guess_table,
)
from roi_kit.widgets.data_source import read_header


def _decode_links(html: str) -> dict[str, bytes]:
    """filename → bytes of every data: download link in ``html``."""
    out = {}
    for name, payload in re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', html):
        out[name] = base64.b64decode(payload)
    return out


class _Result:
    def __init__(self, k: float) -> None:
        self.k = k

    def summary(self) -> str:
        return f"Value is {self.k}.\n<i>escaped</i>"

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"name": ["=cmd()", "b"], "value": [self.k, 2 * self.k]})

    def chart(self) -> alt.Chart:
        return alt.Chart(self.to_frame()).mark_bar().encode(x="name:N", y="value:Q")


# -- StatusBox / Progress / links ---------------------------------------------------------------
def test_status_box_escapes_and_clears() -> None:
    box = StatusBox()
    box.error("bad <file>\nsecond line")
    assert box.kind == "error" and "bad &lt;file&gt;<br>second line" in box.value
    box.clear()
    assert box.value == "" and box.kind == ""


def test_progress_hides_even_when_the_work_fails() -> None:
    progress = Progress()
    with pytest.raises(ZeroDivisionError), progress.task("Work", steps=3) as step:
        step("one")
        assert progress.layout.display == "flex" and progress.bar.value == 1
        assert "Work: one" in progress.label.value
        _ = 1 / 0
    assert progress.layout.display == "none"


def test_download_link_round_trips_bytes_and_escapes_name() -> None:
    html = download_link(b"a,b\r\n", 'x"<.csv', label="<CSV>")
    assert "&lt;CSV&gt;" in html and 'download="x&quot;&lt;.csv"' in html
    assert base64.b64decode(re.search(r"base64,([^\"]+)", html).group(1)) == b"a,b\r\n"


# -- ResultPanel ----------------------------------------------------------------------------------
def test_result_panel_shows_summary_chart_table_and_downloads() -> None:
    panel = ResultPanel("Demo", filename="demo")
    panel.show(_Result(1.0), headline={"Total": "USD 3"}, tables={"extra": pd.DataFrame({"x": [1]})})
    assert "Value is 1.0." in panel.summary.value and "&lt;i&gt;escaped" in panel.summary.value
    assert "USD 3" in panel.tiles.value
    assert panel.chart_spec is not None and panel.chart_spec["mark"]["type"] == "bar"
    files = _decode_links(panel.downloads.value)
    assert set(files) == {"demo.csv", "demo.xlsx"}
    csv = files["demo.csv"].decode("utf-8-sig")
    assert "'=cmd()" in csv and "\n=cmd" not in csv
    sheets = pd.read_excel(io.BytesIO(files["demo.xlsx"]), sheet_name=None)
    assert list(sheets) == ["demo", "extra"] and sheets["demo"]["name"][0] == "'=cmd()"


def test_result_panel_updates_the_same_chart_widget_in_place() -> None:
    panel = ResultPanel()
    panel.show(_Result(1.0))
    widget = panel.chart_widget
    first = panel.chart_spec
    panel.show(_Result(5.0))
    assert panel.chart_widget is widget
    assert panel.chart_spec != first


def test_result_panel_error_is_visible_and_recoverable() -> None:
    panel = ResultPanel()
    panel.show(_Result(1.0))
    panel.show_error(InputError("costs has no rows.", hint="pick other dates"))
    assert panel.message.kind == "error" and "pick other dates" in panel.message.value
    assert panel.chart_spec is None and panel.downloads.value == ""
    panel.show(_Result(2.0))
    assert panel.message.kind == "" and panel.chart_spec is not None


def test_result_panel_keeps_numbers_when_the_chart_fails() -> None:
    class Broken(_Result):
        def chart(self) -> alt.Chart:
            raise ValueError("no chart today")

    panel = ResultPanel()
    panel.show(Broken(3.0))
    assert panel.message.kind == "warning" and "no chart today" in panel.message.value
    assert "Value is 3.0." in panel.summary.value and panel.chart_spec is None


def test_result_panel_with_an_unchanged_key_is_not_redrawn() -> None:
    panel = ResultPanel(filename="demo")
    panel.show(_Result(1.0), key=("2024", "quarter"))
    spec, links = panel.chart_spec, panel.downloads.value
    panel.show(_Result(5.0), key=("2024", "quarter"))  # same inputs: the page stays as it is
    assert panel.chart_spec == spec and panel.downloads.value is links
    panel.show(_Result(5.0), key=("2024", "year"))  # other inputs: redrawn
    assert panel.chart_spec != spec and "Value is 5.0." in panel.summary.value
    panel.show_error(InputError("costs has no rows.", hint="pick other dates"))
    panel.show(_Result(5.0), key=("2024", "year"))  # an error in between forgets the key
    assert panel.message.kind == "" and panel.chart_spec is not None


def test_to_svg_renders_a_changed_chart_anew() -> None:
    from roi_kit.charts import to_svg

    def bars(y: int) -> alt.Chart:
        frame = pd.DataFrame({"x": ["a", "b"], "y": [1, y]})
        return alt.Chart(frame).mark_bar().encode(x="x:N", y="y:Q")

    first = to_svg(bars(2))
    assert to_svg(bars(2)) == first and to_svg(bars(9)) != first


# -- SegmentControls -------------------------------------------------------------------------------
def test_segment_controls_report_settings_and_call_back_on_change() -> None:
    seen = []
    controls = SegmentControls(
        show=("platforms", "min_engagements", "recency_days", "landmark_days", "date_range",
              "horizon_days", "covariates", "preset", "paid"),
        platforms=("linkedin", "x"), presets=("saas", "dtc"),
        date_range=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    controls.on_change(seen.append)
    controls.platform_boxes["x"].value = False
    controls.min_engagements.value = 3
    controls.recency.value = 90
    controls.horizon.value = 180
    controls.covariate_boxes["region"].value = False
    controls.paid.value = "paid"
    s = controls.settings
    assert s.platforms == ("linkedin",) and s.min_engagements == 3 and s.recency_days == 90
    assert s.horizon_days == 180 and "region" not in s.covariates and s.paid == "paid"
    assert s.preset == "saas" and s.start == dt.date(2024, 1, 1)
    assert len(seen) == 6 and seen[-1] == s


def test_segment_controls_hold_calls_back_once_per_action() -> None:
    seen = []
    controls = SegmentControls(show=("platforms", "min_engagements"), platforms=("linkedin", "x"))
    controls.on_change(seen.append)
    with controls.hold():
        controls.platform_boxes["x"].value = False
        controls.min_engagements.value = 3
    assert len(seen) == 1 and seen[0].platforms == ("linkedin",) and seen[0].min_engagements == 3
    with controls.hold():  # changed and changed back: nothing to recompute
        controls.min_engagements.value = 5
        controls.min_engagements.value = 3
    assert len(seen) == 1
    controls.platform_boxes["x"].value = True  # outside a hold: every change calls back
    assert len(seen) == 2


def test_segment_controls_hidden_controls_give_neutral_values() -> None:
    controls = SegmentControls(show=("landmark_days",), platforms=("x",))
    s = controls.settings
    assert s.platforms == () and s.covariates == () and s.paid == "all" and s.preset is None


def test_segment_controls_new_platforms_keep_callbacks() -> None:
    seen = []
    controls = SegmentControls(show=("platforms",), platforms=("x",))
    controls.on_change(seen.append)
    controls.set_platforms(("tiktok", "youtube"))
    controls.platform_boxes["youtube"].value = False
    assert seen and seen[-1].platforms == ("tiktok",)


def test_segment_controls_reject_unknown_names() -> None:
    with pytest.raises(ConfigError, match="Unknown control"):
        SegmentControls(show=("colour",))


# -- DataSourcePicker ------------------------------------------------------------------------------
def test_guess_table_by_file_name() -> None:
    tables = ("customers", "social_audience", "deals")
    assert guess_table("Salesforce Opportunities.csv", tables) == "deals"
    assert guess_table("contacts.xlsx", tables) == "customers"
    assert guess_table("linkedin_followers.csv", tables) == "social_audience"
    assert guess_table("export (3).csv", tables) == "customers"


def test_read_header_handles_separators_bom_and_excel() -> None:
    assert read_header("\ufeffa;b;c\n1;2;3".encode(), "x.csv") == ["a", "b", "c"]
    assert read_header(b'"x"\t"y"\n', "x.tsv") == ["x", "y"]
    buffer = io.BytesIO()
    pd.DataFrame({"Deal": [1], "Amount": [2]}).to_excel(buffer, index=False)
    assert read_header(buffer.getvalue(), "d.xlsx") == ["Deal", "Amount"]


def _costs() -> pd.DataFrame:
    return pd.DataFrame({"date": pd.to_datetime(["2024-01-05"]), "category": ["ads"],
                         "amount": [10.0]})


def test_picker_with_notebook_data_is_ready_and_filters_tables() -> None:
    picker = DataSourcePicker(("costs",), data={"costs": _costs(), "other": pd.DataFrame()})
    assert picker.ready and list(picker.tables) == ["costs"]
    assert picker.mode.value == "given" and "1 rows" in picker.summary.value


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deals.xls", b"abc", "type '.xls' are not supported.*Save it as .xlsx"),
        ("deals.exe", b"abc", "type '.exe' are not supported"),
        ("deals.csv", b"   \n", "deals.csv is empty"),
        ("deals.csv", b"x" * (2 * 1024 * 1024), "deals.csv is 2.0 MB; the upload limit is 1 MB"),
    ],
)
def test_picker_rejects_bad_uploads_with_specific_messages(name: str, content: bytes,
                                                           message: str) -> None:
    picker = DataSourcePicker(("costs",), data={"costs": _costs()}, max_upload_mb=1)
    version = picker.version
    picker.add_files({name: content})
    assert picker.message.kind == "error"
    assert re.search(message, picker.message.text), picker.message.text
    assert picker.mode.value == "upload" and picker.tables == {}
    assert picker.version > version  # the app is told that the tables are gone
    picker.mode.value = "given"  # and the user can go back
    assert picker.ready


def test_ad_exports_are_offered_as_the_ad_performance_table() -> None:
    from pathlib import Path

    from roi_kit.io import load_ad_performance
    from roi_kit.schema import TABLES
    from roi_kit.widgets.apps.overview_app import table_overview

    assert guess_table("Meta Ads Manager export.csv", tuple(TABLES)) == "ad_performance"
    assert guess_table("KAG_conversion_data.csv", tuple(TABLES)) == "ad_performance"
    assert guess_table("traffic_acquisition_2024.csv", tuple(TABLES)) == "traffic"  # GA4 report
    assert guess_table("posts.csv", tuple(TABLES)) == "posts"
    ads, _ = load_ad_performance(Path(__file__).parent / "fixtures" / "meta_ads_manager.csv",
                                 now="2025-01-01")
    overview = table_overview({"ad_performance": ads}).iloc[0]
    assert (overview["rows"], overview["first_date"]) == (7, "2024-05-01")
