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

from server.input.names import display_name, name_key
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
    """What a join came to: no team has the code (``team`` None), the member stored (new, or the
    member of that name signing in again; ``role_before`` their earlier role if the join changed
    it), ``holder``, the name already holding the exclusive role asked for, or ``refused``, what
    ``admit`` raised."""

    team: TeamRow | None
    member: MemberRow | None = None
    holder: str | None = None
    refused: Exception | None = None
    role_before: str | None = None  # a member signing in again in another role: the role they had


def _claim(
    holders: dict[tuple[int, str], MemberRow], team_id: int, key: str, member: MemberRow, request: JoinRequest
) -> bool:
    """The exclusive roles of ``team_id`` after ``member`` (named by ``key``) joins as ``request``
    asks: an exclusive role is claimed if free; one held by the same name (this member, or a
    duplicate row from before migration 0013) and no longer asked for is given up. Whether one was."""
    released = False
    for role, holder in [(role, h) for (t, role), h in holders.items() if t == team_id]:
        if role != request.role and name_key(holder.name) == key:
            holder.role_claim = None
            del holders[(team_id, role)]
            released = True
    held = holders.get((team_id, request.role))
    if request.exclusive and held is None:
        member.role_claim = request.role
        holders[(team_id, request.role)] = member
    elif held is not None and held is not member:
        member.role_claim = None  # a duplicate row from before 0013 holds it for this same name
    return released


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
        """The team's present members, in joining order; not the removed. (Rows from before
        migration 0013 may repeat a name: compare them by ``name_key``.)"""
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
                row.name_key = None  # the name joining again is a new member
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
        each join (what it raises refuses that join alone, in its ``Joining``), then the member
        found by the name's key (server.input.names) or a new one, and for an exclusive role its
        holder checked and the claim taken — the first name of the batch to ask for a free role
        takes it, a later one finds it held. A name already present (or earlier in the batch) is
        that member again, in the role asked (the later join of a batch decides): a new session,
        the same member. The unique indexes on the claim and on the name's key refuse what
        another connection stored at the same instant: the batch looks again and finds the
        holder, or the member. Each request's ``session`` gets its member and competition; the
        answers (with the members stored) are in the order of the requests. With several
        workers ``epoch_of`` gives this worker's owner epoch of a competition: each competition
        of the batch is checked first (in id order), and the joins of one whose epoch is stale are
        refused with ``StaleOwner`` in their ``Joining`` while the others go in."""
        for attempt in range(CLAIM_ATTEMPTS):
            with self.writing(), self.session() as s:
                joinings, rows, released = self._admitted(s, requests, admit, epoch_of)
                if not rows:
                    return joinings
                members = list({id(row): row for row in rows.values()}.values())
                # a role given up in this batch is written free before it is claimed again
                claims = [(row, row.role_claim) for row in members if released and row.role_claim is not None]
                for row, _ in claims:
                    row.role_claim = None
                s.add_all(members)
                try:
                    s.flush()
                    for row, claim in claims:
                        row.role_claim = claim
                    if claims:
                        s.flush()
                except IntegrityError:
                    if attempt + 1 == CLAIM_ATTEMPTS:
                        raise
                    s.rollback()
                    continue  # claimed or joined meanwhile by another connection: look again
                for i, row in rows.items():
                    session, joining = requests[i].session, joinings[i]
                    assert joining.team is not None
                    session.member_id, session.competition_id = row.id, joining.team.competition_id
                    joinings[i] = Joining(joining.team, row, role_before=joining.role_before)
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
    ) -> tuple[list[Joining], dict[int, MemberRow], bool]:
        """What each request comes to before anything is written: refused (no team, its owner's
        epoch stale, not admitted, the role held by another name), or the member row to insert
        or update (by the request's index; joins of one name share one row); and whether a
        member gave an exclusive role up."""
        codes = {r.code for r in requests}
        teams = {t.join_code: t for t in s.exec(select(TeamRow).where(col(TeamRow.join_code).in_(codes)))}
        stale: dict[int, StaleOwner] = {}
        for competition_id in sorted({t.competition_id for t in teams.values()}):
            try:
                check_owner(s.connection(), competition_id, epoch_of(competition_id))
            except StaleOwner as exc:
                stale[competition_id] = exc
        team_ids = {t.id for r in requests if (t := teams.get(r.code)) is not None}
        present: dict[tuple[int, str], MemberRow] = {}
        holders: dict[tuple[int, str], MemberRow] = {}
        if team_ids:
            keys = {name_key(r.name) for r in requests}  # the batch's names and the roles' holders, no more
            query = select(MemberRow).where(
                col(MemberRow.team_id).in_(team_ids),
                col(MemberRow.name_key).in_(keys) | col(MemberRow.role_claim).is_not(None),
            )
            for member in s.exec(query.order_by(col(MemberRow.id))):
                if member.name_key is not None:
                    present[(member.team_id, member.name_key)] = member
                if member.role_claim is not None:
                    holders[(member.team_id, member.role_claim)] = member
        joinings: list[Joining] = []
        rows: dict[int, MemberRow] = {}
        released = False
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
            key = name_key(request.name)
            holder = holders.get((team.id, request.role)) if request.exclusive else None
            if holder is not None and name_key(holder.name) != key:
                joinings.append(Joining(team, holder=holder.name))
                continue
            found = present.get((team.id, key))
            if found is None:
                member = MemberRow(
                    team_id=team.id,
                    name=display_name(request.name),
                    role=request.role,
                    joined_at=request.joined_at,
                    name_key=key,
                )
                present[(team.id, key)] = member
                role_before = None
            else:
                member, role_before = found, (found.role if found.role != request.role else None)
                member.role = request.role
            released = _claim(holders, team.id, key, member, request) or released
            rows[i] = member
            joinings.append(Joining(team, role_before=role_before))
        return joinings, rows, released

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
