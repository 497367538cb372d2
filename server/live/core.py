"""A live competition: the simulation, its paced clock, its logs on disk and its channels.

All changes go through one asyncio lock per competition, in one order: a command gets its
simulated time from the clock, is committed to the command log, then applied and answered;
new events are published to the channels at once and written behind by the next tick. The
boards (standings) go out at most five times a second. Recovery replays the committed
command log and checks the result against the stored events.

When the database refuses a write (away, or its disk full) nothing is left half-done: a
command or an instructor's change is refused (HTTP 503) and not applied, while what time
itself does — events, a round's end, a freeze's seal — is kept in memory and stored by the
next tick that gets through, so memory and database never part for good.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from market.events import Event, event_to_json
from market.parameters import MarketParameters, parameters_from_dict
from scoring import MedalCounts, Normalisation, Weights
from server.broadcast import Broadcaster
from server.channels import CompetitionChannels
from server.errors import ServerError
from server.live.clock import PacedClock
from server.live.idempotency import Replies, reply_to_json
from server.persistence.db.tables import BoardChangeRow, CommandRow, CompetitionRow, TeamRow
from server.persistence.store import Store
from server.rubric_book import RubricBook
from server.scores import LiveScores, scoring_from_json, scoring_to_json
from server.text_rules import refuse_unstorable
from server.wall_clock import wall_now
from simulator.command_log import command_from_json, command_to_json
from simulator.competition import AnyCommand, Competition, Outcome, TeamSpec

log = logging.getLogger("salesfloor.live")

WRITE_RETRY_SECONDS = 0.5
"""After a failed write-behind, the next try waits this long (a command that gets through resets it)."""

BOARD_INTERVAL = 0.2
"""Boards (standings) go out at most this often: a busy class changes them at nearly every event,
and each goes to every channel and every client — a projector needs a few a second, not hundreds."""

WRITE_BEHIND_SECONDS = 0.5
"""A command stores the events written behind only if they have waited this long (the tick, which
skips a competition whose lock is taken, may be kept out by a stream of commands); otherwise it
only commits itself, and the tick writes the events of many commands in one transaction."""

MAX_BATCH = 500
"""Commands committed in one transaction at most (group commit)."""

ROUND_EPSILON = 1e-6
"""Business hours: a moment this close before a round's end still belongs to that round."""

UNFROZEN: dict[str, Any] = {"freeze_t": None, "freeze_seq": None, "freeze_rubric": None}


@dataclass(slots=True)
class Tally:
    """Commands sent, how many were refused, and the simulated time of the last one."""

    commands: int = 0
    refused: int = 0
    last_t: float | None = None

    def count(self, accepted: bool, t: float) -> None:
        self.commands += 1
        self.refused += not accepted
        self.last_t = t


@dataclass(slots=True)
class Activity(Tally):
    """A team's activity for the instructor's monitor: the team's tally, its members' own, who joined."""

    members: set[str] = field(default_factory=set)
    by_member: dict[int, Tally] = field(default_factory=dict)


@dataclass(slots=True)
class Pending:
    """A command waiting for its batch: what it is, who sent it, and its answer once applied."""

    command: AnyCommand
    source: str
    member_id: int | None
    idempotency_key: str | None
    payload: str
    answer: asyncio.Future[Outcome] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class LiveCompetition:
    """One competition as the server runs it."""

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
        self.competition: Competition | None = None
        self.rubric = RubricBook(self.id, store)
        medals = MedalCounts(**json.loads(row.medals)) if row.medals else MedalCounts()
        freeze = (row.freeze_t, row.freeze_seq, row.freeze_rubric)
        self.scores = LiveScores(self.scoring, self.rubric, freeze, medals)
        self.last_reveal: dict[str, Any] | None = json.loads(row.reveal) if row.reveal else None
        self.lock = asyncio.Lock()
        self.next_seq = 0
        self.published = 0
        self.persisted = 0
        self.outcomes: list[tuple[int, bool, str]] = []
        self.activity: dict[str, Activity] = {t.name: Activity() for t in teams}
        self.between_rounds = False
        self.damaged: str | None = None
        self.channels = CompetitionChannels(self.id, broadcaster)
        self.commands_unsettled = False  # a refused command's commit may have gone through
        self.events_uncertain = False  # a failed write-behind's commit may have gone through
        self.clock_unsaved = False
        self.board_unsaved: dict[str, Any] = {}
        self.write_retry_at = 0.0  # monotonic time before which a failed write-behind waits
        self.replies = Replies(self.id, store)
        self._board_sent_at = -BOARD_INTERVAL  # when boards last went out (monotonic seconds)
        self._board_due: asyncio.TimerHandle | None = None
        self._written_at = 0.0  # when events were last written behind (monotonic seconds)
        self._waiting: list[Pending] = []  # commands waiting for the next batch, in arrival order
        self._drainer: asyncio.Task[None] | None = None  # the task running batches while commands wait

    # --- views -------------------------------------------------------------------------------------

    @property
    def params(self) -> MarketParameters:
        return self.competition.params if self.competition else self.initial_params

    @property
    def now(self) -> float:
        return self.competition.now if self.competition else 0.0

    @property
    def round(self) -> int:
        """The current round, the one definition every page and answer uses: 0 before the start;
        the round being played (or paused); between rounds and after the end, the round that has
        just ended — never the one after it, nor one past the last. ``next_round`` in the status
        names the round the instructor starts next."""
        if self.competition is None:
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
        if self.competition is None:
            return [{"rank": i + 1, "team": t.name} for i, t in enumerate(self.teams)]
        return self.scores.rows(self.now, public)

    # --- building and recovery -------------------------------------------------------------------

    def _build(self) -> Competition:
        specs = [TeamSpec(t.name) for t in self.teams]
        competition = Competition(self.initial_params, self.seed, specs, rounds=self.rounds, bots=False)
        self.scores.rebuild(competition.log)
        competition.subscribe(self.scores.observe)
        self.competition = competition
        return competition

    def recover(self, persist: bool = True) -> None:
        """Rebuild from the committed command log, check against stored events, stop the clock.

        A finished competition is rebuilt too, so that its final standings can be shown.
        The collector is paused meanwhile: the replay allocates much and frees little.
        ``persist=False`` only reads (an export from the command line beside a running server).
        """
        gc.disable()
        try:
            self._recover(persist)
        finally:
            gc.enable()

    def _recover(self, persist: bool) -> None:
        rows = self.store.command_log(self.id)
        stored = self.store.event_payloads(self.id)
        competition = self._build()
        for row in rows:
            command = command_from_json(json.loads(row.payload))
            competition.submit(command, row.t, row.source)
        last_t = max([self.clock.sim_t, *(r.t for r in rows), *(json.loads(p)["t"] for p in stored[-1:])])
        competition.advance_to(last_t)
        mismatch = next(
            (
                i
                for i, payload in enumerate(stored)
                if i >= len(competition.log) or event_to_json(competition.log[i]) != payload
            ),
            None,
        )
        if mismatch is not None:
            self.damaged = f"replay differs from the stored events at seq {mismatch}"
            log.error("competition %s: %s", self.id, self.damaged)
        senders = self.store.command_senders(self.id) if rows else []
        for entry, member_id in zip(competition.commands, senders, strict=False):  # the monitor's counts
            self._count(entry.command, entry.accepted, entry.t, member_id)
        self.next_seq = len(rows)
        self.persisted = len(stored)
        self.published = len(competition.log)
        self.channels.prime(competition.log.since(0))
        if self.state == "running":
            self.state = "paused"
        self.clock.stop(at_sim=competition.now)
        self.between_rounds = self.state == "paused" and self._at_round_end()
        if persist:
            self.store.save_clock(self.id, self.state, self.clock.sim_t, None)
        log.info(
            "competition %s recovered: %d commands, %d events, paused at %.2f h%s",
            self.id,
            len(rows),
            len(competition.log),
            competition.now,
            f" — {self.damaged}" if self.damaged else "",
        )

    def _at_round_end(self) -> bool:
        round_hours = self.params.calendar.round_hours
        return self.now > 0 and abs(self.now / round_hours - round(self.now / round_hours)) < 1e-9

    # --- lifecycle -------------------------------------------------------------------------------------

    def _refuse_state(self, action: str, allowed: str) -> None:
        raise ServerError(
            "conflict", f"cannot {action} a competition that is {self.state}; it must be {allowed}"
        )

    async def start(self) -> None:
        async with self.lock:
            if self.state != "draft":
                self._refuse_state("start", "a draft")
            if not self.teams:
                raise ServerError("conflict", "register at least one team before starting")
            before = self._clock_state()
            self._build()
            self.state = "running"
            self.clock.start()
            try:
                await self._store_lifecycle(before)
            except ServerError:
                self.competition = None
                raise
            self._publish_state()
            await self._flush()

    async def pause(self) -> None:
        async with self.lock:
            if self.state != "running":
                self._refuse_state("pause", "running")
            await self._advance(self.clock.now())
            before = self._clock_state()
            self.clock.stop(at_sim=self.now)
            self.state = "paused"
            await self._store_lifecycle(before)
            self._publish_state()

    async def resume(self, next_round: bool = False) -> None:
        async with self.lock:
            action = "start the next round of" if next_round else "resume"
            if self.state != "paused":
                self._refuse_state(action, "paused")
            if self.between_rounds and not next_round:
                raise ServerError("conflict", f"round {self.round} has ended; start the next round instead")
            if next_round and not self.between_rounds:
                raise ServerError("conflict", "the round is still under way; resume it instead")
            before = self._clock_state()
            self.between_rounds = False
            self.state = "running"
            self.clock.start()
            await self._store_lifecycle(before)
            self._publish_state()

    async def end(self) -> None:
        async with self.lock:
            if self.state not in ("running", "paused"):
                self._refuse_state("end", "running or paused")
            await self._advance(self.clock.now())
            before = self._clock_state()
            self.clock.stop(at_sim=self.now)
            self.state = "finished"
            await self._store_lifecycle(before)
            self._publish_state()

    def _clock_state(self) -> tuple[str, float, float | None, bool]:
        return self.state, self.clock.sim_t, self.clock.resumed_at, self.between_rounds

    async def _store_lifecycle(self, before: tuple[str, float, float | None, bool]) -> None:
        """Store an instructor's change of state; if the database refuses, undo it and refuse it."""
        try:
            await self._save_clock()
        except Exception as exc:
            self.state, self.clock.sim_t, self.clock.resumed_at, self.between_rounds = before
            raise self._refusal(exc, "the change of state") from None

    async def _save_clock(self) -> None:
        """Store the clock; a failure leaves it marked unsaved, for the tick to store it again."""
        try:
            await asyncio.to_thread(
                self.store.save_clock, self.id, self.state, self.clock.sim_t, self.clock.resumed_at
            )
        except Exception:
            self.clock_unsaved = True
            raise
        self.clock_unsaved = False

    def _refusal(self, exc: Exception, what: str) -> ServerError:
        """The 503 to answer with when the database did not take ``what`` (outages log themselves)."""
        if isinstance(exc, ServerError):
            return exc
        log.error("competition %s: %s not stored: %s", self.id, what, exc)
        return ServerError(
            "unavailable",
            f"the database did not store {what}; nothing was changed — try again",
            headers={"Retry-After": "2"},
        )

    # --- time and commands ------------------------------------------------------------------------------

    async def tick(self) -> None:
        """Advance a running competition to the clock; stop the clock at a round's end.

        Writes the database refused before are tried again first, running or not.
        """
        if self.lock.locked() or (self.state != "running" and not self.unsaved):
            return
        async with self.lock:
            await self._retry_unsaved()
            if self.state == "running":
                await self._advance(self.clock.now())

    @property
    def unsaved(self) -> bool:
        """Whether something is still to be stored: events written behind, or what the database refused."""
        pending_events = self.competition is not None and self.persisted < len(self.competition.log)
        return (
            self.commands_unsettled
            or self.clock_unsaved
            or bool(self.board_unsaved)
            or bool(self.outcomes)
            or pending_events
        )

    async def _retry_unsaved(self) -> None:
        if not self.unsaved:
            return
        if self.clock_unsaved:
            with contextlib.suppress(Exception):  # still refused: the next tick tries again
                await self._save_clock()
        await self._store_board_unsaved()
        if self.competition is not None and self.state != "running":  # a running one flushes anyway
            await self._flush()
        if self.commands_unsettled:
            with contextlib.suppress(Exception):
                await self._settle_commands()

    async def _settle_commands(self) -> None:
        """Undo a refused command whose commit may have reached the log, before anything else is stored."""
        if self.commands_unsettled:
            removed = await asyncio.to_thread(self.store.drop_commands_from, self.id, self.next_seq)
            if removed:
                log.warning(
                    "competition %s: a refused command had reached the log after all; removed it", self.id
                )
            self.commands_unsettled = False

    def _write_behind_due(self) -> bool:
        """Whether a command should store the events itself: the tick, kept out by a stream of
        commands holding the lock, has not written them for ``WRITE_BEHIND_SECONDS``."""
        return time.monotonic() - self._written_at >= WRITE_BEHIND_SECONDS

    async def _advance(self, target: float, write: bool = True) -> None:
        """Advance to ``target`` (stopping at a round's end), publish; with ``write``, store events too."""
        competition = self.competition
        assert competition is not None
        calendar = self.params.calendar
        boundary = calendar.round_start(calendar.round_of(competition.now) + 1)
        if self.state == "running" and target >= boundary:
            competition.advance_to(boundary)
            self.clock.stop(at_sim=boundary)
            self.state = "finished" if boundary >= competition.end_t else "paused"
            self.between_rounds = self.state == "paused"
            with contextlib.suppress(Exception):  # kept unsaved: the next tick stores it
                await self._save_clock()
            self._publish_state()
        else:
            competition.advance_to(max(target, competition.now))
        await self._seal()
        await self._flush(write)

    async def _seal(self) -> None:
        """Seal a freeze whose time the clock has reached (and keep the seal across restarts)."""
        competition = self.competition
        if competition is not None and self.scores.seal(competition.now, competition.log):
            self.board_unsaved.update(
                freeze_seq=self.scores.freeze_seq, freeze_rubric=self.scores.freeze_rubric
            )
            await self._store_board_unsaved()
            self._publish_state()

    async def _store_board_unsaved(self) -> None:
        """Store board columns time has set (a seal); if refused, they stay for the next tick."""
        if not self.board_unsaved:
            return
        columns = dict(self.board_unsaved)
        try:
            await self._save_board_columns(**columns)
        except Exception as exc:
            if not isinstance(exc, ServerError):
                log.error("competition %s: board columns not stored yet: %s", self.id, exc)
            return
        for name, value in columns.items():
            if self.board_unsaved.get(name) == value:
                del self.board_unsaved[name]

    async def submit(
        self,
        command: AnyCommand,
        source: str,
        member_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome:
        """Commit the command, then apply it at the simulated time it arrived; answer once durable.

        Commands that arrive while another is being committed wait and then go together: one
        transaction, applied in the order they came (group commit, ``_run_batch``). The batches
        run in a task of their own: once a command is committed it is applied, even if its caller
        goes away (a dropped request, a cancelled bot), so memory and log never part. With an
        ``idempotency_key`` a command this member already sent with that key is not applied
        again: its first outcome is returned (see server.live.idempotency).
        """
        document = command_to_json(command)
        refuse_unstorable(document)  # never commit a text no answer could show (server.text_rules)
        pending = Pending(command, source, member_id, idempotency_key, json.dumps(document))
        self._waiting.append(pending)
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await asyncio.shield(pending.answer)

    async def _drain(self) -> None:
        """Run batches while commands wait (one task at a time); each caller waits only for its own
        answer, which comes as soon as its batch is applied. Between batches others may take the lock."""
        while self._waiting:
            async with self.lock:
                if self._waiting:
                    await self._run_batch()

    async def _run_batch(self) -> None:
        """Commit every waiting command in one transaction, then apply them in order (under the lock).

        All of a batch get the same simulated time (as if they had arrived at once). If the
        database refuses the transaction, every command of it is refused (HTTP 503) and none is
        applied. A command whose Idempotency-Key repeats one in the same batch waits for the next.
        """
        batch: list[Pending] = []
        keys: set[tuple[int | None, str]] = set()
        carried: list[Pending] = []
        for pending in self._waiting[:MAX_BATCH]:
            key = (pending.member_id, pending.idempotency_key or "")
            if pending.idempotency_key is not None and key in keys:
                carried.append(pending)
            else:
                keys.add(key)
                batch.append(pending)
        self._waiting = carried + self._waiting[MAX_BATCH:]
        try:
            await self._commit_and_apply(batch)
        except BaseException as exc:
            for pending in batch:
                if not pending.answer.done():
                    pending.answer.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
        finally:
            for pending in batch:  # nobody may be left to read it (a caller that went away)
                if pending.answer.done() and not pending.answer.cancelled():
                    pending.answer.exception()

    async def _commit_and_apply(self, batch: list[Pending]) -> None:
        keyed_batch = any(p.idempotency_key is not None for p in batch)
        if keyed_batch and not self.replies.loaded and self.competition is not None:
            await asyncio.to_thread(self.replies.load, self.competition.commands)
        todo: list[Pending] = []
        for pending in batch:
            earlier = (
                self.replies.earlier(pending.member_id, pending.idempotency_key, pending.payload)
                if pending.idempotency_key is not None
                else None
            )
            if earlier is not None:
                pending.answer.set_result(earlier)
            else:
                todo.append(pending)
        if not todo:
            return
        if self.state not in ("running", "paused"):
            raise ServerError(
                "conflict", f"the competition is {self.state}; commands are taken while it runs"
            )
        competition = self.competition
        assert competition is not None
        if self.state == "running":  # events are written behind by the tick (or here if it is kept out)
            await self._advance(self.clock.now(), write=self._write_behind_due())
        if self.state not in ("running", "paused"):
            raise ServerError(
                "conflict", f"the competition is {self.state}; commands are taken while it runs"
            )
        t = competition.now
        created = wall_now()
        rows = [
            CommandRow(
                competition_id=self.id,
                seq=self.next_seq + i,
                t=t,
                source=p.source,
                member_id=p.member_id,
                payload=p.payload,
                created_at=created,
                idempotency_key=p.idempotency_key,
            )
            for i, p in enumerate(todo)
        ]
        try:
            await self._settle_commands()
            await asyncio.to_thread(self.store.add_commands, rows)
        except Exception as exc:  # refused and not applied; its commit may still have gone through
            self.commands_unsettled = True
            raise self._refusal(exc, "the command") from None
        self.write_retry_at = 0.0  # the database takes writes again: the next tick need not wait
        self.next_seq += len(rows)
        keyed: list[tuple[int, Outcome]] = []
        for pending, row in zip(todo, rows, strict=True):
            outcome = competition.submit(pending.command, t, pending.source)
            self.outcomes.append((row.seq, outcome.accepted, outcome.reason))
            self._count(pending.command, outcome.accepted, t, pending.member_id)
            if pending.idempotency_key is not None:
                self.replies.remember(
                    pending.member_id, pending.idempotency_key, pending.payload, row.seq, outcome
                )
                keyed.append((row.seq, outcome))
            pending.answer.set_result(outcome)
        await self._flush(write=False)  # the next tick stores the events
        for seq, outcome in keyed:
            try:
                await asyncio.to_thread(self.store.save_reply, self.id, seq, reply_to_json(outcome))
            except Exception as exc:  # a retry after a restart then gets the reply rebuilt from the log
                log.error("competition %s: reply of command %s not stored: %s", self.id, seq, exc)

    async def rescore(self, weights: Weights, normalisation: Normalisation) -> None:
        """New weights or normalisation: every standing recomputed from the event log, logged."""
        async with self.lock:
            config = dataclasses.replace(self.scoring, weights=weights, normalisation=normalisation)
            text = scoring_to_json(config)
            await asyncio.to_thread(self.store.save_scoring, self.id, text, wall_now())
            self.scoring = config
            competition = self.competition
            self.scores.rebuild(competition.log if competition else [], config)
            if competition is not None:
                self._publish_standings(at_once=True)

    # --- the board: freeze, reveal, medals, rubric -------------------------------------------------------

    async def _save_board_columns(self, **columns: Any) -> None:
        await asyncio.to_thread(self.store.save_board, self.id, None, **columns)

    async def _save_board(self, action: str, detail: dict[str, Any], by: str, **columns: Any) -> None:
        change = BoardChangeRow(
            competition_id=self.id, action=action, detail=json.dumps(detail), by=by, at=wall_now()
        )
        await asyncio.to_thread(self.store.save_board, self.id, change, **columns)
        for name in columns:  # the instructor's values replace what time had set
            self.board_unsaved.pop(name, None)

    async def freeze(self, at: float | None, by: str) -> None:
        """Freeze the public and team boards at simulated time ``at`` (None: now)."""
        async with self.lock:
            if self.state == "running":
                await self._advance(self.clock.now())
            now = self.now
            current = self.scores.freeze_t
            if current is not None and current <= now:
                raise ServerError(
                    "conflict", f"the board is frozen since t={current:g} h; unfreeze or reveal it first"
                )
            target = now if at is None else at
            if target < now:
                raise ServerError(
                    "conflict",
                    f"t={target:g} h has passed (it is t={now:g} h now); freeze now or give a later time",
                )
            end_t = self.params.calendar.round_start(self.rounds + 1)
            if target > end_t:
                raise ServerError(
                    "invalid",
                    f"t={target:g} h is after the last round ends (t={end_t:g} h); give an earlier time",
                )
            await self._save_board(
                "freeze", {"freeze_t": target}, by, freeze_t=target, freeze_seq=None, freeze_rubric=None
            )
            self.scores.set_freeze(target, list(self.competition.log) if self.competition else [])
            await self._seal()
            self._publish_state()
            self._publish_standings(at_once=True)

    async def unfreeze(self, by: str, ceremony: bool = False) -> dict[str, Any] | None:
        """Lift the freeze; with ``ceremony``, first compute and send the reveal sequence."""
        async with self.lock:
            if self.scores.freeze_t is None:
                raise ServerError("conflict", "the board is not frozen; freeze it first")
            if self.state == "running":
                await self._advance(self.clock.now())
            freeze_t = self.scores.freeze_t
            reveal = self.scores.reveal(self.now) if ceremony and self.competition else None
            if reveal is not None:
                await self._save_board(
                    "reveal", {"freeze_t": freeze_t}, by, reveal=json.dumps(reveal), **UNFROZEN
                )
                self.last_reveal = reveal
            else:
                await self._save_board("unfreeze", {"freeze_t": freeze_t}, by, **UNFROZEN)
            self.scores.set_freeze(None, [])
            if reveal is not None:
                self._publish_everywhere("reveal", reveal)
            self._publish_state()
            self._publish_standings(at_once=True)
            return reveal

    async def set_medals(self, medals: MedalCounts, by: str) -> None:
        async with self.lock:
            detail = dataclasses.asdict(medals)
            await self._save_board("medals", detail, by, medals=json.dumps(detail))
            self.scores.medals = medals

    async def rubric_changed(self, change: Any) -> Any:
        """Apply a change to the rubric (a function of the book, run in a thread), then push standings."""
        async with self.lock:
            result = await asyncio.to_thread(change, self.rubric)
            if self.competition is not None:
                self._publish_standings(at_once=True)
            return result

    def _count(self, command: AnyCommand, accepted: bool, t: float, member_id: int | None) -> None:
        """Count a team's command for the instructor's monitor, and the member's who sent it."""
        activity = self.activity.get(getattr(command, "team", None) or "")
        if activity is not None:
            activity.count(accepted, t)
            if member_id is not None:
                activity.by_member.setdefault(member_id, Tally()).count(accepted, t)

    # --- publishing and writing behind -----------------------------------------------------------------

    async def _flush(self, write: bool = True) -> None:
        """Publish new events (and the board); with ``write``, store what is not stored yet.

        A command publishes only: its answer need not wait for a second commit (the command
        itself is committed, and a replay rebuilds its events), so the next tick writes them,
        together with whatever else came meanwhile.
        """
        competition = self.competition
        assert competition is not None
        new = competition.log.since(self.published)
        if new:
            self.published = len(competition.log)
            self._publish_events(new)
            self._publish_standings(at_once=self.state != "running")  # a stopped clock: the exact board
        if not write:
            return
        if self.events_uncertain and time.monotonic() < self.write_retry_at:
            return  # the last write-behind failed just now: the database gets a moment's rest
        unsaved = competition.log.since(self.persisted)
        outcomes, self.outcomes = self.outcomes, []
        if unsaved or outcomes:
            try:
                await self._settle_commands()
                await asyncio.to_thread(
                    self.store.write_behind, self.id, unsaved, outcomes, self.events_uncertain
                )
            except Exception as exc:  # the command log is safe; the events are written again later
                if not isinstance(exc, ServerError) and not self.events_uncertain:
                    log.error("competition %s: events not stored yet: %s", self.id, exc)
                self.events_uncertain = True
                self.write_retry_at = time.monotonic() + WRITE_RETRY_SECONDS
                self.outcomes = outcomes + self.outcomes
                return
            self.persisted += len(unsaved)
            self.events_uncertain = False
        self._written_at = time.monotonic()

    def _publish_events(self, events: list[Event]) -> None:
        self.channels.events(events, self._team_names(), self.scores.hides)

    def _team_names(self) -> list[str]:
        return [team.name for team in self.teams]

    def _publish_standings(self, at_once: bool = False) -> None:
        """Send the boards now, or — if boards went out less than BOARD_INTERVAL ago — once it is over.

        The boards sent then are computed then, so a burst of changes becomes one board with all
        of them; the first change after a quiet spell goes out at once. The instructor's board
        actions (freeze, unfreeze, reveal, new weights) send ``at_once``: the answer to the action
        comes after its board, and nothing from before it is left to go out later.
        """
        if at_once and self._board_due is not None:
            self._board_due.cancel()
            self._board_due = None
        if self._board_due is not None:
            return  # a board is due already; it will carry this change too
        wait = 0.0 if at_once else self._board_sent_at + BOARD_INTERVAL - time.monotonic()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not in the event loop (a replay in a thread): nobody to wait for
            wait = 0.0
        if wait <= 0:
            self._send_standings()
        else:
            self._board_due = loop.call_later(wait, self._send_standings)

    def _send_standings(self) -> None:
        self._board_due = None
        self._board_sent_at = time.monotonic()
        rows = self.standings()
        public = self.standings(public=True) if self.scores.freeze_t is not None else rows
        self.channels.standings(self.now, rows, public, self._team_names())

    def _publish_state(self) -> None:
        """The status on every channel; a board still due goes out first (a pause shows its board)."""
        if self._board_due is not None:
            self._publish_standings(at_once=True)
        self._publish_everywhere("state", self.status())

    def _publish_everywhere(self, kind: str, data: Any) -> None:
        self.channels.everywhere(kind, self.now, data, self._team_names())
