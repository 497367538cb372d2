"""The XLSX form of tables: one sheet each, a bold frozen header, fitted widths, exact floats.

See ``server.exports.tabular`` for the rules (formula text stays text, floats read back to the
last bit, non-finite floats as text). Imported on first use, to keep openpyxl out of start-up.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder

from server.exports.tabular import FORMULA_START, Table

XLSX_TEXT_MAX = 32767
"""The longest text one workbook cell holds; longer text is cut to this length."""

_WIDTH_MIN = 6
_WIDTH_MAX = 60
_WIDTH_SAMPLE = 2000
"""Rows looked at to fit a column's width (the first ones; enough for any real table)."""


def write_workbook(tables: Sequence[Table]) -> bytes:
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
    if text.startswith(tuple(FORMULA_START)):
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
