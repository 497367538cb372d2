"""Teams and their members: join codes, who joined, who was removed, a competition's roster."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.persistence.db.tables import MemberRow, SessionRow, TeamRow
from server.persistence.store.base import StoreBase

CLAIM_ATTEMPTS = 3
"""Tries of a join whose exclusive role another join claimed between its look and its insert."""


@dataclass(frozen=True, slots=True)
class Joining:
    """What a join came to: no team has the code (``team`` None), the member stored, or
    ``holder``, the name already holding the exclusive role asked for."""

    team: TeamRow | None
    member: MemberRow | None = None
    holder: str | None = None


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
                row.role_claim = None  # the role is free for someone else
                s.add(row)
            for session in s.exec(select(SessionRow).where(col(SessionRow.member_id).in_(member_ids))):
                s.delete(session)
            s.commit()

    def join(
        self,
        code: str,
        member: MemberRow,
        session: SessionRow,
        exclusive: bool,
        admit: Callable[[TeamRow], None],
    ) -> Joining:
        """A member joins the team with join ``code``, with the session they join with, in one
        transaction: the team looked up, ``admit(team)`` (raises to refuse), then, for an
        ``exclusive`` role, its holder checked and the claim taken. The unique index on the
        claim refuses a second name that claimed at the same instant: that join looks again
        and finds the holder. ``member`` and ``session`` get their team, competition and ids."""
        for attempt in range(CLAIM_ATTEMPTS):
            with self.writing(), self.session() as s:
                team = s.exec(select(TeamRow).where(TeamRow.join_code == code)).first()
                if team is None or team.id is None:
                    return Joining(None)
                admit(team)
                holder = self._holder(s, team.id, member.role) if exclusive else None
                if holder is not None and holder != member.name:
                    return Joining(team, holder=holder)
                row = MemberRow(
                    team_id=team.id,
                    name=member.name,
                    role=member.role,
                    joined_at=member.joined_at,
                    role_claim=member.role if exclusive and holder is None else None,
                )
                s.add(row)
                try:
                    s.flush()
                except IntegrityError:
                    if attempt + 1 == CLAIM_ATTEMPTS:
                        raise
                    s.rollback()
                    continue  # claimed meanwhile by another join: look at the holder again
                session.member_id, session.competition_id = row.id, team.competition_id
                s.add(session)
                s.commit()
                return Joining(team, row)
        raise AssertionError("unreachable: the last attempt raises")  # pragma: no cover

    @staticmethod
    def _holder(s: Session, team_id: int, role: str) -> str | None:
        """The name holding the exclusive ``role`` of the team, if anyone does."""
        query = select(MemberRow.name).where(MemberRow.team_id == team_id, MemberRow.role_claim == role)
        return s.exec(query).first()

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
