"""The timeline: every team's composite and rank over simulated time, sampled for a chart.

Samples are taken at ``b = k·step_hours`` (k = 1, 2, …). The sample at ``b`` is the board's
per-team rows (``Scoreboard.rows``, the figures the standings rank) with every event of
``t ≤ b`` folded in: ``before(board, event)``, called with each event before ``board.apply``,
records the boundaries the event passes (``b < event.t``). Standings are computed only when a
series is asked for, with the configuration and rubric of that moment.

Every team must join at t = 0 (as every team does in Salesfloor), so all samples have the same
teams.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from market.events import Event
from scoring.config import ScoringConfig
from scoring.errors import ScoringError
from scoring.metrics import TeamMetrics
from scoring.scoreboard import Scoreboard
from scoring.standings import Extra, rank_teams


@dataclass(frozen=True, slots=True)
class Series:
    """Sample times and, per team (sorted by id), its composite and rank at each of them."""

    t: tuple[float, ...]
    composite: dict[str, tuple[float, ...]]
    rank: dict[str, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class _Sample:
    k: int
    t: float
    rows: tuple[TeamMetrics, ...]


def spread(n: int, points: int) -> list[int]:
    """Indices of at most ``points`` of ``n`` samples, evenly spread, the first and last always kept."""
    if n <= points:
        return list(range(n))
    if points == 1:
        return [n - 1]
    return [(n - 1) * j // (points - 1) for j in range(points)]


class Timeline:
    """Per-team rows sampled every ``step_hours`` of simulated time, to chart the standings.

    ``sample_until(board, now)`` records the pending samples up to ``now`` from the board as it is
    (for a query between events). Those samples are provisional: should an event with ``t ≤ b``
    still come, ``before`` drops the samples from ``b`` on and records them again as the event
    passes them, so no sample ever misses an event and no time is sampled twice.
    """

    __slots__ = ("_next_k", "_provisional", "_samples", "_step")

    def __init__(self, step_hours: float = 1.0) -> None:
        if isinstance(step_hours, bool) or not isinstance(step_hours, int | float):
            raise ScoringError(f"must be a number, got {step_hours!r}", "step_hours")
        if not math.isfinite(step_hours) or step_hours <= 0:
            raise ScoringError(f"must be a finite number of hours > 0, got {step_hours!r}", "step_hours")
        self._step = float(step_hours)
        self._samples: list[_Sample] = []
        self._provisional = 0
        """Index in ``_samples`` of the first sample taken by ``sample_until`` since the last event."""
        self._next_k = 1

    @property
    def step_hours(self) -> float:
        """Simulated hours between two samples."""
        return self._step

    @property
    def times(self) -> tuple[float, ...]:
        """The times sampled so far, in order."""
        return tuple(sample.t for sample in self._samples)

    def _record_below(self, board: Scoreboard, t: float, inclusive: bool) -> None:
        while True:
            b = self._next_k * self._step
            if b > t or (b == t and not inclusive):
                return
            self._samples.append(_Sample(self._next_k, b, tuple(board.rows(b))))
            self._next_k += 1

    def before(self, board: Scoreboard, event: Event) -> None:
        """Record the samples ``event`` passes (``b < event.t``); call it before ``board.apply(event)``."""
        stale = next(
            (i for i in range(self._provisional, len(self._samples)) if self._samples[i].t >= event.t), None
        )
        if stale is not None:
            self._next_k = self._samples[stale].k
            del self._samples[stale:]
        self._provisional = len(self._samples)
        self._record_below(board, event.t, inclusive=False)
        self._provisional = len(self._samples)

    def sample_until(self, board: Scoreboard, now: float) -> None:
        """Record the pending samples ``b ≤ now`` from the board as it is (idempotent)."""
        self._record_below(board, now, inclusive=True)

    def series(
        self,
        config: ScoringConfig,
        until: float | None = None,
        points: int = 200,
        extra_at: Callable[[float], Extra | None] | None = None,
    ) -> Series:
        """Composite and rank of every team at the samples ``b ≤ until`` (all if None).

        At most ``points`` samples are kept, evenly spread, the last always among them; the
        standings at ``b`` are ``rank_teams`` of the sample with ``config`` and ``extra_at(b)``.
        """
        if isinstance(points, bool) or not isinstance(points, int) or points < 1:
            raise ScoringError(f"must be a whole number ≥ 1, got {points!r}", "points")
        samples = [s for s in self._samples if until is None or s.t <= until]
        samples = [samples[i] for i in spread(len(samples), points)]
        teams = sorted(row.team for row in samples[-1].rows) if samples else []
        composite: dict[str, list[float]] = {team: [] for team in teams}
        rank: dict[str, list[int]] = {team: [] for team in teams}
        for sample in samples:
            standings = rank_teams(sample.rows, config, None if extra_at is None else extra_at(sample.t))
            if len(standings) != len(teams):
                missing = sorted(set(teams) - {s.team for s in standings})
                raise ScoringError(
                    f"teams {', '.join(map(repr, missing))} had not joined at t={sample.t:g}:"
                    " a timeline needs every team to join at t = 0",
                    "teams",
                )
            for s in standings:
                composite[s.team].append(s.composite)
                rank[s.team].append(s.rank)
        return Series(
            t=tuple(s.t for s in samples),
            composite={team: tuple(values) for team, values in composite.items()},
            rank={team: tuple(values) for team, values in rank.items()},
        )

    def team_figures(
        self,
        team: str,
        figures: Sequence[str] = ("conversion", "satisfaction", "receivables"),
        until: float | None = None,
        points: int = 200,
    ) -> dict[str, tuple[float | None, ...]]:
        """One team's own figures (fields of ``TeamMetrics``) at the samples ``b ≤ until``.

        The same samples, thinned the same way, as ``series``: ``{"t": (…), "conversion": (…), …}``.
        A figure still undefined at a sample (nothing closed yet, say) is None there.
        """
        if isinstance(points, bool) or not isinstance(points, int) or points < 1:
            raise ScoringError(f"must be a whole number ≥ 1, got {points!r}", "points")
        unknown = [name for name in figures if name not in TeamMetrics.__dataclass_fields__]
        if unknown:
            raise ScoringError(f"unknown figure {unknown[0]!r}", "figures")
        samples = [s for s in self._samples if until is None or s.t <= until]
        samples = [samples[i] for i in spread(len(samples), points)]
        out: dict[str, tuple[float | None, ...]] = {"t": tuple(s.t for s in samples)}
        for name in figures:
            values: list[float | None] = []
            for sample in samples:
                row = next((r for r in sample.rows if r.team == team), None)
                if row is None:
                    raise ScoringError(f"team {team!r} is not on the timeline", "team")
                values.append(getattr(row, name))
            out[name] = tuple(values)
        return out
