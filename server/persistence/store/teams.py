"""Teams and their members: join codes, who joined, who was removed, a competition's roster.

The live competition keeps its teams (with their join codes) and the names of its members in
memory, so with several workers each change of them carries its owner's ``epoch``
(server.persistence.store.fencing): a batch of joins checks it per competition, refusing alone
the joins of a competition whose epoch is stale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.persistence.db.tables import MemberRow, SessionRow, TeamRow
from server.persistence.store.base import StoreBase
from server.persistence.store.fencing import StaleOwner, check_owner

CLAIM_ATTEMPTS = 3
"""Tries of a join whose exclusive role another join claimed between its look and its insert."""


@dataclass(frozen=True, slots=True)
class JoinRequest:
    """One join: the team's code, the member's name, role and when, and the session it joins with."""

    code: str
    name: str
    role: str
    joined_at: float
    session: SessionRow
    exclusive: bool  # the role is one a single name of the team may hold (the manager)


@dataclass(frozen=True, slots=True)
class Joining:
    """What a join came to: no team has the code (``team`` None), the member stored, ``holder``,
    the name already holding the exclusive role asked for, or ``refused``, what ``admit`` raised."""

    team: TeamRow | None
    member: MemberRow | None = None
    holder: str | None = None
    refused: Exception | None = None


class TeamStore(StoreBase):
    """Teams and members."""

    def add_teams(self, rows: Sequence[TeamRow], epoch: int | None = None) -> list[TeamRow]:
        """All the teams or none (a duplicate name or code rolls the whole batch back); with an
        ``epoch``, only by the owner of their competition (all of the rows are of one)."""
        with self.session() as s:
            for competition_id in sorted({row.competition_id for row in rows}):
                check_owner(s.connection(), competition_id, epoch)
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

    def set_join_code(self, competition_id: int, team_id: int, code: str, epoch: int | None = None) -> None:
        """A new join code for the competition's team ``team_id`` (none of another competition's)."""
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            team = s.get(TeamRow, team_id)
            if team is not None and team.competition_id == competition_id:
                team.join_code = code
                s.add(team)
                s.commit()

    def members(self, team_id: int) -> list[MemberRow]:
        """The team's present members (every sign-in is a row), in joining order; not the removed."""
        with self.session() as s:
            query = select(MemberRow).where(MemberRow.team_id == team_id, col(MemberRow.removed_at).is_(None))
            return list(s.exec(query.order_by(col(MemberRow.id))))

    def remove_members(
        self, competition_id: int, member_ids: Sequence[int], at: float, epoch: int | None = None
    ) -> None:
        """Mark the competition's members ``member_ids`` removed and end their sessions, at once."""
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            for row in s.exec(select(MemberRow).where(col(MemberRow.id).in_(member_ids))):
                row.removed_at = at
                row.role_claim = None  # the role is free for someone else
                s.add(row)
            for session in s.exec(select(SessionRow).where(col(SessionRow.member_id).in_(member_ids))):
                s.delete(session)
            s.commit()

    def join_many(
        self,
        requests: Sequence[JoinRequest],
        admit: Callable[[TeamRow], None],
        epoch_of: Callable[[int], int | None] = lambda _competition_id: None,
    ) -> list[Joining]:
        """Members join the teams with these join codes, with the sessions they join with, in one
        transaction (a batch of joins, group commit): the teams looked up, ``admit(team)`` for
        each join (what it raises refuses that join alone, in its ``Joining``), then, for an
        exclusive role, its holder checked and the claim taken — the first name of the batch to
        ask for a free role takes it, a later one finds it held. The unique index on the claim
        refuses a name that another connection claimed for at the same instant: the batch looks
        again and finds the holder. Each request's ``session`` gets its member and competition;
        the answers (with the members stored) are in the order of the requests. With several
        workers ``epoch_of`` gives this worker's owner epoch of a competition: each competition
        of the batch is checked first (in id order), and the joins of one whose epoch is stale are
        refused with ``StaleOwner`` in their ``Joining`` while the others go in."""
        for attempt in range(CLAIM_ATTEMPTS):
            with self.writing(), self.session() as s:
                joinings, rows = self._admitted(s, requests, admit, epoch_of)
                if not rows:
                    return joinings
                s.add_all(rows.values())
                try:
                    s.flush()
                except IntegrityError:
                    if attempt + 1 == CLAIM_ATTEMPTS:
                        raise
                    s.rollback()
                    continue  # claimed meanwhile by another connection: look at the holders again
                for i, row in rows.items():
                    session, team = requests[i].session, joinings[i].team
                    assert team is not None
                    session.member_id, session.competition_id = row.id, team.competition_id
                    joinings[i] = Joining(team, row)
                s.add_all(requests[i].session for i in rows)
                s.commit()
                return joinings
        raise AssertionError("unreachable: the last attempt raises")  # pragma: no cover

    @staticmethod
    def _admitted(
        s: Session,
        requests: Sequence[JoinRequest],
        admit: Callable[[TeamRow], None],
        epoch_of: Callable[[int], int | None],
    ) -> tuple[list[Joining], dict[int, MemberRow]]:
        """What each request comes to before anything is written: refused (no team, its owner's
        epoch stale, not admitted, the role held), or the member row to insert (by the request's index)."""
        codes = {r.code for r in requests}
        teams = {t.join_code: t for t in s.exec(select(TeamRow).where(col(TeamRow.join_code).in_(codes)))}
        stale: dict[int, StaleOwner] = {}
        for competition_id in sorted({t.competition_id for t in teams.values()}):
            try:
                check_owner(s.connection(), competition_id, epoch_of(competition_id))
            except StaleOwner as exc:
                stale[competition_id] = exc
        wanted = {t.id for r in requests if r.exclusive and (t := teams.get(r.code)) is not None}
        holders: dict[tuple[int, str], str] = {}
        if wanted:
            query = select(MemberRow.team_id, MemberRow.role_claim, MemberRow.name).where(
                col(MemberRow.team_id).in_(wanted), col(MemberRow.role_claim).is_not(None)
            )
            holders = {(team_id, str(claim)): name for team_id, claim, name in s.exec(query)}
        joinings: list[Joining] = []
        rows: dict[int, MemberRow] = {}
        for i, request in enumerate(requests):
            team = teams.get(request.code)
            if team is None or team.id is None:
                joinings.append(Joining(None))
                continue
            if team.competition_id in stale:
                joinings.append(Joining(team, refused=stale[team.competition_id]))
                continue
            try:
                admit(team)
            except Exception as refused:
                joinings.append(Joining(team, refused=refused))
                continue
            holder = holders.get((team.id, request.role)) if request.exclusive else None
            if holder is not None and holder != request.name:
                joinings.append(Joining(team, holder=holder))
                continue
            claims = request.exclusive and holder is None
            if claims:
                holders[(team.id, request.role)] = request.name
            rows[i] = MemberRow(
                team_id=team.id,
                name=request.name,
                role=request.role,
                joined_at=request.joined_at,
                role_claim=request.role if claims else None,
            )
            joinings.append(Joining(team))
        return joinings, rows

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
