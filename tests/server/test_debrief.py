"""The debrief of a round, folded from the log: counts that match the events, shares that add
up, cash that matches each team's ledger, satisfaction that matches the scoring's index at the
round's end, moments that name the team that stood out, the same from the same log, a refusal
for a round that has not ended, and a team's own report with the class's medians."""

from __future__ import annotations

from functools import cache

import pytest

from market.events import OrderWon, QuoteSent, RoundEnded
from scoring import Scoreboard
from server.live.debrief import DebriefFold, debrief, team_round
from simulator.competition import Competition, TeamSpec
from simulator.season import scoring_config
from tests.simulator.seasons import preset

TEAMS = [TeamSpec("A", "balanced"), TeamSpec("B", "eager"), TeamSpec("C", "dumper")]


@cache
def played() -> Competition:
    competition = Competition(preset(), 8, TEAMS, rounds=2)
    competition.finish()
    return competition


def fold_of(competition: Competition) -> DebriefFold:
    config = scoring_config(competition.params)
    names = [t.name for t in TEAMS]
    hours = competition.params.calendar.hours(1.0)
    fold = DebriefFold(
        names, hours, config.initial_satisfaction, rules=config.rules, smoothing=config.satisfaction_smoothing
    )
    return fold.feed_all(competition.log)


def test_each_round_counts_what_happened_in_it() -> None:
    competition = played()
    fold = fold_of(competition)
    assert [r["round"] for r in fold.rounds] == [1, 2]
    ends = [e.t for e in competition.log if isinstance(e, RoundEnded)]
    for number, end in enumerate(ends, start=1):
        start = ends[number - 2] if number > 1 else 0.0
        report = debrief(fold, number)
        won = [e for e in competition.log if isinstance(e, OrderWon) and start <= e.t < end]
        by_team = {row["team"]: row for row in report["teams"]}
        for name in by_team:
            mine = [e for e in won if e.team == name]
            assert by_team[name]["orders"] == len(mine)
            assert by_team[name]["order_value"] == pytest.approx(sum(e.value for e in mine), abs=0.01)
            quotes = [
                e
                for e in competition.log
                if isinstance(e, QuoteSent) and e.team == name and start <= e.t < end
            ]
            if quotes:
                mean = sum(q.discount for q in quotes) / len(quotes)
                assert by_team[name]["discount"] == pytest.approx(mean, abs=1e-4)
        shares = [row["share"] for row in report["teams"] if row["share"] is not None]
        assert sum(shares) == pytest.approx(1.0, abs=1e-3)


def test_cash_and_satisfaction_agree_with_the_ledgers_and_the_scoring() -> None:
    competition = played()
    fold = fold_of(competition)
    last = debrief(fold, None)
    assert last["round"] == 2
    for row in last["teams"]:
        assert row["cash"] == pytest.approx(competition.desks[row["team"]].ledger.cash, abs=0.01)
    board = Scoreboard(scoring_config(competition.params))
    board.apply_all(competition.log)
    for number, metrics in enumerate(board.round_metrics(), start=1):
        ours = {row["team"]: row["satisfaction"] for row in debrief(fold, number)["teams"]}
        for team in metrics.teams:
            assert ours[team.team] == pytest.approx(team.satisfaction, abs=0.01)
    cash = last["cash"]
    assert len(cash["t"]) == len(cash["teams"]["A"]) and cash["t"] == sorted(cash["t"])
    assert cash["t"][-1] <= last["t"] + 1e-9


def test_the_moments_name_who_stood_out_and_the_same_log_gives_the_same_debrief() -> None:
    competition = played()
    report = debrief(fold_of(competition), 1)
    leader = next(m for m in report["moments"]["share"] if m["kind"] == "leader")
    assert leader["value"] == max(row["share"] or 0 for row in report["teams"])
    fastest = next(m for m in report["moments"]["response"] if m["kind"] == "fastest")
    replies = [row["reply_hours"] for row in report["teams"] if row["reply_hours"] is not None]
    assert fastest["value"] == min(replies)
    assert report == debrief(fold_of(played()), 1)
    piecewise = DebriefFold(["A", "B", "C"], competition.params.calendar.hours(1.0), 0.6, rules=2)
    half = len(competition.log) // 2
    piecewise.feed_all(competition.log.since(0)[:half]).feed_all(competition.log.since(half))
    assert debrief(piecewise, 2)["teams"] == debrief(fold_of(competition), 2)["teams"]


def test_a_round_that_has_not_ended_is_refused_and_a_team_sees_its_own_row() -> None:
    fold = fold_of(played())
    with pytest.raises(LookupError, match="round 3 has not ended yet; ended rounds: 1, 2"):
        debrief(fold, 3)
    with pytest.raises(LookupError, match="no round has ended yet"):
        debrief(DebriefFold(["A"], 8.0, 0.6), None)
    report = debrief(fold, 1)
    own = team_round(report, "B", with_class=True)
    assert own["team"]["team"] == "B" and "A" not in str(own["class_median"])
    assert set(own["class_median"]) >= {"share", "win_rate", "dso_days"}
    assert "class_median" not in team_round(report, "B", with_class=False)
