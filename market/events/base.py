"""The base of every event: a sequence number, a simulated time and, for most, a team."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of all events: position in the log and simulated time."""

    kind: ClassVar[str] = "event"
    seq: int
    t: float

    @property
    def cash_delta(self) -> float:
        """Change of the team's cash this event stands for (0 for most events)."""
        return 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamEvent(Event):
    """An event that belongs to one team."""

    team: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Spending(TeamEvent):
    """A team event that spends ``cost`` of the team's cash."""

    cost: float

    @property
    def cash_delta(self) -> float:
        return -self.cost
