"""Cost ledger: hand-worked totals on every engine, categories, periods, invariants."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.costs import CostLedger, cost_ledger, period_labels
from roi_kit.errors import InputError, MissingColumnError
from roi_kit.schema import COST_CATEGORIES
from tests.budget import examples


def _lines() -> pd.DataFrame:
    # money: staff 10 h × 50 = 500, ads 300 + 200 = 500, tools 49, management 2 h × 100 = 200
    return pd.DataFrame({
        "date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", "2024-04-01",
                                "2024-04-15"]),
        "category": ["staff", "ads", " Ads", "tools", "management"],
        "amount": [None, 300.0, 200.0, 49.0, None],
        "hours": [10.0, None, None, None, 2.0],
        "rate": [50.0, None, None, None, 100.0],
        "platform": [None, "linkedin", "linkedin", None, "x"],
        "campaign": [None, "spring", "spring", None, None],
    })


def test_totals_hand_worked_every_engine(to_engine) -> None:
    ledger = cost_ledger(to_engine(_lines()))
    assert ledger.total == 1249.0
    assert ledger.hours == 12.0
    cats = ledger.by_category().set_index("category")["amount"].to_dict()
    assert cats == {"ads": 500.0, "management": 200.0, "staff": 500.0, "tools": 49.0}
    plats = ledger.by_platform().set_index("platform")["amount"].to_dict()
    assert plats == {"(none)": 549.0, "linkedin": 500.0, "x": 200.0}
    camps = ledger.by_campaign().set_index("campaign")["amount"].to_dict()
    assert camps == {"(none)": 749.0, "spring": 500.0}
    months = ledger.by_period().set_index("period")["amount"].to_dict()
    assert months == {"2024-01": 800.0, "2024-02": 200.0, "2024-04": 249.0}


def test_totals_identical_across_engines(to_engine) -> None:
    expected = cost_ledger(_lines()).totals(["period", "category", "platform"])
    got = cost_ledger(to_engine(_lines())).totals(["period", "category", "platform"])
    pd.testing.assert_frame_equal(got, expected)


def test_quarter_and_year_periods() -> None:
    q = cost_ledger(_lines(), period="quarter").by_period()
    assert q["period"].tolist() == ["2024-Q1", "2024-Q2"]
    assert q["amount"].tolist() == [1000.0, 249.0]
    y = cost_ledger(_lines(), period="year").by_period()
    assert y[["period", "amount"]].values.tolist() == [["2024", 1249.0]]
    assert period_labels(pd.Series([2023]), pd.Series([12]), "month").tolist() == ["2023-12"]


def test_share_sums_to_one_and_lines_counted() -> None:
    cats = cost_ledger(_lines()).by_category()
    assert math.isclose(cats["share"].sum(), 1.0)
    assert cats["lines"].sum() == 5


def test_unknown_category_raises_listing_valid_ones() -> None:
    bad = _lines().assign(category=["staff", "ads", "coffee", "tools", "Snacks"])
    with pytest.raises(InputError, match=r"'coffee', 'snacks'.*Valid categories: staff, "
                       r"management, tools, ads, agency, service, training, other") as info:
        cost_ledger(bad)
    assert "unknown='other'" in str(info.value)


def test_unknown_category_booked_as_other_with_note() -> None:
    bad = _lines().assign(category=["staff", "ads", "coffee", "tools", "management"])
    ledger = cost_ledger(bad, unknown="other")
    assert ledger.by_category().set_index("category").loc["other", "amount"] == 200.0
    assert any("coffee" in n for n in ledger.notes)
    assert "coffee" in ledger.summary()


def test_line_without_money_counts_zero_and_is_noted() -> None:
    lines = _lines()
    lines.loc[0, "hours"] = None
    ledger = cost_ledger(lines)
    assert ledger.total == 749.0
    assert "1 line(s) have neither an amount nor hours × rate" in ledger.summary()


def test_amount_only_and_time_only_ledgers() -> None:
    money = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "category": ["ads"],
                          "amount": [10]})
    assert cost_ledger(money).total == 10.0
    time = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "category": ["staff"],
                         "hours": [3], "rate": [40.0]})
    assert cost_ledger(time).total == 120.0


def test_missing_money_columns_raise() -> None:
    with pytest.raises(MissingColumnError, match="'amount' column or both 'hours' and 'rate'"):
        cost_ledger(pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "category": ["ads"]}))
    with pytest.raises(MissingColumnError, match="'category'"):
        cost_ledger(pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "amount": [1.0]}))


def test_missing_date_raises() -> None:
    lines = _lines()
    lines.loc[2, "date"] = pd.NaT
    with pytest.raises(InputError, match="1 line"):
        cost_ledger(lines)


def test_bad_options_raise() -> None:
    with pytest.raises(InputError, match="period='week'"):
        cost_ledger(_lines(), period="week")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown='drop'"):
        cost_ledger(_lines(), unknown="drop")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="by 'owner'"):
        cost_ledger(_lines()).totals("owner")  # type: ignore[arg-type]


def test_caller_frame_not_mutated() -> None:
    lines = _lines()
    before = lines.copy()
    cost_ledger(lines, unknown="other")
    pd.testing.assert_frame_equal(lines, before)


def test_summary_in_words_and_frame_columns() -> None:
    ledger = cost_ledger(_lines())
    text = ledger.summary()
    assert "Total social media cost: USD 1,249.00 over 5 cost lines (2024-01 to 2024-04)." in text
    assert "12.0 hours" in text
    assert list(ledger.to_frame().columns) == ["category", "amount", "hours", "lines", "share"]
    assert "<table" in ledger._repr_html_()


def test_chart_stacks_categories_per_period() -> None:
    spec = cost_ledger(_lines()).chart().to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["color"]["field"] == "category"


amounts = st.lists(st.tuples(st.sampled_from(COST_CATEGORIES),
                             st.floats(min_value=-1e4, max_value=1e6, allow_nan=False),
                             st.integers(min_value=1, max_value=12)), min_size=1, max_size=40)


@settings(max_examples=examples(50), deadline=None)
@given(amounts)
def test_ledger_totals_equal_sum_of_lines(rows: list[tuple[str, float, int]]) -> None:
    frame = pd.DataFrame({
        "date": pd.to_datetime([f"2024-{m:02d}-01" for _, _, m in rows]),
        "category": [c for c, _, _ in rows],
        "amount": [a for _, a, _ in rows],
    })
    ledger = cost_ledger(frame)
    expected = math.fsum(a for _, a, _ in rows)
    assert math.isclose(ledger.total, expected, rel_tol=1e-9, abs_tol=1e-6)
    for by in ("category", "period", "platform"):
        assert math.isclose(ledger.totals(by)["amount"].sum(), expected, rel_tol=1e-9, abs_tol=1e-6)


def test_ledger_is_a_frozen_result() -> None:
    ledger = cost_ledger(_lines())
    assert isinstance(ledger, CostLedger)
    with pytest.raises(AttributeError):
        ledger.period = "year"  # type: ignore[misc]


def test_sample_data_ledger_and_roi() -> None:
    import numpy as np

    import roi_kit as rk
    from roi_kit.roi import roi

    seed = 3
    data = rk.datasets.generate(seed=seed, n_customers=600, business="saas")
    costs = data.costs
    ledger = cost_ledger(costs)
    amount = costs.get("amount", np.nan)
    hours_rate = costs["hours"] * costs["rate"] if {"hours", "rate"} <= set(costs) else np.nan
    expected = pd.Series(amount).fillna(pd.Series(hours_rate)).fillna(0.0).sum()
    assert ledger.total == pytest.approx(expected), f"seed={seed}"
    assert set(ledger.by_category()["category"]) <= set(COST_CATEGORIES)
    r = roi(revenue=ledger.total * 1.5, cost=costs)
    assert r.roi_pct == pytest.approx(50.0)
