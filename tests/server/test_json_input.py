"""JSON from files (server/input/json_input.py): what is within the limits reads back exactly; what is
not — too deep, not finite, not storable, not JSON — is a JsonInputError that says where, and
nothing else ever escapes (no RecursionError, whatever the nesting).

Generation is derandomized: the same documents every run.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.input.json_input import MAX_CONTAINERS, MAX_DEPTH, JsonInputError, parse_json, too_deep_at

STORABLE = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8)
TRICKY = st.sampled_from(['"', "\\", "[", "]", "{", "}", "\\u2028", "\u2028", "\x85", "a"])
TEXT = STORABLE | st.lists(TRICKY, max_size=6).map("".join)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=25,
)
PROPERTY = settings(max_examples=300, derandomize=True, deadline=None)


def depth(value: Any) -> int:
    """Containers nested along the deepest path (a scalar: 0, [1]: 1)."""
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


def nest(value: Any, levels: int) -> Any:
    for level in range(levels):
        value = [value] if level % 2 else {"k": value}
    return value


@PROPERTY
@given(VALUES, st.booleans())
def test_a_document_within_the_limits_reads_back_exactly(value: Any, ascii_only: bool) -> None:
    if depth(value) > MAX_DEPTH:
        return
    assert parse_json(json.dumps(value, ensure_ascii=ascii_only), "x.json") == value


@PROPERTY
@given(VALUES, st.integers(min_value=0, max_value=MAX_DEPTH + 3))
def test_nesting_is_refused_exactly_past_the_limit_saying_so(value: Any, extra: int) -> None:
    document = nest(value, extra)
    text = json.dumps(document)
    if depth(document) <= MAX_DEPTH:
        assert parse_json(text, "x.json") == document
        assert too_deep_at(text) is None
    else:
        with pytest.raises(JsonInputError, match=f"nested more than {MAX_DEPTH} levels deep"):
            parse_json(text, "x.json")
        offset = too_deep_at(text)
        assert offset is not None and text[offset] in "[{"


@settings(max_examples=25, derandomize=True, deadline=None)
@given(st.integers(min_value=900, max_value=200_000), st.sampled_from(["[", '{"a":']))
def test_any_depth_is_a_refusal_never_a_recursion_error(levels: int, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    text = opening * levels + "1" + closing * levels
    with pytest.raises(JsonInputError, match=r"^x.json(: \S+)? is nested more than 32 levels deep"):
        parse_json(text, "x.json")


@PROPERTY
@given(st.text(max_size=60))
def test_any_text_is_read_or_refused_with_a_json_input_error(text: str) -> None:
    try:
        parse_json(text, "x.json")
    except JsonInputError as exc:
        assert str(exc).startswith("x.json")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"a": NaN}', "x.json: NaN is not a finite number"),
        ('{"a": -Infinity}', "x.json: -Infinity is not a finite number"),
        ('{"a": [1, 2e400]}', "x.json: 2e400 is not a finite number"),
        ('{"a": {"b": "x\\u0000y"}}', "x.json: a.b holds a NUL character"),
        ('{"a": ["ok", "\\udc80"]}', "x.json: a[1] holds a lone surrogate (\\udc80)"),
        ('{"a\\u0000": 1}', "x.json: the document: the key 'a\\x00' holds a NUL character"),
        ('{"a": 1,}', "x.json is not valid JSON: Expecting property name enclosed in double quotes (line 1"),
        ("", "x.json is not valid JSON: Expecting value (line 1, column 1)"),
        ("1" * 5000, "x.json is not valid JSON: Exceeds the limit"),
        (
            "[" + "{}," * MAX_CONTAINERS + "{}]",
            f"x.json holds more than {MAX_CONTAINERS:,} objects and lists",
        ),
    ],
)
def test_what_is_refused_says_what_and_where(text: str, words: str) -> None:
    with pytest.raises(JsonInputError) as refused:
        parse_json(text, "x.json")
    assert words in str(refused.value)
