"""member name keys: a student who signs in again is the same member, not a new one

Each sign-in used to be a member row of its own, so a student who joined again (another
device, a lost cookie) came back as another member: the instructor's monitor listed them
twice and the peer review asked them to rate themselves. A member now carries ``name_key``,
their name as names are compared (server.input.names.name_key: NFC, spaces tidied, case
folded), under a unique index on (team_id, name_key): one present member per name, whatever
joins at the same instant; a join under a name already present signs in as that member.

Existing rows are not merged (their commands, keys, ratings and archives keep pointing at the
rows they name): the earliest present row of each (team, key) gets the key, the later
duplicates and the removed keep NULL, which the index does not compare. A rejoin under such a
name signs in as the keyed row.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def name_key(name: str) -> str:
    """server.input.names.name_key as it was when this migration was written, frozen here so
    that upgrading an old database keys its rows the same way whatever the app's rule becomes."""
    tidy = " ".join(unicodedata.normalize("NFC", name).split())
    return unicodedata.normalize("NFC", tidy.casefold())


def upgrade() -> None:
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(), nullable=True))
    members = sa.table(
        "members",
        sa.column("id", sa.Integer()),
        sa.column("team_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("removed_at", sa.Float()),
        sa.column("name_key", sa.String()),
    )
    connection = op.get_bind()
    present = sa.select(members.c.id, members.c.team_id, members.c.name).where(members.c.removed_at.is_(None))
    keyed: set[tuple[int, str]] = set()
    for id_, team_id, name in connection.execute(present.order_by(members.c.id)):
        key = name_key(name)
        if (team_id, key) in keyed:
            continue  # a later sign-in of a name already keyed: left as it is
        keyed.add((team_id, key))
        connection.execute(members.update().where(members.c.id == id_).values(name_key=key))
    op.create_index("ux_members_name_key", "members", ["team_id", "name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_members_name_key", table_name="members")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("name_key")
