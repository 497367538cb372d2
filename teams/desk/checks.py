"""Checks and wording the desk's command handlers share: numbers in range, money, the actor."""

from __future__ import annotations

import math
from typing import Any

from teams import commands as c
from teams.errors import CommandRefused


def money(x: float) -> str:
    return f"{x:,.2f}"


def actor(command: c.Command) -> str:
    """Who acted, as the event records it: the member's name, else the role."""
    return command.member or command.role


def number(name: str, value: Any, low: float, high: float) -> float:
    """``value`` as a float if it is a finite number from ``low`` to ``high``; else CommandRefused."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CommandRefused("invalid", f"{name} must be a finite number, got {value!r}")
    if not low <= value <= high:
        raise CommandRefused(
            "invalid",
            f"{name} {value:g} is out of range; allowed {low:g} to {high:g}",
            "out_of_range",
            field=name,
            value=float(value),
            low=low,
            high=high,
        )
    return float(value)
