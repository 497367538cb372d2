"""What the instructor reads of a competition: its detail, the committed command log, the scoring
settings and their history, and the monitor of who did what."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Literal

from market.parameters import parameters_to_dict
from server.live import LiveCompetition
from server.live.activity import IDLE_HOURS, tally_view
from server.live.runtime import Runtime
from server.persistence.db.tables import MemberRow
from simulator.command_log import logged_to_json


def detail_view(live: LiveCompetition) -> dict[str, Any]:
    """The competition as its instructor sees it: status, codes, teams, parameters, log sizes."""
    return {
        **live.status(),
        "seed": live.seed,
        "judge_code": live.judge_code,
        "teams": [{"name": t.name, "join_code": t.join_code, "bot": t.bot} for t in live.teams],
        "parameters": parameters_to_dict(live.params),
        "damaged": live.damaged,
        "events": live.event_count,
        "commands": live.command_count,
        "digest": live.digest(),
    }


def command_log(
    live: LiveCompetition, after: int, limit: int, source: Literal["human", "bot", "instructor"] | None
) -> list[dict[str, Any]]:
    """The committed command log (what a replay applies) after ``after``, of one source if given."""
    entries = live.commands_since(after + 1)
    if source is not None:
        entries = [entry for entry in entries if entry.source == source]
    return [logged_to_json(entry) for entry in entries[:limit]]


def scoring_view(live: LiveCompetition) -> dict[str, Any]:
    """Weights and normalisation (the instructor's), and the rules version (the competition's)."""
    scoring = live.scoring
    return {
        "weights": dataclasses.asdict(scoring.weights),
        "normalisation": scoring.normalisation,
        "rules": scoring.rules,
    }


def scoring_history(rt: Runtime, competition_id: int) -> list[dict[str, Any]]:
    """Each change of the scoring settings, oldest first, with when it was made."""
    return [{**json.loads(r.scoring), "at": r.at} for r in rt.store.scoring_changes(competition_id)]


def monitor_view(rt: Runtime, live: LiveCompetition) -> dict[str, Any]:
    """Per team and per member: commands, refusals, the last command; who has been idle."""
    roster: dict[str, list[MemberRow]] = {}
    for team, member in rt.store.competition_members(live.id):
        if member.removed_at is None:
            roster.setdefault(team.name, []).append(member)
    now = live.now
    return {
        **live.status(),
        "idle_hours": IDLE_HOURS,
        "teams": [
            {
                "team": name,
                **tally_view(a, now),
                "members": sorted(a.members),
                "people": [
                    {
                        "id": m.id,
                        "name": m.name,
                        "role": m.role,
                        **tally_view(a.by_member.get(m.id or 0), now),
                    }
                    for m in roster.get(name, [])
                ],
            }
            for name, a in sorted(live.activity.items())
        ],
    }
