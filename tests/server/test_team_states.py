"""The console's team state, built once per team and moment: the same JSON the route answered
before, and a new one as soon as an event or the clock moves the game on."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from market.presets import load_preset
from server.live import team_states
from server.live.team_states import TeamStates
from server.wire.shapes import desk_view, team_view
from simulator.competition import Competition, TeamSpec
from simulator.instructor import Announce, ChangeParameters
from teams import commands as c
from teams.rules import ROLES


def _played(until: float = 39.0) -> Competition:
    teams = [TeamSpec("A", "balanced"), TeamSpec("B", "lax"), TeamSpec("C", "lavish")]
    competition = Competition(load_preset("classroom"), 5, teams, rounds=1)
    competition.advance_to(until)
    return competition


def _as_the_route_answered(competition: Competition, team: str, role: str) -> bytes:
    """What ``GET /team/state`` answered before: the dict through FastAPI's encoder and JSONResponse."""
    desk = competition.desks[team]
    now = competition.now
    view = {"t_sim": now, **team_view(desk.ledger, now), "desk": desk_view(desk, role)}
    return bytes(JSONResponse(jsonable_encoder(view)).body)


def test_every_team_and_role_reads_the_bytes_the_route_answered_before() -> None:
    competition = _played()
    states = TeamStates()
    for team in competition.desks:
        for role in ROLES:
            assert states.json(competition, team, role).encode() == _as_the_route_answered(
                competition, team, role
            )


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []

    def counting(ledger: Any, now: float) -> dict[str, Any]:
        built.append(ledger.team)
        return team_view(ledger, now)

    monkeypatch.setattr(team_states, "team_view", counting)
    return built


def test_the_members_of_a_team_share_one_build_per_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    built = _count_builds(monkeypatch)
    competition = _played()
    states = TeamStates()
    answers = {role: states.json(competition, "A", role) for role in ROLES}
    states.json(competition, "A", "sales")
    assert built == ["A"]
    assert len(set(answers.values())) == len(ROLES)  # each role its own desk
    assert {json.loads(a)["desk"]["role"] for a in answers.values()} == set(ROLES)


def test_the_next_event_replaces_the_kept_state(monkeypatch: pytest.MonkeyPatch) -> None:
    built = _count_builds(monkeypatch)
    competition = _played()
    states = TeamStates()
    customer = next(iter(competition.desks["A"].ledger.customers))
    before = json.loads(states.json(competition, "A", "manager"))
    outcome = competition.submit(c.AddNote(team="A", customer_id=customer, text="call back on Monday"))
    assert outcome.accepted
    after = json.loads(states.json(competition, "A", "manager"))
    assert built == ["A", "A"]
    notes = {row["customer_id"]: row["notes"] for row in after["customers"]}
    assert "call back on Monday" in str(notes[customer])
    assert "call back on Monday" not in str({row["customer_id"]: row["notes"] for row in before["customers"]})
    assert after == json.loads(_as_the_route_answered(competition, "A", "manager"))


def test_other_teams_and_the_market_do_not_rebuild_a_teams_view(monkeypatch: pytest.MonkeyPatch) -> None:
    built = _count_builds(monkeypatch)
    competition = _played()
    states = TeamStates()
    first = states.json(competition, "A", "manager")
    customer = next(iter(competition.desks["B"].ledger.customers))
    assert competition.submit(c.AddNote(team="B", customer_id=customer, text="B's note")).accepted
    assert competition.submit(Announce(text="ten minutes left"), source="instructor").accepted
    assert states.json(competition, "A", "manager") == first
    assert built == ["A"]
    assert first.encode() == _as_the_route_answered(competition, "A", "manager")


def test_new_parameters_replace_the_kept_state() -> None:
    competition = _played()
    states = TeamStates()
    before = json.loads(states.json(competition, "A", "sales"))
    change = ChangeParameters(changes=(("product.unit_cost", 70.0),))
    assert competition.submit(change, source="instructor").accepted
    after = json.loads(states.json(competition, "A", "sales"))
    assert before["desk"]["unit_cost"] != 70.0
    assert after["desk"]["unit_cost"] == 70.0
    assert after == json.loads(_as_the_route_answered(competition, "A", "sales"))


def test_time_moving_on_replaces_the_kept_state_even_without_events() -> None:
    competition = _played()
    states = TeamStates()
    states.json(competition, "A", "manager")
    count = len(competition.log)
    competition.advance_to(competition.now + 0.001)
    assert len(competition.log) == count  # seed 5: no event in this thousandth of an hour
    answer = json.loads(states.json(competition, "A", "manager"))
    assert answer["t_sim"] == competition.now
    assert answer == json.loads(_as_the_route_answered(competition, "A", "manager"))


def test_another_competition_at_the_same_moment_is_never_answered_from_the_first() -> None:
    first, second = _played(), _played()
    customer = next(iter(first.desks["A"].ledger.customers))
    assert first.submit(c.AddNote(team="A", customer_id=customer, text="first")).accepted
    assert second.submit(c.AddNote(team="A", customer_id=customer, text="second")).accepted
    assert (first.now, len(first.log)) == (second.now, len(second.log))
    states = TeamStates()
    states.json(first, "A", "manager")
    assert states.json(second, "A", "manager").encode() == _as_the_route_answered(second, "A", "manager")
