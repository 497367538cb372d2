"""Registering the teams of a competition before its start: one at a time, or a CSV of them."""

from __future__ import annotations

import asyncio
import csv
from typing import Any

from fastapi import APIRouter, Body, Depends
from pydantic import Field, ValidationError

from server.api.answers import documented
from server.api.answers.competitions import TeamJoinCode
from server.api.bodies import StrictBody
from server.api.deps import instructor, runtime
from server.errors import ServerError
from server.input.competition_sizes import MAX_TEAMS
from server.input.text_rules import Name
from server.live.competition_setup import HOUSE_BOTS, register_teams
from server.live.runtime import Runtime
from server.security.auth import Identity

router = APIRouter(prefix="/api/v1/competitions", tags=["instructor"])


class TeamIn(StrictBody):
    name: Name = Field(min_length=1, max_length=40)
    bot: str | None = Field(
        None,
        description="a house bot plays this team: " + ", ".join(HOUSE_BOTS) + ", or strategy:LEVER=VALUE;…",
    )


async def _register(
    rt: Runtime, competition_id: int, entries: list[tuple[str, str | None]]
) -> list[dict[str, Any]]:
    """Register under the competition's lock: a start waits, and never misses a team it stored."""
    live = rt.get(competition_id)
    async with live.lock:
        return await asyncio.to_thread(register_teams, rt, live, entries)


@router.post("/{competition_id}/teams", status_code=201, responses=documented(TeamJoinCode, 201))
async def add_team(
    competition_id: int, body: TeamIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    return (await _register(rt, competition_id, [(body.name, body.bot)]))[0]


@router.post("/{competition_id}/teams/bulk", status_code=201, responses=documented(list[TeamJoinCode], 201))
async def add_teams_csv(
    competition_id: int,
    csv_text: str = Body(..., media_type="text/csv", description="one team per line: name[,bot]"),
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(instructor),
) -> list[dict[str, Any]]:
    entries: list[TeamIn] = []
    # any line break ends a line (a lone \r too, which the csv module refuses mid-line); read as
    # a stream that stops past MAX_TEAMS, so a long file costs no more than a full class
    records = csv.reader(csv_text.splitlines())
    try:
        for number, record in enumerate(records, start=1):
            if not record or not any(cell.strip() for cell in record):
                continue
            if number == 1 and record[0].strip().lower() == "name":
                continue  # a header row
            if len(record) > 2:
                raise ServerError(
                    "invalid", f"line {number}: write name or name,bot — got {len(record)} columns"
                )
            bot = record[1].strip() if len(record) == 2 and record[1].strip() else None
            try:
                entries.append(TeamIn(name=record[0], bot=bot))
            except ValidationError as exc:
                error = exc.errors()[0]
                problem = (
                    error["msg"]
                    if error["type"] == "name_character"
                    else "a team name has 1 to 40 characters"
                )
                raise ServerError("invalid", f"line {number}: team name: {problem}") from None
            if len(entries) > MAX_TEAMS:
                raise ServerError(
                    "invalid",
                    f"line {number}: a competition has at most {MAX_TEAMS} teams; the CSV names more",
                )
    except csv.Error as exc:
        reason = f"the CSV cannot be read ({exc}); write one team per line: name[,bot]"
        raise ServerError("invalid", reason) from None
    if not entries:
        raise ServerError("invalid", "the CSV names no team; write one team per line: name[,bot]")
    return await _register(rt, competition_id, [(e.name, e.bot) for e in entries])
