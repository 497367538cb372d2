"""The reveal after a freeze: from the frozen table to the final one, lowest unrevealed team first."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market.events import Event, TeamJoined
from scoring import RevealStep, ScoringConfig, ScoringError, Standing, reveal_sequence, score_events
from tests.scoring.strategies import competitions

SETTINGS = settings(max_examples=200, deadline=None)


def table(*rows: tuple[str, float]) -> list[Standing]:
    """Standings with ranks in the order given."""
    return [
        Standing(rank, team, composite, None, None, None, 0.0, None, 0.0, None, None, None, None)
        for rank, (team, composite) in enumerate(rows, start=1)
    ]


def moves(steps: list[RevealStep]) -> list[tuple[str, int, int]]:
    return [(s.team, s.from_rank, s.to_rank) for s in steps]


def test_nobody_moves() -> None:
    frozen = table(("A", 80.0), ("B", 60.0), ("C", 40.0))
    steps = reveal_sequence(frozen, frozen)
    assert moves(steps) == [("C", 3, 3), ("B", 2, 2), ("A", 1, 1)]
    assert all(s.order == ("A", "B", "C") for s in steps)
    assert [s.step for s in steps] == [1, 2, 3]


def test_the_bottom_team_jumps_to_the_top() -> None:
    frozen = table(("A", 80.0), ("B", 60.0), ("C", 40.0))
    final = table(("C", 90.0), ("A", 81.0), ("B", 59.0))
    steps = reveal_sequence(frozen, final)
    assert steps[0] == RevealStep(1, "C", 3, 1, 40.0, 90.0, ("C", "A", "B"))
    # B is now the lowest unrevealed team, then A
    assert moves(steps) == [("C", 3, 1), ("B", 3, 3), ("A", 2, 2)]
    assert steps[-1].order == ("C", "A", "B")


def test_a_team_that_lost_ground_drops_below_revealed_teams() -> None:
    frozen = table(("A", 80.0), ("B", 60.0), ("C", 50.0))
    final = table(("B", 60.0), ("C", 55.0), ("A", 40.0))
    steps = reveal_sequence(frozen, final)
    assert moves(steps) == [("C", 3, 3), ("B", 2, 2), ("A", 1, 3)]
    assert [s.order for s in steps] == [("A", "B", "C"), ("A", "B", "C"), ("B", "C", "A")]


def test_at_equal_shown_composite_an_unrevealed_team_stays_above_and_revealed_keep_final_order() -> None:
    frozen = table(("A", 70.0), ("B", 50.0))
    final = table(("B", 70.0), ("A", 70.0))  # B won the tie (more cash collected, say)
    steps = reveal_sequence(frozen, final)
    assert moves(steps) == [("B", 2, 2), ("A", 1, 2)]
    assert [s.order for s in steps] == [("A", "B"), ("B", "A")]


def test_a_revealed_team_waits_below_an_unrevealed_team_at_the_same_composite() -> None:
    frozen = table(("A", 80.0), ("B", 70.0), ("C", 50.0))
    final = table(("C", 70.0), ("B", 70.0), ("A", 10.0))
    steps = reveal_sequence(frozen, final)
    # C reaches B's frozen 70 but stays below B until B is revealed too; then the final order holds
    assert moves(steps) == [("C", 3, 3), ("B", 2, 3), ("A", 1, 3)]
    assert [s.order for s in steps] == [("A", "B", "C"), ("A", "C", "B"), ("C", "B", "A")]


def test_empty_and_single_team() -> None:
    assert reveal_sequence([], []) == []
    (step,) = reveal_sequence(table(("A", 10.0)), table(("A", 20.0)))
    assert step == RevealStep(1, "A", 1, 1, 10.0, 20.0, ("A",))


def test_teams_must_match() -> None:
    with pytest.raises(ScoringError, match="'C' is in the final standings but not in the frozen"):
        reveal_sequence(table(("A", 1.0), ("B", 0.0)), table(("A", 1.0), ("C", 0.0)))
    with pytest.raises(ScoringError, match="'B' is in the frozen standings but not in the final"):
        reveal_sequence(table(("A", 1.0), ("B", 0.0)), table(("A", 1.0)))
    with pytest.raises(ScoringError, match="twice"):
        reveal_sequence(table(("A", 1.0), ("A", 0.0)), table(("A", 1.0)))
    with pytest.raises(ScoringError, match="ranks 1 to 2"):
        gap = table(("A", 1.0), ("B", 0.0))
        reveal_sequence([gap[0], dataclasses.replace(gap[1], rank=3)], gap)
    with pytest.raises(ScoringError, match="rank_teams") as err:
        reveal_sequence(table(("A", 1.0), ("B", 5.0)), table(("A", 1.0), ("B", 0.0)))
    assert err.value.field == "frozen"


# --- properties --------------------------------------------------------------------------------------


@st.composite
def standings(draw: st.DrawFn, teams: list[str]) -> list[Standing]:
    """Teams with composites from a few values (so ties are common), ranked by composite then at random."""
    scores = {team: draw(st.sampled_from([0.0, 25.0, 50.0, 50.0, 75.0, 100.0])) for team in teams}
    order = sorted(draw(st.permutations(teams)), key=lambda team: -scores[team])
    return table(*((team, scores[team]) for team in order))


@st.composite
def frozen_and_final(draw: st.DrawFn) -> tuple[list[Standing], list[Standing]]:
    teams = [f"T{i}" for i in range(draw(st.integers(1, 9)))]
    return draw(standings(teams)), draw(standings(teams))


def check_ceremony(frozen: list[Standing], final: list[Standing]) -> None:
    steps = reveal_sequence(frozen, final)
    final_order = tuple(s.team for s in sorted(final, key=lambda s: s.rank))
    assert len(steps) == len(frozen)
    assert sorted(s.team for s in steps) == sorted(final_order)
    assert [s.step for s in steps] == list(range(1, len(steps) + 1))
    shown = tuple(s.team for s in sorted(frozen, key=lambda s: s.rank))
    revealed: set[str] = set()
    composites = {s.team: (s.composite, f.composite) for s in frozen for f in final if f.team == s.team}
    for step in steps:
        # the team revealed is the lowest-placed one not yet revealed in the table before the step
        assert shown[step.from_rank - 1] == step.team
        assert all(team in revealed for team in shown[step.from_rank :])
        revealed.add(step.team)
        assert sorted(step.order) == sorted(shown)
        assert step.order[step.to_rank - 1] == step.team
        assert (step.frozen_composite, step.final_composite) == composites[step.team]
        shown = step.order
    if steps:
        assert steps[-1].order == final_order


@SETTINGS
@given(frozen_and_final())
def test_every_team_once_bottom_up_ending_on_the_final_order(
    tables: tuple[list[Standing], list[Standing]],
) -> None:
    check_ceremony(*tables)


@settings(max_examples=60, deadline=None)
@given(competitions(exact=False), st.data())
def test_reveal_of_a_frozen_board(events: list[Event], data: st.DataObject) -> None:
    joins = sum(isinstance(e, TeamJoined) for e in events)
    freeze = data.draw(st.integers(joins, len(events)))
    config = ScoringConfig()
    frozen = score_events(events[:freeze], config, now=events[-1].t).standings()
    final = score_events(events, config).standings()
    check_ceremony(frozen, final)
