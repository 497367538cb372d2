"""Presets: named markets stored as TOML data files in ``market/presets/``.

A preset is a complete parameter set (``classroom``, ``calm``, ``rush``, ``credit-crunch``,
``realistic``). :func:`load_preset` reads and validates one; :func:`preset_names` lists them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from market.errors import ParameterError
from market.parameters import MarketParameters, parameters_from_dict

PRESET_DIR = Path(__file__).with_name("presets")


def preset_names() -> list[str]:
    """Names of the presets shipped with Salesfloor, sorted."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml"))


def preset_data(name: str) -> dict[str, Any]:
    """The raw dictionary of preset ``name``, before validation."""
    path = PRESET_DIR / f"{name}.toml"
    if not path.is_file():
        raise ParameterError("preset", f"unknown preset {name!r}; choose one of {', '.join(preset_names())}")
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_preset(name: str) -> MarketParameters:
    """Validated parameters of preset ``name``."""
    return parameters_from_dict(preset_data(name))
