"""A start that arrives while a draft is being changed waits for the change: what it plays is
what the database holds, so that a recovery replays what was played.

A draft's change (new starting parameters, new teams) is stored in a worker thread; a start
pressed meanwhile used to build the competition from the values in memory before the change
landed there, while the database then held the new ones. Here the store's write is held until
the start has had a full second to go ahead; released, the competition must run with what
the database says, and a recovery of it must agree.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.persistence.store import Store
from tests.server.helpers import create_competition, login_instructor, make_app

HOLD_SECONDS = 1.0


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(make_app(sqlite_url)) as test_client:
        yield test_client


def held(store: Store, name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Hold the store's ``name`` write until released; (it has begun, release it)."""
    begun, release = threading.Event(), threading.Event()
    original: Callable[..., Any] = getattr(store, name)

    def holding(*args: Any, **kwargs: Any) -> Any:
        begun.set()
        assert release.wait(30), "the held write was never released"
        return original(*args, **kwargs)

    monkeypatch.setattr(store, name, holding)
    return begun, release


def race(
    client: TestClient,
    change: Callable[[], Any],
    start: Callable[[], Any],
    begun: threading.Event,
    release: threading.Event,
) -> tuple[Any, Any]:
    """Run ``change``; once its write has begun, ``start``; release the write a second later."""
    results: dict[str, Any] = {}
    changing = threading.Thread(target=lambda: results.__setitem__("change", change()))
    changing.start()
    assert begun.wait(10), "the change never reached the store"
    starting = threading.Thread(target=lambda: results.__setitem__("start", start()))
    starting.start()
    starting.join(HOLD_SECONDS)  # a start that does not wait is done by now
    release.set()
    changing.join(30)
    starting.join(30)
    return results["change"], results["start"]


def test_a_start_waits_for_a_parameter_change_under_way(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    instructor = login_instructor(client)
    game = create_competition(client, instructor, start=False, seconds_per_hour=1000.0)
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    shipped = client.get(game.path("/parameters"), headers=instructor).json()["shortlist_size"]
    begun, release = held(runtime.store, "save_parameters", monkeypatch)

    changed, started = race(
        client,
        lambda: client.post(
            game.path("/parameters"), json={"changes": {"shortlist_size": shipped + 1}}, headers=instructor
        ),
        lambda: client.post(game.path("/start"), headers=instructor),
        begun,
        release,
    )
    assert changed.status_code == 200, changed.text
    assert started.status_code == 200, started.text
    live = runtime.live[game.id]
    stored = runtime.store.competition(game.id)
    assert live.params.shortlist_size == shipped + 1  # it plays the new value …
    assert json.loads(stored.parameters)["shortlist_size"] == shipped + 1  # … which the database holds


def test_a_start_waits_for_a_team_being_registered(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    instructor = login_instructor(client)
    game = create_competition(client, instructor, start=False, seconds_per_hour=1000.0)
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    begun, release = held(runtime.store, "add_teams", monkeypatch)

    added, started = race(
        client,
        lambda: client.post(game.path("/teams"), json={"name": "Latecomers"}, headers=instructor),
        lambda: client.post(game.path("/start"), headers=instructor),
        begun,
        release,
    )
    assert added.status_code == 201, added.text
    assert started.status_code == 200, started.text
    live = runtime.live[game.id]
    stored = {team.name for team in runtime.store.teams(game.id)}
    assert "Latecomers" in stored
    assert {team.name for team in live.teams} == stored
    assert {row["team"] for row in live.standings(public=False)} == stored  # and the game plays them all
