"""What the instructor's routes of a competition answer: its detail, teams, lifecycle, parameters,
command log, scoring and monitor (server/api/instructor.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from market.parameters import (
    MarketParameters,
    ProductParameters,
    SatisfactionParameters,
    SegmentParameters,
    ServiceParameters,
)
from server.api.answers.events import Event
from server.api.answers.from_dataclasses import model_of
from server.api.answers.standings import CompetitionStatus, StandingRow

Segment = model_of(SegmentParameters, "SegmentParameters", omitted=("id",))
Parameters = model_of(
    MarketParameters,
    "Parameters",
    added={
        "product": (model_of(ProductParameters), ...),
        "service": (model_of(ServiceParameters), ...),
        "satisfaction": (model_of(SatisfactionParameters), ...),
        "segments": (dict[str, Segment], Field(description="per segment id")),  # type: ignore[valid-type]
    },
)
"""The market's parameters (``market.parameters.parameters_to_dict``); GET /presets/{name}/parameters
gives each one's bounds, unit and meaning."""


class TeamJoinCode(BaseModel):
    """A registered team and the code its members join with."""

    name: str
    join_code: str
    bot: str | None = Field(description="the house bot playing the team; null: students play it")


class CompetitionCreated(CompetitionStatus):
    """A new competition (still a draft), with what the instructor hands out."""

    teams: list[TeamJoinCode]  # type: ignore[assignment]
    seed: int
    judge_code: str = Field(description="the code judges log in with")
    parameters: Parameters  # type: ignore[valid-type]
    damaged: str | None = Field(description="why the stored events could not be replayed, if they could not")
    events: int = Field(description="events in the log")
    commands: int = Field(description="commands in the log")
    digest: str | None = Field(description="digest of the event log; null before the start")


class CompetitionImported(CompetitionStatus):
    """A competition imported from an archive, replayed and checked against its digest."""

    judge_code: str
    teams: list[TeamJoinCode]  # type: ignore[assignment]
    digest: str | None
    events: int
    damaged: str | None


class CommandApplied(BaseModel):
    """A command the competition took, and the events it made."""

    accepted: bool
    t_sim: float = Field(description="the simulated hour it was applied at")
    events: list[Event]


class ParametersApplied(CommandApplied):
    """A change of the parameters: applied while paused, or kept for the start before it."""

    parameters: Parameters | None = Field(  # type: ignore[valid-type]
        None, description="before the start: the parameters the competition will start with"
    )


class ParameterChange(BaseModel):
    """One logged change of the parameters."""

    effective_t: float = Field(description="the simulated hour it took effect (0: before the start)")
    changes: list[list[Any]] = Field(description="each change as [key, new value]")
    before: dict[str, Any] = Field(description="each changed key's old value")
    at: float = Field(description="wall-clock time (Unix seconds)")


class LoggedCommand(BaseModel):
    """A committed command, as a replay applies it."""

    seq: int
    t: float
    source: str = Field(description="human, bot or instructor")
    accepted: bool
    reason: str = Field(description="why it was refused (empty when accepted)")
    code: str = Field(description="the refusal's code (empty when accepted)")
    command: dict[str, Any] = Field(description="the command: its kind and its fields")


class Weights(BaseModel):
    """The weight of each metric in the composite."""

    conversion: float
    satisfaction: float
    receivables: float
    profit: float
    rubric: float


class Scoring(BaseModel):
    """How the composite is computed."""

    weights: Weights
    normalisation: str = Field(description="raw, rank or zscore")
    rules: int = Field(description="the version of the scoring rules, fixed when the competition was created")


class Rescored(Scoring):
    """The new scoring and every standing recomputed with it."""

    standings: list[StandingRow]


class ScoringChange(BaseModel):
    """One logged change of the scoring."""

    weights: Weights
    normalisation: str
    at: float = Field(description="wall-clock time (Unix seconds)")


class Activity(BaseModel):
    """Commands sent and refused, and whether nothing came for the idle time."""

    commands: int
    refused: int
    last_command_t: float | None = Field(description="simulated hour of the last command")
    idle: bool


class PersonActivity(Activity):
    """One current member's activity."""

    id: int | None
    name: str
    role: str


class TeamActivity(Activity):
    """One team's activity and its current members'."""

    team: str
    members: list[str] = Field(description="the names of the members who have sent commands")
    people: list[PersonActivity]


class Monitor(CompetitionStatus):
    """Who is active, per team and per member."""

    idle_hours: float = Field(description="business hours without a command that make a member idle")
    teams: list[TeamActivity]  # type: ignore[assignment]
