"""Direct + indirect ROI in one statement: rk.roi(revenue={name: number or result}, cost=...)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import ConfigError, InputError
from roi_kit.roi_statement import RevenueComponent, combined_interval


@dataclass(frozen=True)
class Estimate:
    """A result with an interval, like a value-of-social estimate."""

    est: float
    lo: float
    hi: float

    def revenue_estimate(self) -> tuple[float, float | None, float | None, str]:
        return self.est, self.lo, self.hi, "test estimate"


LEDGER = pd.DataFrame({"date": pd.to_datetime(["2024-01-31", "2024-02-29"]),
                       "category": ["staff", "ads"], "amount": [300.0, 100.0]})


def four_levers() -> rk.RoiResult:
    return rk.roi(revenue={"attributed sales": 300, "follower value": Estimate(200, 150, 260),
                           "PPC-equivalent traffic": 50, "service savings": 50}, cost=LEDGER)


def test_direct_and_total_roi_by_hand() -> None:
    r = four_levers()
    # total 300 + 200 + 50 + 50 = 600 over cost 400 → 50 %; direct 300 → −25 %
    assert (r.revenue, r.cost, r.roi_pct, r.net_return, r.roas) == (600.0, 400.0, 50.0, 200.0, 1.5)
    assert r.direct is not None
    assert (r.direct.revenue, r.direct.roi_pct, r.direct.roi_pct_ci) == (300.0, -25.0, None)
    # only follower value has an interval: 600 − 50 and 600 + 60 → ROI 37.5 % to 65 %
    assert r.revenue_ci == (550.0, 660.0)
    assert r.roi_pct_ci == pytest.approx((37.5, 65.0))
    assert [(c.name, c.kind, c.direct) for c in r.components] == [
        ("attributed sales", "sales", True), ("follower value", "follower value", False),
        ("PPC-equivalent traffic", "traffic", False), ("service savings", "service savings", False)]


def test_overlaps_are_warned_in_words() -> None:
    r = four_levers()
    assert len(r.warnings) == 2
    assert r.warnings[0].startswith("'attributed sales' and 'follower value' can count the same money")
    assert r.warnings[1].startswith("'attributed sales' and 'PPC-equivalent traffic' can count the same")
    text = r.summary()
    assert text.count("WARNING:") == 2
    assert "Direct ROI (attributed sales): -25.0%" in text
    assert "Total ROI (direct + indirect): 50.0%" in text
    assert "Service savings are costs avoided" in text
    assert "- follower value (indirect, follower value): USD 200.00, interval USD 150.00 to USD 260.00" in text


def test_no_overlap_no_warning() -> None:
    assert rk.roi(revenue={"attributed sales": 1, "service savings": 1}, cost=1).warnings == ()
    same = rk.roi(revenue={"follower value 2023": 1, "follower value 2024": 1}, cost=1).warnings
    assert len(same) == 1 and "are both follower value" in same[0]


def test_to_frame_lists_direct_roi_and_components() -> None:
    f = four_levers().to_frame().set_index("metric")
    assert f.loc["roi_pct", "value"] == 50.0
    assert f.loc["direct_roi_pct", "value"] == -25.0
    assert f.loc["direct_revenue", "note"] == "direct: attributed sales"
    assert f.loc["component: follower value", ["value", "ci_low", "ci_high"]].tolist() == [200.0, 150.0, 260.0]
    assert f.loc["component: follower value", "note"] == "test estimate"
    cf = four_levers().components_frame()
    assert cf.columns.tolist() == ["component", "kind", "direct", "value", "ci_low", "ci_high", "source"]
    assert cf["direct"].tolist() == [True, False, False, False]


def test_direct_can_be_named() -> None:
    r = rk.roi(revenue={"attributed sales": 300, "PPC-equivalent traffic": 50}, cost=400,
               direct=["attributed sales", "PPC-equivalent traffic"])
    assert r.direct is not None and r.direct.roi_pct == -12.5


def test_without_direct_component_direct_roi_is_undefined_in_words() -> None:
    r = rk.roi(revenue={"follower value": 500}, cost=400)
    assert r.direct is None and r.roi_pct == 25.0
    assert "Direct ROI: undefined — no component is direct revenue" in r.summary()
    f = r.to_frame().set_index("metric")
    assert np.isnan(f.loc["direct_roi_pct", "value"])
    assert f.loc["direct_roi_pct", "note"] == "no component is direct revenue"


def test_zero_cost_is_undefined_for_both() -> None:
    r = rk.roi(revenue={"attributed sales": 10, "follower value": 5}, cost=0)
    text = r.summary()
    assert r.roi_pct is None and r.direct is not None and r.direct.roi_pct is None
    assert "Direct ROI (attributed sales): ROI is undefined: total social cost is zero." in text
    assert "nan" not in text.lower() and "inf" not in text.lower()


def test_kinds_come_from_result_types() -> None:
    paths = pd.DataFrame({"path": ["Paid Social > Email"], "conversions": [1], "value": [80.0]})
    attributed = rk.attribute(paths, model="linear")
    cases = pd.DataFrame({"interaction_id": ["a"], "platform": ["x"],
                          "opened_at": pd.to_datetime(["2024-01-01 09:00"]),
                          "resolved_at": pd.to_datetime(["2024-01-01 10:00"]),
                          "replaced_channel": ["phone"]})
    care = rk.service_metrics(cases, cost_per_case={"phone": 5.0, "social": 1.0})
    r = rk.roi(revenue={"from the model": attributed, "care": care}, cost=20)
    assert [(c.kind, c.direct, c.value) for c in r.components] == [
        ("sales", True, 40.0), ("service savings", False, 4.0)]
    assert r.direct is not None and r.direct.roi_pct == 100.0


@pytest.mark.parametrize(("revenue", "kwargs", "match"), [
    ({}, {}, "no components"),
    ({"a": "lots"}, {}, r"revenue\['a'\]: revenue is a str"),
    ({"a": 1}, {"direct": ["b"]}, "names 'b', which is not a component"),
])
def test_bad_statements_raise(revenue: dict[str, object], kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        rk.roi(revenue=revenue, cost=1, **kwargs)  # type: ignore[arg-type]


def test_direct_without_components_is_refused() -> None:
    with pytest.raises(ConfigError, match="needs revenue as a mapping"):
        rk.roi(revenue=100, cost=50, direct=["attributed sales"])


def test_quadrature_per_side() -> None:
    a = RevenueComponent("a", 10.0, 7.0, 14.0, "", "sales", True)
    b = RevenueComponent("b", 20.0, 16.0, 23.0, "", "other", False)
    c = RevenueComponent("c", 5.0, None, None, "", "other", False)
    # down sqrt(3² + 4²) = 5, up sqrt(4² + 3²) = 5
    assert combined_interval([a, b, c]) == (30.0, 40.0)
    assert combined_interval([c]) is None


def test_waterfall_steps_per_component() -> None:
    rows = next(iter(four_levers().chart().to_dict()["datasets"].values()))
    assert [r["step"] for r in rows] == ["attributed sales", "follower value",
                                         "PPC-equivalent traffic", "service savings", "ads",
                                         "staff", "Net return"]
    assert [r["end"] for r in rows][:4] == [300.0, 500.0, 550.0, 600.0]


def test_single_revenue_is_unchanged() -> None:
    r = rk.roi(revenue=150, cost=100)
    assert (r.components, r.direct, r.warnings) == ((), None, ())
    assert r.to_frame()["metric"].tolist() == ["revenue", "cost", "net_return", "roi_pct", "roas",
                                               "payback_months"]
