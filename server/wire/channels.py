"""The live channels of one competition, and what goes on each.

Judges and the instructor get every event and the live standings. Each team gets its own
events (never another team's, nor satisfaction changes) and the competition's. The public
gets the ticker and the highlights (``server.live.highlights``, which judges get too). Public and
team channels get the standings they may see (cut at a freeze) — a team only its own row — and
only when those change, so that during a freeze not even the rhythm of the messages tells of
what happens after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from market.events import Event, TeamEvent
from server.live.highlights import HighlightFinder
from server.live.ticker import TEAM_RESULTS, ticker_item
from server.wire.broadcast import Broadcaster, encode
from server.wire.shapes import HIDDEN_FROM_TEAMS, event_view


def channel_names(competition_id: int) -> dict[str, str]:
    return {
        "public": f"public:{competition_id}",
        "judge": f"judge:{competition_id}",
        "instructor": f"instructor:{competition_id}",
    }


def team_channel(competition_id: int, team: str) -> str:
    return f"team:{competition_id}:{team}"


class CompetitionChannels:
    """Publishes a competition's events, standings and state on its channels."""

    def __init__(self, competition_id: int, broadcaster: Broadcaster) -> None:
        self.competition_id = competition_id
        self.broadcaster = broadcaster
        self.names = channel_names(competition_id)
        self._public_sent: list[dict[str, Any]] | None = None
        self.highlights = HighlightFinder()
        self.found: list[tuple[Event, dict[str, Any]]] = []  # every highlight so far, with its event
        self._team_sent: dict[str, list[dict[str, Any]]] = {}  # the row each team channel has now

    def prime(self, events: Sequence[Event]) -> None:
        """Fold events already published (a recovered competition) so no highlight comes twice."""
        self.highlights, self.found = HighlightFinder(), []
        for event in events:
            self.found.extend((event, item) for item in self.highlights.feed(event))

    def _teams(self, teams: Sequence[str]) -> list[str]:
        return [team_channel(self.competition_id, team) for team in teams]

    def events(self, events: Sequence[Event], teams: Sequence[str], hidden: Callable[[Event], bool]) -> None:
        """New events; ``hidden`` says which lie beyond the public's freeze (kept off its ticker)."""
        publish = self.broadcaster.publish
        judge, instructor, public = self.names["judge"], self.names["instructor"], self.names["public"]
        for event in events:
            view = event_view(event)
            publish(judge, "event", event.t, view)
            publish(instructor, "event", event.t, view)
            if isinstance(event, TeamEvent):
                if event.kind not in HIDDEN_FROM_TEAMS:
                    publish(team_channel(self.competition_id, event.team), "event", event.t, view)
            else:
                for channel in self._teams(teams):
                    publish(channel, "event", event.t, view)
            ticker = ticker_item(event)
            if ticker and not (ticker["kind"] in TEAM_RESULTS and hidden(event)):
                publish(public, "ticker", event.t, ticker)
            for item in self.highlights.feed(event):
                self.found.append((event, item))
                publish(judge, "highlight", event.t, item)
                if not hidden(event):  # never a highlight of what a freeze holds back
                    publish(public, "highlight", event.t, item)

    def standings(
        self, t: float, live: list[dict[str, Any]], public: list[dict[str, Any]], teams: Sequence[str]
    ) -> None:
        """Live rows to judges and the instructor, public rows to the public board, each team its own row.

        A team's console shows only its own place (and the number of teams, from the status), so
        its channel gets its own row of the public board, and only when that row changed: a
        class of 200 teams would otherwise send every member the whole table several times a
        second. Each board is encoded once for all the channels it goes to.
        """
        encoded = encode(live)
        self.broadcaster.publish(self.names["judge"], "standings", t, live, encoded)
        self.broadcaster.publish(self.names["instructor"], "standings", t, live, encoded)
        if public != self._public_sent:
            self._public_sent = public
            self.broadcaster.publish(
                self.names["public"], "standings", t, public, encoded if public is live else encode(public)
            )
        rows = {row["team"]: row for row in public}
        for team in teams:
            own = [rows[team]] if team in rows else []
            if self._team_sent.get(team) != own:
                self._team_sent[team] = own
                self.broadcaster.publish(team_channel(self.competition_id, team), "standings", t, own)

    def everywhere(self, kind: str, t: float, data: Any, teams: Sequence[str]) -> None:
        """A message for every channel of the competition (state changes, the reveal)."""
        for channel in (*self.names.values(), *self._teams(teams)):
            self.broadcaster.publish(channel, kind, t, data)
