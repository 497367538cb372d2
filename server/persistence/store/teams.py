"""Teams and their members: join codes, who joined, who was removed, a competition's roster."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from server.persistence.db.tables import MemberRow, SessionRow, TeamRow
from server.persistence.store.base import StoreBase


class TeamStore(StoreBase):
    """Teams and members."""

    def add_teams(self, rows: Sequence[TeamRow]) -> list[TeamRow]:
        """All the teams or none (a duplicate name or code rolls the whole batch back)."""
        with self.session() as s:
            s.add_all(rows)
            s.commit()
            for row in rows:
                s.refresh(row)
            return list(rows)

    def teams(self, competition_id: int) -> list[TeamRow]:
        with self.session() as s:
            query = (
                select(TeamRow).where(TeamRow.competition_id == competition_id).order_by(col(TeamRow.name))
            )
            return list(s.exec(query))

    def team_by_code(self, code: str) -> TeamRow | None:
        with self.session() as s:
            return s.exec(select(TeamRow).where(TeamRow.join_code == code)).first()

    def team(self, team_id: int) -> TeamRow | None:
        with self.session() as s:
            return s.get(TeamRow, team_id)

    def set_join_code(self, team_id: int, code: str) -> None:
        with self.session() as s:
            team = s.get(TeamRow, team_id)
            if team is not None:
                team.join_code = code
                s.add(team)
                s.commit()

    def members(self, team_id: int) -> list[MemberRow]:
        """The team's present members (every sign-in is a row), in joining order; not the removed."""
        with self.session() as s:
            query = select(MemberRow).where(MemberRow.team_id == team_id, col(MemberRow.removed_at).is_(None))
            return list(s.exec(query.order_by(col(MemberRow.id))))

    def remove_members(self, member_ids: Sequence[int], at: float) -> None:
        """Mark members removed and end their sessions, in one transaction."""
        with self.session() as s:
            for row in s.exec(select(MemberRow).where(col(MemberRow.id).in_(member_ids))):
                row.removed_at = at
                s.add(row)
            for session in s.exec(select(SessionRow).where(col(SessionRow.member_id).in_(member_ids))):
                s.delete(session)
            s.commit()

    def add_member(self, member: MemberRow, session: SessionRow) -> MemberRow:
        with self.session() as s:
            s.add(member)
            s.flush()
            session.member_id = member.id
            s.add(session)
            s.commit()
            s.refresh(member)
            return member

    def member(self, member_id: int) -> MemberRow | None:
        with self.session() as s:
            return s.get(MemberRow, member_id)

    def competition_members(self, competition_id: int) -> list[tuple[TeamRow, MemberRow]]:
        """Every member of the competition with its team, by team name then joining order."""
        with self.session() as s:
            query = (
                select(TeamRow, MemberRow)
                .where(TeamRow.competition_id == competition_id, MemberRow.team_id == TeamRow.id)
                .order_by(col(TeamRow.name), col(MemberRow.id))
            )
            return [(team, member) for team, member in s.exec(query)]
