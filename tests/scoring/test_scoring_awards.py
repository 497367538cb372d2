"""Awards: winner, medals by rank, and the figure awards with each step of their tie rules."""

from __future__ import annotations

from typing import Any

import pytest

from scoring import (
    AWARD_RULES,
    Aging,
    Award,
    MedalCounts,
    ScoringError,
    Standing,
    TeamMetrics,
    awards,
    score_events,
)
from tests.scoring.builders import Log


def metrics(team: str, **values: Any) -> TeamMetrics:
    """A team's figures: nothing defined unless given."""
    fields: dict[str, Any] = {
        "conversion": None,
        "satisfaction": None,
        "receivables": None,
        "profit": 0.0,
        "cash": 0.0,
        "collected": 0.0,
        "dso_days": None,
        "overdue_share": None,
        "bad_debt_ratio": None,
        "aging": Aging(),
        "due_total": 0.0,
        "collected_due": 0.0,
        "written_off": 0.0,
        "won": 0,
        "lost": 0,
        "declined": 0,
        "expired": 0,
        "inquiries": 0,
        "quoted": 0,
        "customers": 0,
        "invoices_due": 0,
        "complaints_opened": 0,
        "complaints_resolved": 0,
        "complaints_resolved_within_sla": 0,
        "mean_reply_hours": None,
        "last_change_t": None,
    }
    fields.update(values)
    return TeamMetrics(team=team, **fields)


def standing(rank: int, team: str, composite: float | None = None) -> Standing:
    score = 100.0 - 10 * rank if composite is None else composite
    return Standing(rank, team, score, None, None, None, 0.0, None, 0.0, None, None, None, None)


def board(rows: dict[str, dict[str, Any]]) -> tuple[list[Standing], dict[str, TeamMetrics]]:
    """Teams ranked in the order given (first = rank 1), with their figures."""
    standings = [standing(rank, team) for rank, team in enumerate(rows, start=1)]
    return standings, {team: metrics(team, **values) for team, values in rows.items()}


def award_of(name: str, rows: dict[str, dict[str, Any]]) -> Award | None:
    standings, figures = board(rows)
    found = [a for a in awards(list(reversed(standings)), figures) if a.award == name]
    assert len(found) <= 1
    return found[0] if found else None


def winner_of(name: str, rows: dict[str, dict[str, Any]]) -> str | None:
    award = award_of(name, rows)
    return None if award is None else award.team


# --- figure awards, each step of each tie rule ---------------------------------------------------------

FIGURE_CASES: list[tuple[str, str, dict[str, dict[str, Any]], str | None]] = [
    # fastest reply: lowest mean reply hours → more quoted → rank
    (
        "fastest_reply",
        "lower mean wins",
        {"A": {"mean_reply_hours": 2.0}, "B": {"mean_reply_hours": 1.5}},
        "B",
    ),
    (
        "fastest_reply",
        "tie: more quoted",
        {"A": {"mean_reply_hours": 1.0, "quoted": 3}, "B": {"mean_reply_hours": 1.0, "quoted": 5}},
        "B",
    ),
    (
        "fastest_reply",
        "tie: better rank",
        {"A": {"mean_reply_hours": 1.0, "quoted": 5}, "B": {"mean_reply_hours": 1.0, "quoted": 5}},
        "A",
    ),
    ("fastest_reply", "no figure, not eligible", {"A": {}, "B": {"mean_reply_hours": 9.0}}, "B"),
    ("fastest_reply", "nobody eligible", {"A": {}, "B": {}}, None),
    # best collector: highest receivables → lower DSO (None worst) → more collected → rank
    ("best_collector", "higher index wins", {"A": {"receivables": 80.0}, "B": {"receivables": 90.0}}, "B"),
    (
        "best_collector",
        "tie: lower DSO",
        {"A": {"receivables": 90.0, "dso_days": 10.0}, "B": {"receivables": 90.0, "dso_days": 5.0}},
        "B",
    ),
    (
        "best_collector",
        "tie: no DSO is worst",
        {"A": {"receivables": 90.0, "dso_days": None}, "B": {"receivables": 90.0, "dso_days": 50.0}},
        "B",
    ),
    (
        "best_collector",
        "tie: DSO 0 beats none",
        {"A": {"receivables": 90.0, "dso_days": None}, "B": {"receivables": 90.0, "dso_days": 0.0}},
        "B",
    ),
    (
        "best_collector",
        "tie: more collected",
        {
            "A": {"receivables": 90.0, "dso_days": 5.0, "collected": 100.0},
            "B": {"receivables": 90.0, "dso_days": 5.0, "collected": 200.0},
        },
        "B",
    ),
    (
        "best_collector",
        "tie without DSO: more collected",
        {"A": {"receivables": 90.0, "collected": 100.0}, "B": {"receivables": 90.0, "collected": 200.0}},
        "B",
    ),
    (
        "best_collector",
        "tie: better rank",
        {
            "A": {"receivables": 90.0, "dso_days": 5.0, "collected": 100.0},
            "B": {"receivables": 90.0, "dso_days": 5.0, "collected": 100.0},
        },
        "A",
    ),
    ("best_collector", "nobody eligible", {"A": {"collected": 5.0}, "B": {}}, None),
    # happiest customers: highest satisfaction → more customers → rank
    ("happiest_customers", "higher wins", {"A": {"satisfaction": 60.0}, "B": {"satisfaction": 61.0}}, "B"),
    (
        "happiest_customers",
        "tie: more customers",
        {"A": {"satisfaction": 70.0, "customers": 3}, "B": {"satisfaction": 70.0, "customers": 4}},
        "B",
    ),
    (
        "happiest_customers",
        "tie: better rank",
        {"A": {"satisfaction": 70.0, "customers": 4}, "B": {"satisfaction": 70.0, "customers": 4}},
        "A",
    ),
    ("happiest_customers", "nobody eligible", {"A": {}, "B": {}}, None),
    # best recovery: share resolved within SLA → more resolved within SLA → rank
    (
        "best_recovery",
        "higher share wins",
        {
            "A": {"complaints_opened": 4, "complaints_resolved_within_sla": 3},
            "B": {"complaints_opened": 2, "complaints_resolved_within_sla": 2},
        },
        "B",
    ),
    (
        "best_recovery",
        "tie: more within SLA",
        {
            "A": {"complaints_opened": 2, "complaints_resolved_within_sla": 1},
            "B": {"complaints_opened": 6, "complaints_resolved_within_sla": 3},
        },
        "B",
    ),
    (
        "best_recovery",
        "tie: better rank",
        {
            "A": {"complaints_opened": 3, "complaints_resolved_within_sla": 1},
            "B": {"complaints_opened": 3, "complaints_resolved_within_sla": 1},
        },
        "A",
    ),
    (
        "best_recovery",
        "no complaint, not eligible",
        {"A": {"complaints_opened": 0}, "B": {"complaints_opened": 5, "complaints_resolved_within_sla": 0}},
        "B",
    ),
    ("best_recovery", "nobody eligible", {"A": {}, "B": {}}, None),
]


@pytest.mark.parametrize(
    ("award", "case", "rows", "expected"),
    FIGURE_CASES,
    ids=[f"{a}: {case}" for a, case, _, _ in FIGURE_CASES],
)
def test_figure_award_and_its_tie_rule(
    award: str, case: str, rows: dict[str, dict[str, Any]], expected: str | None
) -> None:
    assert winner_of(award, rows) == expected
    # the same figures with the teams' places swapped: only a tie left to the rank changes the winner
    swapped = dict(reversed(rows.items()))
    assert winner_of(award, swapped) == ("B" if case == "tie: better rank" else expected)


@pytest.mark.parametrize(
    ("award", "values", "figure"),
    [
        ("fastest_reply", {"mean_reply_hours": 1.25, "quoted": 2}, 1.25),
        ("best_collector", {"receivables": 87.5}, 87.5),
        ("happiest_customers", {"satisfaction": 64.0}, 64.0),
        ("best_recovery", {"complaints_opened": 8, "complaints_resolved_within_sla": 6}, 75.0),
    ],
)
def test_figure_award_carries_its_figure_place_and_rule(
    award: str, values: dict[str, Any], figure: float
) -> None:
    found = award_of(award, {"A": {}, "B": values})
    assert found == Award(award, "B", 1, figure, AWARD_RULES[award])


# --- winner and medals ---------------------------------------------------------------------------------


def ranked(n: int) -> tuple[list[Standing], dict[str, TeamMetrics]]:
    return board({f"T{rank}": {} for rank in range(1, n + 1)})


@pytest.mark.parametrize(
    ("teams", "medals", "expected"),
    [
        (4, MedalCounts(), [("gold", "T1"), ("silver", "T2"), ("bronze", "T3")]),
        (4, MedalCounts(2, 1, 0), [("gold", "T1"), ("gold", "T2"), ("silver", "T3")]),
        (5, MedalCounts(0, 2, 2), [("silver", "T1"), ("silver", "T2"), ("bronze", "T3"), ("bronze", "T4")]),
        (
            6,
            MedalCounts(1, 1, 3),
            [("gold", "T1"), ("silver", "T2"), *[("bronze", f"T{r}") for r in (3, 4, 5)]],
        ),
        (2, MedalCounts(), [("gold", "T1"), ("silver", "T2")]),
        (3, MedalCounts(2, 2, 2), [("gold", "T1"), ("gold", "T2"), ("silver", "T3")]),
        (3, MedalCounts(0, 0, 0), []),
        (0, MedalCounts(), []),
    ],
)
def test_medals_go_by_rank(teams: int, medals: MedalCounts, expected: list[tuple[str, str]]) -> None:
    standings, figures = ranked(teams)
    result = awards(list(reversed(standings)), figures, medals)
    got = [a for a in result if a.award in ("gold", "silver", "bronze")]
    assert [(a.award, a.team) for a in got] == expected
    for a in got:
        s = next(s for s in standings if s.team == a.team)
        assert (a.place, a.value, a.tie_rule) == (s.rank, s.composite, AWARD_RULES[a.award])


def test_winner_is_rank_one_and_awards_come_in_rule_order() -> None:
    standings, figures = board(
        {
            "B": {"mean_reply_hours": 1.0, "receivables": 50.0, "satisfaction": 50.0},
            "A": {"complaints_opened": 1, "complaints_resolved_within_sla": 1},
        }
    )
    result = awards(standings, figures)
    assert result[0] == Award("winner", "B", 1, standings[0].composite, AWARD_RULES["winner"])
    assert [a.award for a in result] == [
        "winner",
        "gold",
        "silver",
        "fastest_reply",
        "best_collector",
        "happiest_customers",
        "best_recovery",
    ]
    assert list(AWARD_RULES) == [
        "winner",
        "gold",
        "silver",
        "bronze",
        "fastest_reply",
        "best_collector",
        "happiest_customers",
        "best_recovery",
    ]
    assert awards([], {}) == []


def test_awards_from_a_real_board() -> None:
    g = Log()
    g.join("A")
    g.join("B")
    g.inquiry("A", "i1", "c1", t=0.0)
    g.inquiry("B", "i2", "c2", t=0.0)
    g.quote("B", "i2", t=1.0)
    g.quote("A", "i1", t=3.0)
    g.won("A", "i1", "c1", t=4.0)
    g.lost("B", "i2", "c2", t=4.0)
    board_ = score_events(g.events)
    result = {a.award: a for a in awards(board_.standings(), board_.metrics())}
    assert result["winner"].team == "A"
    assert (result["fastest_reply"].team, result["fastest_reply"].value) == ("B", 1.0)
    assert "best_recovery" not in result and "best_collector" not in result


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: MedalCounts(gold=-1), "gold"),
        (lambda: MedalCounts(silver=51), "silver"),
        (lambda: MedalCounts(bronze=True), "bronze"),
        (lambda: MedalCounts(gold=1.5), "gold"),  # type: ignore[arg-type]
        (lambda: Award("runner_up", "A", 2, None, ""), "award"),
    ],
)
def test_bad_medal_counts_and_awards_are_rejected(make: object, field: str) -> None:
    with pytest.raises(ScoringError) as err:
        make()  # type: ignore[operator]
    assert err.value.field == field


def test_standings_and_metrics_must_cover_the_same_teams() -> None:
    standings, figures = ranked(2)
    with pytest.raises(ScoringError, match="no metrics for team 'T2'"):
        awards(standings, {"T1": figures["T1"]})
    with pytest.raises(ScoringError, match="'T9' has metrics but no standing"):
        awards(standings, {**figures, "T9": metrics("T9")})
    with pytest.raises(ScoringError, match="twice"):
        awards([*standings, standings[0]], figures)
    with pytest.raises(ScoringError, match="shared"):
        awards([standing(1, "T1"), standing(1, "T2")], figures)
