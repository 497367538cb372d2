"""The instructor manages who is in a team: a removed member is out at once, a new code locks the door.

A leaked join code is the likeliest way into another team. Removing the member ends every
session under that name (HTTP and the team channel), frees an exclusive role, keeps the
member's commands in the log; a new code stops the old one and leaves the members already in
alone; both last across a restart; nobody but the instructor may do either.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    receive_json,
)

TEAMS = (("Alpha", None), ("Bravo", None), ("House", "balanced"))


def _members(client: TestClient, game: Game) -> dict[str, dict[str, object]]:
    response = client.get(game.path("/members"), headers=game.instructor)
    assert response.status_code == 200, response.text
    return {entry["team"]: entry for entry in response.json()}


def _names(client: TestClient, game: Game, team: str) -> list[str]:
    return [m["name"] for m in _members(client, game)[team]["members"]]  # type: ignore[index]


def _apology(client: TestClient, member: Headers, enabled: bool = True) -> int:
    return client.put("/api/v1/team/policies/apology", json={"enabled": enabled}, headers=member).status_code


def test_a_removed_member_is_out_at_once_and_a_new_code_locks_the_door(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'members.db'}"
    with TestClient(make_app(url)) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=TEAMS, seconds_per_hour=60.0)
        kim = join_team(client, game.codes["Alpha"], "Kim", "sales")
        intruder = join_team(client, game.codes["Alpha"], "Mallory", "manager")
        bravo = join_team(client, game.codes["Bravo"], "Ann", "manager")
        assert _apology(client, intruder) == 200
        listed = _members(client, game)
        assert set(listed) == {"Alpha", "Bravo"}, "house-bot teams have no members to manage"
        alpha = {m["name"]: m for m in listed["Alpha"]["members"]}  # type: ignore[index]
        assert alpha["Mallory"]["roles"] == ["manager"] and alpha["Mallory"]["commands"] == 1
        assert alpha["Kim"]["signed_in"] == 1

        with client.websocket_connect("/ws/team", headers=intruder) as channel:
            assert receive_json(channel)["type"] == "hello"
            removed = client.delete(game.path("/teams/Alpha/members/Mallory"), headers=instructor)
            assert removed.status_code == 200, removed.text
            with pytest.raises(WebSocketDisconnect) as closed:
                for _ in range(1000):
                    receive_json(channel)
            assert closed.value.code == 1008
        assert [m["name"] for m in removed.json()["members"]] == ["Kim"]
        assert client.get("/api/v1/team", headers=intruder).status_code == 401
        assert _apology(client, intruder, False) == 401
        assert client.get("/api/v1/team", headers=kim).status_code == 200
        assert client.get("/api/v1/team", headers=bravo).status_code == 200
        log = client.get(game.path("/commands"), params={"source": "human"}, headers=instructor).json()
        assert len(log) == 1, "what the removed member did stays in the log"

        old_code = game.codes["Alpha"]
        fresh = client.post(game.path("/teams/Alpha/join-code"), headers=instructor)
        assert fresh.status_code == 200, fresh.text
        new_code = fresh.json()["join_code"]
        assert new_code != old_code
        refused = client.post(
            "/api/v1/session/join", json={"code": old_code, "name": "Mallory", "role": "sales"}
        )
        assert refused.status_code == 401 and "join code" in refused.json()["detail"]
        assert client.get("/api/v1/team", headers=kim).status_code == 200, "members already in stay in"
        detail = client.get(game.path(), headers=instructor).json()
        assert {t["name"]: t["join_code"] for t in detail["teams"]}["Alpha"] == new_code
        join_team(client, new_code, "Lee", "sales")
        assert _names(client, game, "Alpha") == ["Kim", "Lee"]

    with TestClient(make_app(url)) as client:  # both last across a restart
        game.instructor = login_instructor(client)
        assert _names(client, game, "Alpha") == ["Kim", "Lee"]
        assert client.get("/api/v1/team", headers=intruder).status_code == 401
        again = client.post("/api/v1/session/join", json={"code": old_code, "name": "X", "role": "sales"})
        assert again.status_code == 401


def test_removing_the_manager_frees_the_role(tmp_path: Path) -> None:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'm.db'}")) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=TEAMS, seconds_per_hour=60.0)
        join_team(client, game.codes["Alpha"], "Mallory", "manager")
        taken = client.post(
            "/api/v1/session/join", json={"code": game.codes["Alpha"], "name": "Kim", "role": "manager"}
        )
        assert taken.status_code == 409 and "Mallory is already the manager" in taken.json()["detail"]
        assert client.delete(game.path("/teams/Alpha/members/Mallory"), headers=instructor).status_code == 200
        kim = join_team(client, game.codes["Alpha"], "Kim", "manager")
        assert client.get("/api/v1/team", headers=kim).json()["role"] == "manager"


def test_only_the_instructor_manages_members_and_mistakes_change_nothing(tmp_path: Path) -> None:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'm.db'}")) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=TEAMS, seconds_per_hour=60.0)
        kim = join_team(client, game.codes["Alpha"], "Kim", "manager")
        judge = login_judge(client, game.judge_code, "Jo")
        before = _members(client, game)
        for who, status in ((kim, 403), (judge, 403), ({}, 401)):
            assert client.get(game.path("/members"), headers=who).status_code == status
            assert client.delete(game.path("/teams/Alpha/members/Kim"), headers=who).status_code == status
            assert client.post(game.path("/teams/Alpha/join-code"), headers=who).status_code == status
        nobody = client.delete(game.path("/teams/Alpha/members/Nobody"), headers=instructor)
        assert nobody.status_code == 404 and "no member called 'Nobody'" in nobody.json()["detail"]
        wrong_team = client.delete(game.path("/teams/Bravo/members/Kim"), headers=instructor)
        assert wrong_team.status_code == 404
        no_team = client.post(game.path("/teams/Zulu/join-code"), headers=instructor)
        assert no_team.status_code == 404 and "no team 'Zulu'" in no_team.json()["detail"]
        assert client.get("/api/v1/competitions/999/members", headers=instructor).status_code == 404
        assert _members(client, game) == before
        assert client.get("/api/v1/team", headers=kim).status_code == 200
