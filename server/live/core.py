"""The heart of a live competition: its shared state, and time moving it on.

Every action of a live competition (server.live.lifecycle, server.live.command_path,
server.live.board) builds on what is here: the simulated competition's stage (not started or
started), the paced clock, the current round and status, advancing to the clock (stopping
at a round's end), sealing a freeze whose time has come, and flushing — publishing new events
at once and writing them behind (server.live.write_behind).

What time itself does — events, a round's end, a freeze's seal — is kept in memory when the
database refuses it and stored by the next tick that gets through, so memory and database
never part for good.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from market.parameters import MarketParameters, parameters_from_dict
from scoring import MedalCounts
from server.errors import ServerError
from server.live.clock import PacedClock
from server.live.idempotency import Replies
from server.live.publishing import Publisher
from server.live.rubric_book import RubricBook
from server.live.scores import LiveScores
from server.live.stage import NotStarted, Stage, Started
from server.live.tally import Activity
from server.live.write_behind import WriteBehind
from server.persistence.db.tables import CompetitionRow, TeamRow
from server.persistence.scoring_json import scoring_from_json
from server.persistence.store import Store
from server.wire.broadcast import Broadcaster
from server.wire.channels import CompetitionChannels
from simulator.competition import AnyCommand, Competition, TeamSpec

log = logging.getLogger("salesfloor.live")

ROUND_EPSILON = 1e-6
"""Business hours: a moment this close before a round's end still belongs to that round."""


class LiveCore:
    """One competition's state as the server runs it, and the clockwork every action uses."""

    def __init__(
        self, row: CompetitionRow, teams: list[TeamRow], store: Store, broadcaster: Broadcaster
    ) -> None:
        assert row.id is not None
        self.id = row.id
        self.name = row.name
        self.preset = row.preset
        self.judge_code = row.judge_code
        self.seed = row.seed
        self.rounds = row.rounds
        self.initial_params = parameters_from_dict(json.loads(row.parameters))
        self.scoring = scoring_from_json(self.initial_params, row.scoring)
        self.teams = teams
        self.store = store
        self.broadcaster = broadcaster
        self.state = row.state
        self.clock = PacedClock(row.seconds_per_hour, row.sim_t, row.resumed_at)
        self.stage: Stage = NotStarted()
        self.writer = WriteBehind(self.id, store)  # its owner epoch fences the rubric's writes too
        self.rubric = RubricBook(self.id, store, self.writer)
        medals = MedalCounts(**json.loads(row.medals)) if row.medals else MedalCounts()
        freeze = (row.freeze_t, row.freeze_seq, row.freeze_rubric)
        self.scores = LiveScores(self.scoring, self.rubric, freeze, medals)
        self.last_reveal: dict[str, Any] | None = json.loads(row.reveal) if row.reveal else None
        self.lock = asyncio.Lock()
        self.next_seq = 0
        self.published = 0
        self.activity: dict[str, Activity] = {t.name: Activity() for t in teams}
        self.between_rounds = False
        self.damaged: str | None = None
        self.channels = CompetitionChannels(self.id, broadcaster)
        self.clock_unsaved = False
        self.board_unsaved: dict[str, Any] = {}
        self.replies = Replies(self.id, store)
        self.publisher = Publisher(self.channels, self._team_names, self.scores, self._boards, self.status)

    # --- views -------------------------------------------------------------------------------------

    @property
    def params(self) -> MarketParameters:
        stage = self.stage
        return stage.competition.params if isinstance(stage, Started) else self.initial_params

    @property
    def now(self) -> float:
        return self.stage.now

    @property
    def round(self) -> int:
        """The current round, the one definition every page and answer uses: 0 before the start;
        the round being played (or paused); between rounds and after the end, the round that has
        just ended — never the one after it, nor one past the last. ``next_round`` in the status
        names the round the instructor starts next."""
        if isinstance(self.stage, NotStarted):
            return 0
        t = self.now
        if self.between_rounds or self.state == "finished":
            t = max(0.0, t - ROUND_EPSILON)  # the clock stopped on the boundary: the round it closed
        return max(1, min(self.rounds, self.params.calendar.round_of(t)))

    def status(self) -> dict[str, Any]:
        calendar = self.params.calendar
        round_number = max(1, self.round)
        round_end = calendar.round_start(round_number + 1)
        next_round = round_number + 1 if self.between_rounds and round_number < self.rounds else None
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "round": self.round,
            "rounds": self.rounds,
            "next_round": next_round,
            "between_rounds": self.between_rounds,
            "t_sim": self.now,
            "round_ends_t": round_end,
            "seconds_per_hour": self.clock.seconds_per_hour,
            "seconds_left_in_round": self.clock.wall_until(round_end) if self.state == "running" else None,
            "mode": self.params.mode,
            "preset": self.preset,
            "hours_per_day": calendar.hours(1.0),
            "round_hours": calendar.round_hours,
            "freeze_t": self.scores.freeze_t,
            "frozen": self.scores.frozen_now(self.now),
            "revealed": self.last_reveal is not None,
            "teams": len(self.teams),
        }

    def team(self, name: str) -> TeamRow:
        """The team called ``name``, or a 404 saying there is none."""
        team = next((t for t in self.teams if t.name == name), None)
        if team is None:
            raise ServerError("not_found", f"there is no team {name!r} in this competition")
        return team

    def standings(self, public: bool = False) -> list[dict[str, Any]]:
        """The leaderboard rows: live for judges and the instructor, cut at the freeze for the public."""
        if isinstance(self.stage, NotStarted):
            return [{"rank": i + 1, "team": t.name} for i, t in enumerate(self.teams)]
        return self.scores.rows(self.now, public)

    def _team_names(self) -> list[str]:
        return [team.name for team in self.teams]

    def _boards(self) -> tuple[float, list[dict[str, Any]], list[dict[str, Any]]]:
        rows = self.standings()
        public = self.standings(public=True) if self.scores.freeze_t is not None else rows
        return self.now, rows, public

    # --- the simulation ----------------------------------------------------------------------------

    def build(self) -> Competition:
        """The simulated competition, started from the first parameters, scored as it goes."""
        specs = [TeamSpec(t.name) for t in self.teams]
        competition = Competition(self.initial_params, self.seed, specs, rounds=self.rounds, bots=False)
        self.scores.rebuild(competition.log)
        competition.subscribe(self.scores.observe)
        self.stage = Started(competition)
        return competition

    def at_round_end(self) -> bool:
        round_hours = self.params.calendar.round_hours
        return self.now > 0 and abs(self.now / round_hours - round(self.now / round_hours)) < 1e-9

    def count(self, command: AnyCommand, accepted: bool, t: float, member_id: int | None) -> None:
        """Count a team's command for the instructor's monitor, and the member's who sent it."""
        activity = self.activity.get(getattr(command, "team", None) or "")
        if activity is not None:
            activity.count_command(accepted, t, member_id)

    @property
    def unsaved(self) -> bool:
        """Whether something is still to be stored: events written behind, or what the database refused."""
        return self.clock_unsaved or bool(self.board_unsaved) or self.writer.pending(self.stage.event_count)

    # --- time --------------------------------------------------------------------------------------

    async def save_clock(self) -> None:
        """Store the clock; a failure leaves it marked unsaved, for the tick to store it again."""
        try:
            await asyncio.to_thread(
                self.store.save_clock,
                self.id,
                self.state,
                self.clock.sim_t,
                self.clock.resumed_at,
                self.writer.epoch,
            )
        except Exception as exc:
            self.clock_unsaved = True
            self.writer.refused(exc)  # another worker owns it now: this process stops
            raise
        self.clock_unsaved = False

    async def advance(self, target: float, write: bool = True) -> None:
        """Advance to ``target`` (stopping at a round's end), publish; with ``write``, store events too."""
        competition = self.stage.simulation()
        calendar = self.params.calendar
        boundary = calendar.round_start(calendar.round_of(competition.now) + 1)
        if self.state == "running" and target >= boundary:
            competition.advance_to(boundary)
            self.clock.stop(at_sim=boundary)
            self.state = "finished" if boundary >= competition.end_t else "paused"
            self.between_rounds = self.state == "paused"
            with contextlib.suppress(Exception):  # kept unsaved: the next tick stores it
                await self.save_clock()
            self.publish_state()
        else:
            competition.advance_to(max(target, competition.now))
        await self.seal()
        await self.flush(write)

    async def seal(self) -> None:
        """Seal a freeze whose time the clock has reached (and keep the seal across restarts)."""
        stage = self.stage
        if isinstance(stage, Started) and self.scores.seal(stage.competition.now, stage.competition.log):
            self.board_unsaved.update(
                freeze_seq=self.scores.freeze_seq, freeze_rubric=self.scores.freeze_rubric
            )
            await self.store_board_unsaved()
            self.publish_state()

    async def store_board_unsaved(self) -> None:
        """Store board columns time has set (a seal); if refused, they stay for the next tick."""
        if not self.board_unsaved:
            return
        columns = dict(self.board_unsaved)
        try:
            await asyncio.to_thread(self.store.save_board, self.id, None, epoch=self.writer.epoch, **columns)
        except Exception as exc:
            self.writer.refused(exc)
            if not isinstance(exc, ServerError):
                log.error("competition %s: board columns not stored yet: %s", self.id, exc)
            return
        for name, value in columns.items():
            if self.board_unsaved.get(name) == value:
                del self.board_unsaved[name]

    # --- publishing and writing behind -------------------------------------------------------------

    async def flush(self, write: bool = True) -> None:
        """Publish new events (and the board); with ``write``, store what is not stored yet.

        A command publishes only: its answer need not wait for a second commit (the command
        itself is committed, and a replay rebuilds its events), so the next tick writes them,
        together with whatever else came meanwhile.
        """
        competition = self.stage.simulation()
        new = competition.log.since(self.published)
        if new:
            self.published = len(competition.log)
            self.publisher.events(new)
            self.publisher.standings(at_once=self.state != "running")  # a stopped clock: the exact board
        if write:
            await self.writer.write(competition.log, self.next_seq)

    def publish_state(self) -> None:
        self.publisher.state(self.now)

    def publish_everywhere(self, kind: str, data: Any) -> None:
        self.publisher.everywhere(kind, self.now, data)
