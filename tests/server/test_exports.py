"""Exports through the API: every table as CSV and XLSX, and the exported event log recomputes,
with the documented formulas alone (tests/exports/test_recompute_from_export.py), to the
exported standings and per-round results of a live competition — rubric included, recomputed
from the exported rubric log.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.exports.test_recompute_from_export import compare, read_csv, recompute
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_judge,
    pause,
    play_until,
    quote_by_policy,
    status,
)

WEIGHTS = {"conversion": 30, "satisfaction": 30, "receivables": 25, "profit": 15, "rubric": 10}


@pytest.fixture(scope="module")
def played(module_client: TestClient, module_instructor: Headers) -> Game:
    client, ins = module_client, module_instructor
    game = create_competition(client, ins, seconds_per_hour=0.05, rounds=5, seed=31)
    member = join_team(client, game.codes["Humans"], "Ravi", "manager")
    join_team(client, game.codes["Humans"], "Sun", "finance")
    quote_by_policy(client, member, discount=0.03)
    assert client.put(game.path("/scoring"), json={"weights": WEIGHTS}, headers=ins).status_code == 200
    once = client.post(
        game.path("/rubric/criteria"),
        json={"name_en": "Pitch", "name_zh": "路演", "max_points": 10, "per_round": False},
        headers=ins,
    ).json()
    each = client.post(
        game.path("/rubric/criteria"),
        json={"name_en": "=cmd|' /C calc'!A0", "name_zh": "每轮", "max_points": 4, "per_round": True},
        headers=ins,
    ).json()
    ann, bo = login_judge(client, game.judge_code, "Ann"), login_judge(client, game.judge_code, "Bo")
    for judge, criterion, team, round_number, points in (
        (ann, once, "Alpha", None, 7),
        (bo, once, "Alpha", None, 9),
        (ann, once, "Alpha", None, 8),  # a correction: Ann's 7 becomes 8
        (ann, each, "Beta", 1, 3),
        (bo, each, "Beta", 2, 4),
        (bo, once, "Humans", None, 2),
    ):
        body = {"criterion_id": criterion["id"], "team": team, "round": round_number, "points": points}
        assert client.put(game.path("/rubric/scores"), json=body, headers=judge).status_code == 200
    play_until(client, game, lambda: status(client, game)["round"] >= 4, timeout=40, what="round 4")
    pause(client, game)  # a paused class is still: the house bots hold their commands meanwhile
    return game


def _csv(client: TestClient, game: Game, name: str) -> list[dict[str, str]]:
    response = client.get(game.path(f"/exports/{name}.csv"), headers=game.instructor)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert f"salesfloor-{game.id}-{name}.csv" in response.headers["content-disposition"]
    return read_csv(response.content)


def _rubric_from_log(rows: list[dict[str, str]]) -> dict[str, float]:
    """docs/scoring.md "Rubric": per (criterion, round) the mean over judges, 100 × Σ means ÷ Σ max."""
    latest: dict[tuple[str, str, str, str], dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: int(r["seq"])):
        latest[(row["criterion_id"], row["team"], row["judge"], row["round"])] = row
    items: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    maxima: dict[tuple[str, str, str], float] = {}
    for (criterion, team, _judge, round_), row in latest.items():
        if row["points"] == "":
            continue
        items[(team, criterion, round_)].append(float(row["points"]))
        maxima[(team, criterion, round_)] = float(row["max_points"])
    totals: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for key, points in items.items():
        totals[key[0]][0].append(math.fsum(points) / len(points))
        totals[key[0]][1].append(maxima[key])
    return {team: min(100.0, 100.0 * math.fsum(m) / math.fsum(x)) for team, (m, x) in totals.items()}


def test_the_exported_event_log_recomputes_to_the_exported_standings(
    module_client: TestClient, played: Game
) -> None:
    client = module_client
    standings = _csv(client, played, "standings")
    rubric = _rubric_from_log(_csv(client, played, "rubric"))
    assert rubric == pytest.approx({"Alpha": 85.0, "Beta": 87.5, "Humans": 20.0})
    exported_rubric = {r["team"]: float(r["rubric"]) for r in standings if r["rubric"]}
    assert exported_rubric == pytest.approx(rubric, rel=1e-12)
    mine, rounds = recompute(_csv(client, played, "events"), _csv(client, played, "scoring"), rubric)
    assert compare(standings, mine) == []
    assert compare(_csv(client, played, "rounds"), rounds) == []
    assert len(rounds) >= 3 * 3  # three teams, at least three rounds ended
    # and a wrong formula would not have passed
    for flaw in ("experience_is_s", "not_due_escapes"):  # the competition plays rules v2
        events, scoring = _csv(client, played, "events"), _csv(client, played, "scoring")
        wrong, _ = recompute(events, scoring, rubric, frozenset({flaw}))
        assert compare(standings, wrong) != [], flaw
    assert compare(standings, recompute(events, scoring, {**rubric, "Alpha": 84.0})[0]) != []


def test_the_grade_sheet_has_a_row_per_student_with_their_activity(
    module_client: TestClient, played: Game
) -> None:
    grades = _csv(module_client, played, "grades")
    assert [(g["team"], g["student"], g["role"]) for g in grades] == [
        ("Humans", "Ravi", "manager"),
        ("Humans", "Sun", "finance"),
    ]
    ravi = grades[0]
    assert int(ravi["commands"]) == 3  # the three quote policies; the quotes themselves are automated
    assert int(ravi["refused"]) == 0 and ravi["team_rank"] != "" and ravi["rubric"] == "20.0"


def test_every_table_comes_as_xlsx_and_all_in_one_workbook(module_client: TestClient, played: Game) -> None:
    response = module_client.get(played.path("/exports/all.xlsx"), headers=played.instructor)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["standings", "rounds", "rubric", "events", "grades", "scoring"]
    rubric = list(book["rubric"].iter_rows(values_only=True))
    # a criterion named like a formula stays text (no formula injection into a spreadsheet)
    assert any(row[2] == "=cmd|' /C calc'!A0" for row in rubric[1:])
    standings = list(book["standings"].iter_rows(values_only=True))
    assert isinstance(standings[1][2], float)  # numbers are numbers
    for name in ("standings", "rounds", "rubric", "events", "grades", "scoring"):
        one = module_client.get(played.path(f"/exports/{name}.xlsx"), headers=played.instructor)
        assert one.status_code == 200 and one.content[:2] == b"PK"


def test_an_unknown_export_names_the_choices(module_client: TestClient, played: Game) -> None:
    for name in ("nothing.csv", "standings.pdf", "all.csv"):
        response = module_client.get(played.path(f"/exports/{name}"), headers=played.instructor)
        assert response.status_code == 404, name
        assert "standings.csv" in response.json()["detail"] or "all.xlsx" in response.json()["detail"]
