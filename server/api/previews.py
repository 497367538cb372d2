"""Previews for the instructor: how the reference bots would fare with these parameters."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import Field

from server.api.answers import documented
from server.api.answers.public import Preview
from server.api.bodies import StrictBody
from server.api.deps import instructor, runtime
from server.errors import ServerError
from server.live.competition_setup import parameters_of
from server.live.runtime import Runtime
from server.security.auth import Identity

router = APIRouter(prefix="/api/v1/previews", tags=["instructor"])


class PreviewIn(StrictBody):
    preset: str = "classroom"
    overrides: dict[str, Any] = Field(default_factory=dict, description="e.g. {'segments.smb.share': 0.5}")
    mode: Literal["shared", "mirrored"] | None = None
    rounds: int | None = Field(None, ge=1, le=20, description="default: the preset's (at most 20)")
    seeds: int = Field(3, ge=1, le=10, description="seasons to play, one per seed")
    seed: int = Field(1, ge=0, le=2**31, description="the first seed")


@router.post("", status_code=202, responses=documented(Preview, 202))
async def start_preview(
    body: PreviewIn, rt: Runtime = Depends(runtime), who: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Start playing the seasons in a worker process; poll ``GET /previews/{id}`` for progress.

    At most ``PREVIEWS_PER_INSTRUCTOR`` previews of one instructor and ``PREVIEWS_IN_ALL`` of all
    wait or play at once; beyond, a 429 with ``Retry-After``.
    """
    params = parameters_of(body.preset, body.overrides, body.mode)
    rounds = min(body.rounds or params.rounds, 20)
    seeds = tuple(range(body.seed, body.seed + body.seeds))
    preview = rt.previews.start(who.member or "instructor", params, seeds, rounds)
    return preview.view()


@router.get("/{preview_id}", responses=documented(Preview))
async def preview(
    preview_id: str, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Progress (0–1), then each reference bot's mean scores over the seasons."""
    found = rt.previews.get(preview_id)
    if found is None:
        raise ServerError("not_found", f"there is no preview {preview_id!r}; start one with POST /previews")
    return found.view()
