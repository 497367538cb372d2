"""Who asks comes from memory: no database read per request, and nothing kept past a logout or removal.

The cache (``server.security.session_cache``) must be invisible except in speed: a session used a moment
ago is not read again, but a logout, a removal and the expiry rules act at once, and an entry
is read again after ``TRUST_SECONDS`` (another worker or program may have changed the row).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.live.session_renewal import SessionRenewal, read_sessions
from server.persistence.db.tables import SessionRow
from server.persistence.store import Store
from server.security import session_cache
from server.security.auth import Identity, token_hash
from server.security.session_cache import SessionCache
from tests.server.helpers import Game, create_competition, join_team, login_instructor, make_app

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
    """The token hashes read from the database from now on (one list entry per session asked for)."""
    reads: list[str] = []
    real = store.sessions_with_members

    def counted(token_hashes: Sequence[str]) -> Any:
        reads.extend(token_hashes)
        return real(token_hashes)

    monkeypatch.setattr(store, "sessions_with_members", counted)
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


# --- renewing in the background ------------------------------------------------------------------------
# A member who keeps sending never waits for the read that keeps their session fresh: after two thirds
# of the trust the entry is read again in the background (server.live.session_renewal), and what that
# read brings back never undoes a logout or a removal made while it was on its way.


def test_an_entry_is_claimed_for_renewal_once_after_two_thirds_of_its_trust(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [100.0]
    monkeypatch.setattr(session_cache.time, "monotonic", lambda: now[0])
    cache = SessionCache(trust_seconds=30.0)
    cache.put(_row("h1", 7), Identity("member", 1, 7))
    known = cache.get("h1")
    assert known is not None
    now[0] += 19.9
    assert not cache.claim_renewal(known)
    now[0] += 0.2
    assert cache.claim_renewal(known)
    assert not cache.claim_renewal(known)  # one read on its way is enough
    assert cache.get("h1") is known  # and the copy is still served meanwhile


def test_a_renewal_replaces_the_entry_and_keeps_the_later_last_use() -> None:
    cache = SessionCache()
    cache.put(_row("h1", 7), Identity("member", 1, 7))
    was = cache.get("h1")
    assert was is not None
    cache.touched("h1", 500.0)  # stored while the read was on its way
    read = _row("h1", 7)
    read.last_seen_at = 400.0
    cache.renewed("h1", was, (read, Identity("member", 1, 7, 3, "Humans", "Ann", "manager")))
    now = cache.get("h1")
    assert now is not None and now is not was and not now.renewing
    assert now.identity.team == "Humans" and now.row.last_seen_at == 500.0


def test_a_renewal_forgets_a_session_gone_from_the_database() -> None:
    cache = SessionCache()
    cache.put(_row("h1", 7), Identity("member", 1, 7))
    was = cache.get("h1")
    assert was is not None
    cache.renewed("h1", was, None)
    assert cache.get("h1") is None and len(cache) == 0


def test_a_renewal_never_brings_back_an_entry_forgotten_or_replaced_meanwhile() -> None:
    cache = SessionCache()
    cache.put(_row("out", 1), Identity("member", 1, 1))
    cache.put(_row("new", 2), Identity("member", 1, 2))
    logged_out, replaced = cache.get("out"), cache.get("new")
    assert logged_out is not None and replaced is not None
    cache.forget("out")  # a logout
    cache.put(_row("new", 2), Identity("member", 1, 2, 9, "Later", "Bo", "sales"))  # read anew
    cache.renewed("out", logged_out, (_row("out", 1), Identity("member", 1, 1)))
    cache.renewed("new", replaced, (_row("new", 2), Identity("member", 1, 2, 3, "Old", "Bo", "manager")))
    assert cache.get("out") is None
    latest = cache.get("new")
    assert latest is not None and latest.identity.team == "Later"


def test_a_logout_during_a_background_read_is_not_undone_by_it() -> None:
    cache = SessionCache(trust_seconds=30.0)
    cache.put(_row("h1", 7), Identity("member", 1, 7))
    cache.put(_row("h2", 8), Identity("member", 1, 8))
    asked: list[list[str]] = []
    release = threading.Event()

    def read(keys: list[str]) -> dict[str, Any]:
        asked.append(keys)
        release.wait(10)
        return {k: (_row(k, 7), Identity("member", 1, 7, 3, "Humans", "Ann", "manager")) for k in keys}

    async def scenario() -> None:
        renewal = SessionRenewal(cache, read)
        for key in ("h1", "h2"):
            known = cache.get(key)
            assert known is not None
            known.read_at -= 25.0  # two thirds of the trust have gone by
            renewal.ask(key, known)
            renewal.ask(key, known)  # asked again before the read: still one read of it
        while not asked:
            await asyncio.sleep(0.01)
        cache.forget("h1")  # logged out while its read is on its way
        release.set()
        await _finished(renewal)

    asyncio.run(scenario())
    assert asked == [["h1", "h2"]]  # both in one read
    assert cache.get("h1") is None
    renewed = cache.get("h2")
    assert renewed is not None and renewed.identity.team == "Humans"


async def _finished(renewal: SessionRenewal) -> None:
    """Wait until the renewal has nothing on its way (bounded: a hang fails the test)."""
    for _ in range(1000):
        if not renewal.busy:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the background read never finished")


def _age(client: TestClient, member: dict[str, str], seconds: float) -> tuple[str, Any]:
    """The member's token hash and cached entry, made ``seconds`` older."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    key = token_hash(member["Authorization"].removeprefix("Bearer "), runtime.settings.secret or "")
    known = runtime.sessions.get(key)
    assert known is not None
    known.read_at -= seconds
    return key, runtime


def _until_renewed(runtime: Any, key: str, was: Any) -> None:
    for _ in range(500):
        if runtime.sessions.get(key) is not was:
            return
        time.sleep(0.01)
    raise AssertionError("the session was not read again in the background")


def test_a_request_after_two_thirds_of_the_trust_does_not_wait_for_the_read(
    client: TestClient, game: Game, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = join_team(client, game.codes["Humans"], "Ann")
    key, runtime = _age(client, member, 25.0)
    was = runtime.sessions.get(key)
    reads = _counting_reads(runtime.store, monkeypatch)
    blocked = threading.Event()
    real = runtime.session_renewal.read

    def held(keys: list[str]) -> Any:
        blocked.wait(10)  # the background read waits until the request has been answered
        return real(keys)

    monkeypatch.setattr(runtime.session_renewal, "read", held)
    state = client.get(TEAM, headers=member)
    assert state.status_code == 200 and state.json()["member"] == "Ann"  # answered from the copy
    assert reads == []
    blocked.set()
    _until_renewed(runtime, key, was)
    assert reads == [key]
    renewed = runtime.sessions.get(key)
    assert renewed is not None and renewed.identity.member == "Ann" and not renewed.renewing
    assert client.get(TEAM, headers=member).status_code == 200 and reads == [key]  # fresh: no read


def test_a_session_ended_elsewhere_is_forgotten_by_its_renewal(
    client: TestClient, game: Game, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = join_team(client, game.codes["Humans"], "Ann")
    key, runtime = _age(client, member, 21.0)
    was = runtime.sessions.get(key)
    runtime.store.drop_session(key)  # by another worker or program: this one is not told
    reads = _counting_reads(runtime.store, monkeypatch)
    assert client.get(TEAM, headers=member).status_code == 200  # within its trust: the copy
    _until_renewed(runtime, key, was)
    assert reads == [key] and runtime.sessions.get(key) is None  # read in the background: gone
    assert client.get(TEAM, headers=member).status_code == 401


def test_sessions_are_read_together_with_their_members_and_teams(db_url: str) -> None:
    """One read for many tokens, on SQLite and PostgreSQL: each member with its team, the instructor
    without one, a token no session has as None (what a request and a renewal are told)."""
    with TestClient(make_app(db_url)) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=(("Humans", None), ("Others", None)))
        ann = join_team(client, game.codes["Humans"], "Ann")
        bo = join_team(client, game.codes["Others"], "Bo", role="sales")
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        secret = runtime.settings.secret or ""
        keys = [token_hash(h["Authorization"].removeprefix("Bearer "), secret) for h in (ann, bo, instructor)]
        found = read_sessions(runtime.store, [*keys, "no-such-token"])
    assert found["no-such-token"] is None
    who = {
        key: (f[1].role, f[1].team, f[1].member, f[1].team_role) for key, f in found.items() if f is not None
    }
    assert who == {
        keys[0]: ("member", "Humans", "Ann", "manager"),
        keys[1]: ("member", "Others", "Bo", "sales"),
        keys[2]: ("instructor", None, None, None),
    }
    assert found[keys[0]] is not None and found[keys[0]][1].competition_id == game.id
