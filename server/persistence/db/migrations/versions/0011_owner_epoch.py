"""owner epoch: a fencing token on each competition, checked by every write of its logs

With several workers each competition is owned through a lease in Redis, but a worker frozen
for longer than the lease (SIGSTOP, a paused VM, heavy swapping) may, once it runs again,
commit a command batch or a write-behind in the moment before it notices that another worker
has taken the competition over and recovered it: the new owner's next batch then collides on
(competition_id, seq) and every command is refused from then on. ``owner_epoch`` is raised by
each worker that takes the competition, and every write of a live competition's logs updates
the row only where the epoch is still the writer's own, in the same transaction: a stale
writer writes nothing. Existing competitions start at 0.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("competitions") as batch_op:
        batch_op.add_column(sa.Column("owner_epoch", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("competitions") as batch_op:
        batch_op.drop_column("owner_epoch")
