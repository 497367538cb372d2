"""Batch runs: many seasons over seeds and parameter values, in parallel processes.

Each job is a small picklable description; each worker plays its season and returns only
the standings, so thousands of seasons fit in memory. Results come back in job order
whatever order the workers finish in, so a batch is as reproducible as one season.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from market.overrides import apply_overrides
from market.parameters import MarketParameters
from scoring import Standing, Weights
from simulator.competition import TeamSpec
from simulator.season import play_season


@dataclass(frozen=True, slots=True)
class SeasonJob:
    params: MarketParameters
    seed: int
    teams: tuple[TeamSpec, ...]
    rounds: int | None = None
    overrides: tuple[tuple[str, Any], ...] = ()
    label: str = ""
    weights: Weights | None = None


@dataclass(frozen=True, slots=True)
class SeasonSummary:
    job: SeasonJob
    standings: tuple[Standing, ...]
    digest: str

    def standing_of(self, team: str) -> Standing:
        return next(s for s in self.standings if s.team == team)


def run_job(job: SeasonJob) -> SeasonSummary:
    """Play one job's season (in whatever process) and summarise it."""
    params = apply_overrides(job.params, job.overrides) if job.overrides else job.params
    competition, board = play_season(params, job.seed, job.teams, rounds=job.rounds, weights=job.weights)
    return SeasonSummary(job, tuple(board.standings(competition.end_t)), competition.digest())


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def run_batch(
    jobs: Sequence[SeasonJob],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[SeasonSummary]:
    """Run every job, ``workers`` at a time (1 = in this process); results in job order."""
    workers = workers or default_workers()
    results: list[SeasonSummary | None] = [None] * len(jobs)
    if workers == 1 or len(jobs) == 1:
        for i, job in enumerate(jobs):
            results[i] = run_job(job)
            if progress:
                progress(i + 1, len(jobs))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
            for done, future in enumerate(as_completed(futures), start=1):
                results[futures[future]] = future.result()
                if progress:
                    progress(done, len(jobs))
    return [r for r in results if r is not None]
