"""The store's common ground: one SQLAlchemy engine, a session per call, counts per member.

Functions are synchronous (the live layer calls them in a worker thread) and each write
commits before it returns, so whatever the server acknowledges is on disk.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select


class StoreBase:
    """What every aggregate's store stands on: the engine and a session over it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sqlite_writer = threading.Lock() if engine.dialect.name == "sqlite" else None

    def writing(self) -> AbstractContextManager[object]:
        """Held around a burst-prone write (joins): on SQLite the writers of this process queue
        on a lock, handed straight on, instead of polling SQLite's busy handler (which sleeps
        up to 100 ms a try); PostgreSQL takes concurrent writers itself."""
        return self._sqlite_writer if self._sqlite_writer is not None else nullcontext()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _per_member(self, table: Any, condition: Any) -> dict[int, int]:
        """Rows of ``table`` (sessions, commands) meeting ``condition``, counted per member."""
        member = col(table.member_id)
        with self.session() as s:
            query = select(member, func.count()).where(condition, member.is_not(None)).group_by(member)
            return {int(m): int(n) for m, n in s.exec(query)}
