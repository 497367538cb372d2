"""Alembic environment: runs migrations on the connection the server hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import server.persistence.db.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through server.persistence.db.engine.migrate(engine)")
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
