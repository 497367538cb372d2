"""Every view, export, archive and channel of a competition still answers: what no text sent to the
server may ever break (issue 11.1). The GET routes come from the app's own route table, so a new
view is checked without being listed here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from server.exports.competition import FORMATS, TABLES
from tests.server.helpers import Game, Headers, receive_json

EXPORTS = (*(f"{table}.{fmt}" for table in TABLES for fmt in FORMATS), "all.xlsx", "archive.zip")
PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def _fill(path: str, game: Game, team: str) -> str | None:
    """The path with real values for its parameters, or None if one is unknown here."""
    values = {"competition_id": str(game.id), "team": team, "team_name": team, "metric": "conversion"}
    values["name"] = "classroom"  # /presets/{name}/parameters
    missing = [name for name in PARAMETER.findall(path) if name not in values]
    if missing:
        return None
    return PARAMETER.sub(lambda m: values[m.group(1)], path)


def _json_views(client: TestClient, game: Game, member: Headers, team: str) -> list[str]:
    """Every GET route of the API answered below 500 (the failures, as lines)."""
    failures = []
    for path, operations in client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        if "get" not in operations or "{filename}" in path:
            continue
        url = _fill(path, game, team)
        if url is None:
            continue
        who = member if path.startswith("/api/v1/team") else game.instructor
        params = {"limit": 5000} if path.endswith("/events") else {}
        response = client.get(url, headers=who, params=params)
        if response.status_code >= 500:
            failures.append(f"GET {url}: {response.status_code} {response.text[:200]}")
        elif response.headers.get("content-type", "").startswith("application/json"):
            json.loads(response.content.decode("utf-8"))  # strict UTF-8 and valid JSON
    return failures


def _exports(client: TestClient, game: Game) -> tuple[list[str], bytes]:
    failures, archive = [], b""
    for filename in EXPORTS:
        response = client.get(game.path(f"/exports/{filename}"), headers=game.instructor)
        if response.status_code != 200:
            failures.append(f"export {filename}: {response.status_code} {response.text[:200]}")
        elif filename.endswith(".csv"):
            response.content.decode("utf-8")  # strict UTF-8
        if filename == "archive.zip":
            archive = response.content
    return failures, archive


def _channels(client: TestClient, game: Game, member: Headers) -> None:
    """The team, instructor and public channels greet, and replay what they carried (``?after=0``)."""
    member_token = member["Authorization"].removeprefix("Bearer ")
    instructor_token = game.instructor["Authorization"].removeprefix("Bearer ")
    for url in (
        f"/ws/team?token={member_token}",
        f"/ws/instructor/{game.id}?token={instructor_token}",
        f"/ws/public/{game.id}",
    ):
        with client.websocket_connect(url) as ws:
            last = receive_json(ws)["seq"]
        if last > 0:
            with client.websocket_connect(url + ("&" if "?" in url else "?") + "after=0") as ws:
                receive_json(ws)


def every_view_works(client: TestClient, game: Game, member: Headers, team: str) -> dict[str, Any]:
    """Assert that every view, export and channel answers and that the archive imports again;
    the competition's detail (as the instructor sees it)."""
    failures = _json_views(client, game, member, team)
    export_failures, archive = _exports(client, game)
    failures += export_failures
    assert not failures, "\n".join(failures)
    _channels(client, game, member)
    detail: dict[str, Any] = client.get(game.path(), headers=game.instructor).json()
    imported = client.post(
        "/api/v1/competitions/import",
        content=archive,
        headers={**game.instructor, "Content-Type": "application/zip"},
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["digest"] == detail["digest"]
    return detail
