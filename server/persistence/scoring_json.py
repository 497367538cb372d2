"""The scoring settings as the store and an archive keep them: the instructor's weights and
normalisation as JSON, over the scoring of the competition's market (its calendar)."""

from __future__ import annotations

import dataclasses
import json

from market.parameters import MarketParameters
from scoring import ScoringConfig, Weights
from simulator.season import scoring_config


def scoring_from_json(params: MarketParameters, text: str | None) -> ScoringConfig:
    """The competition's scoring: its market's calendar, with the weights the instructor set."""
    config = scoring_config(params)
    if not text:
        return config
    data = json.loads(text)
    return dataclasses.replace(
        config, weights=Weights(**data["weights"]), normalisation=data["normalisation"]
    )


def scoring_to_json(config: ScoringConfig) -> str:
    return json.dumps({"weights": dataclasses.asdict(config.weights), "normalisation": config.normalisation})
