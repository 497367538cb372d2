"""Duplicate submissions: the Idempotency-Key header makes a retried team command apply once.

Same member, same key, same command: the first reply again (accepted with the same events,
or refused with the same reason), nothing applied twice — also when both arrive at once, and
after a restart (SQLite and PostgreSQL). The same key for another command is a 409; keys are
per member; a key that is not 1–200 printable ASCII characters is a 422. The Python client
sends a key with every command and retries a lost answer with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from server.client.api_client import ApiError, SalesfloorClient
from server.live.idempotency import HEADER
from server.persistence.db.engine import make_engine, migrate
from teams import commands as c
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    insert_old_competition,
    join_team,
    login_instructor,
    make_app,
    pause,
)
from tests.server.hostile_setup import TwoTeams, two_teams

REMINDERS = "/api/v1/team/policies/reminders"


@pytest.fixture(scope="module")
def teams(module_client: TestClient, module_instructor: Headers) -> TwoTeams:
    return two_teams(module_client, module_instructor)


def keyed(who: Headers, key: str) -> Headers:
    return {**who, HEADER: key}


def note_path(teams: TwoTeams, who: Headers) -> str:
    customer = teams.state(who)["customers"][0]["customer_id"]
    return f"/api/v1/team/customers/{customer}/notes"


def test_a_retry_with_the_same_key_gets_the_first_reply_and_applies_nothing(teams: TwoTeams) -> None:
    client, path = teams.client, note_path(teams, teams.a)
    first = client.post(path, json={"text": "call back on Monday"}, headers=keyed(teams.a, "note-1"))
    assert first.status_code == 200, first.text
    assert [e["kind"] for e in first.json()["events"]] == ["note_added"]
    before, logged = teams.snapshot(), teams.commands()
    for _ in range(3):
        again = client.post(path, json={"text": "call back on Monday"}, headers=keyed(teams.a, "note-1"))
        assert (again.status_code, again.json()) == (200, first.json())
    assert teams.snapshot() == before and teams.commands() == logged
    notes = [e for e in teams.state(teams.a)["customers"] if "call back on Monday" in str(e)]
    assert len(notes) == 1


def test_without_a_key_the_same_command_applies_each_time(teams: TwoTeams) -> None:
    path = note_path(teams, teams.a)
    logged = teams.commands()
    for _ in range(2):
        assert teams.client.post(path, json={"text": "no key"}, headers=teams.a).status_code == 200
    assert teams.commands() == logged + 2


def test_a_refused_command_replays_its_refusal(teams: TwoTeams) -> None:
    body = {"days_after_due": 400}
    first = teams.client.put(REMINDERS, json=body, headers=keyed(teams.a, "reminders-400"))
    assert first.status_code == 422 and "days_after_due" in first.json()["detail"], first.text
    logged = teams.commands()
    again = teams.client.put(REMINDERS, json=body, headers=keyed(teams.a, "reminders-400"))
    assert (again.status_code, again.json()) == (422, first.json())
    assert teams.commands() == logged


def test_the_same_key_for_another_command_is_a_409(teams: TwoTeams) -> None:
    first = teams.client.put(REMINDERS, json={"days_after_due": 3}, headers=keyed(teams.a, "policy-x"))
    assert first.status_code == 200, first.text
    before, logged = teams.snapshot(), teams.commands()
    other = teams.client.put(REMINDERS, json={"days_after_due": 9}, headers=keyed(teams.a, "policy-x"))
    assert other.status_code == 409, other.text
    assert other.json()["code"] == "conflict"
    assert HEADER in other.json()["detail"] and "another command" in other.json()["detail"]
    path = note_path(teams, teams.a)
    elsewhere = teams.client.post(path, json={"text": "x"}, headers=keyed(teams.a, "policy-x"))
    assert elsewhere.status_code == 409, elsewhere.text
    assert teams.snapshot() == before and teams.commands() == logged
    assert teams.state(teams.a)["policies"]["reminder_days"] == 3


def test_keys_belong_to_their_member(teams: TwoTeams) -> None:
    mine = teams.client.put(REMINDERS, json={"days_after_due": 2}, headers=keyed(teams.a, "shared-key"))
    theirs = teams.client.put(REMINDERS, json={"days_after_due": 5}, headers=keyed(teams.b, "shared-key"))
    assert (mine.status_code, theirs.status_code) == (200, 200), (mine.text, theirs.text)
    assert teams.state(teams.a)["policies"]["reminder_days"] == 2
    assert teams.state(teams.b)["policies"]["reminder_days"] == 5


@pytest.mark.parametrize("key", ["", "k" * 201, "clé", "tab\there"])
def test_a_malformed_key_is_a_422_naming_the_header(teams: TwoTeams, key: str) -> None:
    logged = teams.commands()
    response = teams.client.put(
        REMINDERS, json={"days_after_due": 1}, headers={**teams.a, HEADER: key.encode("latin-1")}
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid" and HEADER in response.json()["detail"]
    assert teams.commands() == logged


def test_two_identical_requests_at_once_apply_once(teams: TwoTeams) -> None:
    client, path = teams.client, note_path(teams, teams.a)
    headers = keyed(teams.a, "at-once")
    logged = teams.commands()

    async def both() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as concurrent:
            sends = [concurrent.post(path, json={"text": "twice at once"}, headers=headers) for _ in range(2)]
            return list(await asyncio.gather(*sends))

    assert client.portal is not None
    first, second = client.portal.call(both)
    assert (first.status_code, second.status_code) == (200, 200), (first.text, second.text)
    assert first.json() == second.json()
    assert teams.commands() == logged + 1


# --- across a restart --------------------------------------------------------------------------


def _started(client: TestClient) -> tuple[Game, Headers]:
    instructor = login_instructor(client)
    game = create_competition(client, instructor, teams=(("Ant", None),), seconds_per_hour=3600.0)
    pause(client, game)
    return game, join_team(client, game.codes["Ant"], "Ann", "manager")


def _log_length(client: TestClient, game: Game) -> int:
    return len(client.get(game.path("/commands"), headers=game.instructor).json())


def test_a_retry_after_a_restart_gets_the_first_reply(db_url: str) -> None:
    body = {"days_after_due": 4}
    with TestClient(make_app(db_url)) as client:
        game, member = _started(client)
        first = client.put(REMINDERS, json=body, headers=keyed(member, "before-restart"))
        refusal = client.put(REMINDERS, json={"days_after_due": -1}, headers=keyed(member, "refused-before"))
        assert (first.status_code, refusal.status_code) == (200, 422), (first.text, refusal.text)
        logged = _log_length(client, game)
    with TestClient(make_app(db_url)) as client:
        game.instructor = login_instructor(client)
        again = client.put(REMINDERS, json=body, headers=keyed(member, "before-restart"))
        assert (again.status_code, again.json()) == (200, first.json())
        refused_again = client.put(
            REMINDERS, json={"days_after_due": -1}, headers=keyed(member, "refused-before")
        )
        assert (refused_again.status_code, refused_again.json()) == (422, refusal.json())
        other = client.put(REMINDERS, json={"days_after_due": 8}, headers=keyed(member, "before-restart"))
        assert other.status_code == 409, other.text
        assert _log_length(client, game) == logged
        fresh = client.put(REMINDERS, json={"days_after_due": 8}, headers=keyed(member, "after-restart"))
        assert fresh.status_code == 200, fresh.text
        assert _log_length(client, game) == logged + 1


def test_a_refusal_whose_reply_was_lost_in_a_crash_is_told_again_with_its_status(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server stops after committing keyed refusals but before storing their replies.

    After the restart the replies are rebuilt from the replayed log: each retry gets the
    first status and reason again (409 for a campaign beyond the team's cash, 404, 422), not
    a 422 for every refusal.
    """
    with TestClient(make_app(db_url)) as client:
        game, member = _started(client)
        sends = {
            "campaign": ("POST", "/api/v1/team/campaigns", {"segment": "smb", "budget": 1e8}),
            "quote": ("POST", "/api/v1/team/inquiries/inq-none/quote", {}),
            "policy": ("PUT", REMINDERS, {"days_after_due": 400}),
        }

        def lost(*_args: Any) -> None:
            raise RuntimeError("the server stopped before the reply was stored")

        monkeypatch.setattr(client.app.state.runtime.store, "save_reply", lost)
        first = {
            key: client.request(method, path, json=body, headers=keyed(member, key))
            for key, (method, path, body) in sends.items()
        }
        statuses = {key: r.status_code for key, r in first.items()}
        assert statuses == {"campaign": 409, "quote": 404, "policy": 422}
        logged = _log_length(client, game)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        replies = connection.execute(text("SELECT reply FROM commands WHERE idempotency_key IS NOT NULL"))
        assert [row[0] for row in replies] == [None, None, None]  # as after a crash: no reply stored
    engine.dispose()
    with TestClient(make_app(db_url)) as client:
        game.instructor = login_instructor(client)
        for key, (method, path, body) in sends.items():
            again = client.request(method, path, json=body, headers=keyed(member, key))
            assert (again.status_code, again.json()) == (first[key].status_code, first[key].json()), key
        assert _log_length(client, game) == logged


def test_migration_0004_keeps_old_commands_and_makes_keys_unique_per_member(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, "0003")
    insert = (
        "INSERT INTO commands (competition_id, seq, t, source, member_id, payload, reason, created_at{key}) "
        "VALUES (1, :seq, 0, 'human', 7, '{{}}', '', 0{value})"
    )
    with engine.begin() as connection:
        insert_old_competition(connection)
        connection.execute(text(insert.format(key="", value="")), {"seq": 0})
    migrate(engine)
    keyed = insert.format(key=", idempotency_key", value=", 'k'")
    with engine.begin() as connection:
        assert connection.execute(text("SELECT seq, idempotency_key, reply FROM commands")).all() == [
            (0, None, None)
        ]
        connection.execute(text(insert.format(key="", value="")), {"seq": 1})  # keyless: never collide
        connection.execute(text(keyed), {"seq": 2})
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(keyed), {"seq": 3})
    engine.dispose()


# --- the Python client ---------------------------------------------------------------------------


def test_the_client_retries_a_lost_answer_with_the_same_key() -> None:
    seen: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers[HEADER])
        if len(seen) == 1:
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return httpx.Response(200, json={"accepted": True, "t_sim": 1.0, "events": []})

    client = SalesfloorClient("http://salesfloor.test", token="t", transport=httpx.MockTransport(flaky))
    out: Any = client.command(c.SetReminderPolicy(team="", days_after_due=2))
    assert out["accepted"] is True
    assert len(seen) == 2 and seen[0] == seen[1] and len(seen[0]) == 32
    client.command(c.SetReminderPolicy(team="", days_after_due=2))
    assert seen[2] != seen[0]  # a new command, a new key


Refusal = Callable[[], httpx.Response]


def _busy_then_taken(refusals: list[Refusal], seen: list[str]) -> httpx.MockTransport:
    """A server that answers ``refusals`` in turn, then takes the command; the keys it saw in ``seen``."""

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers[HEADER])
        if len(seen) <= len(refusals):
            return refusals[len(seen) - 1]()
        return httpx.Response(200, json={"accepted": True, "t_sim": 1.0, "events": []})

    return httpx.MockTransport(answer)


def _unavailable(retry_after: str | None) -> Refusal:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return lambda: httpx.Response(
        503, headers=headers, json={"code": "unavailable", "detail": "busy; try again"}
    )


def _rate_limited() -> httpx.Response:
    return httpx.Response(
        429, headers={"Retry-After": "0"}, json={"code": "rate_limited", "detail": "slow down"}
    )


def test_the_client_waits_out_a_busy_refusal_and_sends_again_with_the_same_key() -> None:
    seen: list[str] = []
    refusals = [_unavailable("0"), _unavailable("0.15")]
    client = SalesfloorClient("http://salesfloor.test", token="t", transport=_busy_then_taken(refusals, seen))
    out: Any = client.command(c.SetReminderPolicy(team="", days_after_due=2))
    assert out["accepted"] is True
    assert len(seen) == 3 and len(set(seen)) == 1  # one command, sent three times under one key


@pytest.mark.parametrize(
    ("refusal", "status", "budget", "sent"),
    [
        (_unavailable(None), 503, 30.0, 1),  # no word on when: not guessed at
        (_unavailable("soon"), 503, 30.0, 1),  # not a delay in seconds
        (_unavailable("0.01"), 503, 0.0, 1),  # waiting turned off (a drill counting refusals)
        (_unavailable("0.03"), 503, 0.15, 2),  # the second wait would pass the budget
        (_unavailable("0"), 503, 0.35, 4),  # "at once" still spends the budget: 0.1 s a try
        (_rate_limited, 429, 30.0, 1),  # the member's own pace: the caller slows down
    ],
)
def test_the_client_raises_a_refusal_it_must_not_or_cannot_wait_out(
    refusal: Refusal, status: int, budget: float, sent: int
) -> None:
    seen: list[str] = []
    client = SalesfloorClient(
        "http://salesfloor.test",
        token="t",
        transport=_busy_then_taken([refusal] * 5, seen),
        wait_when_busy=budget,
    )
    with pytest.raises(ApiError) as raised:
        client.command(c.SetReminderPolicy(team="", days_after_due=2))
    assert raised.value.status == status and len(seen) == sent
