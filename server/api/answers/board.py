"""What the board's routes answer: freeze and reveal, awards, explanations, history and a team's
report (server/api/board.py, server/scores.py, server/report.py)."""

from __future__ import annotations

import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel, Field

from scoring.awards import Award
from scoring.explain import ExplanationItem
from scoring.reveal import RevealStep
from scoring.rounds import RoundTeamMetrics
from server.api.answers.competitions import Weights
from server.api.answers.from_dataclasses import model_of
from server.api.answers.standings import CompetitionStatus, StandingRow

OWED = {"outstanding": (float, Field(description="what is still owed on it"))}

EXPLANATION_ITEMS = tuple(
    model_of(
        item,
        tag=("kind", item.__name__),
        tag_first=False,
        added=OWED if "written_off" in item.__slots__ else None,
    )
    for item in typing.get_args(ExplanationItem)
)
"""One model per kind of explanation item; ``kind`` names it."""

ExplanationLine: Any = Annotated[Union[EXPLANATION_ITEMS], Field(discriminator="kind")]  # noqa: UP007 (a tuple)

AwardView = model_of(Award, "Award")
RevealStepView = model_of(RevealStep, "RevealStep")
RoundTeam = model_of(RoundTeamMetrics, "RoundTeam")


class Explanation(BaseModel):
    """One figure of one team opened up: the formula with its numbers and the items behind it."""

    team: str
    metric: str = Field(description="conversion, satisfaction, receivables, profit, composite or rubric")
    value: float | None
    formula: str = Field(description="the formula with the team's numbers (and each scale's anchors)")
    weights: Weights
    normalisation: str
    rules: int
    items: list[ExplanationLine] = Field(
        description="what the figure is made of, with the seqs of the events"
    )


class Medals(BaseModel):
    """How many gold, silver and bronze places there are."""

    gold: int
    silver: int
    bronze: int


class MedalsSet(Medals):
    """The medal places set, and the awards they give now."""

    awards: list[AwardView]  # type: ignore[valid-type]


class AwardRules(BaseModel):
    """Each award's rule, ties included."""

    winner: str
    gold: str
    silver: str
    bronze: str
    fastest_reply: str
    best_collector: str
    happiest_customers: str
    best_recovery: str


class Awards(BaseModel):
    """Winner, medals and the metric awards."""

    final: bool = Field(description="whether the competition has finished")
    medals: Medals
    rules: AwardRules
    awards: list[AwardView]  # type: ignore[valid-type]


class Reveal(BaseModel):
    """The reveal ceremony: the frozen table, then one step per team, bottom of the frozen table first."""

    freeze_t: float | None
    t_sim: float
    frozen: list[StandingRow]
    steps: list[RevealStepView]  # type: ignore[valid-type]
    final: list[StandingRow]


class BoardChange(BaseModel):
    """A freeze, unfreeze, reveal or medal change: what, who and when."""

    action: str = Field(description="freeze, unfreeze, reveal or medals")
    freeze_t: float | None = Field(None, description="freeze, unfreeze, reveal: the freeze's simulated hour")
    gold: int | None = Field(None, description="medals: the places")
    silver: int | None = None
    bronze: int | None = None
    by: str
    at: float = Field(description="wall-clock time (Unix seconds)")


class RoundStandings(BaseModel):
    """The standings at a round's end."""

    round: int
    t: float
    teams: list[RoundTeam]  # type: ignore[valid-type]


class Series(BaseModel):
    """Every team's score and rank over simulated time."""

    t: list[float]
    composite: dict[str, list[float]] = Field(description="per team, one value per t")
    rank: dict[str, list[int]] = Field(description="per team, one value per t")


class History(BaseModel):
    """Per-round and cumulative standings, and the score over time."""

    t_sim: float = Field(description="the moment the history shows (the freeze, for the public)")
    rounds: list[RoundStandings]
    series: Series
    standings: list[StandingRow]


class TeamSeries(BaseModel):
    """The team's figures over simulated time, one value per t."""

    t: list[float]
    composite: list[float]
    rank: list[int]
    conversion: list[float | None]
    satisfaction: list[float | None]
    receivables: list[float | None]
    profit: list[float | None]
    collected: list[float | None]


class TeamRound(BaseModel):
    """The team's line at a round's end (only round and t if it had none)."""

    round: int
    t: float
    team: str | None = None
    rank: int | None = None
    composite: float | None = None
    conversion: float | None = None
    won: int | None = None
    closed: int | None = None
    receivables: float | None = None
    due_total: float | None = None
    collected_due: float | None = None
    satisfaction: float | None = None


class Moment(BaseModel):
    """A notable moment: big_order, written_off, order_voided, complaint_in_time,
    complaint_escalated, best_climb or worst_fall — with the fields of its kind."""

    kind: str
    t: float
    value: float | None = Field(None, description="big_order")
    customer: str | None = Field(None, description="big_order")
    segment: str | None = Field(None, description="big_order")
    amount: float | None = Field(None, description="written_off")
    invoice: str | None = Field(None, description="written_off")
    order: str | None = Field(None, description="order_voided")
    complaint: str | None = Field(None, description="complaint_in_time, complaint_escalated")
    from_rank: int | None = Field(None, description="best_climb, worst_fall")
    to_rank: int | None = Field(None, description="best_climb, worst_fall")


class Counts(BaseModel):
    not_won: dict[str, int] = Field(description="inquiries not won, by reason")
    complaints: dict[str, int] = Field(description="complaints resolved in time, late, escalated")


class Explanations(BaseModel):
    composite: Explanation
    conversion: Explanation
    satisfaction: Explanation
    receivables: Explanation
    profit: Explanation


class TeamReport(BaseModel):
    """A team's post-game report: its figures over time, notable moments, its score explained."""

    team: str
    t_sim: float
    standing: StandingRow | None
    teams: int
    series: TeamSeries
    rounds: list[TeamRound]
    moments: list[Moment]
    counts: Counts
    explanations: Explanations
    awards: list[AwardView]  # type: ignore[valid-type]
    status: CompetitionStatus
