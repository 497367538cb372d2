"""A student who signs in again is the same member, not a new one.

A join under a name already in the team (compared as server.input.names compares names: NFC,
spaces tidied, case folded) signs in as that member: the same member id, a new token, and the
earlier sessions still valid (a projector and a laptop). The role is the one asked, unless
another name holds it; giving up the manager role frees it. Everything keyed by member — the
monitor, Idempotency-Keys, the peer review, the grade sheet — sees one person. Two joins of a
new name in one batch, or in batches racing on separate connections, end as one member (the
unique index on (team, name_key), migration 0013). SQLite and PostgreSQL where the database matters.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.input.names import display_name, name_key
from server.live.idempotency import HEADER
from server.persistence.db.engine import make_engine, migrate
from server.persistence.db.tables import MemberRow, SessionRow
from tests.exports.test_recompute_from_export import read_csv
from tests.server.archive_samples import members_of, rezip, sample_archive, sample_competition
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    insert_old_competition,
    join_team,
    login_instructor,
    make_app,
)
from tests.server.test_join_batches import _batches_at_once, _one_batch

JOIN = "/api/v1/session/join"
TEAMS = (("Reds", None), ("Blues", None))
ZOE_COMPOSED = unicodedata.normalize("NFC", "Zoë")
ZOE_DECOMPOSED = unicodedata.normalize("NFD", "Zoë")


def _stored(url: str) -> tuple[list[MemberRow], list[SessionRow]]:
    """Every member row (in id order) and every member session."""
    engine = make_engine(url)
    with Session(engine) as s:
        members = list(s.exec(select(MemberRow).order_by(col(MemberRow.id))))
        sessions = list(s.exec(select(SessionRow).where(col(SessionRow.role) == "member")))
    engine.dispose()
    return members, sessions


def _me(client: TestClient, who: Headers) -> dict[str, Any]:
    response = client.get("/api/v1/session", headers=who)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _monitor(client: TestClient, game: Game, team: str) -> list[dict[str, Any]]:
    monitor = client.get(game.path("/monitor"), headers=game.instructor).json()
    (row,) = [t for t in monitor["teams"] if t["team"] == team]
    people: list[dict[str, Any]] = row["people"]
    return people


def test_name_key_is_how_a_person_reads_a_name() -> None:
    assert {name_key(n) for n in ("Mei", " mei ", "MEI", "mEi")} == {"mei"}
    assert name_key("Li   Na") == name_key(" li\tna ") == "li na"
    assert name_key(ZOE_COMPOSED) == name_key(ZOE_DECOMPOSED) == name_key("ZOË")
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key("小明") == "小明" and name_key(" 小明 ") == "小明"
    assert name_key("Mei") != name_key("Meg") and name_key("Li Na") != name_key("Lina")
    assert display_name(f"  {ZOE_DECOMPOSED}   Ng ") == f"{ZOE_COMPOSED} Ng"


def test_signing_in_again_is_the_same_member_with_a_new_token_and_the_old_one_still_works(
    db_url: str,
) -> None:
    with TestClient(make_app(db_url)) as client:
        game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
        laptop = join_team(client, game.codes["Reds"], "Mei", "sales")
        projector = join_team(client, game.codes["Reds"], "Mei", "sales")
        assert laptop != projector
        for who in (laptop, projector):
            me = _me(client, who)
            assert (me["member"], me["team"], me["team_role"]) == ("Mei", "Reds", "sales")
            assert client.get("/api/v1/team/state", headers=who).status_code == 200
        people = _monitor(client, game, "Reds")
        assert [p["name"] for p in people] == ["Mei"]
        listed = client.get(game.path("/members"), headers=game.instructor).json()
        (reds,) = [entry for entry in listed if entry["team"] == "Reds"]
        assert [(m["name"], m["signed_in"]) for m in reds["members"]] == [("Mei", 2)]
    members, sessions = _stored(db_url)
    assert [(m.name, m.role, m.name_key) for m in members] == [("Mei", "sales", "mei")]
    assert [s.member_id for s in sessions] == [members[0].id, members[0].id]


def test_spellings_of_one_name_are_one_member_and_other_names_are_others(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
    code = game.codes["Reds"]
    spellings = {
        "Mei": ["Mei", " mei ", "MEI"],
        "Li Na": ["Li Na", "li   na", "LI\u00a0NA"],
        ZOE_COMPOSED: [ZOE_COMPOSED, ZOE_DECOMPOSED, "zoë"],
        "小明": ["小明", " 小明 "],
    }
    for first, names in spellings.items():
        for name in names:
            answer = client.post(JOIN, json={"code": code, "name": name, "role": "sales"})
            assert answer.status_code == 200, answer.text
            assert answer.json()["member"] == first  # the spelling of the first sign-in
    for other in ("Meg", "Lina", "Zoe", "小明明"):
        assert client.post(JOIN, json={"code": code, "name": other, "role": "sales"}).status_code == 200
    blues = client.post(JOIN, json={"code": game.codes["Blues"], "name": "Mei", "role": "sales"})
    assert blues.status_code == 200  # another team's Mei is another person
    people = _monitor(client, game, "Reds")
    assert sorted(p["name"] for p in people) == sorted([*spellings, "Meg", "Lina", "Zoe", "小明明"])
    assert len({p["id"] for p in people}) == len(people)
    assert [p["name"] for p in _monitor(client, game, "Blues")] == ["Mei"]


def test_a_member_s_keys_hold_across_their_sessions(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
    laptop = join_team(client, game.codes["Reds"], "Mei", "manager")
    phone = join_team(client, game.codes["Reds"], "mei", "manager")
    path, body = "/api/v1/team/policies/reminders", {"days_after_due": 3}
    first = client.put(path, json=body, headers={**laptop, HEADER: "reminders-1"})
    assert first.status_code == 200, first.text
    again = client.put(path, json=body, headers={**phone, HEADER: "reminders-1"})
    assert (again.status_code, again.json()) == (200, first.json())
    other = client.put(path, json={"days_after_due": 9}, headers={**phone, HEADER: "reminders-1"})
    assert other.status_code == 409, other.text  # her key, used from her other session for another command
    (mei,) = _monitor(client, game, "Reds")
    assert mei["commands"] == 1


def test_the_manager_role_is_one_name_s_however_spelled_and_giving_it_up_frees_it(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
        code = game.codes["Reds"]
        ann = join_team(client, code, "Ann", "manager")
        assert client.post(JOIN, json={"code": code, "name": " ANN ", "role": "manager"}).status_code == 200
        taken = client.post(JOIN, json={"code": code, "name": "Bob", "role": "manager"})
        assert taken.status_code == 409 and taken.json()["rule"] == "role_taken"
        assert taken.json()["values"] == {"name": "Ann", "role": "manager", "team": "Reds"}
        # Ann signs in again as sales: the manager role is free, and her earlier session reads sales
        assert (
            client.post(JOIN, json={"code": code, "name": "ann", "role": "sales"}).json()["team_role"]
            == "sales"
        )
        assert _me(client, ann)["team_role"] == "sales"
        assert client.post(JOIN, json={"code": code, "name": "Bob", "role": "manager"}).status_code == 200
        back = client.post(JOIN, json={"code": code, "name": "Ann", "role": "manager"})
        assert back.status_code == 409 and back.json()["values"]["name"] == "Bob"
        assert _me(client, ann)["team_role"] == "sales"  # a refused join leaves her as she was
    members, _sessions = _stored(db_url)
    assert [(m.name, m.role, m.role_claim) for m in members] == [
        ("Ann", "sales", None),
        ("Bob", "manager", "manager"),
    ]


def test_a_removed_member_is_removed_however_spelled_and_joining_again_is_a_new_member(
    client: TestClient,
) -> None:
    game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
    code = game.codes["Reds"]
    old = join_team(client, code, "Mei", "manager")
    (before,) = _monitor(client, game, "Reds")
    removed = client.delete(game.path("/teams/Reds/members/ MEI"), headers=game.instructor)
    assert removed.status_code == 200, removed.text
    assert client.get("/api/v1/session", headers=old).status_code == 401
    assert _monitor(client, game, "Reds") == []
    join_team(client, code, "Mei", "manager")  # the manager role was freed with her
    (after,) = _monitor(client, game, "Reds")
    assert after["name"] == "Mei" and after["id"] != before["id"]


def test_the_same_new_name_twice_in_one_batch_is_one_member(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
        reds = game.codes["Reds"]
        bodies = [
            {"code": reds, "name": "Mei", "role": "manager"},
            {"code": reds, "name": " mei", "role": "manager"},
            {"code": reds, "name": "Kai", "role": "service"},
            {"code": reds, "name": "MEI ", "role": "manager"},
        ]
        answers = _one_batch(client, {"code": reds, "name": "Sue", "role": "sales"}, bodies)
        assert [a.status_code for a in answers] == [200, 200, 200, 200], [a.text for a in answers]
        named = [a.json()["member"] for a in answers]  # the batch's order is the order they queued in
        assert named[2] == "Kai" and named[0] == named[1] == named[3] in ("Mei", "mei", "MEI")
    members, sessions = _stored(db_url)
    assert sorted((name_key(m.name), m.role, m.role_claim) for m in members) == [
        ("kai", "service", None),
        ("mei", "manager", "manager"),
        ("sue", "sales", None),
    ]
    (mei,) = [m.id for m in members if m.name == named[0]]
    assert sorted(s.member_id == mei for s in sessions) == [False, False, True, True, True]


def test_the_same_new_name_in_batches_racing_on_separate_connections_is_one_member(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
        code = game.codes["Reds"]
    batches = [[("Mei", "sales"), (f"Hand {i}", "service")] for i in range(2)] + [[(" MEI ", "sales")]]
    outcomes = _batches_at_once(db_url, code, batches)
    meis = {batch[0].member.id for batch in outcomes if batch[0].member is not None}
    assert len(meis) == 1 and all(batch[0].member is not None for batch in outcomes)
    members, sessions = _stored(db_url)
    # one Mei, under the spelling of whichever batch committed first
    assert sorted(m.name for m in members if m.name.startswith("Hand")) == ["Hand 0", "Hand 1"]
    assert [m.name for m in members if name_key(m.name) == "mei"] in (["Mei"], ["MEI"])
    assert sum(s.member_id in meis for s in sessions) == 3


def test_the_peer_review_lists_teammates_not_the_rater_signed_in_twice(client: TestClient) -> None:
    game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
    code = game.codes["Reds"]
    mei = join_team(client, code, "Mei", "manager")
    join_team(client, code, "Sid", "sales")
    again = join_team(client, code, "mei", "manager")
    assert client.post(game.path("/end"), headers=game.instructor).status_code == 200
    for who in (mei, again):
        mates = client.get("/api/v1/team/peer-review", headers=who).json()["teammates"]
        assert [m["name"] for m in mates] == ["Sid"]
    sid_id = client.get("/api/v1/team/peer-review", headers=mei).json()["teammates"][0]["member_id"]
    rated = client.put(
        "/api/v1/team/peer-review", json={"ratings": [{"member_id": sid_id, "rating": 4}]}, headers=again
    )
    assert rated.status_code == 200, rated.text
    grades = read_csv(client.get(game.path("/exports/grades.csv"), headers=game.instructor).content)
    reds = sorted((g["student"], g["ratings_given"]) for g in grades if g["team"] == "Reds")
    assert reds == [("Mei", "1"), ("Sid", "0")]


def test_a_duplicate_row_from_before_0013_is_not_a_teammate_of_its_own_name(sqlite_url: str) -> None:
    with TestClient(make_app(sqlite_url)) as client:
        game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
        mei = join_team(client, game.codes["Reds"], "Mei", "sales")
        join_team(client, game.codes["Reds"], "Sid", "sales")
        (first, _sid) = _stored(sqlite_url)[0]
        with client.app.state.runtime.store.engine.begin() as connection:  # type: ignore[attr-defined]
            connection.execute(  # a second sign-in of Mei as the server stored it before 0013
                text(
                    "INSERT INTO members (team_id, name, role, joined_at) VALUES (:team, 'MEI', 'sales', 1)"
                ),
                {"team": first.team_id},
            )
        assert client.post(game.path("/end"), headers=game.instructor).status_code == 200
        mates = client.get("/api/v1/team/peer-review", headers=mei).json()["teammates"]
        assert [m["name"] for m in mates] == ["Sid"]
        listed = client.get(game.path("/members"), headers=game.instructor).json()
        (reds,) = [entry for entry in listed if entry["team"] == "Reds"]
        assert [m["name"] for m in reds["members"]] == ["Mei", "Sid"]


def test_migration_0013_keys_the_earliest_present_row_of_each_name(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, "0012")
    member = (
        "INSERT INTO members (id, team_id, name, role, joined_at, removed_at) "
        "VALUES (:id, :team, :name, 'sales', 0, :gone)"
    )
    with engine.begin() as connection:
        insert_old_competition(connection)
        for id_, code in ((1, "C1"), (2, "C2")):
            connection.execute(
                text("INSERT INTO teams (id, competition_id, name, join_code) VALUES (:id, 1, :name, :code)"),
                {"id": id_, "name": f"T{id_}", "code": code},
            )
        rows = [(1, 1, "Mei", 5.0), (2, 1, "mei ", None), (3, 1, "MEI", None), (4, 2, "Mei", None)]
        rows += [(5, 1, ZOE_DECOMPOSED, None), (6, 1, ZOE_COMPOSED, None), (7, 1, "Sid", None)]
        for id_, team, name, gone in rows:
            connection.execute(text(member), {"id": id_, "team": team, "name": name, "gone": gone})
    migrate(engine)
    with engine.begin() as connection:
        keys = connection.execute(text("SELECT id, name_key FROM members ORDER BY id")).all()
    zoe = name_key(ZOE_COMPOSED)
    assert keys == [(1, None), (2, "mei"), (3, None), (4, "mei"), (5, zoe), (6, None), (7, "sid")]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE members SET name_key = 'mei' WHERE id = 3"))
    engine.dispose()


def test_a_manager_giving_the_role_up_and_another_taking_it_in_one_batch_both_go_in(db_url: str) -> None:
    with TestClient(make_app(db_url)) as client:
        game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=3600)
        reds = game.codes["Reds"]
        join_team(client, reds, "Bob", "sales")  # Bob's row comes first: his claim is written first
        join_team(client, reds, "Ann", "manager")
    ((ann, bob),) = _batches_at_once(
        db_url, reds, [[("ann", "sales"), ("BOB", "manager")]]
    )  # one batch, in order
    assert ann.member is not None and bob.member is not None
    assert (ann.member.role, bob.member.role, bob.member.role_claim) == ("sales", "manager", "manager")
    members, _sessions = _stored(db_url)
    assert [(m.name, m.role, m.role_claim) for m in members] == [
        ("Bob", "manager", "manager"),
        ("Ann", "sales", None),
    ]


def test_an_archive_that_repeats_a_name_imports_replays_and_exports_its_members_as_they_were(
    db_url: str,
) -> None:
    repeated = [
        {"team": "T01", "name": "Lin", "role": "manager", "joined_at": 1.0, "removed_at": None},
        {"team": "T01", "name": " lin", "role": "sales", "joined_at": 2.0, "removed_at": None},
        {"team": "T01", "name": "LIN", "role": "service", "joined_at": 3.0, "removed_at": 4.0},
        {"team": "T02", "name": "Lin", "role": "sales", "joined_at": 5.0, "removed_at": None},
    ]
    archive = rezip(sample_archive(), {"members.json": repeated})
    with TestClient(make_app(db_url)) as client:
        ins = login_instructor(client)
        imported = client.post(
            "/api/v1/competitions/import", content=archive, headers={**ins, "Content-Type": "application/zip"}
        )
        assert imported.status_code == 201, imported.text
        assert (
            imported.json()["digest"] == sample_competition().digest() and imported.json()["damaged"] is None
        )
        again = client.get(f"/api/v1/competitions/{imported.json()['id']}/exports/archive.zip", headers=ins)
        assert again.status_code == 200
    assert json.loads(members_of(again.content)["members.json"]) == repeated
    members, _sessions = _stored(db_url)
    assert [(m.name, m.name_key, m.role_claim) for m in members] == [
        ("Lin", "lin", "manager"),
        (" lin", None, None),
        ("LIN", None, None),
        ("Lin", "lin", None),
    ]
