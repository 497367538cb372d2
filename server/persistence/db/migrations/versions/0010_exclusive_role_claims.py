"""exclusive role claims: one name per team holds the manager role, enforced by a unique index

Two people joining the same team as manager at the same instant both passed the check that
the role was free (a read, then an insert). The sign-in that holds an exclusive role now
carries ``role_claim``; a unique index on (team_id, role_claim) refuses the second claim.
Existing teams: the earliest present manager sign-in of each team holds the claim.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

EXCLUSIVE_ROLES = ("manager",)


def upgrade() -> None:
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("role_claim", sa.String(), nullable=True))
    members = sa.table(
        "members",
        sa.column("id", sa.Integer()),
        sa.column("team_id", sa.Integer()),
        sa.column("role", sa.String()),
        sa.column("removed_at", sa.Float()),
        sa.column("role_claim", sa.String()),
    )
    for role in EXCLUSIVE_ROLES:
        earliest = (
            sa.select(sa.func.min(members.c.id))
            .where(members.c.role == role, members.c.removed_at.is_(None))
            .group_by(members.c.team_id)
        )
        op.execute(members.update().where(members.c.id.in_(earliest)).values(role_claim=role))
    op.create_index("ux_members_role_claim", "members", ["team_id", "role_claim"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_members_role_claim", table_name="members")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("role_claim")
