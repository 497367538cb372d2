"""Who is in a team, as the instructor manages it: list members, remove one, issue a new join code.

A join code is a team's only secret. When one leaks (a photo of a join card, a code called
across the room), the instructor removes whoever should not be in the team — their sessions
end at once and their open channels close — and gives the team a new code: the old one stops
working, the members already in stay in. The removed member's commands stay in the log, under
their name, as everything that happened does.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from server.api.deps import instructor, runtime
from server.errors import ServerError
from server.live.runtime import Runtime
from server.persistence.db.tables import MemberRow, TeamRow
from server.security.auth import Identity, new_code
from server.security.session_life import SessionLife
from server.wall_clock import wall_now

router = APIRouter(prefix="/api/v1/competitions", tags=["instructor"])
log = logging.getLogger("salesfloor.members")


class MemberOut(BaseModel):
    name: str
    roles: list[str]
    joined_at: float
    commands: int
    signed_in: int


class TeamMembersOut(BaseModel):
    team: str
    join_code: str
    members: list[MemberOut]


def _members(rt: Runtime, team: TeamRow, counts: dict[int, int]) -> TeamMembersOut:
    """The team's present members, one entry per name (each sign-in is a member row)."""
    assert team.id is not None
    people: dict[str, list[MemberRow]] = {}
    for row in rt.store.members(team.id):
        if row.removed_at is None:
            people.setdefault(row.name, []).append(row)
    life = SessionLife.of_hours(rt.settings.session_idle_hours, rt.settings.session_grace_hours)
    now = wall_now()
    finished_at = rt.store.finished_at(team.competition_id)
    ended = finished_at is not None and now >= finished_at + life.grace  # every session of it has ended
    ids = [r.id for rows in people.values() for r in rows if r.id]
    sessions = {} if ended else rt.store.sessions_of_members(ids, used_since=now - life.idle)
    out = [
        MemberOut(
            name=name,
            roles=sorted({r.role for r in rows}),
            joined_at=min(r.joined_at for r in rows),
            commands=sum(counts.get(r.id or 0, 0) for r in rows),
            signed_in=sum(sessions.get(r.id or 0, 0) for r in rows),
        )
        for name, rows in people.items()
    ]
    return TeamMembersOut(team=team.name, join_code=team.join_code, members=out)


@router.get("/{competition_id}/members", response_model=list[TeamMembersOut])
def members(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> list[TeamMembersOut]:
    """Every team played by students, its join code and its members (commands sent, open sessions)."""
    live = rt.get(competition_id)
    counts = rt.store.commands_by_member(competition_id)
    return [_members(rt, team, counts) for team in live.teams if not team.bot]


@router.delete("/{competition_id}/teams/{team}/members/{name}", response_model=TeamMembersOut)
async def remove_member(
    competition_id: int,
    team: str,
    name: str,
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(instructor),
) -> TeamMembersOut:
    """Remove a member (every sign-in under that name): their sessions end, their channels close."""
    live = rt.get(competition_id)
    row = live.team(team)
    assert row.id is not None
    rows = [m for m in rt.store.members(row.id) if m.name == name and m.removed_at is None]
    if not rows:
        raise ServerError("not_found", f"team {team} has no member called {name!r}")
    ids = [m.id for m in rows if m.id is not None]
    rt.store.remove_members(ids, wall_now())
    rt.sessions.forget_members(ids)
    live.activity[team].members.discard(name)
    closed = rt.member_channels.close(set(ids))
    log.warning(
        "competition %s: the instructor removed %s from team %s (%d session(s) ended, %d channel(s) closed)",
        competition_id,
        name,
        team,
        len(ids),
        closed,
    )
    return _members(rt, row, rt.store.commands_by_member(competition_id))


@router.post("/{competition_id}/teams/{team}/join-code", response_model=TeamMembersOut)
def new_join_code(
    competition_id: int, team: str, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> TeamMembersOut:
    """Give the team a new join code: the old one stops working; members already in stay in."""
    live = rt.get(competition_id)
    row = live.team(team)
    assert row.id is not None
    old = row.join_code
    for _attempt in range(10):
        code = new_code()
        if rt.store.team_by_code(code) is None:
            break
    else:  # pragma: no cover - 32^8 codes
        raise ServerError("conflict", "could not find an unused join code; try again")
    rt.store.set_join_code(row.id, code)
    row.join_code = code
    log.warning("competition %s: team %s has a new join code (%s no longer works)", competition_id, team, old)
    return _members(rt, row, rt.store.commands_by_member(competition_id))
