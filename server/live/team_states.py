"""The team state as the console reads it: built once per team for each moment of the game, as JSON.

Every member of a team refreshes its console when the team's events arrive, so the same
view was built and encoded once per member — and after an event for every team (an
announcement, a round's end) for every member of the class at once, on the event loop. A
team's view is a function of its desk and of the moment: the simulated time and the events
so far (everything that changes a desk is an event of the log). So the view is built once
per team for a moment and kept, as the JSON the route answers, until time or a new event
moves the game on; each role's part (``desk``: the rules and prices for that role) is kept
beside it. The JSON is what ``JSONResponse`` would make of the same dict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from server.wire.shapes import desk_view, team_view
from simulator.competition import Competition


def response_json(data: Any) -> str:
    """JSON as the API's JSON answers encode it (``JSONResponse``: UTF-8 text, compact, no NaN)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


@dataclass(slots=True)
class _Kept:
    """A team's view at one moment: the competition, its simulated time and its number of events."""

    moment: tuple[Competition, float, int]
    middle: str  # the team view's JSON members, between "t_sim" and "desk"
    desks: dict[str, str] = field(default_factory=dict)  # role → JSON of its desk view


class TeamStates:
    """The newest team state of each team, as JSON, for the moment it was built at."""

    def __init__(self) -> None:
        self._kept: dict[str, _Kept] = {}

    def json(self, competition: Competition, team: str, role: str) -> str:
        """``{"t_sim": …, <the team view>, "desk": <the role's desk view>}`` now, as JSON text."""
        now = competition.now
        moment = (competition, now, len(competition.log))
        desk = competition.desks[team]
        kept = self._kept.get(team)
        if kept is None or kept.moment[0] is not competition or kept.moment[1:] != moment[1:]:
            middle = response_json(team_view(desk.ledger, now))[1:-1]
            kept = self._kept[team] = _Kept(moment, middle)
        role_json = kept.desks.get(role)
        if role_json is None:
            role_json = kept.desks[role] = response_json(desk_view(desk, role))
        return f'{{"t_sim":{response_json(now)},{kept.middle},"desk":{role_json}}}'
