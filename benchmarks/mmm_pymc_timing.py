"""Time PyMC-Marketing's MMM on 104 weeks x 6 paid channels + organic social (planted truth).

Not run by roi_kit's tests or run_all.sh: PyMC-Marketing is not in the lock. Measured in its own
virtual environment (docs/incrementality.md, "MMM: engine decision"):

    .venv/bin/uv venv --python 3.11 /tmp/mmm-venv
    .venv/bin/uv pip install --python /tmp/mmm-venv/bin/python pymc-marketing
    /tmp/mmm-venv/bin/python benchmarks/mmm_pymc_timing.py default   # PyMC defaults
    /tmp/mmm-venv/bin/python benchmarks/mmm_pymc_timing.py fast      # 500 + 500 draws, 2 chains
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd

CHANNELS = ["paid_social", "search", "display", "video", "email", "affiliates", "organic_social"]


def weekly(seed: int = 0, n: int = 104) -> tuple[pd.DataFrame, np.ndarray]:
    """The same planted data as benchmarks/mmm_engine_choice.py (logistic saturation here)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=n, freq="W-MON")})
    t = np.arange(n)
    y = 50_000 + 200 * t + 5_000 * np.sin(2 * np.pi * t / 52)
    for i, c in enumerate(CHANNELS):
        x = rng.gamma(2.0, 2_000 * (i + 1) / 3, n) * (rng.random(n) < 0.85)
        frame[c] = x
        theta = 0.2 + 0.1 * (i % 5)
        ad = np.zeros(n)
        carry = 0.0
        for k in range(n):
            carry = x[k] + theta * carry
            ad[k] = carry
        lam = 1.0 / ad.mean()
        y = y + 8_000 * (1 + i % 3) * (1 - np.exp(-lam * ad)) / (1 + np.exp(-lam * ad))
    return frame, y + rng.normal(0, 2_000, n)


def main() -> None:
    warnings.filterwarnings("ignore")
    t_import = time.time()
    import arviz as az
    from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation

    print("import_seconds", round(time.time() - t_import, 1), flush=True)
    frame, y = weekly()
    mode = sys.argv[1] if len(sys.argv) > 1 else "default"
    mmm = MMM(date_column="date", channel_columns=CHANNELS, adstock=GeometricAdstock(l_max=8),
              saturation=LogisticSaturation(), yearly_seasonality=2)
    kw = {} if mode == "default" else {"draws": 500, "tune": 500, "chains": 2}
    t0 = time.time()
    mmm.fit(frame, y, progressbar=False, random_seed=1, **kw)
    print(mode, "fit_seconds", round(time.time() - t0, 1), kw, flush=True)
    summary = az.summary(mmm.fit_result, var_names=["saturation_beta"])
    print("max r_hat", float(summary["r_hat"].max()), flush=True)


if __name__ == "__main__":
    main()
