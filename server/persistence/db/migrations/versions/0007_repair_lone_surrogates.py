"""stored JSON holding a lone surrogate (written before the server refused them) gets U+FFFD instead

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import logging

from alembic import op

from server.persistence.db.text_repair import repair_tables

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    repaired = repair_tables(op.get_bind())
    if repaired:
        logging.getLogger("salesfloor").warning(
            "repaired stored text holding lone surrogates (now U+FFFD): %s",
            ", ".join(f"{where} {count}" for where, count in repaired.items()),
        )


def downgrade() -> None:
    """Nothing to undo: U+FFFD is valid text, and the surrogates it replaced broke every view."""
