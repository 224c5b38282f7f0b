"""k groups against a reference: each pair equals the two-group comparison on those customers,
and p-values are Holm-adjusted across the groups."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

import roi_kit as rk
from roi_kit.errors import InputError
from roi_kit.followers._k_groups import holm


def test_holm_hand_worked() -> None:
    # sorted 0.01, 0.03, 0.04 -> 3*0.01, max(0.03, 2*0.03), max(0.06, 1*0.04)
    assert holm(np.array([0.01, 0.04, 0.03])).tolist() == pytest.approx([0.03, 0.06, 0.06])
    assert holm(np.array([0.5, np.nan, 0.8])).tolist()[::2] == pytest.approx([1.0, 1.0])
    assert np.isnan(holm(np.array([np.nan]))).all()


@pytest.fixture(scope="module")
def sample() -> Any:
    with warnings.catch_warnings():  # the generator's own deprecation noise is not under test
        warnings.simplefilter("ignore")
        s = rk.datasets.generate(seed=4, n_customers=1500)
    rng = np.random.default_rng(4)
    s.customers["channel"] = rng.choice(["linkedin", "instagram", "none"], len(s.customers))
    return s


def test_each_group_equals_the_two_group_comparison(sample: Any) -> None:
    res = rk.compare_groups(sample.customers, sample.deals, by="channel", reference="none",
                            covariates=["company_size"], n_boot=200)
    assert res.groups == ("instagram", "linkedin") and list(res.sizes) == ["none", "instagram", "linkedin"]
    for g in res.groups:
        pair = sample.customers[sample.customers["channel"].isin([g, "none"])]
        deals = sample.deals[sample.deals["customer_id"].isin(pair["customer_id"])]
        ref = rk.compare_segments(pair, deals, by="channel", followers=g, covariates=["company_size"],
                                  n_boot=200)
        pd.testing.assert_frame_equal(res.comparisons[g].to_frame(), ref.to_frame(),
                                      rtol=1e-6, check_exact=False)
    table = res.to_frame()
    assert set(table["group"]) == {"instagram", "linkedin"} and (table["reference"] == "none").all()
    one = table[(table["measure"] == "retention at 365 days") & (table["method"] == "adjusted")]
    assert one["p_holm"].tolist() == pytest.approx(holm(one["p_value"].to_numpy()).tolist())
    assert (one["p_holm"] >= one["p_value"]).all()
    assert "Holm-adjusted" in res.summary()
    assert len(res.chart().to_dict()["vconcat"]) == 2


def test_bad_reference_lists_the_values(sample: Any) -> None:
    with pytest.raises(InputError, match="'instagram', 'linkedin', 'none'") as info:
        rk.compare_groups(sample.customers, by="channel", reference="tiktok", covariates=())
    assert "Hint:" in str(info.value)


def test_three_valued_column_in_compare_segments_points_to_compare_groups(sample: Any) -> None:
    with pytest.raises(InputError, match=r"rk\.compare_groups"):
        rk.compare_segments(sample.customers, by="channel", covariates=())
