"""The console's state refresh, answered before FastAPI's routing, answers as the route does.

Every situation a ``GET /api/v1/team/state`` can meet — a member of a started competition,
each role, by bearer or by cookie; a member before the start, the instructor, a judge, no
session, an unknown token, an empty one, a removed member, an expired session, a method the
route does not take — is asked
twice: through the app as it runs (``server.api.http.team_state_path`` first) and through the
app with that path turned off (the route alone). Status, headers and body must be the same,
and the path must have answered exactly the situations it is for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

import server.api.http.team_state_path as team_state_path
from server.persistence.db.tables import SessionRow
from server.security.auth import COOKIE
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    pause,
)

STATE = "/api/v1/team/state"
IGNORED = {"date", "server"}


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(make_app(sqlite_url, session_idle_hours=12)) as test_client:
        yield test_client


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the path answered each request itself (True) or passed it on (False)."""
    calls: list[bool] = []
    original = team_state_path.TeamStatePath._answer

    async def spying(self: team_state_path.TeamStatePath, scope: Any) -> bytes | None:
        body = await original(self, scope)
        calls.append(body is not None)
        return body

    monkeypatch.setattr(team_state_path.TeamStatePath, "_answer", spying)
    return calls


def both_ways(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, headers: Headers | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """Ask through the path, then through the route alone; assert the answers are the same."""
    through_path = client.request(method, STATE, headers=headers)
    with monkeypatch.context() as patch:
        patch.setattr(team_state_path, "PATH", "/nowhere")  # the path passes everything on
        through_route = client.request(method, STATE, headers=headers)
    first = {k: v for k, v in through_path.headers.items() if k not in IGNORED}
    second = {k: v for k, v in through_route.headers.items() if k not in IGNORED}
    assert (through_path.status_code, first) == (through_route.status_code, second)
    assert through_path.content == through_route.content
    return through_path.status_code, first, through_path.content


def _expire_sessions(client: TestClient) -> None:
    store = client.app.state.runtime.store  # type: ignore[attr-defined]
    with Session(store.engine) as s:
        for row in s.exec(sa.select(SessionRow)).scalars():  # type: ignore[call-overload]
            row.last_seen_at = (row.last_seen_at or row.created_at) - 13 * 3600.0
            row.created_at -= 13 * 3600.0
            s.add(row)
        s.commit()
    client.app.state.runtime.sessions.clear()  # type: ignore[attr-defined]


def test_a_members_refresh_is_answered_by_the_path_with_the_routes_bytes(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, answered: list[bool]
) -> None:
    instructor = login_instructor(client)
    game = create_competition(client, instructor, seconds_per_hour=1000.0, rounds=3)
    pause(client, game)  # the clock stands: both answers show the same moment
    members = {
        role: join_team(client, game.codes["Humans"], f"M-{role}", role)
        for role in ("manager", "sales", "service", "finance")
    }
    for role, headers in members.items():
        client.get(STATE, headers=headers)  # the first refresh reads the session: the app answers it
        answered.clear()
        status, headers_out, body = both_ways(client, monkeypatch, headers)
        assert status == 200 and headers_out["content-type"] == "application/json", role
        assert b'"desk"' in body
        assert answered == [True], role  # the path answered (turned off, it was not asked)

    # the cookie the browser sends works like the bearer header
    token = members["manager"]["Authorization"].split()[1]
    client.cookies.set(COOKIE, token)
    answered.clear()
    assert both_ways(client, monkeypatch)[0] == 200 and answered[0]
    client.cookies.clear()


def _refusals(client: TestClient, game: Game, waiting: Game) -> dict[str, Headers | None]:
    return {
        "no session": None,
        "an unknown token": {"Authorization": "Bearer not-a-token"},
        "an empty bearer": {"Authorization": "Bearer "},
        "the instructor": game.instructor,
        "a judge": login_judge(client, game.judge_code),
        "a member before the start": join_team(client, waiting.codes["Humans"], "Early", "manager"),
    }


def test_every_refusal_is_the_routes_own(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, answered: list[bool]
) -> None:
    instructor = login_instructor(client)
    game = create_competition(client, instructor, seconds_per_hour=1000.0, rounds=3)
    pause(client, game)
    waiting = create_competition(client, instructor, seconds_per_hour=1000.0, rounds=3, start=False)
    for what, headers in _refusals(client, game, waiting).items():
        client.get(STATE, headers=headers)  # a known session is in the cache from here on
        answered.clear()
        status, _, body = both_ways(client, monkeypatch, headers)
        assert status in (401, 403, 409), (what, status, body)
        assert b'"code"' in body and b'"detail"' in body, what
        assert not any(answered), what

    # a method the route does not take
    status, _, _ = both_ways(client, monkeypatch, join_team(client, game.codes["Humans"], "Post"), "POST")
    assert status == 405

    # a removed member, then an expired session: the route's 401s, word for word
    member = join_team(client, game.codes["Humans"], "Mallory", "sales")
    client.get(STATE, headers=member)
    removed = client.delete(game.path("/teams/Humans/members/Mallory"), headers=instructor)
    assert removed.status_code == 200, removed.text
    answered.clear()
    assert both_ways(client, monkeypatch, member)[0] == 401 and not any(answered)

    kept = join_team(client, game.codes["Humans"], "Kim", "service")
    assert both_ways(client, monkeypatch, kept)[0] == 200
    _expire_sessions(client)
    answered.clear()
    status, _, body = both_ways(client, monkeypatch, kept)
    assert status == 401 and b"session_expired" in body and not any(answered)
