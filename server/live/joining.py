"""Joins in batches (group commit): a lecture hall joining in the same minute is one writer, not hundreds.

A join waits while the batch before it is being committed; then every join waiting goes
in one transaction (``TeamStore.join_many``) on one worker thread, and each is answered
once that transaction has committed — never before its own row is durable. A join refused
for its own reason (no team has the code, the competition has finished, another name holds
the role) is refused alone, in its own ``Joining``; the others of the batch go in. If the
database refuses the transaction, every join of that batch gets the error and none is stored.

One writer for the process: on SQLite the joins no longer contend for the write lock (each
transaction was a wait for it), and on both databases a batch costs one connection, one
round of queries and one commit instead of one per join. The batches run in a task of their
own, so a join whose caller went away is still committed or refused as a whole batch.

With several workers each competition of a batch is fenced by this worker's owner epoch of it
(``epoch_of``; server.persistence.store.fencing): the joins of a competition another worker
has taken over are refused (``StaleOwner`` in their ``Joining``), and the others go in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from server.errors import ServerError
from server.persistence.db.tables import TeamRow
from server.persistence.store.teams import Joining, JoinRequest, TeamStore

MAX_BATCH = 500
"""Joins committed in one transaction at most."""


@dataclass(slots=True)
class _Waiting:
    request: JoinRequest
    answer: asyncio.Future[Joining] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class JoinBatches:
    """The joins of one process, committed in batches (see the module docstring)."""

    def __init__(
        self,
        store: TeamStore,
        state_of: Callable[[int], str],
        epoch_of: Callable[[int], int | None] = lambda _competition_id: None,
    ) -> None:
        self.store, self.state_of, self.epoch_of = store, state_of, epoch_of
        self._waiting: list[_Waiting] = []
        self._drainer: asyncio.Task[None] | None = None
        self.batches = 0  # transactions committed or refused, for tests and benchmarks to read

    @property
    def waiting(self) -> int:
        """Joins waiting for the next batch."""
        return len(self._waiting)

    async def join(self, request: JoinRequest) -> Joining:
        """What the join came to, once its batch has committed (the database's error if it did not)."""
        waiting = _Waiting(request)
        self._waiting.append(waiting)
        drainer = self._drainer
        if drainer is None or drainer.done() or drainer.get_loop() is not asyncio.get_running_loop():
            self._drainer = asyncio.create_task(self._drain())
        return await asyncio.shield(waiting.answer)

    def _admit(self, team: TeamRow) -> None:
        """A finished competition takes no one (``state_of`` a competition: its live state)."""
        if self.state_of(team.competition_id) == "finished":
            raise ServerError("conflict", "this competition has finished; teams can no longer join")

    async def _drain(self) -> None:
        """Commit batches while joins wait: each batch is every join that arrived meanwhile."""
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            self.batches += 1
            try:
                requests = [w.request for w in batch]
                joinings = await asyncio.to_thread(self.store.join_many, requests, self._admit, self.epoch_of)
            except Exception as exc:  # the database refused the transaction: none of the batch is stored
                for waiting in batch:
                    if not waiting.answer.done():
                        waiting.answer.set_exception(exc)
                continue
            except BaseException:  # the server is stopping
                for waiting in batch:
                    waiting.answer.cancel()
                raise
            for waiting, joining in zip(batch, joinings, strict=True):
                if not waiting.answer.done():
                    waiting.answer.set_result(joining)
