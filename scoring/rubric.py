"""The judges' rubric: criteria, the append-only log of judges' points, and each team's 0–100 score.

An *item* is a criterion in one round (a per-round criterion) or once for the competition. A
team's points on an item are the mean over the judges who scored the team on it; its rubric is
``100 × Σ item means ÷ Σ item max points`` over the items at least one judge scored it on. The
score enters the composite as the external metric ``"rubric"``
(``standings(extra={"rubric": rubric_component(...)})``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scoring.errors import ScoringError
from scoring.explain import Explanation, RubricItem
from scoring.normalise import clip100

NAME_MAX = 80
"""Longest criterion name, in characters."""

POINTS_MAX = 1000.0
"""Highest ``max_points`` a criterion may have."""

ScoreKey = tuple[int, str, str, int | None]
"""(criterion id, team, judge, round): what one judge's current score is for."""

__all__ = [
    "Criterion",
    "RubricEntry",
    "RubricItem",
    "ScoreKey",
    "check_entry",
    "current_scores",
    "explain_rubric",
    "rubric_component",
    "rubric_items",
]


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One rubric criterion (e.g. complaint-reply quality), scored per round or once.

    Names are non-empty and at most 80 characters; ``max_points`` is finite, > 0 and ≤ 1000.
    """

    id: int
    name_en: str
    name_zh: str
    max_points: float
    per_round: bool

    def __post_init__(self) -> None:
        if not isinstance(self.id, int) or isinstance(self.id, bool):
            raise ScoringError(f"must be an integer, got {self.id!r}", "id")
        for name in ("name_en", "name_zh"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ScoringError("must not be empty: give the criterion a name", name)
            if len(value) > NAME_MAX:
                raise ScoringError(f"must be at most {NAME_MAX} characters, got {len(value)}", name)
        points = self.max_points
        if not _is_number(points) or not math.isfinite(points) or not 0.0 < points <= POINTS_MAX:
            raise ScoringError(
                f"must be a number greater than 0 and at most {POINTS_MAX:g}, got {points!r}", "max_points"
            )
        if not isinstance(self.per_round, bool):
            raise ScoringError(f"must be true or false, got {self.per_round!r}", "per_round")


@dataclass(frozen=True, slots=True)
class RubricEntry:
    """One line of the append-only rubric log: judge ``judge``'s points for (criterion, team, round).

    ``points=None`` withdraws that judge's score. ``by`` wrote the line (the judge, or
    ``"instructor"`` correcting a judge's score); ``t_sim`` is the simulated time it was entered
    at, ``at`` the wall time (carried, never read). The latest line by ``seq`` for a key counts.
    """

    seq: int
    criterion_id: int
    team: str
    judge: str
    round: int | None
    points: float | None
    t_sim: float
    at: float
    by: str

    @property
    def key(self) -> ScoreKey:
        """What the entry scores: (criterion id, team, judge, round)."""
        return (self.criterion_id, self.team, self.judge, self.round)


def check_entry(criterion: Criterion, round: int | None, points: float | None, rounds: int) -> None:
    """Raise ScoringError unless ``round`` and ``points`` are a valid score on ``criterion``.

    A per-round criterion needs a round from 1 to ``rounds``, a once-only criterion no round;
    points are finite and from 0 to the criterion's ``max_points`` (None withdraws a score).
    """
    name = criterion.name_en
    if criterion.per_round:
        if not isinstance(round, int) or isinstance(round, bool) or not 1 <= round <= rounds:
            raise ScoringError(
                f"criterion {name!r} is scored per round: give a round from 1 to {rounds}, got {round!r}",
                "round",
            )
    elif round is not None:
        raise ScoringError(
            f"criterion {name!r} is scored once for the whole competition: leave the round out"
            f" (got round {round!r})",
            "round",
        )
    if points is None:
        return
    if not _is_number(points) or not math.isfinite(points) or not 0.0 <= points <= criterion.max_points:
        raise ScoringError(
            f"criterion {name!r} takes points from 0 to {criterion.max_points:g}, got {points!r}", "points"
        )


def current_scores(entries: Iterable[RubricEntry], until_t: float | None = None) -> dict[ScoreKey, float]:
    """Each judge's current points per (criterion id, team, judge, round), sorted by key.

    Among the entries with ``t_sim ≤ until_t`` (all if None) the one with the highest ``seq``
    per key counts; keys whose latest entry withdraws the score (``points=None``) are left out.
    Raises ScoringError if two entries share a seq.
    """
    latest: dict[ScoreKey, RubricEntry] = {}
    seqs: set[int] = set()
    for entry in entries:
        if entry.seq in seqs:
            raise ScoringError(f"seq {entry.seq} appears twice: every rubric entry needs its own seq", "seq")
        seqs.add(entry.seq)
        if until_t is not None and entry.t_sim > until_t:
            continue
        found = latest.get(entry.key)
        if found is None or entry.seq > found.seq:
            latest[entry.key] = entry
    ordered = sorted(latest, key=_key_order)
    return {key: points for key in ordered if (points := latest[key].points) is not None}


def _key_order(key: ScoreKey) -> tuple[int, str, str, bool, int]:
    criterion_id, team, judge, round = key
    return (criterion_id, team, judge, round is not None, round or 0)


def _item_order(item: tuple[int, int | None]) -> tuple[int, bool, int]:
    criterion_id, round = item
    return (criterion_id, round is not None, round or 0)


def _mean(points: Sequence[float]) -> float:
    """The mean, kept within [min, max] (so equal points have exactly that mean)."""
    mean = math.fsum(points) / len(points)
    return min(max(mean, min(points)), max(points))


def rubric_items(
    criteria: Sequence[Criterion], entries: Iterable[RubricEntry], until_t: float | None = None
) -> dict[str, tuple[RubricItem, ...]]:
    """Per team (sorted), the items it has at least one judge's current score on.

    Items are sorted by criterion id then round; each carries the judges' points sorted by judge
    and their mean. Raises ScoringError for an entry of a criterion not in ``criteria``.
    """
    by_id: dict[int, Criterion] = {}
    for criterion in criteria:
        if criterion.id in by_id:
            raise ScoringError(f"criterion id {criterion.id} appears twice: give each criterion its own id")
        by_id[criterion.id] = criterion
    logged = list(entries)
    for entry in logged:
        if entry.criterion_id not in by_id:
            known = ", ".join(str(i) for i in sorted(by_id)) or "none"
            raise ScoringError(
                f"rubric entry seq {entry.seq} scores unknown criterion {entry.criterion_id}"
                f" (known: {known}): add the criterion or drop the entry",
                "criterion_id",
            )
    grouped: dict[str, dict[tuple[int, int | None], list[tuple[str, float]]]] = {}
    for (criterion_id, team, judge, round), points in current_scores(logged, until_t).items():
        grouped.setdefault(team, {}).setdefault((criterion_id, round), []).append((judge, points))
    result: dict[str, tuple[RubricItem, ...]] = {}
    for team in sorted(grouped):
        items = grouped[team]
        result[team] = tuple(
            RubricItem(
                criterion_id=criterion_id,
                round=round,
                max_points=float(by_id[criterion_id].max_points),
                mean_points=_mean([points for _, points in items[criterion_id, round]]),
                judges=tuple(sorted(items[criterion_id, round])),
            )
            for criterion_id, round in sorted(items, key=_item_order)
        )
    return result


def _score(items: Sequence[RubricItem]) -> float:
    """100 × Σ mean points ÷ Σ max points, clipped to [0, 100]."""
    ratio = math.fsum(i.mean_points for i in items) / math.fsum(i.max_points for i in items)
    return clip100(100.0 * ratio)


def rubric_component(
    criteria: Sequence[Criterion], entries: Iterable[RubricEntry], until_t: float | None = None
) -> dict[str, float]:
    """Each scored team's rubric (0–100), sorted by team: ``100 × Σ item means ÷ Σ item max points``.

    Only entries with ``t_sim ≤ until_t`` count (all if None); teams without a current score are
    absent. The result is what ``standings(extra={"rubric": ...})`` takes.
    """
    return {team: _score(items) for team, items in rubric_items(criteria, entries, until_t).items()}


def explain_rubric(
    team: str,
    criteria: Sequence[Criterion],
    entries: Iterable[RubricEntry],
    until_t: float | None = None,
) -> Explanation:
    """A team's rubric with the formula written out and one ``RubricItem`` per item it was scored on."""
    items = rubric_items(criteria, entries, until_t).get(team, ())
    if not items:
        return Explanation(team, "rubric", None, f"rubric = n/a: no judge has scored team {team!r} yet", ())
    value = _score(items)
    means = math.fsum(i.mean_points for i in items)
    maxima = math.fsum(i.max_points for i in items)
    formula = (
        f"rubric = 100 × Σ mean points ÷ Σ max points = 100 × {means:.2f} ÷ {maxima:g} = {value:.2f}"
        f" ({len(items)} item{'s' if len(items) != 1 else ''})"
    )
    return Explanation(team, "rubric", value, formula, items)
