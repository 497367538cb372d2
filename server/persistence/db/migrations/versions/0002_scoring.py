"""scoring settings per competition, and their change log

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("competitions") as batch_op:
        batch_op.add_column(sa.Column("scoring", sa.String(), nullable=True))
    op.create_table(
        "scoring_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("scoring", sa.String(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["competition_id"], ["competitions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scoring_changes") as batch_op:
        batch_op.create_index("ix_scoring_changes_competition_id", ["competition_id"], unique=False)


def downgrade() -> None:
    op.drop_table("scoring_changes")
    with op.batch_alter_table("competitions") as batch_op:
        batch_op.drop_column("scoring")
