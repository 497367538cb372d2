"""The timeline: composite and rank of every team at each sample time, as a recomputation gives them."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market.events import Event
from scoring import (
    Criterion,
    RubricEntry,
    Scoreboard,
    ScoringConfig,
    ScoringError,
    Series,
    Timeline,
    Weights,
    rubric_component,
    score_events,
)
from scoring.timeline import spread
from tests.scoring.builders import Log
from tests.scoring.strategies import competitions

SETTINGS = settings(max_examples=100, deadline=None)
CONFIG = ScoringConfig(weights=Weights(conversion=1, satisfaction=0, receivables=0, profit=0, rubric=0))


def fold(
    events: Sequence[Event], step: float = 1.0, queries: dict[int, float] | None = None
) -> tuple[Timeline, Scoreboard]:
    """The live fold: ``before`` then ``apply`` for each event; ``queries[i]`` asks for the series
    (``sample_until``) at that time just before event ``i``."""
    timeline, board = Timeline(step), Scoreboard(CONFIG)
    for i, event in enumerate(events):
        if queries and i in queries:
            timeline.sample_until(board, queries[i])
        timeline.before(board, event)
        board.apply(event)
    timeline.sample_until(board, board.now)
    return timeline, board


def recomputed(events: Sequence[Event], times: Sequence[float], config: ScoringConfig) -> Series:
    """The series by brute force: standings of the log cut at t ≤ b, from scratch, at every b."""
    composite: dict[str, list[float]] = {}
    rank: dict[str, list[int]] = {}
    for b in times:
        for s in score_events([e for e in events if e.t <= b], config).standings():
            composite.setdefault(s.team, []).append(s.composite)
            rank.setdefault(s.team, []).append(s.rank)
    return Series(
        tuple(times),
        {team: tuple(v) for team, v in sorted(composite.items())},
        {team: tuple(v) for team, v in sorted(rank.items())},
    )


def season() -> Log:
    """A wins at t=1 (exactly on a sample), B at 2.5, A loses at 4: four samples of changing ranks."""
    g = Log()
    g.join("A")
    g.join("B")
    g.inquiry("A", "i1", t=0.5)
    g.inquiry("A", "i2", t=0.5)
    g.inquiry("B", "i3", t=0.5)
    g.won("A", "i1", t=1.0)
    g.won("B", "i3", t=2.5)
    g.lost("A", "i2", t=4.0)
    return g


def test_samples_hold_every_event_up_to_and_at_their_time() -> None:
    timeline, _ = fold(season().events)
    assert timeline.times == (1.0, 2.0, 3.0, 4.0)
    series = timeline.series(CONFIG)
    assert series == Series(
        t=(1.0, 2.0, 3.0, 4.0),
        composite={"A": (100.0, 100.0, 100.0, 50.0), "B": (0.0, 0.0, 100.0, 100.0)},
        rank={"A": (1, 1, 1, 2), "B": (2, 2, 2, 1)},  # at t=3 tied at 100: A got there first
    )


def test_before_records_only_the_samples_an_event_passes() -> None:
    g = season()
    timeline, board = Timeline(1.0), Scoreboard(CONFIG)
    for event in g.events[:6]:  # up to A's win at t=1.0
        timeline.before(board, event)
        board.apply(event)
    assert list(timeline.times) == []  # nothing has passed t=1 yet: the sample at 1 may still change
    timeline.before(board, g.events[6])  # B's win at 2.5
    assert list(timeline.times) == [1.0, 2.0]


def test_sample_until_is_idempotent_and_never_samples_a_time_twice() -> None:
    events = season().events
    timeline, board = fold(events)
    timeline.sample_until(board, board.now)
    timeline.sample_until(board, 2.0)
    assert list(timeline.times) == [1.0, 2.0, 3.0, 4.0]
    timeline.sample_until(board, 6.5)
    assert list(timeline.times) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


def test_a_query_between_two_events_at_the_same_time_misses_nothing() -> None:
    events = season().events
    # ask for the series at t=1.0 after A's inquiries, before A's win at exactly t=1.0
    timeline, _ = fold(events, queries={5: 1.0, 6: 3.5})
    assert timeline.times == (1.0, 2.0, 3.0, 4.0)
    assert timeline.series(CONFIG) == recomputed(events, (1.0, 2.0, 3.0, 4.0), CONFIG)
    assert timeline.series(CONFIG).composite["A"][0] == 100.0


def test_until_shows_nothing_after_the_freeze() -> None:
    events = season().events
    timeline, _ = fold(events)
    frozen = timeline.series(CONFIG, until=3.5)
    assert frozen.t == (1.0, 2.0, 3.0)
    assert frozen == recomputed([e for e in events if e.t <= 3.5], (1.0, 2.0, 3.0), CONFIG)
    assert timeline.series(CONFIG, until=0.5) == Series((), {}, {})


def test_downsampling_keeps_at_most_points_evenly_spread_and_always_the_last() -> None:
    g = season()
    g.note("A", t=40.0)
    timeline, _ = fold(g.events, step=2.0)
    assert timeline.times == tuple(2.0 * k for k in range(1, 21))
    series = timeline.series(CONFIG, points=5)
    assert series.t == (2.0, 10.0, 20.0, 30.0, 40.0)
    assert all(len(v) == 5 for v in (*series.composite.values(), *series.rank.values()))
    full = timeline.series(CONFIG)
    for team, values in series.composite.items():
        assert values == tuple(full.composite[team][full.t.index(b)] for b in series.t)
    assert timeline.series(CONFIG, points=1).t == (40.0,)
    assert timeline.series(CONFIG, points=20).t == full.t
    assert timeline.series(CONFIG, until=7.0, points=2).t == (2.0, 6.0)


@given(st.integers(0, 500), st.integers(1, 300))
def test_spread(n: int, points: int) -> None:
    picked = spread(n, points)
    assert len(picked) == min(n, points)
    assert all(a < b for a, b in itertools.pairwise(picked))
    assert all(0 <= i < n for i in picked)
    if n:
        assert picked[-1] == n - 1
        if points > 1:
            assert picked[0] == 0
            gaps = [b - a for a, b in itertools.pairwise(picked)]
            assert not gaps or max(gaps) - min(gaps) <= 1  # evenly spread


def test_extra_at_puts_the_rubric_of_each_moment_in() -> None:
    events = season().events
    timeline, _ = fold(events)
    criteria = [Criterion(1, "Pitch", "陈述", 10.0, per_round=False)]
    entries = [RubricEntry(1, 1, "B", "j1", None, 10.0, 2.0, 0.0, "j1")]
    config = ScoringConfig(weights=Weights(conversion=1, satisfaction=0, receivables=0, profit=0, rubric=1))
    asked: list[float] = []

    def rubric_at(b: float) -> dict[str, dict[str, float]]:
        asked.append(b)
        return {"rubric": rubric_component(criteria, entries, until_t=b)}

    series = timeline.series(config, extra_at=rubric_at)
    assert asked == [1.0, 2.0, 3.0, 4.0]
    # t=1: no rubric yet, left out; t=2: B has 100 of rubric, A 0
    assert series.composite["A"] == (100.0, 50.0, 50.0, 25.0)
    assert series.composite["B"] == (0.0, 50.0, 100.0, 100.0)


def test_bad_arguments_and_late_teams_are_rejected() -> None:
    for step in (0.0, -1.0, math.inf, math.nan, True):
        with pytest.raises(ScoringError) as err:
            Timeline(step)
        assert err.value.field == "step_hours"
    timeline, _ = fold(season().events)
    with pytest.raises(ScoringError) as err:
        timeline.series(CONFIG, points=0)
    assert err.value.field == "points"
    late = Log()
    late.join("A")
    late.join("B", t=1.5)
    late.note("A", t=3.0)
    with pytest.raises(ScoringError, match="'B' had not joined at t=1"):
        fold(late.events)[0].series(CONFIG)


# --- properties --------------------------------------------------------------------------------------


@SETTINGS
@given(
    competitions(exact=False),
    st.sampled_from([0.25, 1.0, 2.5, 3.0]),
    st.sampled_from(["raw", "rank", "zscore"]),
    st.data(),
)
def test_series_equals_standings_recomputed_from_the_log_cut_at_each_sample(
    events: list[Event], step: float, normalisation: str, data: st.DataObject
) -> None:
    config = ScoringConfig(normalisation=normalisation)  # type: ignore[arg-type]
    # queries at random moments, some beyond the last event and before events at the same time
    indices = data.draw(st.lists(st.integers(0, len(events) - 1), max_size=4))
    queries = {i: events[i].t + data.draw(st.sampled_from([0.0, 0.25, 1.0, 7.5])) for i in indices}
    timeline, board = Timeline(step), Scoreboard(config)
    for i, event in enumerate(events):
        if i in queries:
            timeline.sample_until(board, queries[i])
        timeline.before(board, event)
        board.apply(event)
    timeline.sample_until(board, board.now)
    last = events[-1].t
    times = timeline.times
    assert times == tuple(k * step for k in range(1, len(times) + 1))  # each time once, in order
    assert not times or times[-1] >= last - step
    until = data.draw(st.none() | st.floats(0.0, last + 1.0))
    cut = [b for b in times if until is None or b <= until]
    assert timeline.series(config, until=until, points=10_000) == recomputed(events, cut, config)
    points = data.draw(st.integers(1, 12))
    small = timeline.series(config, until=until, points=points)
    assert len(small.t) == min(points, len(cut))
    assert set(small.t) <= set(cut) and (not cut or small.t[-1] == cut[-1])


def test_a_team_s_own_figures_follow_the_same_samples_as_the_series() -> None:
    log = Log()
    log.join("A")
    log.join("B")
    log.inquiry("A", "R1", t=0.5)
    log.quote("A", "R1", t=1.2)
    log.won("A", "R1", t=2.5)
    log.inquiry("B", "R2", customer="c2", t=3.1)
    log.expired("B", "R2", customer="c2", t=5.4)
    timeline, board = fold(log.events)
    timeline.sample_until(board, 6.0)
    figures = timeline.team_figures("B", ("conversion", "inquiries"), until=6.0)
    assert figures["t"] == timeline.series(CONFIG, until=6.0).t == (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
    for b, conversion, inquiries in zip(
        figures["t"], figures["conversion"], figures["inquiries"], strict=True
    ):
        cut = score_events([e for e in log.events if e.t <= b], CONFIG, b).metrics(b)["B"]
        assert (conversion, inquiries) == (cut.conversion, cut.inquiries)
    assert figures["conversion"][-1] == 0.0 and figures["conversion"][0] is None
    with pytest.raises(ScoringError, match="unknown figure"):
        timeline.team_figures("B", ("luck",))
    with pytest.raises(ScoringError, match="not on the timeline"):
        timeline.team_figures("Z")
