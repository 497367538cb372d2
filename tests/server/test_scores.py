"""The live scores' freeze seal: however far the clock jumps past the freeze time, the public
fold holds exactly the events up to it, and keeps holding them when the log is folded again."""

from __future__ import annotations

from pathlib import Path

from market.presets import load_preset
from scoring import MedalCounts, score_events
from server.live.rubric_book import RubricBook
from server.live.scores import LiveScores
from server.persistence.db.engine import make_engine, migrate
from server.persistence.store import Store
from simulator.competition import Competition, TeamSpec
from simulator.season import scoring_config


def test_a_seal_after_a_jump_past_the_freeze_holds_only_the_events_up_to_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    migrate(engine)
    params = load_preset("classroom")
    config = scoring_config(params)
    competition = Competition(params, 3, [TeamSpec("A", "balanced"), TeamSpec("B", "eager")], rounds=2)
    scores = LiveScores(config, RubricBook(1, Store(engine)), (None, None, None), MedalCounts())
    scores.rebuild(competition.log)
    competition.subscribe(scores.observe)
    scores.set_freeze(20.0, list(competition.log))
    competition.advance_to(33.0)  # one jump, well past the freeze
    assert scores.seal(competition.now, competition.log)
    assert not scores.seal(competition.now, competition.log)  # sealed once
    up_to = [e for e in competition.log if e.t <= 20.0]
    assert scores.freeze_seq == len(up_to) < len(competition.log)
    expected = score_events(up_to, config, 20.0).standings(20.0)
    assert scores.standings(competition.now, public=True) == expected
    competition.advance_to(60.0)
    assert scores.standings(competition.now, public=True) == expected
    assert scores.standings(competition.now) != expected
    scores.rebuild(competition.log)  # a rescore or a restart folds the log again
    assert scores.standings(competition.now, public=True) == expected
