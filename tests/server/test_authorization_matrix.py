"""The full authorization matrix: every route of the API × every role, cell by cell.

Roles: nobody logged in, the instructor, a judge of competition X, a judge of another
competition Y, a member of team A (in X) and a member of team B (in Y). Each cell says
"ok" (the request got past authorization: a 2xx, or a 4xx that is not 401/403, e.g. 404
for an unknown id or 422 for the empty body the matrix sends; never a 5xx), "401" or
"403". The table must name exactly the app's routes, so a new route without a row fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI, routing
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    receive_json,
)

ROLES = ("anonymous", "instructor", "judge", "other_judge", "member_a", "member_b")
"""Members are their teams' managers, who may issue every command: what the desk lets each team
role do is tested in test_api_team.py; this matrix is about who may reach an endpoint at all."""

OK, E401, E403 = "ok", "401", "403"

PUBLIC = (OK, OK, OK, OK, OK, OK)
LOGGED_IN = (E401, OK, OK, OK, OK, OK)
INSTRUCTOR = (E401, OK, E403, E403, E403, E403)
JUDGES = (E401, OK, OK, E403, E403, E403)  # this competition's judges and the instructor
PARTICIPANTS = (E401, OK, OK, E403, OK, E403)  # ... and its members
MEMBERS = (E401, E403, E403, E403, OK, OK)  # each acts on its own team

C = "/api/v1/competitions/{competition_id}"
T = "/api/v1/team"

MATRIX: dict[tuple[str, str], tuple[str, ...]] = {
    # logging in and out
    ("POST", "/api/v1/session/instructor"): PUBLIC,
    ("POST", "/api/v1/session/judge"): PUBLIC,
    ("POST", "/api/v1/session/join"): PUBLIC,
    ("GET", "/api/v1/session"): LOGGED_IN,
    ("POST", "/api/v1/session/logout"): PUBLIC,
    # public
    ("GET", "/api/v1/health"): PUBLIC,
    ("GET", "/api/v1/presets"): PUBLIC,
    ("GET", "/api/v1/bots"): PUBLIC,
    ("GET", "/api/v1/presets/{name}/parameters"): PUBLIC,
    ("GET", "/api/v1/qr.svg"): PUBLIC,
    ("POST", "/api/v1/previews"): INSTRUCTOR,
    ("GET", "/api/v1/previews/{preview_id}"): INSTRUCTOR,
    ("GET", C + "/public"): PUBLIC,
    # the instructor's
    ("POST", "/api/v1/competitions"): INSTRUCTOR,
    ("GET", "/api/v1/competitions"): INSTRUCTOR,
    ("GET", C): INSTRUCTOR,
    ("POST", C + "/teams"): INSTRUCTOR,
    ("POST", C + "/teams/bulk"): INSTRUCTOR,
    ("GET", C + "/members"): INSTRUCTOR,
    ("DELETE", C + "/teams/{team}/members/{name}"): INSTRUCTOR,
    ("POST", C + "/teams/{team}/join-code"): INSTRUCTOR,
    ("POST", C + "/start"): INSTRUCTOR,
    ("POST", C + "/pause"): INSTRUCTOR,
    ("POST", C + "/resume"): INSTRUCTOR,
    ("POST", C + "/next-round"): INSTRUCTOR,
    ("POST", C + "/end"): INSTRUCTOR,
    ("POST", C + "/parameters"): INSTRUCTOR,
    ("GET", C + "/parameters/history"): INSTRUCTOR,
    ("POST", C + "/shocks"): INSTRUCTOR,
    ("POST", C + "/announcements"): INSTRUCTOR,
    ("GET", C + "/commands"): INSTRUCTOR,
    ("GET", C + "/monitor"): INSTRUCTOR,
    ("GET", C + "/peer-reviews"): INSTRUCTOR,
    ("GET", T + "/peer-review"): MEMBERS,
    ("PUT", T + "/peer-review"): MEMBERS,
    ("PUT", C + "/scoring"): INSTRUCTOR,
    ("GET", C + "/scoring/history"): INSTRUCTOR,
    # watching
    ("GET", C + "/standings"): JUDGES,
    ("GET", C + "/events"): JUDGES,
    ("GET", C + "/scoring"): JUDGES,
    ("GET", C + "/parameters"): PARTICIPANTS,
    # the board: freeze, reveal, awards, explanations, history
    ("PUT", C + "/freeze"): INSTRUCTOR,
    ("POST", C + "/unfreeze"): INSTRUCTOR,
    ("POST", C + "/reveal"): INSTRUCTOR,
    ("GET", C + "/board-log"): INSTRUCTOR,
    ("PUT", C + "/awards/medals"): INSTRUCTOR,
    ("GET", C + "/awards"): JUDGES,
    ("GET", C + "/explain/{team}/{metric}"): JUDGES,
    ("GET", C + "/history"): JUDGES,
    ("GET", C + "/report/{team}"): JUDGES,  # and the team's own members (tested in test_api_board)
    ("GET", C + "/public/history"): PUBLIC,
    ("GET", C + "/public/awards"): PUBLIC,
    ("GET", C + "/public/reveal"): PUBLIC,
    ("GET", T + "/explain/{metric}"): MEMBERS,
    # around the play: the lobby, the ticker a board opens with, the debrief, a team's round
    ("GET", C + "/public/lobby"): PUBLIC,  # join codes only for the instructor (test_lobby.py)
    ("PUT", C + "/starts-at"): INSTRUCTOR,
    ("GET", C + "/public/ticker"): PUBLIC,
    ("GET", C + "/ticker"): JUDGES,
    ("GET", C + "/debrief"): JUDGES,
    ("GET", T + "/round-report"): MEMBERS,
    # the rubric
    ("GET", C + "/rubric"): JUDGES,
    ("GET", C + "/rubric/log"): JUDGES,
    ("POST", C + "/rubric/criteria"): INSTRUCTOR,
    ("PUT", C + "/rubric/criteria/{criterion_id}"): INSTRUCTOR,
    ("DELETE", C + "/rubric/criteria/{criterion_id}"): INSTRUCTOR,
    ("PUT", C + "/rubric/scores"): JUDGES,
    # exports and imports
    ("GET", C + "/exports/{filename}"): INSTRUCTOR,
    ("POST", "/api/v1/competitions/import"): INSTRUCTOR,
    # the team's desk
    ("POST", T + "/inquiries/{inquiry_id:path}/quote"): MEMBERS,
    ("POST", T + "/inquiries/{inquiry_id:path}/revise"): MEMBERS,
    ("POST", T + "/inquiries/{inquiry_id:path}/decline"): MEMBERS,
    ("POST", T + "/inquiries/{inquiry_id:path}/follow-up"): MEMBERS,
    ("POST", T + "/approvals/{approval_id:path}/approve"): MEMBERS,
    ("POST", T + "/approvals/{approval_id:path}/reject"): MEMBERS,
    ("POST", T + "/invoices/{invoice_id:path}/reminder"): MEMBERS,
    ("POST", T + "/invoices/{invoice_id:path}/collection"): MEMBERS,
    ("POST", T + "/invoices/{invoice_id:path}/write-off"): MEMBERS,
    ("POST", T + "/complaints/{complaint_id:path}/resolve"): MEMBERS,
    ("POST", T + "/customers/{customer_id:path}/survey"): MEMBERS,
    ("POST", T + "/customers/{customer_id:path}/credit-check"): MEMBERS,
    ("PUT", T + "/customers/{customer_id:path}/credit-limit"): MEMBERS,
    ("POST", T + "/customers/{customer_id:path}/care"): MEMBERS,
    ("POST", T + "/customers/{customer_id:path}/notes"): MEMBERS,
    ("POST", T + "/campaigns"): MEMBERS,
    ("PUT", T + "/policies/quotes/{segment}"): MEMBERS,
    ("PUT", T + "/policies/reminders"): MEMBERS,
    ("PUT", T + "/policies/apology"): MEMBERS,
    ("GET", T): MEMBERS,
    ("GET", T + "/state"): MEMBERS,
    ("GET", T + "/events"): MEMBERS,
}

REFUSED = "1008"
WEBSOCKETS: dict[str, tuple[str, ...]] = {
    "/ws/public/{competition_id}": (OK, OK, OK, OK, OK, OK),
    "/ws/judge/{competition_id}": (REFUSED, OK, OK, REFUSED, REFUSED, REFUSED),
    "/ws/instructor/{competition_id}": (REFUSED, OK, REFUSED, REFUSED, REFUSED, REFUSED),
    "/ws/team": (REFUSED, REFUSED, REFUSED, REFUSED, OK, OK),
}

PATH_VALUES = {
    "inquiry_id": "R999/Nobody",
    "approval_id": "nobody-ap1",
    "invoice_id": "I999/Nobody-1",
    "complaint_id": "K999/Nobody",
    "customer_id": "C999.9",
    "segment": "smb",
    "criterion_id": "999",
    "team": "Nobody",
    "metric": "conversion",
    "filename": "standings.csv",
    "name": "classroom",
    "preview_id": "nosuch",
}


def _routes(app: FastAPI) -> Iterator[Any]:
    """Every route of the app, with included routers flattened (whatever the FastAPI version)."""
    iterate = getattr(routing, "iter_route_contexts", None)
    yield from iterate(app.routes) if iterate is not None else app.routes


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    found = set()
    for route in _routes(app):
        path, methods = getattr(route, "path", None), getattr(route, "methods", None)
        if path and methods and path.startswith("/api/v1"):
            found |= {(m, path) for m in methods if m != "HEAD"}
    return found


def websocket_routes(app: FastAPI) -> set[str]:
    found = set()
    for route in _routes(app):
        original = getattr(route, "original_route", route)
        if isinstance(original, routing.APIWebSocketRoute) or type(original).__name__ == "WebSocketRoute":
            found.add(route.path)
    return found


@dataclass
class World:
    """Two started competitions: X (team A, a house team) and Y (team B); one identity per role."""

    client: TestClient
    x: Game
    y: Game
    identities: dict[str, Headers]
    spares: dict[str, list[Headers]]

    def fresh(self, role: str) -> Headers:
        """A session nobody else uses (made up front: the matrix may end competition X)."""
        return self.spares[role].pop()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'salesfloor.db'}"
    with TestClient(make_app(url)) as client:
        instructor = login_instructor(client)
        x = create_competition(
            client, instructor, teams=(("Team A", None), ("House", "balanced")), seconds_per_hour=5
        )
        y = create_competition(
            client, instructor, teams=(("Team B", None),), seconds_per_hour=5, name="Other cup"
        )
        logins: dict[str, Callable[[], Headers]] = {
            "anonymous": dict,
            "instructor": lambda: login_instructor(client),
            "judge": lambda: login_judge(client, x.judge_code),
            "other_judge": lambda: login_judge(client, y.judge_code),
            "member_a": lambda: join_team(client, x.codes["Team A"], "Ann", "manager"),
            "member_b": lambda: join_team(client, y.codes["Team B"], "Bo", "manager"),
        }
        identities = {role: login() for role, login in logins.items()}
        spares = {role: [login() for _ in range(3)] for role, login in logins.items()}
        yield World(client, x, y, identities, spares)


def test_the_matrix_names_exactly_the_app_s_routes(world: World) -> None:
    app = world.client.app
    assert isinstance(app, FastAPI)
    routes = api_routes(app)
    assert routes, "no routes found under /api/v1"
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"routes without a row in the authorization matrix: {missing}"
    assert not stale, f"rows for routes the app does not have: {stale}"
    ws_routes = websocket_routes(app)
    assert ws_routes == set(WEBSOCKETS), (sorted(ws_routes), sorted(WEBSOCKETS))
    assert all(len(cells) == len(ROLES) for cells in (*MATRIX.values(), *WEBSOCKETS.values()))


def _url(path: str, competition_id: int) -> str:
    url = path.replace("{competition_id}", str(competition_id))
    for name, value in PATH_VALUES.items():
        url = url.replace("{" + name + ":path}", value).replace("{" + name + "}", value)
    assert "{" not in url, url
    return url


def _outcome(status_code: int) -> str:
    if status_code in (401, 403):
        return str(status_code)
    assert status_code < 500, f"server error {status_code}"
    return OK


# Actions that change the competition come last, so that every other cell sees X running.
LAST = ("/pause", "/resume", "/next-round", "/end", "/session/logout")


def _rows() -> list[tuple[str, str]]:
    return sorted(MATRIX, key=lambda row: (any(row[1].endswith(s) for s in LAST), row[1], row[0]))


@pytest.mark.parametrize(("method", "path"), _rows(), ids=[f"{m} {p}" for m, p in _rows()])
def test_authorization(world: World, method: str, path: str) -> None:
    expected = dict(zip(ROLES, MATRIX[(method, path)], strict=True))
    url = _url(path, world.x.id)
    actual: dict[str, str] = {}
    details: dict[str, Any] = {}
    for role in ROLES:
        # logging out ends the session it is sent with: use a fresh one for that cell
        headers = world.fresh(role) if path.endswith("/logout") else world.identities[role]
        world.client.cookies.clear()
        response = world.client.request(method, url, headers=headers)
        actual[role] = _outcome(response.status_code)
        details[role] = (response.status_code, response.text[:200])
        if response.status_code in (401, 403):  # every denial says why
            body = response.json()
            assert body["detail"] and body["code"] in ("unauthorized", "forbidden"), body
        documented = _documented(world, method, path)
        assert documented is None or str(response.status_code) in documented, (role, details[role])
    assert actual == expected, details


def _documented(world: World, method: str, path: str) -> set[str] | None:
    """The statuses the OpenAPI document gives the operation (None: a route outside the schema)."""
    schema = world.client.app.openapi()  # type: ignore[attr-defined]
    operation = schema["paths"].get(path.replace(":path}", "}"), {}).get(method.lower())
    return None if operation is None else set(operation["responses"])


LOGINS = {"/api/v1/session/instructor", "/api/v1/session/judge", "/api/v1/session/join"}


def test_the_schema_documents_401_and_403_exactly_where_the_matrix_has_them(world: World) -> None:
    """401 where a cell is 401 (or a wrong credential is: the logins), 403 where a cell is 403."""
    wrong = []
    for (method, path), cells in MATRIX.items():
        documented = _documented(world, method, path)
        if documented is None:
            continue
        expected = {"401"} if E401 in cells or path in LOGINS else set()
        expected |= {"403"} if E403 in cells else set()
        if documented & {"401", "403"} != expected:
            wrong.append((method, path, sorted(documented & {"401", "403"}), sorted(expected)))
    assert wrong == []


def test_denials_name_the_reason(world: World) -> None:
    client, x = world.client, world.x
    anonymous = client.get(f"/api/v1/competitions/{x.id}")
    assert anonymous.json() == {
        "detail": "log in first: instructor password, judge code or team join code",
        "code": "unauthorized",
    }
    judge = client.get(f"/api/v1/competitions/{x.id}", headers=world.identities["judge"]).json()
    assert judge["code"] == "forbidden" and "instructor" in judge["detail"]
    member = client.get(f"/api/v1/competitions/{x.id}/events", headers=world.identities["member_a"]).json()
    assert member["code"] == "forbidden" and "judges" in member["detail"]
    judge_on_team = client.get("/api/v1/team", headers=world.identities["judge"]).json()
    assert judge_on_team["code"] == "forbidden" and "team member" in judge_on_team["detail"]


def test_bad_credentials_are_401(world: World) -> None:
    client = world.client
    for path, body in (
        ("/api/v1/session/instructor", {"password": "wrong"}),
        ("/api/v1/session/judge", {"code": "NOSUCH22"}),
        ("/api/v1/session/join", {"code": "NOSUCH22", "name": "X", "role": "sales"}),
    ):
        response = client.post(path, json=body)
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "unauthorized"
    assert client.get("/api/v1/session", headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert client.get("/api/v1/session", headers={"Authorization": "Bearer "}).status_code == 401
    assert client.get("/api/v1/session", params={"token": "not-a-token"}).status_code == 401


def test_session_cookies_are_http_only_and_same_site(world: World) -> None:
    client = world.client
    client.cookies.clear()
    response = client.post("/api/v1/session/judge", json={"code": world.x.judge_code.lower()})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    # the browser's cookie alone identifies the judge
    who = client.get("/api/v1/session")
    assert who.status_code == 200 and who.json()["role"] == "judge" and who.json()["token"] == ""
    assert client.get(f"/api/v1/competitions/{world.x.id}/standings").status_code == 200
    assert client.get(f"/api/v1/competitions/{world.y.id}/standings").status_code == 403
    logout = client.post("/api/v1/session/logout")
    assert logout.status_code == 204
    client.cookies.clear()
    token = response.json()["token"]
    assert client.get("/api/v1/session", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_logout_ends_the_session_everywhere(world: World) -> None:
    client = world.client
    member = world.fresh("member_a")
    assert client.get("/api/v1/team", headers=member).status_code == 200
    assert client.post("/api/v1/session/logout", headers=member).status_code == 204
    assert client.get("/api/v1/team", headers=member).status_code == 401
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect("/ws/team", headers=member) as ws,
    ):
        ws.receive_json()  # accepted, then closed with the reason
    assert refused.value.code == 1008


# --- websockets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(WEBSOCKETS))
def test_websocket_authorization(world: World, path: str) -> None:
    expected = dict(zip(ROLES, WEBSOCKETS[path], strict=True))
    actual: dict[str, str] = {}
    for role in ROLES:
        world.client.cookies.clear()
        url = path.replace("{competition_id}", str(world.x.id))
        try:
            with world.client.websocket_connect(url, headers=world.identities[role]) as ws:
                hello = receive_json(ws)
                assert hello["type"] == "hello" and {"epoch", "status", "standings"} <= set(hello["data"])
                actual[role] = OK
        except WebSocketDisconnect as exc:
            actual[role] = str(exc.code)
            assert exc.reason, "a refused websocket says why"
    assert actual == expected


def test_websockets_take_the_token_from_the_query_too(world: World) -> None:
    client = world.client
    client.cookies.clear()
    token = world.identities["member_a"]["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/ws/team?token={token}") as ws:
        hello = receive_json(ws)
        assert hello["type"] == "hello" and hello["data"]["status"]["id"] == world.x.id
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect("/ws/team?token=nonsense") as ws,
    ):
        ws.receive_json()
    assert refused.value.code == 1008


@pytest.mark.parametrize("path", ["/ws/public/987654", "/ws/judge/987654", "/ws/instructor/987654"])
def test_websockets_of_an_unknown_competition_are_refused(world: World, path: str) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        world.client.websocket_connect(path, headers=world.identities["instructor"]) as ws,
    ):
        ws.receive_json()
    assert refused.value.code == 1008
    assert "987654" in refused.value.reason
