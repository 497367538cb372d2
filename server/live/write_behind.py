"""Writing behind: a live competition's events and command outcomes stored after they are published.

A command's answer need not wait for a second commit (the command itself is committed, and a
replay rebuilds its events), so the next tick writes the events of many commands in one
transaction. When the database refuses, nothing is lost: the events stay in memory and the
next tick that gets through stores them (replacing any a cut-off commit may have stored). A
refused command whose commit may have gone through is removed from the log before anything
else is stored, so the log holds exactly what was acknowledged.

With several workers every write carries this worker's owner ``epoch`` (fencing,
server.persistence.store.fencing). A write refused because another worker has taken the
competition over stops the process at once (``halt``, exit code 3), as a lost lease does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from server.errors import ServerError
from server.persistence.store.fencing import StaleOwner
from server.persistence.store.logs import LogStore
from simulator.event_log import EventLog

log = logging.getLogger("salesfloor.live")

WRITE_RETRY_SECONDS = 0.5
"""After a failed write-behind, the next try waits this long (a command that gets through resets it)."""

WRITE_BEHIND_SECONDS = 0.5
"""A command stores the events written behind only if they have waited this long (the tick, which
skips a competition whose lock is taken, may be kept out by a stream of commands); otherwise it
only commits itself, and the tick writes the events of many commands in one transaction."""


class WriteBehind:
    """What of one competition's log is stored, what is still to store, and storing it."""

    def __init__(self, competition_id: int, store: LogStore) -> None:
        self.competition_id = competition_id
        self.store = store
        self.persisted = 0  # events stored
        self.outcomes: list[tuple[int, bool, str]] = []  # applied commands' outcomes not stored yet
        self.commands_unsettled = False  # a refused command's commit may have gone through
        self.events_uncertain = False  # a failed write-behind's commit may have gone through
        self.retry_at = 0.0  # monotonic time before which a failed write-behind waits
        self.written_at = 0.0  # when events were last written behind (monotonic seconds)
        self.epoch: int | None = None  # with several workers: this worker's owner epoch (see ``own``)
        self.halt: Callable[[], None] = lambda: None
        self.stale = False  # a write was refused: another worker owns the competition
        self.handed_over = False  # closed here for another worker to run (server.live.runtime)

    def own(self, epoch: int, halt: Callable[[], None]) -> None:
        """Write with this owner epoch from now on; ``halt`` stops the process when it is stale."""
        self.epoch, self.halt = epoch, halt

    def refused(self, exc: BaseException) -> None:
        """Stop the process if ``exc`` says another worker has taken the competition over."""
        if not isinstance(exc, StaleOwner) or self.handed_over:
            return  # a request that reached a competition handed over: refused, nothing to stop
        if not self.stale:
            self.stale = True
            log.critical(
                "competition %s: another worker has taken it over (owner epoch %s is stale); "
                "stopping so that only one worker writes its log",
                self.competition_id,
                exc.epoch,
            )
        self.halt()

    def pending(self, events: int) -> bool:
        """Whether something is still to store, the log holding ``events`` events."""
        return self.commands_unsettled or bool(self.outcomes) or self.persisted < events

    def due(self) -> bool:
        """Whether a command should store the events itself: the tick, kept out by a stream of
        commands holding the lock, has not written them for ``WRITE_BEHIND_SECONDS``."""
        return time.monotonic() - self.written_at >= WRITE_BEHIND_SECONDS

    async def settle(self, next_seq: int) -> None:
        """Undo a refused command whose commit may have reached the log, before anything else is stored."""
        if self.commands_unsettled:
            removed = await asyncio.to_thread(
                self.store.drop_commands_from, self.competition_id, next_seq, self.epoch
            )
            if removed:
                log.warning(
                    "competition %s: a refused command had reached the log after all; removed it",
                    self.competition_id,
                )
            self.commands_unsettled = False

    async def write(self, event_log: EventLog, next_seq: int) -> None:
        """Store the events not stored yet and the outcomes decided since, in one transaction."""
        if self.events_uncertain and time.monotonic() < self.retry_at:
            return  # the last write-behind failed just now: the database gets a moment's rest
        unsaved = event_log.since(self.persisted)
        outcomes, self.outcomes = self.outcomes, []
        if unsaved or outcomes:
            try:
                await self.settle(next_seq)
                await asyncio.to_thread(
                    self.store.write_behind,
                    self.competition_id,
                    unsaved,
                    outcomes,
                    self.events_uncertain,
                    self.epoch,
                )
            except Exception as exc:  # the command log is safe; the events are written again later
                self.refused(exc)
                if not isinstance(exc, ServerError | StaleOwner) and not self.events_uncertain:
                    log.error("competition %s: events not stored yet: %s", self.competition_id, exc)
                self.events_uncertain = True
                self.retry_at = time.monotonic() + WRITE_RETRY_SECONDS
                self.outcomes = outcomes + self.outcomes
                return
            self.persisted += len(unsaved)
            self.events_uncertain = False
        self.written_at = time.monotonic()
