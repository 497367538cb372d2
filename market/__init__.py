"""The world: segments, customers as SimPy processes, behaviour models, parameters, presets
and the event vocabulary (what can happen in a market)."""

from __future__ import annotations

from market import events
from market.calendar import HOURS_PER_DAY, Calendar
from market.errors import MarketError, ParameterError
from market.market import Market
from market.overrides import apply_overrides, parse_override
from market.parameters import MarketParameters, parameters_from_dict, parameters_to_dict
from market.presets import load_preset, preset_names

__all__ = [
    "HOURS_PER_DAY",
    "Calendar",
    "Market",
    "MarketError",
    "MarketParameters",
    "ParameterError",
    "apply_overrides",
    "events",
    "load_preset",
    "parameters_from_dict",
    "parameters_to_dict",
    "parse_override",
    "preset_names",
]
