"""Adversarial search over the strategy family: the best response to the reference league.

Empirical game-theoretic analysis in its simplest useful form: in one market (a preset in a
mode), a candidate team joins one team per reference bot and plays training seasons; its
score is its mean margin over the balanced team of the same seasons. The search samples
random points of the family (random search), then refines the best by changing one or two
levers at a time (local search: keep a neighbour only if it scores higher). The finalists
are then played on held-out seeds the search never saw, and the best of them there is the
result — with its margin, standard error and the seasons it won, so that a lucky point
found on a few training seeds does not pass for a strong one. Every candidate plays in the
same seat (the team ``candidate``), and in a shared market a seat meets its own customers:
on a given set of seeds it has luck of its own, which every candidate shares. So the
held-out margin is net of it — season by season, less the margin of ``balanced`` itself
played in that seat — and the training margin is less balanced's own training score.

Everything is drawn from a numpy Generator seeded by the search's seed and the cell, and
batches come back in job order, so the same seed finds the same strategies.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from market.parameters import MarketParameters
from simulator.competition import TeamSpec
from simulator.evaluate import Sample, margins, play_seasons
from teams.bots import REFERENCE_LEAGUE
from teams.bots.strategy import BALANCED, Strategy, describe, extremes, to_spec

CANDIDATE_TEAM = "candidate"
TRAINING_SEED_BASE = 100_000
"""Training seeds are 100000, 100001, …: far from the held-out seeds 0, 1, … a report uses."""


@dataclass(frozen=True, slots=True)
class Knob:
    """One lever of the search: the values it may take (ordered ones step to a neighbour)."""

    name: str
    values: tuple[Any, ...]
    ordered: bool = True


@dataclass(frozen=True, slots=True)
class SearchSettings:
    candidates: int = 24
    """Random points sampled (besides the balanced point itself)."""
    refine_rounds: int = 4
    refine_width: int = 6
    """Neighbours of the incumbent tried per refinement round."""
    training_seeds: int = 3
    finalists: int = 3
    held_out: tuple[int, ...] = tuple(range(10))
    seed: int = 0
    workers: int | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """A strategy the search found in one market, with its held-out record against balanced."""

    preset: str
    mode: str
    strategy: Strategy
    training_margin: float
    margin: Sample
    """Held-out margin over balanced, net of the seat's luck: season by season, the candidate's
    margin less that of a copy of balanced playing in the candidate's seat (``seat``)."""
    wins: int
    """Held-out seasons in which the candidate did better than the copy of balanced in its seat."""
    evaluated: int
    words: tuple[str, ...]
    extremes: tuple[str, ...]
    seat: Sample
    """Held-out margin over balanced of balanced itself in the candidate's seat: the luck every
    candidate shares there (in a shared market the seat meets other customers than balanced's)."""

    @property
    def spec(self) -> str:
        return to_spec(self.strategy)

    @property
    def beats_balanced(self) -> bool:
        """Above balanced by more than two standard errors on the held-out seeds."""
        return self.margin.mean > 2 * self.margin.se


def largest_discounts(params: MarketParameters) -> dict[str, float]:
    """Per segment, the largest position discount that still covers the unit cost."""
    p = params.product
    return {s.id: max(0.0, 1.0 - s.list_discount - p.unit_cost / p.list_price) for s in params.segments}


def knobs(params: MarketParameters) -> list[Knob]:
    """The levers the search turns in this market, with the values each may take."""
    segments = tuple(s.id for s in params.segments)
    subsets = tuple(
        tuple(sorted(c)) for r in range(len(segments) + 1) for c in itertools.combinations(segments, r)
    )
    largest = largest_discounts(params)
    out: list[Knob] = []
    for seg in segments:
        grid = sorted({round(x, 2) for x in np.arange(0.0, largest[seg], 0.02)} | {round(largest[seg], 4)})
        grid = sorted(set(grid) | {BALANCED.discount_for(seg)})
        out.append(Knob(f"discount.{seg}", tuple(grid)))
        out.append(Knob(f"terms.{seg}", (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)))
    consider = params.consideration_hours
    cash = params.starting_cash
    out += [
        Knob("terms_floor_days", (0.0, 5.0, 10.0, 15.0, 30.0)),
        Knob("reply_hours", (None, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0)),
        Knob(
            "follow_up_hours",
            (None, round(consider / 4, 3), round(consider / 2, 3), round(consider * 0.75, 3)),
        ),
        Knob("check_credit", subsets, ordered=False),
        Knob("grade_d_terms", (0.0, 0.5, 1.0)),
        Knob("decline_grade_d", (False, True), ordered=False),
        Knob("decline", subsets[: 1 + len(segments)], ordered=False),
        Knob("credit_limit", (None, cash * 0.25, cash * 0.1, cash * 0.05, cash * 0.025)),
        Knob(
            "minor_remedy",
            (
                ("apology", 0.0),
                ("credit_note", 5.0),
                ("credit_note", 10.0),
                ("replacement", 0.0),
                ("refund", 0.0),
            ),
            ordered=False,
        ),
        Knob(
            "major_remedy",
            (
                ("apology", 0.0),
                ("credit_note", 15.0),
                ("credit_note", 25.0),
                ("replacement", 0.0),
                ("refund", 0.0),
            ),
            ordered=False,
        ),
        Knob("remind_days", (None, 0.0, 0.5, 1.0, 3.0, 5.0)),
        Knob("reminders", (1, 2, 3, 4, 6)),
        Knob("collect_share", (None, 0.25, 0.5, 2 / 3, 0.9)),
        Knob("writeoff_share", (None, 0.0, 0.5, 0.95)),
        Knob("care", subsets, ordered=False),
        Knob("campaign_budget", (0.0, 250.0, 500.0, 1000.0, 2000.0)),
        Knob("campaign_segment", segments, ordered=False),
    ]
    return out


def lever_value(s: Strategy, name: str) -> Any:
    lever, _, seg = name.partition(".")
    if seg:
        return s.discount_for(seg) if lever == "discount" else s.terms_share_for(seg)
    return getattr(s, name)


def with_lever(s: Strategy, name: str, value: Any) -> Strategy:
    lever, _, seg = name.partition(".")
    if seg:
        return s.with_segment(lever, seg, value)
    changes: dict[str, Any] = {name: value}
    return dataclasses.replace(s, **changes)


def random_point(rng: np.random.Generator, space: Sequence[Knob]) -> Strategy:
    """Every lever drawn at random (half the time), or two to eight levers of balanced redrawn:
    points drawn uniformly from the whole family are nearly all far worse than balanced."""
    s = BALANCED
    chosen = (
        range(len(space)) if rng.random() < 0.5 else rng.choice(len(space), int(rng.integers(2, 9)), False)
    )
    for i in sorted(int(i) for i in chosen):
        knob = space[i]
        s = with_lever(s, knob.name, knob.values[int(rng.integers(len(knob.values)))])
    return s


def neighbour(rng: np.random.Generator, s: Strategy, space: Sequence[Knob]) -> Strategy:
    """``s`` with one or two levers changed (an ordered lever mostly steps to an adjacent value)."""
    for _ in range(1 + int(rng.integers(2))):
        knob = space[int(rng.integers(len(space)))]
        current = lever_value(s, knob.name)
        values = knob.values
        index = values.index(current) if current in values else int(rng.integers(len(values)))
        if knob.ordered and rng.random() < 0.7:
            step = -1 if rng.random() < 0.5 else 1
            new = values[min(max(index + step, 0), len(values) - 1)]
        else:
            new = values[int(rng.integers(len(values)))]
        s = with_lever(s, knob.name, new)
    return s


def _league(candidate: Strategy) -> list[TeamSpec]:
    return [*(TeamSpec(b, b) for b in REFERENCE_LEAGUE), TeamSpec(CANDIDATE_TEAM, to_spec(candidate))]


def search_cell(
    preset: str,
    mode: str,
    params: MarketParameters,
    settings: SearchSettings,
    cell_index: int,
    progress: Callable[[str], None] | None = None,
) -> Found:
    """The best response the search finds in one market, scored on the held-out seeds."""
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, cell_index]))
    space = knobs(params)
    training = [TRAINING_SEED_BASE + i for i in range(settings.training_seeds)]
    scores: dict[str, float] = {}
    points: dict[str, Strategy] = {}

    def evaluate(batch: Sequence[Strategy]) -> None:
        fresh = {to_spec(s): s for s in batch if to_spec(s) not in scores}
        played = play_seasons(params, [_league(s) for s in fresh.values()], training, settings.workers)
        for (spec, s), seasons in zip(fresh.items(), played, strict=True):
            scores[spec] = margins(seasons, CANDIDATE_TEAM).mean
            points[spec] = s

    evaluate([BALANCED, *(random_point(rng, space) for _ in range(settings.candidates))])
    best = max(scores, key=lambda k: (scores[k], k))
    if progress:
        progress(f"{preset}/{mode}: random search best {scores[best]:+.1f}")
    for _ in range(settings.refine_rounds):
        evaluate([neighbour(rng, points[best], space) for _ in range(settings.refine_width)])
        challenger = max(scores, key=lambda k: (scores[k], k))
        if scores[challenger] > scores[best]:
            best = challenger
    if progress:
        progress(f"{preset}/{mode}: refined best {scores[best]:+.1f} after {len(scores)} strategies")
    finalists = sorted(scores, key=lambda k: (-scores[k], k))[: settings.finalists]
    control, *held = play_seasons(
        params,
        [_league(BALANCED), *(_league(points[k]) for k in finalists)],
        settings.held_out,
        settings.workers,
    )
    seat = margins(control, CANDIDATE_TEAM)
    records = [
        (net(margins(seasons, CANDIDATE_TEAM), seat), k) for seasons, k in zip(held, finalists, strict=True)
    ]
    margin, chosen = max(records, key=lambda r: (r[0].mean, r[1]))
    strategy = points[chosen]
    segments = tuple(s.id for s in params.segments)
    return Found(
        preset=preset,
        mode=mode,
        strategy=strategy,
        training_margin=scores[chosen] - scores[to_spec(BALANCED)],
        margin=margin,
        wins=margin.positive,
        evaluated=len(scores),
        words=tuple(describe(strategy, segments)),
        extremes=tuple(extremes(strategy, segments, largest_discounts(params))),
        seat=seat,
    )


def net(margin: Sample, seat: Sample) -> Sample:
    """A candidate's margins less those of balanced in the same seat, season by season."""
    return Sample(tuple(a - b for a, b in zip(margin.values, seat.values, strict=True)))
