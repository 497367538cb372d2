"""One name per team holds the manager role, even when two people join as manager at the same instant.

The database keeps it (members.role_claim under a unique index, migration 0010), not a read
before the insert: joins on separate connections that both found the role free still end
with one manager, and the other is told who holds it (409, with the rule and values the
join page words in its language). Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.persistence.db.engine import make_engine, migrate
from server.persistence.db.tables import MemberRow, SessionRow, TeamRow
from server.persistence.store import Store
from server.persistence.store.teams import Joining, JoinRequest
from tests.server.helpers import (
    create_competition,
    insert_old_competition,
    join_team,
    login_instructor,
    make_app,
)

HUMANS = (("Humans", None),)
JOIN = "/api/v1/session/join"
CONTENDERS = 4


def _join_at_once(url: str, code: str, names: list[str]) -> list[Joining]:
    """Each name joins as manager on its own engine (its own connections), all of them having
    looked the team up before any looks for the role's holder."""
    together = threading.Barrier(len(names), timeout=30)
    stores = [Store(make_engine(url)) for _ in names]

    def one(i: int) -> Joining:
        session = SessionRow(token_hash=f"token-{i}", role="member", created_at=0.0)
        request = JoinRequest(code, names[i], "manager", float(i), session, exclusive=True)
        first = [True]

        def admit(_team: TeamRow) -> None:
            if first[0]:  # only the first look waits: a retry goes straight on
                first[0] = False
                together.wait()

        return stores[i].join_many([request], admit)[0]

    try:
        with ThreadPoolExecutor(len(names)) as pool:
            return list(pool.map(one, range(len(names))))
    finally:
        for store in stores:
            store.engine.dispose()


def test_simultaneous_managers_leave_one_and_tell_the_others_who(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        game = create_competition(client, login_instructor(client), teams=HUMANS, seconds_per_hour=3600)
        names = [f"Boss {i}" for i in range(CONTENDERS)]
        outcomes = _join_at_once(db_url, game.codes["Humans"], names)
        winners = [o.member.name for o in outcomes if o.member is not None]
        assert len(winners) == 1
        assert all(o.holder == winners[0] for o in outcomes if o.member is None)
        engine = make_engine(db_url)
        with Session(engine) as s:
            managers = s.exec(select(MemberRow).where(col(MemberRow.role) == "manager")).all()
            sessions = s.exec(select(SessionRow).where(col(SessionRow.role) == "member")).all()
        engine.dispose()
        assert [m.name for m in managers] == winners
        assert [x.member_id for x in sessions] == [managers[0].id]


def test_the_same_person_rejoining_as_manager_is_let_in_at_once(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        game = create_competition(client, login_instructor(client), teams=HUMANS, seconds_per_hour=3600)
        outcomes = _join_at_once(db_url, game.codes["Humans"], ["Ann", "Ann"])
        assert [o.member is not None for o in outcomes] == [True, True]


def test_a_taken_manager_role_is_a_409_with_words_for_both_languages(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=HUMANS, seconds_per_hour=3600)
    code = game.codes["Humans"]
    join_team(client, code, "Ann", "manager")
    refused = client.post(JOIN, json={"code": code, "name": "Bob", "role": "manager"})
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "conflict" and body["rule"] == "role_taken"
    assert body["values"] == {"name": "Ann", "role": "manager", "team": "Humans"}
    assert body["detail"] == "Ann is already the manager of Humans; choose another role"
    assert client.post(JOIN, json={"code": code, "name": "Ann", "role": "manager"}).status_code == 200
    assert client.post(JOIN, json={"code": code, "name": "Bob", "role": "sales"}).status_code == 200


def test_removing_the_manager_frees_the_role(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=HUMANS, seconds_per_hour=3600)
    code = game.codes["Humans"]
    join_team(client, code, "Ann", "manager")
    join_team(client, code, "Ann", "manager")  # two sign-ins under one name: both go
    removed = client.delete(game.path("/teams/Humans/members/Ann"), headers=game.instructor)
    assert removed.status_code == 200, removed.text
    assert client.post(JOIN, json={"code": code, "name": "Bob", "role": "manager"}).status_code == 200


def test_migration_0010_gives_the_claim_to_each_team_s_earliest_present_manager(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, "0009")
    member = (
        "INSERT INTO members (id, team_id, name, role, joined_at, removed_at) "
        "VALUES (:id, 1, :name, :role, 0, :gone)"
    )
    with engine.begin() as connection:
        insert_old_competition(connection)
        connection.execute(
            text("INSERT INTO teams (id, competition_id, name, join_code) VALUES (1, 1, 'T', 'C')")
        )
        rows = [(1, "Ann", "manager", 5.0), (2, "Bob", "manager", None), (3, "Bob", "manager", None)]
        rows += [(4, "Cat", "manager", None), (5, "Dan", "sales", None)]  # Cat: the race's second manager
        for id_, name, role, gone in rows:
            connection.execute(text(member), {"id": id_, "name": name, "role": role, "gone": gone})
    migrate(engine)
    with engine.begin() as connection:
        claims = connection.execute(text("SELECT id, role_claim FROM members ORDER BY id")).all()
    assert claims == [(1, None), (2, "manager"), (3, None), (4, None), (5, None)]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE members SET role_claim = 'manager' WHERE id = 4"))
    engine.dispose()
