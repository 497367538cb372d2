"""The balance matrix: does sensible CRM outrank every way of gaming the score, everywhere?

One cell is a shipped preset in one market mode. In every season of a cell, one team per
degenerate bot, the balanced team and (when given) the search's best strategy for that cell
play together; the cell reports, per bot, its mean composite, its margin over balanced in
the same seasons with one standard error, the seasons it outranked balanced, and the share
of seasons in which balanced outranked it. The cell holds when balanced is above every
degenerate bot by more than two standard errors.

Every league also holds ``balanced-twin``, a second team playing ``balanced`` (simulator/luck.py):
the spread of its gap to balanced is the cell's luck, the noise of one season between equal
teams. It is neither a degenerate bot nor a pair of the agreement figure. For each degenerate
bot that balanced outranks in fewer than 95 % of single seasons, the cell says what fails: luck
(the bot is below balanced beyond the noise but by less than the needed margin, 1.645 × the
luck), the bot's own spread (below by at least that much, yet its gap varies more than the
twins'), or balance (not below balanced beyond two standard errors).

It also measures luck (issue 12, item 5): for every pair of teams, the share of single
seasons that order the pair as their means over all seasons do. A graded season is one
season, so this is how often a class's ranking of two strategies is the one their play
deserves.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from market.parameters import MarketParameters
from simulator.competition import TeamSpec
from simulator.evaluate import REFERENCE_TEAM, Sample, Season, margins, outranks, play_seasons
from simulator.luck import TWIN_TEAM, EqualTeams, equal_teams, meets_goal
from teams.bots import DEGENERATE
from teams.bots.strategy import Strategy, to_spec

BEST_TEAM = "search-best"
MODES = ("shared", "mirrored")


@dataclass(frozen=True, slots=True)
class Row:
    """One team of a cell."""

    team: str
    composite: Sample
    margin: Sample
    beats_balanced: int
    """Seasons in which this team ranked above balanced."""
    balanced_beats: int
    """Seasons in which balanced ranked above this team."""

    @property
    def degenerate(self) -> bool:
        return self.team in DEGENERATE

    @property
    def below_balanced(self) -> bool:
        """Below balanced by more than two standard errors of the paired margin."""
        return self.margin.mean < -2 * self.margin.se


Cause = Literal["luck", "spread", "balance"]
"""Why balanced outranks a degenerate bot in fewer than 95 % of single seasons."""


@dataclass(frozen=True, slots=True)
class Miss:
    """A degenerate bot that balanced outranks in fewer than 95 % of a cell's seasons, and why."""

    row: Row
    share: float
    """The share of seasons in which balanced outranked it."""
    cause: Cause


def cause_of_miss(row: Row, needed_margin: float) -> Cause:
    """Balance when the bot is not below balanced beyond two standard errors; luck when it is,
    by less than ``needed_margin``; otherwise its own spread (its gap varies more than equal teams')."""
    if not row.below_balanced:
        return "balance"
    return "luck" if -row.margin.mean < needed_margin else "spread"


@dataclass(frozen=True, slots=True)
class PairOrder:
    """How often one season orders two teams as their means do."""

    first: str
    second: str
    agree: float


@dataclass(frozen=True, slots=True)
class Cell:
    preset: str
    mode: str
    seeds: int
    rows: tuple[Row, ...]
    pairs: tuple[PairOrder, ...]
    best_spec: str | None
    control: EqualTeams | None
    """The equal-teams control, ``balanced-twin`` against balanced (None: played without it)."""

    @property
    def equal(self) -> EqualTeams:
        """The equal-teams control; a cell played without it has no luck figure."""
        if self.control is None:
            raise ValueError(f"{self.preset}/{self.mode} was played without {TWIN_TEAM}: no luck figure")
        return self.control

    def row(self, team: str) -> Row:
        return next(r for r in self.rows if r.team == team)

    @property
    def failing(self) -> tuple[Row, ...]:
        """Degenerate bots that balanced does not beat by more than two standard errors."""
        return tuple(r for r in self.rows if r.degenerate and not r.below_balanced)

    @property
    def holds(self) -> bool:
        return not self.failing

    @property
    def agreement_median(self) -> float:
        return statistics.median(p.agree for p in self.pairs) if self.pairs else 1.0

    @property
    def balanced_share_lowest(self) -> tuple[str, float]:
        """The degenerate bot balanced outranks least often, and that share of seasons."""
        rows = [r for r in self.rows if r.degenerate]
        worst = min(rows, key=lambda r: (r.balanced_beats, r.team))
        return worst.team, worst.balanced_beats / self.seeds

    @property
    def misses(self) -> tuple[Miss, ...]:
        """Degenerate bots balanced outranks in fewer than 95 % of seasons, least often first."""
        rows = [r for r in self.rows if r.degenerate and not meets_goal(r.balanced_beats, self.seeds)]
        rows.sort(key=lambda r: (r.balanced_beats, r.team))
        return tuple(
            Miss(r, r.balanced_beats / self.seeds, cause_of_miss(r, self.equal.needed_margin)) for r in rows
        )

    @property
    def meets_goal(self) -> bool:
        """Balanced outranks every degenerate bot in at least 95 % of single seasons."""
        return not self.misses


def league(best: Strategy | None = None, twin: bool = True) -> list[TeamSpec]:
    """Balanced, every degenerate bot, the equal-teams control (unless ``twin`` is false) and
    (if given) the search's best. In a shared market every team changes which customers the
    others meet: a league without the twin reproduces figures measured before it joined."""
    teams = [TeamSpec(REFERENCE_TEAM, REFERENCE_TEAM), *(TeamSpec(b, b) for b in DEGENERATE)]
    if twin:
        teams.append(TeamSpec(TWIN_TEAM, REFERENCE_TEAM))
    if best is not None:
        teams.append(TeamSpec(BEST_TEAM, to_spec(best)))
    return teams


def pair_orders(seasons: Sequence[Season], teams: Sequence[str]) -> list[PairOrder]:
    """For every pair of teams whose means differ, the share of seasons ordering them the same way."""
    means = {t: statistics.fmean(s.composite[t] for s in seasons) for t in teams}
    out = []
    for i, a in enumerate(teams):
        for b in teams[i + 1 :]:
            if means[a] == means[b]:
                continue
            sign = means[a] > means[b]
            agree = sum(
                (s.composite[a] > s.composite[b]) == sign and s.composite[a] != s.composite[b]
                for s in seasons
            )
            out.append(PairOrder(a, b, agree / len(seasons)))
    return out


def summarise_cell(
    preset: str, mode: str, seasons: Sequence[Season], teams: Sequence[str], best_spec: str | None = None
) -> Cell:
    """A cell's figures from its seasons; ``teams`` in league order, the twin among them."""
    rows = [
        Row(
            team=team,
            composite=Sample(tuple(s.composite[team] for s in seasons)),
            margin=margins(seasons, team),
            beats_balanced=outranks(seasons, team, REFERENCE_TEAM),
            balanced_beats=outranks(seasons, REFERENCE_TEAM, team),
        )
        for team in teams
    ]
    return Cell(
        preset=preset,
        mode=mode,
        seeds=len(seasons),
        rows=tuple(rows),
        pairs=tuple(pair_orders(seasons, [t for t in teams if t != TWIN_TEAM])),
        best_spec=best_spec,
        control=equal_teams(seasons) if TWIN_TEAM in teams else None,
    )


def measure_cell(
    preset: str,
    mode: str,
    params: MarketParameters,
    seeds: Sequence[int],
    best: Strategy | None = None,
    workers: int | None = None,
    twin: bool = True,
) -> Cell:
    """Play the cell's league over ``seeds`` and summarise it."""
    teams = league(best, twin)
    (seasons,) = play_seasons(params, [teams], seeds, workers)
    return summarise_cell(
        preset, mode, seasons, [t.name for t in teams], to_spec(best) if best is not None else None
    )
