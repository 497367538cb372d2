"""Paired evaluation: how a strategy does against ``balanced`` in the same seasons.

A comparison plays seasons over seeds (in parallel processes, results in job order) and, for
every team, records its composite and rank; a strategy's margin is its composite minus the
balanced team's composite in the same season, so the market's luck that both share cancels.
The summary of a sample is its mean with one standard error (sample standard deviation over
the square root of its size) and how many seasons went the strategy's way.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from market.overrides import apply_overrides
from market.parameters import MarketParameters
from market.presets import load_preset
from simulator.batch import SeasonJob, SeasonSummary, run_batch
from simulator.competition import TeamSpec

REFERENCE_TEAM = "balanced"


def cell_parameters(preset: str, mode: str, overrides: Sequence[tuple[str, object]] = ()) -> MarketParameters:
    """The parameters of one cell of the balance matrix: a shipped preset in a market mode."""
    return apply_overrides(load_preset(preset), [*overrides, ("mode", mode)])


@dataclass(frozen=True, slots=True)
class Sample:
    """A sample of per-season figures, summarised."""

    values: tuple[float, ...]

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values) if self.values else math.nan

    @property
    def sd(self) -> float:
        """The sample standard deviation: how far one value strays (0 for fewer than two values)."""
        return statistics.stdev(self.values) if self.n > 1 else 0.0

    @property
    def se(self) -> float:
        """One standard error of the mean (0 for fewer than two values)."""
        return self.sd / math.sqrt(self.n) if self.n > 1 else 0.0

    @property
    def positive(self) -> int:
        """Seasons with a value above 0 (for margins: seasons the strategy scored higher)."""
        return sum(v > 0 for v in self.values)


@dataclass(frozen=True, slots=True)
class Season:
    """One season's composite and rank per team."""

    seed: int
    composite: dict[str, float]
    rank: dict[str, int]


def _season(summary: SeasonSummary) -> Season:
    return Season(
        seed=summary.job.seed,
        composite={s.team: s.composite for s in summary.standings},
        rank={s.team: s.rank for s in summary.standings},
    )


def play_seasons(
    params: MarketParameters,
    teams: Sequence[Sequence[TeamSpec]],
    seeds: Sequence[int],
    workers: int | None = None,
) -> list[list[Season]]:
    """For every league in ``teams``, its seasons over ``seeds`` (one batch over all of them)."""
    jobs = [SeasonJob(params, seed, tuple(league)) for league in teams for seed in seeds]
    summaries = run_batch(jobs, workers=workers)
    seasons = [_season(s) for s in summaries]
    n = len(seeds)
    return [seasons[i * n : (i + 1) * n] for i in range(len(teams))]


def margins(seasons: Sequence[Season], team: str, reference: str = REFERENCE_TEAM) -> Sample:
    """``team``'s composite minus ``reference``'s, season by season."""
    return Sample(tuple(s.composite[team] - s.composite[reference] for s in seasons))


def outranks(seasons: Sequence[Season], team: str, other: str) -> int:
    """Seasons in which ``team`` ranked above ``other``."""
    return sum(s.rank[team] < s.rank[other] for s in seasons)
