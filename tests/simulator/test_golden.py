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
def test_rules_5_plays_and_scores_a_week_long_round_as_rules_4(name: str, mode: str, seed: int) -> None:
    """Where a round is five business days, a business week is a round: same events, same scores."""
    v4, v5 = (GOLDEN / f"v{rules}-{name}-{mode}-seed{seed}.json" for rules in (4, 5))
    assert v5.read_text() == v4.read_text()
