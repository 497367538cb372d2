"""Helpers for the live server's tests: apps, logins, competitions, polling, websockets.

Logins return bearer headers and clear the client's cookie jar, so a request carries exactly
the identity the test gives it.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, inspect, text

from server.app import create_app
from server.settings import Settings

PASSWORD = "pw"
PG_ADMIN_URL = os.environ.get("SALESFLOOR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
HOUSE_TEAMS: tuple[tuple[str, str | None], ...] = (
    ("Alpha", "balanced"),
    ("Beta", "balanced"),
    ("Humans", None),
)

Headers = dict[str, str]
T = TypeVar("T")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# --- databases -------------------------------------------------------------------------------------


def postgres_database() -> Iterator[str]:
    """A fresh database sf_<hex> on the local PostgreSQL, dropped afterwards."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:
        reason = f"PostgreSQL at {PG_ADMIN_URL} cannot be reached: {exc}"
        if in_ci():
            pytest.fail(f"{reason} (CI is set: the PostgreSQL tests must run, not skip)")
        print(reason)
        pytest.skip(reason)
    name = f"sf_{secrets.token_hex(6)}"
    admin.execute(f"CREATE DATABASE {name}")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def table_rows(engine: Engine, leave_out: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the migrations' and ``leave_out``), in a stable order: to
    compare the whole database before and after."""
    skipped = {"alembic_version", *leave_out}
    tables = sorted(t for t in inspect(engine).get_table_names() if t not in skipped)
    with engine.connect() as connection:
        rows = {t: list(map(tuple, connection.execute(text(f"SELECT * FROM {t}")))) for t in tables}
    return {t: sorted(found, key=repr) for t, found in rows.items()}


# --- apps and clients ------------------------------------------------------------------------------


def make_app(database_url: str, **settings: Any) -> FastAPI:
    """An app on ``database_url`` with a known password, a fast tick and no practical rate limit."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "instructor_password": PASSWORD,
        "tick_seconds": 0.05,
        "commands_per_minute": 100_000,
        "broadcast_url": None,
        "secret": None,
        **settings,
    }
    return create_app(Settings(**values))


# --- identities ------------------------------------------------------------------------------------


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


def _login(client: TestClient, path: str, body: dict[str, Any]) -> Headers:
    response = client.post(path, json=body)
    client.cookies.clear()  # the next request carries only the identity it is given
    assert response.status_code == 200, response.text
    token = response.json()["token"]
    assert token
    return bearer(token)


def login_instructor(client: TestClient, password: str = PASSWORD) -> Headers:
    return _login(client, "/api/v1/session/instructor", {"password": password})


def login_judge(client: TestClient, code: str, name: str | None = None) -> Headers:
    return _login(client, "/api/v1/session/judge", {"code": code} | ({"name": name} if name else {}))


def join_team(client: TestClient, code: str, name: str, role: str = "manager") -> Headers:
    return _login(client, "/api/v1/session/join", {"code": code, "name": name, "role": role})


# --- competitions ----------------------------------------------------------------------------------


@dataclass
class Game:
    """A competition made through the API, with what the tests need to act in it."""

    id: int
    judge_code: str
    codes: dict[str, str]
    instructor: Headers
    detail: dict[str, Any] = field(default_factory=dict)

    def path(self, suffix: str = "") -> str:
        return f"/api/v1/competitions/{self.id}{suffix}"


def create_competition(
    client: TestClient,
    instructor: Headers,
    *,
    teams: tuple[tuple[str, str | None], ...] = HOUSE_TEAMS,
    name: str = "Test cup",
    seconds_per_hour: float = 0.1,
    rounds: int = 20,
    seed: int = 20240501,
    preset: str = "classroom",
    overrides: dict[str, Any] | None = None,
    start: bool = True,
) -> Game:
    """A competition with ``teams`` (name, bot or None) registered and, by default, started."""
    body = {
        "name": name,
        "preset": preset,
        "seed": seed,
        "rounds": rounds,
        "seconds_per_hour": seconds_per_hour,
        "overrides": overrides or {},
    }
    response = client.post("/api/v1/competitions", json=body, headers=instructor)
    assert response.status_code == 201, response.text
    detail = response.json()
    game = Game(id=detail["id"], judge_code=detail["judge_code"], codes={}, instructor=instructor)
    for team, bot in teams:
        response = client.post(game.path("/teams"), json={"name": team, "bot": bot}, headers=instructor)
        assert response.status_code == 201, response.text
        game.codes[team] = response.json()["join_code"]
    if start:
        response = client.post(game.path("/start"), headers=instructor)
        assert response.status_code == 200, response.text
        assert response.json()["state"] == "running"
    game.detail = client.get(game.path(), headers=instructor).json()
    return game


def status(client: TestClient, game: Game) -> dict[str, Any]:
    response = client.get(game.path(), headers=game.instructor)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def pause(client: TestClient, game: Game) -> None:
    """Stop the clock, whether it runs or a round's end has stopped it already."""
    response = client.post(game.path("/pause"), headers=game.instructor)
    assert response.status_code in (200, 409), response.text
    assert status(client, game)["state"] == "paused"


def keep_running(client: TestClient, game: Game) -> None:
    """Start the next round if a round's end has paused the competition."""
    state = status(client, game)
    if state["state"] == "paused" and state["between_rounds"]:
        response = client.post(game.path("/next-round"), headers=game.instructor)
        assert response.status_code in (200, 409), response.text


def wait_for(
    condition: Callable[[], T], timeout: float = 10.0, interval: float = 0.05, what: str = "the condition"
) -> T:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def play_until(
    client: TestClient,
    game: Game,
    condition: Callable[[], T],
    timeout: float = 15.0,
    what: str = "the condition",
) -> T:
    """Like :func:`wait_for`, starting each next round as the previous one ends."""

    def check() -> T:
        value = condition()
        if not value:
            keep_running(client, game)
        return value

    return wait_for(check, timeout=timeout, what=what)


SEGMENTS = ("key_accounts", "smb", "price_shoppers")


def quote_by_policy(
    client: TestClient, member: Headers, discount: float = 0.05, segments: tuple[str, ...] = SEGMENTS
) -> None:
    """Let the member's team answer every inquiry of ``segments`` by itself (a quote policy)."""
    body = {"discount": discount, "terms_days": 5, "delivery_days": 3, "delay_hours": 0.2}
    for segment in segments:
        response = client.put(f"/api/v1/team/policies/quotes/{segment}", json=body, headers=member)
        assert response.status_code == 200, response.text


def team_state(client: TestClient, member: Headers) -> dict[str, Any]:
    response = client.get("/api/v1/team/state", headers=member)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def in_loop(client: TestClient, function: Callable[[], T]) -> T:
    """Run ``function`` on the app's event loop (reads of live state without racing the tick)."""
    portal = client.portal
    assert portal is not None, "use the client as a context manager"
    return portal.call(function)


# --- websockets -----------------------------------------------------------------------------------


def receive_json(ws: Any, timeout: float = 5.0) -> dict[str, Any]:
    """The next websocket message, failing after ``timeout`` seconds instead of hanging."""
    message = poll_json(ws, timeout)
    if message is None:
        pytest.fail(f"no websocket message within {timeout} s")
    return message


def poll_json(ws: Any, timeout: float) -> dict[str, Any] | None:
    """The next websocket message, or None if none comes within ``timeout`` seconds."""

    async def next_message() -> Any:
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()

    try:
        message = ws.portal.call(next_message)
    except TimeoutError:
        return None
    ws._raise_on_close(message)
    result: dict[str, Any] = json.loads(message["text"])
    return result


# --- databases as older servers left them ---------------------------------------------------------


def insert_old_competition(
    connection: Connection, competition_id: int = 1, state: str = "draft", judge_code: str = "J"
) -> None:
    """A competition row written straight to the table, as a test of a migration needs one before
    the upgrade (only the columns every revision has)."""
    connection.execute(
        text(
            "INSERT INTO competitions (id, name, preset, parameters, seed, rounds, seconds_per_hour, "
            "state, sim_t, judge_code, created_at) "
            "VALUES (:id, :state, 'classroom', '{}', 1, 1, 1, :state, 0, :code, 0)"
        ),
        {"id": competition_id, "state": state, "code": judge_code},
    )
