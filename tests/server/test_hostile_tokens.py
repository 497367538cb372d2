"""Forged, tampered, replayed and misplaced tokens; acting on another team's ids.

A token the server did not issue, or one it ended (logout), is a 401; a real token used
outside what it grants is a 403 (another competition) or a 404 (another team's records, so
that their existence is not confirmed). Guessing codes and the password:
tests/server/test_hostile_logins.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from server.security.auth import COOKIE
from tests.server.helpers import (
    Game,
    Headers,
    bearer,
    create_competition,
    join_team,
    login_judge,
)
from tests.server.hostile_setup import TwoTeams, refused, two_teams

TEAM = "/api/v1/team"


@pytest.fixture(scope="module")
def teams(module_client: TestClient, module_instructor: Headers) -> TwoTeams:
    return two_teams(module_client, module_instructor)


@pytest.fixture(scope="module")
def other_game(module_client: TestClient, module_instructor: Headers) -> Game:
    return create_competition(
        module_client, module_instructor, teams=(("Other", None),), seconds_per_hour=3600
    )


# --- forged, tampered, replayed ----------------------------------------------------------------


def _tampered(token: str) -> Iterator[str]:
    yield token[:-1] + ("A" if token[-1] != "A" else "B")  # one character changed
    yield token + "x"  # one more
    yield token[:-4]  # shorter
    yield token.upper()


def test_forged_and_tampered_tokens_are_401(teams: TwoTeams) -> None:
    client = teams.client
    token = teams.a["Authorization"].removeprefix("Bearer ")
    for forged in [secrets.token_urlsafe(32), "x" * 5000, "' OR 1=1 --", *_tampered(token)]:
        refused(client.get(TEAM, headers=bearer(forged)), 401, "unauthorized", "log in")
        client.cookies.set(COOKIE, forged)
        refused(client.get(TEAM), 401, "unauthorized")
        client.cookies.clear()
    assert client.get(TEAM, headers=teams.a).status_code == 200  # the real one still works


def test_a_logged_out_token_replayed_is_401(teams: TwoTeams) -> None:
    client = teams.client
    member = join_team(client, teams.game.codes["Ant"], "Leo", "sales")
    assert client.get(TEAM, headers=member).status_code == 200
    assert client.post("/api/v1/session/logout", headers=member).status_code == 204
    refused(client.get(TEAM, headers=member), 401, "unauthorized")
    refused(
        client.put(f"{TEAM}/policies/reminders", json={"days_after_due": 1}, headers=member),
        401,
        "unauthorized",
    )
    judge = login_judge(client, teams.game.judge_code, "Jo")
    assert client.post("/api/v1/session/logout", headers=judge).status_code == 204
    refused(client.get(teams.game.path("/standings"), headers=judge), 401, "unauthorized")


def test_the_cookie_carries_the_session_and_logout_ends_it(teams: TwoTeams) -> None:
    client = teams.client
    response = client.post(
        "/api/v1/session/join", json={"code": teams.game.codes["Ant"], "name": "Kim", "role": "service"}
    )
    assert response.status_code == 200 and client.cookies.get(COOKIE), response.text
    assert client.get(TEAM).json()["member"] == "Kim"
    assert client.post("/api/v1/session/logout").status_code == 204
    stolen = response.json()["token"]
    client.cookies.clear()
    refused(client.get(TEAM, headers=bearer(stolen)), 401, "unauthorized")


# --- real tokens out of place --------------------------------------------------------------------


def test_a_judge_of_one_competition_is_refused_on_another(teams: TwoTeams, other_game: Game) -> None:
    client = teams.client
    judge = login_judge(client, teams.game.judge_code, "Jude")
    assert client.get(teams.game.path("/standings"), headers=judge).status_code == 200
    for path in ("/standings", "/events", "/scoring", "/rubric"):
        refused(client.get(other_game.path(path), headers=judge), 403, "forbidden", "judges")


def test_a_member_is_refused_on_another_competition_and_on_the_instructor_s_routes(
    teams: TwoTeams, other_game: Game
) -> None:
    client = teams.client
    for path in ("/standings", "/events", "/parameters"):
        refused(client.get(other_game.path(path), headers=teams.a), 403, "forbidden")
    refused(client.get(teams.game.path("/standings"), headers=teams.a), 403, "forbidden")
    refused(client.post(other_game.path("/pause"), headers=teams.a), 403, "forbidden", "instructor")
    refused(client.get("/api/v1/competitions", headers=teams.a), 403, "forbidden", "instructor")


def test_a_member_cannot_name_another_team_in_a_command(teams: TwoTeams) -> None:
    before = teams.snapshot()
    body = {"days_after_due": 1, "team": "Bee"}
    refused(
        teams.client.put(f"{TEAM}/policies/reminders", json=body, headers=teams.a), 422, "invalid", "team"
    )
    assert teams.snapshot() == before


# --- cross-team ids: 404, as for an id that does not exist -------------------------------------


def _b_ids(teams: TwoTeams) -> dict[str, str]:
    state = teams.state(teams.b)
    invoices = [i["invoice_id"] for i in state["invoices"]]
    complaints = [k["complaint_id"] for k in state["complaints"] if k["status"] == "open"]
    assert invoices and complaints, "B should have invoices and complaints by now"
    inquiry = state["inbox"][0]
    action = "revise" if inquiry["status"] == "quoted" else "quote"
    approval = teams.client.post(
        f"{TEAM}/inquiries/{inquiry['inquiry_id']}/{action}", json={"discount": 0.15}, headers=teams.b_sales
    )
    assert approval.status_code == 200, approval.text
    approvals = [a["approval_id"] for a in teams.state(teams.b)["approvals"]]
    assert approvals, "a seller's discount above authority should wait for approval"
    return {
        "inquiry": inquiry["inquiry_id"],
        "customer": state["customers"][0]["customer_id"],
        "invoice": invoices[0],
        "complaint": complaints[0],
        "approval": approvals[0],
    }


CROSS_TEAM = [
    ("post", "/inquiries/{inquiry}/quote", {"discount": 0.05}),
    ("post", "/inquiries/{inquiry}/revise", {"discount": 0.05}),
    ("post", "/inquiries/{inquiry}/decline", {"reason": "no"}),
    ("post", "/inquiries/{inquiry}/follow-up", None),
    ("post", "/approvals/{approval}/approve", None),
    ("post", "/approvals/{approval}/reject", {"reason": "no"}),
    ("post", "/invoices/{invoice}/reminder", None),
    ("post", "/invoices/{invoice}/collection", None),
    ("post", "/invoices/{invoice}/write-off", None),
    ("post", "/complaints/{complaint}/resolve", {"remedy": "apology"}),
]


def test_acting_on_another_team_s_ids_is_a_404_that_confirms_nothing(teams: TwoTeams) -> None:
    ids = _b_ids(teams)
    for method, template, body in CROSS_TEAM:
        name = template.split("{")[1].split("}")[0]
        real, invented = ids[name], ids[name].replace("/Bee", "/Nobody") + "9"
        before = teams.snapshot()
        response = teams.client.request(
            method, TEAM + template.format(**{name: real}), json=body, headers=teams.a
        )
        shape = refused(response, 404, "not_found", "Ant", real)["detail"].replace(real, "<id>")
        assert "Bee" not in shape, shape  # it names only the id it was given
        made_up = teams.client.request(
            method, TEAM + template.format(**{name: invented}), json=body, headers=teams.a
        )
        assert made_up.status_code == 404, made_up.text
        assert made_up.json()["detail"].replace(invented, "<id>") == shape  # the same answer as for nothing
        assert teams.snapshot() == before
