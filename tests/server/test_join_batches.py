"""Joins committed in batches (server/live/joining.py): one transaction for the joins that arrive
together, each refused for its own reason alone while the others go in. Run on SQLite and PostgreSQL.

A batch is made deterministic by holding the first transaction until the rest have queued
behind it; the outcomes are read from the answers and from the database, not from timing.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from server.errors import ServerError
from server.live.runtime import Runtime
from server.persistence.db.engine import make_engine
from server.persistence.db.tables import MemberRow, SessionRow, TeamRow
from server.persistence.store import Store
from server.persistence.store.teams import Joining, JoinRequest
from tests.server.helpers import create_competition, login_instructor, make_app, wait_for

JOIN = "/api/v1/session/join"
PEOPLE = (("Reds", None), ("Blues", None))


def _rows(url: str) -> tuple[list[tuple[str, str, str, str | None]], list[int | None]]:
    """(team, member, role, claim) of every member, and the member of every member session."""
    engine = make_engine(url)
    with Session(engine) as s:
        query = select(TeamRow.name, MemberRow.name, MemberRow.role, MemberRow.role_claim).where(
            MemberRow.team_id == TeamRow.id
        )
        members = sorted(
            ((t, m, r, c) for t, m, r, c in s.exec(query)), key=lambda row: (*row[:3], row[3] or "")
        )
        sessions = [
            row.member_id for row in s.exec(select(SessionRow).where(col(SessionRow.role) == "member"))
        ]
    engine.dispose()
    return members, sessions


def _one_batch(
    client: TestClient, opener: dict[str, str], bodies: list[dict[str, str]]
) -> list[httpx.Response]:
    """Post ``opener``, hold its transaction until ``bodies``, posted at once, have all queued behind
    it, then let it go: the bodies are committed in one batch (the next). Their answers, in order."""
    rt: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    real = rt.store.join_many
    taken = threading.Event()

    def held(requests: Sequence[JoinRequest], admit: Callable[[TeamRow], None], *fence: Any) -> list[Joining]:
        if not taken.is_set():
            taken.set()
            wait_for(lambda: rt.joins.waiting == len(bodies), what="the joins to queue")
        return real(requests, admit, *fence)

    rt.store.join_many = held  # type: ignore[method-assign]
    batches = rt.joins.batches
    try:
        with ThreadPoolExecutor(len(bodies) + 1) as pool:
            first = pool.submit(client.post, JOIN, json=opener)
            assert taken.wait(10), "the opener's batch never started"
            answers = list(pool.map(lambda body: client.post(JOIN, json=body), bodies))
            assert first.result().status_code == 200, first.result().text
    finally:
        rt.store.join_many = real  # type: ignore[method-assign]
    assert rt.joins.batches - batches == 2  # the opener's, then all of the bodies together
    return answers


def test_a_batch_refuses_each_join_for_its_own_reason_and_stores_the_others(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=PEOPLE, seconds_per_hour=3600)
        over = create_competition(
            client, instructor, teams=(("Late", None),), name="Over", seconds_per_hour=3600
        )
        assert client.post(over.path("/end"), headers=instructor).status_code == 200
        reds, blues = game.codes["Reds"], game.codes["Blues"]
        bodies = [
            {"code": reds, "name": "Ann", "role": "manager"},
            {"code": blues, "name": "Bo", "role": "sales"},
            {"code": "NOSUCHCD", "name": "Cy", "role": "sales"},  # no team has it
            {"code": over.codes["Late"], "name": "Di", "role": "sales"},  # its competition has finished
            {"code": reds, "name": "Ed", "role": "sales"},
            {"code": blues, "name": "Fay", "role": "finance"},
        ]
        answers = _one_batch(client, {"code": reds, "name": "Opal", "role": "service"}, bodies)
        statuses = {body["name"]: answer.status_code for body, answer in zip(bodies, answers, strict=True)}
        assert statuses == {"Ann": 200, "Bo": 200, "Cy": 401, "Di": 409, "Ed": 200, "Fay": 200}
        by_name = {body["name"]: answer.json() for body, answer in zip(bodies, answers, strict=True)}
        assert by_name["Cy"]["detail"] == "no team has this join code; check it with the instructor"
        assert by_name["Di"]["detail"] == "this competition has finished; teams can no longer join"
        assert by_name["Ed"]["team"] == "Reds" and by_name["Ed"]["team_role"] == "sales"
        assert by_name["Fay"]["competition_id"] == game.id and by_name["Fay"]["member"] == "Fay"
        for name in ("Ann", "Bo", "Ed", "Fay"):  # each session works at once, from the primed cache
            me = client.get("/api/v1/session", headers={"Authorization": f"Bearer {by_name[name]['token']}"})
            assert me.status_code == 200 and me.json()["member"] == name
    members, sessions = _rows(db_url)
    assert members == [
        ("Blues", "Bo", "sales", None),
        ("Blues", "Fay", "finance", None),
        ("Reds", "Ann", "manager", "manager"),
        ("Reds", "Ed", "sales", None),
        ("Reds", "Opal", "service", None),
    ]
    assert len(sessions) == 5 and None not in sessions


def test_two_managers_in_one_batch_the_first_holds_the_role_the_second_is_told_who(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        game = create_competition(client, login_instructor(client), teams=PEOPLE, seconds_per_hour=3600)
        reds = game.codes["Reds"]
        bodies = [
            {"code": reds, "name": "Ann", "role": "manager"},
            {"code": reds, "name": "Bob", "role": "manager"},
            {"code": reds, "name": "Ann", "role": "manager"},  # Ann again: her second sign-in
            {"code": reds, "name": "Cat", "role": "service"},
        ]
        answers = _one_batch(client, {"code": reds, "name": "Sue", "role": "sales"}, bodies)
    outcomes = sorted(
        (body["name"], answer.status_code) for body, answer in zip(bodies, answers, strict=True)
    )
    winner = "Ann" if ("Ann", 200) in outcomes else "Bob"
    loser = "Bob" if winner == "Ann" else "Ann"
    refused = [answer.json() for answer in answers if answer.status_code == 409]
    assert refused and all(r["rule"] == "role_taken" and r["values"]["name"] == winner for r in refused)
    assert all(status == (409 if name == loser else 200) for name, status in outcomes)
    members, _sessions = _rows(db_url)
    claims = [(name, claim) for _team, name, _role, claim in members if claim is not None]
    assert claims == [(winner, "manager")]
    assert {name for _team, name, _role, _claim in members} == {winner, "Cat", "Sue"}


def _batches_at_once(url: str, code: str, batches: list[list[tuple[str, str]]]) -> list[list[Joining]]:
    """Each batch of (name, role) joins in one transaction on its own engine, every batch having
    looked the team up before any looks for the holders (as two workers would)."""
    together = threading.Barrier(len(batches), timeout=30)
    stores = [Store(make_engine(url)) for _ in batches]

    def one(i: int) -> list[Joining]:
        requests = [
            JoinRequest(
                code,
                name,
                role,
                float(i),
                SessionRow(token_hash=f"token-{i}-{k}", role="member", created_at=0.0),
                role == "manager",
            )
            for k, (name, role) in enumerate(batches[i])
        ]
        first = [True]

        def admit(_team: Any) -> None:
            if first[0]:  # only the first look of the first attempt waits
                first[0] = False
                together.wait()

        return stores[i].join_many(requests, admit)

    try:
        with ThreadPoolExecutor(len(batches)) as pool:
            return list(pool.map(one, range(len(batches))))
    finally:
        for store in stores:
            store.engine.dispose()


def test_batches_racing_on_separate_connections_leave_one_manager_and_store_the_rest(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        game = create_competition(client, login_instructor(client), teams=PEOPLE, seconds_per_hour=3600)
        code = game.codes["Reds"]
    batches = [[(f"Boss {i}", "manager"), (f"Hand {i}", "sales")] for i in range(3)]
    outcomes = _batches_at_once(db_url, code, batches)
    managers = [batch[0] for batch in outcomes]
    winners = [j.member.name for j in managers if j.member is not None]
    assert len(winners) == 1
    assert all(j.holder == winners[0] for j in managers if j.member is None)
    assert all(batch[1].member is not None for batch in outcomes)  # the sales members all joined
    members, sessions = _rows(db_url)
    assert sorted(name for _team, name, _role, _claim in members) == sorted(
        [*winners, "Hand 0", "Hand 1", "Hand 2"]
    )
    assert [(name, claim) for _team, name, _role, claim in members if claim] == [(winners[0], "manager")]
    assert len(sessions) == 4


def test_a_batch_the_database_refuses_is_refused_whole_and_nothing_is_stored(sqlite_url: str) -> None:
    with TestClient(make_app(sqlite_url)) as client:
        game = create_competition(client, login_instructor(client), teams=PEOPLE, seconds_per_hour=3600)
        rt: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        real = rt.store.join_many

        def away(requests: Sequence[JoinRequest], admit: Callable[[TeamRow], None], *_: Any) -> list[Joining]:
            raise ServerError("unavailable", "the database is unavailable; try again")

        rt.store.join_many = away  # type: ignore[method-assign]
        refused = client.post(JOIN, json={"code": game.codes["Reds"], "name": "Ann", "role": "manager"})
        rt.store.join_many = real  # type: ignore[method-assign]
        assert refused.status_code == 503 and refused.json()["code"] == "unavailable"
        assert _rows(sqlite_url) == ([], [])
        again = client.post(JOIN, json={"code": game.codes["Reds"], "name": "Ann", "role": "manager"})
        assert again.status_code == 200, again.text
    assert _rows(sqlite_url)[0] == [("Reds", "Ann", "manager", "manager")]


# --- a batch comes to what the same joins one at a time come to -----------------------------------

OPEN, CLOSED, NO_TEAM = 0, 2, 3  # team slots: 0 and 1 admit, 2 is refused by admit, 3 has no team
FRESH = itertools.count()


@pytest.fixture(scope="module")
def draft_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, int]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('joins') / 'salesfloor.db'}"
    with TestClient(make_app(url)) as client:
        game = create_competition(client, login_instructor(client), teams=PEOPLE, start=False)
    store = Store(make_engine(url))
    yield store, game.id
    store.engine.dispose()


def _fresh_teams(store: Store, competition_id: int) -> list[str]:
    """Three new teams of the competition; their codes, and a code no team has."""
    n = next(FRESH)
    rows = [TeamRow(competition_id=competition_id, name=f"T{n}-{i}", join_code=f"C{n}X{i}") for i in range(3)]
    store.add_teams(rows)
    return [row.join_code for row in rows] + [f"NONE{n}"]


def _refuse_closed(team: TeamRow) -> None:
    if team.name.endswith(f"-{CLOSED}"):
        raise ServerError("conflict", "this competition has finished; teams can no longer join")


def _requests(codes: list[str], joins: list[tuple[int, str, str]]) -> list[JoinRequest]:
    return [
        JoinRequest(
            codes[slot],
            name,
            role,
            float(i),
            SessionRow(token_hash=f"{codes[0]}-{i}", role="member", created_at=0.0),
            role == "manager",
        )
        for i, (slot, name, role) in enumerate(joins)
    ]


def _outcome(joining: Joining) -> tuple[str | None, str | None, str | None, str | None]:
    """What a join came to, told apart from its team's name: (team slot, member, holder, refusal)."""
    slot = joining.team.name.rpartition("-")[2] if joining.team is not None else None
    member = joining.member.name if joining.member is not None else None
    refused = str(joining.refused) if joining.refused is not None else None
    return slot, member, joining.holder, refused


def _stored(store: Store, codes: list[str]) -> list[list[tuple[str, str, str | None]]]:
    """Each team's members as stored, in joining order: (name, role, claim)."""
    teams = [store.team_by_code(code) for code in codes[:NO_TEAM]]
    return [[(m.name, m.role, m.role_claim) for m in store.members(t.id)] for t in teams if t and t.id]


@settings(deadline=None, max_examples=40)
@given(
    joins=st.lists(
        st.tuples(
            st.sampled_from((OPEN, OPEN + 1, CLOSED, NO_TEAM)),
            st.sampled_from(("Ann", "Bob", "Cy")),
            st.sampled_from(("manager", "sales", "finance")),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_batch_comes_to_what_its_joins_one_at_a_time_come_to(
    draft_store: tuple[Store, int], joins: list[tuple[int, str, str]]
) -> None:
    store, competition_id = draft_store
    batch_codes, alone_codes = _fresh_teams(store, competition_id), _fresh_teams(store, competition_id)
    together = store.join_many(_requests(batch_codes, joins), _refuse_closed)
    alone = [store.join_many([request], _refuse_closed)[0] for request in _requests(alone_codes, joins)]
    assert [_outcome(j) for j in together] == [_outcome(j) for j in alone]
    assert _stored(store, batch_codes) == _stored(store, alone_codes)
    for teams in (_stored(store, batch_codes), _stored(store, alone_codes)):
        for members in teams:  # one name in the manager's role at most, holding the claim
            managers = {name for name, role, _claim in members if role == "manager"}
            assert len(managers) <= 1
            assert [name for name, _role, claim in members if claim] == sorted(managers)
