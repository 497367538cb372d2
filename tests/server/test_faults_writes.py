"""Writes the database refuses end in a clean state: refused and not applied, or retried until stored.

The store of an in-process app is made to fail the way a lost connection does — before its
commit, or after a commit that went through but whose answer was lost — and the server must
then keep memory and database equal: a refused command is not applied and, if it reached the
log anyway, is removed before anything else is written; events are written again without
duplicates; a round's end and a refused pause leave the stored clock as memory has it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.errors import ServerError
from server.persistence.db.engine import health_of
from server.persistence.db.health import SETTLE_SECONDS, DatabaseHealth
from server.persistence.store import Store
from tests.server.helpers import Game, create_competition, join_team, login_instructor, make_app, wait_for

PEOPLE_ONLY = (("Humans", None), ("Others", None))
LOST = "server closed the connection unexpectedly"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'writes.db'}")) as client:
        yield client


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.runtime.store  # type: ignore[attr-defined]
    return store


def failing(store: Store, name: str, after_commit: bool, times: int | None = None) -> Callable[[], None]:
    """Make ``store.<name>`` fail like a lost connection (``times`` times, or until restored)."""
    real = getattr(store, name)
    left = [times]

    def broken(*args: Any, **kwargs: Any) -> Any:
        if left[0] is not None:
            if left[0] <= 0:
                return real(*args, **kwargs)
            left[0] -= 1
        if after_commit:
            real(*args, **kwargs)
        raise health_of(store.engine).refuse(LOST)

    setattr(store, name, broken)
    return lambda: setattr(store, name, real)


def apology(client: TestClient, member: dict[str, str], enabled: bool) -> Any:
    return client.put("/api/v1/team/policies/apology", json={"enabled": enabled}, headers=member)


def memory_log(client: TestClient, game: Game) -> list[tuple[float, str]]:
    rows = client.get(game.path("/commands"), params={"limit": 10000}, headers=game.instructor).json()
    return [(row["t"], row["command"]["kind"]) for row in rows]


def stored_log(store: Store, game: Game) -> list[tuple[float, str]]:
    return [(row.t, json.loads(row.payload)["kind"]) for row in store.command_log(game.id)]


def test_a_refused_command_that_reached_the_log_is_removed(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=PEOPLE_ONLY)
    member = join_team(client, game.codes["Humans"], "Kim")
    assert apology(client, member, True).status_code == 200
    store = store_of(client)
    restore = failing(store, "add_commands", after_commit=True, times=1)
    before = memory_log(client, game)
    refused = apology(client, member, False)
    assert refused.status_code == 503, refused.text
    assert refused.json()["code"] == "unavailable"
    assert "database is unavailable" in refused.json()["detail"]
    assert memory_log(client, game) == before  # not applied
    restore()
    assert apology(client, member, True).status_code == 200
    assert stored_log(store, game) == memory_log(client, game)  # the stray row is gone, no duplicate seq
    assert len(memory_log(client, game)) == len(before) + 1


def test_events_whose_write_went_through_unseen_are_written_again_once(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=PEOPLE_ONLY)
    member = join_team(client, game.codes["Humans"], "Kim")
    store = store_of(client)
    failing(store, "write_behind", after_commit=True, times=1)
    for flip in (True, False, True):
        assert apology(client, member, flip).status_code == 200
    client.post(game.path("/pause"), headers=game.instructor)
    events = client.get(game.path("/events"), params={"limit": 5000}, headers=game.instructor).json()

    wait_for(lambda: len(store.event_payloads(game.id)) == len(events), what="the write-behind to catch up")
    assert [json.loads(p) for p in store.event_payloads(game.id)] == events


def test_a_round_end_during_an_outage_is_stored_once_the_database_is_back(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=PEOPLE_ONLY, seconds_per_hour=0.01)
    store = store_of(client)
    restore = failing(store, "save_clock", after_commit=False)

    def detail() -> dict[str, Any]:
        out: dict[str, Any] = client.get(game.path(), headers=game.instructor).json()
        return out

    wait_for(lambda: detail()["between_rounds"], what="the first round's end")
    row = store.competition(game.id)
    assert row is not None and row.state == "running"  # the database missed it so far
    restore()

    def stored_pause() -> bool:
        row = store.competition(game.id)
        return row is not None and row.state == "paused" and row.resumed_at is None

    wait_for(stored_pause, what="the round's end to be stored")
    row = store.competition(game.id)
    assert row is not None and row.sim_t == detail()["t_sim"] == 40.0  # the first round's end


def test_a_pause_the_database_refuses_is_not_applied(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=PEOPLE_ONLY, seconds_per_hour=1.0)
    store = store_of(client)
    restore = failing(store, "save_clock", after_commit=True, times=1)
    refused = client.post(game.path("/pause"), headers=game.instructor)
    assert refused.status_code == 503, refused.text
    assert client.get(game.path(), headers=game.instructor).json()["state"] == "running"
    restore()
    # the refused change may have been stored: the next tick writes memory's state back

    def stored_running() -> bool:
        row = store.competition(game.id)
        return row is not None and row.state == "running"

    wait_for(stored_running, what="the clock as memory has it")
    assert client.post(game.path("/pause"), headers=game.instructor).status_code == 200
    row = store.competition(game.id)
    assert row is not None and row.state == "paused"


def test_an_outage_logs_one_line_going_and_one_coming_back(caplog: pytest.LogCaptureFixture) -> None:
    now = [100.0]
    health = DatabaseHealth(monotonic=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="salesfloor.database"):
        for _ in range(50):
            refusal = health.refuse("connection refused")
            now[0] += 0.05
        assert isinstance(refusal, ServerError) and refusal.status == 503
        health.recovered()  # too soon after the last failure: a flapping database
        assert health.down
        now[0] += SETTLE_SECONDS
        health.recovered()
        health.recovered()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2, lines
    assert lines[0].startswith("database unavailable: connection refused")
    assert lines[1].startswith("database back after") and "50 operations were refused" in lines[1]
    assert not health.down


def test_a_full_disk_is_told_apart() -> None:
    health = DatabaseHealth()
    reason = health.refuse("database or disk is full").reason
    assert reason.startswith("the database is full (database or disk is full)") and "try again" in reason
