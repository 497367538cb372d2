"""Sessions end: unused for SESSION_IDLE_HOURS, or SESSION_GRACE_HOURS after their competition finished.

Nothing here waits for a clock: a session's last use and a competition's end are moved into
the past in the database, which is what the server reads. An expired session is a 401
``session_expired`` that says why, on REST and on websockets (1008 with the reason); a use
moves the last use on, written at most every 1/24 of the idle limit; ``?token=`` is taken
only by websockets.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.websockets import WebSocketDisconnect

from server.persistence.db.engine import migrate
from server.persistence.db.tables import CompetitionRow, SessionRow
from server.persistence.store import Store
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    insert_old_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
)
from tests.server.hostile_setup import refused

HOUR = 3600.0
TEAM = "/api/v1/team"


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(make_app(sqlite_url, session_idle_hours=12, session_grace_hours=2)) as test_client:
        yield test_client


def _store(client: TestClient) -> Store:
    store: Store = client.app.state.runtime.store  # type: ignore[attr-defined]
    return store


def _sessions(client: TestClient) -> list[SessionRow]:
    with _store(client).session() as s:
        return list(s.exec(sa.select(SessionRow)).scalars())  # type: ignore[call-overload]


def _age_sessions(client: TestClient, seconds: float) -> None:
    """Move every session's last use ``seconds`` into the past."""
    with _store(client).session() as s:
        for row in s.exec(sa.select(SessionRow)).scalars():  # type: ignore[call-overload]
            row.created_at -= seconds
            row.last_seen_at = (row.last_seen_at or row.created_at) - seconds
            s.add(row)
        s.commit()
    _forget_cached(client)


def _forget_cached(client: TestClient) -> None:
    """The rows were changed behind the server's back: drop what it keeps of them in memory.

    (Otherwise the server would see the change within ``server.security.session_cache.TRUST_SECONDS``.)
    """
    client.app.state.runtime.sessions.clear()  # type: ignore[attr-defined]


def _finished_hours_ago(client: TestClient, game: Game, hours: float) -> None:
    with _store(client).session() as s:
        row = s.get(CompetitionRow, game.id)
        assert row is not None and row.state == "finished" and row.finished_at is not None
        row.finished_at -= hours * HOUR
        s.add(row)
        s.commit()
    _forget_cached(client)


@pytest.fixture
def people(client: TestClient) -> tuple[Game, dict[str, Headers]]:
    instructor = login_instructor(client)
    game = create_competition(client, instructor, teams=(("Ant", None),), seconds_per_hour=3600)
    member = join_team(client, game.codes["Ant"], "Ann", "manager")
    judge = login_judge(client, game.judge_code, "Jo")
    return game, {"instructor": instructor, "member": member, "judge": judge}


def test_a_session_unused_for_the_idle_limit_is_a_401_that_says_so(
    client: TestClient, people: tuple[Game, dict[str, Headers]]
) -> None:
    game, who = people
    _age_sessions(client, 11.9 * HOUR)
    assert client.get(TEAM, headers=who["member"]).status_code == 200  # not yet: and now it is used
    _age_sessions(client, 12 * HOUR)
    for role, path in (
        ("member", TEAM),
        ("judge", game.path("/standings")),
        ("instructor", "/api/v1/competitions"),
    ):
        expired = client.get(path, headers=who[role])
        body = refused(expired, 401, "session_expired", "not used for 12 h", "log in")
        assert body["why"] == "idle"  # the pages say it in the reader's language
        whoami = refused(client.get("/api/v1/session", headers=who[role]), 401, "session_expired")
        assert whoami["detail"] == body["detail"]  # it keeps saying so until the next login
    fresh = join_team(client, game.codes["Ant"], "Ann", "manager")  # logging in again is the remedy
    assert client.get(TEAM, headers=fresh).status_code == 200


def test_a_use_moves_the_last_use_on_but_is_stored_only_when_stale(
    client: TestClient, people: tuple[Game, dict[str, Headers]]
) -> None:
    _, who = people
    _age_sessions(client, 10)  # used 10 s ago: fresher than 12 h / 24
    before = {row.token_hash: row.last_seen_at for row in _sessions(client)}
    assert client.get(TEAM, headers=who["member"]).status_code == 200
    assert {row.token_hash: row.last_seen_at for row in _sessions(client)} == before  # no write
    _age_sessions(client, HOUR)  # used an hour ago: stale
    started = time.time()
    assert client.get(TEAM, headers=who["member"]).status_code == 200
    moved = [row for row in _sessions(client) if row.role == "member"]
    assert len(moved) == 1 and moved[0].last_seen_at is not None and moved[0].last_seen_at >= started


def test_judges_and_members_sessions_end_a_grace_period_after_the_competition(
    client: TestClient, people: tuple[Game, dict[str, Headers]]
) -> None:
    game, who = people
    assert client.post(game.path("/end"), headers=who["instructor"]).status_code == 200
    assert client.get(TEAM, headers=who["member"]).status_code == 200  # the debrief: within the grace
    assert client.get(game.path("/standings"), headers=who["judge"]).status_code == 200
    _finished_hours_ago(client, game, 2)
    ended = refused(
        client.get(TEAM, headers=who["member"]), 401, "session_expired", "competition finished", "2 h"
    )
    assert ended["why"] == "finished"
    refused(client.get(game.path("/standings"), headers=who["judge"]), 401, "session_expired", "finished")
    assert client.get(game.path("/standings"), headers=who["instructor"]).status_code == 200  # no competition
    late = client.post("/api/v1/session/judge", json={"code": game.judge_code, "name": "Late"})
    refused(late, 409, "conflict", "finished more than 2 h ago")  # a session born expired is refused


def test_an_expired_session_s_websocket_is_closed_with_the_reason(
    client: TestClient, people: tuple[Game, dict[str, Headers]]
) -> None:
    game, who = people
    with client.websocket_connect("/ws/team", headers=who["member"]) as ws:
        assert ws.receive_json()["type"] == "hello"
    _age_sessions(client, 13 * HOUR)
    for path, role in (
        ("/ws/team", "member"),
        (f"/ws/judge/{game.id}", "judge"),
        (f"/ws/instructor/{game.id}", "instructor"),
    ):
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            client.websocket_connect(path, headers=who[role]) as ws,
        ):
            ws.receive_json()
        assert closed.value.code == 1008 and "session expired" in closed.value.reason, closed.value.reason


def test_a_token_in_the_url_is_taken_by_websockets_only(
    client: TestClient, people: tuple[Game, dict[str, Headers]]
) -> None:
    _, who = people
    token = who["member"]["Authorization"].removeprefix("Bearer ")
    refused(client.get(TEAM, params={"token": token}), 401, "unauthorized", "only by websockets", "Bearer")
    refused(client.get("/api/v1/session", params={"token": token}), 401, "unauthorized")
    refused(client.post("/api/v1/team/campaigns", params={"token": token}, json={}), 401, "unauthorized")
    with client.websocket_connect(f"/ws/team?token={token}") as ws:
        assert ws.receive_json()["type"] == "hello"


def test_long_expired_sessions_are_forgotten_at_start(sqlite_url: str) -> None:
    app = make_app(sqlite_url, session_idle_hours=1)
    with TestClient(app) as client:
        login_instructor(client)
        login_instructor(client)
        _age_sessions(client, HOUR + 8 * 24 * HOUR)  # expired over a week ago
        login_instructor(client)
        assert len(_sessions(client)) == 3
    with TestClient(app) as client:
        assert len(_sessions(client)) == 1


def test_the_upgrade_dates_competitions_that_had_finished(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0005")
    with engine.begin() as connection:
        for number, state in enumerate(("finished", "paused"), 1):
            insert_old_competition(connection, number, state, f"CODE{state.upper()}")
    before = time.time()
    migrate(engine)
    with Session(engine) as s:
        rows = {row.state: row.finished_at for row in s.exec(sa.select(CompetitionRow)).scalars()}  # type: ignore[call-overload]
    assert rows["paused"] is None and rows["finished"] is not None and rows["finished"] >= before - 1
