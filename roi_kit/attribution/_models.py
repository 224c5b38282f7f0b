"""The attribution models ``rk.attribute`` knows: their keys, names in words, and aliases.

Examples
--------
>>> model_key("Last-Click"), MODEL_LABELS["last"]
('last', 'Last touch')
"""

from __future__ import annotations

from typing import Literal

from roi_kit.errors import ConfigError

__all__ = ["DEFAULT_MODELS", "MODEL_LABELS", "Model", "model_key"]

Model = Literal["first", "last", "last_non_direct", "linear", "time_decay", "position", "markov",
                "shapley", "u_shaped", "w_shaped", "full_path", "j_shaped", "inverse_j", "custom"]

MODEL_LABELS: dict[str, str] = {
    "first": "First touch", "last": "Last touch", "last_non_direct": "Last non-direct",
    "linear": "Linear", "time_decay": "Time decay", "position": "Position-based",
    "markov": "Markov", "shapley": "Shapley", "j_shaped": "J-shaped", "inverse_j": "Inverse J",
    "u_shaped": "U-shaped", "w_shaped": "W-shaped", "full_path": "Full path",
    "custom": "Custom positions",
}
"""Model keys and their names in words (the order of ``rk.compare_models``)."""

DEFAULT_MODELS: tuple[str, ...] = tuple(k for k in MODEL_LABELS if k != "custom")
"""What ``rk.compare_models`` runs by default (CRM milestone models only with milestone data)."""

_ALIASES = {"first_touch": "first", "last_touch": "last", "last_click": "last",
            "position_based": "position", "timedecay": "time_decay", "z_shaped": "full_path",
            "lnd": "last_non_direct", "data_driven": "shapley", "inverse_j_shaped": "inverse_j",
            "reverse_j": "inverse_j"}


def model_key(model: str) -> str:
    """The model key of a name or alias (``ConfigError`` listing the models if unknown)."""
    key = _ALIASES.get(str(model).lower().replace("-", "_").replace(" ", "_"),
                       str(model).lower().replace("-", "_").replace(" ", "_"))
    if key not in MODEL_LABELS:
        raise ConfigError(f"model={model!r} is not an attribution model.",
                          hint=f"use one of {', '.join(MODEL_LABELS)}.")
    return key
