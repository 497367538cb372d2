"""A line of the leaderboard (``scoring.Standing.as_row``) and a competition's status
(``LiveCompetition.status``): the two shapes most answers are made of."""

from __future__ import annotations

from pydantic import BaseModel, Field


class StandingRow(BaseModel):
    """One team's line of the board; before the start only ``rank`` and ``team``."""

    rank: int
    team: str
    composite: float | None = Field(None, description="the weighted composite of the metrics' scores")
    conversion: float | None = Field(None, description="null: no inquiry closed yet")
    satisfaction: float | None = Field(None, description="null: no customer yet")
    receivables: float | None = Field(None, description="null: nothing due yet")
    profit: float | None = None
    rubric: float | None = Field(None, description="the judges' rubric component; null: not scored")
    collected: float | None = Field(None, description="cash collected on invoices")
    dso_days: float | None = Field(None, description="days sales outstanding; null: nothing paid yet")
    overdue_share: float | None = Field(None, description="share of the open receivables past due")
    bad_debt_ratio: float | None = Field(None, description="written off over invoiced")
    left_out: list[str] = Field(
        default_factory=list,
        description="the weighted metrics left out of this team's composite (rules v2: no value yet; "
        "the weights renormalised)",
    )


class CompetitionStatus(BaseModel):
    """Where a competition stands: its state, round and clock, the same in every answer."""

    id: int
    name: str
    state: str = Field(description="draft, running, paused or finished")
    round: int = Field(description="0 before the start; the round being played, or the one just ended")
    rounds: int
    next_round: int | None = Field(description="the round next-round starts (between rounds only)")
    between_rounds: bool
    t_sim: float = Field(description="simulated hours since the start")
    round_ends_t: float = Field(description="simulated hour at which the current round ends")
    seconds_per_hour: float = Field(description="wall-clock seconds per simulated hour")
    seconds_left_in_round: float | None = Field(
        description="wall-clock seconds to the round's end (running only)"
    )
    mode: str = Field(description="shared or mirrored market")
    preset: str
    hours_per_day: float = Field(description="simulated hours in a business day")
    round_hours: float = Field(description="simulated hours in a round")
    freeze_t: float | None = Field(description="the simulated hour the public board is frozen at, if any")
    frozen: bool = Field(description="whether the public board shows the standings as of freeze_t now")
    revealed: bool = Field(description="whether a reveal ceremony has been held")
    teams: int = Field(description="how many teams play")


class StatusWithStandings(CompetitionStatus):
    """The status and the board: live for judges and the instructor, as of the freeze for the public."""

    standings: list[StandingRow]
