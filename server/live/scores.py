"""The scores of one live competition as each audience sees them: live, or frozen for the public.

``LiveScores`` folds the event log once for the live board (judges, instructor) and, while a
freeze is set, a second time up to the freeze for the public and team boards. A freeze is a
simulated time; when the clock reaches it, the freeze is *sealed* at that point of the event
log and of the rubric log: the public boards show the events before the seal (every event up
to the freeze time that the clock had processed) and the rubric scores entered before it, so
nothing that happens afterwards shows, not even a command applied at the very moment of the
freeze while the clock is paused there.
It also keeps each team's score over time, and answers explanations, history and awards for
either audience. Everything here is a view of the event log and the rubric log.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from typing import Any

from market.events import Event
from scoring import (
    Award,
    ExplainedMetric,
    Explanation,
    MedalCounts,
    Scoreboard,
    ScoringConfig,
    ScoringError,
    Standing,
    Timeline,
    awards,
    explain_rubric,
    reveal_sequence,
)
from server.errors import ServerError
from server.live.rubric_book import RubricBook
from simulator.event_log import EventLog

SAMPLES_PER_ROUND = 40
"""Resolution of the score-over-time series: this many samples in every round."""

EXPLAINED: tuple[str, ...] = ("conversion", "satisfaction", "receivables", "profit", "composite", "rubric")


def standing_rows(standings: Sequence[Standing]) -> list[dict[str, Any]]:
    """The standings as the API and channels send them: each row with ``left_out``, the weighted
    metrics left out of that team's composite (rules v2: no value yet; the weights renormalised)."""
    return [{**s.as_row(), "left_out": list(s.left_out)} for s in standings]


def explanation_view(explanation: Explanation, config: ScoringConfig) -> dict[str, Any]:
    """An explanation as JSON: each item tagged with its kind; open invoices show what is still owed."""
    items = []
    for item in explanation.items:
        data = dataclasses.asdict(item)
        data["kind"] = type(item).__name__
        if "written_off" in data and "amount" in data:
            open_amount = 0.0 if data["written_off"] is not None else data["amount"] - data["collected"]
            data["outstanding"] = round(max(0.0, open_amount), 2)
        items.append(data)
    return {
        "team": explanation.team,
        "metric": explanation.metric,
        "value": explanation.value,
        "formula": explanation.formula,
        "weights": dataclasses.asdict(config.weights),
        "normalisation": config.normalisation,
        "rules": config.rules,
        "items": items,
    }


def award_view(award: Award) -> dict[str, Any]:
    return dataclasses.asdict(award)


class LiveScores:
    """Live and public standings, the score timeline, explanations, history and awards."""

    def __init__(
        self,
        config: ScoringConfig,
        rubric: RubricBook,
        freeze: tuple[float | None, int | None, int | None],
        medals: MedalCounts,
    ) -> None:
        self.config = config
        self.rubric = rubric
        self.freeze_t, self.freeze_seq, self.freeze_rubric = freeze
        self.medals = medals
        self.board = Scoreboard(config)
        self.frozen: Scoreboard | None = None
        self.timeline = Timeline(config.round_hours / SAMPLES_PER_ROUND)

    # --- folding ------------------------------------------------------------------------------------

    def observe(self, event: Event) -> None:
        """One new event of the log, for every board that should see it."""
        self.timeline.before(self.board, event)
        self.board.apply(event)
        if self.frozen is not None and self._public(event.seq, event.t):
            self.frozen.apply(event)

    def hides(self, event: Event) -> bool:
        """Whether an event lies beyond the public's freeze."""
        return self.freeze_t is not None and not self._public(event.seq, event.t)

    def _public(self, seq: int, t: float) -> bool:
        """Whether an event belongs on the frozen boards: before the seal, or up to the freeze time."""
        if self.freeze_seq is not None:
            return seq < self.freeze_seq
        return self.freeze_t is not None and t <= self.freeze_t

    def rebuild(self, events: Iterable[Event], config: ScoringConfig | None = None) -> None:
        """Fold the whole log again (new weights, a freeze set or lifted)."""
        if config is not None:
            self.config = config
        self.board = Scoreboard(self.config)
        self.timeline = Timeline(self.config.round_hours / SAMPLES_PER_ROUND)
        self.frozen = None if self.freeze_t is None else Scoreboard(self.config)
        for event in events:
            self.observe(event)

    def set_freeze(self, freeze_t: float | None, events: Sequence[Event]) -> None:
        """Set (or, with None, lift) the freeze; it is not sealed until the clock reaches it."""
        self.freeze_t, self.freeze_seq, self.freeze_rubric = freeze_t, None, None
        self.frozen = None
        if freeze_t is not None:
            frozen = Scoreboard(self.config)
            frozen.apply_all(e for e in events if self._public(e.seq, e.t))
            self.frozen = frozen

    def seal(self, now: float, events: Sequence[Event] | EventLog) -> bool:
        """Seal a freeze whose time has come at this point of both logs; True if it was sealed now.

        The clock may have passed the freeze time in one step: the seal goes after the last
        event at or before it (events come in time order).
        """
        if self.freeze_t is None or self.freeze_seq is not None or now < self.freeze_t:
            return False
        count = len(events)
        while count > 0 and events[count - 1].t > self.freeze_t:
            count -= 1
        self.freeze_seq = count
        self.freeze_rubric = max((e.id or 0 for e in self.rubric.entries), default=0)
        return True

    # --- who sees what --------------------------------------------------------------------------------

    def frozen_now(self, now: float) -> bool:
        """Whether the public boards show a cut: a freeze is set and its time has come."""
        return self.freeze_t is not None and now >= self.freeze_t

    def _view(self, public: bool, now: float) -> tuple[Scoreboard, float, int | None]:
        """The board an audience sees, the time it is read at, and the last rubric entry it counts."""
        if public and self.frozen is not None and self.freeze_t is not None:
            return self.frozen, min(now, self.freeze_t), self.freeze_rubric
        return self.board, now, None

    def standings(self, now: float, public: bool = False) -> list[Standing]:
        board, at, cut = self._view(public, now)
        return board.standings(at, extra=self.rubric.extra(upto=cut))

    def rows(self, now: float, public: bool = False) -> list[dict[str, Any]]:
        return standing_rows(self.standings(now, public))

    def explain(self, team: str, metric: str, now: float, public: bool = False) -> dict[str, Any]:
        if metric not in EXPLAINED:
            raise ServerError("invalid", f"cannot explain {metric!r}; choose one of {', '.join(EXPLAINED)}")
        board, at, cut = self._view(public, now)
        if team not in board.teams:
            raise ServerError("not_found", f"there is no team {team!r} on the board")
        explained: ExplainedMetric = metric  # type: ignore[assignment]
        try:
            if metric == "rubric":
                criteria, entries = self.rubric.scoring_values()
                if cut is not None:
                    entries = [e for e in entries if e.seq <= cut]
                explanation = explain_rubric(team, criteria, entries)
            else:
                explanation = board.explain(team, explained, at, extra=self.rubric.extra(upto=cut))
        except ScoringError as exc:
            raise ServerError("invalid", str(exc)) from None
        return explanation_view(explanation, self.config)

    def history(self, now: float, public: bool = False, points: int = 200) -> dict[str, Any]:
        """Per-round and cumulative standings, and each team's score over simulated time."""
        board, at, cut = self._view(public, now)
        until = self._sampled_until(board, at, now)
        series = self.timeline.series(
            self.config, until=until, points=points, extra_at=lambda b: self.rubric.extra(until_t=b)
        )
        current = board.standings(at, extra=self.rubric.extra(upto=cut))
        rounds = [
            {
                "round": r.round,
                "t": r.t,
                "teams": [dataclasses.asdict(team) for team in r.teams],
            }
            for r in board.round_metrics()
        ]
        now_point = not series.t or series.t[-1] < at  # the standings of this moment close the series
        return {
            "t_sim": at,
            "rounds": rounds,
            "series": {
                "t": [*series.t, *([at] if now_point else [])],
                "composite": {
                    s.team: [*series.composite.get(s.team, ()), *([s.composite] if now_point else [])]
                    for s in current
                },
                "rank": {
                    s.team: [*series.rank.get(s.team, ()), *([s.rank] if now_point else [])] for s in current
                },
            },
            "standings": standing_rows(current),
        }

    def _sampled_until(self, board: Scoreboard, at: float, now: float) -> float:
        """Take the samples due by now; the last one an audience may see.

        Samples strictly before a freeze time hold nothing entered after the seal; the frozen
        board itself closes a public series.
        """
        self.timeline.sample_until(self.board, now)
        return math.nextafter(at, -math.inf) if board is self.frozen else at

    def team_figures(
        self, team: str, figures: Sequence[str], now: float, public: bool = False, points: int = 200
    ) -> dict[str, list[float | None]]:
        """One team's own figures over time, at the samples ``history`` shows, closed with now's."""
        board, at, _cut = self._view(public, now)
        until = self._sampled_until(board, at, now)
        sampled = self.timeline.team_figures(team, figures, until=until, points=points)
        rows = {row.team: row for row in board.rows(at)}
        out = {name: list(values) for name, values in sampled.items()}
        times = sampled["t"]
        if not times or (times[-1] or 0.0) < at:
            out["t"].append(at)
            for name in figures:
                out[name].append(getattr(rows[team], name))
        return out

    def awards(self, now: float, public: bool = False) -> list[dict[str, Any]]:
        board, at, cut = self._view(public, now)
        standings = board.standings(at, extra=self.rubric.extra(upto=cut))
        return [award_view(a) for a in awards(standings, board.metrics(at), self.medals)]

    def reveal(self, now: float) -> dict[str, Any]:
        """The ceremony: the frozen table, then every team's final score from the bottom up."""
        frozen = self.standings(now, public=True)
        final = self.standings(now)
        steps = reveal_sequence(frozen, final)
        return {
            "freeze_t": self.freeze_t,
            "t_sim": now,
            "frozen": standing_rows(frozen),
            "steps": [dataclasses.asdict(step) for step in steps],
            "final": standing_rows(final),
        }
