"""Awards, explanations and history through the API, checked against the fold of the log."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from scoring import MedalCounts, awards, score_events
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_judge,
    pause,
    play_until,
    status,
)

TEAMS = (("Alpha", "balanced"), ("Beta", "lax"), ("Gamma", "eager"), ("Delta", "dumper"))


@pytest.fixture(scope="module")
def game(module_client: TestClient, module_instructor: Headers) -> Game:
    game = create_competition(
        module_client, module_instructor, teams=TEAMS, seconds_per_hour=0.05, rounds=3, seed=12
    )
    play_until(
        module_client,
        game,
        lambda: status(module_client, game)["state"] == "finished",
        timeout=40,
        what="the end",
    )
    return game


def _get(client: TestClient, path: str, headers: Headers | None = None) -> Any:
    response = client.get(path, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def _live(client: TestClient, game: Game) -> Any:
    return client.app.state.runtime.live[game.id]  # type: ignore[attr-defined]


def test_awards_follow_the_standings_and_the_medal_counts(module_client: TestClient, game: Game) -> None:
    client = module_client
    live = _live(client, game)
    board = score_events(live.started().log, live.scoring, live.now)
    expected = awards(board.standings(live.now), board.metrics(live.now), MedalCounts())
    got = _get(client, game.path("/awards"), game.instructor)
    assert [(a["award"], a["team"]) for a in got["awards"]] == [(a.award, a.team) for a in expected]
    assert got["final"] is True and set(got["rules"]) >= {"winner", "best_collector"}
    standings = _get(client, game.path("/standings"), game.instructor)["standings"]
    assert next(a for a in got["awards"] if a["award"] == "winner")["team"] == standings[0]["team"]
    response = client.put(
        game.path("/awards/medals"), json={"gold": 2, "silver": 1, "bronze": 0}, headers=game.instructor
    )
    assert response.status_code == 200, response.text
    medals = [
        (a["award"], a["team"])
        for a in response.json()["awards"]
        if a["award"] in ("gold", "silver", "bronze")
    ]
    assert medals == [
        ("gold", standings[0]["team"]),
        ("gold", standings[1]["team"]),
        ("silver", standings[2]["team"]),
    ]
    assert (
        client.put(game.path("/awards/medals"), json={"gold": -1}, headers=game.instructor).status_code == 422
    )
    log = _get(client, game.path("/board-log"), game.instructor)
    assert log[-1]["action"] == "medals" and log[-1]["gold"] == 2
    public = _get(client, game.path("/public/awards"))
    assert public["awards"] == _get(client, game.path("/awards"), game.instructor)["awards"]


def test_every_figure_opens_to_the_events_behind_it(module_client: TestClient, game: Game) -> None:
    client = module_client
    judge = login_judge(client, game.judge_code)
    live = _live(client, game)
    log = live.started().log
    conversion = _get(client, game.path("/explain/Beta/conversion"), judge)
    assert (
        conversion["value"]
        == _get(client, game.path("/standings"), judge)["standings"][
            [r["team"] for r in _get(client, game.path("/standings"), judge)["standings"]].index("Beta")
        ]["conversion"]
    )
    for item in conversion["items"]:  # each closing points at the event that closed the inquiry
        event = log[item["seq"]]
        assert event.team == "Beta" and getattr(event, "inquiry_id", None) == item["inquiry_id"]
    lost = [i for i in conversion["items"] if i["outcome"] == "lost"]
    assert lost and all(i["reason"] for i in lost)  # why each was lost
    overdue = []
    for team, _bot in TEAMS:  # every invoice (rules v2), whether overdue and by how much, its risk
        receivables = _get(client, game.path(f"/explain/{team}/receivables"), judge)
        assert receivables["rules"] == 5
        for item in receivables["items"]:
            assert item["kind"] == "InvoiceRisk"
            assert log[item["seqs"][0]].kind == "invoice_issued"
            assert item["outstanding"] == pytest.approx(
                0.0 if item["written_off"] is not None else item["amount"] - item["collected"], abs=0.01
            )
            if item["outstanding"] > 0.005:
                assert item["expected_loss"] == pytest.approx(item["outstanding"] * item["loss_probability"])
            overdue += [item] if item["outstanding"] > 0 and item["days_past_due"] > 0 else []
    assert overdue, "some invoice is overdue after three rounds"
    profit = _get(client, game.path("/explain/Beta/profit"), judge)
    assert "% per business week" in profit["formula"] and [i["part"] for i in profit["items"]] == [
        "cash_gained",
        "owed",
        "expected_loss",
    ]
    composite = _get(client, game.path("/explain/Beta/composite"), judge)
    assert composite["weights"]["profit"] == 30.0 and composite["normalisation"] == "raw"
    assert "Σ w·m ÷ Σ w" in composite["formula"]
    assert {p["metric"] for p in composite["items"]} == {
        "conversion",
        "satisfaction",
        "receivables",
        "profit",
        "rubric",
    }
    assert client.get(game.path("/explain/Beta/luck"), headers=judge).status_code == 422
    assert client.get(game.path("/explain/Nobody/conversion"), headers=judge).status_code == 404


def test_history_has_rounds_and_a_score_series(module_client: TestClient, game: Game) -> None:
    client = module_client
    history = _get(client, game.path("/history?points=50"), game.instructor)
    assert [r["round"] for r in history["rounds"]] == [1, 2, 3]
    assert all(len(r["teams"]) == 4 for r in history["rounds"])
    series = history["series"]
    assert 2 <= len(series["t"]) <= 51 and series["t"] == sorted(series["t"])
    final = {r["team"]: r["composite"] for r in history["standings"]}
    assert {team: values[-1] for team, values in series["composite"].items()} == final
    assert all(len(values) == len(series["t"]) for values in series["composite"].values())
    # the series at a round's end matches that round's snapshot
    end_of_round_1 = history["rounds"][0]["t"]
    if end_of_round_1 in series["t"]:
        k = series["t"].index(end_of_round_1)
        snapshot = {t["team"]: t["composite"] for t in history["rounds"][0]["teams"]}
        assert {team: values[k] for team, values in series["composite"].items()} == pytest.approx(snapshot)
    public = _get(client, game.path("/public/history?points=50"))
    assert public["series"] == series  # nothing is frozen: the public sees the same


def test_a_team_explains_only_its_own_figures(module_client: TestClient, module_instructor: Headers) -> None:
    game = create_competition(
        module_client, module_instructor, teams=(("Own", None), ("Other", "balanced")), seconds_per_hour=60
    )
    pause(module_client, game)
    member = join_team(module_client, game.codes["Own"], "Io", "sales")
    own = _get(module_client, "/api/v1/team/explain/satisfaction", member)
    assert own["team"] == "Own"
    assert module_client.get(game.path("/explain/Other/conversion"), headers=member).status_code == 403


def test_a_team_report_has_its_figures_over_time_moments_and_explanations(
    module_client: TestClient, game: Game
) -> None:
    client = module_client
    report = _get(client, game.path("/report/Alpha"), game.instructor)
    series = report["series"]
    assert {"t", "composite", "rank", "conversion", "satisfaction", "receivables", "profit"} <= set(series)
    assert all(len(series[name]) == len(series["t"]) for name in series)
    history = _get(client, game.path("/history"), game.instructor)["series"]
    assert series["t"] == history["t"] and series["composite"] == history["composite"]["Alpha"]
    standings = {r["team"]: r for r in _get(client, game.path("/standings"), game.instructor)["standings"]}
    assert series["conversion"][-1] == standings["Alpha"]["conversion"] == report["standing"]["conversion"]
    assert [r["round"] for r in report["rounds"]] == [1, 2, 3]
    big = [m for m in report["moments"] if m["kind"] == "big_order"]
    log = _live(client, game).started().log
    won = sorted((e.value for e in log if e.kind == "order_won" and e.team == "Alpha"), reverse=True)
    assert [m["value"] for m in sorted(big, key=lambda m: -m["value"])] == won[:3]
    assert report["explanations"]["composite"]["formula"].startswith("composite =")
    closings = ("inquiry_lost", "inquiry_expired", "inquiry_declined")
    not_won = sum(1 for e in log if getattr(e, "team", None) == "Alpha" and e.kind in closings)
    assert sum(report["counts"]["not_won"].values()) == not_won > 0
    assert client.get(game.path("/report/Nobody"), headers=game.instructor).status_code == 404


def test_a_member_reads_only_its_own_team_s_report(
    module_client: TestClient, module_instructor: Headers
) -> None:
    game = create_competition(
        module_client, module_instructor, teams=(("Own", None), ("Other", "balanced")), seconds_per_hour=60
    )
    pause(module_client, game)
    member = join_team(module_client, game.codes["Own"], "Ka", "finance")
    assert module_client.get(game.path("/report/Own"), headers=member).status_code == 200
    assert module_client.get(game.path("/report/Other"), headers=member).status_code == 403
