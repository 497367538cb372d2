"""Who is in a team, as the instructor manages it: its present members with what each did and how
many sessions each has open; removing a member; a new join code for the team."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from server.errors import ServerError
from server.input.names import name_key
from server.live import LiveCompetition
from server.live.refusals import owner_write
from server.live.runtime import Runtime
from server.persistence.db.tables import MemberRow
from server.security.auth import new_code
from server.security.session_life import SessionLife
from server.wall_clock import wall_now


@dataclass(frozen=True, slots=True)
class PresentMember:
    """One person in a team: their member row, folded with any rows from before migration 0013
    that repeat their name (as server.input.names compares names)."""

    name: str
    roles: list[str]
    joined_at: float
    commands: int
    signed_in: int


def command_counts(rt: Runtime, live: LiveCompetition) -> dict[int, int]:
    """How many commands each member (by member id) has sent in the competition."""
    return rt.store.commands_by_member(live.id)


def present_members(
    rt: Runtime, live: LiveCompetition, team: str, counts: dict[int, int]
) -> list[PresentMember]:
    """The team's present members, one entry per name (by ``name_key``, under its first
    spelling): commands sent (from ``counts``, see :func:`command_counts`), sessions in use."""
    row = live.team(team)
    assert row.id is not None
    people: dict[str, list[MemberRow]] = {}
    for member in rt.store.members(row.id):
        if member.removed_at is None:
            people.setdefault(name_key(member.name), []).append(member)
    life = SessionLife.of_hours(rt.settings.session_idle_hours, rt.settings.session_grace_hours)
    now = wall_now()
    finished_at = rt.store.finished_at(row.competition_id)
    ended = finished_at is not None and now >= finished_at + life.grace  # every session of it has ended
    ids = [r.id for rows in people.values() for r in rows if r.id]
    sessions = {} if ended else rt.store.sessions_of_members(ids, used_since=now - life.idle)
    return [
        PresentMember(
            name=rows[0].name,
            roles=sorted({r.role for r in rows}),
            joined_at=min(r.joined_at for r in rows),
            commands=sum(counts.get(r.id or 0, 0) for r in rows),
            signed_in=sum(sessions.get(r.id or 0, 0) for r in rows),
        )
        for rows in people.values()
    ]


async def remove_member(rt: Runtime, live: LiveCompetition, team: str, name: str) -> tuple[int, int]:
    """Remove the member called ``name`` (as server.input.names compares names, with any rows
    from before migration 0013 that repeat it): their sessions end, their channels close. Returns how
    many sessions ended and how many channels closed. The database is read and written in a
    worker thread; the sessions and channels are the event loop's."""
    row = live.team(team)
    assert row.id is not None
    team_id = row.id
    key = name_key(name)

    def stored_removal(epoch: int | None) -> list[int]:
        rows = [m for m in rt.store.members(team_id) if name_key(m.name) == key and m.removed_at is None]
        if not rows:
            raise ServerError("not_found", f"team {team} has no member called {name!r}")
        ids = [m.id for m in rows if m.id is not None]
        rt.store.remove_members(live.id, ids, wall_now(), epoch)
        return ids

    with owner_write(live.writer) as epoch:  # its live competition keeps its members' names
        ids = await asyncio.to_thread(stored_removal, epoch)
    rt.sessions_ended(member_ids=ids)
    names = live.activity[team].members
    names.difference_update({n for n in names if name_key(n) == key})
    closed = rt.member_channels.close(set(ids))
    return len(ids), closed


def renew_join_code(rt: Runtime, live: LiveCompetition, team: str) -> str:
    """Give the team a new, unused join code; returns the old one (which no longer works)."""
    row = live.team(team)
    assert row.id is not None
    old = row.join_code
    for _attempt in range(10):
        code = new_code()
        if rt.store.team_by_code(code) is None:
            break
    else:  # pragma: no cover - 32^8 codes
        raise ServerError("conflict", "could not find an unused join code; try again")
    with owner_write(live.writer) as epoch:  # its live competition keeps its teams' codes
        rt.store.set_join_code(live.id, row.id, code, epoch)
    row.join_code = code
    return old
