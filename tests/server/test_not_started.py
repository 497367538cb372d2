"""Not started is a state: before its start a competition reads as the empty game, and every
route that needs a game answers one 409 ("the competition has not started…"); once started,
the live competition's read API answers from the simulation.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from market.presets import load_preset
from server.errors import ServerError
from server.live import LiveCompetition, NotStarted, Started
from server.live.stage import not_started
from simulator.competition import Competition, TeamSpec
from tests.server.helpers import Game, create_competition, in_loop, join_team, login_judge

TEAMS = (("Humans", None), ("Robots", "balanced"))


def _played() -> Competition:
    competition = Competition(
        load_preset("classroom"), 7, [TeamSpec("A", "balanced"), TeamSpec("B")], rounds=1
    )
    competition.advance_to(competition.end_t / 2)
    return competition


def test_not_started_reads_as_the_empty_game_and_refuses_what_needs_one() -> None:
    stage = NotStarted()
    assert stage.now == 0.0
    assert list(stage.log) == [] and stage.events_since(0) == [] and stage.events_at((0, 1)) == []
    assert stage.commands_since(0) == [] and stage.event_count == 0 and stage.command_count == 0
    assert stage.digest() is None and stage.cash("A") is None
    with pytest.raises(ServerError) as refused:
        stage.simulation("there is nothing to export yet")
    assert refused.value.status == 409
    assert refused.value.reason == "the competition has not started; there is nothing to export yet"
    with pytest.raises(ServerError) as refused:
        stage.desk("A")
    assert refused.value.status == 409 and refused.value.reason == "the competition has not started yet"


def test_started_answers_from_the_simulation() -> None:
    competition = _played()
    stage = Started(competition)
    log = list(competition.log)
    assert len(log) > 10 and competition.commands  # the balanced bot has played
    assert stage.simulation() is competition and stage.now == competition.now
    assert stage.events_since(0) == log and stage.events_since(5) == log[5:]
    assert stage.events_at((3, 1)) == [log[3], log[1]]
    assert stage.commands_since(1) == competition.commands[1:]
    assert (stage.event_count, stage.command_count) == (len(log), len(competition.commands))
    assert stage.digest() == competition.digest()
    assert stage.desk("A") is competition.desks["A"]
    assert stage.cash("B") == competition.desks["B"].ledger.cash


# --- through the routes -----------------------------------------------------------------------------------

REFUSALS = {
    "/exports/standings.csv": "there is nothing to export yet",
    "/debrief": "the debrief of a round comes after its end",
    "/awards": "there are no awards yet",
    "/explain/Humans/profit": "there is nothing to explain yet",
    "/history": "there is nothing to explain yet",
    "/report/Humans": "there is nothing to explain yet",
}


@pytest.fixture
def draft(client: TestClient, instructor: dict[str, str]) -> Game:
    return create_competition(client, instructor, teams=TEAMS, start=False)


def _live(client: TestClient, game: Game) -> LiveCompetition:
    return client.app.state.runtime.live[game.id]  # type: ignore[attr-defined,no-any-return]


def _get(client: TestClient, path: str, headers: dict[str, str]) -> Any:
    return client.get(path, headers=headers)


@pytest.mark.parametrize("suffix", sorted(REFUSALS))
def test_every_route_that_needs_a_game_refuses_a_draft_with_one_409(
    client: TestClient, draft: Game, suffix: str
) -> None:
    refused = _get(client, draft.path(suffix), draft.instructor)
    assert refused.status_code == 409, refused.text
    assert refused.json() == {"detail": not_started(REFUSALS[suffix]), "code": "conflict"}
    assert refused.json()["detail"].startswith("the competition has not started; ")


def test_a_members_desk_is_refused_before_the_start_and_shown_after(client: TestClient, draft: Game) -> None:
    member = join_team(client, draft.codes["Humans"], "Ada")
    refused = client.get("/api/v1/team/state", headers=member)
    assert refused.status_code == 409 and refused.json()["detail"] == "the competition has not started yet"
    overview = client.get("/api/v1/team", headers=member).json()
    assert overview["cash"] is None and client.get("/api/v1/team/events", headers=member).json() == []
    assert client.post(draft.path("/start"), headers=draft.instructor).status_code == 200
    state = client.get("/api/v1/team/state", headers=member)
    assert state.status_code == 200 and state.json()["t_sim"] >= 0
    client.post(draft.path("/pause"), headers=draft.instructor)
    cash = client.get("/api/v1/team", headers=member).json()["cash"]
    desk = in_loop(client, lambda: _live(client, draft).team_state("Humans"))
    assert cash == round(desk.ledger.cash, 2) > 0


def test_the_logs_of_a_draft_are_empty_and_fill_once_it_starts(client: TestClient, draft: Game) -> None:
    judge = login_judge(client, draft.judge_code)
    detail = client.get(draft.path(), headers=draft.instructor).json()
    assert (detail["events"], detail["commands"], detail["digest"]) == (0, 0, None)
    assert client.get(draft.path("/events"), headers=judge).json() == []
    assert client.get(draft.path("/commands"), headers=draft.instructor).json() == []
    assert client.get(draft.path("/public/ticker")).json() == []
    live = _live(client, draft)
    assert isinstance(live.stage, NotStarted) and live.round == 0
    assert client.post(draft.path("/start"), headers=draft.instructor).status_code == 200
    assert isinstance(_live(client, draft).stage, Started)
    client.post(draft.path("/pause"), headers=draft.instructor)
    detail = client.get(draft.path(), headers=draft.instructor).json()
    assert detail["events"] == in_loop(client, lambda: live.event_count) > 0
    assert detail["digest"] == in_loop(client, live.digest)
    events = client.get(draft.path("/events"), headers=judge, params={"limit": 5000}).json()
    assert [e["seq"] for e in events] == [e.seq for e in in_loop(client, lambda: live.events_since(0))]
    for suffix in ("/awards", "/history", "/report/Humans", "/explain/Humans/profit"):
        assert client.get(draft.path(suffix), headers=draft.instructor).status_code == 200, suffix
