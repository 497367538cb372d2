"""The database engine: a SQLite file (WAL) by default, PostgreSQL through DATABASE_URL.

Migrations run at start with Alembic (``upgrade head``), so a new or old database is brought
to the current schema before the server uses it. Every engine is watched (``health_of``): a
database that cannot be reached or whose disk is full raises a ``ServerError`` (HTTP 503)
saying so, instead of a driver error, and its outages are logged once, not once per write.
SQLite reads text that is not UTF-8 (only another program can write it) with replacement
characters instead of an error (server.persistence.db.text_repair).
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import Connection, ExceptionContext

from server.persistence.db.health import DatabaseHealth
from server.persistence.db.text_repair import tolerant_text

MIGRATIONS = Path(__file__).with_name("migrations")
UNAVAILABLE_ERRORS = ("OperationalError", "InterfaceError")
"""Driver errors (sqlite3, psycopg) that mean the database is away or full, not that a query is wrong."""

CONNECT_TIMEOUT_SECONDS = 5
"""A PostgreSQL that does not answer is given up on after this long (unless the URL says otherwise),
so that a refusal comes in seconds, not after the system's TCP timeout."""

IDLE_IN_TRANSACTION_MS = 30_000
"""PostgreSQL ends a session left idle inside a transaction this long (unless the URL sets options).
Every transaction of the server sends its statements without pause; one left open is a process
frozen mid-transaction (SIGSTOP, a paused VM). Its row lock on the competition (the owner epoch,
``server.persistence.store.fencing``) would otherwise hold the takeover by another worker until it
woke: ended, the lock goes, the takeover goes on, and the frozen process finds its connection
closed when it wakes (its write is refused, and it stops as on a lost lease)."""

_HEALTH: weakref.WeakKeyDictionary[Engine, DatabaseHealth] = weakref.WeakKeyDictionary()


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys. Watched."""
    engine = _make_engine(normalise_url(url))
    _watch(engine)
    return engine


def health_of(engine: Engine) -> DatabaseHealth:
    """The outage tracker of an engine made by ``make_engine``."""
    return _HEALTH[engine]


def _watch(engine: Engine) -> None:
    """Refuse with 503 when the database is away or full; note the first commit that goes through.

    A commit counts once its connection is back in the pool without an error in between (the
    work of one session runs in one thread, so a thread-local flag follows it).
    """
    health = _HEALTH[engine] = DatabaseHealth()
    session = threading.local()

    @event.listens_for(engine, "handle_error")
    def _refuse(context: ExceptionContext) -> None:
        if context.is_pre_ping:  # the pool reconnects by itself
            return
        session.failed = True
        original = context.original_exception
        if context.is_disconnect or type(original).__name__ in UNAVAILABLE_ERRORS:
            raise health.refuse(str(original)) from original

    @event.listens_for(engine, "checkout")
    def _fresh(*_args: Any) -> None:
        session.committed = session.failed = False

    @event.listens_for(engine, "commit")
    def _committing(_connection: Connection) -> None:
        session.committed = True

    @event.listens_for(engine, "checkin")
    def _done(*_args: Any) -> None:
        if getattr(session, "committed", False) and not getattr(session, "failed", False):
            health.recovered()
        session.committed = session.failed = False


SQLITE_POOL = 40
"""Connections a SQLite engine keeps open: as many as threads may want one at once (the server's
worker threads), so that none queues for a connection and none is opened and closed again (with
its PRAGMAs) as an overflow — the default pool of 5 did both under load (docs/performance.md)."""


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = make_url(url).database
        in_memory = not database or database == ":memory:" or "mode=memory" in url
        pool = {} if in_memory else {"pool_size": SQLITE_POOL, "max_overflow": SQLITE_POOL}
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.text_factory = tolerant_text  # bytes that are not UTF-8: no error
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    connect_args: dict[str, Any] = (
        {} if "connect_timeout" in url else {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    )
    if "options" not in url:
        connect_args["options"] = f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args)


def migrate(engine: Engine, to: str = "head") -> None:
    """Bring the database to the newest schema (or to the revision ``to``, as tests of a migration do)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, to)
