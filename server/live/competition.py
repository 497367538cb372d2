"""A live competition: the simulation, its paced clock, its logs on disk and its channels.

``LiveCompetition`` is the facade the routes, the runtime and the exports use. Its parts,
one concern each: the shared state and time (server.live.core), the lifecycle and the tick
(server.live.lifecycle), the command path with group commit (server.live.command_path),
writing behind (server.live.write_behind), the board (server.live.board), publishing
(server.live.publishing) and recovery (server.live.recovery).

All changes go through one asyncio lock per competition. When the database refuses a write
(away, or its disk full) nothing is left half-done: a command or an instructor's change is
refused (HTTP 503) and not applied.

The read API: ``state`` and ``status()``, ``standings()``, ``events_since(seq)`` and
``event_log``, ``events_at(seqs)``, ``commands_since(seq)``, ``team_state(team)`` (and
``team_state_json(team, role)``, the console's view built once per team and moment:
server.live.team_states) and ``team_cash(team)``, ``digest()`` and the counts. Before the
start it answers as the empty game (no events, no commands); what needs a game says so with
``started(why)`` — one 409 text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from market.events import Event
from scoring import MedalCounts, Normalisation, Weights
from server.live.board import Board
from server.live.command_path import CommandPath
from server.live.core import LiveCore
from server.live.lifecycle import Lifecycle
from server.live.recovery import recover
from server.live.team_states import TeamStates
from server.persistence.db.tables import CompetitionRow, TeamRow
from server.persistence.store import Store
from server.wire.broadcast import Broadcaster
from simulator.competition import AnyCommand, Competition, LoggedCommand, Outcome
from simulator.event_log import EventLog
from teams.desk import Desk


class LiveCompetition(LiveCore):
    """One competition as the server runs it."""

    def __init__(
        self, row: CompetitionRow, teams: list[TeamRow], store: Store, broadcaster: Broadcaster
    ) -> None:
        super().__init__(row, teams, store, broadcaster)
        self.lifecycle = Lifecycle(self)
        self.command_path = CommandPath(self)
        self.board = Board(self)
        self.team_states = TeamStates()

    # --- reading ---------------------------------------------------------------------------------

    def started(self, why: str = "") -> Competition:
        """The simulated competition, or — before the start — a 409 "the competition has not
        started; ``why``" (without ``why``: "… has not started yet")."""
        return self.stage.simulation(why)

    @property
    def event_log(self) -> Sequence[Event] | EventLog:
        """Every event so far, oldest first (none before the start); read it, never change it."""
        return self.stage.log

    def events_since(self, seq: int) -> list[Event]:
        """Events with a sequence number of at least ``seq`` (none before the start)."""
        return self.stage.events_since(seq)

    def events_at(self, seqs: tuple[int, ...]) -> list[Event]:
        """The events with these sequence numbers (a command's outcome names them)."""
        return self.stage.events_at(seqs)

    def commands_since(self, seq: int) -> list[LoggedCommand]:
        """Logged commands with a sequence number of at least ``seq`` (none before the start)."""
        return self.stage.commands_since(seq)

    def team_state(self, team: str) -> Desk:
        """The team's desk (its ledger, rules and prices); a 409 before the start."""
        return self.stage.desk(team)

    def team_state_json(self, team: str, role: str) -> str:
        """The team's state as the console reads it, with ``role``'s desk, as JSON; a 409 before the start."""
        return self.team_states.json(self.stage.simulation(), team, role)

    def team_cash(self, team: str) -> float | None:
        """The team's cash (None before the start)."""
        return self.stage.cash(team)

    @property
    def event_count(self) -> int:
        return self.stage.event_count

    @property
    def command_count(self) -> int:
        return self.stage.command_count

    def digest(self) -> str | None:
        """SHA-256 of the event log (None before the start)."""
        return self.stage.digest()

    # --- lifecycle and recovery ------------------------------------------------------------------

    async def start(self) -> None:
        await self.lifecycle.start()

    async def pause(self) -> None:
        await self.lifecycle.pause()

    async def resume(self, next_round: bool = False) -> None:
        await self.lifecycle.resume(next_round)

    async def end(self) -> None:
        await self.lifecycle.end()

    async def tick(self) -> None:
        await self.lifecycle.tick()

    def recover(self, persist: bool = True) -> None:
        recover(self, persist)

    # --- commands --------------------------------------------------------------------------------

    async def submit(
        self,
        command: AnyCommand,
        source: str,
        member_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome:
        """Commit the command, then apply it; answer once durable (server.live.command_path)."""
        return await self.command_path.submit(command, source, member_id, idempotency_key)

    # --- the board -------------------------------------------------------------------------------

    async def rescore(self, weights: Weights, normalisation: Normalisation) -> None:
        await self.board.rescore(weights, normalisation)

    async def freeze(self, at: float | None, by: str) -> None:
        await self.board.freeze(at, by)

    async def unfreeze(self, by: str, ceremony: bool = False) -> dict[str, Any] | None:
        return await self.board.unfreeze(by, ceremony)

    async def set_medals(self, medals: MedalCounts, by: str) -> None:
        await self.board.set_medals(medals, by)

    async def rubric_changed(self, change: Any) -> Any:
        return await self.board.rubric_changed(change)
