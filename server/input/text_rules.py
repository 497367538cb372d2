"""What text the server takes: valid Unicode that UTF-8 can encode, and names without control characters.

A Python string can hold a lone surrogate (a code point U+D800–U+DFFF not in a pair): JSON's
``"\\ud800"`` escape decodes to one, and so do the bytes of a command-line argument that are
not UTF-8. It is not a character and UTF-8 cannot encode it, so one such text, once stored,
breaks every answer, export and archive that shows it. NUL is refused too: PostgreSQL cannot
store it. ``unstorable`` says why a text is refused; ``first_unstorable`` finds the first such
text in a JSON document (keys too) and names where it is.

Names — of members, teams, competitions, judges and rubric criteria — are shown on the board,
the consoles and in exports, so they also may not hold control characters: C0 (line breaks,
tabs, escape codes), DEL, C1, the line and paragraph separators, and the bidirectional
embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder what follows
them on the screen. Letters of every script are welcome, and so are the joiners that emoji
and some scripts need. ``Name`` is that rule as a type for request models.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from server.errors import ServerError

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL and the surrogates: a surrogate left in a Python string is always a lone one."""

SURROGATE = re.compile("[\ud800-\udfff]")

NAME_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What a name may not hold besides unstorable text: C0, DEL, C1, line and paragraph
separators, bidirectional embeddings, overrides and isolates."""

_LABELS = {
    "\t": "TAB",
    "\n": "LINE FEED, a line break",
    "\r": "CARRIAGE RETURN, a line break",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE, a line break",
}


def describe(character: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: the code point and what it is."""
    code = ord(character)
    if character in _LABELS:
        label = _LABELS[character]
    elif 0xD800 <= code <= 0xDFFF:
        label = "a lone surrogate"
    else:
        label = unicodedata.name(character, "") or "a control character"
    return f"U+{code:04X} ({label})"


def unstorable(text: str) -> str | None:
    """Why the text cannot be stored (a NUL, a lone surrogate), or None."""
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "the text holds a NUL character (\\u0000); remove it"
    return (
        f"the text holds {describe(found.group())} at character {found.start() + 1}: half of a UTF-16 "
        "pair without its other half, which UTF-8 cannot encode; send valid Unicode text"
    )


def name_problem(text: str) -> str | None:
    """Why the text cannot be a name: unstorable, a control character (saying which and where), blank."""
    problem = unstorable(text)
    if problem is not None:
        return problem
    found = NAME_CONTROLS.search(text)
    if found is None:
        return None if text.strip() else "the name is blank; write a name"
    return (
        f"the name holds {describe(found.group())} at character {found.start() + 1}; names cannot hold "
        "control characters (line breaks, tabs, escape codes, text-direction controls): remove it"
    )


def printable_path(key: str) -> str:
    """A key as part of a field's path in a message: a lone surrogate shown as its escape."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def _walk(document: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every text of a JSON document (keys too), with where it is, without recursion."""
    stack = [(document, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            inner = []
            for key, value in item.items():
                place = f"{where}.{printable_path(str(key))}" if where else printable_path(str(key))
                yield place, str(key)
                inner.append((value, place))
            stack.extend(reversed(inner))  # in the document's order
        elif isinstance(item, list | tuple):
            stack.extend(reversed([(value, f"{where}[{i}]") for i, value in enumerate(item)]))


def first_unstorable(document: Any, path: str = "") -> tuple[str, str] | None:
    """Where the first text of ``document`` that cannot be stored is, and why; None if all can."""
    for where, text in _walk(document, path):
        problem = unstorable(text)
        if problem is not None:
            return where or "body", problem
    return None


def _checked_name(text: str) -> str:
    problem = name_problem(text)
    if problem is not None:
        raise PydanticCustomError("name_character", problem)
    return text


Name = Annotated[str, AfterValidator(_checked_name)]
"""A name in a request: refused with a 422 that says which character and where (see name_problem)."""


def refuse_unstorable(document: Any, path: str = "") -> None:
    """A 422 naming the field if any text of ``document`` cannot be stored; nothing if all can."""
    found = first_unstorable(document, path)
    if found is not None:
        where, problem = found
        raise ServerError("invalid", f"{where}: {problem}", field=where)
