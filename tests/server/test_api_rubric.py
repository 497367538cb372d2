"""The judges' rubric through the API: criteria, scores per judge, corrections logged with who and
when, the 0–100 component as the mean over judges merged into the composite with its weight,
refusals that change nothing, and all of it kept across a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    pause,
)

TEAMS = (("Alpha", None), ("Beta", None), ("Gamma", None))
RUBRIC_ONLY = {"conversion": 0, "satisfaction": 0, "receivables": 0, "profit": 0, "rubric": 1}


def _criterion(client: TestClient, game: Game, **body: Any) -> dict[str, Any]:
    response = client.post(game.path("/rubric/criteria"), json=body, headers=game.instructor)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _score(client: TestClient, game: Game, who: Headers, **body: Any) -> Any:
    return client.put(game.path("/rubric/scores"), json=body, headers=who)


def _standings(client: TestClient, game: Game) -> dict[str, dict[str, Any]]:
    rows = client.get(game.path("/standings"), headers=game.instructor).json()["standings"]
    return {r["team"]: r for r in rows}


def test_the_rubric_is_the_mean_over_judges_scaled_and_weighted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rubric.db'}"
    with TestClient(make_app(url)) as client:
        ins = login_instructor(client)
        game = create_competition(client, ins, teams=TEAMS, seconds_per_hour=60)
        pause(client, game)
        pitch = _criterion(client, game, name_en="Pitch", name_zh="路演", max_points=10)
        calls = _criterion(client, game, name_en="Calls", name_zh="电话", max_points=5, per_round=True)
        ann, bo = login_judge(client, game.judge_code, "Ann"), login_judge(client, game.judge_code, "Bo")
        for who, criterion, team, round_number, points in (
            (ann, pitch, "Alpha", None, 6),
            (bo, pitch, "Alpha", None, 10),  # Alpha's pitch: mean 8 of 10
            (ann, calls, "Alpha", 1, 5),  # Alpha's calls in round 1: 5 of 5 (one judge)
            (ann, pitch, "Beta", None, 3),
        ):
            body = {"criterion_id": criterion["id"], "team": team, "round": round_number, "points": points}
            response = _score(client, game, who, **body)
            assert response.status_code == 200, response.text
        rubric = client.get(game.path("/rubric"), headers=ann).json()
        # Alpha: 100 × (8 + 5) ÷ (10 + 5); Beta: 100 × 3 ÷ 10; Gamma: not scored
        assert rubric["component"] == {"Alpha": 100 * 13 / 15, "Beta": 30.0, "Gamma": None}
        # with weight 0 the rubric is shown but does not count
        assert _standings(client, game)["Alpha"]["rubric"] == 100 * 13 / 15
        assert (
            client.put(game.path("/scoring"), json={"weights": RUBRIC_ONLY}, headers=ins).status_code == 200
        )
        board = _standings(client, game)
        assert board["Alpha"]["composite"] == 100 * 13 / 15 and board["Beta"]["composite"] == 30.0
        assert board["Gamma"]["composite"] == 0.0  # no judges' points while others have some: 0
        # a correction replaces the judge's points (never adds), and the log keeps both lines
        assert _score(client, game, bo, criterion_id=pitch["id"], team="Alpha", points=8).status_code == 200
        assert client.get(game.path("/rubric"), headers=ins).json()["component"]["Alpha"] == 100 * 12 / 15
        # the instructor corrects a judge's score by naming the judge
        fixed = _score(client, game, ins, criterion_id=pitch["id"], team="Beta", points=4, judge="Ann")
        assert fixed.status_code == 200 and fixed.json()["component"] == 40.0
        withdrawn = _score(client, game, ann, criterion_id=calls["id"], team="Alpha", round=1, points=None)
        assert withdrawn.status_code == 200
        assert client.get(game.path("/rubric"), headers=ins).json()["component"]["Alpha"] == 70.0
        log = client.get(game.path("/rubric/log"), headers=bo).json()
        assert [(e["team"], e["judge"], e["by"], e["points"]) for e in log] == [
            ("Alpha", "Ann", "Ann", 6.0),
            ("Alpha", "Bo", "Bo", 10.0),
            ("Alpha", "Ann", "Ann", 5.0),
            ("Beta", "Ann", "Ann", 3.0),
            ("Alpha", "Bo", "Bo", 8.0),
            ("Beta", "Ann", "instructor", 4.0),
            ("Alpha", "Ann", "Ann", None),
        ]
        assert all(e["at"] > 0 and e["t_sim"] >= 0 for e in log)
        kept = _standings(client, game)
    with TestClient(make_app(url)) as client:  # a restart keeps the rubric and its effect
        ins = login_instructor(client)
        assert client.get(game.path("/rubric"), headers=ins).json()["component"]["Alpha"] == 70.0
        assert _standings(client, Game(game.id, game.judge_code, {}, ins)) == kept


def test_refused_scores_say_why_and_change_nothing(client: TestClient, instructor: Headers) -> None:
    game = create_competition(client, instructor, teams=TEAMS, seconds_per_hour=60, rounds=3)
    pitch = _criterion(client, game, name_en="Pitch", name_zh="路演", max_points=10)
    calls = _criterion(client, game, name_en="Calls", name_zh="电话", max_points=5, per_round=True)
    ann = login_judge(client, game.judge_code, "Ann")
    nameless = login_judge(client, game.judge_code)
    member = join_team(client, game.codes["Alpha"], "Cy", "manager")
    cases = [
        (nameless, {"criterion_id": pitch["id"], "team": "Alpha", "points": 5}, 403, "your name"),
        (ann, {"criterion_id": pitch["id"], "team": "Alpha", "points": 5, "judge": "Bo"}, 403, "its own"),
        (instructor, {"criterion_id": pitch["id"], "team": "Alpha", "points": 5}, 422, "name the judge"),
        (ann, {"criterion_id": pitch["id"], "team": "Alpha", "points": 11}, 422, "10"),
        (ann, {"criterion_id": pitch["id"], "team": "Alpha", "points": -1}, 422, "0"),
        (ann, {"criterion_id": pitch["id"], "team": "Alpha", "points": 5, "round": 1}, 422, "once"),
        (ann, {"criterion_id": calls["id"], "team": "Alpha", "points": 5}, 422, "round"),
        (ann, {"criterion_id": calls["id"], "team": "Alpha", "points": 5, "round": 4}, 422, "round"),
        (ann, {"criterion_id": pitch["id"], "team": "Nobody", "points": 5}, 404, "Nobody"),
        (ann, {"criterion_id": 999, "team": "Alpha", "points": 5}, 404, "999"),
        (member, {"criterion_id": pitch["id"], "team": "Alpha", "points": 10}, 403, "judges"),
    ]
    for who, body, code, words in cases:
        response = _score(client, game, who, **body)
        assert response.status_code == code, (body, response.text)
        assert words in response.json()["detail"], (body, response.json())
    nan = client.put(
        game.path("/rubric/scores"),
        content=b'{"criterion_id": %d, "team": "Alpha", "points": NaN}' % pitch["id"],
        headers={**ann, "Content-Type": "application/json"},
    )
    assert nan.status_code == 422
    assert client.get(game.path("/rubric/log"), headers=instructor).json() == []
    # criteria: refused changes
    bad = client.post(
        game.path("/rubric/criteria"),
        json={"name_en": " ", "name_zh": "x", "max_points": 5},
        headers=instructor,
    )
    assert bad.status_code == 422
    assert client.post(game.path("/rubric/criteria"), json={"name_en": "x"}, headers=ann).status_code == 403
    assert _score(client, game, ann, criterion_id=pitch["id"], team="Alpha", points=9).status_code == 200
    lower = client.put(
        game.path(f"/rubric/criteria/{pitch['id']}"),
        json={"name_en": "Pitch", "name_zh": "路演", "max_points": 5},
        headers=instructor,
    )
    assert lower.status_code == 409 and "9" in lower.json()["detail"]
    flip = client.put(
        game.path(f"/rubric/criteria/{pitch['id']}"),
        json={"name_en": "Pitch", "name_zh": "路演", "max_points": 10, "per_round": True},
        headers=instructor,
    )
    assert flip.status_code == 409
    renamed = client.put(
        game.path(f"/rubric/criteria/{pitch['id']}"),
        json={"name_en": "Pitch deck", "name_zh": "路演材料", "max_points": 20},
        headers=instructor,
    )
    assert renamed.status_code == 200 and renamed.json()["max_points"] == 20.0
    assert client.delete(game.path(f"/rubric/criteria/{pitch['id']}"), headers=instructor).status_code == 409
    assert client.delete(game.path(f"/rubric/criteria/{calls['id']}"), headers=instructor).status_code == 204
    criteria = client.get(game.path("/rubric"), headers=instructor).json()["criteria"]
    assert [c["name_en"] for c in criteria] == ["Pitch deck"]
    assert client.get(game.path("/rubric"), headers=instructor).json()["component"]["Alpha"] == 45.0
