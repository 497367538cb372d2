"""The OpenAPI document tells every refusal a route can answer, with the body the server sends.

FastAPI documents a route's success and its validation error. This module adds, per route,
each error status it can answer — worked out from what the route is made of, so a new route
is documented by the same rules:

* 401 when it needs a session (the ``identity`` dependency: no, a bad or an expired session)
  or is a login (a wrong password or code); 403 when it needs a session and lets only some
  roles through — every such route but ``GET /session`` (``ANY_ROLE``) does, by a dependency
  such as ``instructor`` or a check in its body such as ``judge_of``;
* 404 when its path names something (a competition, a team, an inquiry …), and for every
  desk command (the desk does not find what it names);
* 400 (JSON nested too deep), 413 (body too large) and 422 when it takes a body; 422 when it
  takes parameters;
* 409 for the routes in ``CONFLICTS`` (the competition's state or the desk's rules refuse),
  every desk command and every route that takes an ``Idempotency-Key`` (the key was used for
  another request, or its request has no reply yet); 429 for logins, desk commands and
  previews (``Retry-After`` says when);
* 503 for every route under ``/api/v1`` but ``/health``: the database is away or full, or
  (with several workers) the worker that owns the competitions does not answer.

The instructor's and the judges' commands (``room_command``, server.api.http.keyed_paths: the
one rule the ``KeyedCommands`` middleware follows) declare the optional ``Idempotency-Key``
header as the desk's commands do: the middleware reads it, so no route of theirs names it.

Every refusal has one shape, ``Refusal``: ``detail`` for people and ``code`` for programs,
``field`` when a request's field is wrong and ``why`` for an expired session.

A route that declares its answer's model with ``server.api.answers.documented`` (the route
itself returns a plain dict) has that model as its success schema, and only that: FastAPI
would merge it into the schema of the route's return annotation (``dict[str, Any]``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from server.api.deps import identity
from server.api.http.endpoints import COMMAND_ENDPOINTS
from server.api.http.keyed_paths import room_command
from server.live.idempotency import HEADER, KEY_DESCRIPTION, KEY_PATTERN, MAX_KEY_LENGTH

REFUSAL = "Refusal"
REFUSAL_SCHEMA: dict[str, Any] = {
    "title": REFUSAL,
    "type": "object",
    "description": "Every refusal (4xx, 503): a reason for people and a stable code for programs; "
    "nothing was changed.",
    "properties": {
        "detail": {"type": "string", "description": "what is wrong and how to fix it"},
        "code": {
            "type": "string",
            "description": "stable: unauthorized, session_expired, forbidden, not_found, conflict, "
            "insufficient_cash, credit_limit, invalid, too_deep, too_large, rate_limited, unavailable …",
        },
        "field": {"type": "string", "description": "the request's field that is wrong, when one is"},
        "why": {"type": "string", "description": "why a session expired: idle or finished"},
    },
    "required": ["detail", "code"],
}

DESCRIPTIONS = {
    400: "The JSON body is nested too deeply (code too_deep).",
    401: "No session, a wrong credential, or a session that has expired (code session_expired, with why).",
    403: "The session's role may not do this.",
    404: "What the path names does not exist (or is another team's).",
    409: "The state of the competition or of the team's business refuses it (conflict, "
    "insufficient_cash, credit_limit), or the Idempotency-Key was used for another request or its "
    "request has no reply yet (conflict, field Idempotency-Key).",
    413: "The body is larger than the server takes.",
    422: "A field or parameter is invalid; field names it.",
    429: "Too many requests: wait as long as Retry-After says.",
    503: "The database is unavailable or full, or the worker owning the competitions does not answer; "
    "nothing was changed — try again after Retry-After.",
}

COMMANDS = frozenset(command.kind for command in COMMAND_ENDPOINTS)
LOGINS = frozenset({"login_instructor", "login_judge", "join"})
CONFLICTS = frozenset(
    {
        # the competition's life: each step only from the states it follows
        "add_team", "add_teams_csv", "start", "pause", "resume", "next_round", "end",
        "change_parameters", "shock", "announce",  # instructor commands: only while it runs
        "new_join_code", "join", "login_judge",  # a finished competition takes nobody new
        "add_criterion", "change_criterion", "delete_criterion",  # the rubric once scored
        "freeze", "unfreeze", "reveal",
        # views of a competition that has not started yet
        "state", "awards", "public_awards", "explain", "explain_own", "history", "public_history",
        "report", "export",
        # the debrief and a team's round report come after a round's end; a start is planned
        # only before the start
        "class_debrief", "round_report", "plan_start",
        "rate_teammates",  # a peer review opens at the end
    }
)  # fmt: skip
"""Routes (by endpoint name) that answer 409 beyond the desk commands."""

RATE_LIMITED = LOGINS | COMMANDS | {"start_preview"}
ANY_ROLE = frozenset({"whoami"})
"""Routes that take a session of any role (no 403)."""


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def refusals(route: APIRoute, operation: dict[str, Any]) -> set[int]:
    """The error statuses ``route`` can answer (its ``operation`` in the document: parameters, body)."""
    calls = set(_calls(route.dependant))
    name = route.endpoint.__name__
    parameters = operation.get("parameters", [])
    statuses: set[int] = set()
    if identity in calls or name in LOGINS:
        statuses.add(401)
    if identity in calls and name not in ANY_ROLE:
        statuses.add(403)
    if any(p["in"] == "path" for p in parameters) or name in COMMANDS:
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413, 422}
    if parameters:
        statuses.add(422)
    if name in CONFLICTS or name in COMMANDS or any(p["name"] == HEADER for p in parameters):
        statuses.add(409)
    if name in RATE_LIMITED:
        statuses.add(429)
    if route.path.startswith("/api/v1/") and route.path != "/api/v1/health":
        statuses.add(503)
    return statuses


KEY_PARAMETER: dict[str, Any] = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": KEY_DESCRIPTION,
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN, "title": HEADER},
}
"""The header on an instructor's or judge's command: the desk's description and pattern."""


def _declare_key(method: str, path: str, operation: dict[str, Any]) -> None:
    """Declare the ``Idempotency-Key`` header on a route the ``KeyedCommands`` middleware keys."""
    parameters = operation.setdefault("parameters", [])
    if room_command(method, path) and not any(p["name"] == HEADER for p in parameters):
        parameters.append(KEY_PARAMETER)


def _response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{REFUSAL}"}}},
    }
    if status in (429, 503):
        response["headers"] = {
            "Retry-After": {
                "description": "seconds to wait before trying again",
                "required": True,
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
            }
        }
    return response


def _declared(schema: dict[str, Any]) -> dict[str, Any]:
    """The declared model's schema out of FastAPI's merge with the return annotation's."""
    if "$ref" in schema:
        return {"$ref": schema["$ref"]}
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return {"type": "array", "items": _declared(schema["items"])}
    return schema


def _keep_declared(route: APIRoute, responses: dict[str, Any]) -> None:
    for status, declared in route.responses.items():
        if "model" not in declared or str(status) not in responses:
            continue
        content = responses[str(status)].get("content", {}).get("application/json")
        if content is not None:
            content["schema"] = _declared(content["schema"])


def document(app: FastAPI) -> None:
    """Make ``app.openapi()`` document every refusal (see the module's docstring)."""
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = default_openapi()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components[REFUSAL] = REFUSAL_SCHEMA
        for context in iter_route_contexts(app.routes):
            route = context.original_route
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            path = schema["paths"].get(route.path_format)
            if path is None:
                continue
            for method in route.methods or ():
                operation = path.get(method.lower())
                if operation is None:
                    continue
                _declare_key(method, route.path_format, operation)
                responses = operation.setdefault("responses", {})
                _keep_declared(route, responses)
                for status in sorted(refusals(route, operation)):
                    responses[str(status)] = _response(status)
                operation["responses"] = dict(sorted(responses.items()))
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
