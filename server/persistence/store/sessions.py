"""Sessions: who is behind a token, when it was last used, and ending it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select

from server.persistence.db.tables import MemberRow, SessionRow, TeamRow
from server.persistence.store.base import StoreBase

READ_AT_ONCE = 500
"""Token hashes asked for in one statement at most (``sessions_with_members``)."""


class SessionStore(StoreBase):
    """Sign-in sessions, by the hash of their token."""

    def add_session(self, session: SessionRow) -> None:
        with self.session() as s:
            s.add(session)
            s.commit()

    def session_row(self, token_hash: str) -> SessionRow | None:
        with self.session() as s:
            return s.get(SessionRow, token_hash)

    def sessions_with_members(
        self, token_hashes: Sequence[str]
    ) -> list[tuple[SessionRow, MemberRow | None, TeamRow | None]]:
        """The sessions with these token hashes that exist, each with its member and that member's
        team (None for a session without a member, or whose member or team is gone).

        One statement for up to ``READ_AT_ONCE`` sessions, all on one connection: who is behind a
        token costs PostgreSQL one round trip, not three checkouts of their own.
        """
        found: list[tuple[SessionRow, MemberRow | None, TeamRow | None]] = []
        with self.session() as s:
            for start in range(0, len(token_hashes), READ_AT_ONCE):
                query = (
                    select(SessionRow, MemberRow, TeamRow)
                    .outerjoin(MemberRow, col(MemberRow.id) == col(SessionRow.member_id))
                    .outerjoin(TeamRow, col(TeamRow.id) == col(MemberRow.team_id))
                    .where(col(SessionRow.token_hash).in_(token_hashes[start : start + READ_AT_ONCE]))
                )
                found.extend(s.exec(query))
        return found

    def touch_session(self, token_hash: str, at: float) -> None:
        """Store ``at`` as the session's last use."""
        with self.session() as s:
            row = s.get(SessionRow, token_hash)
            if row is not None:
                row.last_seen_at = at
                s.add(row)
                s.commit()

    def drop_session(self, token_hash: str) -> None:
        with self.session() as s:
            row = s.get(SessionRow, token_hash)
            if row is not None:
                s.delete(row)
                s.commit()

    def drop_sessions_unused_since(self, before: float) -> int:
        """Forget sessions last used before ``before`` (long expired); how many."""
        last_use = func.coalesce(col(SessionRow.last_seen_at), col(SessionRow.created_at))
        with self.session() as s:
            rows = list(s.exec(select(SessionRow).where(last_use < before)))
            for row in rows:
                s.delete(row)
            s.commit()
            return len(rows)

    def sessions_of_members(self, member_ids: Sequence[int], used_since: float = 0.0) -> dict[int, int]:
        """How many sessions each of these members has open, used since ``used_since`` (not expired idle)."""
        last_use = func.coalesce(col(SessionRow.last_seen_at), col(SessionRow.created_at))
        condition = col(SessionRow.member_id).in_(member_ids) & (last_use >= used_since)
        return self._per_member(SessionRow, condition)
