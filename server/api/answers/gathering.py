"""What the routes around the play answer: the lobby, the ticker, the debrief and a team's round
report (server/api/lobby.py, server/api/debrief.py, server/debrief.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class LobbyMember(BaseModel):
    name: str
    roles: list[str]


class LobbyTeam(BaseModel):
    name: str
    bot: str | None
    members: list[LobbyMember] = Field(description="until the start (for the instructor, always)")
    join_code: str | None = Field(None, description="for the instructor only")


class Lobby(BaseModel):
    """The class gathering before the start."""

    id: int
    name: str
    state: str
    starts_at: float | None = Field(description="the planned start, wall-clock (Unix seconds); null: none")
    server_now: float = Field(description="the server's clock (Unix seconds), for counting down")
    teams: list[LobbyTeam]


class TickerLine(BaseModel):
    """A ticker line or a highlight, as the channels sent it."""

    type: str = Field(description="ticker or highlight")
    t_sim: float
    data: dict[str, Any] = Field(description="its kind and the fields of that kind (docs/api.md, Highlights)")


class RoundFigures(BaseModel):
    """One team's figures of a round (docs/api.md, the debrief)."""

    team: str
    share: float | None = Field(description="of the round's order value")
    win_rate: float | None = Field(description="orders over inquiries quoted")
    discount: float | None = Field(description="mean of the quotes")
    reply_hours: float | None = Field(description="inquiry to first quote")
    conversion: float | None = Field(description="orders over inquiries")
    terms_days: float | None
    dso_days: float | None = Field(description="invoice to payment in full")
    bad_debt: float | None = Field(description="written off over invoiced, to date")
    complaints: int
    resolved: int
    in_time: int
    escalated: int
    satisfaction: float | None = Field(description="the scoring's index at the round's end")
    cash: float
    orders: int
    order_value: float


class ClassMedian(BaseModel):
    """The class's median of each figure."""

    share: float | None
    win_rate: float | None
    discount: float | None
    reply_hours: float | None
    conversion: float | None
    terms_days: float | None
    dso_days: float | None
    bad_debt: float | None
    complaints: float | None
    resolved: float | None
    in_time: float | None
    escalated: float | None
    satisfaction: float | None
    cash: float | None
    orders: float | None
    order_value: float | None


class DebriefMoment(BaseModel):
    """Who stood out in a chart, and by how much."""

    kind: str
    team: str
    value: float
    t: float | None = Field(None, description="when, for a moment of the cash chart")


class DebriefMoments(BaseModel):
    share: list[DebriefMoment]
    discount: list[DebriefMoment]
    response: list[DebriefMoment]
    terms: list[DebriefMoment]
    complaints: list[DebriefMoment]
    cash: list[DebriefMoment]


class CashSeries(BaseModel):
    """Cash at the end of every business day so far."""

    t: list[float]
    teams: dict[str, list[float]] = Field(description="per team, one value per t")


class Debrief(BaseModel):
    """A completed round, every team's figures and its notable moments."""

    round: int
    t: float
    teams: list[RoundFigures]
    moments: DebriefMoments
    rounds_done: list[int]
    charts: list[str]
    hours_per_day: float
    cash: CashSeries


class RoundReport(BaseModel):
    """The member's own team's figures of a completed round."""

    round: int
    t: float
    rounds_done: list[int]
    team: RoundFigures
    class_median: ClassMedian | None = Field(None, description="left out while the board is frozen")
