"""The command path: a command committed to the log, then applied and answered (group commit).

A command gets its simulated time from the clock, is committed to the command log, then
applied and answered. Commands that arrive while another is being committed wait and go
together: one transaction, one simulated time, applied in log order, each answered once
durable. If the database refuses the transaction, every command of it is refused (HTTP 503)
and none is applied. New events are published at once and written behind by the next tick
(server.live.write_behind). With several workers a batch refused because another worker has
taken the competition over (its owner epoch is stale) also stops this process.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field

from server.errors import ServerError
from server.input.text_rules import refuse_unstorable
from server.live.core import LiveCore
from server.live.idempotency import reply_to_json
from server.live.refusals import database_refusal
from server.live.stage import Started
from server.persistence.db.tables import CommandRow
from server.wall_clock import wall_now
from simulator.command_log import command_to_json
from simulator.competition import AnyCommand, Outcome

log = logging.getLogger("salesfloor.live")

MAX_BATCH = 500
"""Commands committed in one transaction at most (group commit)."""

MOVING = "the competition is moving to another worker; try again in a moment"
"""Why a command is refused that reached a competition handed over (server.live.runtime)."""

BOTS_WAIT = "the clock is stopped; house bots act while it runs"
"""Why a house bot's command is refused while the competition is paused (it is sent again once the
clock runs: server.live.sim_pacing); people's commands are taken while paused."""


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


class CommandPath:
    """One live competition's commands: waiting, committed in batches, applied in log order."""

    def __init__(self, live: LiveCore) -> None:
        self.live = live
        self._waiting: list[Pending] = []  # commands waiting for the next batch, in arrival order
        self._drainer: asyncio.Task[None] | None = None  # the task running batches while commands wait

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
        refuse_unstorable(document)  # never commit a text no answer could show (server.input.text_rules)
        pending = Pending(command, source, member_id, idempotency_key, json.dumps(document))
        self._waiting.append(pending)
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await asyncio.shield(pending.answer)

    async def _drain(self) -> None:
        """Run batches while commands wait (one task at a time); each caller waits only for its own
        answer, which comes as soon as its batch is applied. Between batches others may take the lock."""
        while self._waiting:
            async with self.live.lock:
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

    def _refuse_unless_open(self) -> None:
        if self.live.writer.handed_over:
            raise ServerError("unavailable", MOVING, headers={"Retry-After": "2"})
        state = self.live.state
        if state not in ("running", "paused"):
            raise ServerError("conflict", f"the competition is {state}; commands are taken while it runs")

    async def _answer_repeats(self, batch: list[Pending]) -> list[Pending]:
        """Answer the commands whose Idempotency-Key was used before; the others, to apply."""
        live = self.live
        keyed_batch = any(p.idempotency_key is not None for p in batch)
        stage = live.stage
        if keyed_batch and not live.replies.loaded and isinstance(stage, Started):
            await asyncio.to_thread(live.replies.load, stage.competition.commands)
        todo: list[Pending] = []
        for pending in batch:
            earlier = (
                live.replies.earlier(pending.member_id, pending.idempotency_key, pending.payload)
                if pending.idempotency_key is not None
                else None
            )
            if earlier is not None:
                pending.answer.set_result(earlier)
            else:
                todo.append(pending)
        return todo

    async def _commit_and_apply(self, batch: list[Pending]) -> None:
        live = self.live
        todo = await self._answer_repeats(batch)
        if not todo:
            return
        self._refuse_unless_open()
        competition = live.stage.simulation()
        writer = live.writer
        if live.state == "running":  # events are written behind by the tick (or here if it is kept out)
            await live.advance(live.clock.now(), write=writer.due())
        self._refuse_unless_open()
        if live.state != "running" and any(p.source == "bot" for p in todo):
            todo = _hold_bots(todo)  # paused between a bot's look at the clock and its batch
            if not todo:
                return
        t = competition.now
        created = wall_now()
        rows = [
            CommandRow(
                competition_id=live.id,
                seq=live.next_seq + i,
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
            await writer.settle(live.next_seq)
            await asyncio.to_thread(live.store.add_commands, rows, writer.epoch)
        except Exception as exc:  # refused and not applied; its commit may still have gone through
            writer.commands_unsettled = True
            writer.refused(exc)  # another worker owns it now: this process stops
            raise database_refusal(live.id, exc, "the command") from None
        writer.retry_at = 0.0  # the database takes writes again: the next tick need not wait
        live.next_seq += len(rows)
        keyed: list[tuple[int, Outcome]] = []
        for pending, row in zip(todo, rows, strict=True):
            outcome = competition.submit(pending.command, t, pending.source)
            writer.outcomes.append((row.seq, outcome.accepted, outcome.reason))
            live.count(pending.command, outcome.accepted, t, pending.member_id)
            if pending.idempotency_key is not None:
                live.replies.remember(
                    pending.member_id, pending.idempotency_key, pending.payload, row.seq, outcome
                )
                keyed.append((row.seq, outcome))
            pending.answer.set_result(outcome)
        await live.flush(write=False)  # the next tick stores the events
        for seq, outcome in keyed:
            try:
                await asyncio.to_thread(
                    live.store.save_reply, live.id, seq, reply_to_json(outcome), writer.epoch
                )
            except Exception as exc:  # a retry after a restart then gets the reply rebuilt from the log
                writer.refused(exc)
                log.error("competition %s: reply of command %s not stored: %s", live.id, seq, exc)


def _hold_bots(todo: list[Pending]) -> list[Pending]:
    """Refuse the house bots' commands of a batch that meets a stopped clock; the others go on."""
    for pending in todo:
        if pending.source == "bot":
            pending.answer.set_exception(ServerError("conflict", BOTS_WAIT))
    return [p for p in todo if p.source != "bot"]
