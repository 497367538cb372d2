"""Events of the competition itself: teams joining, rounds, instructor shocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from market.events.base import Event, TeamEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamJoined(TeamEvent):
    kind: ClassVar[str] = "team_joined"
    starting_cash: float

    @property
    def cash_delta(self) -> float:
        return self.starting_cash


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundStarted(Event):
    kind: ClassVar[str] = "round_started"
    round: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundEnded(Event):
    kind: ClassVar[str] = "round_ended"
    round: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ShockApplied(Event):
    """An instructor's market shock: demand step, price war or product recall."""

    kind: ClassVar[str] = "shock_applied"
    shock: str
    segment: str
    magnitude: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ParametersChanged(Event):
    """The instructor changed market parameters from this moment on (``changes``: JSON pairs)."""

    kind: ClassVar[str] = "parameters_changed"
    changes: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnouncementMade(Event):
    """The instructor told every team something."""

    kind: ClassVar[str] = "announcement_made"
    text: str
