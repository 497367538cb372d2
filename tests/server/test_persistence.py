"""Persistence and recovery, on SQLite and on PostgreSQL.

A competition is played for a while through the API (house bots, human commands, an
instructor's parameter change while paused, a shock and an announcement); every command the
server acknowledged is in the commands table as soon as it is acknowledged. Then the app
shuts down mid-round and a new app starts on the same database: the competition comes back
paused, undamaged, with an event log that matches the stored events byte for byte and the
log from before the shutdown on their common prefix; the sessions still work, and play
goes on from where it stopped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from market.events import event_to_json
from server.persistence.db.engine import make_engine
from server.persistence.store import Store
from simulator.command_log import command_to_json
from tests.server.helpers import (
    Headers,
    create_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    pause,
    play_until,
    status,
    team_state,
    wait_for,
)


@contextmanager
def database(url: str) -> Iterator[Store]:
    """The database as another process would see it."""
    engine = make_engine(url)
    try:
        yield Store(engine)
    finally:
        engine.dispose()


def prefix_digest(lines: list[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode() + b"\n")
    return h.hexdigest()


def test_a_played_competition_survives_a_restart(db_url: str) -> None:
    # (source, kind, t_sim, fields its payload holds) of each acknowledged command
    acknowledged: list[tuple[str, str, float, dict[str, Any]]] = []
    app = make_app(db_url)
    with TestClient(app) as client:
        instructor = login_instructor(client)
        game = create_competition(
            client,
            instructor,
            teams=(("Alpha", "balanced"), ("Beta", "eager"), ("Humans", None)),
            seconds_per_hour=0.05,
            rounds=20,
            seed=4242,
        )
        judge = login_judge(client, game.judge_code)
        manager = join_team(client, game.codes["Humans"], "Pat", "manager")
        sales = join_team(client, game.codes["Humans"], "Sal", "sales")
        live = app.state.runtime.live[game.id]

        def command(
            kind: str,
            method: str,
            path: str,
            who: Headers,
            body: Any = None,
            source: str = "human",
            names: dict[str, Any] | None = None,
        ) -> Any:
            """Send a command; ``names`` tells its row apart from others of its kind at its time."""
            response = client.request(method, path, json=body, headers=who)
            if response.status_code == 200:
                acknowledged.append((source, kind, response.json()["t_sim"], names or {}))
            return response

        policy = {"discount": 0.05, "terms_days": 5, "delivery_days": 3, "delay_hours": 0.2}
        assert (
            command(
                "set_quote_policy", "PUT", "/api/v1/team/policies/quotes/smb", manager, policy
            ).status_code
            == 200
        )
        # committed before acknowledged: the row is there the moment the answer is
        with database(db_url) as store:
            (row,) = [r for r in store.commands(game.id) if r.source == "human"]
            assert json.loads(row.payload)["kind"] == "set_quote_policy"
            assert row.t == acknowledged[-1][2]
        assert (
            command(
                "set_apology_policy", "PUT", "/api/v1/team/policies/apology", manager, {"enabled": True}
            ).status_code
            == 200
        )

        def open_inquiry() -> str | None:
            inbox = team_state(client, sales)["inbox"]
            fresh = [i for i in inbox if i["status"] == "open" and i["segment"] != "smb"]
            return fresh[0]["inquiry_id"] if fresh else None

        def go_on() -> None:
            action = "/next-round" if status(client, game)["between_rounds"] else "/resume"
            assert client.post(game.path(action), headers=instructor).status_code == 200

        def paused_with_open_inquiry(what: str) -> str:
            """An inquiry that stays open: the clock is stopped before the command is sent.

            One found while the clock runs may lapse before the command reaches it (20
            simulated hours pass each second here), and the command is refused with a 409.
            """
            while True:
                play_until(client, game, open_inquiry, what=what)
                pause(client, game)
                inquiry = open_inquiry()
                if inquiry is not None:
                    return inquiry
                go_on()

        inquiry = paused_with_open_inquiry("an inquiry for the human team")
        quote = {"discount": 0.04, "terms_days": 3, "delivery_days": 4}
        sent = command(
            "send_quote",
            "POST",
            f"/api/v1/team/inquiries/{inquiry}/quote",
            sales,
            quote,
            names={"inquiry_id": inquiry},
        )
        assert sent.status_code == 200, sent.text
        # refused, and logged as refused, at the same simulated time as the quote before it
        assert (
            command("send_quote", "POST", "/api/v1/team/inquiries/nope/quote", sales, quote).status_code
            == 404
        )
        go_on()

        events_before_pause = len(live.started().log)
        play_until(client, game, lambda: len(live.started().log) > events_before_pause + 100, what="play")
        pause(client, game)
        change = {"changes": {"segments.smb.patience_hours": 10, "reply_tau_hours": 3.5}}
        assert (
            command(
                "change_parameters", "POST", game.path("/parameters"), instructor, change, "instructor"
            ).status_code
            == 200
        )
        shock = {"shock": "demand", "segment": "price_shoppers", "magnitude": 1.3}
        assert (
            command("apply_shock", "POST", game.path("/shocks"), instructor, shock, "instructor").status_code
            == 200
        )
        text = {"text": "Watch your receivables"}
        assert (
            command(
                "announce", "POST", game.path("/announcements"), instructor, text, "instructor"
            ).status_code
            == 200
        )
        customer = team_state(client, manager)["customers"][0]["customer_id"]
        note = {"text": "called while paused"}
        assert (
            command("add_note", "POST", f"/api/v1/team/customers/{customer}/notes", manager, note).status_code
            == 200
        )
        go_on()

        events_after_resume = len(live.started().log)
        play_until(
            client, game, lambda: len(live.started().log) > events_after_resume + 100, what="more play"
        )
        inquiry = paused_with_open_inquiry("another inquiry")
        decline = {"reason": "out of stock"}
        declined = command(
            "decline_inquiry",
            "POST",
            f"/api/v1/team/inquiries/{inquiry}/decline",
            sales,
            decline,
            names={"inquiry_id": inquiry},
        )
        assert declined.status_code == 200, declined.text
        # stop the app early in a round, so that it stops with the clock running (a round lasts
        # 2 s here: resumed late in one, the round's end could stop the clock first)
        if not status(client, game)["between_rounds"]:
            go_on()
            wait_for(lambda: status(client, game)["between_rounds"], timeout=30, what="the round's end")
        go_on()
        assert status(client, game)["state"] == "running"
    # the app has shut down mid-round; what it had in memory is what it had played
    assert live.state == "running"
    before_log = [event_to_json(e) for e in live.started().log]
    before_commands = list(live.started().commands)
    before_activity = {
        name: (a.commands, a.refused, a.last_t, sorted(a.members)) for name, a in live.activity.items()
    }
    assert before_activity["Humans"][3] == ["Pat", "Sal"]
    assert len([1 for source, *_ in acknowledged if source == "human"]) == 5
    assert len([1 for source, *_ in acknowledged if source == "instructor"]) == 3

    with database(db_url) as store:
        rows = store.commands(game.id)
        stored = store.event_payloads(game.id)
        (saved,) = [c for c in store.competitions() if c.id == game.id]
        history = store.parameter_changes(game.id)
    assert saved.state == "running"  # as it was when the server went away
    assert [json.loads(h.changes) for h in history] == [  # [key, new value, the value it replaced]
        [["segments.smb.patience_hours", 10, 12], ["reply_tau_hours", 3.5, 4.0]]
    ]

    # every acknowledged command is in the commands table, at the time it was applied
    table = [(r.source, json.loads(r.payload), r.t) for r in rows]
    for source, kind, t_sim, names in acknowledged:
        matches = [
            p
            for s, p, t in table
            if s == source and p["kind"] == kind and t == t_sim and names.items() <= p.items()
        ]
        assert len(matches) == 1, (source, kind, t_sim)
        if source == "human":
            assert matches[0]["team"] == "Humans" and matches[0]["member"] in ("Pat", "Sal")
    # the table is the command log the competition applied, in order, with the same outcomes
    assert [r.seq for r in rows] == list(range(len(rows)))
    applied = [(c.seq, c.source, c.t, command_to_json(c.command)) for c in before_commands]
    assert [(r.seq, r.source, r.t, json.loads(r.payload)) for r in rows][: len(applied)] == applied
    # the commands of one batch may be committed as the app stops, before they are applied:
    # only the house bots were still sending then (every person's command was answered)
    assert {r.source for r in rows[len(applied) :]} <= {"bot"}
    for row, logged in zip(rows, before_commands, strict=False):
        assert row.accepted in (None, logged.accepted)
    assert {r.source for r in rows} == {"bot", "human", "instructor"}
    assert len([r for r in rows if r.source == "human" and r.accepted is False]) >= 1  # refusals are logged
    # the stored events are the events the app had, a prefix of its log
    assert len(stored) > 200
    assert stored == before_log[: len(stored)]

    restarted = make_app(db_url)
    with TestClient(restarted) as client:
        relive = restarted.state.runtime.live[game.id]
        assert relive.state == "paused"
        assert relive.damaged is None
        health = client.get("/api/v1/health").json()
        assert health["ok"] is True and health["damaged"] == {}

        recovered = [event_to_json(e) for e in relive.started().log]
        # every stored event is the replayed one, byte for byte
        assert recovered[: len(stored)] == stored
        # ... and so is everything the app had played, as far as the replay reached
        common = min(len(before_log), len(recovered))
        assert common >= len(stored)
        assert prefix_digest(recovered[:common]) == prefix_digest(before_log[:common])
        last_command_t = max(r.t for r in rows)
        assert relive.now >= last_command_t
        assert relive.started().commands[-1].seq == len(rows) - 1
        assert relive.next_seq == len(rows)

        # the sessions made before the restart still work
        detail = client.get(game.path(), headers=instructor)
        assert detail.status_code == 200
        assert detail.json()["state"] == "paused" and detail.json()["damaged"] is None
        assert detail.json()["digest"] == relive.started().digest()
        assert client.get(game.path("/standings"), headers=judge).status_code == 200
        overview = client.get("/api/v1/team", headers=manager)
        assert overview.status_code == 200 and overview.json()["member"] == "Pat"
        # the team's members and the monitor's counts are as they were
        assert overview.json()["members"] == ["Pat", "Sal"]
        monitor = client.get(game.path("/monitor"), headers=instructor).json()
        late = len(rows) - len(before_commands)  # a command committed as the app stopped
        for team in monitor["teams"]:
            commands, refused, last_t, members = before_activity[team["team"]]
            assert team["members"] == members
            assert commands <= team["commands"] <= commands + late
            assert refused <= team["refused"] <= refused + late
            assert (team["commands"] == commands and team["last_command_t"] == last_t) or late
        notes = {c["customer_id"]: c["notes"] for c in team_state(client, sales)["customers"]}
        assert notes[customer]
        parameters = client.get(game.path("/parameters"), headers=manager).json()
        assert parameters["segments"]["smb"]["patience_hours"] == 10 and parameters["reply_tau_hours"] == 3.5
        history = client.get(game.path("/parameters/history"), headers=instructor).json()
        assert len(history) == 1

        # play goes on: the clock resumes, the house bots and the people are heard again
        action = "/next-round" if detail.json()["between_rounds"] else "/resume"
        assert client.post(game.path(action), headers=instructor).status_code == 200
        response = client.put("/api/v1/team/policies/apology", json={"enabled": False}, headers=manager)
        assert response.status_code == 200
        with database(db_url) as store:
            (row,) = [
                r for r in store.commands(game.id) if r.t == response.json()["t_sim"] and r.source == "human"
            ]
            assert row.seq >= len(rows)
        wait_for(
            lambda: any(c.source == "bot" and c.seq >= len(rows) for c in relive.started().commands),
            what="a house bot's command after the restart",
        )
        assert client.post(game.path("/pause"), headers=instructor).status_code in (200, 409)


def test_a_replay_that_differs_from_the_stored_events_is_reported(sqlite_url: str) -> None:
    app = make_app(sqlite_url)
    with TestClient(app) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=(("Alpha", "balanced"),), seconds_per_hour=0.05)
        live = app.state.runtime.live[game.id]
        wait_for(lambda: live.writer.persisted > 20, what="some stored events")
    with database(sqlite_url) as store, store.engine.begin() as connection:
        (payload,) = connection.execute(
            text("SELECT payload FROM events WHERE competition_id = :c AND seq = 7"), {"c": game.id}
        ).one()
        tampered = json.dumps({**json.loads(payload), "t": json.loads(payload)["t"] + 0.5})
        connection.execute(
            text("UPDATE events SET payload = :p WHERE competition_id = :c AND seq = 7"),
            {"p": tampered, "c": game.id},
        )

    restarted = make_app(sqlite_url)
    with TestClient(restarted) as client:
        damaged = restarted.state.runtime.live[game.id].damaged
        assert damaged is not None and "seq 7" in damaged
        health = client.get("/api/v1/health").json()
        assert health["ok"] is False and health["damaged"] == {str(game.id): damaged}
        detail = client.get(game.path(), headers=login_instructor(client)).json()
        assert detail["damaged"] == damaged and detail["state"] == "paused"
