"""The command and event logs: what recovery replays, the group commit and the write-behind.

Every write of a live competition's logs takes the owner ``epoch`` of the worker writing (None
with one process) and checks it first in its transaction (``server.persistence.store.fencing``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from sqlalchemy import bindparam, func
from sqlalchemy import select as core_select
from sqlmodel import col, select

from market.events import Event, event_to_json
from server.persistence.db.tables import CommandRow, EventRow
from server.persistence.store.base import StoreBase
from server.persistence.store.fencing import check_owner


def event_rows(competition_id: int, events: Iterable[Event]) -> Iterator[EventRow]:
    """The rows of ``events`` in the event log of a competition."""
    for e in events:
        yield EventRow(
            competition_id=competition_id,
            seq=e.seq,
            t=e.t,
            kind=e.kind,
            team=getattr(e, "team", None),
            payload=event_to_json(e),
        )


class LoggedRow(NamedTuple):
    t: float
    source: str
    payload: str


class KeyedCommand(NamedTuple):
    """A command sent with an Idempotency-Key: what it was and the reply it got (None: not saved)."""

    member_id: int | None
    key: str
    seq: int
    payload: str
    reply: str | None


class LogStore(StoreBase):
    """A competition's command log (with outcomes and keyed replies) and its event log."""

    def add_commands(self, rows: Sequence[CommandRow], epoch: int | None = None) -> None:
        """Commit commands in one transaction (a batch of those that arrived together), all or none."""
        with self.session() as s:
            if rows:
                check_owner(s.connection(), rows[0].competition_id, epoch)
            s.add_all(rows)
            s.commit()

    def commands(self, competition_id: int) -> list[CommandRow]:
        with self.session() as s:
            query = (
                select(CommandRow)
                .where(CommandRow.competition_id == competition_id)
                .order_by(col(CommandRow.seq))
            )
            return list(s.exec(query))

    def command_log(self, competition_id: int) -> list[LoggedRow]:
        """The command log as plain rows (t, source, payload), in order: what recovery replays."""
        with self.engine.connect() as connection:
            table = CommandRow.__table__  # type: ignore[attr-defined]
            query = (
                select(table.c.t, table.c.source, table.c.payload)
                .where(table.c.competition_id == competition_id)
                .order_by(table.c.seq)
            )
            return [LoggedRow(t, source, payload) for t, source, payload in connection.execute(query)]

    def command_senders(self, competition_id: int) -> list[int | None]:
        """Who sent each command (a member's id, None for a bot or the instructor), in log order."""
        with self.engine.connect() as connection:
            table = CommandRow.__table__  # type: ignore[attr-defined]
            query = (
                select(table.c.member_id)
                .where(table.c.competition_id == competition_id)
                .order_by(table.c.seq)
            )
            return [member_id for (member_id,) in connection.execute(query)]

    def keyed_commands(self, competition_id: int) -> list[KeyedCommand]:
        """The competition's commands that came with an Idempotency-Key, in order."""
        with self.engine.connect() as connection:
            table = CommandRow.__table__  # type: ignore[attr-defined]
            c = table.c
            query = (
                core_select(c.member_id, c.idempotency_key, c.seq, c.payload, c.reply)
                .where(table.c.competition_id == competition_id, table.c.idempotency_key.is_not(None))
                .order_by(table.c.seq)
            )
            return [KeyedCommand(*row) for row in connection.execute(query)]

    def save_reply(self, competition_id: int, seq: int, reply: str, epoch: int | None = None) -> None:
        """Keep the reply a keyed command got, so that a retry after a restart gets it again."""
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            row = s.exec(
                select(CommandRow).where(CommandRow.competition_id == competition_id, CommandRow.seq == seq)
            ).one()
            row.reply = reply
            s.add(row)
            s.commit()

    def commands_by_member(self, competition_id: int) -> dict[int, int]:
        """How many commands each member has sent in the competition."""
        return self._per_member(CommandRow, CommandRow.competition_id == competition_id)

    def command_count(self, competition_id: int) -> int:
        with self.session() as s:
            query = (
                select(func.count())
                .select_from(CommandRow)
                .where(CommandRow.competition_id == competition_id)
            )
            return int(s.exec(query).one())

    def drop_commands_from(self, competition_id: int, seq: int, epoch: int | None = None) -> int:
        """Remove commands from ``seq`` on: a refused command whose commit may have gone through.

        A commit cut off by a lost connection can be stored although the server saw an error
        and refused the command; removing it keeps the log equal to what was acknowledged.
        """
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            table = CommandRow.__table__  # type: ignore[attr-defined]
            removed = s.connection().execute(
                table.delete().where(table.c.competition_id == competition_id, table.c.seq >= seq)
            )
            s.commit()
            return int(removed.rowcount)

    def write_behind(
        self,
        competition_id: int,
        events: Sequence[Event],
        outcomes: Iterable[tuple[int, bool, str]],
        replace: bool = False,
        epoch: int | None = None,
    ) -> None:
        """Store new events and the outcomes of applied commands in one transaction.

        ``replace`` first removes stored events from the first new one on: after a failed
        write whose commit may have gone through, the same events are written again.
        """
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            if replace and events:
                table = EventRow.__table__  # type: ignore[attr-defined]
                s.connection().execute(
                    table.delete().where(
                        table.c.competition_id == competition_id, table.c.seq >= events[0].seq
                    )
                )
            s.add_all(event_rows(competition_id, events))
            decided = [{"s": seq, "a": accepted, "r": reason} for seq, accepted, reason in outcomes]
            if decided:  # one statement for all of them (a busy class decides hundreds between ticks)
                table = CommandRow.__table__  # type: ignore[attr-defined]
                s.connection().execute(
                    table.update()
                    .where(table.c.competition_id == competition_id, table.c.seq == bindparam("s"))
                    .values(accepted=bindparam("a"), reason=bindparam("r")),
                    decided,
                )
            s.commit()

    def event_payloads(self, competition_id: int, after: int = -1, limit: int | None = None) -> list[str]:
        with self.session() as s:
            query = (
                select(EventRow.payload)
                .where(EventRow.competition_id == competition_id, EventRow.seq > after)
                .order_by(col(EventRow.seq))
            )
            if limit is not None:
                query = query.limit(limit)
            return list(s.exec(query))
