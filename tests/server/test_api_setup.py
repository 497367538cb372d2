"""Setting up a class: team names in any script, parameters changed before the start, the list of
house bots, and the command log filtered by who sent the commands."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.helpers import Headers, create_competition, join_team, pause, status, wait_for


def test_team_names_may_be_chinese(client: TestClient, instructor: Headers) -> None:
    game = create_competition(
        client, instructor, teams=(("红队", None), ("Blue", "balanced")), seconds_per_hour=0.05
    )
    member = join_team(client, game.codes["红队"], "王芳", "manager")
    assert client.get("/api/v1/team", headers=member).json()["team"] == "红队"
    wait_for(lambda: status(client, game)["t_sim"] > 3, what="the game to run")
    rows = client.get(game.path("/standings"), headers=instructor).json()["standings"]
    assert {r["team"] for r in rows} == {"红队", "Blue"}
    refused = client.post(game.path("/teams"), json={"name": "_hidden"}, headers=instructor)
    assert refused.status_code in (409, 422)


def test_parameters_change_before_the_start_and_the_game_starts_with_them(
    client: TestClient, instructor: Headers
) -> None:
    game = create_competition(client, instructor, start=False)
    shipped = client.get(game.path("/parameters"), headers=instructor).json()["shortlist_size"]
    wanted = shipped + 1  # another value than the preset's, whatever the preset ships
    response = client.post(
        game.path("/parameters"), json={"changes": {"shortlist_size": wanted}}, headers=instructor
    )
    assert response.status_code == 200, response.text
    assert response.json()["parameters"]["shortlist_size"] == wanted
    bad = client.post(game.path("/parameters"), json={"changes": {"shortlist_size": -1}}, headers=instructor)
    assert bad.status_code == 422 and "shortlist_size" in bad.json()["detail"]
    assert client.get(game.path("/parameters"), headers=instructor).json()["shortlist_size"] == wanted
    assert client.post(game.path("/start"), headers=instructor).status_code == 200
    assert client.get(game.path("/parameters"), headers=instructor).json()["shortlist_size"] == wanted
    history = client.get(game.path("/parameters/history"), headers=instructor).json()
    assert [h["changes"] for h in history] == [[["shortlist_size", wanted]]]
    assert [h["before"] for h in history] == [{"shortlist_size": shipped}]  # before the start too
    running = client.post(
        game.path("/parameters"), json={"changes": {"shortlist_size": shipped}}, headers=instructor
    )
    assert running.status_code == 409


def test_the_house_bots_are_listed_with_what_they_do(client: TestClient) -> None:
    bots = {b["name"]: b["description"] for b in client.get("/api/v1/bots").json()}
    assert set(bots) == {
        *("passive", "balanced", "eager", "dumper", "lax", "lavish"),
        *("cod", "lender", "forgetful", "forgiver"),
    }
    assert all(bots.values())


def test_the_command_log_can_be_read_by_source_and_the_list_counts_teams(
    client: TestClient, instructor: Headers
) -> None:
    game = create_competition(client, instructor, seconds_per_hour=0.05)
    pause(client, game)
    assert (
        client.post(game.path("/announcements"), json={"text": "Hello"}, headers=instructor).status_code
        == 200
    )
    mine = client.get(game.path("/commands"), params={"source": "instructor"}, headers=instructor).json()
    assert [c["command"]["kind"] for c in mine] == ["announce"]
    assert (
        client.get(game.path("/commands"), params={"source": "aliens"}, headers=instructor).status_code == 422
    )
    listed = {c["id"]: c for c in client.get("/api/v1/competitions", headers=instructor).json()}
    assert listed[game.id]["teams"] == 3
