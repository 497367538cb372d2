"""The pages' API types (dashboards/static/common/api-types.js) are what the generator makes of
today's OpenAPI document: a changed answer without a regenerated file fails here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.api.jsdoc import js_type, typedefs
from tests.server.helpers import make_app

CHECKED_IN = Path(__file__).resolve().parents[2] / "dashboards" / "static" / "common" / "api-types.js"


def test_the_checked_in_types_are_fresh() -> None:
    fresh = typedefs(make_app("sqlite://"))
    assert CHECKED_IN.read_text(encoding="utf-8") == fresh, (
        "regenerate: python -m server.api.jsdoc > dashboards/static/common/api-types.js"
    )


def test_the_pages_main_answers_are_typed() -> None:
    text = CHECKED_IN.read_text(encoding="utf-8")
    for typedef in ("TeamState", "CompetitionStatus", "Lobby", "Debrief", "Monitor"):
        assert f"}} {typedef}\n" in text, typedef
    assert "/** @typedef {TeamState} StateAnswer */\n" in text
    assert " * @typedef {(AccountCared|AnnouncementMade|" in text  # Event: any kind of event
    assert " * @property {Array<Inquiry>} inbox - open inquiries, the first to expire first\n" in text
    assert " * @property {(number|null)} [rubric]" in text  # optional: not before the start


def test_schemas_become_jsdoc_types() -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"$ref": "#/components/schemas/TeamState"}, "TeamState"),
        ({"type": "array", "items": {"type": "integer"}}, "Array<number>"),
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "(string|null)"),
        ({"type": "object", "additionalProperties": {"type": "number"}}, "Object<string, number>"),
        ({"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}]}, "[string, number]"),
        ({"const": "order_won", "type": "string"}, '"order_won"'),
        ({}, "*"),
    ]
    assert [js_type(schema) for schema, _ in cases] == [expected for _, expected in cases]
