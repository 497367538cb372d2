"""Fencing: a competition's state is written only by the worker holding its newest owner epoch.

With several workers (``BROADCAST_URL``) a competition is owned through a lease in Redis
(``server.workers.ownership``). A lease alone cannot stop a worker frozen for longer than it
(SIGSTOP, a paused VM, heavy swapping): another worker takes the competition over and
recovers it from the database, and the frozen one, once it runs again, may commit a command
batch or a write-behind in the milliseconds before it notices that its lease is gone. Its
rows would then sit in the log after the new owner's recovery read it, and the new owner's
next batch would collide on (competition_id, seq).

So each worker taking a competition raises ``competitions.owner_epoch`` in a transaction of
its own (``take_owner_epoch``) before it reads the log, and keeps the value; every write of
the competition's logs — a command batch, a write-behind of events and outcomes, a keyed
command's reply, the removal of a refused command — of the clock and board columns the live
competition keeps in its row, and of the rest it keeps in memory (parameters, scoring, rubric,
teams, join codes, members; the list with the reasons is ``server.persistence.store.write_paths``)
begins (``check_owner``) with
``UPDATE competitions SET owner_epoch = owner_epoch WHERE id = :id AND owner_epoch = :epoch``
in the same transaction, and raises ``StaleOwner`` — nothing of the transaction is written —
when no row matched.

The order comes from the row lock that both updates take. On PostgreSQL, if the stale
writer's check locks the row first, the new owner's raise waits for the stale transaction to
end, so a stale commit lands before the takeover's recovery reads the log, and is recovered
like any other. If the raise locks it first, the stale check waits, then (READ COMMITTED
evaluates the condition again on the row the raise committed) matches no row and is refused.
On SQLite both updates take the one database write lock, with the same outcome. Either way
no stale row lands after the recovery read. A writer frozen while it holds the lock would hold
the takeover until it woke; PostgreSQL ends such a session once it has been idle in its
transaction for ``IDLE_IN_TRANSACTION_MS`` (``server.persistence.db.engine``), which rolls it
back and lets the takeover go on. One process without ``BROADCAST_URL`` passes no
epoch: no check, no extra statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, update

from server.persistence.db.tables import CompetitionRow
from server.persistence.store.base import StoreBase


class StaleOwner(Exception):
    """Another worker has taken the competition over: this one must not write its logs again."""

    def __init__(self, competition_id: int, epoch: int) -> None:
        super().__init__(f"competition {competition_id}: owner epoch {epoch} is no longer current")
        self.competition_id = competition_id
        self.epoch = epoch


def _table() -> Any:
    return CompetitionRow.__table__  # type: ignore[attr-defined]


def _check() -> Any:
    table = _table()
    return (
        update(table)
        .where(table.c.id == bindparam("competition_id"), table.c.owner_epoch == bindparam("epoch"))
        .values(owner_epoch=table.c.owner_epoch)
    )


CHECK = _check()
"""The check, built once: a statement built anew for each batch cost some 80 µs of Python before
it ran (its cache key computed again each time; bench/fencing_cost.py, docs/performance.md)."""


def check_owner(connection: Connection, competition_id: int, epoch: int | None) -> None:
    """Lock the competition's row if ``epoch`` is still its owner's, else raise ``StaleOwner``.

    Run first inside the writing transaction; ``None`` (one process) checks nothing.
    """
    if epoch is None:
        return
    matched = connection.execute(CHECK, {"competition_id": competition_id, "epoch": epoch})
    if matched.rowcount != 1:
        raise StaleOwner(competition_id, epoch)


class FencingStore(StoreBase):
    """Taking a competition's ownership in the database."""

    def take_owner_epoch(self, competition_id: int) -> int | None:
        """Raise the competition's owner epoch in a transaction of its own; answer the new one
        (None: there is no such competition)."""
        table = _table()
        with self.engine.begin() as connection:
            connection.execute(
                update(table).where(table.c.id == competition_id).values(owner_epoch=table.c.owner_epoch + 1)
            )
            epoch = connection.execute(
                table.select().with_only_columns(table.c.owner_epoch).where(table.c.id == competition_id)
            ).scalar_one_or_none()
        return None if epoch is None else int(epoch)
