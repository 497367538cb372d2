"""The instructor's API: every endpoint, what it does and each way it refuses.

Refusals are JSON ``{detail, code}`` with 401/403/404/409/422 and a reason that names what
is wrong; a refusal changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    keep_running,
    login_judge,
    pause,
    status,
    wait_for,
)

CSV = {"content-type": "text/csv"}


def refused(response: Any, status_code: int, *words: str) -> dict[str, Any]:
    """Assert a refusal with ``status_code`` whose detail mentions every one of ``words``."""
    assert response.status_code == status_code, (response.status_code, response.text)
    body: dict[str, Any] = response.json()
    assert isinstance(body.get("detail"), str) and body["detail"], body
    assert body.get("code"), body
    for word in words:
        assert word.lower() in body["detail"].lower(), (word, body["detail"])
    return body


def draft(client: TestClient, instructor: Headers, **kwargs: Any) -> Game:
    return create_competition(client, instructor, teams=(), start=False, **kwargs)


def team_names(client: TestClient, game: Game) -> list[str]:
    return [t["name"] for t in status(client, game)["teams"]]


# --- create, list, detail -------------------------------------------------------------------------


def test_create_returns_the_competition_in_draft(
    module_client: TestClient, module_instructor: Headers
) -> None:
    body = {"name": "  Spring cup ", "seed": 42, "rounds": 3, "seconds_per_hour": 2.5, "mode": "mirrored"}
    response = module_client.post("/api/v1/competitions", json=body, headers=module_instructor)
    assert response.status_code == 201, response.text
    detail = response.json()
    assert detail["name"] == "Spring cup"
    assert detail["state"] == "draft"
    assert detail["seed"] == 42
    assert detail["rounds"] == 3
    assert detail["seconds_per_hour"] == 2.5
    assert detail["mode"] == "mirrored" and detail["parameters"]["mode"] == "mirrored"
    assert detail["preset"] == "classroom"
    assert detail["teams"] == []
    assert detail["damaged"] is None
    assert len(detail["judge_code"]) == 8
    assert (
        module_client.get(f"/api/v1/competitions/{detail['id']}", headers=module_instructor).json() == detail
    )


def test_create_applies_overrides(module_client: TestClient, module_instructor: Headers) -> None:
    overrides = {"segments.smb.patience_hours": 9, "starting_cash": 12345}
    response = module_client.post(
        "/api/v1/competitions", json={"name": "Tuned", "overrides": overrides}, headers=module_instructor
    )
    assert response.status_code == 201, response.text
    parameters = response.json()["parameters"]
    assert parameters["segments"]["smb"]["patience_hours"] == 9
    assert parameters["starting_cash"] == 12345


def test_create_refuses_an_unknown_preset(module_client: TestClient, module_instructor: Headers) -> None:
    response = module_client.post(
        "/api/v1/competitions", json={"name": "X", "preset": "no-such-preset"}, headers=module_instructor
    )
    body = refused(response, 422, "no-such-preset", "classroom")
    assert body["code"] == "invalid"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"segments.smb.share": 1.4}, "segments.smb.share"),
        ({"segments.smb.share": 0.9}, "share"),  # shares no longer add up to 100 %
        ({"product.unit_cost": -5}, "product.unit_cost"),
        ({"segments.smb.quantity": [30, 5]}, "segments.smb.quantity"),  # min > max
    ],
)
def test_create_refuses_a_bad_override_naming_the_field(
    module_client: TestClient, module_instructor: Headers, overrides: dict[str, Any], field: str
) -> None:
    response = module_client.post(
        "/api/v1/competitions", json={"name": "X", "overrides": overrides}, headers=module_instructor
    )
    refused(response, 422, field)


@pytest.mark.parametrize("key", ["no_such_parameter", "segments.smb.no_such_field", "nogroup.x"])
def test_create_refuses_an_unknown_override_key(
    module_client: TestClient, module_instructor: Headers, key: str
) -> None:
    response = module_client.post(
        "/api/v1/competitions", json={"name": "X", "overrides": {key: 1}}, headers=module_instructor
    )
    body = refused(response, 422, "unknown")
    assert key.split(".")[0] in body["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "X", "seconds_per_hour": 0}, "seconds_per_hour"),
        ({"name": "X", "rounds": 0}, "rounds"),
        ({"name": "X", "seed": -1}, "seed"),
        ({"name": "X", "mode": "solo"}, "mode"),
        ({}, "name"),
    ],
)
def test_create_refuses_an_invalid_body_readably(
    module_client: TestClient, module_instructor: Headers, body: dict[str, Any], field: str
) -> None:
    response = module_client.post("/api/v1/competitions", json=body, headers=module_instructor)
    assert refused(response, 422, field)["code"] == "invalid"


def test_list_and_detail(module_client: TestClient, module_instructor: Headers) -> None:
    first = draft(module_client, module_instructor, name="First")
    second = draft(module_client, module_instructor, name="Second")
    listed = module_client.get("/api/v1/competitions", headers=module_instructor)
    assert listed.status_code == 200
    by_id = {c["id"]: c for c in listed.json()}
    assert by_id[first.id]["name"] == "First" and by_id[second.id]["name"] == "Second"
    assert by_id[first.id]["state"] == "draft"
    detail = module_client.get(second.path(), headers=module_instructor).json()
    assert detail["id"] == second.id and detail["judge_code"] == second.judge_code
    assert {"parameters", "teams", "seed", "round", "rounds", "t_sim"} <= set(detail)


@pytest.mark.parametrize(
    "path",
    ["", "/monitor", "/parameters", "/parameters/history", "/standings", "/events", "/commands"],
)
def test_an_unknown_competition_is_404(
    module_client: TestClient, module_instructor: Headers, path: str
) -> None:
    response = module_client.get(f"/api/v1/competitions/987654{path}", headers=module_instructor)
    body = refused(response, 404, "987654")
    assert body["code"] == "not_found"


def test_actions_on_an_unknown_competition_are_404(
    module_client: TestClient, module_instructor: Headers
) -> None:
    base = "/api/v1/competitions/987654"
    for path, body in [
        ("/teams", {"name": "A"}),
        ("/start", None),
        ("/pause", None),
        ("/resume", None),
        ("/next-round", None),
        ("/end", None),
        ("/parameters", {"changes": {"starting_cash": 1}}),
        ("/shocks", {"shock": "demand", "magnitude": 1.0}),
        ("/announcements", {"text": "hi"}),
    ]:
        refused(module_client.post(base + path, json=body, headers=module_instructor), 404)
    refused(
        module_client.post(base + "/teams/bulk", content="A\n", headers={**module_instructor, **CSV}), 404
    )


# --- teams ------------------------------------------------------------------------------------------


def test_add_team(module_client: TestClient, module_instructor: Headers) -> None:
    game = draft(module_client, module_instructor)
    response = module_client.post(
        game.path("/teams"), json={"name": "  Red   Team "}, headers=module_instructor
    )
    assert response.status_code == 201, response.text
    team = response.json()
    assert team["name"] == "Red Team" and team["bot"] is None and len(team["join_code"]) == 8
    response = module_client.post(
        game.path("/teams"), json={"name": "House", "bot": "balanced"}, headers=module_instructor
    )
    assert response.status_code == 201 and response.json()["bot"] == "balanced"
    spec = "strategy:discount.smb=0.08;followup=0.25"
    searched = module_client.post(
        game.path("/teams"), json={"name": "Found", "bot": spec}, headers=module_instructor
    )
    assert searched.status_code == 201 and searched.json()["bot"] == spec, searched.text
    teams = status(module_client, game)["teams"]
    assert [t["name"] for t in teams] == ["Found", "House", "Red Team"]
    codes = {team["join_code"], response.json()["join_code"], searched.json()["join_code"]}
    assert {t["join_code"] for t in teams} == codes


def test_add_team_refusals(module_client: TestClient, module_instructor: Headers) -> None:
    game = draft(module_client, module_instructor)
    add = lambda body: module_client.post(game.path("/teams"), json=body, headers=module_instructor)  # noqa: E731
    assert add({"name": "Red"}).status_code == 201
    assert refused(add({"name": "Red"}), 409, "Red")["code"] == "conflict"
    assert refused(add({"name": " Red "}), 409, "Red")["code"] == "conflict"  # the same name once tidied
    refused(add({"name": "!bad name"}), 422, "!bad name")
    refused(add({"name": "tab\tname?"}), 422)
    refused(add({"name": "x" * 41}), 422, "name")
    refused(add({"name": ""}), 422, "name")
    refused(add({}), 422, "name")
    refused(add({"name": "Green", "bot": "genius"}), 422, "genius", "balanced")
    refused(add({"name": "Green", "bot": "strategy:reply=-1"}), 422, "strategy lever reply")
    assert team_names(module_client, game) == ["Red"]


def test_add_team_after_the_start_is_409(module_client: TestClient, module_instructor: Headers) -> None:
    game = create_competition(module_client, module_instructor, teams=(("Solo", None),), seconds_per_hour=5)
    response = module_client.post(game.path("/teams"), json={"name": "Late"}, headers=module_instructor)
    refused(response, 409, "running")
    response = module_client.post(
        game.path("/teams/bulk"), content="Later\n", headers={**module_instructor, **CSV}
    )
    refused(response, 409, "running")
    assert team_names(module_client, game) == ["Solo"]


def test_bulk_csv_skips_the_header_row(module_client: TestClient, module_instructor: Headers) -> None:
    game = draft(module_client, module_instructor)
    text = "name,bot\nRed,balanced\n\n  Blue  \nGreen, \nGold,eager\n"
    response = module_client.post(
        game.path("/teams/bulk"), content=text, headers={**module_instructor, **CSV}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert [(t["name"], t["bot"]) for t in created] == [
        ("Red", "balanced"),
        ("Blue", None),
        ("Green", None),
        ("Gold", "eager"),
    ]
    assert len({t["join_code"] for t in created}) == 4
    assert team_names(module_client, game) == ["Blue", "Gold", "Green", "Red"]


def test_bulk_csv_refusals_register_nothing(module_client: TestClient, module_instructor: Headers) -> None:
    game = draft(module_client, module_instructor)
    headers = {**module_instructor, **CSV}
    bulk = lambda text: module_client.post(game.path("/teams/bulk"), content=text, headers=headers)  # noqa: E731
    assert (
        module_client.post(
            game.path("/teams"), json={"name": "Existing"}, headers=module_instructor
        ).status_code
        == 201
    )

    refused(bulk("name,bot\nRed\nBlue,balanced,extra\n"), 422, "line 3", "3 columns")
    refused(bulk(""), 422)  # an empty body
    refused(bulk("\n \n , \n"), 422, "no team")
    refused(bulk("name\n"), 422, "no team")  # a header alone names no team
    refused(bulk("Red\n" + "x" * 41 + "\n"), 422, "line 2")
    # all or nothing: one bad entry and none of the batch is registered
    refused(bulk("Red\nBlue\nRed\n"), 409, "Red")
    refused(bulk("Red\nExisting\n"), 409, "Existing")
    refused(bulk("Red\nBlue,genius\n"), 422, "genius")
    refused(bulk("Red\n!nope\n"), 422, "!nope")
    assert team_names(module_client, game) == ["Existing"]


# --- lifecycle ---------------------------------------------------------------------------------------


def test_start_without_teams_is_409(module_client: TestClient, module_instructor: Headers) -> None:
    game = draft(module_client, module_instructor)
    refused(module_client.post(game.path("/start"), headers=module_instructor), 409, "team")
    assert status(module_client, game)["state"] == "draft"


@pytest.mark.parametrize("action", ["pause", "resume", "next-round", "end"])
def test_a_draft_refuses_every_action_but_start(
    module_client: TestClient, module_instructor: Headers, action: str
) -> None:
    game = create_competition(module_client, module_instructor, teams=(("Solo", None),), start=False)
    body = refused(module_client.post(game.path(f"/{action}"), headers=module_instructor), 409, "draft")
    assert body["code"] == "conflict"
    assert status(module_client, game)["state"] == "draft"


def test_lifecycle_and_its_refusals(module_client: TestClient, module_instructor: Headers) -> None:
    client, ins = module_client, module_instructor
    game = create_competition(
        client, ins, teams=(("Solo", None),), seconds_per_hour=0.02, rounds=3, start=False
    )
    post = lambda action: client.post(game.path(f"/{action}"), headers=ins)  # noqa: E731

    started = post("start")
    assert started.status_code == 200 and started.json()["state"] == "running"
    assert started.json()["round"] == 1
    refused(post("start"), 409, "running")
    refused(post("resume"), 409, "running")
    refused(post("next-round"), 409, "running")

    paused = post("pause")
    assert paused.status_code == 200 and paused.json()["state"] == "paused"
    assert paused.json()["between_rounds"] is False
    refused(post("pause"), 409, "paused")
    refused(post("next-round"), 409, "under way")
    refused(post("start"), 409, "paused")

    resumed = post("resume")
    assert resumed.status_code == 200 and resumed.json()["state"] == "running"

    # the round ends by itself (a round is 40 business hours = 0.8 s here) and the clock stops
    ended = wait_for(
        lambda: (s := status(client, game))["between_rounds"] and s, timeout=10, what="the end of round 1"
    )
    assert ended["state"] == "paused" and ended["t_sim"] == 40.0
    # one definition of the current round: between rounds, the round that has just ended
    assert (ended["round"], ended["next_round"]) == (1, 2)
    refused(post("resume"), 409, "round 1 has ended")
    refused(post("pause"), 409, "paused")

    nxt = post("next-round")
    assert (
        nxt.status_code == 200 and nxt.json()["state"] == "running" and nxt.json()["between_rounds"] is False
    )
    refused(post("next-round"), 409, "running")
    assert (nxt.json()["round"], nxt.json()["next_round"]) == (2, None)

    finished = post("end")
    assert finished.status_code == 200 and finished.json()["state"] == "finished"
    for action in ("end", "pause", "resume", "next-round", "start"):
        refused(post(action), 409, "finished")
    refused(client.post(game.path("/announcements"), json={"text": "late"}, headers=ins), 409, "finished")
    assert status(client, game)["state"] == "finished"
    assert status(client, game)["round"] == 2  # ended during round 2


def test_after_the_last_round_the_round_is_the_last_never_one_more(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client, ins = module_client, module_instructor
    game = create_competition(client, ins, teams=(("Solo", None),), seconds_per_hour=0.01, rounds=2)
    seen: list[tuple[str, bool, int]] = []

    def finished() -> bool:
        now = status(client, game)
        seen.append((now["state"], now["between_rounds"], now["round"]))
        keep_running(client, game)
        return bool(now["state"] == "finished")

    wait_for(finished, timeout=20, what="the end of the last round")
    final = status(client, game)
    assert final["t_sim"] == 80.0 and (final["round"], final["next_round"]) == (2, None)
    assert all(1 <= r <= 2 for _, _, r in seen)
    assert all(r == 1 for state, between, r in seen if between)  # only round 1 ends before the last


# --- parameters ----------------------------------------------------------------------------------------


def test_parameters_change_only_before_the_start_or_while_paused(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client, ins = module_client, module_instructor
    game = create_competition(client, ins, teams=(("Solo", None),), seconds_per_hour=5, start=False)
    change = lambda changes: client.post(game.path("/parameters"), json={"changes": changes}, headers=ins)  # noqa: E731

    refused(change({"rounds": 9}), 422, "rounds")  # the number of rounds is set at creation
    assert client.post(game.path("/start"), headers=ins).status_code == 200
    refused(change({"segments.smb.patience_hours": 10}), 409, "running")
    pause(client, game)

    refused(change({"mode": "mirrored"}), 422, "mode")
    refused(change({"rounds": 9}), 422, "rounds")
    refused(change({"segments.smb.share": 1.4}), 422, "segments.smb.share")
    refused(change({"no_such_parameter": 1}), 422, "no_such_parameter")
    refused(change({}), 422, "changes")
    refused(client.post(game.path("/parameters"), json={}, headers=ins), 422, "changes")
    assert client.get(game.path("/parameters/history"), headers=ins).json() == []

    before = client.get(game.path("/parameters"), headers=ins).json()
    assert before["segments"]["smb"]["patience_hours"] == 12
    response = change({"segments.smb.patience_hours": 10, "starting_cash": 50000})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["accepted"] is True and len(result["events"]) == 1
    after = client.get(game.path("/parameters"), headers=ins).json()
    assert after["segments"]["smb"]["patience_hours"] == 10
    assert after["starting_cash"] == 50000
    assert status(client, game)["parameters"] == after

    response = change({"reply_tau_hours": 3.0})
    assert response.status_code == 200, response.text
    history = client.get(game.path("/parameters/history"), headers=ins).json()
    assert [h["changes"] for h in history] == [
        [["segments.smb.patience_hours", 10], ["starting_cash", 50000]],
        [["reply_tau_hours", 3.0]],
    ]
    # each change keeps what it replaced, so the history reads old → new
    assert [h["before"] for h in history] == [
        {"segments.smb.patience_hours": 12, "starting_cash": 40000},
        {"reply_tau_hours": 4.0},
    ]
    t_sim = status(client, game)["t_sim"]
    assert all(h["effective_t"] == t_sim for h in history)
    assert all(isinstance(h["at"], float) for h in history)

    events = client.get(game.path("/events"), headers=ins).json()
    changed = [e for e in events if e["kind"] == "parameters_changed"]
    assert changed == [result["events"][0], response.json()["events"][0]]


# --- shocks and announcements ------------------------------------------------------------------------


def test_shocks(module_client: TestClient, module_instructor: Headers) -> None:
    client, ins = module_client, module_instructor
    game = create_competition(client, ins, teams=(("Solo", None),), seconds_per_hour=5, start=False)
    shock = lambda body: client.post(game.path("/shocks"), json=body, headers=ins)  # noqa: E731

    refused(shock({"shock": "demand", "segment": "smb", "magnitude": 1.5}), 409, "draft")
    assert client.post(game.path("/start"), headers=ins).status_code == 200

    response = shock({"shock": "demand", "segment": "smb", "magnitude": 1.5})
    assert response.status_code == 200, response.text
    (answered,) = response.json()["events"]
    seq = answered["seq"]
    response = shock({"shock": "price_war", "magnitude": 0.8})
    assert response.status_code == 200, response.text
    events = {e["seq"]: e for e in client.get(game.path("/events"), headers=ins).json()}
    assert events[seq] == answered and answered["kind"] == "shock_applied"
    assert (events[seq]["shock"], events[seq]["segment"], events[seq]["magnitude"]) == ("demand", "smb", 1.5)

    refused(shock({"shock": "demand", "segment": "smb", "magnitude": 50}), 422, "magnitude")
    refused(shock({"shock": "price_war", "magnitude": 0.0}), 422, "magnitude")
    refused(shock({"shock": "recall", "magnitude": 1.5}), 422, "magnitude")
    refused(shock({"shock": "demand", "segment": "pensioners", "magnitude": 1.2}), 422, "pensioners", "smb")
    refused(shock({"shock": "earthquake", "magnitude": 1.0}), 422, "shock")
    refused(shock({"shock": "demand"}), 422, "magnitude")
    kinds = [e["kind"] for e in client.get(game.path("/events"), headers=ins).json()]
    assert kinds.count("shock_applied") == 2


def test_announcements(module_client: TestClient, module_instructor: Headers) -> None:
    client, ins = module_client, module_instructor
    game = create_competition(client, ins, teams=(("Solo", None),), seconds_per_hour=5)
    member = join_team(client, game.codes["Solo"], "Ann", "sales")
    response = client.post(game.path("/announcements"), json={"text": "  Round 2 starts soon  "}, headers=ins)
    assert response.status_code == 200, response.text
    (answered,) = response.json()["events"]
    team_events = client.get("/api/v1/team/events", headers=member).json()
    (announcement,) = [e for e in team_events if e["kind"] == "announcement_made"]
    assert announcement == answered and announcement["text"] == "Round 2 starts soon"

    refused(client.post(game.path("/announcements"), json={"text": ""}, headers=ins), 422, "text")
    refused(client.post(game.path("/announcements"), json={"text": "   "}, headers=ins), 422, "text")
    refused(client.post(game.path("/announcements"), json={"text": "x" * 501}, headers=ins), 422, "text")
    refused(client.post(game.path("/announcements"), json={}, headers=ins), 422, "text")
    kinds = [e["kind"] for e in client.get(game.path("/events"), headers=ins).json()]
    assert kinds.count("announcement_made") == 1


# --- watching: monitor, standings, events, commands ------------------------------------------------------


def test_monitor_shows_team_activity(module_client: TestClient, module_instructor: Headers) -> None:
    client, ins = module_client, module_instructor
    game = create_competition(client, ins, teams=(("Reds", None), ("Blues", None)), seconds_per_hour=5)
    member = join_team(client, game.codes["Reds"], "Rae", "manager")
    join_team(client, game.codes["Reds"], "Sid", "sales")
    assert (
        client.put("/api/v1/team/policies/apology", json={"enabled": True}, headers=member).status_code == 200
    )
    assert client.post("/api/v1/team/inquiries/nope/decline", json={}, headers=member).status_code == 404

    response = client.get(game.path("/monitor"), headers=ins)
    assert response.status_code == 200
    monitor = response.json()
    assert monitor["state"] == "running" and monitor["id"] == game.id
    teams = {t["team"]: t for t in monitor["teams"]}
    assert teams["Reds"]["commands"] == 2 and teams["Reds"]["refused"] == 1
    assert teams["Reds"]["members"] == ["Rae", "Sid"]
    assert teams["Reds"]["last_command_t"] is not None
    assert monitor["idle_hours"] == 4
    # each member's own: Rae sent both commands (one refused), Sid nothing yet
    rae, sid = teams["Reds"]["people"]
    assert (rae["name"], rae["role"], rae["commands"], rae["refused"]) == ("Rae", "manager", 2, 1)
    assert rae["last_command_t"] == teams["Reds"]["last_command_t"]
    assert (sid["name"], sid["role"], sid["commands"], sid["refused"], sid["last_command_t"]) == (
        "Sid", "sales", 0, 0, None,
    )  # fmt: skip
    assert teams["Blues"] == {
        "team": "Blues",
        "commands": 0,
        "refused": 0,
        "last_command_t": None,
        "idle": monitor["t_sim"] >= 4,
        "members": [],
        "people": [],
    }


def test_live_standings_and_events_for_judges_and_the_instructor(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client, ins = module_client, module_instructor
    game = create_competition(client, ins, seconds_per_hour=0.05)
    other = create_competition(client, ins, teams=(("Elsewhere", None),), seconds_per_hour=5)
    judge = login_judge(client, game.judge_code)
    stranger = login_judge(client, other.judge_code)
    member = join_team(client, game.codes["Humans"], "Hal", "manager")
    wait_for(lambda: len(client.get(game.path("/events"), headers=ins).json()) > 20, what="some events")

    for who in (ins, judge):
        board = client.get(game.path("/standings"), headers=who)
        assert board.status_code == 200, board.text
        assert {row["team"] for row in board.json()["standings"]} == {"Alpha", "Beta", "Humans"}
        assert sorted(row["rank"] for row in board.json()["standings"]) == [1, 2, 3]
        events = client.get(game.path("/events"), headers=who)
        assert events.status_code == 200
        seqs = [e["seq"] for e in events.json()]
        assert seqs == list(range(len(seqs)))
    # judges and the instructor see everything, satisfaction included
    assert (
        client.get(game.path("/events"), params={"after": 4, "limit": 3}, headers=judge).json()[0]["seq"] == 5
    )
    assert len(client.get(game.path("/events"), params={"after": 4, "limit": 3}, headers=judge).json()) == 3
    refused(client.get(game.path("/events"), params={"limit": 0}, headers=judge), 422, "limit")
    refused(client.get(game.path("/events"), params={"after": -2}, headers=judge), 422, "after")

    for who, code in ((stranger, 403), (member, 403), ({}, 401)):
        refused(client.get(game.path("/standings"), headers=who), code)
        refused(client.get(game.path("/events"), headers=who), code)


def test_events_and_commands_of_a_draft_are_empty(
    module_client: TestClient, module_instructor: Headers
) -> None:
    game = draft(module_client, module_instructor)
    assert module_client.get(game.path("/events"), headers=module_instructor).json() == []
    assert module_client.get(game.path("/commands"), headers=module_instructor).json() == []
    board = module_client.get(game.path("/standings"), headers=module_instructor).json()
    assert board["standings"] == [] and board["state"] == "draft"


def test_command_log(module_client: TestClient, module_instructor: Headers) -> None:
    client, ins = module_client, module_instructor
    game = create_competition(client, ins, teams=(("Solo", None),), seconds_per_hour=5)
    member = join_team(client, game.codes["Solo"], "Kim", "manager")
    assert (
        client.put("/api/v1/team/policies/apology", json={"enabled": True}, headers=member).status_code == 200
    )
    assert client.post(game.path("/announcements"), json={"text": "hello"}, headers=ins).status_code == 200
    assert client.post("/api/v1/team/approvals/ap-0/approve", headers=member).status_code == 404
    log = client.get(game.path("/commands"), headers=ins)
    assert log.status_code == 200
    entries = log.json()
    assert len(entries) == 3
    assert [e["seq"] for e in entries] == [0, 1, 2]
    assert [e["source"] for e in entries] == ["human", "instructor", "human"]
    assert [e["accepted"] for e in entries] == [True, True, False]
    assert (
        client.get(game.path("/commands"), params={"after": 0, "limit": 1}, headers=ins).json()
        == entries[1:2]
    )


def test_current_parameters(module_client: TestClient, module_instructor: Headers) -> None:
    game = draft(module_client, module_instructor, name="Params")
    response = module_client.get(game.path("/parameters"), headers=module_instructor)
    assert response.status_code == 200
    parameters = response.json()
    assert parameters == status(module_client, game)["parameters"]
    assert set(parameters["segments"]) == {"key_accounts", "smb", "price_shoppers"}


def test_the_public_board_and_the_presets_need_no_login(client: TestClient, game: Game) -> None:
    board = client.get(game.path("/public"))
    assert board.status_code == 200
    assert board.json()["state"] == "running" and board.json()["id"] == game.id
    assert {row["team"] for row in board.json()["standings"]} == {"Alpha", "Beta", "Humans"}
    assert "judge_code" not in board.json() and "seed" not in board.json()
    presets = {p["name"] for p in client.get("/api/v1/presets").json()}
    assert {"classroom", "calm", "rush", "credit-crunch", "realistic"} <= presets
    assert client.get("/api/v1/health").json()["ok"] is True
    refused(client.get("/api/v1/competitions/987654/public"), 404, "987654")


def test_a_class_ended_between_rounds_is_finished_not_between_rounds(
    module_client: TestClient, module_instructor: Headers
) -> None:
    """Ending a class while it waits between rounds leaves it finished: no longer between rounds,
    no next round to start, the round it had closed still its round — as a restart recovers it."""
    client, ins = module_client, module_instructor
    game = create_competition(
        client, ins, teams=(("Solo", None),), seconds_per_hour=0.02, rounds=3, start=True
    )
    wait_for(lambda: status(client, game)["between_rounds"], timeout=10, what="the end of round 1")
    finished = client.post(game.path("/end"), headers=ins)
    assert finished.status_code == 200
    body = finished.json()
    assert (body["state"], body["between_rounds"], body["round"], body["next_round"]) == (
        "finished",
        False,
        1,
        None,
    )
    assert status(client, game)["between_rounds"] is False
