"""Public endpoints: no login. Health, presets, and a competition's public board."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from market.presets import preset_data, preset_names
from server.api.deps import runtime
from server.runtime import Runtime

router = APIRouter(prefix="/api/v1", tags=["public"])


@router.get("/health")
def health(request: Request, rt: Runtime = Depends(runtime)) -> dict[str, Any]:
    """Whether the server is well, and whether this worker owns the competitions."""
    damaged = {live.id: live.damaged for live in rt.live.values() if live.damaged}
    leadership = getattr(request.app.state, "leadership", None)
    owner = leadership is None or leadership.leading
    return {"ok": not damaged, "owner": owner, "competitions": len(rt.live), "damaged": damaged}


@router.get("/presets")
def presets() -> list[dict[str, str]]:
    return [{"name": n, "description": str(preset_data(n).get("description", ""))} for n in preset_names()]


@router.get("/competitions/{competition_id}/public")
async def public_board(competition_id: int, rt: Runtime = Depends(runtime)) -> dict[str, Any]:
    """The public leaderboard: what a projector or a phone shows."""
    live = rt.get(competition_id)
    return {**live.status(), "standings": live.standings(public=True)}
