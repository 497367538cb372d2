"""freeze and reveal, medal counts, judges' names, the rubric and its log

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("competitions") as batch_op:
        batch_op.add_column(sa.Column("freeze_t", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("freeze_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("freeze_rubric", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reveal", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("medals", sa.String(), nullable=True))
    with op.batch_alter_table("sessions") as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(), nullable=True))
    op.create_table(
        "board_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["competition_id"], ["competitions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_board_changes_competition_id", "board_changes", ["competition_id"])
    op.create_table(
        "rubric_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("name_en", sa.String(), nullable=False),
        sa.Column("name_zh", sa.String(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("per_round", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["competition_id"], ["competitions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rubric_criteria_competition_id", "rubric_criteria", ["competition_id"])
    op.create_table(
        "rubric_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("judge", sa.String(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=True),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("t_sim", sa.Float(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["competition_id"], ["competitions.id"]),
        sa.ForeignKeyConstraint(["criterion_id"], ["rubric_criteria.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rubric_entries_competition_id", "rubric_entries", ["competition_id"])


def downgrade() -> None:
    op.drop_table("rubric_entries")
    op.drop_table("rubric_criteria")
    op.drop_table("board_changes")
    with op.batch_alter_table("sessions") as batch_op:
        batch_op.drop_column("name")
    with op.batch_alter_table("competitions") as batch_op:
        batch_op.drop_column("medals")
        batch_op.drop_column("reveal")
        batch_op.drop_column("freeze_rubric")
        batch_op.drop_column("freeze_seq")
        batch_op.drop_column("freeze_t")
