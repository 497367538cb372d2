"""The instructor's competitions: create one, list them, read one; run its rounds (start, pause,
resume, next round, end)."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import ConfigDict, Field

from server.api.answers import documented
from server.api.answers.competitions import CompetitionCreated
from server.api.answers.standings import CompetitionStatus
from server.api.bodies import StrictBody
from server.api.deps import instructor, runtime
from server.input.text_rules import Name
from server.live.competition_setup import create_competition, parameters_of
from server.live.instructor_views import detail_view
from server.live.runtime import Runtime
from server.security.auth import Identity
from server.workers.forwarding import Forwarder

router = APIRouter(prefix="/api/v1/competitions", tags=["instructor"])


class CompetitionIn(StrictBody):
    model_config = ConfigDict(allow_inf_nan=False)  # "NaN" and "inf" strings too: 422

    name: Name = Field(min_length=1, max_length=80)
    preset: str = "classroom"
    overrides: dict[str, Any] = Field(default_factory=dict, description="e.g. {'segments.smb.share': 0.5}")
    mode: Literal["shared", "mirrored"] | None = None
    seed: int | None = Field(None, ge=0, le=2**62, description="default: random")
    rounds: int | None = Field(None, ge=1, le=100)
    seconds_per_hour: float = Field(15.0, gt=0, le=3600, description="real seconds per business hour")


@router.post("", status_code=201, responses=documented(CompetitionCreated, 201))
async def create(
    body: CompetitionIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = await asyncio.to_thread(
        create_competition,
        rt,
        name=body.name,
        preset=body.preset,
        params=parameters_of(body.preset, body.overrides, body.mode),
        seed=body.seed,
        rounds=body.rounds,
        seconds_per_hour=body.seconds_per_hour,
    )
    await rt.place(live)  # with several workers perhaps on another: the view is the same, a new draft
    return detail_view(live)


@router.get("", responses=documented(list[CompetitionStatus]))
async def list_competitions(
    request: Request, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> list[dict[str, Any]]:
    """Every competition; with several workers, each worker's own, gathered by the front."""
    found = [{**live.status(), "teams": len(live.teams)} for live in list(rt.live.values())]
    forwarder: Forwarder | None = getattr(request.app.state, "forwarder", None)
    if forwarder is not None and not forwarder.asks_own_only(request):
        found += await forwarder.gather_lists(request)
    return sorted(found, key=lambda status: int(status["id"]))


@router.get("/{competition_id}", responses=documented(CompetitionCreated))
def detail(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    return detail_view(rt.get(competition_id))


@router.post("/{competition_id}/start", responses=documented(CompetitionStatus))
async def start(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.start()
    rt.start_bots(live)
    return live.status()


@router.post("/{competition_id}/pause", responses=documented(CompetitionStatus))
async def pause(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.pause()
    return live.status()


@router.post("/{competition_id}/resume", responses=documented(CompetitionStatus))
async def resume(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.resume()
    return live.status()


@router.post("/{competition_id}/next-round", responses=documented(CompetitionStatus))
async def next_round(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.resume(next_round=True)
    return live.status()


@router.post("/{competition_id}/end", responses=documented(CompetitionStatus))
async def end(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.end()
    return live.status()
