"""Boards go out at most five times a second: the first change at once, a burst as one board after it.

A busy class changes the standings at nearly every event, and every board goes to every
channel and every client; the throttle in LiveCompetition keeps that to a few a second
without delaying an isolated change, and an instructor's board action or a stopped clock
sends the exact board at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.live import LiveCompetition
from server.wire.channels import channel_names
from tests.server.helpers import (
    Game,
    create_competition,
    in_loop,
    join_team,
    login_instructor,
    make_app,
    pause,
    wait_for,
)


@pytest.fixture
def paused(tmp_path: Path) -> Iterator[tuple[TestClient, Game, LiveCompetition]]:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'throttle.db'}")) as client:
        game = create_competition(client, login_instructor(client), seconds_per_hour=3600.0)
        pause(client, game)
        live = client.app.state.runtime.live[game.id]  # type: ignore[attr-defined]
        yield client, game, live


def _boards(client: TestClient, game: Game) -> list[dict[str, Any]]:
    """The standings messages on the judge channel so far."""
    broadcaster = client.app.state.runtime.broadcaster  # type: ignore[attr-defined]
    channel = broadcaster.channels[channel_names(game.id)["judge"]]
    return [m for m in (*channel.history, *channel.latest.values()) if m["type"] == "standings"]


def _seq(client: TestClient, game: Game) -> int:
    broadcaster = client.app.state.runtime.broadcaster  # type: ignore[attr-defined]
    return int(broadcaster.last_seq(channel_names(game.id)["judge"]))


def test_a_burst_of_changes_is_one_board_after_the_first(
    paused: tuple[TestClient, Game, LiveCompetition],
) -> None:
    client, game, live = paused
    before = in_loop(client, lambda: _seq(client, game))

    def burst() -> tuple[int, int, bool]:
        live.publisher.board_sent_at = float("-inf")  # a quiet spell (the pause sent a board just now)
        live.publisher.standings()  # the first change: at once
        first = _seq(client, game)
        for _ in range(50):  # the burst within the interval: nothing now, one board when it is over
            live.publisher.standings()
        return first, _seq(client, game), live.publisher.board_due is not None

    first, after_burst, due = in_loop(client, burst)
    assert first == before + 1, "an isolated change is not held back"
    assert after_burst == first and due, "the burst waits for the interval"
    wait_for(lambda: _seq(client, game) == first + 1, what="the one board of the burst")
    assert in_loop(client, lambda: live.publisher.board_due) is None
    assert _seq(client, game) == first + 1


def test_a_board_action_sends_at_once_and_leaves_nothing_due(
    paused: tuple[TestClient, Game, LiveCompetition],
) -> None:
    client, game, live = paused

    def action() -> tuple[int, int, bool]:
        live.publisher.standings()
        live.publisher.standings()  # due later
        due = live.publisher.board_due is not None
        start = _seq(client, game)
        live.publisher.standings(at_once=True)  # e.g. a freeze: its board now, none later
        return start, _seq(client, game), due and live.publisher.board_due is None

    start, now, cancelled = in_loop(client, action)
    assert now == start + 1 and cancelled
    board = _boards(client, game)[-1]
    assert board["data"] == in_loop(client, live.standings)


def test_while_the_clock_stands_still_every_board_goes_out_at_once(
    paused: tuple[TestClient, Game, LiveCompetition],
) -> None:
    client, game, live = paused
    member = join_team(client, game.codes["Humans"], "Pat", "manager")
    start = _seq(client, game)
    for enabled in (True, False, True):  # commands while paused: each board at once
        response = client.put("/api/v1/team/policies/apology", json={"enabled": enabled}, headers=member)
        assert response.status_code == 200, response.text
        assert in_loop(client, lambda: live.publisher.board_due) is None
    boards = [m for m in _boards(client, game) if m["seq"] > start]
    assert boards and boards[-1]["data"] == in_loop(client, live.standings)
    assert in_loop(client, lambda: live.publisher.board_due) is None
