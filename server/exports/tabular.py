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
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder

SHEET_NAME_MAX = 31
"""The longest sheet name a workbook accepts."""

XLSX_TEXT_MAX = 32767
"""The longest text one workbook cell holds; longer text is cut to this length."""

_SHEET_NAME_FORBIDDEN = frozenset("[]:*?/\\")
_FORMULA_START = "=+-@\t\r"
_GUARDED = re.compile(r"'*[=+\-@\t\r]")
_UNGUARD = re.compile(r"'+[=+\-@\t\r]")
_WIDTH_MIN = 6
_WIDTH_MAX = 60
_WIDTH_SAMPLE = 2000
"""Rows looked at to fit a column's width (the first ones; enough for any real table)."""


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
    """A workbook with one sheet per table, in order; sheet names must differ (ignoring case)."""
    if not tables:
        raise ValueError("a workbook needs at least one table")
    seen: set[str] = set()
    for table in tables:
        key = table.name.casefold()
        if key in seen:
            raise ValueError(f"two tables are named {table.name!r}")
        seen.add(key)
    book = Workbook(write_only=True)
    for table in tables:
        _write_sheet(book.create_sheet(title=table.name), table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- XLSX internals ------------------------------------------------------------------------------


def _xlsx_text(text: str) -> str:
    """Text a workbook cell can hold: no control characters, at most 32767 characters."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", text)
    return cleaned[:XLSX_TEXT_MAX]


def _text_cell(sheet: WriteOnlyWorksheet, text: str, font: Font | None = None) -> Cell:
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = _xlsx_text(text)
    cell.data_type = "s"  # a plain string, even when it looks like a formula
    if font is not None:
        cell.font = font
    return cell


def _number_cell(sheet: WriteOnlyWorksheet, value: float) -> Cell:
    """A numeric cell holding ``repr(value)``, every digit of the float."""
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = repr(value)
    cell.data_type = "n"  # the text is the number as the file stores it
    return cell


def _xlsx_value(sheet: WriteOnlyWorksheet, value: object) -> object:
    """What to append for one value: numbers as numeric cells, text as a plain-string cell."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        x = float(value)
        if not math.isfinite(x):
            return repr(x)
        if float(f"{x:.16g}") == x:  # openpyxl writes 16 significant digits
            return x
        return _number_cell(sheet, x)
    text = str(value)
    if text.startswith(tuple(_FORMULA_START)):
        return _text_cell(sheet, text)
    return _xlsx_text(text)


def _display_width(value: object) -> int:
    """Roughly how many character widths a value takes on screen (wide CJK counts twice)."""
    if value is None:
        return 0
    if isinstance(value, float):
        return min(len(repr(value)), 12)  # the General format shows about 11 digits
    text = str(value)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_widths(table: Table) -> list[float]:
    widths = [_display_width(name) for name in table.columns]
    for row in table.rows[:_WIDTH_SAMPLE]:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _display_width(value))
    return [float(min(_WIDTH_MAX, max(_WIDTH_MIN, w + 2))) for w in widths]


def _write_sheet(sheet: WriteOnlyWorksheet, table: Table) -> None:
    # Write-only sheets take their layout before the first row.
    # Write-only sheets have column dimensions (Worksheet._setup); the stubs do not list them.
    dimensions: DimensionHolder[str, ColumnDimension] = sheet.column_dimensions  # type: ignore[attr-defined]
    for index, width in enumerate(_column_widths(table), start=1):
        dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, name, bold) for name in table.columns])
    for row in table.rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
