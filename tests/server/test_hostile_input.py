"""Hostile request bodies: oversized, deeply nested, NaN and infinities, out-of-range numbers, unknown
enum values — each refused with a 4xx whose message names what is wrong, leaving everything as it was.
Also: a bug in a route becomes a generic 500 with the traceback in the log, not in the response.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from dataclasses import MISSING, fields
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.api.http.endpoints import COMMAND_ENDPOINTS, TEAM_PREFIX
from server.api.http.request_limits import BodyLimits
from server.input.json_input import MAX_JSON_DEPTH
from teams import commands as c
from tests.server.helpers import Headers, login_instructor, make_app
from tests.server.hostile_setup import TwoTeams, refused, two_teams

MiB = 2**20
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def teams(module_client: TestClient, module_instructor: Headers) -> TwoTeams:
    return two_teams(module_client, module_instructor)


def command_path(command: type[c.Command], teams: TwoTeams) -> str:
    """The command's URL with a real path value of A's (an inquiry, a customer, a segment …)."""
    _method, path, field = COMMAND_ENDPOINTS[command]
    state = teams.state(teams.a)
    values = {
        "inquiry_id": state["inbox"][0]["inquiry_id"],
        "customer_id": state["customers"][0]["customer_id"],
        "invoice_id": "I1/Ant",
        "complaint_id": "K1/Ant",
        "approval_id": "A1/Ant",
        "segment": "smb",
    }
    if field is not None:
        path = path.replace(f"{{{field}:path}}", values[field]).replace(f"{{{field}}}", values[field])
    return TEAM_PREFIX + path


def float_fields() -> Iterator[tuple[type[c.Command], str]]:
    for command, (_method, _path, field) in COMMAND_ENDPOINTS.items():
        for f in fields(command):
            if f.type == "float" and f.name != field:
                yield command, f.name


def required_body(command: type[c.Command]) -> dict[str, Any]:
    """The smallest valid-looking body: required fields with plain values."""
    plain = {"str": "smb", "float": 1.0, "int": 1, "bool": True}
    path_field = COMMAND_ENDPOINTS[command][2]
    return {
        f.name: plain[str(f.type)]
        for f in fields(command)
        if f.default is MISSING and f.name not in ("team", "role", "member", path_field)
    }


# --- size --------------------------------------------------------------------------------------


def test_an_oversized_json_body_is_a_413_naming_the_limit(teams: TwoTeams) -> None:
    before = teams.snapshot()
    text = json.dumps({"text": "x" * (MiB + 10)})
    path = teams.client.post(TEAM_PREFIX + "/customers/C0.0/notes", content=text, headers={**teams.a, **JSON})
    refused(path, 413, "too_large", "larger than 1 MiB")
    assert teams.snapshot() == before


def test_a_chunked_body_without_a_length_is_measured_as_it_arrives(teams: TwoTeams) -> None:
    before = teams.snapshot()

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    response = teams.client.post(
        TEAM_PREFIX + "/customers/C0.0/notes",
        content=chunks(),
        headers={**teams.a, "Content-Type": "application/json"},
    )
    refused(response, 413, "too_large", "1 MiB")
    assert teams.snapshot() == before


async def _call(headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[int, bytes, bool]:
    """Drive the middleware directly: the status, the body, and whether the app behind was reached."""
    reached = False

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        nonlocal reached
        reached = True
        message = await receive()
        assert message["body"] == b"".join(chunks) and not message["more_body"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/team/campaigns", "headers": headers}
    await BodyLimits(inner, max_bytes=1024)(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), reached


def test_a_body_longer_than_its_content_length_is_cut_off_at_the_limit() -> None:
    lying = [(b"content-length", b"10"), (b"content-type", b"application/json")]
    status_code, body, reached = asyncio.run(_call(lying, [b"[" + b"1," * 300, b"1," * 300 + b"1]"]))
    assert (status_code, reached) == (413, False)
    too_large = {"detail": "the request body is larger than 1 KiB; send less", "code": "too_large"}
    assert json.loads(body) == too_large
    honest = [(b"content-length", b"5000")]
    status_code, body, reached = asyncio.run(_call(honest, [b"{}"]))
    assert (status_code, json.loads(body), reached) == (413, too_large, False)  # refused on the header
    status_code, body, reached = asyncio.run(_call([], [b'{"a":', b" 1}"]))
    assert (status_code, body, reached) == (200, b"ok", True)  # chunks under the limit pass, whole


def test_the_archive_import_keeps_its_larger_limit(
    module_client: TestClient, module_instructor: Headers
) -> None:
    data = b"PK" + b"\0" * (2 * MiB)  # over the JSON limit, far under the archive's: refused as an archive
    response = module_client.post(
        "/api/v1/competitions/import",
        content=data,
        headers={**module_instructor, "Content-Type": "application/zip"},
    )
    refused(response, 422, "invalid", "archive")


# --- depth ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100_000, MAX_JSON_DEPTH + 1])
def test_deeply_nested_json_is_a_400_not_a_recursion_error(teams: TwoTeams, depth: int) -> None:
    before = teams.snapshot()
    body = "[" * depth + "]" * depth
    response = teams.client.post(TEAM_PREFIX + "/campaigns", content=body, headers={**teams.a, **JSON})
    refused(response, 400, "too_deep", "nested too deeply", str(MAX_JSON_DEPTH))
    nested = '{"a":' * depth + "1" + "}" * depth
    response = teams.client.post(TEAM_PREFIX + "/campaigns", content=nested, headers={**teams.a, **JSON})
    refused(response, 400, "too_deep")
    assert teams.snapshot() == before


def test_json_as_deep_as_allowed_reaches_the_route(teams: TwoTeams) -> None:
    body = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    response = teams.client.post(TEAM_PREFIX + "/campaigns", content=body, headers={**teams.a, **JSON})
    refused(response, 422, "invalid", "JSON object")  # the route's own validation answers


def test_malformed_json_is_a_422_that_says_so(teams: TwoTeams) -> None:
    response = teams.client.post(
        TEAM_PREFIX + "/campaigns", content="{'budget': 1", headers={**teams.a, **JSON}
    )
    refused(response, 422, "invalid", "json")


# --- NaN and infinities ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    ["NaN", "Infinity", "-Infinity", "1e999", "1" + "0" * 400, '"NaN"', '"inf"', '"-Infinity"'],
    ids=lambda literal: literal[:12],
)
@pytest.mark.parametrize(("command", "name"), list(float_fields()), ids=lambda x: getattr(x, "kind", x))
def test_nan_and_infinities_in_a_command_are_refused_naming_the_field(
    teams: TwoTeams, command: type[c.Command], name: str, literal: str
) -> None:
    before = teams.snapshot()
    method = COMMAND_ENDPOINTS[command][0]
    body = {**required_body(command), name: "__VALUE__"}
    text = json.dumps(body).replace('"__VALUE__"', literal)
    response = teams.client.request(
        method, command_path(command, teams), content=text, headers={**teams.a, **JSON}
    )
    refused(response, 422, "invalid", name)
    assert teams.snapshot() == before


INSTRUCTOR_FLOATS = [
    ("post", "/shocks", {"shock": "demand", "segment": "*", "magnitude": "__VALUE__"}, "magnitude"),
    ("put", "/scoring", {"weights": {"conversion": "__VALUE__"}}, "weights.conversion"),
    ("put", "/freeze", {"at": "__VALUE__"}, "at"),
    ("post", "/rubric/criteria", {"name_en": "x", "name_zh": "x", "max_points": "__VALUE__"}, "max_points"),
    ("post", "/parameters", {"changes": {"segments.smb.share": "__VALUE__"}}, "segments.smb.share"),
]


@pytest.mark.parametrize("literal", ["NaN", "-Infinity", "1e999", '"nan"'])
@pytest.mark.parametrize(("method", "suffix", "body", "name"), INSTRUCTOR_FLOATS, ids=lambda x: str(x)[:20])
def test_nan_and_infinities_from_the_instructor_are_refused_naming_the_field(
    teams: TwoTeams, method: str, suffix: str, body: dict[str, Any], name: str, literal: str
) -> None:
    before = teams.snapshot()
    game = teams.game
    detail_before = teams.client.get(game.path(), headers=game.instructor).json()
    text = json.dumps(body).replace('"__VALUE__"', literal)
    response = teams.client.request(
        method, game.path(suffix), content=text, headers={**game.instructor, **JSON}
    )
    refused(response, 422, "invalid", name.rsplit(".", 1)[-1])
    assert teams.snapshot() == before
    detail_after = teams.client.get(game.path(), headers=game.instructor).json()
    assert detail_after["parameters"] == detail_before["parameters"]
    assert detail_after["freeze_t"] == detail_before["freeze_t"]


def test_a_new_competition_takes_no_nan(module_client: TestClient, module_instructor: Headers) -> None:
    listed = len(module_client.get("/api/v1/competitions", headers=module_instructor).json())
    for body, name in (
        ('{"name": "x", "seconds_per_hour": NaN}', "seconds_per_hour"),
        ('{"name": "x", "overrides": {"segments.smb.share": Infinity}}', "segments.smb.share"),
        ('{"name": "x", "overrides": {"segments.smb.share": "inf"}}', "segments.smb.share"),
    ):
        response = module_client.post(
            "/api/v1/competitions", content=body, headers={**module_instructor, **JSON}
        )
        refused(response, 422, "invalid", name)
    assert len(module_client.get("/api/v1/competitions", headers=module_instructor).json()) == listed


# --- negative and huge numbers, unknown enum values ---------------------------------------------------

OUT_OF_RANGE: list[tuple[str, str, dict[str, Any], str]] = [
    ("post", "/inquiries/{inquiry}/quote", {"installments": 10**30}, "installments"),
    ("post", "/inquiries/{inquiry}/quote", {"installments": -3}, "installments"),
    ("post", "/inquiries/{inquiry}/quote", {"discount": -0.5}, "discount"),
    ("post", "/inquiries/{inquiry}/quote", {"discount": 1e308}, "discount"),
    ("post", "/inquiries/{inquiry}/quote", {"terms_days": -1e308}, "terms_days"),
    ("post", "/inquiries/{inquiry}/quote", {"delivery_days": 1e300}, "delivery_days"),
    ("put", "/customers/{customer}/credit-limit", {"limit": -1}, "limit"),
    ("put", "/customers/{customer}/credit-limit", {"limit": 1e300}, "limit"),
    ("post", "/campaigns", {"segment": "smb", "budget": -100}, "budget"),
    ("post", "/campaigns", {"segment": "smb", "budget": 1e300}, "budget"),
    ("put", "/policies/quotes/smb", {"delay_hours": 1e12}, "delay_hours"),
    ("put", "/policies/quotes/smb", {"discount": -1}, "discount"),
    ("put", "/policies/reminders", {"days_after_due": -5}, "days_after_due"),
    ("put", "/policies/reminders", {"days_after_due": 2**70}, "days_after_due"),
]


@pytest.mark.parametrize(("method", "path", "body", "name"), OUT_OF_RANGE, ids=lambda x: str(x)[:24])
def test_negative_and_huge_numbers_in_commands_are_refused(
    teams: TwoTeams, method: str, path: str, body: dict[str, Any], name: str
) -> None:
    state = teams.state(teams.a)
    url = TEAM_PREFIX + path.format(
        inquiry=state["inbox"][0]["inquiry_id"], customer=state["customers"][0]["customer_id"]
    )
    before, logged = teams.snapshot(), teams.commands()
    response = teams.client.request(method, url, json=body, headers=teams.a)
    refused(response, 422, "invalid", name)
    assert teams.snapshot() == before
    log = teams.command_log()  # the desk refused it: logged as refused, so that a replay refuses it too
    assert len(log) == logged + 1 and log[-1]["accepted"] is False, log[-1]


UNKNOWN_ENUMS: list[tuple[str, str, dict[str, Any], tuple[str, ...]]] = [
    (
        "post",
        "/api/v1/session/join",
        {"code": "X", "name": "x", "role": "king"},
        ("role", "manager", "finance"),
    ),
    ("post", "/api/v1/competitions", {"name": "x", "preset": "bogus"}, ("bogus", "classroom", "rush")),
    ("post", "/api/v1/competitions", {"name": "x", "mode": "solo"}, ("mode", "shared", "mirrored")),
    ("post", "{game}/shocks", {"shock": "flood", "magnitude": 1}, ("shock", "demand", "recall")),
    ("put", "{game}/scoring", {"weights": {}, "normalisation": "odd"}, ("normalisation", "rank", "zscore")),
    (
        "post",
        "/api/v1/team/campaigns",
        {"segment": "aliens", "budget": 10},
        ("aliens", "smb", "key_accounts"),
    ),
    ("put", "/api/v1/team/policies/quotes/aliens", {}, ("aliens", "smb", "price_shoppers")),
    ("post", "/api/v1/previews", {"preset": "bogus"}, ("bogus", "classroom")),
]


@pytest.mark.parametrize(("method", "path", "body", "words"), UNKNOWN_ENUMS, ids=lambda x: str(x)[:30])
def test_unknown_enum_values_are_refused_listing_the_allowed_ones(
    teams: TwoTeams, method: str, path: str, body: dict[str, Any], words: tuple[str, ...]
) -> None:
    who = teams.a if path.startswith("/api/v1/team") else teams.game.instructor
    before = teams.snapshot()
    response = teams.client.request(method, path.format(game=teams.game.path()), json=body, headers=who)
    refused(response, 422, "invalid", *words)
    assert teams.snapshot() == before


# JSON of another type where the schema asks an integer, a number or a boolean (issue 11.4): lax
# validation took false as 0, "3" as 3 and 1 as true; strict bodies refuse them naming the field
WRONG_TYPES: list[tuple[str, str, dict[str, Any], str]] = [
    ("post", "/api/v1/competitions", {"name": "x", "seed": False}, "seed"),
    ("post", "/api/v1/competitions", {"name": "x", "rounds": "3"}, "rounds"),
    ("post", "/api/v1/competitions", {"name": "x", "seconds_per_hour": True}, "seconds_per_hour"),
    ("post", "/api/v1/previews", {"seeds": True}, "seeds"),
    ("post", "/api/v1/previews", {"rounds": 2.5}, "rounds"),
    ("put", "{game}/awards/medals", {"gold": False}, "gold"),
    ("put", "{game}/freeze", {"at": "5"}, "at"),
    (
        "post",
        "{game}/rubric/criteria",
        {"name_en": "a", "name_zh": "b", "max_points": 5, "per_round": 1},
        "per_round",
    ),
    ("put", "{game}/scoring", {"weights": {"profit": True}}, "weights.profit"),
    ("put", "/api/v1/team/policies/reminders", {"days_after_due": True}, "days_after_due"),
    ("post", "/api/v1/team/campaigns", {"segment": "smb", "budget": "100"}, "budget"),
    ("post", "/api/v1/team/campaigns", {"segment": 7, "budget": 100}, "segment"),
    ("post", "/api/v1/session/join", {"code": 12345678, "name": "x", "role": "sales"}, "code"),
]


@pytest.mark.parametrize(("method", "path", "body", "name"), WRONG_TYPES, ids=lambda x: str(x)[:30])
def test_a_value_of_another_json_type_is_refused_naming_the_field(
    teams: TwoTeams, method: str, path: str, body: dict[str, Any], name: str
) -> None:
    who = teams.a if path.startswith("/api/v1/team") else teams.game.instructor
    before = teams.snapshot()
    response = teams.client.request(method, path.format(game=teams.game.path()), json=body, headers=who)
    refused(response, 422, "invalid", f"{name}:")
    assert teams.snapshot() == before


@pytest.mark.parametrize(
    ("method", "path", "body", "name"),
    [
        ("post", "/api/v1/competitions", {"name": "x", "sead": 5}, "sead"),
        ("post", "/api/v1/previews", {"seeds": 2, "round": 3}, "round"),
        ("put", "{game}/scoring", {"weights": {"proft": 10}}, "weights.proft"),
        ("post", "/api/v1/session/join", {"code": "X", "name": "x", "role": "sales", "team": "Bee"}, "team"),
    ],
    ids=lambda x: str(x)[:30],
)
def test_a_field_the_body_does_not_have_is_refused_not_ignored(
    teams: TwoTeams, method: str, path: str, body: dict[str, Any], name: str
) -> None:
    before = teams.snapshot()
    url = path.format(game=teams.game.path())
    response = teams.client.request(method, url, json=body, headers=teams.game.instructor)
    refused(response, 422, "invalid", f"{name}:")
    assert response.json()["field"] == name
    assert teams.snapshot() == before


def test_an_integer_is_still_a_number() -> None:
    """JSON does not tell 1 from 1.0: an integer where a number is asked is taken."""
    from server.api.competitions import CompetitionIn

    assert CompetitionIn.model_validate({"name": "x", "seconds_per_hour": 2}).seconds_per_hour == 2.0


def test_an_unknown_remedy_is_refused_listing_the_remedies(teams: TwoTeams) -> None:
    complaints = [k for k in teams.state(teams.b)["complaints"] if k["status"] == "open"]
    assert complaints, "the recall should have brought B complaints"
    url = f"{TEAM_PREFIX}/complaints/{complaints[0]['complaint_id']}/resolve"
    before = teams.snapshot()
    response = teams.client.post(url, json={"remedy": "flowers"}, headers=teams.b)
    refused(response, 422, "invalid", "flowers", "apology", "refund")
    assert teams.snapshot() == before


# --- a bug becomes a generic 500 ----------------------------------------------------------------


def test_an_unexpected_error_is_a_generic_500_with_the_traceback_logged(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(sqlite_url)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internals: /etc/salesfloor")

    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        login_instructor(client)
        response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "the server failed on this request; the error is logged",
        "code": "internal",
    }
    assert "secret internals" not in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if r.exc_info and "GET /api/v1/boom" in r.getMessage()]
    assert logged and "secret internals" in str(logged[0].exc_info[1])


# --- text the databases cannot hold, CSV the csv module cannot read ----------------------------------


def test_text_with_a_nul_character_is_a_422_on_every_database(db_url: str) -> None:
    """PostgreSQL refuses NUL in text: it must be a 422 before it reaches the database, not a 500."""
    with TestClient(make_app(db_url)) as client:
        instructor = login_instructor(client)
        listed = client.get("/api/v1/competitions", headers=instructor).json()
        for path, body, name in (
            ("/api/v1/competitions", {"name": "cup\x00"}, "name"),
            ("/api/v1/session/join", {"code": "ABCD2345", "name": "Ann\x00", "role": "sales"}, "name"),
            ("/api/v1/session/judge", {"code": "A\x00"}, "code"),
        ):
            response = client.post(path, json=body, headers=instructor)
            refused(response, 422, "invalid", name, "NUL")
        assert client.get("/api/v1/competitions", headers=instructor).json() == listed


def test_a_bulk_csv_with_lone_carriage_returns_is_read_line_by_line(
    module_client: TestClient, module_instructor: Headers
) -> None:
    created = module_client.post("/api/v1/competitions", json={"name": "CSV cup"}, headers=module_instructor)
    path = f"/api/v1/competitions/{created.json()['id']}/teams/bulk"
    headers = {**module_instructor, "Content-Type": "text/csv"}
    response = module_client.post(path, content="Red\rBlue\r\nGreen,balanced\n", headers=headers)
    assert response.status_code == 201, response.text
    assert [(t["name"], t["bot"]) for t in response.json()] == [
        ("Red", None),
        ("Blue", None),
        ("Green", "balanced"),
    ]
    refused(module_client.post(path, content="Bad\x00Name", headers=headers), 422, "invalid", "team name")


def test_a_large_json_body_is_checked_whole(teams: TwoTeams) -> None:
    """Past 64 KiB the check runs in a worker thread; it finds a NaN at the end of a long list too."""
    values = ",".join(["1.5"] * 60_000)
    before = teams.snapshot()
    for tail, words in (("NaN", ("budget[60000]", "finite")), ("2.5", ("budget",))):
        body = '{"segment": "smb", "budget": [' + values + "," + tail + "]}"
        response = teams.client.post(TEAM_PREFIX + "/campaigns", content=body, headers={**teams.a, **JSON})
        refused(response, 422, "invalid", *words)  # finite numbers pass on: a list is still no budget
    assert teams.snapshot() == before
