"""idempotency keys of team commands and the replies their retries get

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("commands") as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("reply", sa.String(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_commands_idempotency", ["competition_id", "member_id", "idempotency_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("commands") as batch_op:
        batch_op.drop_constraint("uq_commands_idempotency", type_="unique")
        batch_op.drop_column("reply")
        batch_op.drop_column("idempotency_key")
