"""Public endpoints: no login. Health, presets, and a competition's public board."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import segno
from fastapi import APIRouter, Depends, Query, Request, Response

from market.parameter_list import parameter_rows
from market.presets import load_preset, preset_data, preset_names
from server.api.answers import documented
from server.api.answers.public import Health, Named, PresetParameter
from server.api.answers.standings import StatusWithStandings
from server.api.deps import runtime
from server.errors import ServerError
from server.live.health import database_state
from server.live.runtime import Runtime
from teams.bots import BOTS

router = APIRouter(prefix="/api/v1", tags=["public"])


@router.get("/health", responses=documented(Health))
def health(request: Request, rt: Runtime = Depends(runtime)) -> dict[str, Any]:
    """Whether the server is well, whether its database takes writes, and, with several workers,
    which competitions this worker runs, whether it is the front (the worker that takes the
    requests naming no competition) and how many requests it has forwarded to each other worker
    and not yet had answered. ``database`` is ``ok``, ``unavailable`` or ``full`` (as the last
    writes found)."""
    damaged = {live.id: live.damaged for live in rt.live.values() if live.damaged}
    leadership = getattr(request.app.state, "leadership", None)
    owner = leadership is None or leadership.leading
    database = database_state(rt)
    forwarder = getattr(request.app.state, "forwarder", None)
    return {
        "ok": not damaged and database == "ok",
        "owner": owner,
        "database": database,
        "competitions": len(rt.live),
        "runs": sorted(rt.live),
        "damaged": damaged,
        "forwarding": forwarder.gate.in_flight() if forwarder is not None else {},
    }


@router.get("/presets", responses=documented(list[Named]))
def presets() -> list[dict[str, str]]:
    return [{"name": n, "description": str(preset_data(n).get("description", ""))} for n in preset_names()]


@router.get("/bots", responses=documented(list[Named]))
def bots() -> list[dict[str, str]]:
    """The house bots a team can be played by, with what each one does."""
    return [
        {"name": name, "description": (cls.__doc__ or name).strip().splitlines()[0]}
        for name, cls in BOTS.items()
    ]


@router.get("/presets/{name}/parameters", responses=documented(list[PresetParameter]))
def preset_parameters(name: str) -> list[dict[str, Any]]:
    """Every parameter of a preset: key (as overrides name it), value, allowed range, unit, meaning."""
    if name not in preset_names():
        raise ServerError(
            "not_found", f"there is no preset {name!r}; choose one of {', '.join(preset_names())}"
        )
    return [dataclasses.asdict(row) for row in parameter_rows(load_preset(name))]


@router.get("/qr.svg", include_in_schema=False)
def qr_code(text: str = Query(..., min_length=1, max_length=300)) -> Response:
    """A QR code (SVG) of ``text``, e.g. a team's join link for a printed card; made here, no CDN."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    return Response(buffer.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


@router.get("/competitions/{competition_id}/public", responses=documented(StatusWithStandings))
async def public_board(competition_id: int, rt: Runtime = Depends(runtime)) -> dict[str, Any]:
    """The public leaderboard: what a projector or a phone shows."""
    live = rt.get(competition_id)
    return {**live.status(), "standings": live.standings(public=True)}
