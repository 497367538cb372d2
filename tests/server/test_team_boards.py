"""A team's channel carries only its own row of the board, and only when that row changed.

The console shows its own place and the number of teams (from the status); sending each
member the whole table several times a second cost a class of 200 teams most of its
bandwidth (docs/performance.md, "Competition load"). Judges, the instructor and the public
board still get every row.
"""

from __future__ import annotations

from typing import Any

from server.wire.broadcast import Broadcaster
from server.wire.channels import CompetitionChannels, channel_names, team_channel

TEAMS = ("Ant", "Bee", "Cat")


def _rows(**composites: float) -> list[dict[str, Any]]:
    ordered = sorted(composites.items(), key=lambda item: -item[1])
    return [{"rank": i + 1, "team": team, "composite": score} for i, (team, score) in enumerate(ordered)]


def _boards(broadcaster: Broadcaster, channel: str) -> list[Any]:
    missed, complete = broadcaster.since(channel, 0)
    assert complete
    latest = broadcaster.latest(channel, "standings")
    found = [m["data"] for m in missed if m["type"] == "standings"]
    return found or ([latest["data"]] if latest else [])


def test_each_team_gets_its_own_row_and_the_others_get_the_whole_board() -> None:
    broadcaster = Broadcaster(100)
    channels = CompetitionChannels(1, broadcaster)
    rows = _rows(Ant=3.0, Bee=2.0, Cat=1.0)
    channels.standings(1.0, rows, rows, TEAMS)
    for team in TEAMS:
        (board,) = _boards(broadcaster, team_channel(1, team))
        assert board == [next(r for r in rows if r["team"] == team)]
    for name in ("judge", "instructor", "public"):
        assert broadcaster.latest(channel_names(1)[name], "standings")["data"] == rows


def test_a_team_whose_row_did_not_change_gets_no_message() -> None:
    broadcaster = Broadcaster(100)
    channels = CompetitionChannels(1, broadcaster)
    first = _rows(Ant=3.0, Bee=2.0, Cat=1.0)
    channels.standings(1.0, first, first, TEAMS)
    seqs = {team: broadcaster.last_seq(team_channel(1, team)) for team in TEAMS}
    second = _rows(Ant=3.0, Bee=1.5, Cat=1.0)  # only Bee's score moved; nobody's rank
    channels.standings(2.0, second, second, TEAMS)
    moved = {team for team in TEAMS if broadcaster.last_seq(team_channel(1, team)) != seqs[team]}
    assert moved == {"Bee"}
    assert broadcaster.latest(team_channel(1, "Bee"), "standings")["data"] == [second[1]]
