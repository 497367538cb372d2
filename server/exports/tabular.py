"""Tables and their file forms: a named grid of cells written as CSV or as an XLSX workbook.

A ``Table`` is what every export is made of: a sheet name, column names and rows of plain
values (``None``, ``bool``, ``int``, ``float``, ``str``). The writers turn it into bytes:

``to_csv``
    UTF-8 with a byte-order mark (so Excel reads non-ASCII text such as Chinese correctly),
    RFC 4180 quoting, ``\\r\\n`` line ends. ``None`` is an empty cell, a bool is ``true`` or
    ``false``, an int is its decimal digits and a float is ``repr(x)``, the shortest text that
    reads back as the very same float (``float(cell) == x``), so a reader can recompute every
    figure to the last bit.
``to_xlsx``
    One sheet per table, a bold frozen header row, column widths fitted to the content,
    numbers and bools as numeric cells, ``None`` as an empty cell. A float is stored with all
    the digits of ``repr(x)``, so it too reads back as the very same float. Non-finite floats,
    which a workbook cannot hold as numbers, are written as the text ``nan``, ``inf``, ``-inf``.

Formula injection: team names, notes and announcements are user input, and a spreadsheet
runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) as a
formula. In CSV such a text cell gets a leading apostrophe; so that the guard can be undone
without ambiguity, a text that already starts with apostrophes followed by one of those
characters gets one more. A reader undoes it with :func:`unguard`: a text cell matching
``'+[=+\\-@\\t\\r]…`` loses its first apostrophe, any other text is as written. In XLSX every text
cell is stored as a plain string (cell type ``s``, never a formula), so it needs no apostrophe.
Numbers are never guarded: ``-3.5`` in a numeric column is a number, not text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

SHEET_NAME_MAX = 31
"""The longest sheet name a workbook accepts."""

_SHEET_NAME_FORBIDDEN = frozenset("[]:*?/\\")
FORMULA_START = "=+-@\t\r"
_GUARDED = re.compile(r"'*[=+\-@\t\r]")
_UNGUARD = re.compile(r"'+[=+\-@\t\r]")


@dataclass(frozen=True, slots=True)
class Table:
    """A named grid: ``name`` becomes the sheet name, every row has one value per column."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > SHEET_NAME_MAX:
            raise ValueError(f"a table name has 1 to {SHEET_NAME_MAX} characters, got {self.name!r}")
        bad = sorted(_SHEET_NAME_FORBIDDEN.intersection(self.name))
        if bad or self.name.startswith("'") or self.name.endswith("'"):
            raise ValueError(f"table name {self.name!r} has characters a sheet name cannot hold")
        if len(set(self.columns)) != len(self.columns):
            raise ValueError(f"table {self.name!r} repeats a column name")
        width = len(self.columns)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"table {self.name!r}: row {index} has {len(row)} cells for {width} columns")


def guard(text: str) -> str:
    """``text`` made safe for a CSV cell: a would-be formula gets a leading apostrophe."""
    return "'" + text if _GUARDED.match(text) else text


def unguard(text: str) -> str:
    """Inverse of :func:`guard`, for readers of the CSV files."""
    return text[1:] if _UNGUARD.match(text) else text


def csv_cell(value: object) -> str:
    """One value as CSV text (see the module docstring for the rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))  # float() first: a numpy float's repr names its type
    return guard(str(value))


def to_csv(table: Table) -> bytes:
    """The table as a CSV file: UTF-8 with BOM, RFC 4180 quoting, CRLF line ends."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([guard(name) for name in table.columns])
    writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table, in order; sheet names must differ (ignoring case).

    The writer lives in ``server.exports.workbook`` and is imported on first use: openpyxl adds
    a fifth of a second to the server's start, which a recovery after a crash should not wait for.
    """
    from server.exports.workbook import write_workbook

    return write_workbook(tables)
