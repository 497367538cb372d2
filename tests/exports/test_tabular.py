"""Tables written as CSV and XLSX: exact floats, BOM, quoting, formula guard, types and sheets."""

from __future__ import annotations

import csv
import io
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from server.exports import Table, csv_cell, guard, to_csv, to_xlsx, unguard

BOM = b"\xef\xbb\xbf"


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


def sheet_cells(data: bytes, name: str) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data))
    return [[cell.value for cell in row] for row in book[name].iter_rows()]


# --- CSV ---------------------------------------------------------------------------------------


@given(st.lists(st.floats(allow_nan=False), min_size=1, max_size=20))
def test_csv_floats_read_back_to_the_same_bits(values: list[float]) -> None:
    data = to_csv(Table("t", ("x",), tuple((v,) for v in values)))
    back = [float(row[0]) for row in parse(data)[1:]]
    assert [math.copysign(1.0, v) for v in back] == [math.copysign(1.0, v) for v in values]
    assert back == values


def test_csv_awkward_floats_are_exact() -> None:
    values = (0.1 + 0.2, 1e-300, 5e-324, 1.7976931348623157e308, -0.0, 100.0, 2.0**53 + 2, 1 / 3)
    rows = parse(to_csv(Table("t", ("x",), tuple((v,) for v in values))))[1:]
    assert tuple(float(r[0]) for r in rows) == values
    assert rows[6] == ["9007199254740994.0"]


def test_csv_starts_with_a_bom_and_uses_crlf() -> None:
    data = to_csv(Table("t", ("a", "b"), ((1, 2), (3, 4))))
    assert data.startswith(BOM)
    assert data[len(BOM) :] == b"a,b\r\n1,2\r\n3,4\r\n"


def test_csv_cells_none_bool_int_text() -> None:
    data = to_csv(Table("t", ("n", "b", "c", "i", "s"), ((None, True, False, 42, "x"),)))
    assert data[len(BOM) :].split(b"\r\n")[1] == b",true,false,42,x"
    assert csv_cell(None) == ""
    assert csv_cell(-7) == "-7"  # numbers are never guarded


def test_csv_quotes_per_rfc_4180() -> None:
    text = 'say "hi", then\r\nleave'
    data = to_csv(Table("t", ("a", "b"), ((text, "plain"),)))
    assert b'"say ""hi"", then\r\nleave",plain\r\n' in data
    assert parse(data)[1] == [text, "plain"]


def test_chinese_text_survives_csv() -> None:
    name = "销售一队 · 客户满意"
    data = to_csv(Table("t", ("团队",), ((name,),)))
    assert parse(data) == [["团队"], [name]]
    assert data.decode("utf-8-sig").splitlines()[1] == name


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")', "'=1", "''-x"]
)
def test_csv_guards_formula_like_text(text: str) -> None:
    cell = parse(to_csv(Table("t", ("a",), ((text,),))))[1][0]
    assert cell.startswith("'")
    assert cell == "'" + text
    assert unguard(cell) == text


@pytest.mark.parametrize("text", ["plain", "", "a=b", "'quoted'", "1-2", " =x"])
def test_csv_leaves_harmless_text_alone(text: str) -> None:
    assert guard(text) == text
    assert unguard(text) == text


@given(st.text())
def test_guard_is_undone_by_unguard(text: str) -> None:
    guarded = guard(text)
    assert unguard(guarded) == text
    assert not guarded[:1] or guarded[0] not in "=+-@\t\r"


def test_table_checks_its_shape_and_name() -> None:
    with pytest.raises(ValueError, match="row 0"):
        Table("t", ("a", "b"), ((1,),))
    with pytest.raises(ValueError, match="1 to 31"):
        Table("x" * 32, ("a",), ())
    with pytest.raises(ValueError, match="sheet name"):
        Table("a/b", ("a",), ())
    with pytest.raises(ValueError, match="repeats"):
        Table("t", ("a", "a"), ())
    assert Table("x" * 31, ("a",), ()).name == "x" * 31


# --- XLSX --------------------------------------------------------------------------------------


def test_xlsx_numbers_are_numeric_cells_and_none_is_empty() -> None:
    table = Table(
        "nums", ("i", "f", "b", "n", "s"), ((3, 0.1 + 0.2, True, None, "12"), (-5, -2.5, False, 7, ""))
    )
    book = load_workbook(io.BytesIO(to_xlsx([table])))
    sheet = book["nums"]
    row = list(next(sheet.iter_rows(min_row=2, max_row=2)))
    assert [c.data_type for c in row[:3]] == ["n", "n", "b"]
    assert [c.value for c in row] == [3, 0.1 + 0.2, True, None, "12"]
    assert row[4].data_type == "s"  # text that looks like a number stays text
    assert sheet_cells(to_xlsx([table]), "nums")[2] == [-5, -2.5, False, 7, None]


def test_xlsx_header_is_bold_and_frozen_with_fitted_widths() -> None:
    table = Table("s", ("team", "a_rather_long_column_name"), (("x" * 100, 1.5),))
    book = load_workbook(io.BytesIO(to_xlsx([table])))
    sheet = book["s"]
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 60  # capped
    assert sheet.column_dimensions["B"].width == len("a_rather_long_column_name") + 2


@pytest.mark.parametrize("text", ["=1+1", "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "\t=1"])
def test_xlsx_writes_formula_like_text_as_plain_strings(text: str) -> None:
    book = load_workbook(io.BytesIO(to_xlsx([Table("t", ("announcement",), ((text,),))])))
    cell = book["t"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == text


def test_xlsx_has_one_sheet_per_table_in_order() -> None:
    tables = [Table(name, ("x",), ((i,),)) for i, name in enumerate(("standings", "rounds", "events"))]
    book = load_workbook(io.BytesIO(to_xlsx(tables)))
    assert book.sheetnames == ["standings", "rounds", "events"]
    assert [book[name]["A2"].value for name in book.sheetnames] == [0, 1, 2]


def test_xlsx_rejects_no_tables_and_clashing_names() -> None:
    with pytest.raises(ValueError, match="at least one"):
        to_xlsx([])
    with pytest.raises(ValueError, match="two tables"):
        to_xlsx([Table("Events", ("x",), ()), Table("events", ("x",), ())])


def test_chinese_text_survives_xlsx() -> None:
    name = "销售一队 · 客户满意"
    table = Table("团队", ("团队名称",), ((name,),))
    book = load_workbook(io.BytesIO(to_xlsx([table])))
    assert book.sheetnames == ["团队"]
    assert [[c.value for c in row] for row in book["团队"].iter_rows()] == [["团队名称"], [name]]
    assert book["团队"].column_dimensions["A"].width == 2 * 8 + 3 + 2  # 8 wide characters, 3 narrow


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
def test_xlsx_floats_read_back_to_the_same_bits(values: list[float]) -> None:
    data = to_xlsx([Table("t", ("x",), tuple((v,) for v in values))])
    back = [row[0] for row in sheet_cells(data, "t")[1:]]
    assert all(isinstance(v, float | int) and not isinstance(v, bool) for v in back)
    assert [float(v) for v in back if isinstance(v, float | int)] == values


def test_xlsx_drops_control_characters_and_writes_non_finite_as_text() -> None:
    table = Table("t", ("s", "f", "g"), (("a\x00b\x1fc", math.inf, math.nan),))
    assert sheet_cells(to_xlsx([table]), "t")[1] == ["abc", "inf", "nan"]
