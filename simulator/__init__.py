"""The stage: one Competition = SimPy environment + market(s) + desks + rounds + clock + seeded
random streams + append-only event log; live pacing and fast-forward; replay; batch runs."""

from __future__ import annotations

from simulator.batch import SeasonJob, SeasonSummary, run_batch
from simulator.competition import Competition, LoggedCommand, Outcome, TeamSpec
from simulator.errors import SimulatorError
from simulator.event_log import EventLog
from simulator.instructor import ApplyShock
from simulator.replay import replay
from simulator.season import SeasonResult, league, play_season, scoring_config, season_result

__all__ = [
    "ApplyShock",
    "Competition",
    "EventLog",
    "LoggedCommand",
    "Outcome",
    "SeasonJob",
    "SeasonResult",
    "SeasonSummary",
    "SimulatorError",
    "TeamSpec",
    "league",
    "play_season",
    "replay",
    "run_batch",
    "scoring_config",
    "season_result",
]
