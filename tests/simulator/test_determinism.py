"""Determinism: same seed and commands, same event log, byte for byte; replay reproduces it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from market.parameters import parameters_from_dict, parameters_to_dict
from simulator.command_log import logged_from_json, logged_to_json
from simulator.competition import Competition, TeamSpec
from simulator.errors import SimulatorError
from simulator.replay import replay
from simulator.season import league, play_season, season_result
from teams import commands as c
from teams.bots import REFERENCE_LEAGUE
from tests.simulator.seasons import preset, reference_teams


@pytest.mark.parametrize("mode", ["shared", "mirrored"])
def test_same_seed_same_digest_and_json(mode: str) -> None:
    runs = [season_result(*play_season(preset(mode=mode), 11, reference_teams(), rounds=3)) for _ in range(2)]
    assert runs[0].digest == runs[1].digest
    assert json.dumps(runs[0].to_json(), sort_keys=True) == json.dumps(runs[1].to_json(), sort_keys=True)
    assert runs[0].event_count > 500


@pytest.mark.parametrize("mode", ["shared", "mirrored"])
def test_replay_of_the_command_log_reproduces_the_digest(mode: str) -> None:
    params = preset(mode=mode)
    original, _ = play_season(params, 5, reference_teams(), rounds=3)
    assert len(original.commands) > 100
    # through JSON, as a replay file or the server's database would store it
    entries = [logged_from_json(json.loads(json.dumps(logged_to_json(e)))) for e in original.commands]
    rebuilt = replay(params, 5, original.teams, entries, rounds=3)
    assert rebuilt.digest() == original.digest()
    assert len(rebuilt.log) == len(original.log)


def test_a_different_seed_gives_a_different_log() -> None:
    a, _ = play_season(preset(), 1, reference_teams(), rounds=2)
    b, _ = play_season(preset(), 2, reference_teams(), rounds=2)
    assert a.digest() != b.digest()


def test_the_order_teams_are_registered_in_changes_nothing() -> None:
    teams = reference_teams()
    a, _ = play_season(preset(), 3, teams, rounds=2)
    b, _ = play_season(preset(), 3, list(reversed(teams)), rounds=2)
    assert a.digest() == b.digest()


def test_mirrored_teams_face_identical_customers() -> None:
    competition, _ = play_season(preset(mode="mirrored"), 9, reference_teams(), rounds=2)
    first = {}
    for e in competition.log:
        if e.kind == "inquiry_received" and not e.repeat:
            first.setdefault(e.team, []).append((e.t, e.customer_id, e.quantity, e.wanted_delivery))
    arrivals = list(first.values())
    assert len(arrivals) == 6
    assert all(a == arrivals[0] for a in arrivals)


def test_time_cannot_run_backwards() -> None:
    competition = Competition(preset(), 1, [TeamSpec("A")], rounds=1)
    competition.advance_to(10.0)
    with pytest.raises(SimulatorError, match="already at 10"):
        competition.submit(c.SetApologyPolicy(team="A"), t=5.0)


def test_a_command_sees_every_event_up_to_its_time_and_none_after() -> None:
    competition = Competition(preset(), 4, [TeamSpec("A")], rounds=2)
    boundary = competition.calendar.round_start(2)
    competition.advance_to(boundary)
    assert competition.log[len(competition.log) - 1].kind == "round_started"  # events at the boundary are in
    competition.advance_to(6.0 + boundary)
    before = len(competition.log)
    assert all(e.t <= 6.0 + boundary for e in competition.log)
    outcome = competition.submit(c.SetApologyPolicy(team="A"), t=6.0 + boundary)
    assert outcome.accepted
    assert competition.log[before].kind == "apology_policy_set"
    assert competition.log[before].t == 6.0 + boundary


def test_slicing_time_differently_gives_the_same_log() -> None:
    """The server advances on a tick; replay advances from command to command: same result."""
    params = preset()
    whole = Competition(params, 12, [TeamSpec("A", "balanced"), TeamSpec("B", "eager")], rounds=2)
    whole.finish()
    sliced = Competition(params, 12, [TeamSpec("A", "balanced"), TeamSpec("B", "eager")], rounds=2)
    t = 0.0
    while t < sliced.end_t:
        t += 0.37
        sliced.advance_to(t)
    sliced.finish()
    assert sliced.digest() == whole.digest()


def test_refused_commands_are_logged_and_replay_refuses_them_too() -> None:
    params = preset()
    competition = Competition(params, 2, [TeamSpec("A")], rounds=1, bots=False)
    refused = competition.submit(c.SendReminder(team="A", invoice_id="nope"), t=1.0)
    accepted = competition.submit(c.SetReminderPolicy(team="A", days_after_due=1), t=2.0)
    assert not refused.accepted and "no invoice" in refused.reason
    assert accepted.accepted
    competition.finish()
    rebuilt = replay(params, 2, competition.teams, competition.commands, rounds=1)
    assert rebuilt.digest() == competition.digest()
    # the log keeps each refusal's code, and a replay refuses with the same one
    assert [(e.accepted, e.code) for e in competition.commands] == [(False, "not_found"), (True, "")]
    assert rebuilt.commands == competition.commands


@pytest.mark.parametrize(
    ("teams", "message"),
    [([], "at least one team"), (["A", "A"], "unique"), (["bad/name"], "not allowed")],
)
def test_bad_team_lists_are_refused(teams: list[str], message: str) -> None:
    with pytest.raises(SimulatorError, match=message):
        Competition(preset(), 1, teams)


def test_unknown_bots_are_refused() -> None:
    with pytest.raises(SimulatorError, match="unknown bot 'genius'"):
        Competition(preset(), 1, [TeamSpec("A", "genius")])


def test_the_digest_does_not_depend_on_the_process() -> None:
    """Separate interpreters with different hash seeds produce the same log."""
    root = Path(__file__).resolve().parents[2]
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        out = subprocess.run(
            [sys.executable, "-m", "server.cli", "simulate", "--teams", "4", "--rounds", "2", "--seed", "5"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=root,
        ).stdout
        digests.add(out.splitlines()[-1].split()[-1])
    in_process, _ = play_season(preset(), 5, league(4, list(REFERENCE_LEAGUE)), rounds=2)
    assert digests == {in_process.digest()[:16]}


def test_parameters_survive_a_json_round_trip_with_their_types() -> None:
    params = preset("realistic")
    again = parameters_from_dict(json.loads(json.dumps(parameters_to_dict(params))))
    assert repr(again) == repr(params)
