"""Luck in one season: how far apart a season puts two teams that play alike (issue 12, item 5).

The balance league holds a second team playing ``balanced``, ``balanced-twin``. Whatever
separates the two in a season is the market's luck — the customers each happened to meet —
not their play. The standard deviation over seasons of that gap (twin minus balanced) is the
cell's *luck*. By the normal approximation, a bot whose gap to ``balanced`` varies as much
as the twins' is outranked by ``balanced`` in 95 % of single seasons only when its mean margin
is at least 1.645 × the luck below ``balanced``: that is the *needed margin*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.evaluate import REFERENCE_TEAM, Sample, Season, margins, outranks

TWIN_TEAM = "balanced-twin"
"""The equal-teams control: a second team playing ``balanced``; not a degenerate bot."""

GOAL_PERCENT = 95
"""Issue 12's goal: balanced outranks every degenerate bot in at least this share of single seasons."""

Z_95 = 1.645
"""The standard normal's one-sided 95 % point: P(Z < 1.645) ≈ 0.95."""


@dataclass(frozen=True, slots=True)
class EqualTeams:
    """The twin against ``balanced`` over a cell's seasons."""

    gap: Sample
    """The twin's composite minus balanced's, season by season."""
    twin_ahead: int
    """Seasons in which the twin ranked above balanced."""
    level: int
    """Seasons in which the two composites were equal (the standings' tie rules then rank them)."""

    @property
    def seasons(self) -> int:
        return self.gap.n

    @property
    def luck(self) -> float:
        """The standard deviation of the equal teams' gap in one season."""
        return self.gap.sd

    @property
    def needed_margin(self) -> float:
        """How far below balanced a bot's mean margin must be to be outranked in 95 % of seasons."""
        return Z_95 * self.luck


def equal_teams(
    seasons: Sequence[Season], twin: str = TWIN_TEAM, reference: str = REFERENCE_TEAM
) -> EqualTeams:
    """The twin's paired gap to ``reference`` over ``seasons``."""
    return EqualTeams(
        gap=margins(seasons, twin, reference),
        twin_ahead=outranks(seasons, twin, reference),
        level=sum(s.composite[twin] == s.composite[reference] for s in seasons),
    )


def meets_goal(outranked: int, seasons: int) -> bool:
    """Whether ``outranked`` of ``seasons`` is at least the goal's 95 % (counted exactly, no rounding)."""
    return 100 * outranked >= GOAL_PERCENT * seasons
