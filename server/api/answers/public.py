"""What the public routes and the previews answer (server/api/public.py, server/api/previews.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Health(BaseModel):
    ok: bool
    owner: bool = Field(
        description="whether this worker is the front, which takes the requests naming no competition "
        "(always with one process)"
    )
    database: str = Field(description="ok, unavailable or full")
    competitions: int = Field(description="how many competitions this worker runs")
    runs: list[int] = Field(description="the ids of the competitions this worker runs")
    damaged: dict[str, str] = Field(description="per competition id: why its replay failed")
    forwarding: dict[str, int] = Field(
        description="with several workers: per other worker, the requests forwarded to it and not yet "
        "answered (beyond FORWARDS_IN_FLIGHT more are refused with 503); empty when none are"
    )


class Named(BaseModel):
    """A preset or a house bot."""

    name: str
    description: str


class PresetParameter(BaseModel):
    """One parameter of a preset, with its bounds and unit."""

    key: str
    value: Any
    low: float | None
    high: float | None
    unit: str
    help: str
    integer: bool
    pair: bool = Field(description="a [low, high] pair")
    group: str


class BotMeans(BaseModel):
    """A reference bot's mean figures over the seasons played."""

    bot: str
    composite: float | None = None
    conversion: float | None = None
    satisfaction: float | None = None
    receivables: float | None = None
    profit: float | None = None
    rank: float | None = None


class PreviewResult(BaseModel):
    bots: list[BotMeans]
    inquiries_per_team: float | None
    seasons: int


class Preview(BaseModel):
    """A preview's progress, then its result."""

    id: str
    state: str
    progress: float = Field(description="0–1")
    seeds: list[int]
    rounds: int
    result: PreviewResult | None
    error: str | None
