"""The OpenAPI document (issue 11.4): every path parameter declared, every refusal documented.

The fuzzer (test_fuzz_openapi.py) checks the document against the server's answers; these
tests check the document's own rules, quickly and by name: the desk commands name the id in
their path, each error status refers to the one Refusal schema, throttled and unavailable
answers document Retry-After, exactly the keyed routes declare the Idempotency-Key header (and
the 409 of a key reused), and routing's own 404 and 405 answer in that shape too.
"""

from __future__ import annotations

import re
import typing
from typing import Any

import jsonschema_rs
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel

from server.api.http.keyed_paths import honours_key, room_command
from server.api.http.openapi import REFUSAL_SCHEMA
from server.live.idempotency import HEADER
from tests.server.helpers import Headers, make_app

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return make_app("sqlite://").openapi()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_every_path_parameter_is_declared(schema: dict[str, Any]) -> None:
    undeclared = []
    for method, path, operation in _operations(schema):
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        named = set(re.findall(r"{(\w+)}", path))
        if declared != named:
            undeclared.append((method, path, sorted(named - declared), sorted(declared - named)))
    assert undeclared == []


def test_every_json_body_is_strict(schema: dict[str, Any]) -> None:
    """A request body refuses fields it does not have (server/api/bodies.py's StrictBody): a
    route added later with a lax model fails here, not in a student's typo."""
    components = schema["components"]["schemas"]
    lax = []
    for method, path, operation in _operations(schema):
        content = operation.get("requestBody", {}).get("content", {})
        body = content.get("application/json", {}).get("schema")
        if body is None:
            continue
        ref = body.get("$ref", "")
        resolved = components[ref.rsplit("/", 1)[-1]] if ref else body
        if resolved.get("type") == "object" and resolved.get("additionalProperties") is not False:
            lax.append((method, path))
    assert lax == []


def test_every_body_model_is_strict() -> None:
    """Each route's body model is strict and closed (a JSON ``false`` is no integer, a typo no
    field), as server/api/bodies.py's StrictBody is — checked on the models, not the schema."""
    lax = []
    checked = 0
    for context in iter_route_contexts(make_app("sqlite://").routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or route.body_field is None:
            continue
        checked += 1
        for param in route.dependant.body_params:
            annotation = param.field_info.annotation  # a model, an optional model, or text (CSV)
            for model in typing.get_args(annotation) or (annotation,):
                if isinstance(model, type) and issubclass(model, BaseModel):
                    config = model.model_config
                    if not (config.get("strict") and config.get("extra") == "forbid"):
                        lax.append((route.path, model.__name__))
    assert checked > 20 and lax == []


def test_every_error_status_refers_to_the_refusal_schema(schema: dict[str, Any]) -> None:
    assert schema["components"]["schemas"]["Refusal"] == REFUSAL_SCHEMA
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    wrong = []
    for method, path, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            body = response["content"]["application/json"]["schema"]
            if body != {"$ref": "#/components/schemas/Refusal"}:
                wrong.append((method, path, status, body))
            retry = response.get("headers", {}).get("Retry-After", {}).get("required")
            if (int(status) in (429, 503)) != bool(retry):
                wrong.append((method, path, status, "Retry-After"))
    assert wrong == []


COMMAND_REFUSALS = {"400", "401", "403", "404", "409", "413", "422", "429", "503"}


def test_a_desk_command_documents_every_refusal_it_can_answer(schema: dict[str, Any]) -> None:
    commands = [
        (m, p, o)
        for m, p, o in _operations(schema)
        if m in ("post", "put") and "/team/" in p and p != "/api/v1/team/peer-review"  # not a desk command
    ]
    assert len(commands) == 19
    for method, path, operation in commands:
        assert set(operation["responses"]) == {"200", *COMMAND_REFUSALS}, (method, path)


def _key_header(operation: dict[str, Any]) -> dict[str, Any] | None:
    return next((p for p in operation.get("parameters", []) if p["name"] == HEADER), None)


def test_exactly_the_keyed_routes_declare_the_key_as_the_desk_does_and_its_409(
    schema: dict[str, Any],
) -> None:
    """The header is on every route keyed_paths honours and on no other; an instructor's or
    judge's route states it with the desk's description and pattern, optional, and documents the
    409 of a key used for another request."""
    desk = _key_header(schema["paths"]["/api/v1/team/inquiries/{inquiry_id}/quote"]["post"])
    assert desk is not None
    keyed = [(m, p, o) for m, p, o in _operations(schema) if _key_header(o) is not None]
    assert {(m, p) for m, p, _ in keyed} == {(m, p) for m, p, _ in _operations(schema) if honours_key(m, p)}
    rooms = [(m, p, o) for m, p, o in keyed if room_command(m, p)]
    assert len(rooms) == 25  # every POST, PUT and DELETE under /competitions and /previews
    for method, path, operation in rooms:
        header = _key_header(operation)
        assert header is not None and header["required"] is False, (method, path)
        assert header["description"] == desk["description"], (method, path)
        assert header["schema"]["pattern"] == desk["schema"]["pattern"] == "^[ -~]{1,200}$"
        assert "409" in operation["responses"] and "422" in operation["responses"], (method, path)
        assert "Idempotency-Key" in operation["responses"]["409"]["description"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/health", {"200"}),
        ("/api/v1/session", {"200", "401", "503"}),  # any role: no 403
        ("/api/v1/presets", {"200", "503"}),
        ("/api/v1/competitions/{competition_id}/public", {"200", "404", "422", "503"}),
    ],
)
def test_routes_document_only_what_they_can_answer(
    schema: dict[str, Any], path: str, expected: set[str]
) -> None:
    assert set(schema["paths"][path]["get"]["responses"]) == expected


def test_routing_refusals_have_the_refusal_shape(client: TestClient, instructor: Headers) -> None:
    validator = jsonschema_rs.validator_for(REFUSAL_SCHEMA)
    missing = client.get("/api/v1/no-such-route", headers=instructor)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    wrong_method = client.delete("/api/v1/presets", headers=instructor)
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"
    assert wrong_method.headers["Allow"] == "GET"
    for response in (missing, wrong_method):
        validator.validate(response.json())


def test_a_refusal_of_each_kind_matches_the_refusal_schema(client: TestClient, instructor: Headers) -> None:
    validator = jsonschema_rs.validator_for(REFUSAL_SCHEMA)
    refusals = [
        client.get("/api/v1/competitions"),  # 401
        client.get("/api/v1/competitions/999", headers=instructor),  # 404
        client.post("/api/v1/competitions", json={"name": "x", "seed": False}, headers=instructor),  # 422
        client.post("/api/v1/competitions", content=b"[" * 40 + b"]" * 40, headers=instructor),  # 400
    ]
    assert [r.status_code for r in refusals] == [401, 404, 422, 400]
    for response in refusals:
        validator.validate(response.json())
    assert refusals[2].json()["field"] == "seed"
