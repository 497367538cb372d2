"""Websocket reconnection: a client that drops and comes back with ``?after=SEQ&epoch=…``
receives every message it missed, in order, none twice, none left out — except the boards
(``standings``, ``state``) that a newer one replaced meanwhile; a client whose gap
the server can no longer fill (another epoch, a seq older than the buffer or one the
channel never reached) receives ``resync`` with a fresh snapshot first.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

import server.wire.broadcast
from server.wire.broadcast import SNAPSHOT_TYPES
from server.wire.channels import team_channel
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    in_loop,
    join_team,
    keep_running,
    login_instructor,
    make_app,
    pause,
    play_until,
    poll_json,
    quote_by_policy,
    receive_json,
    status,
)


@dataclass
class Live:
    client: TestClient
    game: Game
    member: Headers

    @property
    def broadcaster(self) -> server.wire.broadcast.Broadcaster:
        return self.client.app.state.runtime.broadcaster  # type: ignore[attr-defined,no-any-return]

    def last_seq(self, channel: str) -> int:
        return in_loop(self.client, lambda: self.broadcaster.last_seq(channel))

    def since(self, channel: str, after: int) -> tuple[list[dict[str, Any]], bool]:
        return in_loop(self.client, lambda: self.broadcaster.since(channel, after))


@pytest.fixture(scope="module")
def live(module_client: TestClient, module_instructor: Headers) -> Iterator[Live]:
    game = create_competition(module_client, module_instructor, seconds_per_hour=0.05, rounds=40, seed=99)
    member = join_team(module_client, game.codes["Humans"], "Wes", "manager")
    quote_by_policy(module_client, member)  # the human team plays too, by policy
    yield Live(module_client, game, member)


def normal(message: Any) -> Any:
    """A message as a client sees it (through JSON)."""
    return json.loads(json.dumps(message))


def read_until(live: Live, ws: Any, seq: int, timeout: float = 10.0) -> list[dict[str, Any]]:
    """Messages until one with ``seq`` at least ``seq``, starting the next round when one ends."""
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while not messages or messages[-1]["seq"] < seq:
        message = poll_json(ws, 0.5)
        if message is not None:
            messages.append(message)
            continue
        assert time.monotonic() < deadline, f"no message {seq} within {timeout} s"
        keep_running(live.client, live.game)  # a round's end stops the clock, and the messages
    return messages


def next_message(live: Live, ws: Any) -> dict[str, Any]:
    return read_until(live, ws, 0)[-1]


CHANNELS = {
    "team": ("/ws/team", lambda game: team_channel(game.id, "Humans")),
    "public": ("/ws/public/{id}", lambda game: f"public:{game.id}"),
}


@pytest.mark.parametrize("which", sorted(CHANNELS))
def test_a_reconnecting_client_receives_every_message_it_missed(live: Live, which: str) -> None:
    client, game = live.client, live.game
    path, name = CHANNELS[which]
    path = path.format(id=game.id)
    channel = name(game)
    headers = live.member if which == "team" else {}

    with client.websocket_connect(path, headers=headers) as steady:
        steady_hello = receive_json(steady)
        assert steady_hello["type"] == "hello"
        with client.websocket_connect(path, headers=headers) as dropping:
            hello = receive_json(dropping)
            assert hello["type"] == "hello" and hello["seq"] >= steady_hello["seq"]
            epoch = hello["data"]["epoch"]
            assert epoch == live.broadcaster.epoch
            seen = read_until(live, dropping, hello["seq"] + 5)
        assert [m["seq"] for m in seen] == list(range(hello["seq"] + 1, hello["seq"] + 1 + len(seen)))
        last = seen[-1]["seq"]
        dropped_at = status(client, game)
        assert dropped_at["state"] == "running" or dropped_at["between_rounds"]

        # the bots play on while the client is away
        play_until(client, game, lambda: live.last_seq(channel) >= last + 40, what="messages while away")

        with client.websocket_connect(f"{path}?after={last}&epoch={epoch}", headers=headers) as again:
            target = live.last_seq(channel)
            caught_up = read_until(live, again, target + 2)  # what it missed, then live messages
        seqs = [m["seq"] for m in caught_up]
        assert seqs == sorted(set(seqs)) and seqs[0] > last, "a message twice or out of order"
        assert all(m["type"] != "resync" for m in caught_up)
        missed, complete = live.since(channel, last)
        assert complete
        assert len([m for m in missed if m["type"] == "standings"]) <= 1, "only the newest board is kept"

        # the client that stayed connected saw every message; the one that came back saw the same
        # ones, but of the boards that came and went while it was away only the newest
        stayed = read_until(live, steady, seqs[-1])
        assert [m["seq"] for m in stayed] == list(range(steady_hello["seq"] + 1, seqs[-1] + 1))
        assert [m for m in stayed if hello["seq"] < m["seq"] <= last] == seen
        by_seq = {m["seq"]: m for m in stayed}
        assert all(by_seq[m["seq"]] == m for m in caught_up)
        while_away = [m for m in stayed if m["seq"] > last]
        assert [m for m in while_away if m["type"] not in SNAPSHOT_TYPES] == [
            m for m in caught_up if m["type"] not in SNAPSHOT_TYPES
        ], "an event or ticker item left out"
        for kind in SNAPSHOT_TYPES:
            newest = [m for m in while_away if m["type"] == kind][-1:]
            assert all(m in caught_up for m in newest), f"the newest {kind} left out"
        skipped = [m for m in while_away if m not in caught_up]
        assert skipped and {m["type"] for m in skipped} <= SNAPSHOT_TYPES
    types = {m["type"] for m in caught_up}
    assert "standings" in types
    highlights = {"highlight"} if which == "public" else set()  # the public board's, not a team's
    assert types <= {"event", "standings", "state", "ticker"} | highlights


def test_a_wrong_epoch_gets_a_resync_first(live: Live) -> None:
    client, game = live.client, live.game
    channel = team_channel(game.id, "Humans")
    keep_running(client, game)
    with client.websocket_connect("/ws/team?after=3&epoch=0badc0de", headers=live.member) as ws:
        first = receive_json(ws)
        assert first["type"] == "resync"
        assert first["data"]["epoch"] == live.broadcaster.epoch
        assert first["data"]["status"]["id"] == game.id and first["data"]["standings"]
        nxt = next_message(live, ws)
        assert nxt["seq"] > first["seq"] and nxt["type"] != "resync"
    assert live.last_seq(channel) >= first["seq"]


@pytest.mark.parametrize("after", ["-1", "--1", "nonsense", ""])
def test_a_meaningless_seq_gets_a_resync_first(live: Live, after: str) -> None:
    path = f"/ws/public/{live.game.id}?after={after}&epoch={live.broadcaster.epoch}"
    with live.client.websocket_connect(path) as ws:
        assert receive_json(ws)["type"] == "resync"


def test_a_seq_the_channel_never_reached_gets_a_resync_first(live: Live) -> None:
    """A seq from before a restart (no epoch given) that this epoch has not reached yet."""
    channel = team_channel(live.game.id, "Humans")
    ahead = live.last_seq(channel) + 1_000_000
    keep_running(live.client, live.game)
    with live.client.websocket_connect(f"/ws/team?after={ahead}", headers=live.member) as ws:
        first = receive_json(ws)
        assert first["type"] == "resync"
        assert first["seq"] < ahead
        assert next_message(live, ws)["seq"] == first["seq"] + 1


def test_reconnecting_at_the_newest_seq_misses_nothing(live: Live) -> None:
    client, game = live.client, live.game
    path = f"/ws/public/{game.id}"
    keep_running(client, game)
    with client.websocket_connect(path) as ws:
        hello = receive_json(ws)
    with client.websocket_connect(f"{path}?after={hello['seq']}&epoch={hello['data']['epoch']}") as ws:
        messages = read_until(live, ws, hello["seq"] + 2)
    assert [m["seq"] for m in messages] == [hello["seq"] + 1, hello["seq"] + 2]


def test_a_gap_older_than_the_buffer_gets_a_resync_first(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server.wire.broadcast, "HISTORY", 8)  # channels made from now on keep 8 messages
    with TestClient(make_app(sqlite_url)) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, seconds_per_hour=0.05, seed=5)
        here = Live(client, game, {})
        broadcaster = here.broadcaster
        channel = f"public:{game.id}"
        with client.websocket_connect(f"/ws/public/{game.id}") as ws:
            hello = receive_json(ws)
            first = receive_json(ws)
        epoch = hello["data"]["epoch"]
        floor = lambda: in_loop(client, lambda: broadcaster.channels[channel].floor) or 0  # noqa: E731
        play_until(client, game, lambda: floor() > first["seq"] + 1, what="the buffer moving on")
        # the clock stops, so the buffer holds still while the reconnects look at it: with it
        # running, the few messages between reading the buffer and reconnecting could push the
        # seq the test reconnects from out of an 8-message buffer
        pause(client, game)
        history, complete = in_loop(client, lambda: broadcaster.since(channel, first["seq"]))
        assert not complete and len([m for m in history if m["type"] not in SNAPSHOT_TYPES]) == 8
        # within the buffer a reconnect still catches up: the two last messages, from the buffer
        # (of the boards only the newest, so the seqs are the buffer's, not necessarily consecutive)
        recent = history[-3]["seq"]
        with client.websocket_connect(f"/ws/public/{game.id}?after={recent}&epoch={epoch}") as ws:
            caught_up = read_until(here, ws, history[-1]["seq"])
        assert [m["seq"] for m in caught_up] == [m["seq"] for m in history[-2:]]
        with client.websocket_connect(f"/ws/public/{game.id}?after={first['seq']}&epoch={epoch}") as ws:
            resync = receive_json(ws)
            assert resync["type"] == "resync"
            assert resync["seq"] >= history[-1]["seq"]
            assert resync["data"]["status"]["id"] == game.id
            # live messages follow the snapshot without a gap once the clock runs again
            action = "/next-round" if status(client, game)["between_rounds"] else "/resume"
            assert client.post(game.path(action), headers=instructor).status_code == 200
            assert next_message(here, ws)["seq"] == resync["seq"] + 1
