"""Instructor commands that change the market during a competition (logged and replayed).

A shock changes the market from the moment it is applied: ``demand`` multiplies a segment's
demand level, ``price_war`` scales the reserve prices of new requests, ``recall`` makes a
share of a segment's current customers complain about a defect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from market import events as ev
from market.parameters import MarketParameters
from teams.errors import CommandRefused

SHOCK_RANGES = {"demand": (0.0, 10.0), "price_war": (0.1, 2.0), "recall": (0.0, 1.0)}


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplyShock:
    kind: ClassVar[str] = "apply_shock"
    shock: str
    segment: str = "*"
    magnitude: float = 1.0


def shock_events(
    command: ApplyShock, params: MarketParameters
) -> list[tuple[type[ev.Event], dict[str, Any]]]:
    """The events of a shock; CommandRefused names what is wrong with it."""
    if command.shock not in SHOCK_RANGES:
        raise CommandRefused(
            "invalid", f"unknown shock {command.shock!r}; choose one of {', '.join(SHOCK_RANGES)}"
        )
    segments = [s.id for s in params.segments]
    if command.segment != "*" and command.segment not in segments:
        raise CommandRefused(
            "invalid", f"unknown segment {command.segment!r}; choose * or one of {', '.join(segments)}"
        )
    low, high = SHOCK_RANGES[command.shock]
    m = command.magnitude
    if isinstance(m, bool) or not isinstance(m, int | float) or not math.isfinite(m) or not low <= m <= high:
        raise CommandRefused(
            "invalid", f"a {command.shock} shock takes a magnitude from {low:g} to {high:g}, got {m!r}"
        )
    return [(ev.ShockApplied, dict(shock=command.shock, segment=command.segment, magnitude=float(m)))]
