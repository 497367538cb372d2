"""The scoreboard: the incremental fold of a competition's event log into scores.

``Scoreboard.apply`` takes events in log order, each in O(1) (amortised); queries read the
fold state and never change it, so applying events one by one and asking at any point gives
exactly what folding the log up to that point from scratch gives (``score_events``).
"""

from __future__ import annotations

from collections.abc import Iterable

from market.events import Event, RoundEnded, TeamEvent, TeamJoined
from scoring.config import ScoringConfig
from scoring.errors import ScoringError
from scoring.explain import (
    ExplainedMetric,
    Explanation,
    explain_composite,
    explain_conversion,
    explain_profit_v1,
    explain_profit_v2,
    explain_receivables,
    explain_receivables_v2,
    explain_satisfaction,
    explain_satisfaction_v2,
    invoice_risks,
)
from scoring.ledger import TeamLedger
from scoring.metrics import TeamMetrics
from scoring.normalise import min_max
from scoring.profit_scale import profit_periods, weekly
from scoring.rounds import RoundMetrics, RoundTally, RoundTeamMetrics
from scoring.standings import CompositePart, Extra, Standing, composite_parts, rank_teams


class Scoreboard:
    """Scores of every team, kept up to date one event at a time.

    Teams become known through ``TeamJoined``. The board rejects a malformed log with
    ``ScoringError`` and is left unchanged by the event it rejects: a ``seq`` not above the
    previous one, a time before the board's clock, an event of a team that has not joined, a team
    joining twice, an invoice issued twice or an invoice event for an unknown invoice.
    """

    __slots__ = ("_config", "_last_seq", "_now", "_rounds", "_teams")

    def __init__(self, config: ScoringConfig | None = None) -> None:
        self._config = config if config is not None else ScoringConfig()
        self._teams: dict[str, TeamLedger] = {}
        self._rounds: dict[int, RoundMetrics] = {}
        self._last_seq: int | None = None
        self._now = 0.0

    @property
    def config(self) -> ScoringConfig:
        """The configuration the board scores with."""
        return self._config

    @property
    def now(self) -> float:
        """The board's clock: the latest event time applied or time advanced to (0 at first)."""
        return self._now

    @property
    def teams(self) -> tuple[str, ...]:
        """Ids of the teams that have joined, sorted."""
        return tuple(sorted(self._teams))

    # --- folding -----------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Fold one event in; kinds scoring does not use only move the clock."""
        if self._last_seq is not None and event.seq <= self._last_seq:
            raise ScoringError(f"seq {event.seq} does not follow seq {self._last_seq}", "seq")
        if event.t < self._now:
            raise ScoringError(
                f"event at t={event.t} is before the board's clock t={self._now}", f"seq {event.seq}"
            )
        if isinstance(event, TeamJoined):
            if event.team in self._teams:
                raise ScoringError(f"team {event.team!r} joined twice", f"seq {event.seq}")
            ledger = TeamLedger(event.team, self._config)
            ledger.apply(event)
            self._teams[event.team] = ledger
        elif isinstance(event, TeamEvent):
            found = self._teams.get(event.team)
            if found is None:
                raise ScoringError(
                    f"{event.kind} for team {event.team!r}, which has not joined", f"seq {event.seq}"
                )
            found.apply(event)
        self._last_seq = event.seq
        self._now = event.t
        if isinstance(event, RoundEnded):
            self._rounds[event.round] = self._snapshot(event)

    def apply_all(self, events: Iterable[Event]) -> None:
        """Fold several events in, in order."""
        for event in events:
            self.apply(event)

    def advance_to(self, now: float) -> None:
        """Move the clock on without an event (e.g. to a freeze time); it never goes back."""
        if now < self._now:
            raise ScoringError(f"cannot move the clock back from t={self._now} to t={now}", "now")
        self._now = now

    # --- queries -------------------------------------------------------------------------------

    def metrics(self, now: float | None = None) -> dict[str, TeamMetrics]:
        """Every team's figures at ``now`` (default: the board's clock), keyed by team id, sorted."""
        at = self._now if now is None else now
        return {team: self._teams[team].metrics(at) for team in sorted(self._teams)}

    def standings(self, now: float | None = None, extra: Extra | None = None) -> list[Standing]:
        """The leaderboard at ``now``; ``extra`` adds metrics from outside the log (the rubric)."""
        at = self._now if now is None else now
        return rank_teams(self.rows(at), self._config, extra)

    def rows(self, now: float | None = None) -> list[TeamMetrics]:
        """Every team's figures without aging, sorted by team id: the rows the standings rank."""
        at = self._now if now is None else now
        return [self._teams[team].metrics(at, with_aging=False) for team in sorted(self._teams)]

    def round_metrics(self) -> list[RoundMetrics]:
        """The rounds completed so far (a round completes with its ``RoundEnded``), by number."""
        return [self._rounds[r] for r in sorted(self._rounds)]

    def explain(
        self, team: str, metric: ExplainedMetric, now: float | None = None, extra: Extra | None = None
    ) -> Explanation:
        """One figure of ``team`` with the formula and the events (by seq) behind it."""
        ledger = self._teams.get(team)
        if ledger is None:
            raise ScoringError(f"unknown team {team!r}", "team")
        at = self._now if now is None else now
        config = self._config
        v1 = config.rules == 1
        if metric == "conversion":
            return explain_conversion(team, ledger.funnel)
        if metric == "satisfaction":
            if v1:
                return explain_satisfaction(team, ledger.moods)
            return explain_satisfaction_v2(team, ledger.moods, config.satisfaction_smoothing)
        if metric == "receivables":
            if v1:
                return explain_receivables(team, ledger.invoices)
            items = invoice_risks(ledger.invoices, at, config.hours_per_day, config.loss_horizon_days)
            loss = ledger.expected_loss(at)
            return explain_receivables_v2(
                team, ledger.invoices, loss, items, config.loss_horizon_days, terms_priced=config.rules >= 3
            )
        if metric == "profit":
            return self._explain_profit(team, ledger, at, extra)
        if metric == "composite":
            parts = composite_parts(self.rows(at), config, extra)
            return explain_composite(team, parts[team], config)
        if metric == "rubric":
            raise ScoringError(
                "the board holds no rubric scores: explain the rubric with"
                " scoring.explain_rubric(team, criteria, entries)",
                "metric",
            )
        raise ScoringError(f"cannot explain {metric!r}", "metric")

    # --- internals -----------------------------------------------------------------------------

    def _explain_profit(self, team: str, ledger: TeamLedger, at: float, extra: Extra | None) -> Explanation:
        rows = self.rows(at)
        part = next(p for p in composite_parts(rows, self._config, extra)[team] if p.metric == "profit")
        config = self._config
        if config.rules != 1:
            periods = profit_periods(next(row for row in rows if row.team == team), config)
            week = (at, config.week_hours) if weekly(config) else None
            loss = ledger.expected_loss(at)
            return explain_profit_v2(team, ledger.cash_gained, loss, ledger.capital, periods, part, week)
        profits = [row.profit for row in rows]
        lowest, highest = min(profits), max(profits)
        scaled = min_max(profits)[[row.team for row in rows].index(team)]
        part = CompositePart(part.metric, part.value, part.normalised, part.weight, part.included, scaled)
        return explain_profit_v1(team, ledger.cash_gained, ledger.account.open_total, part, lowest, highest)

    def _snapshot(self, event: RoundEnded) -> RoundMetrics:
        rows: list[RoundTeamMetrics] = []
        for standing in rank_teams(self.rows(event.t), self._config):
            ledger = self._teams[standing.team]
            tally = ledger.rounds.get(event.round, RoundTally())
            rows.append(
                RoundTeamMetrics(
                    team=standing.team,
                    rank=standing.rank,
                    composite=standing.composite,
                    conversion=None if tally.closed == 0 else 100.0 * tally.won / tally.closed,
                    won=tally.won,
                    closed=tally.closed,
                    receivables=ledger.round_receivables(tally, event.t),
                    due_total=tally.due_total,
                    collected_due=tally.collected_due,
                    satisfaction=standing.satisfaction,
                )
            )
        return RoundMetrics(event.round, event.t, tuple(rows))


def score_events(
    events: Iterable[Event], config: ScoringConfig | None = None, now: float | None = None
) -> Scoreboard:
    """A board with the whole log folded in, its clock at ``now`` (default: the last event's time)."""
    board = Scoreboard(config)
    board.apply_all(events)
    if now is not None:
        board.advance_to(now)
    return board
