"""A paused class is still: house bots hold their commands while the clock is stopped, and send
them once it runs again. People's commands are still taken while paused."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from server.errors import ServerError
from server.live.command_path import BOTS_WAIT
from teams import commands as c
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    in_loop,
    keep_running,
    pause,
    play_until,
    wait_for,
)

SECONDS_PER_HOUR = 1.0
"""Slow enough that a bot's quote (a quarter hour later) is still planned when the pause lands."""

STILL_SECONDS = 2.0
"""How long the paused class is watched: eight times the wall length of a bot's quote delay."""


def _bot_commands(client: TestClient, game: Game) -> int:
    live = client.app.state.runtime.live[game.id]  # type: ignore[attr-defined]
    return int(in_loop(client, lambda: sum(1 for e in live.started().commands if e.source == "bot")))


def _planned(client: TestClient, game: Game) -> int:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    drivers = [d for (cid, _), d in runtime.bots.items() if cid == game.id]
    return int(in_loop(client, lambda: sum(len(d.tasks) for d in drivers)))


def test_house_bots_hold_their_commands_while_paused_and_send_them_after(
    client: TestClient, instructor: Headers
) -> None:
    game = create_competition(client, instructor, seconds_per_hour=SECONDS_PER_HOUR, rounds=20, seed=77)
    while True:  # pause while a bot has a command planned
        play_until(
            client, game, lambda: _planned(client, game) >= 1, timeout=60, what="a bot command planned"
        )
        pause(client, game)
        held = _planned(client, game)
        if held:
            break
        keep_running(client, game)
        client.post(game.path("/resume"), headers=instructor)
    sent, events = _bot_commands(client, game), len(_log(client, game))
    time.sleep(STILL_SECONDS)  # stillness can only be watched for a while
    assert _bot_commands(client, game) == sent, "a house bot acted while the class was paused"
    assert len(_log(client, game)) == events
    assert _planned(client, game) == held, "the held commands were dropped"
    keep_running(client, game)
    if client.post(game.path("/resume"), headers=instructor).status_code not in (200, 409):
        pytest.fail("the class did not run again")
    wait_for(lambda: _bot_commands(client, game) > sent, timeout=30, what="the held commands going out")


def test_a_bot_command_that_meets_a_stopped_clock_is_refused_but_a_persons_is_taken(
    client: TestClient, instructor: Headers
) -> None:
    game = create_competition(client, instructor, seconds_per_hour=0.05, rounds=20, seed=78)
    pause(client, game)
    live = client.app.state.runtime.live[game.id]  # type: ignore[attr-defined]
    command = c.SetReminderPolicy(team="Humans", days_after_due=2.0)

    async def send(source: str) -> str:
        try:
            outcome = await live.submit(command, source)
        except ServerError as exc:
            return exc.reason
        return "accepted" if outcome.accepted else outcome.reason

    portal = client.portal
    assert portal is not None
    assert portal.call(send, "bot") == BOTS_WAIT
    assert portal.call(send, "member") == "accepted"


def _log(client: TestClient, game: Game) -> list[object]:
    live = client.app.state.runtime.live[game.id]  # type: ignore[attr-defined]
    return list(in_loop(client, lambda: list(live.started().log)))
