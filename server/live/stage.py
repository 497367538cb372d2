"""Before and after the start: a live competition is ``NotStarted`` or ``Started``, never an Optional.

A draft has no simulation, no event log and no command log. ``NotStarted`` answers every read
as the empty game it is (no events, no commands, no digest) and refuses what needs a game with
one 409 text; ``Started`` holds the simulator's competition and answers from it. The live
competition's read API (server.live.competition) asks its stage, so neither it nor a route
checks for None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from market.events import Event
from server.errors import ServerError
from simulator.competition import Competition, LoggedCommand
from simulator.event_log import EventLog
from teams.desk import Desk

NOT_STARTED = "the competition has not started"


def not_started(why: str = "") -> str:
    """The refusal before the start: ``why`` says what there is not yet (none: "… not started yet")."""
    return f"{NOT_STARTED}; {why}" if why else f"{NOT_STARTED} yet"


class NotStarted:
    """A competition before its start: nothing simulated yet."""

    __slots__ = ()

    def simulation(self, why: str = "") -> NoReturn:
        """What needs a game is refused: a 409 saying it has not started (and ``why`` it matters)."""
        raise ServerError("conflict", not_started(why))

    @property
    def now(self) -> float:
        return 0.0

    @property
    def log(self) -> tuple[Event, ...]:
        return ()

    def events_since(self, seq: int) -> list[Event]:
        return []

    def events_at(self, seqs: tuple[int, ...]) -> list[Event]:
        return []

    def commands_since(self, seq: int) -> list[LoggedCommand]:
        return []

    def desk(self, team: str) -> NoReturn:
        self.simulation()

    def cash(self, team: str) -> float | None:
        return None

    @property
    def event_count(self) -> int:
        return 0

    @property
    def command_count(self) -> int:
        return 0

    def digest(self) -> str | None:
        return None


@dataclass(frozen=True, slots=True)
class Started:
    """A competition that has started (running, paused or finished): its simulation and logs."""

    competition: Competition

    def simulation(self, why: str = "") -> Competition:
        return self.competition

    @property
    def now(self) -> float:
        return self.competition.now

    @property
    def log(self) -> EventLog:
        return self.competition.log

    def events_since(self, seq: int) -> list[Event]:
        """Events with a sequence number of at least ``seq``."""
        return self.competition.log.since(seq)

    def events_at(self, seqs: tuple[int, ...]) -> list[Event]:
        log = self.competition.log
        return [log[seq] for seq in seqs]

    def commands_since(self, seq: int) -> list[LoggedCommand]:
        """Logged commands with a sequence number of at least ``seq``."""
        return self.competition.commands[seq:]

    def desk(self, team: str) -> Desk:
        return self.competition.desks[team]

    def cash(self, team: str) -> float | None:
        return self.competition.desks[team].ledger.cash

    @property
    def event_count(self) -> int:
        return len(self.competition.log)

    @property
    def command_count(self) -> int:
        return len(self.competition.commands)

    def digest(self) -> str | None:
        return self.competition.digest()


Stage = NotStarted | Started
