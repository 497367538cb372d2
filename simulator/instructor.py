"""Instructor commands that change the market during a competition (logged and replayed).

A shock changes the market from the moment it is applied: ``demand`` multiplies a segment's
demand level, ``price_war`` scales the reserve prices of new requests, ``recall`` makes a
share of a segment's current customers complain about a defect. A parameter change applies
validated overrides from the moment it is made (the shape of the competition — mode, calendar,
rounds — cannot change mid-way). An announcement is a message to every team.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from market import events as ev
from market.errors import ParameterError
from market.overrides import apply_overrides, normalise_key
from market.parameters import MarketParameters
from teams.errors import CommandRefused

FIXED_KEYS = ("mode", "day_kind", "days_per_round", "rounds", "name", "description", "rules")
"""Parameters that shape the whole competition and cannot change once it runs."""
MAX_ANNOUNCEMENT = 500

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


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeParameters:
    kind: ClassVar[str] = "change_parameters"
    changes: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Announce:
    kind: ClassVar[str] = "announce"
    text: str


InstructorCommand = ApplyShock | ChangeParameters | Announce


def changed_parameters(command: ChangeParameters, params: MarketParameters) -> MarketParameters:
    """The parameters after the change; CommandRefused names the field that is wrong."""
    if not command.changes:
        raise CommandRefused("invalid", "name at least one parameter to change, e.g. segments.smb.share=0.5")
    for key, _ in command.changes:
        try:
            parts = normalise_key(key)
        except ParameterError as exc:
            raise CommandRefused("invalid", str(exc)) from None
        if parts[0] in FIXED_KEYS:
            raise CommandRefused(
                "invalid", f"{key} shapes the whole competition and cannot change once it runs"
            )
    try:
        return apply_overrides(params, command.changes)
    except ParameterError as exc:
        raise CommandRefused("invalid", str(exc)) from None


def change_events(command: ChangeParameters) -> list[tuple[type[ev.Event], dict[str, Any]]]:
    changes = json.dumps([[k, v] for k, v in command.changes], separators=(",", ":"))
    return [(ev.ParametersChanged, dict(changes=changes))]


def announcement_events(command: Announce) -> list[tuple[type[ev.Event], dict[str, Any]]]:
    text = command.text.strip()
    if not 1 <= len(text) <= MAX_ANNOUNCEMENT:
        raise CommandRefused("invalid", f"an announcement needs 1 to {MAX_ANNOUNCEMENT} characters of text")
    return [(ev.AnnouncementMade, dict(text=text))]
