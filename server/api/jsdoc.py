"""The pages' API shapes: JSDoc typedefs generated from the OpenAPI document.

``python -m server.api.jsdoc > dashboards/static/common/api-types.js`` writes one ``@typedef``
per schema of /openapi.json (the answers of server/api/answers/, the request bodies, the
refusal), ``Event`` (any event of the log, as the answers and the channels carry it) and one
``…Answer`` per operation that answers JSON, named after its route function. A page annotates
what it fetches with them, e.g. ``/** @type {import("../common/api-types.js").TeamState} */``,
and the type checker holds the page to the server's answers; tests/server/test_api_types.py
keeps the file fresh.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from server.api.answers.events import EVENT_MODELS

HEADER = """// The API's shapes for the pages' type checks: generated from /openapi.json by
// `python -m server.api.jsdoc > dashboards/static/common/api-types.js` — do not edit by hand.
// The models live in server/api/answers/ (docs/api.md, "Answers").
"""

IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def js_type(schema: dict[str, Any]) -> str:
    """The JSDoc type of a JSON schema (as much of it as JSDoc can say)."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "const" in schema:
        return f'"{schema["const"]}"' if isinstance(schema["const"], str) else str(schema["const"]).lower()
    if "enum" in schema:
        return "(" + "|".join(f'"{v}"' if isinstance(v, str) else str(v) for v in schema["enum"]) + ")"
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return "(" + "|".join(js_type(option) for option in schema[union]) + ")"
    kind = schema.get("type")
    if kind == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(js_type(item) for item in schema["prefixItems"]) + "]"
        return f"Array<{js_type(schema.get('items', {}))}>"
    if kind == "object" or "additionalProperties" in schema:
        values = schema.get("additionalProperties")
        return f"Object<string, {js_type(values)}>" if isinstance(values, dict) else "Object<string, *>"
    return {
        "string": "string",
        "integer": "number",
        "number": "number",
        "boolean": "boolean",
        "null": "null",
    }.get(str(kind), "*")


def _comment(text: str) -> str:
    return " ".join(text.replace("*/", "* /").split())


def _typedef(name: str, schema: dict[str, Any]) -> Iterator[str]:
    yield "/**"
    if schema.get("description"):
        yield f" * {_comment(schema['description'])}"
    properties = schema.get("properties")
    if schema.get("type") != "object" or not properties:
        yield f" * @typedef {{{js_type(schema)}}} {name}"
        yield " */"
        return
    yield f" * @typedef {{Object}} {name}"
    required = set(schema.get("required", []))
    for field, spec in properties.items():
        label = field if IDENTIFIER.match(field) else f'"{field}"'
        label = label if field in required else f"[{label}]"
        description = f" - {_comment(spec['description'])}" if spec.get("description") else ""
        yield f" * @property {{{js_type(spec)}}} {label}{description}"
    yield " */"


def _answer_name(route: APIRoute) -> str:
    return "".join(part[:1].upper() + part[1:] for part in route.endpoint.__name__.split("_")) + "Answer"


def answers(app: FastAPI, document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per route that answers JSON: the name of its answer's typedef and the answer's schema."""
    out: dict[str, dict[str, Any]] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in sorted(route.methods or ()):
            operation = document["paths"][route.path_format][method.lower()]
            codes = sorted(code for code in operation["responses"] if code.startswith("2"))
            content = operation["responses"][codes[0]].get("content", {}) if codes else {}
            if "application/json" in content:
                out[_answer_name(route)] = content["application/json"]["schema"]
    return out


def typedefs(app: FastAPI) -> str:
    """The typedefs file for ``app``: its schemas, then each operation's answer."""
    document = app.openapi()
    lines = [HEADER]
    for name, schema in sorted(document["components"]["schemas"].items()):
        lines += [*_typedef(name, schema), ""]
    kinds = "|".join(model.__name__ for model in EVENT_MODELS)
    lines += [
        "/** Any event of the log: its `kind` says which fields it has.",
        f" * @typedef {{({kinds})}} Event",
        " */",
        "",
    ]
    for name, schema in sorted(answers(app, document).items()):
        lines += [f"/** @typedef {{{js_type(schema)}}} {name} */", ""]
    lines.append("export {};")
    return "\n".join(lines) + "\n"


def main() -> None:
    from server.app import create_app  # the whole app, only to read its document
    from server.settings import Settings

    settings = Settings(
        database_url="sqlite://", instructor_password="unused", secret=None, broadcast_url=None
    )
    sys.stdout.write(typedefs(create_app(settings)))


if __name__ == "__main__":
    main()
