"""The instructor's and the judges' commands honour an Idempotency-Key, as the desk's do.

Same actor, same key, same request: the first reply again (status and body), nothing applied
twice — creating a competition, advancing a round, adding a team, a rubric criterion, a judge's
mark — also when both arrive at once, and after a restart (SQLite and PostgreSQL). A refusal is
told again, even once the command would be taken. The same key for another request is a 409 that
leaves everything as it was; a malformed key is a 422. Keys are per actor: the instructor account,
each judge session, and each member (on the command log) keep theirs apart. A request whose reply
was not kept (the server stopped or failed while applying it) is not applied again: its retry is
told to look first. Every command route of the app is keyed by the desk or here, or is a login.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

import server.api.exports
import server.app
from server.api.http.keyed_paths import PEER_REVIEW, SESSION_PREFIX, desk_command, honours_key, room_command
from server.live.idempotency import HEADER
from server.persistence.db.engine import make_engine, migrate
from tests.server.archive_samples import sample_archive
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    pause,
    status,
    wait_for,
)

IMPORT = "/api/v1/competitions/import"
NEW = {"name": "Keyed cup", "preset": "classroom", "seed": 7, "rounds": 3, "seconds_per_hour": 0.1}


def keyed(who: Headers, key: str) -> Headers:
    return {**who, HEADER: key}


def competitions(client: TestClient, instructor: Headers) -> list[dict[str, Any]]:
    response = client.get("/api/v1/competitions", headers=instructor)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


def rows(client: TestClient, table: str) -> int:
    with client.app.state.runtime.store.engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def join_codes(client: TestClient, game: Game) -> dict[str, str]:
    """The join code of each team played by students."""
    response = client.get(game.path("/members"), headers=game.instructor)
    assert response.status_code == 200, response.text
    return {team["team"]: team["join_code"] for team in response.json()}


def between_rounds(client: TestClient, game: Game, round_number: int) -> bool:
    state = status(client, game)
    return bool(state["between_rounds"] and state["round"] == round_number)


# --- which routes ------------------------------------------------------------------------------


def test_every_command_route_is_keyed_by_the_desk_or_here_or_is_a_login(module_client: TestClient) -> None:
    paths: dict[str, Any] = module_client.app.openapi()["paths"]  # type: ignore[attr-defined]
    commands = [
        (method.upper(), path)
        for path, operations in paths.items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    ]
    assert ("POST", "/api/v1/competitions") in commands and (
        "PUT",
        "/api/v1/team/policies/reminders",
    ) in commands
    for method, path in commands:
        if path.startswith(SESSION_PREFIX):
            assert not honours_key(method, path), (method, path)
        elif path == PEER_REVIEW:  # a PUT that sets the ratings: no key needed
            assert not honours_key(method, path) and method == "PUT"
        elif path.startswith("/api/v1/team"):
            assert desk_command(method, path) and not room_command(method, path), (method, path)
        else:
            assert room_command(method, path) and not desk_command(method, path), (method, path)


# --- applied once ------------------------------------------------------------------------------


def test_creating_a_competition_twice_with_one_key_creates_one(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client, ins = module_client, module_instructor
    before = len(competitions(client, ins))
    first = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "create-once"))
    assert first.status_code == 201, first.text
    for _ in range(2):
        again = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "create-once"))
        assert (again.status_code, again.json()) == (201, first.json())
    assert len(competitions(client, ins)) == before + 1
    other = client.post(
        "/api/v1/competitions", json={**NEW, "name": "Other"}, headers=keyed(ins, "create-once")
    )
    assert other.status_code == 409, other.text
    refusal = other.json()
    assert refusal["code"] == "conflict" and refusal["field"] == HEADER
    assert "another request" in refusal["detail"] and "send a new key" in refusal["detail"]
    assert len(competitions(client, ins)) == before + 1
    fresh = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "create-twice"))
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]
    plain = [client.post("/api/v1/competitions", json=NEW, headers=ins) for _ in range(2)]
    assert [r.status_code for r in plain] == [201, 201]  # without a key, each request applies
    assert len(competitions(client, ins)) == before + 4


def test_advancing_a_round_retried_applies_once(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client = module_client
    game = create_competition(
        client, module_instructor, teams=(("Solo", None),), seconds_per_hour=0.02, rounds=4
    )
    wait_for(lambda: between_rounds(client, game, 1), timeout=20, what="the end of round 1")
    headers = keyed(game.instructor, "next-round-2")
    first = client.post(game.path("/next-round"), headers=headers)
    assert first.status_code == 200 and first.json()["round"] == 2, first.text
    again = client.post(game.path("/next-round"), headers=headers)  # round 2 runs: a new one would be a 409
    assert (again.status_code, again.json()) == (200, first.json())
    wait_for(lambda: between_rounds(client, game, 2), timeout=20, what="the end of round 2")
    late = client.post(game.path("/next-round"), headers=headers)  # now it could apply: it does not
    assert (late.status_code, late.json()) == (200, first.json())
    assert between_rounds(client, game, 2)
    assert client.post(game.path("/next-round"), headers=game.instructor).json()["round"] == 3


def test_a_refusal_is_told_again_even_once_the_command_would_be_taken(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client = module_client
    game = create_competition(client, module_instructor, teams=(("Solo", None),), start=False)
    headers = keyed(game.instructor, "pause-a-draft")
    first = client.post(game.path("/pause"), headers=headers)
    assert first.status_code == 409, first.text
    assert client.post(game.path("/start"), headers=game.instructor).status_code == 200
    again = client.post(game.path("/pause"), headers=headers)
    assert (again.status_code, again.json()) == (409, first.json())
    assert status(client, game)["state"] == "running"


def test_adding_a_team_and_a_new_join_code_apply_once(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client = module_client
    game = create_competition(client, module_instructor, teams=(("Solo", None),), start=False)
    add = keyed(game.instructor, "add-duo")
    first = client.post(game.path("/teams"), json={"name": "Duo"}, headers=add)
    again = client.post(game.path("/teams"), json={"name": "Duo"}, headers=add)
    assert (first.status_code, again.status_code) == (201, 201), (first.text, again.text)
    assert again.json() == first.json()
    assert sorted(join_codes(client, game)) == ["Duo", "Solo"]
    code = keyed(game.instructor, "new-code")
    renewed = client.post(game.path("/teams/Duo/join-code"), headers=code)
    assert renewed.status_code == 200, renewed.text
    again = client.post(game.path("/teams/Duo/join-code"), headers=code)
    assert (again.status_code, again.json()) == (200, renewed.json())
    assert renewed.json()["join_code"] != first.json()["join_code"]
    assert join_codes(client, game)["Duo"] == renewed.json()["join_code"]  # drawn once: the retry drew none


def test_two_identical_requests_at_once_apply_once(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client = module_client
    game = create_competition(client, module_instructor, teams=(("Solo", None),), start=False)
    headers = keyed(game.instructor, "at-once")

    async def both() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as concurrent:
            sends = [
                concurrent.post(game.path("/teams"), json={"name": "Twin"}, headers=headers) for _ in range(2)
            ]
            return list(await asyncio.gather(*sends))

    assert client.portal is not None
    first, second = client.portal.call(both)
    assert (first.status_code, second.status_code) == (201, 201), (first.text, second.text)
    assert first.json() == second.json()
    assert sorted(join_codes(client, game)) == ["Solo", "Twin"]


@pytest.mark.parametrize("key", ["", "k" * 201, "clé", "tab\there"])
def test_a_malformed_key_is_a_422_naming_the_header(
    module_client: TestClient, module_instructor: Headers, key: str
) -> None:
    before = len(competitions(module_client, module_instructor))
    response = module_client.post(
        "/api/v1/competitions", json=NEW, headers={**module_instructor, HEADER: key.encode("latin-1")}
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid" and HEADER in response.json()["detail"]
    assert len(competitions(module_client, module_instructor)) == before


def test_an_archive_imported_twice_with_one_key_is_one_competition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upload is read (counted against its limit) before the key is claimed, and given to the route."""
    limit = 1024 * 1024
    monkeypatch.setattr(server.app, "MAX_ARCHIVE_BYTES", limit)
    monkeypatch.setattr(server.api.exports, "MAX_ARCHIVE_BYTES", limit)
    with TestClient(make_app(f"sqlite:///{tmp_path / 'salesfloor.db'}")) as client:
        ins = login_instructor(client)
        zipped = {**keyed(ins, "import-once"), "Content-Type": "application/zip"}
        first = client.post(IMPORT, content=sample_archive(), headers=zipped)
        again = client.post(IMPORT, content=sample_archive(), headers=zipped)
        assert (first.status_code, again.status_code) == (201, 201), (first.text, again.text)
        assert again.json() == first.json()
        assert len(competitions(client, ins)) == 1
        chunked = iter([b"\0" * (limit // 2)] * 3)  # no Content-Length: counted as it comes
        too_large = client.post(IMPORT, content=chunked, headers={**zipped, HEADER: "import-large"})
        assert too_large.status_code == 413 and "larger than 1 MiB" in too_large.json()["detail"]
        assert rows(client, "keyed_replies") == 1  # nothing claimed for it


def _cut_off(client: TestClient, path: str, headers: Headers, start: bytes) -> list[dict[str, Any]]:
    """Send ``start`` of a body to the app, then go away: what the app sent back."""
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": start, "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    assert client.portal is not None
    client.portal.call(client.app, scope, receive, send)
    return sent


@pytest.mark.parametrize("path", ["/api/v1/competitions", IMPORT])
def test_a_request_cut_off_before_its_body_ends_claims_and_applies_nothing(
    module_client: TestClient, module_instructor: Headers, path: str
) -> None:
    client, ins = module_client, module_instructor
    before, claims = len(competitions(client, ins)), rows(client, "keyed_replies")
    headers = {**keyed(ins, f"cut-off-{path}"), "Content-Type": "application/json"}
    assert _cut_off(client, path, headers, b'{"name": "Cut') == []  # nobody to answer
    assert (len(competitions(client, ins)), rows(client, "keyed_replies")) == (before, claims)
    whole = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, f"cut-off-{path}"))
    assert whole.status_code == 201, whole.text  # the key was not spent: sent whole, it applies


# --- the judges and the rubric -------------------------------------------------------------------


def test_a_judges_mark_retried_is_one_line_of_the_rubric_and_keys_are_per_judge(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client = module_client
    game = create_competition(client, module_instructor, teams=(("Solo", None),))
    pause(client, game)
    criterion = {"name_en": "Pitch", "name_zh": "路演", "max_points": 10}
    made = [
        client.post(game.path("/rubric/criteria"), json=criterion, headers=keyed(game.instructor, "crit"))
    ]
    made.append(
        client.post(game.path("/rubric/criteria"), json=criterion, headers=keyed(game.instructor, "crit"))
    )
    assert [r.status_code for r in made] == [201, 201] and made[0].json() == made[1].json()
    rubric = client.get(game.path("/rubric"), headers=game.instructor).json()
    assert len(rubric["criteria"]) == 1
    mark = {"criterion_id": made[0].json()["id"], "team": "Solo", "points": 7}
    judge = login_judge(client, game.judge_code, "Jo")
    entries = rows(client, "rubric_entries")
    first = client.put(game.path("/rubric/scores"), json=mark, headers=keyed(judge, "mark-1"))
    assert first.status_code == 200, first.text
    again = client.put(game.path("/rubric/scores"), json=mark, headers=keyed(judge, "mark-1"))
    assert (again.status_code, again.json()) == (200, first.json())
    assert rows(client, "rubric_entries") == entries + 1
    other = client.put(
        game.path("/rubric/scores"), json={**mark, "points": 2}, headers=keyed(judge, "mark-1")
    )
    assert other.status_code == 409 and HEADER in other.json()["detail"], other.text
    assert rows(client, "rubric_entries") == entries + 1
    scores = client.get(game.path("/rubric"), headers=game.instructor).json()["scores"]
    assert [(s["judge"], s["points"]) for s in scores] == [("Jo", 7)]
    # another judge's session and the instructor each have keys of their own
    second = login_judge(client, game.judge_code, "Kim")
    theirs = client.put(
        game.path("/rubric/scores"), json={**mark, "points": 4}, headers=keyed(second, "mark-1")
    )
    corrected = {**mark, "points": 5, "judge": "Jo"}
    mine = client.put(game.path("/rubric/scores"), json=corrected, headers=keyed(game.instructor, "mark-1"))
    assert (theirs.status_code, mine.status_code) == (200, 200), (theirs.text, mine.text)
    scores = client.get(game.path("/rubric"), headers=game.instructor).json()["scores"]
    assert sorted((s["judge"], s["points"]) for s in scores) == [("Jo", 5), ("Kim", 4)]
    assert rows(client, "rubric_entries") == entries + 3


# --- across a restart, on both databases ---------------------------------------------------------


def test_keys_hold_across_a_restart_and_are_kept_apart_from_the_members(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        ins = login_instructor(client)
        created = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "before-restart"))
        assert created.status_code == 201, created.text
        game = create_competition(client, ins, teams=(("Ant", None),), seconds_per_hour=3600.0)
        pause(client, game)
        member = join_team(client, game.codes["Ant"], "Ann", "manager")
        announce = {"text": "Prices rise on Monday"}
        shared = keyed(ins, "same-key")
        said = client.post(game.path("/announcements"), json=announce, headers=shared)
        set_by_member = client.put(
            "/api/v1/team/policies/reminders", json={"days_after_due": 3}, headers=keyed(member, "same-key")
        )
        assert (said.status_code, set_by_member.status_code) == (200, 200), (said.text, set_by_member.text)
        count = len(competitions(client, ins))
        logged = len(client.get(game.path("/commands"), headers=ins).json())
    with TestClient(make_app(db_url)) as client:
        ins = login_instructor(client)  # a new session of the same account: the same keys
        again = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "before-restart"))
        assert (again.status_code, again.json()) == (201, created.json())
        said_again = client.post(game.path("/announcements"), json=announce, headers=keyed(ins, "same-key"))
        assert (said_again.status_code, said_again.json()) == (200, said.json())
        other = client.post(
            "/api/v1/competitions", json={**NEW, "seed": 8}, headers=keyed(ins, "before-restart")
        )
        assert other.status_code == 409, other.text
        assert len(competitions(client, ins)) == count
        assert len(client.get(game.path("/commands"), headers=ins).json()) == logged
        fresh = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "after-restart"))
        assert fresh.status_code == 201 and len(competitions(client, ins)) == count + 1


def test_a_command_whose_reply_was_not_kept_is_not_applied_again(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server stops (here: the reply's write fails) after applying a keyed command: the retry is
    told to look first, and nothing is applied twice."""
    with TestClient(make_app(db_url)) as client:
        ins = login_instructor(client)

        def lost(*_args: Any) -> None:
            raise RuntimeError("the server stopped before the reply was kept")

        monkeypatch.setattr(client.app.state.runtime.store, "keep_reply", lost)  # type: ignore[attr-defined]
        first = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "reply-lost"))
        assert first.status_code == 201, first.text  # the reply is given all the same
        count = len(competitions(client, ins))
    with TestClient(make_app(db_url)) as client:
        ins = login_instructor(client)
        again = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "reply-lost"))
        assert again.status_code == 409, again.text
        detail = again.json()["detail"]
        assert "may have been applied" in detail and "look at the current state" in detail
        assert len(competitions(client, ins)) == count


def test_a_busy_refusal_keeps_no_reply_so_the_key_may_come_again(
    module_client: TestClient, module_instructor: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 503 (the database did not take the key) applied nothing: the same key is taken later."""
    client, ins = module_client, module_instructor
    store = client.app.state.runtime.store  # type: ignore[attr-defined]
    real = store.claim_key

    def away(*_args: Any) -> None:
        raise RuntimeError("the database is away")

    before = len(competitions(client, ins))
    monkeypatch.setattr(store, "claim_key", away)
    busy = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "busy-first"))
    assert busy.status_code == 503 and busy.headers["retry-after"] == "2", busy.text
    assert len(competitions(client, ins)) == before
    monkeypatch.setattr(store, "claim_key", real)
    taken = client.post("/api/v1/competitions", json=NEW, headers=keyed(ins, "busy-first"))
    assert taken.status_code == 201, taken.text
    assert len(competitions(client, ins)) == before + 1


def test_migration_0012_makes_keys_unique_per_actor(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, "0011")
    migrate(engine)
    insert = text(
        "INSERT INTO keyed_replies (actor, idempotency_key, request, digest, created_at) "
        "VALUES (:actor, 'k', 'POST /api/v1/competitions', 'd', 0)"
    )
    with engine.begin() as connection:
        connection.execute(insert, {"actor": "instructor"})
        connection.execute(insert, {"actor": "judge:abc"})  # another actor: its own key
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert, {"actor": "instructor"})
    engine.dispose()
