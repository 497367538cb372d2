"""Every answer is described by the OpenAPI document, and every answer of a real season conforms.

The routes serialise the dicts they build; their models (server/api/answers/) only document
them. So that the document cannot drift from the answers, a season is played through the API
— instructor, judge, two teams and a bot, freeze and reveal, rubric, parameters, debrief,
peer review — and each JSON answer is validated against its operation's success schema in
/openapi.json with every object closed (``additionalProperties: false``, as ``extra="forbid"``):
a field the model does not name fails, as does a missing or mistyped one.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from tests.server.helpers import (
    PASSWORD,
    Game,
    Headers,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    play_until,
    quote_by_policy,
    status,
    team_state,
    wait_for,
)

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
NO_BODY = {"204"}


def _closed(schema: Any) -> Any:
    """``schema`` with every object that names its properties refusing any other."""
    if isinstance(schema, dict):
        out = {key: _closed(value) for key, value in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_closed(value) for value in schema]
    return schema


def _success(operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    status_code = next(code for code in sorted(operation["responses"]) if code.startswith("2"))
    return status_code, operation["responses"][status_code]


@dataclass
class Season:
    """The answers of one season, by operation ("GET /api/v1/…" as the document names it)."""

    document: dict[str, Any]
    answers: dict[str, list[Any]] = field(default_factory=dict)

    def validator(self, operation: str) -> Any:
        method, path = operation.split(" ", 1)
        _code, response = _success(self.document["paths"][path][method.lower()])
        schema = response["content"]["application/json"]["schema"]
        components = _closed(copy.deepcopy(self.document["components"]))
        return jsonschema_rs.validator_for({**_closed(schema), "components": components})


class Recorder:
    """Sends requests and files each JSON answer under its operation."""

    def __init__(self, client: TestClient, season: Season) -> None:
        self.client, self.season = client, season
        self.templates = [
            (method, path, re.compile("^" + re.sub(r"\{\w+\}", r".+", path) + "$"))
            for path, item in season.document["paths"].items()
            for method in item
            if method in HTTP_METHODS
        ]

    def __call__(self, method: str, url: str, headers: Headers | None = None, **kwargs: Any) -> Any:
        response = self.client.request(method, url, headers=headers or {}, **kwargs)
        assert response.status_code < 300, f"{method} {url}: {response.status_code} {response.text[:300]}"
        path = url.split("?")[0]
        matches = [t for m, t, pattern in self.templates if m == method.lower() and pattern.match(path)]
        # the most specific: /{competition_id}/awards before /{competition_id} (an id may hold "/")
        template = max(matches, key=lambda t: len(re.sub(r"\{\w+\}", "", t)))
        if response.content:
            self.season.answers.setdefault(f"{method} {template}", []).append(response.json())
        return response.json() if response.content else None


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Season]:
    url = f"sqlite:///{tmp_path_factory.mktemp('answers') / 'salesfloor.db'}"
    app = make_app(url)
    with TestClient(app) as client:
        played = Season(app.openapi())
        call = Recorder(client, played)
        _play(client, call)
        yield played


def _play(client: TestClient, call: Recorder) -> None:
    instructor = login_instructor(client)
    for url in ("/api/v1/presets", "/api/v1/bots", "/api/v1/health", "/api/v1/presets/classroom/parameters"):
        call("GET", url)
    body = {"name": "Cup", "seed": 5, "rounds": 2, "seconds_per_hour": 0.02}
    created = call("POST", "/api/v1/competitions", instructor, json=body)
    game = Game(id=created["id"], judge_code=created["judge_code"], codes={}, instructor=instructor)
    for team in ("Ant", "Bee"):
        game.codes[team] = call("POST", game.path("/teams"), instructor, json={"name": team})["join_code"]
    csv = {**instructor, "Content-Type": "text/csv"}
    call("POST", game.path("/teams/bulk"), csv, content=b"Cat,balanced\n")
    call("PUT", game.path("/starts-at"), instructor, json={"minutes": 5})
    ann = join_team(client, game.codes["Ant"], "Ann", "manager")
    join_team(client, game.codes["Ant"], "Al", "sales")
    bob = join_team(client, game.codes["Bee"], "Bob", "manager")
    judge = login_judge(client, game.judge_code, "Jude")
    call("GET", game.path("/public/lobby"))
    call("GET", game.path("/public/lobby"), instructor)
    criterion = call(
        "POST",
        game.path("/rubric/criteria"),
        instructor,
        json={"name_en": "Pitch", "name_zh": "演讲", "max_points": 10, "per_round": True},
    )
    changed = {"name_en": "Pitch", "name_zh": "演讲", "max_points": 12, "per_round": True}
    call("PUT", game.path(f"/rubric/criteria/{criterion['id']}"), instructor, json=changed)
    call("GET", game.path("/members"), instructor)
    call("POST", game.path("/parameters"), instructor, json={"changes": {"product.list_price": 101}})
    call("POST", game.path("/start"), instructor)
    quote_by_policy(client, ann, segments=("key_accounts",))
    wait_for(lambda: status(client, game)["between_rounds"], what="the end of round 1", timeout=30)
    inquiries = [i for i in team_state(client, bob)["inbox"] if i["status"] == "open"]
    if inquiries:
        call("POST", f"/api/v1/team/inquiries/{inquiries[0]['inquiry_id']}/quote", bob, json={})
    call("PUT", game.path("/freeze"), instructor, json={})
    call("POST", game.path("/unfreeze"), instructor)
    call("PUT", game.path("/freeze"), instructor, json={})
    call("POST", game.path("/next-round"), instructor)
    call("POST", game.path("/pause"), instructor)
    call("POST", game.path("/shocks"), instructor, json={"shock": "demand", "magnitude": 1.2})
    call("POST", game.path("/announcements"), instructor, json={"text": "hi"})
    call("POST", game.path("/parameters"), instructor, json={"changes": {"product.list_price": 102}})
    weights = {"conversion": 30, "satisfaction": 30, "receivables": 25, "profit": 15, "rubric": 5}
    call("PUT", game.path("/scoring"), instructor, json={"weights": weights, "normalisation": "rank"})
    score = {"criterion_id": criterion["id"], "team": "Ant", "round": 1, "points": 7}
    call("PUT", game.path("/rubric/scores"), judge, json=score)
    call("PUT", game.path("/awards/medals"), instructor, json={"gold": 1})
    call("POST", game.path("/resume"), instructor)
    _views(call, game, ann, judge)

    def last_round_over() -> bool:
        now = status(client, game)
        return bool(now["state"] == "finished" or (now["between_rounds"] and now["round"] == 2))

    play_until(client, game, last_round_over, timeout=60, what="the end of round 2")
    if status(client, game)["state"] != "finished":
        call("POST", game.path("/end"), instructor)
    call("POST", game.path("/reveal"), instructor)
    for url in ("/public/reveal", "/public/awards", "/public", "/public/history", "/public/lobby"):
        call("GET", game.path(url))
    mates = call("GET", "/api/v1/team/peer-review", ann)["teammates"]
    ratings = [{"member_id": m["member_id"], "rating": 4, "comment": "fine"} for m in mates]
    call("PUT", "/api/v1/team/peer-review", ann, json={"ratings": ratings})
    call("GET", game.path("/peer-reviews"), instructor)
    _views(call, game, ann, judge)
    _logins_and_an_early_end(call, game)
    archive = client.get(game.path("/exports/archive.zip"), headers=instructor).content
    call(
        "POST",
        "/api/v1/competitions/import",
        {**instructor, "Content-Type": "application/zip"},
        content=archive,
    )
    call("POST", game.path("/teams/Bee/join-code"), instructor)
    call("DELETE", game.path("/teams/Ant/members/Al"), instructor)


def _logins_and_an_early_end(call: Recorder, game: Game) -> None:
    """The three logins, and a second competition the instructor ends before its last round."""
    token = call("POST", "/api/v1/session/instructor", json={"password": PASSWORD})["token"]
    instructor = {"Authorization": f"Bearer {token}"}
    call("POST", "/api/v1/session/judge", json={"code": game.judge_code, "name": "Jane"})
    other = call("POST", "/api/v1/competitions", instructor, json={"name": "Short", "seed": 1, "rounds": 3})
    path = f"/api/v1/competitions/{other['id']}"
    code = call("POST", path + "/teams", instructor, json={"name": "Solo"})["join_code"]
    call("POST", "/api/v1/session/join", json={"code": code, "name": "Sol", "role": "manager"})
    call.client.cookies.clear()
    call("POST", path + "/start", instructor)
    call("POST", path + "/end", instructor)


def _views(call: Recorder, game: Game, member: Headers, judge: Headers) -> None:
    """Every view of the competition, for its instructor, a judge and a member."""
    for url in ("/team", "/team/state", "/team/events", "/team/round-report", "/session"):
        call("GET", "/api/v1" + url, member)
    for metric in ("conversion", "satisfaction", "receivables", "profit", "composite", "rubric"):
        call("GET", f"/api/v1/team/explain/{metric}", member)
        call("GET", game.path(f"/explain/Bee/{metric}"), game.instructor)
    for url in (
        "",
        "/parameters",
        "/parameters/history",
        "/commands",
        "/scoring",
        "/scoring/history",
        "/monitor",
        "/standings",
        "/events?limit=5000",
        "/board-log",
        "/awards",
        "/history",
        "/report/Ant",
        "/ticker",
        "/rubric",
        "/rubric/log",
    ):
        call("GET", game.path(url), game.instructor)
    call("GET", "/api/v1/competitions", game.instructor)
    call("GET", game.path("/debrief"), judge)
    call("GET", game.path("/public/ticker"))


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_every_operation_describes_its_answer() -> None:
    document = make_app("sqlite://").openapi()
    bare = []
    for method, path, operation in _operations(document):
        code, response = _success(operation)
        if code in NO_BODY:
            assert "content" not in response, (method, path)
            continue
        schemas = [media.get("schema", {}) for media in response.get("content", {}).values()]
        if not schemas or any(schema in ({}, {"type": "object"}) for schema in schemas):
            bare.append((method, path))
            continue
        for schema in schemas:
            ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
            if ref is not None:
                target = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                if target.get("type") == "object" and not target.get("properties"):
                    bare.append((method, path))
    assert len(_operations(document)) > 60 and bare == []


def test_every_answer_of_a_season_conforms_to_the_document(season: Season) -> None:
    wrong = []
    for operation, answers in sorted(season.answers.items()):
        validator = season.validator(operation)
        for answer in answers:
            wrong += [
                f"{operation} {list(e.instance_path)}: {e.message[:160]}"
                for e in validator.iter_errors(answer)
            ]
    assert wrong == []


def test_the_season_reaches_every_json_answer(season: Season) -> None:
    """Every operation that answers JSON was called, so none goes unchecked — but the previews
    (they play in worker processes: tests/server/test_api_previews.py) and the desk commands
    but one (they share one answer, CommandApplied; the fuzzer checks them all)."""
    expected = set()
    for method, path, operation in _operations(season.document):
        _code, response = _success(operation)
        if "application/json" in response.get("content", {}):
            expected.add(f"{method.upper()} {path}")
    unreached = sorted(
        name
        for name in expected - set(season.answers)
        if not re.match(r"(POST|PUT) /api/v1/team/(?!peer-review)", name)
    )
    assert unreached == ["GET /api/v1/previews/{preview_id}", "POST /api/v1/previews"]
    assert any(name.startswith("POST /api/v1/team/") for name in season.answers)


def test_a_field_the_document_does_not_name_fails(season: Season) -> None:
    """The check bites: an answer with one field more, one less or of another type is refused."""
    operation = "GET /api/v1/team/state"
    validator = season.validator(operation)
    state = season.answers[operation][-1]
    assert validator.is_valid(state)
    assert not validator.is_valid({**state, "secret": 1})
    assert not validator.is_valid({key: value for key, value in state.items() if key != "cash"})
    assert not validator.is_valid({**state, "desk": {**state["desk"], "max_installments": 2.5}})
