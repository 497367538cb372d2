"""What the rubric's and the peer review's routes answer (server/api/rubric.py,
server/api/peer_review.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Criterion(BaseModel):
    id: int
    name_en: str
    name_zh: str
    max_points: float
    per_round: bool


class CurrentScore(BaseModel):
    """A judge's current points for a team on a criterion (and round)."""

    criterion_id: int
    team: str
    judge: str
    round: int | None
    points: float
    note: str


class Rubric(BaseModel):
    """Criteria, every judge's current scores and each team's rubric component."""

    criteria: list[Criterion]
    scores: list[CurrentScore]
    component: dict[str, float | None] = Field(description="per team, 0–100; null: not scored")
    weight: float = Field(description="the rubric's weight in the composite")


class RubricEntry(BaseModel):
    """A line of the rubric's log: a score or a correction."""

    seq: int
    criterion_id: int
    team: str
    judge: str
    round: int | None
    points: float | None = Field(description="null: the score withdrawn")
    note: str
    t_sim: float
    at: float = Field(description="wall-clock time (Unix seconds)")
    by: str = Field(description="who wrote it")


class Scored(BaseModel):
    entry: RubricEntry
    component: float | None = Field(description="the team's rubric component now")


class Rating(BaseModel):
    by: str
    rating: int
    comment: str


class ReviewedMember(BaseModel):
    team: str
    member_id: int
    name: str
    role: str
    removed: bool
    mean: float | None = Field(description="the mean rating received, 1–5")
    received: int
    given: int
    ratings: list[Rating]


class PeerReviews(BaseModel):
    """Every member's ratings received and given (the instructor's)."""

    open: bool
    reviews: int
    members: list[ReviewedMember]
