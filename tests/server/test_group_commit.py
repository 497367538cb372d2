"""Group commit: commands that arrive together are committed in one transaction, answered once durable.

Many members sending at once must each get an answer only after their command is in the
database; the commands of a batch are applied in the order of the log, so the stored log,
the log in memory and a replay agree; a batch the database refuses is refused whole and
nothing of it is applied.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.persistence.db.engine import health_of
from server.persistence.store import Store
from tests.server.helpers import Game, create_competition, join_team, login_instructor, make_app

PEOPLE = (("Ant", None), ("Bee", None))
SENDERS = 24


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'batch.db'}")) as client:
        yield client


def _store(client: TestClient) -> Store:
    store: Store = client.app.state.runtime.store  # type: ignore[attr-defined]
    return store


def _members(client: TestClient, game: Game) -> list[dict[str, str]]:
    """The two managers (the apology policy is theirs to set); each sends many commands at once."""
    return [join_team(client, game.codes[team], f"{team}-boss", "manager") for team, _ in PEOPLE]


def _apology(client: TestClient, member: dict[str, str], enabled: bool) -> Any:
    return client.put("/api/v1/team/policies/apology", json={"enabled": enabled}, headers=member)


def _slow_commits(store: Store, committed: set[int], batches: list[int], fail: threading.Event) -> None:
    """Record what each transaction committed (slowly, so that others gather meanwhile); fail on demand."""
    real = store.add_commands
    gate = threading.Event()

    def recording(rows: Any, epoch: int | None = None) -> None:
        gate.wait(0.05)  # a slow disk: the commands arriving meanwhile form the next batch
        if fail.is_set():
            fail.clear()
            raise health_of(store.engine).refuse("server closed the connection unexpectedly")
        real(rows, epoch)
        batches.append(len(rows))
        committed.update(row.seq for row in rows)

    store.add_commands = recording  # type: ignore[method-assign]


def _memory_log(client: TestClient, game: Game) -> list[tuple[int, float, str]]:
    rows = client.get(game.path("/commands"), params={"limit": 10000}, headers=game.instructor).json()
    return [(row["seq"], row["t"], json.dumps(row["command"], sort_keys=True)) for row in rows]


def _stored_log(store: Store, game: Game) -> list[tuple[int, float, str]]:
    rows = store.commands(game.id)
    return [(row.seq, row.t, json.dumps(json.loads(row.payload), sort_keys=True)) for row in rows]


def test_commands_sent_at_once_share_transactions_and_each_is_answered_after_its_commit(
    client: TestClient,
) -> None:
    game = create_competition(client, login_instructor(client), teams=PEOPLE, seconds_per_hour=3600)
    members = _members(client, game)
    store = _store(client)
    committed: set[int] = set()
    batches: list[int] = []
    _slow_commits(store, committed, batches, threading.Event())
    seen_committed: list[bool] = []

    def send(i: int) -> int:
        response = _apology(client, members[i % len(members)], i % 2 == 0)
        assert response.status_code == 200, response.text
        # its command is in the log: every command answered so far was committed before
        log = _memory_log(client, game)
        seen_committed.append(all(seq in committed for seq, _, _ in log))
        return response.status_code

    with ThreadPoolExecutor(SENDERS) as pool:
        assert list(pool.map(send, range(SENDERS))) == [200] * SENDERS
    assert all(seen_committed)
    assert sum(batches) == SENDERS and len(batches) < SENDERS  # some went together
    assert _stored_log(store, game) == _memory_log(client, game)
    assert [seq for seq, _, _ in _memory_log(client, game)] == list(range(SENDERS))


def test_a_refused_batch_is_refused_whole_and_nothing_of_it_is_applied(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=PEOPLE, seconds_per_hour=3600)
    members = _members(client, game)
    store = _store(client)
    committed: set[int] = set()
    batches: list[int] = []
    fail = threading.Event()
    _slow_commits(store, committed, batches, fail)
    fail.set()  # the first transaction is refused
    with ThreadPoolExecutor(SENDERS) as pool:
        statuses = list(
            pool.map(lambda i: _apology(client, members[i % len(members)], True).status_code, range(SENDERS))
        )
    refused = statuses.count(503)
    assert refused >= 1 and statuses.count(200) == SENDERS - refused
    log = _memory_log(client, game)
    assert len(log) == SENDERS - refused  # the refused ones were not applied
    assert _stored_log(store, game) == log  # and none of them is in the database
    assert [seq for seq, _, _ in log] == list(range(len(log)))
