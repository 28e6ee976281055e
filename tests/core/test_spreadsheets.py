"""The one spreadsheet renderer, read back with openpyxl: the title row, the header, the
rows, text that never becomes a formula, the table's borders and wrapping, the shared
print layout, several sheets in one workbook, and rows streamed from a generator."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from core.spreadsheets import Sheet, as_text, column_widths, sheet_name, write_sheet, write_workbook

TITLE = "某某学院2026年信访工作台账"
HEADER = ["序号", "信访人姓名", "反映的主要问题"]


def _write(**kwargs):
    out = io.BytesIO()
    n = write_sheet(out, **{"title": TITLE, "header": HEADER, "rows": [], **kwargs})
    out.seek(0)
    return n, load_workbook(out)


def test_title_header_and_rows():
    n, book = _write(rows=[[1, "李明华", "反映期末考试成绩录入错误"], [2, "王小二", None]], name="台账")
    sheet = book.active
    assert n == 2 and sheet.title == "台账"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (TITLE, None, None)
    assert "A1:C1" in {str(r) for r in sheet.merged_cells.ranges}  # the title spans the table
    assert sheet["A1"].font.b
    assert list(rows[1]) == HEADER
    assert rows[2:] == [(1, "李明华", "反映期末考试成绩录入错误"), (2, "王小二", None)]
    assert sheet.freeze_panes == "A3"


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","点此")', "+1+1", "-2+3", "@SUM(A1)", "#N/A"])
def test_text_that_looks_like_a_formula_stays_text(value):
    _, book = _write(rows=[[1, value, "x"]])
    cell = book.active.cell(row=3, column=2)
    assert (cell.value, cell.data_type) == (value, "s")
    if value[0] in "=+-@":
        assert cell.quotePrefix  # and stays text when someone edits it


def test_numbers_and_dates_keep_their_types():
    _, book = _write(rows=[[-3, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9, 30)]])
    a, b, c = book.active[3]
    assert (a.value, a.data_type) == (-3, "n")
    assert b.value == dt.datetime(2026, 3, 1) and b.number_format == "yyyy-mm-dd"
    assert c.value == dt.datetime(2026, 3, 1, 9, 30) and c.number_format == "yyyy-mm-dd hh:mm"
    assert a.border.left.style == "thin"  # one shared style, not disturbed by the dates


def test_table_cells_have_thin_borders_and_wrap():
    _, book = _write(rows=[[1, "李明华", "很长的一段反映内容" * 10]])
    sheet = book.active
    for cell in (sheet["A2"], sheet["C2"], sheet["A3"], sheet["C3"]):
        sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
        assert all(side.style == "thin" for side in sides), cell.coordinate
        assert cell.alignment.wrap_text, cell.coordinate
    assert sheet["A2"].font.b and not sheet["A3"].font.b


def test_the_print_layout():
    _, book = _write(rows=[[1, "李明华", "x"]])
    sheet = book.active
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$2:$2"  # the header, on every printed page


def test_several_header_rows_are_all_repeated_on_print():
    header = [["基本情况", None, "办理情况"], ["序号", "信访人", "处理情况"]]
    _, book = _write(header=header, rows=[[1, "李明华", "已答复"]])
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1:3] == [("基本情况", None, "办理情况"), ("序号", "信访人", "处理情况")]
    assert sheet.print_title_rows == "$2:$3" and sheet.freeze_panes == "A4"
    assert sheet["B2"].border.top.style == "thin"  # an empty header cell is still in the table


def test_widths_given_and_fitted_to_the_header():
    _, book = _write(widths=[6, 12])
    dims = book.active.column_dimensions
    assert (dims["A"].width, dims["B"].width) == (6, 12)
    assert dims["C"].width == 16  # 反映的主要问题: 7 wide characters, 14, and a margin
    assert column_widths([["a", "很" * 40]]) == [8, 40]  # within the bounds


def test_several_sheets_in_one_workbook():
    out = io.BytesIO()
    counts = write_workbook(
        [
            Sheet("2026年度信访情况报告 · 概况", ["项目", "数值"], [["年度", 2026]], name="概况"),
            Sheet("2026年度信访情况报告 · 按渠道", ["信访渠道", "件数"], iter([["来信", 4], ["来电", 1]])),
        ],
        out,
    )
    assert counts == [1, 2]
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["概况", "2026年度信访情况报告 · 按渠道"]  # no name: the title
    assert book.worksheets[1]["A1"].value == "2026年度信访情况报告 · 按渠道"
    assert list(book.worksheets[1].iter_rows(min_row=3, values_only=True)) == [("来信", 4), ("来电", 1)]
    assert book.worksheets[1].print_title_rows == "$2:$2"


def test_a_generator_is_streamed_not_gathered(tmp_path):
    read = 0
    seen: list[tuple[int, int]] = []

    def rows():
        nonlocal read
        for i in range(1, 10_001):
            read += 1
            yield [i, f"信访人{i}", "=1+1" if i % 1000 == 0 else "内容"]

    path = tmp_path / "big.xlsx"
    n = write_sheet(str(path), title=TITLE, header=HEADER, rows=rows(), progress=lambda k: seen.append((k, read)))
    assert n == 10_000
    # each progress call comes as the row it counts is read, not after all of them were
    assert seen == [(k, k) for k in range(1000, 10_001, 1000)]
    sheet = load_workbook(path, read_only=True).active
    assert list(sheet.iter_rows(min_row=10_002, values_only=True)) == [(10_000, "信访人10000", "=1+1")]


def test_sheet_names_excel_accepts():
    assert sheet_name("教务处2026/01:03台账[草稿]") == "教务处2026_01_03台账_草稿_"
    assert len(sheet_name("很" * 40)) == 31


def test_as_text_for_a_hand_made_sheet():
    sheet = Workbook(write_only=True).create_sheet("x")
    cell = as_text(sheet, "=1+1")
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    assert as_text(sheet, "1+1") == "1+1" and as_text(sheet, 3) == 3
