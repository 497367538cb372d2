"""The team state as the console reads it: built once per team for each moment of its desk, as JSON.

Every member of a team refreshes its console when the team's events arrive, so the same
view was built and encoded once per member — and after an event for every team (an
announcement) for every member of the class at once, on the event loop. A team's view is
a function of its desk and of the simulated time: the desk changes only with the team's
own events (the desk folds nothing else) and with new parameters (a new parameter set
replaces the desk's). So the view is built once per team for a moment — the time, the
number of the team's events so far, the parameter set — and kept, as the JSON the route
answers, until one of them moves on; each role's part (``desk``: the rules and prices for
that role) is kept beside it. The JSON is what ``JSONResponse`` would make of the same dict.

The team's events are counted by a listener on the competition, subscribed when a
competition is first asked about; events of another competition can only make a kept
view be built again, never answer a stale one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from market.events import Event, TeamEvent
from market.parameters import MarketParameters
from server.wire.shapes import desk_view, team_view
from simulator.competition import Competition


def response_json(data: Any) -> str:
    """JSON as the API's JSON answers encode it (``JSONResponse``: UTF-8 text, compact, no NaN)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


@dataclass(slots=True)
class _Kept:
    """A team's view at one moment: the simulated time, the team's events so far, the parameters."""

    moment: tuple[float, int, MarketParameters]
    middle: str  # the team view's JSON members, between "t_sim" and "desk"
    desks: dict[str, str] = field(default_factory=dict)  # role → JSON of its desk view


class TeamStates:
    """The newest team state of each team of one competition, as JSON, for the moment it was built at."""

    def __init__(self) -> None:
        self._competition: Competition | None = None
        self._events: dict[str, int] = {}  # team → its events seen since subscribing
        self._kept: dict[str, _Kept] = {}

    def observe(self, event: Event) -> None:
        """A new event of the log: a team's own event moves that team's desk on."""
        if isinstance(event, TeamEvent):
            self._events[event.team] = self._events.get(event.team, 0) + 1

    def _follow(self, competition: Competition) -> None:
        if competition is not self._competition:
            self._competition = competition
            self._kept.clear()
            competition.subscribe(self.observe)

    def json(self, competition: Competition, team: str, role: str) -> str:
        """``{"t_sim": …, <the team view>, "desk": <the role's desk view>}`` now, as JSON text."""
        self._follow(competition)
        now = competition.now
        desk = competition.desks[team]
        moment = (now, self._events.get(team, 0), desk.params)
        kept = self._kept.get(team)
        if kept is None or kept.moment[:2] != moment[:2] or kept.moment[2] is not moment[2]:
            middle = response_json(team_view(desk.ledger, now))[1:-1]
            kept = self._kept[team] = _Kept(moment, middle)
        role_json = kept.desks.get(role)
        if role_json is None:
            role_json = kept.desks[role] = response_json(desk_view(desk, role))
        return f'{{"t_sim":{response_json(now)},{kept.middle},"desk":{role_json}}}'
