"""The text rules (server.input.text_rules) and the repair of stored JSON
(server.persistence.db.text_repair), as properties over arbitrary text: what is refused, what a name
may hold, and that a repair changes a lone surrogate and nothing else, exactly as the writer would
have written U+FFFD.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.input.text_rules import first_unstorable, name_problem
from server.persistence.db.text_repair import repair_json

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)  # lone surrogates too
DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)
WRITERS = {
    "commands (json.dumps)": lambda d: json.dumps(d),
    "events (canonical)": lambda d: json.dumps(d, sort_keys=True, separators=(",", ":")),
    "raw (ensure_ascii=False)": lambda d: json.dumps(d, ensure_ascii=False),
}


def _replaced(document: Any) -> Any:
    """The document with every surrogate code point replaced by U+FFFD (keys too)."""
    if isinstance(document, str):
        return re.sub("[\ud800-\udfff]", "\ufffd", document)
    if isinstance(document, list):
        return [_replaced(item) for item in document]
    if isinstance(document, dict):
        return {_replaced(k): _replaced(v) for k, v in document.items()}
    return document


@settings(max_examples=500, derandomize=True, database=None, deadline=None)
@given(document=DOCUMENTS, writer=st.sampled_from(sorted(WRITERS)))
def test_a_repair_is_what_the_writer_would_have_written_for_u_fffd(document: Any, writer: str) -> None:
    write = WRITERS[writer]
    stored = write(document)
    repaired = repair_json(stored)
    as_read = json.loads(stored)  # a high and a low escape in a row are one character: kept
    assert repaired == write(_replaced(as_read))
    json.dumps(json.loads(repaired), ensure_ascii=False).encode("utf-8")  # no surrogate is left
    assert repair_json(repaired) == repaired


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(document=DOCUMENTS)
def test_json_without_a_lone_surrogate_is_left_byte_for_byte(document: Any) -> None:
    clean = _replaced(document)
    for write in WRITERS.values():
        assert repair_json(write(clean)) == write(clean)


def test_escaped_backslashes_are_not_read_as_escapes() -> None:
    assert repair_json('"\\\\ud800"') == '"\\\\ud800"'  # a backslash, then the letters "ud800"
    assert repair_json('"\\\\\\ud800"') == '"\\\\\\ufffd"'  # a backslash, then an escaped surrogate
    assert repair_json('"\\uD83D\\uDE00 \\uDE00"') == '"\\uD83D\\uDE00 \\ufffd"'


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(document=DOCUMENTS)
def test_first_unstorable_finds_a_text_exactly_when_one_cannot_be_stored(document: Any) -> None:
    encodable = True
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        encodable = False
    nul = "\\u0000" in json.dumps(document)
    found = first_unstorable(document)
    assert (found is None) == (encodable and not nul)
    if found is not None:
        where, problem = found
        where.encode("utf-8")  # a path that names a key with a surrogate can itself be shown
        problem.encode("utf-8")


def test_a_refusal_names_the_field_and_the_character() -> None:
    assert first_unstorable({"a": [{"b": "ok"}, {"c": "x\udc80"}]}) == (
        "a[1].c",
        "the text holds U+DC80 (a lone surrogate) at character 2: half of a UTF-16 pair without its other "
        "half, which UTF-8 cannot encode; send valid Unicode text",
    )
    where, problem = first_unstorable({"k\ud800": 1}) or ("", "")
    assert where == "k\\ud800" and "U+D800" in problem


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Ann\nLee", ("U+000A (LINE FEED, a line break) at character 4",)),
        ("\tAnn", ("U+0009 (TAB) at character 1",)),
        ("Ann\x1b[31m", ("U+001B (ESCAPE)",)),
        ("Ann\x7f", ("U+007F (DELETE)",)),
        ("Ann\x9b", ("U+009B (a control character)",)),
        ("evil\u202egnp.exe", ("U+202E (RIGHT-TO-LEFT OVERRIDE) at character 5",)),
        ("a\u2066b", ("U+2066 (LEFT-TO-RIGHT ISOLATE)",)),
        ("a\u2029b", ("U+2029 (PARAGRAPH SEPARATOR)",)),
        ("Ann\ud800", ("U+D800 (a lone surrogate)",)),
        ("Ann\x00", ("NUL",)),
        ("   ", ("blank",)),
    ],
)
def test_a_name_problem_says_which_character_and_where(name: str, words: tuple[str, ...]) -> None:
    problem = name_problem(name)
    assert problem is not None
    for word in words:
        assert word in problem


@pytest.mark.parametrize(
    "name", ["Ann", "红队", "Zoë", "محمد", "👩‍💻", "नमस्ते", "Ann\u200dLee", "O'Neil", "<b>x</b>"]
)
def test_a_name_of_any_script_has_no_problem(name: str) -> None:
    assert name_problem(name) is None
