"""The judges' rubric: criteria and entry checks, current scores, the 0–100 component, explanations."""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import (
    Criterion,
    RubricEntry,
    RubricItem,
    ScoringConfig,
    ScoringError,
    Weights,
    check_entry,
    current_scores,
    explain_rubric,
    rubric_component,
    score_events,
)
from tests.scoring.builders import Log

SETTINGS = settings(max_examples=150, deadline=None)

REPLY = Criterion(1, "Reply quality", "回复质量", 10.0, per_round=True)
PITCH = Criterion(2, "Final pitch", "最终陈述", 10.0, per_round=False)
CRITERIA = (REPLY, PITCH)


def entry(
    seq: int,
    team: str,
    judge: str,
    points: float | None,
    criterion: int = 1,
    round: int | None = 1,
    t: float = 0.0,
    by: str | None = None,
) -> RubricEntry:
    return RubricEntry(
        seq, criterion, team, judge, round, points, t, 1000.0 + seq, judge if by is None else by
    )


# --- criteria and entry checks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Criterion(1, "", "回复", 10.0, True), "name_en"),
        (lambda: Criterion(1, "Reply", "   ", 10.0, True), "name_zh"),
        (lambda: Criterion(1, "x" * 81, "回复", 10.0, True), "name_en"),
        (lambda: Criterion(1, "Reply", "回" * 81, 10.0, True), "name_zh"),
        (lambda: Criterion(1, "Reply", "回复", 0.0, True), "max_points"),
        (lambda: Criterion(1, "Reply", "回复", -1.0, True), "max_points"),
        (lambda: Criterion(1, "Reply", "回复", 1000.5, True), "max_points"),
        (lambda: Criterion(1, "Reply", "回复", math.inf, True), "max_points"),
        (lambda: Criterion(1, "Reply", "回复", math.nan, True), "max_points"),
        (lambda: Criterion(1, "Reply", "回复", True, True), "max_points"),
        (lambda: Criterion(True, "Reply", "回复", 10.0, True), "id"),
    ],
)
def test_bad_criterion_names_the_field(make: Callable[[], Criterion], field: str) -> None:
    with pytest.raises(ScoringError) as err:
        make()
    assert err.value.field == field


def test_criterion_limits_are_inclusive() -> None:
    c = Criterion(7, "x" * 80, "回" * 80, 1000.0, per_round=False)
    assert (c.max_points, len(c.name_en)) == (1000.0, 80)


CHECK_CASES: list[tuple[str, Criterion, int | None, float | None, str | None]] = [
    ("per round, first round", REPLY, 1, 5.0, None),
    ("per round, last round", REPLY, 6, 10.0, None),
    ("zero points", REPLY, 3, 0.0, None),
    ("withdraw", REPLY, 2, None, None),
    ("once, no round", PITCH, None, 10.0, None),
    ("per round without a round", REPLY, None, 5.0, "round"),
    ("round 0", REPLY, 0, 5.0, "round"),
    ("round past the last", REPLY, 7, 5.0, "round"),
    ("once with a round", PITCH, 1, 5.0, "round"),
    ("negative points", REPLY, 1, -0.5, "points"),
    ("above max", REPLY, 1, 10.25, "points"),
    ("nan points", REPLY, 1, math.nan, "points"),
    ("infinite points", PITCH, None, math.inf, "points"),
]


@pytest.mark.parametrize(
    ("criterion", "round", "points", "field"),
    [case[1:] for case in CHECK_CASES],
    ids=[case[0] for case in CHECK_CASES],
)
def test_check_entry(
    criterion: Criterion, round: int | None, points: float | None, field: str | None
) -> None:
    if field is None:
        check_entry(criterion, round, points, rounds=6)
        return
    with pytest.raises(ScoringError) as err:
        check_entry(criterion, round, points, rounds=6)
    assert err.value.field == field
    assert repr(criterion.name_en) in err.value.reason


def test_check_entry_messages_say_how_to_fix() -> None:
    with pytest.raises(
        ScoringError, match=r"criterion 'Reply quality' is scored per round: give a round from 1 to 6"
    ):
        check_entry(REPLY, None, 5.0, rounds=6)
    with pytest.raises(ScoringError, match="leave the round out"):
        check_entry(PITCH, 2, 5.0, rounds=6)
    with pytest.raises(ScoringError, match="from 0 to 10"):
        check_entry(REPLY, 1, 11.0, rounds=6)


# --- current scores ----------------------------------------------------------------------------------


def test_current_scores_take_the_latest_seq_per_key_and_drop_withdrawals() -> None:
    entries = [
        entry(5, "A", "j1", 4.0, by="instructor"),  # a correction, listed first
        entry(2, "A", "j1", 8.0),
        entry(3, "A", "j2", 6.0),
        entry(4, "B", "j1", 9.0),
        entry(6, "B", "j1", None),  # withdrawn
        entry(7, "A", "j1", 3.0, round=2),
        entry(8, "A", "j1", 7.0, criterion=2, round=None),
    ]
    assert current_scores(entries) == {
        (1, "A", "j1", 1): 4.0,
        (1, "A", "j1", 2): 3.0,
        (1, "A", "j2", 1): 6.0,
        (2, "A", "j1", None): 7.0,
    }


def test_current_scores_cut_at_until_t() -> None:
    entries = [
        entry(1, "A", "j1", 8.0, t=1.0),
        entry(2, "A", "j1", 2.0, t=5.0),
        entry(3, "B", "j1", 9.0, t=6.0),
    ]
    assert current_scores(entries, until_t=5.0) == {(1, "A", "j1", 1): 2.0}
    assert current_scores(entries, until_t=4.9) == {(1, "A", "j1", 1): 8.0}
    assert current_scores(entries, until_t=0.5) == {}


def test_current_scores_reject_a_repeated_seq() -> None:
    with pytest.raises(ScoringError) as err:
        current_scores([entry(1, "A", "j1", 8.0), entry(1, "B", "j1", 2.0)])
    assert err.value.field == "seq"


# --- the component -----------------------------------------------------------------------------------


def example() -> list[RubricEntry]:
    """A: reply round 1 from two judges (8, 6 → mean 7) and the pitch (7.5). B: 10 of 10. C: withdrawn."""
    return [
        entry(1, "A", "j1", 8.0),
        entry(2, "A", "j2", 6.0),
        entry(3, "A", "j1", 7.5, criterion=2, round=None),
        entry(4, "B", "j2", 10.0, round=2),
        entry(5, "C", "j1", 3.0),
        entry(6, "C", "j1", None),
    ]


def test_rubric_is_100_times_mean_points_over_max_points_of_the_scored_items() -> None:
    # A: (7 + 7.5) ÷ (10 + 10); items no judge scored (reply rounds 2…) do not count
    assert rubric_component(CRITERIA, example()) == {"A": 72.5, "B": 100.0}


def test_equal_points_from_three_judges_have_exactly_that_mean() -> None:
    odd = 959.7247403715412  # 3 × odd ÷ 3 ≠ odd in floating point
    criterion = Criterion(1, "Reply quality", "回复质量", odd, per_round=False)
    entries = [entry(i, "A", f"j{i}", odd, round=None) for i in (1, 2, 3)]
    assert rubric_component([criterion], entries) == {"A": 100.0}


def test_a_correction_replaces_the_judges_score() -> None:
    corrected = [*example(), entry(7, "A", "j1", 4.0, by="instructor")]
    assert rubric_component(CRITERIA, corrected)["A"] == 100 * (5.0 + 7.5) / 20


def test_max_points_weigh_the_items() -> None:
    heavy = (REPLY, dataclasses.replace(PITCH, max_points=30.0))
    assert rubric_component(heavy, example())["A"] == pytest.approx(100 * (7.0 + 7.5) / 40)


def test_rubric_until_t_shows_only_earlier_entries() -> None:
    entries = [entry(1, "A", "j1", 5.0, t=1.0), entry(2, "A", "j2", 10.0, t=3.0)]
    assert rubric_component(CRITERIA, entries, until_t=2.0) == {"A": 50.0}
    assert rubric_component(CRITERIA, entries) == {"A": 75.0}


def test_unknown_criterion_and_repeated_criterion_id_are_rejected() -> None:
    with pytest.raises(ScoringError) as err:
        rubric_component(CRITERIA, [entry(1, "A", "j1", 5.0, criterion=9)])
    assert err.value.field == "criterion_id" and "unknown criterion 9" in err.value.reason
    with pytest.raises(ScoringError, match="appears twice"):
        rubric_component((REPLY, dataclasses.replace(PITCH, id=1)), [])


def test_rubric_enters_the_standings_as_an_external_metric() -> None:
    g = Log()
    g.join("A")
    g.join("B")
    config = ScoringConfig(weights=Weights(conversion=0, satisfaction=0, receivables=0, profit=0, rubric=1))
    standings = score_events(g.events, config).standings(
        extra={"rubric": rubric_component(CRITERIA, example())}
    )
    assert [(s.team, s.composite, s.rubric) for s in standings] == [("B", 100.0, 100.0), ("A", 72.5, 72.5)]


# --- explanations ------------------------------------------------------------------------------------


def test_explain_rubric_writes_the_formula_out_and_lists_the_items() -> None:
    explanation = explain_rubric("A", CRITERIA, example())
    assert explanation.metric == "rubric"
    assert explanation.value == 72.5 == rubric_component(CRITERIA, example())["A"]
    assert explanation.formula.startswith(
        "rubric = 100 × Σ mean points ÷ Σ max points = 100 × 14.50 ÷ 20 = 72.50"
    )
    assert explanation.items == (
        RubricItem(1, 1, 10.0, 7.0, (("j1", 8.0), ("j2", 6.0))),
        RubricItem(2, None, 10.0, 7.5, (("j1", 7.5),)),
    )


def test_explain_rubric_of_an_unscored_team_has_no_value() -> None:
    explanation = explain_rubric("C", CRITERIA, example())
    assert (explanation.value, explanation.items) == (None, ())
    assert "no judge has scored" in explanation.formula


def test_the_board_points_to_explain_rubric() -> None:
    g = Log()
    g.join("A")
    with pytest.raises(ScoringError, match="explain_rubric") as err:
        score_events(g.events).explain("A", "rubric")
    assert err.value.field == "metric"


# --- properties --------------------------------------------------------------------------------------

TEAMS = ("A", "B", "C")
JUDGES = ("j1", "j2", "j3")
MANY_JUDGES = tuple(f"j{i}" for i in range(1, 8))
MAXIMA = st.sampled_from([1.0, 3.0, 5.0, 10.0, 0.1, 7.3, 1000.0]) | st.floats(0.01, 1000.0)


@st.composite
def criteria_lists(draw: st.DrawFn) -> tuple[Criterion, ...]:
    count = draw(st.integers(1, 3))
    return tuple(
        Criterion(i + 1, f"c{i + 1}", f"标准{i + 1}", draw(MAXIMA), draw(st.booleans())) for i in range(count)
    )


@st.composite
def rubric_logs(draw: st.DrawFn) -> tuple[tuple[Criterion, ...], list[RubricEntry]]:
    """Criteria and a log of valid entries with unique seqs, in a random order."""
    criteria = draw(criteria_lists())
    size = draw(st.integers(0, 30))
    seqs = draw(st.permutations(range(1, size + 1)))
    entries = []
    for seq in seqs:
        criterion = draw(st.sampled_from(criteria))
        round = draw(st.integers(1, 3)) if criterion.per_round else None
        top = criterion.max_points
        points: float | None = None  # withdrawn
        kind = draw(st.sampled_from(["withdraw", "quarter", "any"]))
        if kind == "quarter":
            points = top * draw(st.integers(0, 4)) / 4
        elif kind == "any":
            points = draw(st.floats(0.0, top))
        team, judge = draw(st.sampled_from(TEAMS)), draw(st.sampled_from(JUDGES))
        entries.append(entry(seq, team, judge, points, criterion.id, round, t=float(draw(st.integers(0, 5)))))
    return criteria, entries


def naive(criteria: tuple[Criterion, ...], entries: list[RubricEntry]) -> dict[str, float]:
    """The rule written out plainly: latest by seq, mean over judges, 100 × Σ means ÷ Σ max."""
    latest: dict[tuple[int, str, str, int | None], RubricEntry] = {}
    for e in sorted(entries, key=lambda e: e.seq):
        latest[e.criterion_id, e.team, e.judge, e.round] = e
    items: dict[str, dict[tuple[int, int | None], list[float]]] = defaultdict(lambda: defaultdict(list))
    for (criterion, team, _, round), e in latest.items():
        if e.points is not None:
            items[team][criterion, round].append(e.points)
    maxima = {c.id: c.max_points for c in criteria}
    return {
        team: 100 * sum(sum(p) / len(p) for p in scored.values()) / sum(maxima[c] for c, _ in scored)
        for team, scored in items.items()
    }


@SETTINGS
@given(rubric_logs())
def test_rubric_agrees_with_the_rule_written_out(
    log: tuple[tuple[Criterion, ...], list[RubricEntry]],
) -> None:
    criteria, entries = log
    result = rubric_component(criteria, entries)
    expected = naive(criteria, entries)
    assert result.keys() == expected.keys()
    for team, value in result.items():
        assert 0.0 <= value <= 100.0
        assert value == pytest.approx(expected[team], rel=1e-12, abs=1e-9)
    for team in TEAMS:
        assert explain_rubric(team, criteria, entries).value == result.get(team)


@SETTINGS
@given(rubric_logs(), st.data())
def test_order_of_entries_and_names_of_judges_and_teams_change_no_value(
    log: tuple[tuple[Criterion, ...], list[RubricEntry]], data: st.DataObject
) -> None:
    criteria, entries = log
    before = rubric_component(criteria, entries)
    shuffled = data.draw(st.permutations(entries))
    assert rubric_component(criteria, shuffled) == before
    judges = dict(zip(JUDGES, data.draw(st.permutations(["zed", "amy", "bo"])), strict=True))
    teams = dict(zip(TEAMS, data.draw(st.permutations(["T9", "T1", "T5"])), strict=True))
    renamed = [dataclasses.replace(e, judge=judges[e.judge], team=teams[e.team]) for e in shuffled]
    after = rubric_component(criteria, renamed)
    assert after == {teams[team]: value for team, value in before.items()}


@SETTINGS
@given(criteria_lists(), st.data())
def test_full_marks_from_every_judge_give_exactly_100(
    criteria: tuple[Criterion, ...], data: st.DataObject
) -> None:
    entries: list[RubricEntry] = []
    for criterion in criteria:
        rounds = data.draw(st.lists(st.integers(1, 6), min_size=1, max_size=3, unique=True))
        for round in rounds if criterion.per_round else [None]:
            judges = data.draw(st.lists(st.sampled_from(MANY_JUDGES), min_size=1, max_size=7, unique=True))
            for judge in judges:
                entries.append(entry(len(entries) + 1, "A", judge, criterion.max_points, criterion.id, round))
    assert rubric_component(criteria, entries) == {"A": 100.0}


@SETTINGS
@given(rubric_logs(), st.data())
def test_a_later_entry_for_a_key_replaces_never_adds(
    log: tuple[tuple[Criterion, ...], list[RubricEntry]], data: st.DataObject
) -> None:
    criteria, entries = log
    if not entries:
        return
    target = data.draw(st.sampled_from(entries))
    criterion = next(c for c in criteria if c.id == target.criterion_id)
    points = data.draw(st.none() | st.floats(0.0, criterion.max_points))
    correction = dataclasses.replace(target, seq=len(entries) + 1, points=points, by="instructor")
    others = [e for e in entries if (e.criterion_id, e.team, e.judge, e.round) != target.key]
    assert rubric_component(criteria, [*entries, correction]) == rubric_component(
        criteria, [*others, correction]
    )
