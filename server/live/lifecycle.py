"""A live competition's lifecycle: draft → running ⇄ paused → finished, and the tick.

The instructor starts, pauses, resumes (or starts the next round) and ends; the clock stops
by itself at each round's end (server.live.core). Each change of state is stored before it
is published: if the database refuses it, it is undone and refused (HTTP 503). The tick
advances a running competition to its clock and first tries again what the database
refused before.
"""

from __future__ import annotations

import contextlib
from typing import NoReturn

from server.errors import ServerError
from server.live.core import LiveCore
from server.live.refusals import database_refusal
from server.live.stage import NotStarted, Started

ClockState = tuple[str, float, float | None, bool]


class Lifecycle:
    """The instructor's changes of state, and the tick, of one live competition."""

    def __init__(self, live: LiveCore) -> None:
        self.live = live

    def _refuse_state(self, action: str, allowed: str) -> NoReturn:
        raise ServerError(
            "conflict", f"cannot {action} a competition that is {self.live.state}; it must be {allowed}"
        )

    async def start(self) -> None:
        live = self.live
        async with live.lock:
            if live.state != "draft":
                self._refuse_state("start", "a draft")
            if not live.teams:
                raise ServerError("conflict", "register at least one team before starting")
            before = self._clock_state()
            live.build()
            live.state = "running"
            live.clock.start()
            try:
                await self._store(before)
            except ServerError:
                live.stage = NotStarted()
                raise
            live.publish_state()
            await live.flush()

    async def pause(self) -> None:
        live = self.live
        async with live.lock:
            if live.state != "running":
                self._refuse_state("pause", "running")
            await live.advance(live.clock.now())
            before = self._clock_state()
            live.clock.stop(at_sim=live.now)
            live.state = "paused"
            await self._store(before)
            live.publish_state()

    async def resume(self, next_round: bool = False) -> None:
        live = self.live
        async with live.lock:
            action = "start the next round of" if next_round else "resume"
            if live.state != "paused":
                self._refuse_state(action, "paused")
            if live.between_rounds and not next_round:
                raise ServerError("conflict", f"round {live.round} has ended; start the next round instead")
            if next_round and not live.between_rounds:
                raise ServerError("conflict", "the round is still under way; resume it instead")
            before = self._clock_state()
            live.between_rounds = False
            live.state = "running"
            live.clock.start()
            await self._store(before)
            live.publish_state()

    async def end(self) -> None:
        live = self.live
        async with live.lock:
            if live.state not in ("running", "paused"):
                self._refuse_state("end", "running or paused")
            await live.advance(live.clock.now())
            before = self._clock_state()
            live.clock.stop(at_sim=live.now)
            live.state = "finished"
            live.between_rounds = False  # finished, not between rounds: as a restart recovers it
            await self._store(before)
            live.publish_state()

    def _clock_state(self) -> ClockState:
        live = self.live
        return live.state, live.clock.sim_t, live.clock.resumed_at, live.between_rounds

    async def _store(self, before: ClockState) -> None:
        """Store an instructor's change of state; if the database refuses, undo it and refuse it."""
        live = self.live
        try:
            await live.save_clock()
        except Exception as exc:
            live.state, live.clock.sim_t, live.clock.resumed_at, live.between_rounds = before
            raise database_refusal(live.id, exc, "the change of state") from None

    async def tick(self) -> None:
        """Advance a running competition to the clock; stop the clock at a round's end.

        Writes the database refused before are tried again first, running or not.
        """
        live = self.live
        if live.lock.locked() or (live.state != "running" and not live.unsaved):
            return
        async with live.lock:
            await self._retry_unsaved()
            if live.state == "running":
                await live.advance(live.clock.now())

    async def _retry_unsaved(self) -> None:
        live = self.live
        if not live.unsaved:
            return
        if live.clock_unsaved:
            with contextlib.suppress(Exception):  # still refused: the next tick tries again
                await live.save_clock()
        await live.store_board_unsaved()
        if isinstance(live.stage, Started) and live.state != "running":  # a running one flushes anyway
            await live.flush()
        if live.writer.commands_unsettled:
            with contextlib.suppress(Exception):
                await live.writer.settle(live.next_seq)
