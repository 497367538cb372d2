"""Who is in a team, as the instructor manages it: list members, remove one, issue a new join code.

A join code is a team's only secret. When one leaks (a photo of a join card, a code called
across the room), the instructor removes whoever should not be in the team — their sessions
end at once and their open channels close — and gives the team a new code: the old one stops
working, the members already in stay in. The removed member's commands stay in the log, under
their name, as everything that happened does.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from server.api.deps import instructor, runtime
from server.live import LiveCompetition
from server.live.runtime import Runtime
from server.live.team_members import command_counts, present_members, renew_join_code
from server.live.team_members import remove_member as remove
from server.security.auth import Identity

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


def _members(rt: Runtime, live: LiveCompetition, team: str, counts: dict[int, int]) -> TeamMembersOut:
    """The team's present members, one entry per name (as server.input.names compares names)."""
    row = live.team(team)
    members = [
        MemberOut(
            name=m.name, roles=m.roles, joined_at=m.joined_at, commands=m.commands, signed_in=m.signed_in
        )
        for m in present_members(rt, live, team, counts)
    ]
    return TeamMembersOut(team=row.name, join_code=row.join_code, members=members)


@router.get("/{competition_id}/members", response_model=list[TeamMembersOut])
def members(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> list[TeamMembersOut]:
    """Every team played by students, its join code and its members (commands sent, open sessions)."""
    live = rt.get(competition_id)
    counts = command_counts(rt, live)
    return [_members(rt, live, team.name, counts) for team in live.teams if not team.bot]


@router.delete("/{competition_id}/teams/{team}/members/{name}", response_model=TeamMembersOut)
async def remove_member(
    competition_id: int,
    team: str,
    name: str,
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(instructor),
) -> TeamMembersOut:
    """Remove a member (by name, as names are compared): their sessions end, their channels close."""
    live = rt.get(competition_id)
    ended, closed = await remove(rt, live, team, name)
    log.warning(
        "competition %s: the instructor removed %s from team %s (%d session(s) ended, %d channel(s) closed)",
        competition_id,
        name,
        team,
        ended,
        closed,
    )
    return await asyncio.to_thread(lambda: _members(rt, live, team, command_counts(rt, live)))


@router.post("/{competition_id}/teams/{team}/join-code", response_model=TeamMembersOut)
def new_join_code(
    competition_id: int, team: str, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> TeamMembersOut:
    """Give the team a new join code: the old one stops working; members already in stay in."""
    live = rt.get(competition_id)
    old = renew_join_code(rt, live, team)
    log.warning("competition %s: team %s has a new join code (%s no longer works)", competition_id, team, old)
    return _members(rt, live, team, command_counts(rt, live))
