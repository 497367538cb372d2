"""The lobby's API: who has joined which team (names and roles, removed members gone), join
codes for the instructor only, the planned start (checked, refused once started, cleared with
null), a lobby of no competition, and the debrief and round report refused before a round ends."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from server.wall_clock import wall_now
from tests.server.helpers import create_competition, join_team, login_instructor, make_app

TEAMS = (("Alpha", None), ("Bravo", None), ("Robots", "balanced"))


def test_the_lobby_lists_who_joined_and_keeps_the_codes_for_the_instructor(tmp_path: Path) -> None:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'lobby.db'}")) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=TEAMS, start=False)
        kim = join_team(client, game.codes["Alpha"], "Kim", "sales")
        join_team(client, game.codes["Alpha"], " kim ", "finance")  # Kim again, now in finance
        join_team(client, game.codes["Alpha"], "Mallory", "manager")
        client.delete(game.path("/teams/Alpha/members/Mallory"), headers=instructor)

        public = client.get(game.path("/public/lobby"))  # the helpers keep no cookie: nobody signed in
        assert public.status_code == 200, public.text
        body = public.json()
        assert body["name"] == "Test cup" and body["state"] == "draft" and body["starts_at"] is None
        teams = {t["name"]: t for t in body["teams"]}
        assert teams["Alpha"]["members"] == [{"name": "Kim", "roles": ["finance"]}]
        assert teams["Bravo"]["members"] == [] and teams["Robots"]["bot"] == "balanced"
        assert all("join_code" not in t for t in body["teams"])
        assert game.codes["Alpha"] not in public.text
        as_member = client.get(game.path("/public/lobby"), headers=kim).json()
        assert all("join_code" not in t for t in as_member["teams"])
        as_instructor = client.get(game.path("/public/lobby"), headers=instructor).json()
        assert {t["name"]: t["join_code"] for t in as_instructor["teams"]} == {
            name: game.detail["teams"][i]["join_code"]
            for i, name in enumerate(t["name"] for t in game.detail["teams"])
        }
        missing = client.get("/api/v1/competitions/999/public/lobby")
        assert missing.status_code == 404 and "no competition 999" in missing.json()["detail"]


def test_the_planned_start_is_checked_and_refused_once_started(tmp_path: Path) -> None:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'plan.db'}")) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=TEAMS, start=False)
        for bad in (-1, 1441, 2.5, "soon"):
            refused = client.put(game.path("/starts-at"), json={"minutes": bad}, headers=instructor)
            assert refused.status_code == 422, (bad, refused.text)
        assert client.get(game.path("/public/lobby")).json()["starts_at"] is None  # nothing changed
        before = wall_now()
        planned = client.put(game.path("/starts-at"), json={"minutes": 10}, headers=instructor)
        assert planned.status_code == 200, planned.text
        starts_at = client.get(game.path("/public/lobby")).json()["starts_at"]
        assert before + 600 <= starts_at <= wall_now() + 600
        cleared = client.put(game.path("/starts-at"), json={"minutes": None}, headers=instructor)
        assert cleared.json()["starts_at"] is None
        assert client.get(game.path("/debrief"), headers=instructor).status_code == 409
        client.post(game.path("/start"), headers=instructor)
        started = client.get(game.path("/public/lobby")).json()  # once started, names are private
        assert all(team["members"] == [] for team in started["teams"])
        late = client.put(game.path("/starts-at"), json={"minutes": 5}, headers=instructor)
        assert late.status_code == 409 and "started already" in late.json()["detail"]
        early = client.get(game.path("/debrief"), headers=instructor)
        assert early.status_code == 409 and "no round has ended yet" in early.json()["detail"]
        member = join_team(client, game.codes["Bravo"], "Ann", "manager")
        assert client.get("/api/v1/team/round-report", headers=member).status_code == 409
        client.post(game.path("/end"), headers=instructor)
