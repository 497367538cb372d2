"""Who asks comes from memory: no database read per request, and nothing kept past a logout or removal.

The cache (``server.security.session_cache``) must be invisible except in speed: a session used a moment
ago is not read again, but a logout, a removal and the expiry rules act at once, and an entry
is read again after ``TRUST_SECONDS`` (another worker or program may have changed the row).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.persistence.db.tables import SessionRow
from server.persistence.store import Store
from server.security import session_cache
from server.security.auth import Identity
from server.security.session_cache import SessionCache
from tests.server.helpers import Game, create_competition, join_team

TEAM = "/api/v1/team"
HUMANS = (("Humans", None),)


def _row(token_hash: str, member_id: int | None = None) -> SessionRow:
    return SessionRow(token_hash=token_hash, role="member", member_id=member_id, name="Ann", created_at=0.0)


def test_an_entry_is_trusted_for_a_while_then_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(session_cache.time, "monotonic", lambda: now[0])
    cache = SessionCache(trust_seconds=30.0)
    cache.put(_row("h1", 7), Identity("member", 1, 7))
    now[0] += 29.9
    assert cache.get("h1") is not None
    now[0] += 0.2
    assert cache.get("h1") is None and len(cache) == 0


def test_removing_a_member_forgets_every_session_of_it_and_only_those() -> None:
    cache = SessionCache()
    for key, member in (("a", 1), ("b", 1), ("c", 2)):
        cache.put(_row(key, member), Identity("member", 1, member))
    cache.forget_members([1])
    assert cache.get("a") is None and cache.get("b") is None and cache.get("c") is not None


def test_the_least_recently_used_go_first_when_full() -> None:
    cache = SessionCache(capacity=2)
    cache.put(_row("a", 1), Identity("member", 1, 1))
    cache.put(_row("b", 2), Identity("member", 1, 2))
    assert cache.get("a") is not None  # a is used: b is now the oldest
    cache.put(_row("c", 3), Identity("member", 1, 3))
    assert [k for k in ("a", "b", "c") if cache.get(k) is not None] == ["a", "c"]
    cache.forget_members([2])  # b's index went with it: nothing to forget, no error
    assert len(cache) == 2


def _counting_reads(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real = store.session_row

    def counted(token_hash: str) -> Any:
        reads.append(token_hash)
        return real(token_hash)

    monkeypatch.setattr(store, "session_row", counted)
    return reads


@pytest.fixture
def game(client: TestClient, instructor: dict[str, str]) -> Game:
    return create_competition(client, instructor, teams=HUMANS, seconds_per_hour=3600)


def test_a_session_used_a_moment_ago_is_not_read_from_the_database_again(
    client: TestClient, game: Game, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = join_team(client, game.codes["Humans"], "Ann")
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    runtime.sessions.clear()  # as on a worker that did not take the join
    reads = _counting_reads(runtime.store, monkeypatch)
    for _ in range(5):
        assert client.get(TEAM, headers=member).status_code == 200
    assert len(reads) == 1


def test_a_member_s_first_request_after_joining_reads_no_session(
    client: TestClient, game: Game, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = join_team(client, game.codes["Humans"], "Ann")
    reads = _counting_reads(client.app.state.runtime.store, monkeypatch)  # type: ignore[attr-defined]
    state = client.get(TEAM, headers=member)
    assert state.status_code == 200 and state.json()["member"] == "Ann"
    assert reads == []


def test_a_logout_ends_a_cached_session_at_once(client: TestClient, game: Game) -> None:
    member = join_team(client, game.codes["Humans"], "Ann")
    assert client.get(TEAM, headers=member).status_code == 200  # now in the cache
    assert client.post("/api/v1/session/logout", headers=member).status_code == 204
    assert client.get(TEAM, headers=member).status_code == 401


def test_a_removed_member_s_cached_session_ends_at_once(client: TestClient, game: Game) -> None:
    member = join_team(client, game.codes["Humans"], "Ann")
    assert client.get(TEAM, headers=member).status_code == 200  # now in the cache
    removed = client.delete(game.path("/teams/Humans/members/Ann"), headers=game.instructor)
    assert removed.status_code == 200, removed.text
    assert client.get(TEAM, headers=member).status_code == 401
