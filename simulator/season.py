"""A season: one competition played from start to finish by house bots, then scored.

This is the fast-forward path (``salesfloor simulate``, benchmarks, balance tests): the same
``Competition`` the live server drives, advanced as fast as the CPU allows, with a
``Scoreboard`` folding the events as they are appended.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from market.parameters import MarketParameters, parameters_to_dict
from scoring import RoundMetrics, Scoreboard, ScoringConfig, Standing, Weights, rules_version
from simulator.command_log import logged_to_json
from simulator.competition import Competition, TeamSpec
from simulator.errors import SimulatorError


def scoring_config(params: MarketParameters, weights: Weights | None = None) -> ScoringConfig:
    """The scoring configuration that matches a market's calendar, satisfaction and rules version.

    The loss horizon of v2 receivables is the market's write-off age (at least one day); a
    business week (v5 profit's period) is the calendar's.
    """
    calendar = params.calendar
    return ScoringConfig(
        hours_per_day=calendar.hours(1.0),
        round_hours=calendar.round_hours,
        week_hours=calendar.week_hours,
        initial_satisfaction=params.satisfaction.initial,
        weights=weights or Weights.for_rules(params.rules),
        rules=rules_version(params.rules),
        satisfaction_smoothing=max(params.satisfaction.smoothing, 0.01),
        loss_horizon_days=max(params.service.writeoff_after_days, 1.0),
    )


def league(size: int, bots: Sequence[str]) -> list[TeamSpec]:
    """``size`` teams named T01, T02, …, played by ``bots`` in turn."""
    if not 1 <= size <= 500:
        raise SimulatorError(f"the number of teams must be from 1 to 500, got {size}")
    if not bots:
        raise SimulatorError("name at least one bot, e.g. --bots balanced")
    width = max(2, len(str(size)))
    return [TeamSpec(f"T{i + 1:0{width}d}", bots[i % len(bots)]) for i in range(size)]


@dataclass(frozen=True, slots=True)
class SeasonResult:
    """What a season produced, with no trace of the wall clock."""

    params: MarketParameters
    seed: int
    rounds: int
    teams: tuple[TeamSpec, ...]
    standings: tuple[Standing, ...]
    round_metrics: tuple[RoundMetrics, ...]
    digest: str
    event_count: int

    def bot_of(self, team: str) -> str:
        return next((t.bot or "" for t in self.teams if t.name == team), "")

    def to_json(self) -> dict[str, Any]:
        """Standings, per-round metrics, parameters, seed and digest, ready for ``json.dump``."""
        return {
            "seed": self.seed,
            "rounds": self.rounds,
            "digest": self.digest,
            "events": self.event_count,
            "parameters": parameters_to_dict(self.params),
            "standings": [{**s.as_row(), "bot": self.bot_of(s.team)} for s in self.standings],
            "per_round": [
                {
                    "round": r.round,
                    "teams": [
                        {
                            "team": row.team,
                            "rank": row.rank,
                            "composite": row.composite,
                            "conversion": row.conversion,
                            "satisfaction": row.satisfaction,
                            "receivables": row.receivables,
                            "won": row.won,
                            "closed": row.closed,
                        }
                        for row in r.teams
                    ],
                }
                for r in self.round_metrics
            ],
        }


def play_season(
    params: MarketParameters,
    seed: int,
    teams: Sequence[TeamSpec],
    *,
    rounds: int | None = None,
    weights: Weights | None = None,
    progress: Callable[[float], None] | None = None,
) -> tuple[Competition, Scoreboard]:
    """Play a whole season with the teams' bots and return the competition and its scoreboard."""
    competition = Competition(params, seed, teams, rounds=rounds)
    board = Scoreboard(scoring_config(params, weights))
    board.apply_all(competition.log)
    competition.subscribe(board.apply)
    competition.run_until(competition.end_t, progress)
    return competition, board


def season_result(competition: Competition, board: Scoreboard) -> SeasonResult:
    """The frozen result of a finished season."""
    return SeasonResult(
        params=competition.params,
        seed=competition.seed,
        rounds=competition.rounds,
        teams=tuple(competition.teams),
        standings=tuple(board.standings(competition.end_t)),
        round_metrics=tuple(board.round_metrics()),
        digest=competition.digest(),
        event_count=len(competition.log),
    )


def replay_file(competition: Competition) -> dict[str, Any]:
    """Everything needed to rebuild the competition: parameters, seed, teams, command log, digest."""
    return {
        "seed": competition.seed,
        "rounds": competition.rounds,
        "parameters": parameters_to_dict(competition.params),
        "teams": [{"name": t.name, "bot": t.bot} for t in competition.teams],
        "commands": [logged_to_json(entry) for entry in competition.commands],
        "digest": competition.digest(),
    }
