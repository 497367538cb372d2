"""The pages: each URL a person opens, served as a file from ``dashboards`` with a strict policy.

Pages are plain HTML with ES modules; their data comes from the API and the websockets. The
Content-Security-Policy lets a page load and connect only to this server, so no page can
reach any other host (campus networks may be offline, and nothing should leak out).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from dashboards import PAGES_DIR, STATIC_DIR

router = APIRouter(include_in_schema=False)

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _page(name: str) -> FileResponse:
    return FileResponse(PAGES_DIR / f"{name}.html", media_type="text/html; charset=utf-8")


@router.get("/favicon.ico")
async def favicon() -> FileResponse:
    """The icon a browser asks for by itself (every page also links it): no 404 in any console."""
    return FileResponse(
        STATIC_DIR / "favicon.svg", media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
    )


@router.get("/")
async def home() -> FileResponse:
    return _page("home")


@router.get("/board/{competition_id}")
async def board(competition_id: int) -> FileResponse:
    return _page("board")


@router.get("/team")
async def team() -> FileResponse:
    return _page("team")


@router.get("/instructor")
async def instructor() -> FileResponse:
    return _page("instructor")


@router.get("/instructor/{competition_id}")
async def instructor_competition(competition_id: int) -> FileResponse:
    return _page("instructor")


@router.get("/instructor/{competition_id}/codes")
async def join_codes(competition_id: int) -> FileResponse:
    return _page("codes")


@router.get("/judge/{competition_id}")
async def judge(competition_id: int) -> FileResponse:
    return _page("judge")


@router.get("/debrief/{competition_id}")
async def debrief(competition_id: int) -> FileResponse:
    return _page("debrief")


@router.get("/report/{competition_id}/{team_name}")
async def report(competition_id: int, team_name: str) -> FileResponse:
    return _page("report")
