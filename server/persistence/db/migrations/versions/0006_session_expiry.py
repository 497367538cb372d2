"""sessions expire: their last use, and when a competition finished

Revision ID: 0006
Revises: 0005

Competitions that had already finished are taken to have finished at the upgrade, so their
judges' and members' sessions end a grace period after it (SESSION_GRACE_HOURS).
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.Float(), nullable=True))
    with op.batch_alter_table("competitions") as batch_op:
        batch_op.add_column(sa.Column("finished_at", sa.Float(), nullable=True))
    competitions = sa.table(
        "competitions", sa.column("state", sa.String()), sa.column("finished_at", sa.Float())
    )
    finished = competitions.update().where(competitions.c.state == "finished")
    op.execute(finished.values(finished_at=time.time()))


def downgrade() -> None:
    with op.batch_alter_table("competitions") as batch_op:
        batch_op.drop_column("finished_at")
    with op.batch_alter_table("sessions") as batch_op:
        batch_op.drop_column("last_seen_at")
