"""Awards: the winner, the medals by standing rank, and one award per headline figure, with tie rules.

Every award has exactly one team (ranks are never shared, and each tie rule ends with the better
standing rank). Figures are compared exactly: they come from the same fold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Final

from scoring.errors import ScoringError
from scoring.metrics import TeamMetrics
from scoring.standings import Standing

MEDALS_MAX = 50
"""Most medals of one colour."""

AWARD_RULES: Final[dict[str, str]] = {
    "winner": "Winner: standing rank 1 (ties already broken by the standings: composite, collected cash,"
    " who reached the score first, team id)",
    "gold": "Gold: the best-ranked teams, one per gold medal (ties already broken by the standings)",
    "silver": "Silver: the teams ranked next after the gold medallists, one per silver medal",
    "bronze": "Bronze: the teams ranked next after the silver medallists, one per bronze medal",
    "fastest_reply": "Fastest reply: lowest mean hours to the first quote; ties: more inquiries quoted,"
    " then better standing rank",
    "best_collector": "Best collector: highest receivables index; ties: lower DSO (no DSO is worst),"
    " then more cash collected, then better standing rank",
    "happiest_customers": "Happiest customers: highest satisfaction index; ties: more customers,"
    " then better standing rank",
    "best_recovery": "Best recovery: highest share (%) of opened complaints resolved within SLA (at least"
    " one complaint opened); ties: more resolved within SLA, then better standing rank",
}
"""Each award's rule and tie rule, in English, in the order ``awards`` lists them."""

MEDALS: Final[tuple[str, ...]] = ("gold", "silver", "bronze")
"""The medal colours, best first."""


@dataclass(frozen=True, slots=True)
class MedalCounts:
    """How many medals of each colour are given (0–50 each), best ranks first."""

    gold: int = 1
    silver: int = 1
    bronze: int = 1

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MEDALS_MAX:
                raise ScoringError(f"must be a whole number from 0 to {MEDALS_MAX}, got {value!r}", f.name)


DEFAULT_MEDALS: Final[MedalCounts] = MedalCounts()
"""One gold, one silver, one bronze."""


@dataclass(frozen=True, slots=True)
class Award:
    """One award to one team.

    ``place`` is the standing rank for the winner and the medals, 1 for the figure awards;
    ``value`` is the figure that won it (composite for the winner and medals; mean reply hours;
    receivables index; satisfaction index; % of complaints resolved within SLA). ``tie_rule`` is
    the award's rule from ``AWARD_RULES``.
    """

    award: str
    team: str
    place: int
    value: float | None
    tie_rule: str

    def __post_init__(self) -> None:
        if self.award not in AWARD_RULES:
            raise ScoringError(f"unknown award {self.award!r} (known: {', '.join(AWARD_RULES)})", "award")


def recovery_share(m: TeamMetrics) -> float | None:
    """100 × complaints resolved within SLA ÷ complaints opened; None with no complaint opened."""
    if m.complaints_opened <= 0:
        return None
    return 100.0 * m.complaints_resolved_within_sla / m.complaints_opened


_Key = tuple[float, ...]
_Rule = tuple[Callable[[TeamMetrics], float | None], Callable[[TeamMetrics, float], _Key]]
"""The figure an award is for (None: not eligible) and the sort key (lowest wins) before the rank."""

_FIGURE_AWARDS: Final[dict[str, _Rule]] = {
    "fastest_reply": (lambda m: m.mean_reply_hours, lambda m, v: (v, -m.quoted)),
    "best_collector": (
        lambda m: m.receivables,
        lambda m, v: (-v, 1.0 if m.dso_days is None else 0.0, m.dso_days or 0.0, -m.collected),
    ),
    "happiest_customers": (lambda m: m.satisfaction, lambda m, v: (-v, -m.customers)),
    "best_recovery": (recovery_share, lambda m, v: (-v, -m.complaints_resolved_within_sla)),
}


def _checked(standings: Sequence[Standing], metrics: Mapping[str, TeamMetrics]) -> list[Standing]:
    """The standings by rank, after checking they and ``metrics`` cover the same teams once each."""
    seen: set[str] = set()
    for s in standings:
        if s.team in seen:
            raise ScoringError(f"team {s.team!r} appears twice in the standings", "standings")
        seen.add(s.team)
        if s.team not in metrics:
            raise ScoringError(
                f"no metrics for team {s.team!r}: pass the metrics of the board the standings come from",
                "metrics",
            )
    for team in metrics:
        if team not in seen:
            raise ScoringError(
                f"team {team!r} has metrics but no standing: pass the standings of the same board",
                "standings",
            )
    ranks = [s.rank for s in standings]
    if len(set(ranks)) != len(ranks):
        raise ScoringError(
            "ranks are shared: pass standings from rank_teams (ranks are never shared)", "rank"
        )
    return sorted(standings, key=lambda s: s.rank)


def awards(
    standings: Sequence[Standing],
    metrics: Mapping[str, TeamMetrics],
    medals: MedalCounts = DEFAULT_MEDALS,
) -> list[Award]:
    """The winner, the medals (by rank) and the figure awards, in ``AWARD_RULES`` order.

    A figure award goes to the eligible team (one with the figure) that sorts first by the
    award's rule and tie rules, then by the better standing rank; no eligible team, no award.
    """
    table = _checked(standings, metrics)
    result: list[Award] = []
    if table:
        result.append(
            Award("winner", table[0].team, table[0].rank, table[0].composite, AWARD_RULES["winner"])
        )
    start = 0
    for colour in MEDALS:
        count = getattr(medals, colour)
        for s in table[start : start + count]:
            result.append(Award(colour, s.team, s.rank, s.composite, AWARD_RULES[colour]))
        start += count
    for award, (figure, key) in _FIGURE_AWARDS.items():
        eligible = [(value, s) for s in table if (value := figure(metrics[s.team])) is not None]
        if not eligible:
            continue
        value, best = min(eligible, key=lambda e: (*key(metrics[e[1].team], e[0]), e[1].rank))
        result.append(Award(award, best.team, 1, value, AWARD_RULES[award]))
    return result
