"""keyed replies: the Idempotency-Key of an instructor's or judge's command, and the reply it got

The desk's keys are kept on their command rows (0004). The instructor's and the judges'
commands (creating a competition, running its rounds, the board, the rubric, the teams …) are
no commands of the log, so their keys get a table of their own, one row per actor and key:
what the key was used for (its request line and a digest of the whole request), and the reply
once it was given (status, content type, body). Nothing is copied from older tables.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "keyed_replies",
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("idempotency_key", sa.String(), nullable=False),
        sa.Column("request", sa.String(), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("actor", "idempotency_key"),
    )


def downgrade() -> None:
    op.drop_table("keyed_replies")
