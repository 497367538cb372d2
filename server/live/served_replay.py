"""Offline replays of what a live server serves: its command log rebuilt, its board recomputed.

A competition's detail (``GET /competitions/{id}``), its command log (``…/commands``) and its
scoring (``…/scoring``) are all a replay needs; the soak, the fault drills and the recovery
tests hold the server to the digest and the standings such a replay gives.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from market.parameters import parameters_from_dict
from scoring import score_events
from server.live.scores import standing_rows
from server.persistence.scoring_json import scoring_from_json
from simulator.command_log import logged_from_json
from simulator.competition import Competition, TeamSpec
from simulator.replay import replay


def replay_served(detail: dict[str, Any], log: Sequence[dict[str, Any]]) -> Competition:
    """The competition of ``detail`` rebuilt from its command log, up to the detail's ``t_sim``."""
    return replay(
        parameters_from_dict(detail["parameters"]),
        detail["seed"],
        [TeamSpec(t["name"]) for t in detail["teams"]],
        [logged_from_json(entry) for entry in log],
        rounds=detail["rounds"],
        until=detail["t_sim"],
    )


def replayed_standings(
    detail: dict[str, Any], rebuilt: Competition, scoring: dict[str, Any]
) -> list[dict[str, Any]]:
    """The standings the rebuilt event log scores to with ``scoring``, as the API shows them."""
    params = parameters_from_dict(detail["parameters"])
    board = score_events(rebuilt.log, scoring_from_json(params, json.dumps(scoring)), detail["t_sim"])
    rows: list[dict[str, Any]] = json.loads(json.dumps(standing_rows(board.standings(detail["t_sim"]))))
    return rows
