"""Per-round results: what each team achieved within one round, snapshotted when it ends."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class RoundTally:
    """Running counts of one team within one round's time window (mutable fold state).

    Closings count when they happen inside the window; invoices count when they fall due inside
    it, and later payments, credit notes and refunds on them keep updating the tally.
    ``invoice_ids`` are those invoices (rules v2 scores their expected loss at the round's end).
    """

    won: int = 0
    closed: int = 0
    due_total: float = 0.0
    collected_due: float = 0.0
    invoice_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RoundTeamMetrics:
    """One team's figures for one round, as they stood when the round ended."""

    team: str
    rank: int
    composite: float
    conversion: float | None
    won: int
    closed: int
    receivables: float | None
    due_total: float
    collected_due: float
    satisfaction: float | None


@dataclass(frozen=True, slots=True)
class RoundMetrics:
    """A completed round: its number, the time it ended and every team's figures by rank."""

    round: int
    t: float
    teams: tuple[RoundTeamMetrics, ...]

    def by_team(self) -> dict[str, RoundTeamMetrics]:
        """The teams' figures keyed by team id."""
        return {row.team: row for row in self.teams}
