"""Shared helpers for simulator tests: small seeded seasons of the reference bots."""

from __future__ import annotations

from functools import cache

from market.overrides import apply_overrides
from market.parameters import MarketParameters
from market.presets import load_preset
from scoring import Scoreboard
from simulator.competition import Competition, TeamSpec
from simulator.season import play_season

REFERENCE = ("balanced", "passive", "dumper", "lax", "lavish", "eager")


def preset(name: str = "classroom", mode: str | None = None, **overrides: object) -> MarketParameters:
    params = load_preset(name)
    changes = [(k.replace("__", "."), v) for k, v in overrides.items()]
    if mode:
        changes.append(("mode", mode))
    return apply_overrides(params, changes) if changes else params


def reference_teams() -> list[TeamSpec]:
    return [TeamSpec(bot, bot) for bot in REFERENCE]


@cache
def season(seed: int, mode: str = "shared", rounds: int | None = None) -> tuple[Competition, Scoreboard]:
    """One season of one team per reference bot (cached: tests only read it)."""
    return play_season(preset(mode=mode), seed, reference_teams(), rounds=rounds)
