"""Freeze and reveal: after the freeze, nothing that happens reaches a public or team board —
not through the REST views, not through the websocket stream (its messages, their number or
their rhythm), not through the history, explanations or awards — until the reveal. Judges and
the instructor see everything live. The reveal sends the ceremony and the live board.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from market.events import event_from_dict
from scoring import score_events
from server.live.scores import standing_rows
from server.wire.channels import channel_names, team_channel
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    in_loop,
    join_team,
    login_judge,
    make_app,
    pause,
    play_until,
    quote_by_policy,
    receive_json,
    status,
)

BOARD_KEYS = ("standings",)
"""What a public view shows of the board (its status carries the clock, which keeps moving)."""


@dataclass
class Frozen:
    client: TestClient
    game: Game
    member: Headers
    judge: Headers
    freeze_t: float
    public: dict[str, Any]
    public_history: dict[str, Any]
    team_standing: dict[str, Any]
    team_explained: dict[str, Any]
    seq: dict[str, int]
    live_at_freeze: list[dict[str, Any]]


def _get(client: TestClient, path: str, headers: Headers | None = None) -> dict[str, Any]:
    response = client.get(path, headers=headers or {})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _get_list(client: TestClient, path: str, headers: Headers) -> list[dict[str, Any]]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


def _messages(client: TestClient, channel: str, after: int) -> list[dict[str, Any]]:
    broadcaster = client.app.state.runtime.broadcaster  # type: ignore[attr-defined]
    missed, complete = in_loop(client, lambda: broadcaster.since(channel, after))
    assert complete
    return [dict(m) for m in missed]


def _last_seq(client: TestClient, channel: str) -> int:
    broadcaster = client.app.state.runtime.broadcaster  # type: ignore[attr-defined]
    return int(in_loop(client, lambda: broadcaster.last_seq(channel)))


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Frozen]:
    """A competition played for a while, frozen while paused, then played on past the freeze."""
    url = f"sqlite:///{tmp_path_factory.mktemp('freeze') / 'salesfloor.db'}"
    with TestClient(make_app(url)) as client:
        from tests.server.helpers import login_instructor

        ins = login_instructor(client)
        game = create_competition(client, ins, seconds_per_hour=0.05, rounds=8, seed=4242)
        member = join_team(client, game.codes["Humans"], "Mei", "manager")
        judge = login_judge(client, game.judge_code)
        quote_by_policy(client, member, discount=0.04)  # the human team plays by policy
        criterion = client.post(
            game.path("/rubric/criteria"),
            json={"name_en": "Pitch", "name_zh": "路演", "max_points": 10, "per_round": False},
            headers=ins,
        ).json()
        weights = {"conversion": 30, "satisfaction": 30, "receivables": 25, "profit": 15, "rubric": 20}
        assert client.put(game.path("/scoring"), json={"weights": weights}, headers=ins).status_code == 200

        def closed_some() -> bool:
            rows = _get(client, game.path("/standings"), ins)["standings"]
            return all(r["conversion"] is not None for r in rows)

        play_until(client, game, closed_some, timeout=30, what="every team closing an inquiry")
        pause(client, game)
        response = client.put(game.path("/freeze"), json={}, headers=ins)
        assert response.status_code == 200, response.text
        freeze_t = response.json()["freeze_t"]
        assert response.json()["frozen"] is True and freeze_t == status(client, game)["t_sim"]
        channels = channel_names(game.id)
        watched = {
            "public": channels["public"],
            "team": team_channel(game.id, "Humans"),
            "judge": channels["judge"],
        }
        seq = {name: _last_seq(client, channel) for name, channel in watched.items()}
        before = Frozen(
            client=client,
            game=game,
            member=member,
            judge=judge,
            freeze_t=freeze_t,
            public=_get(client, game.path("/public")),
            public_history=_get(client, game.path("/public/history")),
            team_standing=_get(client, "/api/v1/team", member)["standing"],
            team_explained=_get(client, "/api/v1/team/explain/conversion", member),
            seq=seq,
            live_at_freeze=_get(client, game.path("/standings"), ins)["standings"],
        )
        # after the freeze: a judge's rubric score, and two more rounds of play
        judge_named = login_judge(client, game.judge_code, name="Ada")
        scored = client.put(
            game.path("/rubric/scores"),
            json={"criterion_id": criterion["id"], "team": "Beta", "points": 10},
            headers=judge_named,
        )
        assert scored.status_code == 200, scored.text
        start = status(client, game)["round"]
        response = client.post(game.path("/resume"), headers=ins)
        if response.status_code == 409:
            response = client.post(game.path("/next-round"), headers=ins)
        assert response.status_code == 200, response.text
        play_until(
            client, game, lambda: status(client, game)["round"] >= start + 2, timeout=30, what="two rounds"
        )
        pause(client, game)
        yield before


def test_the_public_board_is_the_log_cut_at_the_freeze(frozen: Frozen) -> None:
    client, game = frozen.client, frozen.game
    live = client.app.state.runtime.live[game.id]  # type: ignore[attr-defined]
    events = [event_from_dict(e) for e in _get_list(client, game.path("/events?limit=5000"), frozen.judge)]
    assert len(events) == len(live.started().log)
    assert events[-1].t > frozen.freeze_t, "the game went on after the freeze"
    cut = score_events([e for e in events if e.t <= frozen.freeze_t], live.scoring, frozen.freeze_t)
    expected = standing_rows(cut.standings(frozen.freeze_t))
    assert frozen.public["standings"] == expected
    assert _get(client, game.path("/public"))["standings"] == expected


def test_after_the_freeze_nothing_changes_on_any_public_or_team_view(frozen: Frozen) -> None:
    client, game = frozen.client, frozen.game
    public = _get(client, game.path("/public"))
    assert public["standings"] == frozen.public["standings"]
    assert public["frozen"] is True and public["freeze_t"] == frozen.freeze_t
    assert public["t_sim"] > frozen.freeze_t  # the clock moves on; the board does not
    assert _get(client, game.path("/public/history")) == frozen.public_history
    assert _get(client, "/api/v1/team", frozen.member)["standing"] == frozen.team_standing
    assert _get(client, "/api/v1/team/explain/conversion", frozen.member) == frozen.team_explained
    assert client.get(game.path("/public/awards")).status_code == 409
    # a websocket opened now gets the frozen board in its hello
    with client.websocket_connect(f"/ws/public/{game.id}") as ws:
        hello = receive_json(ws)
        assert hello["data"]["standings"] == frozen.public["standings"]
    with client.websocket_connect("/ws/team", headers=frozen.member) as ws:
        assert receive_json(ws)["data"]["standings"] == frozen.public["standings"]


def test_the_public_and_team_streams_carry_no_trace_of_events_after_the_freeze(frozen: Frozen) -> None:
    client, game = frozen.client, frozen.game
    public = _messages(client, channel_names(game.id)["public"], frozen.seq["public"])
    assert public, "the stream went on (state changes, round markers)"
    assert not [m for m in public if m["type"] == "standings"]
    team_kinds = {"big_order", "complaint_resolved_in_time", "written_off"}
    assert not [m for m in public if m["type"] == "ticker" and m["data"]["kind"] in team_kinds]
    assert {m["type"] for m in public} <= {"state", "ticker"}
    team = _messages(client, team_channel(game.id, "Humans"), frozen.seq["team"])
    assert not [m for m in team if m["type"] == "standings"]
    # the team still works its own desk: its own events keep coming, nobody else's
    own = [m["data"] for m in team if m["type"] == "event"]
    assert own and all(e.get("team") in (None, "Humans") for e in own)


def test_judges_and_the_instructor_see_the_game_live(frozen: Frozen) -> None:
    client, game = frozen.client, frozen.game
    live_rows = _get(client, game.path("/standings"), frozen.judge)["standings"]
    assert live_rows != frozen.live_at_freeze
    assert next(r for r in live_rows if r["team"] == "Beta")["rubric"] == 100.0
    judge_stream = _messages(client, channel_names(game.id)["judge"], frozen.seq["judge"])
    pushed = [m for m in judge_stream if m["type"] == "standings"]
    assert pushed and pushed[-1]["data"] == live_rows
    history = _get(client, game.path("/history"), frozen.judge)
    assert history["series"]["t"][-1] > frozen.freeze_t
    assert max(frozen.public_history["series"]["t"]) <= frozen.freeze_t


def test_freezing_refuses_what_would_leak_or_make_no_sense(frozen: Frozen) -> None:
    client, game = frozen.client, frozen.game
    ins = game.instructor
    again = client.put(game.path("/freeze"), json={"at": 1.0}, headers=ins)
    assert again.status_code == 409 and "unfreeze or reveal" in again.json()["detail"]
    judge = client.put(game.path("/freeze"), json={}, headers=frozen.judge)
    assert judge.status_code == 403
    assert client.post(game.path("/reveal"), headers=frozen.judge).status_code == 403


def test_the_reveal_goes_bottom_to_top_and_ends_on_the_live_board(frozen: Frozen) -> None:
    client, game = frozen.client, frozen.game
    assert client.get(game.path("/public/reveal")).status_code == 404
    public_seq = _last_seq(client, channel_names(game.id)["public"])
    response = client.post(game.path("/reveal"), headers=game.instructor)
    assert response.status_code == 200, response.text
    reveal = response.json()
    live_rows = _get(client, game.path("/standings"), game.instructor)["standings"]
    assert reveal["frozen"] == frozen.public["standings"]
    assert reveal["final"] == live_rows
    steps = reveal["steps"]
    assert sorted(s["team"] for s in steps) == sorted(r["team"] for r in live_rows)
    assert steps[0]["from_rank"] == len(live_rows)  # the bottom of the frozen table goes first
    assert list(steps[-1]["order"]) == [r["team"] for r in live_rows]
    stream = _messages(client, channel_names(game.id)["public"], public_seq)
    kinds = [m["type"] for m in stream]
    assert kinds.index("reveal") < kinds.index("standings")
    assert next(m for m in stream if m["type"] == "standings")["data"] == live_rows
    assert _get(client, game.path("/public"))["standings"] == live_rows
    assert _get(client, game.path("/public/reveal")) == reveal
    log = _get(client, game.path("/board-log"), game.instructor)
    assert [entry["action"] for entry in log] == ["freeze", "reveal"]
    assert client.post(game.path("/reveal"), headers=game.instructor).status_code == 409


def test_a_freeze_set_for_later_follows_the_game_until_then(client: TestClient, instructor: Headers) -> None:
    game = create_competition(client, instructor, seconds_per_hour=0.05, rounds=4, seed=5)
    pause(client, game)  # set up while the clock is stopped: 30 h pass in 1.5 s of a busy machine
    response = client.put(game.path("/freeze"), json={"at": 30.0}, headers=instructor)
    assert response.status_code == 200 and response.json()["frozen"] is False
    late = client.put(game.path("/freeze"), json={"at": 10_000.0}, headers=instructor)
    assert late.status_code == 422 and "after the last round" in late.json()["detail"]
    if not status(client, game)["between_rounds"]:
        assert client.post(game.path("/resume"), headers=instructor).status_code == 200
    play_until(client, game, lambda: status(client, game)["t_sim"] > 30.0, timeout=20, what="t past 30 h")
    pause(client, game)
    live = client.app.state.runtime.live[game.id]  # type: ignore[attr-defined]
    freeze_t = status(client, game)["freeze_t"]
    cut = score_events([e for e in live.started().log if e.t <= freeze_t], live.scoring, freeze_t)
    rows = standing_rows(cut.standings(freeze_t))
    assert _get(client, game.path("/public"))["standings"] == rows
    unfreeze = client.post(game.path("/unfreeze"), headers=instructor)
    assert unfreeze.status_code == 200 and unfreeze.json()["frozen"] is False
    assert (
        _get(client, game.path("/public"))["standings"]
        == _get(client, game.path("/standings"), instructor)["standings"]
    )
    assert client.post(game.path("/unfreeze"), headers=instructor).status_code == 409
    past = client.put(game.path("/freeze"), json={"at": 1.0}, headers=instructor)
    assert past.status_code == 409 and "has passed" in past.json()["detail"]
    assert _get(client, game.path("/public"))["frozen"] is False


def test_a_freeze_survives_a_restart(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'freeze.db'}"
    with TestClient(make_app(url)) as client:
        from tests.server.helpers import login_instructor

        ins = login_instructor(client)
        game = create_competition(client, ins, seconds_per_hour=0.05, rounds=4, seed=8)
        play_until(client, game, lambda: status(client, game)["t_sim"] > 12, timeout=20, what="t past 12 h")
        pause(client, game)
        assert client.put(game.path("/freeze"), json={}, headers=ins).status_code == 200
        frozen_rows = _get(client, game.path("/public"))["standings"]
        assert client.post(game.path("/resume"), headers=ins).status_code in (200, 409)
        play_until(client, game, lambda: status(client, game)["round"] >= 2, timeout=20, what="round 2")
    with TestClient(make_app(url)) as client:
        public = _get(client, game.path("/public"))
        assert public["frozen"] is True
        assert public["standings"] == frozen_rows
