"""CRM pipeline exports: open and lost deals without an amount, default stage maps per CRM."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError
from roi_kit.io.aliases import normalise
from roi_kit.io.stages import STAGE_MAPS, stage_status

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2025-06-30"
PIPELINE_COLUMNS = {"engage_date": "created_at", "close_value": "amount"}


def _issues(report: rk.LoadReport) -> list[tuple[int, str, str, str]]:
    return [(int(r.row), r.column, r.problem, r.action) for r in report.issues.itertuples()]


def test_pipeline_export_keeps_open_and_lost_deals_without_amount() -> None:
    deals, rep = rk.load_deals(FIXTURES / "crm_pipeline.csv", columns=PIPELINE_COLUMNS, now=NOW)
    assert (rep.rows_read, rep.rows_kept, rep.rows_dropped) == (10, 6, 4)
    assert deals["deal_id"].tolist() == ["1C1I7A6R", "Z063OYW0", "EC4QE1BX", "MV1LWRNH",
                                         "ZNBS69V1", "9ME3374G"]
    assert deals["status"].tolist() == ["won", "won", "lost", "open", "lost", "open"]
    amounts = deals["amount"].tolist()
    assert amounts[:3] == [1054.0, 4514.0, 0.0] and all(np.isnan(amounts[3:]))
    assert _issues(rep) == [
        (5, "amount", "amount missing", "flagged"),
        (6, "created_at", "missing value", "dropped"),
        (7, "amount", "amount missing", "flagged"),
        (8, "amount", "amount missing", "flagged"),
        (9, "customer_id", "missing value", "dropped"),
        (10, "amount", "missing value", "dropped"),
        (11, "status", "unknown deal status (expected won, lost, open or a CRM stage name)",
         "dropped"),
    ]
    text = rep.summary()
    assert "amount: 3 rows have no amount (open or lost deals); kept" in text
    assert "'On Hold' (1 row)" in text and "status_map={'On Hold': 'open'}" in text


def test_status_map_names_an_unknown_stage_and_overrides_a_default() -> None:
    deals, rep = rk.load_deals(FIXTURES / "crm_pipeline.csv", now=NOW,
                               columns=PIPELINE_COLUMNS,
                               status_map={"On Hold": "open", "Engaging": "lost"})
    assert rep.rows_kept == 7
    assert deals.set_index("deal_id")["status"].to_dict() == {
        "1C1I7A6R": "won", "Z063OYW0": "won", "EC4QE1BX": "lost", "MV1LWRNH": "lost",
        "ZNBS69V1": "lost", "9ME3374G": "lost", "LBDD5VDF": "open"}


def test_status_map_refuses_a_value_that_is_not_a_status() -> None:
    with pytest.raises(ConfigError, match=r"(?s)'paused' is not a deal status.*'won', 'lost' or 'open'"):
        rk.load_deals(FIXTURES / "crm_pipeline.csv", columns=PIPELINE_COLUMNS,
                      status_map={"On Hold": "paused"}, now=NOW)


def test_hubspot_default_pipeline_stages() -> None:
    deals, rep = rk.load_deals(FIXTURES / "hubspot_deals.csv", now=NOW)
    assert rep.alias_set == "HubSpot deals"
    assert (rep.rows_read, rep.rows_kept) == (7, 7)
    assert deals["status"].tolist() == ["won", "open", "open", "open", "open", "open", "lost"]
    assert deals["amount"].isna().tolist() == [False, True, False, True, True, False, True]
    assert (rep.issues["problem"] == "amount missing").sum() == 4


def test_salesforce_default_stages_and_blank_amounts() -> None:
    deals, rep = rk.load_deals(FIXTURES / "salesforce_opportunities.csv", now=NOW)
    assert rep.alias_set == "Salesforce opportunities"
    assert rep.rows_kept == 6
    assert deals["status"].tolist() == ["won", "open", "open", "open", "lost", "open"]
    assert deals["amount"].fillna(-1).tolist() == [12000.0, -1, 3500.0, -1, -1, 6000.0]


@pytest.mark.parametrize("stage_map", STAGE_MAPS, ids=lambda m: m.crm)
def test_every_default_stage_maps_to_its_status(stage_map: rk.io.stages.StageMap) -> None:
    for status, labels in (("won", stage_map.won), ("lost", stage_map.lost),
                           ("open", stage_map.open)):
        for label in labels:
            assert stage_status(label) == status, (stage_map.crm, label)


def test_no_label_means_two_statuses_across_crms() -> None:
    seen: dict[str, tuple[str, str]] = {}
    for stage_map in STAGE_MAPS:
        for label, status in stage_map.labels().items():
            other = seen.setdefault(label, (status, stage_map.crm))
            assert other[0] == status, f"{label!r}: {other[1]} says {other[0]}, {stage_map.crm} {status}"
    assert normalise("Closed-Lost to Competition") in seen


def _customers_audience() -> tuple[pd.DataFrame, pd.DataFrame]:
    customers = pd.DataFrame({
        "customer_id": ["Cancity", "Isdom", "Codehow", "Ron-tech"],
        "acquired_at": pd.to_datetime(["2023-12-01"] * 4),
        "observed_until": pd.to_datetime(["2024-06-30"] * 4)})
    audience = pd.DataFrame({"customer_id": ["Cancity", "Codehow"],
                             "followed_at": pd.to_datetime(["2023-11-01", "2023-11-01"])})
    return customers, audience


def test_time_to_close_runs_on_blank_amounts_as_on_prefilled_ones() -> None:
    """The workaround the issue reports (amounts pre-filled with 0) is no longer needed."""
    deals, _ = rk.load_deals(FIXTURES / "crm_pipeline.csv", columns=PIPELINE_COLUMNS, now=NOW)
    customers, audience = _customers_audience()
    prefilled = deals.assign(amount=deals["amount"].fillna(0.0))
    runs = [rk.compare_segments(customers, d, audience=audience, by=rk.FollowerDefinition(),
                                covariates=(), n_boot=50, seed=1) for d in (deals, prefilled)]
    close = [r.time_to_close for r in runs]
    assert close[0] is not None and close[1] is not None
    # deals of the four customers: Cancity won (18 d) and lost (20 d), Isdom won (30 d) and
    # open (censored 2024-06-30), Codehow open (censored), Ron-tech lost (10 d)
    assert close[0].open_deals == close[1].open_deals == 2
    assert close[0].medians == close[1].medians
    assert close[0].medians[("naive", "followers")][0] == pytest.approx(20.0)
    size = [r.deal_size for r in runs]
    assert size[0] is not None and size[1] is not None
    # deal size uses won deals only: blank open/lost amounts change nothing
    assert size[0].to_frame().equals(size[1].to_frame())
