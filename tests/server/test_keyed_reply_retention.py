"""How long the instructor's and judges' Idempotency-Keys are kept, and what a key without a reply says.

Retention (docs/operations.md, "Idempotency-Keys kept"): at a worker's start, with the sessions
long expired, the keys no retry can come for are forgotten — those claimed before the sessions'
cut-off (unused for ``SESSION_IDLE_HOURS`` and a week), and a judge's whose session is gone (a
logout, or forgotten). Every other key holds across the restart. Both on SQLite and PostgreSQL.

A key claimed and not yet answered (another worker is applying it, or the server stopped while
it did): its retry is a 409 that says which it may be — by the claim's age — and applies
nothing; once the other worker keeps its reply, the retry gets that reply.
"""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

import server.live.keyed_replies
from server.live.idempotency import HEADER
from server.live.keyed_replies import INSTRUCTOR, JUDGE, STILL_APPLYING_SECONDS, judge_actor, request_digest
from server.persistence.db.tables import SessionRow
from server.persistence.store import Store
from tests.server.helpers import Headers, create_competition, login_instructor, login_judge, make_app, pause

NEW = {"name": "Kept cup", "preset": "classroom", "seed": 7, "rounds": 3, "seconds_per_hour": 0.1}
IDLE_HOURS = 12.0  # the default SESSION_IDLE_HOURS
LONG_AGO = (IDLE_HOURS + 7 * 24) * 3600.0
"""A key claimed this long before a start is forgotten by it (the sessions' cut-off)."""


def keyed(who: Headers, key: str) -> Headers:
    return {**who, HEADER: key}


def kept_keys(store: Store) -> set[tuple[str, str]]:
    with store.engine.connect() as connection:
        found = connection.execute(text("SELECT actor, idempotency_key FROM keyed_replies"))
        return {(str(actor), str(key)) for actor, key in found}


def count(client: TestClient, table: str) -> int:
    with client.app.state.runtime.store.engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def test_the_store_drops_old_keys_and_those_of_sessions_gone(store: Store) -> None:
    now = 1_000_000.0
    store.add_session(SessionRow(token_hash="open", role="judge", created_at=now))
    claims = [
        (INSTRUCTOR, "old", now - 1.0),
        (INSTRUCTOR, "new", now + 1.0),
        (judge_actor("open"), "new", now + 1.0),
        (judge_actor("open"), "old", now - 1.0),  # its session is open, but it is as old
        (judge_actor("ended"), "new", now + 1.0),  # its session is gone
        ("judge_ended", "new", now + 1.0),  # not a session's actor (the prefix is no pattern)
    ]
    for actor, key, at in claims:
        assert store.claim_key(actor, key, "POST /api/v1/competitions", "d", at) is None
    store.keep_reply(INSTRUCTOR, "new", 201, "application/json", b"{}")
    assert store.drop_keyed_replies(now, JUDGE) == 3
    assert kept_keys(store) == {(INSTRUCTOR, "new"), (judge_actor("open"), "new"), ("judge_ended", "new")}
    assert store.drop_keyed_replies(now, JUDGE) == 0


def test_a_restart_forgets_the_keys_no_retry_can_come_for_and_keeps_the_others(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        ins = login_instructor(client)
        old = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "old"))
        recent = client.post(
            "/api/v1/competitions", json={**NEW, "name": "Recent"}, headers=keyed(ins, "recent")
        )
        assert (old.status_code, recent.status_code) == (201, 201), (old.text, recent.text)
        game = create_competition(client, ins, teams=(("Solo", None),))
        pause(client, game)
        criterion = {"name_en": "Pitch", "name_zh": "路演", "max_points": 10}
        made = client.post(game.path("/rubric/criteria"), json=criterion, headers=ins)
        assert made.status_code == 201, made.text
        mark = {"criterion_id": made.json()["id"], "team": "Solo", "points": 7}
        staying, leaving = (
            login_judge(client, game.judge_code, "Jo"),
            login_judge(client, game.judge_code, "Kim"),
        )
        marked = [
            client.put(game.path("/rubric/scores"), json=mark, headers=keyed(j, "mark"))
            for j in (staying, leaving)
        ]
        assert [m.status_code for m in marked] == [200, 200], [m.text for m in marked]
        assert client.post("/api/v1/session/logout", headers=leaving).status_code == 204
        store: Store = client.app.state.runtime.store  # type: ignore[attr-defined]
        with store.engine.begin() as connection:  # "old" was claimed before the sessions' cut-off
            connection.execute(
                text("UPDATE keyed_replies SET created_at = created_at - :age WHERE idempotency_key = 'old'"),
                {"age": LONG_AGO + 60.0},
            )
        before = kept_keys(store)
        assert len(before) == 4
        entries = count(client, "rubric_entries")
    with TestClient(make_app(db_url)) as client:
        store = client.app.state.runtime.store  # type: ignore[attr-defined]
        after = kept_keys(store)
        assert sorted(key for _, key in before - after) == ["mark", "old"]  # the old one, Kim's
        assert (INSTRUCTOR, "recent") in after and after < before
        ins = login_instructor(client)
        competitions = len(client.get("/api/v1/competitions", headers=ins).json())
        again = client.post(
            "/api/v1/competitions", json={**NEW, "name": "Recent"}, headers=keyed(ins, "recent")
        )
        assert (again.status_code, again.json()) == (201, recent.json())
        reused = client.post("/api/v1/competitions", json={**NEW, "name": "Later"}, headers=keyed(ins, "old"))
        assert reused.status_code == 201, reused.text  # forgotten: the key is taken for a new request
        assert len(client.get("/api/v1/competitions", headers=ins).json()) == competitions + 1
        retried = client.put(game.path("/rubric/scores"), json=mark, headers=keyed(staying, "mark"))
        assert (retried.status_code, retried.json()) == (200, marked[0].json())
        assert count(client, "rubric_entries") == entries


def _claimed_elsewhere(client: TestClient, key: str, body: bytes, at: float) -> None:
    """Another worker claims ``key`` for this very request (the instructor creating ``body``)."""
    digest = request_digest("POST", "/api/v1/competitions", b"", hashlib.sha256(body).hexdigest())
    store: Store = client.app.state.runtime.store  # type: ignore[attr-defined]
    assert store.claim_key(INSTRUCTOR, key, "POST /api/v1/competitions", digest, at) is None


def _send(client: TestClient, ins: Headers, key: str, body: bytes) -> httpx.Response:
    headers = {**keyed(ins, key), "Content-Type": "application/json"}
    return client.post("/api/v1/competitions", content=body, headers=headers)


NOW = 2_000_000.0


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(server.live.keyed_replies, "wall_now", lambda: NOW)
    return NOW


def test_a_key_another_worker_is_applying_is_said_to_be_in_progress_then_answered(
    module_client: TestClient, module_instructor: Headers, fixed_now: float
) -> None:
    client, ins = module_client, module_instructor
    body = json.dumps({**NEW, "name": "Handed over"}).encode()
    _claimed_elsewhere(client, "handover", body, fixed_now - 3.0)
    listed = len(client.get("/api/v1/competitions", headers=ins).json())
    busy = _send(client, ins, "handover", body)
    assert busy.status_code == 409, busy.text
    refusal = busy.json()
    assert refusal["field"] == HEADER and refusal["code"] == "conflict"
    assert "taken 3 s ago" in refusal["detail"] and "still being applied" in refusal["detail"]
    assert "same key" in refusal["detail"] and "stopped or failed" in refusal["detail"]
    assert len(client.get("/api/v1/competitions", headers=ins).json()) == listed  # nothing applied
    store: Store = client.app.state.runtime.store  # type: ignore[attr-defined]
    store.keep_reply(INSTRUCTOR, "handover", 201, "application/json", b'{"id": 4242}')  # its reply
    answered = _send(client, ins, "handover", body)
    assert (answered.status_code, answered.json()) == (201, {"id": 4242})
    assert len(client.get("/api/v1/competitions", headers=ins).json()) == listed


def test_a_key_claimed_long_ago_without_a_reply_says_the_server_stopped(
    module_client: TestClient, module_instructor: Headers, fixed_now: float
) -> None:
    client, ins = module_client, module_instructor
    body = json.dumps({**NEW, "name": "Cut off"}).encode()
    _claimed_elsewhere(client, "cut-off", body, fixed_now - STILL_APPLYING_SECONDS - 240.0)
    listed = len(client.get("/api/v1/competitions", headers=ins).json())
    stopped = _send(client, ins, "cut-off", body)
    assert stopped.status_code == 409, stopped.text
    detail = stopped.json()["detail"]
    assert "taken 5 min ago" in detail and "the server stopped or failed while applying it" in detail
    assert "still being applied" not in detail and "look at the current state" in detail
    assert len(client.get("/api/v1/competitions", headers=ins).json()) == listed
