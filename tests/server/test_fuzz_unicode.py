"""Arbitrary Unicode through every text field of every route (issue 11.1): lone surrogates, NUL,
control characters, bidirectional overrides and letters of every script, in JSON values and keys,
path and query parameters and the team CSV. The fields come from the app's OpenAPI schema, so a
new route or field is fuzzed without being listed here.

Each answer must be below 500; text that cannot be stored must be a 422 naming the field; a name
with a control character a 422 naming the field and the character. Afterwards, and again after a
restart (a replay of everything that was committed), every view, export, archive and channel of
the competition must still work. Hypothesis runs derandomised: the same cases every time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.input.text_rules import NAME_CONTROLS, SURROGATE, unstorable
from tests.server.every_view import every_view_works
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_instructor,
    make_app,
    pause,
    team_state,
    wait_for,
)

EXAMPLES = 400
PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
SPECIALS = [
    "\ud800", "\udbff", "\udc00", "\udfff", "\x00", "\n", "\t", "\r", "\x1b", "\x7f", "\x85", "\x9b",
    "\u2028", "\u202e", "\u2066", "\u2069", "\ufeff", "\u200d", "\ufffd", "😀", "红", "é", "e\u0301",
    "\\", '"', "/", "%", "?", "#", "a", "Z", " ",
]  # fmt: skip
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=30),  # every code point, surrogates too
    st.lists(st.sampled_from(SPECIALS), max_size=12).map("".join),
)
NAME_FIELDS = {
    ("/api/v1/session/join", "name"),
    ("/api/v1/session/judge", "name"),
    ("/api/v1/competitions", "name"),
    ("/api/v1/competitions/{competition_id}/teams", "name"),
    ("/api/v1/competitions/{competition_id}/rubric/criteria", "name_en"),
    ("/api/v1/competitions/{competition_id}/rubric/criteria", "name_zh"),
    ("/api/v1/competitions/{competition_id}/rubric/criteria/{criterion_id}", "name_en"),
    ("/api/v1/competitions/{competition_id}/rubric/criteria/{criterion_id}", "name_zh"),
    ("/api/v1/competitions/{competition_id}/rubric/scores", "judge"),
}
STRINGS = {
    "name": "Fuzz", "password": "pw", "segment": "smb", "remedy": "apology", "team": "Ant",
    "preset": "classroom", "text": "hello", "reason": "busy", "name_en": "Care", "name_zh": "关怀",
    "note": "ok", "judge": "Judy",
}  # fmt: skip
SKIPPED = {("POST", "/api/v1/competitions/import")}  # an archive: tests/server/test_hostile_unicode.py


@dataclass(frozen=True)
class Target:
    method: str
    path: str
    place: str  # body (a value), key (of an object of any keys), path, query, csv
    field: str  # dotted path in the body, or the parameter's name

    def __repr__(self) -> str:
        return f"{self.method} {self.path} {self.place}:{self.field}"


class Schema:
    """The app's OpenAPI schema, read for what carries text and what a valid body looks like."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        options = [self.resolve(s) for s in schema.get("anyOf", []) if s.get("type") != "null"]
        return options[0] if options else schema

    def example(self, schema: dict[str, Any], name: str = "") -> Any:
        """A plain valid value: required properties only, the first choice, the lowest number."""
        schema = self.resolve(schema)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "object":
            required = schema.get("required", [])
            return {k: self.example(v, k) for k, v in schema.get("properties", {}).items() if k in required}
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
            return max(low, 1) if low <= schema.get("maximum", 10**9) else low
        return {"string": STRINGS.get(name, "x"), "boolean": False, "array": []}.get(kind)  # type: ignore[arg-type]

    def texts(self, schema: dict[str, Any], where: str = "") -> list[tuple[str, str]]:
        """(place, dotted path) of every text in a body: string values, and keys of free objects."""
        schema = self.resolve(schema)
        out: list[tuple[str, str]] = []
        if schema.get("type") == "string" or ("enum" in schema and isinstance(schema["enum"][0], str)):
            out.append(("body", where))
        elif schema.get("type") == "object":
            for key, value in schema.get("properties", {}).items():
                out += self.texts(value, f"{where}.{key}" if where else key)
            if schema.get("additionalProperties") not in (None, False) and where:
                out += [("key", where), ("body", f"{where}.segments.smb.share")]
        return out

    def targets(self) -> list[Target]:
        found = []
        for path, operations in self.document["paths"].items():
            for method, operation in operations.items():
                if (method.upper(), path) in SKIPPED:
                    continue
                integers = {
                    p["name"]
                    for p in operation.get("parameters", [])
                    if self.resolve(p.get("schema", {})).get("type") == "integer"
                }
                for name in PARAMETER.findall(path):
                    if name not in integers:
                        found.append(Target(method.upper(), path, "path", name))
                for p in operation.get("parameters", []):
                    if p["in"] == "query" and self.resolve(p["schema"]).get("type") == "string":
                        found.append(Target(method.upper(), path, "query", p["name"]))
                content = operation.get("requestBody", {}).get("content", {})
                if "application/json" in content:
                    for place, where in self.texts(content["application/json"]["schema"]):
                        found.append(Target(method.upper(), path, place, where))
                if "text/csv" in content:
                    found.append(Target(method.upper(), path, "csv", "body"))
        return found

    def body(self, target: Target) -> Any:
        content = self.document["paths"][target.path][target.method.lower()].get("requestBody", {})
        schema = content.get("content", {}).get("application/json", {}).get("schema")
        return None if schema is None else self.example(schema)


def _set(body: dict[str, Any], where: str, value: Any) -> None:
    """Set a dotted path; ``overrides.segments.smb.share`` is one key under ``overrides``."""
    head, _dot, rest = where.partition(".")
    if rest and head in ("overrides", "changes"):
        body.setdefault(head, {})[rest] = value
    elif rest:
        _set(body.setdefault(head, {}), rest, value)
    else:
        body[head] = value


@dataclass
class Arena:
    client: TestClient
    game: Game
    member: Headers
    values: dict[str, str]  # real path values
    bodies: dict[str, dict[str, Any]]  # real body values by path


def _arena(client: TestClient) -> Arena:
    ins = login_instructor(client)
    game = create_competition(client, ins, teams=(("Ant", None), ("Bee", "balanced")), seconds_per_hour=0.01)
    member = join_team(client, game.codes["Ant"], "Ann")
    customer = wait_for(lambda: team_state(client, member)["customers"], what="a customer")[0]["customer_id"]
    pause(client, game)
    criterion = client.post(
        game.path("/rubric/criteria"),
        json={"name_en": "Care", "name_zh": "关怀", "max_points": 5},
        headers=ins,
    ).json()["id"]
    values = {
        "competition_id": str(game.id), "criterion_id": str(criterion), "team": "Ant", "name": "Nobody",
        "filename": "events.csv", "metric": "conversion", "preview_id": "nothing", "customer_id": customer,
        "inquiry_id": "Q1", "approval_id": "A1", "invoice_id": "I1", "complaint_id": "K1", "segment": "smb",
        "team_name": "Ant",
    }  # fmt: skip
    bodies = {
        "/api/v1/session/join": {"code": game.codes["Ant"], "role": "sales"},
        "/api/v1/session/judge": {"code": game.judge_code},
        "/api/v1/previews": {"rounds": 1, "seeds": 1},
        "/api/v1/competitions/{competition_id}/rubric/scores": {"criterion_id": criterion, "judge": "Judy"},
        "/api/v1/competitions/{competition_id}/rubric/criteria/{criterion_id}": {"max_points": 5},
    }
    return Arena(client, game, member, values, bodies)


def _send(arena: Arena, schema: Schema, target: Target, text: str) -> Any:
    values = dict(arena.values)
    query: dict[str, str] = {}
    raw_query = ""
    encoded = quote(text.encode("utf-8", "surrogatepass"), safe="")
    if target.place == "path":
        values[target.field] = encoded
    path = PARAMETER.sub(lambda m: values.get(m.group(1), "x"), target.path)
    if target.place == "query":
        raw_query = f"?{target.field}={encoded}"
    if target.path.startswith("/api/v1/team"):
        headers = dict(arena.member)
    elif target.path.startswith("/api/v1/session"):
        headers = {}
    else:
        headers = dict(arena.game.instructor)
    content: bytes | None = None
    body = schema.body(target)
    if target.place == "csv":
        content, headers["Content-Type"] = text.encode("utf-8", "surrogatepass"), "text/csv"
    elif body is not None:
        body = {**body, **arena.bodies.get(target.path, {})}
        if target.place == "body":
            _set(body, target.field, text)
        elif target.place == "key":
            _set(body, target.field, {text: 1})
        content, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    response = arena.client.request(
        target.method, path + raw_query, content=content, headers=headers, params=query
    )
    arena.client.cookies.clear()
    return response


def _check(target: Target, text: str, response: Any) -> None:
    assert response.status_code < 500, (target, text, response.status_code, response.text)
    if target.place not in ("body", "key", "csv"):
        return  # the server decodes paths and queries with replacement characters
    field = target.field.rsplit(".", 1)[-1] if target.place == "body" else target.field
    if target.place == "csv":  # sent as UTF-8: a surrogate's bytes are not UTF-8, pair or not
        bad = SURROGATE.search(text) is not None or "\x00" in text
    else:  # sent as JSON: a high and a low surrogate in a row are one character's escape
        bad = unstorable(json.loads(json.dumps(text))) is not None
    if bad:
        assert response.status_code == 422, (target, text, response.text)
        if target.place != "csv":  # the CSV as a whole is not UTF-8
            assert response.json().get("field") == target.field, (target, text, response.text)
    elif (target.path, field) in NAME_FIELDS and target.place == "body" and NAME_CONTROLS.search(text):
        detail = response.json().get("detail", "")
        assert response.status_code == 422 and f"{field}:" in detail and "U+" in detail, (
            target,
            text,
            detail,
        )


def test_arbitrary_unicode_in_every_text_field_breaks_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'salesfloor.db'}"
    app_settings = {"login_failures_per_minute": 10**9}
    with TestClient(make_app(url, **app_settings)) as client:
        arena = _arena(client)
        schema = Schema(client.app.openapi())  # type: ignore[attr-defined]
        targets = schema.targets()
        assert len(targets) > 40 and any(t.place == "key" for t in targets)

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(target=st.sampled_from(targets), text=TEXT)
        def send(target: Target, text: str) -> None:
            _check(target, text, _send(arena, schema, target, text))

        send()
        every_view_works(client, arena.game, arena.member, "Ant")
    with TestClient(make_app(url, **app_settings)) as client:  # a restart replays all that was committed
        arena.game.instructor = login_instructor(client)
        detail = every_view_works(client, arena.game, arena.member, "Ant")
        assert not detail["damaged"], detail["damaged"]


@pytest.mark.parametrize("text", ["\ud800", "x\udc00y", "\x00", "Ann\u202eLee", "Bo\nb"])
def test_the_fuzzer_s_own_checks_catch_what_it_looks_for(text: str) -> None:
    """The checks are not vacuous: the answers of the old server (a 200, a 500) fail them."""
    target = Target("POST", "/api/v1/session/join", "body", "name")

    class Answer:
        def __init__(self, status_code: int, body: dict[str, Any]) -> None:
            self.status_code, self.body, self.text = status_code, body, json.dumps(body)

        def json(self) -> dict[str, Any]:
            return self.body

    for old in (
        Answer(200, {"token": "t"}),
        Answer(500, {"detail": "the server failed", "code": "internal"}),
    ):
        with pytest.raises(AssertionError):
            _check(target, text, old)
