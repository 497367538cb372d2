"""The reveal: after a freeze, the frozen table turned into the final one team by team, bottom to top.

The table starts as the frozen standings. Each step takes the lowest-placed team not yet revealed,
shows its final composite instead of its frozen one and re-sorts the table by

    (−shown composite, unrevealed before revealed, final rank if revealed else frozen rank)

so at equal shown composites a team still to be revealed stays above the revealed ones, and the
revealed ones keep their final order. Once every team is revealed the key is (−final composite,
final rank), which is the final standings' order, because those are sorted by composite first.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from scoring.errors import ScoringError
from scoring.standings import Standing


@dataclass(frozen=True, slots=True)
class RevealStep:
    """One step of the reveal: ``team`` moves from ``from_rank`` to ``to_rank`` (1-based positions).

    ``order`` is the whole table after the step, top to bottom.
    """

    step: int
    team: str
    from_rank: int
    to_rank: int
    frozen_composite: float
    final_composite: float
    order: tuple[str, ...]


def _by_team(standings: Sequence[Standing], which: str) -> dict[str, Standing]:
    """The standings keyed by team, checked: each team once, ranks 1…n, composite not rising with rank."""
    table: dict[str, Standing] = {}
    for s in standings:
        if s.team in table:
            raise ScoringError(f"team {s.team!r} appears twice in the {which} standings", which)
        table[s.team] = s
    ordered = sorted(table.values(), key=lambda s: s.rank)
    if [s.rank for s in ordered] != list(range(1, len(ordered) + 1)):
        raise ScoringError(f"the {which} standings must have ranks 1 to {len(ordered)}, once each", which)
    for above, below in itertools.pairwise(ordered):
        if below.composite > above.composite:
            raise ScoringError(
                f"the {which} standings rank {below.team!r} (composite {below.composite:.2f}) below"
                f" {above.team!r} ({above.composite:.2f}): pass standings from rank_teams",
                which,
            )
    return table


def reveal_sequence(frozen: Sequence[Standing], final: Sequence[Standing]) -> list[RevealStep]:
    """The reveal ceremony: one step per team, lowest unrevealed first, ending on the final order.

    Raises ScoringError naming a team that is in one of the two standings but not in the other.
    """
    before = _by_team(frozen, "frozen")
    after = _by_team(final, "final")
    for team in sorted(after):
        if team not in before:
            raise ScoringError(
                f"team {team!r} is in the final standings but not in the frozen ones", "frozen"
            )
    for team in sorted(before):
        if team not in after:
            raise ScoringError(f"team {team!r} is in the frozen standings but not in the final ones", "final")

    revealed: set[str] = set()

    def place(team: str) -> tuple[float, bool, int]:
        if team in revealed:
            return (-after[team].composite, True, after[team].rank)
        return (-before[team].composite, False, before[team].rank)

    table = sorted(before, key=place)
    steps: list[RevealStep] = []
    for step in range(1, len(table) + 1):
        position = max(i for i, team in enumerate(table) if team not in revealed)
        team = table[position]
        revealed.add(team)
        table.sort(key=place)
        steps.append(
            RevealStep(
                step=step,
                team=team,
                from_rank=position + 1,
                to_rank=table.index(team) + 1,
                frozen_composite=before[team].composite,
                final_composite=after[team].composite,
                order=tuple(table),
            )
        )
    return steps
