"""The one spreadsheet renderer: every .xlsx the app writes goes through here.

In the style of pretix's exporters, an export is a title, a header and a row generator fed
by a query; this module turns that into a workbook. openpyxl's write-only mode sends each
row to disk as it comes, so memory stays flat whatever the number of rows: the rows are
iterated once and never gathered in a list.

Every sheet has the same layout, on screen and on paper: the export's title on top
(merged across the table), the header row or rows below it, then the rows; thin borders
and wrapped text on the table's cells; landscape A4, fitted to the page's width, with the
header rows repeated on every printed page.

No cell ever becomes a formula: a string is always written as text, and one that a
spreadsheet program would take for a formula (= + - @) is marked so (quotePrefix), so
that it stays text when someone edits the cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, cast

# openpyxl (about 20 MB) is imported when a sheet is written, not when the module is:
# the URLconf reaches this module, and a process that only reverses a URL (the deadline
# scan's digest links) need not carry it.
if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles.cell_style import StyleArray

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a spreadsheet program reads as the start of a formula (OWASP, "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 8, 40
SHEET_NAME_MAX = 31  # Excel's limit
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")

Header = Sequence[str | None] | Sequence[Sequence[str | None]]


@dataclass(frozen=True)
class Sheet:
    """One sheet: `title` is the row on top (e.g. "某某学院2026年信访工作台账"), `header`
    one row of column names or a list of such rows, `rows` any iterable of rows (a
    generator is read as the sheet is written), `name` the tab (the title by default),
    `widths` the first columns' widths in characters (the rest are fitted to the header)."""

    title: str
    header: Header
    rows: Iterable[Sequence[Any]]
    name: str = ""
    widths: Sequence[float] = ()


def as_text(sheet, value: Any) -> Any:
    """`value` as one cell of a write-only `sheet` that can never be a formula: a string
    that starts with = + - @ becomes a text cell; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def write_sheet(
    out: str | IO[bytes],
    *,
    title: str,
    header: Header,
    rows: Iterable[Sequence[Any]],
    name: str = "",
    widths: Sequence[float] = (),
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write one sheet to `out` (a path or a seekable binary file); returns the number of
    rows written."""
    return write_workbook([Sheet(title, header, rows, name, widths)], out, progress=progress, every=every)[0]


def write_workbook(
    sheets: Iterable[Sheet],
    out: str | IO[bytes],
    *,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> list[int]:
    """Write the sheets, in order, to `out` (a path or a seekable binary file: openpyxl
    writes a zip). Returns the number of rows written on each sheet. `progress(n)` is
    called every `every` rows, counting across the sheets."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    counts: list[int] = []
    done = 0
    for spec in sheets:
        sheet = book.create_sheet(title=sheet_name(spec.name or spec.title))
        cell = _top(sheet, spec)
        n = 0
        for values in spec.rows:
            sheet.append([cell(value) for value in values])
            n += 1
            if progress and (done + n) % every == 0:
                progress(done + n)
        counts.append(n)
        done += n
    book.save(out)
    return counts


def sheet_name(text: str) -> str:
    """A name Excel accepts for a tab: none of []:*?/\\ and at most 31 characters."""
    return _NOT_IN_SHEET_NAMES.sub("_", text)[:SHEET_NAME_MAX].strip() or "Sheet"


def header_rows(header: Header) -> list[list[str | None]]:
    """One row of names, or several rows, as a list of rows."""
    if not header:
        return []
    if isinstance(header[0], str) or header[0] is None:
        return [list(cast(Sequence[str | None], header))]
    return [list(row) for row in cast(Sequence[Sequence[str | None]], header)]


def column_widths(header: Sequence[Sequence[str | None]], widths: Sequence[float] = ()) -> list[float]:
    """The widths given, then for each remaining column its widest header text (a Chinese
    character counts two), within MIN_WIDTH..MAX_WIDTH. The rows are not measured: they
    are streamed, and an export knows its long columns."""
    columns = max([len(widths), *(len(row) for row in header)], default=0)
    out = []
    for i in range(columns):
        if i < len(widths) and widths[i]:
            out.append(widths[i])
            continue
        text = max((display_width(row[i] or "") for row in header if i < len(row)), default=0)
        out.append(min(MAX_WIDTH, max(MIN_WIDTH, text + 2)))
    return out


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Styles:
    """The style arrays of the sheet's cells, made once. Cells share them: openpyxl only
    reads a cell's style array when it writes the cell, and the date arrays already carry
    a date format, so binding a date value does not change them."""

    def __init__(self, sheet) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap = Alignment(wrap_text=True, vertical="top")
        self.sheet = sheet
        self.title = self._make(
            font=Font(bold=True, size=14),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        self.header = self._make(
            font=Font(bold=True),
            border=box,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        self.text = self._make(border=box, alignment=wrap)
        self.guarded = self._make(border=box, alignment=wrap, quotePrefix=True)
        self.date = self._make(border=box, alignment=wrap, number_format=DATE_FORMAT)
        self.datetime = self._make(border=box, alignment=wrap, number_format=DATETIME_FORMAT)

    def _make(self, **attributes) -> StyleArray:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.sheet)
        for key, value in attributes.items():
            setattr(cell, key, value)
        return cell._style

    def cell(self, value: Any, style: StyleArray | None = None) -> WriteOnlyCell:
        """A table cell for `value`: bordered and wrapped; text stays text."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles.cell_style import StyleArray

        cell = WriteOnlyCell(self.sheet)
        if isinstance(value, str):
            cell._style = style or (self.guarded if value.startswith(FORMULA_PREFIXES) else self.text)
            cell.value = value
            cell.data_type = "s"  # never a formula, nor an error code such as "#N/A"
        elif isinstance(value, dt.datetime):
            cell._style = self.datetime
            cell.value = value
        elif isinstance(value, dt.date):
            cell._style = self.date
            cell.value = value
        else:
            style = style or self.text
            # a time or a duration sets a number format of its own: on a copy
            cell._style = StyleArray(style) if isinstance(value, dt.time | dt.timedelta) else style
            cell.value = value
        return cell


def _top(sheet, spec: Sheet) -> Callable[[Any], WriteOnlyCell]:
    """Lay the sheet out (all of it must be set before the first row is written), write
    the title row and the header rows, and return the maker of the table's cells."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    header = header_rows(spec.header)
    widths = column_widths(header, spec.widths)
    columns = len(widths)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    top = 2  # the first header row, under the title
    if columns > 1:
        sheet.merged_cells.add(f"A1:{get_column_letter(columns)}1")
    sheet.row_dimensions[1].height = 30
    if header:
        sheet.print_title_rows = f"{top}:{top + len(header) - 1}"
    sheet.freeze_panes = f"A{top + len(header)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True

    styles = _Styles(sheet)
    title = WriteOnlyCell(sheet, value=spec.title)
    title._style = styles.title
    title.data_type = "s"
    sheet.append([title])
    for row in header:
        sheet.append([styles.cell(text, styles.header) for text in row])
    return styles.cell
