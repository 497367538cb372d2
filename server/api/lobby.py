"""The lobby before the start, and the recent ticker a board opens with.

The lobby is what the projector shows while a class joins: the competition's name, each team
with the members who have joined (names and roles), the clock to the planned start, and — only
for the instructor, whose screen the projector mirrors — each team's join code. The public
sees names, never codes (a code is a team's only secret), and only until the start: from then
on nobody but the instructor sees here who is in which team.

A board opened or reloaded late starts its ticker from ``/ticker`` (judges and the instructor:
live) or ``/public/ticker`` (everybody: nothing a freeze holds back).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from server.api.answers import documented
from server.api.answers.gathering import Lobby, TickerLine
from server.api.bodies import StrictBody
from server.api.deps import instructor, resolve, runtime, token_of, watcher
from server.errors import ServerError
from server.input.names import name_key
from server.live import LiveCompetition
from server.live.competition_setup import plan_start_in
from server.live.runtime import Runtime
from server.live.ticker import recent_ticker
from server.security.auth import Identity
from server.wall_clock import wall_now

router = APIRouter(prefix="/api/v1/competitions", tags=["public"])

MAX_MINUTES = 24 * 60


class StartsIn(StrictBody):
    minutes: int | None = Field(
        ..., ge=0, le=MAX_MINUTES, description="minutes from now to the planned start; null: no planned start"
    )


def _lobby(rt: Runtime, live: LiveCompetition, with_codes: bool) -> dict[str, Any]:
    # per team, per name key (server.input.names): the first spelling and the roles
    people: dict[str, dict[str, tuple[str, set[str]]]] = {team.name: {} for team in live.teams}
    # people's names are public only while the class gathers; once it has started, nobody but
    # the instructor sees who is in which team (the members list, the monitor)
    if live.state == "draft" or with_codes:
        for team, member in rt.store.competition_members(live.id):
            if member.removed_at is None and team.name in people:
                person = people[team.name].setdefault(name_key(member.name), (member.name, set()))
                person[1].add(member.role)
    row = rt.store.competition(live.id)
    teams = [
        {
            "name": team.name,
            "bot": team.bot,
            "members": [{"name": name, "roles": sorted(roles)} for name, roles in people[team.name].values()],
            **({"join_code": team.join_code} if with_codes else {}),
        }
        for team in live.teams
    ]
    return {
        "id": live.id,
        "name": live.name,
        "state": live.state,
        "starts_at": row.starts_at if row else None,
        "server_now": wall_now(),
        "teams": teams,
    }


@router.get("/{competition_id}/public/lobby", responses=documented(Lobby))
async def lobby(competition_id: int, request: Request, rt: Runtime = Depends(runtime)) -> dict[str, Any]:
    """Who has joined which team so far (until the start), and the planned start (``starts_at``,
    wall seconds, with the server's ``server_now`` to count from). Join codes only for the
    instructor."""
    live = rt.get(competition_id)
    try:
        who = await resolve(token_of(request), rt)
    except ServerError:  # an expired session still sees the public lobby
        who = None
    # the lobby reads the members from the database: off the event loop
    return await run_in_threadpool(_lobby, rt, live, who is not None and who.role == "instructor")


@router.put("/{competition_id}/starts-at", tags=["instructor"], responses=documented(Lobby))
def plan_start(
    competition_id: int, body: StartsIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Plan the start ``minutes`` from now (the lobby counts down; the instructor still starts it)."""
    live = rt.get(competition_id)
    plan_start_in(live, body.minutes)
    return _lobby(rt, live, with_codes=True)


@router.get("/{competition_id}/public/ticker", responses=documented(list[TickerLine]))
async def public_ticker(competition_id: int, rt: Runtime = Depends(runtime)) -> list[dict[str, Any]]:
    """The newest ticker lines and highlights (oldest first), none of what a freeze holds back."""
    live = rt.get(competition_id)
    return recent_ticker(live.event_log, live.channels.found, live.scores.hides)


@router.get("/{competition_id}/ticker", tags=["board"], responses=documented(list[TickerLine]))
async def live_ticker(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(watcher)
) -> list[dict[str, Any]]:
    """The judges' ticker: the newest lines and highlights, live through a freeze."""
    live = rt.get(competition_id)
    return recent_ticker(live.event_log, live.channels.found, None)
