"""What the instructor (and the judges) watch while a competition runs: the monitor of who did
what, the live standings, the event log and the committed command log."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from server.api.answers import documented
from server.api.answers.competitions import LoggedCommand, Monitor
from server.api.answers.events import Event
from server.api.answers.standings import StatusWithStandings
from server.api.deps import identity, instructor, judge_of, runtime
from server.live.instructor_views import command_log as committed_commands
from server.live.instructor_views import monitor_view
from server.live.runtime import Runtime
from server.security.auth import Identity
from server.wire.shapes import event_view, select_events

router = APIRouter(prefix="/api/v1/competitions", tags=["instructor"])


@router.get("/{competition_id}/commands", responses=documented(list[LoggedCommand]))
def command_log(
    competition_id: int,
    after: int = Query(-1, ge=-1),
    limit: int = Query(1000, ge=1, le=10000),
    source: Literal["human", "bot", "instructor"] | None = Query(None, description="only these commands"),
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(instructor),
) -> list[dict[str, Any]]:
    """The committed command log: what a replay of this competition applies."""
    return committed_commands(rt.get(competition_id), after, limit, source)


@router.get("/{competition_id}/monitor", responses=documented(Monitor))
def monitor(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Per team and per member: commands, refusals, the last command; who has been idle."""
    return monitor_view(rt, rt.get(competition_id))


@router.get("/{competition_id}/standings", responses=documented(StatusWithStandings))
def live_standings(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(identity)
) -> dict[str, Any]:
    judge_of(competition_id, who)
    live = rt.get(competition_id)
    return {**live.status(), "standings": live.standings()}


@router.get("/{competition_id}/events", responses=documented(list[Event]))
async def events(
    competition_id: int,
    after: int = Query(-1, ge=-1),
    limit: int = Query(500, ge=1, le=5000),
    team: str | None = Query(None, description="only this team's events (and the competition's)"),
    last: bool = Query(False, description="the newest `limit` events instead of the oldest after `after`"),
    rt: Runtime = Depends(runtime),
    who: Identity = Depends(identity),
) -> list[dict[str, Any]]:
    """The event log (live), oldest first: from ``after`` on, or the newest ``limit`` with ``last``."""
    judge_of(competition_id, who)
    live = rt.get(competition_id)
    return [event_view(e) for e in select_events(live.event_log, after, limit, last, team)]
