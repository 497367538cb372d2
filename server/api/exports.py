"""Downloads for the instructor: tables as CSV or XLSX, the grade sheet, the archive; and its import."""

from __future__ import annotations

import asyncio
import tempfile
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from server.api.answers import documented
from server.api.answers.competitions import CompetitionImported
from server.api.deps import instructor, runtime
from server.errors import ServerError
from server.exports.competition import FORMATS, TABLES, archive_of, export_file, import_archive
from server.live import LiveCompetition
from server.live.runtime import Runtime
from server.persistence.archive.contents import MAX_ARCHIVE_BYTES, ArchiveError, write_archive
from server.security.auth import Identity

router = APIRouter(prefix="/api/v1/competitions", tags=["exports"])


def _started(rt: Runtime, competition_id: int) -> LiveCompetition:
    live = rt.get(competition_id)
    live.started("there is nothing to export yet")
    return live


def _download(data: bytes, media_type: str, filename: str) -> Response:
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


FILE = {"type": "string", "contentMediaType": "application/octet-stream"}
EXPORT_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as an attachment.",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            FORMATS["xlsx"]: {"schema": FILE},
            "application/zip": {"schema": FILE},
        },
    }
}


@router.get("/{competition_id}/exports/{filename}", response_class=Response, responses=EXPORT_FILES)
async def export(
    competition_id: int, filename: str, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> Response:
    """``standings``, ``rounds``, ``rubric``, ``events`` (long format) or ``grades`` as ``.csv`` or
    ``.xlsx``; ``all.xlsx`` is every table in one workbook; ``archive.zip`` the whole competition."""
    live = _started(rt, competition_id)
    name, _dot, fmt = filename.partition(".")
    prefix = f"salesfloor-{competition_id}"
    if filename == "archive.zip":
        # built in a thread under the competition's lock: one consistent moment, the loop stays free
        async with live.lock:
            data = await asyncio.to_thread(lambda: write_archive(archive_of(live)))
        return _download(data, "application/zip", f"{prefix}-archive.zip")
    if (name not in TABLES and name != "all") or fmt not in FORMATS:
        choices = ", ".join(f"{t}.csv" for t in TABLES)
        raise ServerError(
            "not_found",
            f"there is no export {filename!r}; choose {choices}, the same as .xlsx, all.xlsx or archive.zip",
        )
    try:
        async with live.lock:
            data = await asyncio.to_thread(export_file, live, name, fmt)
    except ValueError as exc:
        raise ServerError("not_found", str(exc)) from None
    return _download(data, FORMATS[fmt], f"{prefix}-{name}.{fmt}")


SPOOL_BYTES = 8 * 2**20
"""An upload is held in memory up to this size, and beyond it in a temporary file."""
ARCHIVE_BODY = {
    "required": True,
    "content": {
        "application/zip": {
            "schema": {
                "type": "string",
                "contentMediaType": "application/octet-stream",
                "description": "an archive.zip from any Salesfloor server",
            }
        }
    },
}


@router.post(
    "/import",
    status_code=201,
    openapi_extra={"requestBody": ARCHIVE_BODY},
    responses=documented(CompetitionImported, 201),
)
async def import_competition(
    request: Request, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, object]:
    """Import an archive: it is replayed and checked against its digest before anything is stored.

    The body is read only once the instructor's session is checked, and as a stream: past
    ``SPOOL_BYTES`` it waits in a temporary file, past ``MAX_ARCHIVE_BYTES`` it is refused."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as upload:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_ARCHIVE_BYTES:
                raise ServerError("too_large", f"the archive is larger than {MAX_ARCHIVE_BYTES // 2**20} MiB")
            upload.write(chunk)
        upload.seek(0)
        try:
            live = await import_archive(rt, upload)
        except ArchiveError as exc:
            raise ServerError("invalid", f"archive refused: {exc}") from None
    await asyncio.sleep(0)
    return {
        **live.status(),
        "judge_code": live.judge_code,
        "teams": [{"name": t.name, "join_code": t.join_code, "bot": t.bot} for t in live.teams],
        "digest": live.digest(),
        "events": live.event_count,
        "damaged": live.damaged,
    }
