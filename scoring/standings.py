"""Standings: the composite score of every team and the ranking with its tie rules."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.config import EXTERNAL_METRICS, METRICS, MetricName, ScoringConfig
from scoring.errors import ScoringError
from scoring.metrics import TeamMetrics
from scoring.normalise import clip100, min_max, normalise
from scoring.profit_scale import profit_periods, profit_score

Extra = Mapping[str, Mapping[str, float]]
"""Metrics from outside the log, by metric then team: ``{"rubric": {"A": 80.0}}``."""


@dataclass(frozen=True, slots=True)
class CompositePart:
    """One metric's share in a team's composite.

    ``value`` is the team's own figure (profit: cash gained plus open receivables; None if it has
    none), ``normalised`` the 0–100 score that enters the composite, ``weight`` the configured
    weight. ``included`` is False when the weight is 0 or no team has a value yet — rules v2:
    when this team has none — and the remaining weights are then renormalised. ``scaled`` is
    the value on the metric's own 0–100 scale before normalisation across teams (v2 profit:
    the return-on-capital score; v1 profit: the min–max score).
    """

    metric: MetricName
    value: float | None
    normalised: float
    weight: float
    included: bool
    scaled: float | None = None


@dataclass(frozen=True, slots=True)
class Standing:
    """One line of the leaderboard. ``rank`` is 1-based and never shared."""

    rank: int
    team: str
    composite: float
    conversion: float | None
    satisfaction: float | None
    receivables: float | None
    profit: float
    rubric: float | None
    collected: float
    dso_days: float | None
    overdue_share: float | None
    bad_debt_ratio: float | None
    last_change_t: float | None
    left_out: tuple[str, ...] = ()
    """Weighted metrics left out of this team's composite (no value yet), the weights renormalised."""

    def as_row(self) -> dict[str, Any]:
        """The line as the boards, exports and the JSON output show it."""
        return {name: getattr(self, name) for name in ROW_FIELDS}


ROW_FIELDS = (
    "rank",
    "team",
    "composite",
    "conversion",
    "satisfaction",
    "receivables",
    "profit",
    "rubric",
    "collected",
    "dso_days",
    "overdue_share",
    "bad_debt_ratio",
)
"""The fields of a standing that leave the server (the tie-break time stays inside)."""


def check_extra(extra: Extra | None, teams: Sequence[str]) -> Extra:
    """``extra`` validated: known external metrics, known teams, finite values in [0, 100]."""
    if extra is None:
        return {}
    known = set(teams)
    for metric, values in extra.items():
        if metric not in EXTERNAL_METRICS:
            allowed = ", ".join(sorted(EXTERNAL_METRICS))
            raise ScoringError(f"unknown external metric {metric!r} (allowed: {allowed})", "extra")
        for team, value in values.items():
            if team not in known:
                raise ScoringError(f"unknown team {team!r}", f"extra.{metric}")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ScoringError(f"must be a number, got {value!r}", f"extra.{metric}.{team}")
            if not (math.isfinite(value) and 0.0 <= value <= 100.0):
                raise ScoringError(f"must be in [0, 100], got {value!r}", f"extra.{metric}.{team}")
    return extra


def metric_value(row: TeamMetrics, metric: MetricName, extra: Extra) -> float | None:
    """A team's own value of ``metric`` (before any scaling)."""
    if metric in EXTERNAL_METRICS:
        value = extra.get(metric, {}).get(row.team)
        return None if value is None else float(value)
    result: float | None = getattr(row, metric)
    return result


def composite_parts(
    rows: Sequence[TeamMetrics], config: ScoringConfig, extra: Extra | None = None
) -> dict[str, tuple[CompositePart, ...]]:
    """Per team, each metric's value, normalised score, weight and whether it counts."""
    if config.rules != 1:
        return _composite_parts_v2(rows, config, extra)
    checked = check_extra(extra, [row.team for row in rows])
    parts: dict[str, list[CompositePart]] = {row.team: [] for row in rows}
    for metric in METRICS:
        weight = config.weights.of(metric)
        raw = [metric_value(row, metric, checked) for row in rows]
        included = weight > 0 and any(v is not None for v in raw)
        if included:
            filled = [0.0 if v is None else v for v in raw]
            if metric == "profit":
                filled = min_max(filled)
            scores = normalise(filled, config.normalisation)
        else:
            scores = [0.0] * len(rows)
        for row, value, score in zip(rows, raw, scores, strict=True):
            parts[row.team].append(CompositePart(metric, value, score, weight, included))
    return {team: tuple(team_parts) for team, team_parts in parts.items()}


def _composite_parts_v2(
    rows: Sequence[TeamMetrics], config: ScoringConfig, extra: Extra | None
) -> dict[str, tuple[CompositePart, ...]]:
    """Rules v2: profit on its fixed scale; a team without a value of a metric leaves it out.

    Each metric is first put on its own fixed 0–100 scale (profit: return on starting capital
    per round, from rules 5 per business week, ``scoring.profit_scale``; the others are 0–100
    already), then normalised across the teams that have a value. A team without one has the
    metric left out of its own composite, which renormalises the remaining weights — nothing to
    measure yet never scores 0.
    """
    checked = check_extra(extra, [row.team for row in rows])
    parts: dict[str, list[CompositePart]] = {row.team: [] for row in rows}
    for metric in METRICS:
        weight = config.weights.of(metric)
        raw = [metric_value(row, metric, checked) for row in rows]
        if metric == "profit":
            scaled = [profit_score(row.profit, row.capital, profit_periods(row, config)) for row in rows]
        else:
            scaled = [None if v is None else clip100(v) for v in raw]
        present = [i for i, v in enumerate(scaled) if v is not None]
        scores: list[float] = [0.0] * len(rows)
        if weight > 0 and present:
            normalised = normalise([scaled[i] or 0.0 for i in present], config.normalisation)
            for i, score in zip(present, normalised, strict=True):
                scores[i] = score
        for i, row in enumerate(rows):
            included = weight > 0 and scaled[i] is not None
            parts[row.team].append(CompositePart(metric, raw[i], scores[i], weight, included, scaled[i]))
    return {team: tuple(team_parts) for team, team_parts in parts.items()}


def left_out(parts: Sequence[CompositePart]) -> tuple[str, ...]:
    """The weighted metrics not in this composite (no value yet), in metric order."""
    return tuple(p.metric for p in parts if p.weight > 0 and not p.included)


def composite(parts: Sequence[CompositePart]) -> float:
    """Σ w_k·m_k ÷ Σ w_k over the included metrics, in [0, 100]; 0 when none is included."""
    counted = [p for p in parts if p.included]
    weight = math.fsum(p.weight for p in counted)
    if weight <= 0:
        return 0.0
    return clip100(math.fsum(p.weight * p.normalised for p in counted) / weight)


def rank_teams(
    rows: Sequence[TeamMetrics], config: ScoringConfig, extra: Extra | None = None
) -> list[Standing]:
    """The leaderboard: composite desc, then collected desc, then earlier last change, then team id."""
    parts = composite_parts(rows, config, extra)
    checked = check_extra(extra, [row.team for row in rows])
    scored = [(composite(parts[row.team]), row) for row in rows]
    scored.sort(key=lambda item: (-item[0], -item[1].collected, _reached(item[1]), item[1].team))
    return [
        Standing(
            rank=position,
            team=row.team,
            composite=score,
            conversion=row.conversion,
            satisfaction=row.satisfaction,
            receivables=row.receivables,
            profit=row.profit,
            rubric=metric_value(row, "rubric", checked),
            collected=row.collected,
            dso_days=row.dso_days,
            overdue_share=row.overdue_share,
            bad_debt_ratio=row.bad_debt_ratio,
            last_change_t=row.last_change_t,
            left_out=left_out(parts[row.team]),
        )
        for position, (score, row) in enumerate(scored, start=1)
    ]


def _reached(row: TeamMetrics) -> float:
    """When the team reached its current score; a score held from the start sorts first."""
    return -math.inf if row.last_change_t is None else row.last_change_t
