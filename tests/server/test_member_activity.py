"""Who did what inside a team: each member's commands on the monitor (kept across a restart),
the peer review at the end (members rate teammates, only the instructor reads it), and both in
the grade sheet beside the team's score."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.exports.test_recompute_from_export import read_csv
from tests.server.helpers import Game, Headers, create_competition, join_team, login_instructor, make_app

TEAMS = (("Reds", None), ("Blues", None))


def _people(client: TestClient, game: Game, team: str) -> dict[str, dict[str, Any]]:
    monitor = client.get(game.path("/monitor"), headers=game.instructor).json()
    (row,) = [t for t in monitor["teams"] if t["team"] == team]
    return {p["name"]: p for p in row["people"]}


def _end(client: TestClient, game: Game) -> None:
    assert client.post(game.path("/end"), headers=game.instructor).status_code == 200


def _review(client: TestClient, who: Headers, ratings: list[dict[str, Any]]) -> Any:
    return client.put("/api/v1/team/peer-review", json={"ratings": ratings}, headers=who)


def test_the_monitor_counts_each_member_and_keeps_the_counts_across_a_restart(sqlite_url: str) -> None:
    with TestClient(make_app(sqlite_url)) as client:
        game = create_competition(client, login_instructor(client), teams=TEAMS, seconds_per_hour=30)
        rae = join_team(client, game.codes["Reds"], "Rae", "manager")
        join_team(client, game.codes["Reds"], "Sid", "sales")
        for enabled in (True, False, True):
            assert (
                client.put(
                    "/api/v1/team/policies/apology", json={"enabled": enabled}, headers=rae
                ).status_code
                == 200
            )
        assert client.post("/api/v1/team/invoices/nope/reminder", json={}, headers=rae).status_code == 404
        before = _people(client, game, "Reds")
        assert (before["Rae"]["commands"], before["Rae"]["refused"]) == (4, 1)
        assert (before["Sid"]["commands"], before["Sid"]["last_command_t"]) == (0, None)
        assert before["Rae"]["idle"] is False  # the market has not run four hours yet
        assert client.post(game.path("/pause"), headers=game.instructor).status_code == 200
    with TestClient(make_app(sqlite_url)) as client:
        game.instructor = login_instructor(client)
        after = _people(client, game, "Reds")
        assert after == before


def test_members_rate_teammates_at_the_end_and_only_the_instructor_reads_it(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client = module_client
    game = create_competition(client, module_instructor, teams=TEAMS, seconds_per_hour=30)
    rae = join_team(client, game.codes["Reds"], "Rae", "manager")
    sid = join_team(client, game.codes["Reds"], "Sid", "sales")
    join_team(client, game.codes["Reds"], "Fay", "finance")
    blue = join_team(client, game.codes["Blues"], "Bo", "manager")
    mine = client.get("/api/v1/team/peer-review", headers=rae).json()
    assert mine["open"] is False and [m["name"] for m in mine["teammates"]] == ["Sid", "Fay"]
    ids = {m["name"]: m["member_id"] for m in mine["teammates"]}
    # before the end: refused, and nothing is kept
    early = _review(client, rae, [{"member_id": ids["Sid"], "rating": 4}])
    assert early.status_code == 409 and "finished" in early.json()["detail"]
    _end(client, game)
    assert client.get(game.path("/peer-reviews"), headers=game.instructor).json()["reviews"] == 0
    # refused reviews name what is wrong and change nothing
    bo_id = client.get("/api/v1/team/peer-review", headers=blue).json()["teammates"]
    assert bo_id == []  # alone in the team: nobody to rate
    rae_id = client.get("/api/v1/team/peer-review", headers=sid).json()["teammates"][0]["member_id"]
    for bad, status in (
        ([{"member_id": rae_id, "rating": 4}], 422),  # herself
        ([{"member_id": ids["Sid"], "rating": 6}], 422),
        ([{"member_id": ids["Sid"], "rating": 0}], 422),
        ([{"member_id": ids["Sid"], "rating": 3}, {"member_id": ids["Sid"], "rating": 4}], 422),
        ([{"member_id": ids["Sid"], "rating": 3, "comment": "x" * 501}], 422),
    ):
        response = _review(client, rae, bad)
        assert response.status_code == status, (bad, response.text)
    assert (
        _review(client, blue, [{"member_id": ids["Sid"], "rating": 5}]).status_code == 422
    )  # not a teammate
    assert client.get(game.path("/peer-reviews"), headers=game.instructor).json()["reviews"] == 0
    # accepted; sending again replaces
    first = _review(client, rae, [{"member_id": ids["Sid"], "rating": 2, "comment": "late"}])
    assert first.status_code == 200, first.text
    again = _review(
        client,
        rae,
        [
            {"member_id": ids["Sid"], "rating": 5, "comment": "  carried the inbox "},
            {"member_id": ids["Fay"], "rating": 3},
        ],
    )
    assert [(m["name"], m["rating"], m["comment"]) for m in again.json()["teammates"]] == [
        ("Sid", 5, "carried the inbox"),
        ("Fay", 3, ""),
    ]
    assert (
        _review(client, sid, [{"member_id": rae_id, "rating": 4, "comment": "红队的核心"}]).status_code == 200
    )
    assert (
        _review(client, sid, [{"member_id": ids["Fay"], "rating": 2}]).status_code == 200
    )  # Sid replaces his
    # the instructor's view; members and judges cannot read it
    view = client.get(game.path("/peer-reviews"), headers=game.instructor).json()
    assert view["open"] is True and view["reviews"] == 3
    people = {m["name"]: m for m in view["members"]}
    assert (people["Sid"]["mean"], people["Sid"]["received"], people["Sid"]["given"]) == (5.0, 1, 1)
    assert (people["Fay"]["mean"], people["Fay"]["received"]) == (2.5, 2)
    assert people["Rae"]["mean"] is None and people["Rae"]["given"] == 2  # Sid's rating of her was replaced
    assert people["Sid"]["ratings"] == [{"by": "Rae", "rating": 5, "comment": "carried the inbox"}]
    assert client.get(game.path("/peer-reviews"), headers=rae).status_code == 403
    # the grade sheet: activity and peer review beside the team's score, figures rounded
    grades = {
        g["student"]: g
        for g in read_csv(client.get(game.path("/exports/grades.csv"), headers=game.instructor).content)
    }
    assert (grades["Sid"]["peer_rating"], grades["Sid"]["peer_ratings"], grades["Sid"]["peer_comments"]) == (
        "5.0", "1", "Rae: carried the inbox",
    )  # fmt: skip
    assert (grades["Fay"]["peer_rating"], grades["Fay"]["ratings_given"]) == ("2.5", "0")
    assert grades["Bo"]["peer_rating"] == "" and grades["Bo"]["peer_ratings"] == "0"
    for row in grades.values():
        for column in (
            "team_composite",
            "conversion",
            "satisfaction",
            "receivables",
            "profit",
            "last_command_hour",
        ):
            if row[column]:
                assert len(row[column].partition(".")[2]) <= 2, (column, row[column])
