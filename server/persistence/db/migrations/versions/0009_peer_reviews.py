"""peer reviews: each member rates teammates' contribution at the end

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peer_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("reviewee_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["competition_id"], ["competitions.id"]),
        sa.ForeignKeyConstraint(["reviewer_id"], ["members.id"]),
        sa.ForeignKeyConstraint(["reviewee_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reviewer_id", "reviewee_id"),
    )
    op.create_index("ix_peer_reviews_competition_id", "peer_reviews", ["competition_id"])


def downgrade() -> None:
    op.drop_index("ix_peer_reviews_competition_id", table_name="peer_reviews")
    op.drop_table("peer_reviews")
