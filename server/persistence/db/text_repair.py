"""Repairing stored JSON that holds a lone surrogate: each one becomes U+FFFD, the replacement character.

Before the server refused them (server.input.text_rules), a text with a lone surrogate could be
committed: the command log and the event log store JSON written with Python's default
``ensure_ascii``, so the surrogate sits there as a six-character escape (``\\ud800``) that
both databases take as plain ASCII. Read back, replayed and answered, it broke every view,
export and archive of its competition. A raw surrogate never reaches a table: sqlite3 and
psycopg refuse to encode one, and PostgreSQL refuses the bytes and the ``U&''`` or ``E''``
escapes of one.

``repair_json`` rewrites such an escape as ``\\ufffd``, exactly what the writer would have
written for U+FFFD, and leaves everything else byte for byte, so a repaired command log
replays to the repaired event log. ``JSON_COLUMNS`` lists the stored JSON the migration
repairs; ``tolerant_text`` is how SQLite connections decode text that is not UTF-8 at all
(only another program can write such bytes): with replacement characters, not an error.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Connection

ESCAPE = re.compile(
    r"(?P<pair>\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})"  # high + low: a character
    r"|(?P<lone>\\u[dD][89a-fA-F][0-9a-fA-F]{2})"  # any other surrogate escape: a lone one
    r"|(?P<raw>[\ud800-\udfff])"  # a lone surrogate written as it is
    r"|\\."  # any other escape, consumed whole so that an escaped backslash is never misread
)
REPLACEMENT = "\\ufffd"

JSON_COLUMNS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("commands", ("id",), "payload"),
    ("commands", ("id",), "reply"),
    ("events", ("competition_id", "seq"), "payload"),
    ("competitions", ("id",), "parameters"),
    ("competitions", ("id",), "scoring"),
    ("competitions", ("id",), "reveal"),
    ("competitions", ("id",), "medals"),
    ("parameter_changes", ("id",), "changes"),
    ("scoring_changes", ("id",), "scoring"),
    ("board_changes", ("id",), "detail"),
    ("round_snapshots", ("competition_id", "round"), "standings"),
)
"""(table, primary key, column) of every stored JSON document."""


def _repaired(match: re.Match[str]) -> str:
    if match.group("lone") is not None:
        return REPLACEMENT
    if match.group("raw") is not None:
        return "\ufffd"
    return match.group()


def repair_json(text: str) -> str:
    """The JSON text with every lone surrogate (escaped or raw) replaced by U+FFFD."""
    if "\\u" not in text and text.isascii():
        return text
    return ESCAPE.sub(_repaired, text)


def tolerant_text(data: bytes) -> str:
    """Text from SQLite: UTF-8, with replacement characters where the bytes are not UTF-8."""
    return data.decode("utf-8", "replace")


def repair_tables(connection: Connection) -> dict[str, int]:
    """Repair every stored JSON document holding a lone surrogate; how many, per table.column.

    Only rows whose text holds an escape that may be one (``\\ud``) are read; a row is
    written back only if its repair changed it.
    """
    repaired: dict[str, int] = {}
    for table_name, keys, column in JSON_COLUMNS:
        table = sa.table(table_name, *(sa.column(name) for name in (*keys, column)))
        text_column = table.c[column]
        query = sa.select(*(table.c[k] for k in keys), text_column).where(
            sa.func.lower(text_column).contains("\\ud", autoescape=True)
        )
        count = 0
        for row in connection.execute(query).all():
            text = row[-1]
            fixed = repair_json(text)
            if fixed != text:
                where = [table.c[k] == row[i] for i, k in enumerate(keys)]
                connection.execute(table.update().where(*where).values({column: fixed}))
                count += 1
        if count:
            repaired[f"{table_name}.{column}"] = count
    return repaired
