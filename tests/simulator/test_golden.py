"""Golden seeded runs: the committed result of fixed seasons, compared exactly.

Any change to the market, the desks, the bots or scoring that moves a single event shows up
here. Each case is played under every rules version: the ``v1-`` to ``v4-`` files are the
seasons as those rules played and scored them and must never change (their competitions replay
to them); the ``v5-`` files follow the current rules. None of these cases is a ``realistic``
season, the only preset v5 scores differently from v4 (profit per business week, not per
round), so each ``v5-`` file is its ``v4-`` file byte for byte (a test below). An earlier
version's season is played from the preset as that version shipped it (``AS_SHIPPED``: a
competition stores its parameters, so its own replay needs nothing of the kind). If a change
to the latest rules is intended, regenerate its files (only the latest version's are written)
and review the diff like code:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/simulator/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scoring import LATEST_RULES, RULES_VERSIONS
from simulator.season import league, play_season, season_result
from teams.bots import REFERENCE_LEAGUE
from tests.simulator.seasons import preset

GOLDEN = Path(__file__).with_name("golden")
CASES = [("classroom", "shared", 7), ("classroom", "mirrored", 7), ("credit-crunch", "shared", 3)]
AS_SHIPPED: dict[str, object] = {"shortlist_size": 3}
"""Preset values that rules 4 changed, as every earlier version's presets had them (rules 5
changed no preset value but its version)."""


@pytest.mark.parametrize("rules", RULES_VERSIONS)
@pytest.mark.parametrize(("name", "mode", "seed"), CASES)
def test_golden_season(name: str, mode: str, seed: int, rules: int) -> None:
    competition, board = play_season(
        preset(name, mode=mode, rules=rules, **({} if rules >= 4 else AS_SHIPPED)),
        seed,
        league(6, list(REFERENCE_LEAGUE)),
        rounds=3,
    )
    result = season_result(competition, board).to_json()
    result.pop("parameters")  # covered by the preset files themselves
    text = json.dumps(result, indent=1, sort_keys=True) + "\n"
    path = GOLDEN / f"v{rules}-{name}-{mode}-seed{seed}.json"
    if os.environ.get("UPDATE_GOLDEN") and rules == LATEST_RULES:
        path.write_text(text)
    assert path.exists(), f"missing {path.name}: run with UPDATE_GOLDEN=1 once"
    assert text == path.read_text()


@pytest.mark.parametrize(("name", "mode", "seed"), CASES)
def test_rules_5_plays_and_scores_a_week_long_round_as_rules_4_but_for_refunds(
    name: str, mode: str, seed: int
) -> None:
    """Where a round is five business days, a business week is a round, and rules 5 changes the
    market only where a team refunds (a refund recovers no more than an adequate credit note):
    without ``lavish``, the reference league's season is the same under both, event for event
    and score for score."""
    no_refunds = [bot for bot in REFERENCE_LEAGUE if bot != "lavish"]
    texts = []
    for rules in (4, 5):
        competition, board = play_season(
            preset(name, mode=mode, rules=rules), seed, league(len(no_refunds), no_refunds), rounds=3
        )
        result = season_result(competition, board).to_json()
        result.pop("parameters")
        texts.append(json.dumps(result, indent=1, sort_keys=True))
    assert texts[0] == texts[1]


@pytest.mark.parametrize(("name", "mode", "seed"), CASES)
def test_rules_5_differs_from_rules_4_where_lavish_refunds(name: str, mode: str, seed: int) -> None:
    """The golden league holds ``lavish``: its refunds feel like credit notes from rules 5, so the
    two versions' files differ, and ``lavish``'s satisfaction is never higher under rules 5."""
    v4, v5 = (
        json.loads((GOLDEN / f"v{rules}-{name}-{mode}-seed{seed}.json").read_text()) for rules in (4, 5)
    )
    assert v4["digest"] != v5["digest"]
    lavish = [next(s for s in v["standings"] if s["bot"] == "lavish") for v in (v4, v5)]
    assert lavish[1]["satisfaction"] <= lavish[0]["satisfaction"]  # 100 at the clamp in both, or lower
