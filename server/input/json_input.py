"""JSON from files the server did not write itself, parsed within limits and refused with where.

An archive's members and a replay file come from outside: another server, an edited file, an
attacker. Python's json parser recurses once per level of nesting (a document nested 50,000
levels deep raises RecursionError), reads ``NaN``, ``Infinity`` and ``1e999`` as floats, and
builds about 25 bytes of objects for every byte of ``[[],[],…]``. ``parse_json`` refuses all
of that with a ``JsonInputError`` whose message names the place — the file, the line, the path
inside the document — and what to do: at most ``MAX_DEPTH`` levels of nesting (as for request
bodies), at most ``MAX_CONTAINERS`` objects and lists, finite numbers only, and text that can
be stored (no NUL character, no lone surrogate: PostgreSQL and UTF-8 take neither).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

MAX_JSON_DEPTH = 32
"""Deeper than any body the API takes (the deepest, a parameter override, is a handful of levels)."""
MAX_DEPTH = MAX_JSON_DEPTH
"""Levels of nesting a document may have: the same as a request body (the deepest archive
document, the scoring settings in the manifest, has four)."""
MAX_CONTAINERS = 65_536
"""Objects and lists in one document or line (an archive's largest, the rubric of a big class,
has a few thousand); counted from its brackets before parsing, so strings' brackets count too."""

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
"""A JSON string (skipped whole) or a bracket: enough to follow the nesting without parsing."""


class JsonInputError(ValueError):
    """A JSON text refused; the message says where and what is wrong."""


class _NotFinite(ValueError):
    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _NotFinite(literal)
    return value


def _no_constant(literal: str) -> float:
    raise _NotFinite(literal)


def too_deep_at(text: str, max_depth: int = MAX_DEPTH) -> int | None:
    """The offset of the first bracket nested deeper than ``max_depth`` levels, or None."""
    depth = 0
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > max_depth:
                return token.start()
        elif mark in "]}":
            depth -= 1
    return None


def _walk(document: Any) -> Iterator[tuple[str, int, Any]]:
    """Every value of a parsed document with its path and level, without recursion."""
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        item, path, level = stack.pop()
        yield path, level, item
        if isinstance(item, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k), level + 1) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, f"{path}[{i}]", level + 1) for i, v in reversed(list(enumerate(item))))


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "holds a NUL character (\\u0000)"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"holds a lone surrogate (\\u{ord(text[exc.start]):04x}), which is not text"
    return None


def _problem(document: Any) -> str | None:
    """What is wrong inside a parsed document (too deep, text that cannot be stored), naming where."""
    for path, level, item in _walk(document):
        where = path or "the document"
        if isinstance(item, dict | list) and level >= MAX_DEPTH:
            return f"{where} is nested more than {MAX_DEPTH} levels deep"
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                return f"{where} {problem}"
        elif isinstance(item, dict):
            for key in item:
                problem = _text_problem(key)
                if problem:
                    return f"{where}: the key {key!r} {problem}"
    return None


def parse_json(text: str, where: str) -> Any:
    """The JSON document in ``text``, or JsonInputError naming ``where`` (e.g. "manifest.json")."""
    brackets = text.count("[") + text.count("{")
    if brackets > MAX_CONTAINERS:
        offset = too_deep_at(text)
        if offset is not None:
            raise JsonInputError(
                f"{where} is nested more than {MAX_DEPTH} levels deep (at character {offset + 1})"
            )
        raise JsonInputError(f"{where} holds more than {MAX_CONTAINERS:,} objects and lists")
    try:
        document = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        offset = too_deep_at(text)
        at = f" (at character {offset + 1})" if offset is not None else ""
        raise JsonInputError(f"{where} is nested more than {MAX_DEPTH} levels deep{at}") from None
    except _NotFinite as exc:
        raise JsonInputError(f"{where}: {exc.literal} is not a finite number") from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(
            f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise JsonInputError(f"{where} is not valid JSON: {exc}") from None
    # a NUL or a lone surrogate needs a \u escape (raw control characters are not JSON), and
    # nesting deeper than MAX_DEPTH needs more brackets: most lines need no walk at all
    if brackets > MAX_DEPTH or "\\u" in text:
        problem = _problem(document)
        if problem is not None:
            raise JsonInputError(f"{where}: {problem}")
    return document
