"""Read a workbook (.xlsx) into paragraphs and grids, worksheet by worksheet.

A worksheet has no paragraphs: a row with one text (a title, a heading merged across the table,
a note under it) is read as a paragraph when it stands before or after a table, so that Word
documents and workbooks reach the layout rules in the same shape. Blank rows separate tables.

What Excel hides is not read, as it is neither shown nor printed: hidden worksheets, and hidden
rows and columns (a clerk hides the rows of last year's items rather than deleting them), whether
marked hidden or dragged to a height or width of 0 (``ht="0"``, ``width="0"``, which Excel shows
and prints as hidden without marking them; ``zeroHeight`` makes every row without a height of its
own so). Each is warned about where it holds text, so a clerk who hid a row only to print a
shorter page can unhide it and import again.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter, range_boundaries

from ..messages import Message, msg, tr
from ..output.xlsxmark import carries_mark
from ..problems import InputError
from .package import MAX_CELLS, check_package, library_error, too_large, unreadable
from .source import LEFT, UP, Block, Cell, Grid, Paragraph, clean

#: Excel keeps 15 significant digits of a number and shows no more: =0.1+0.2 is saved as
#: 0.30000000000000004 and shown as 0.3.
EXCEL_DIGITS = 15


def read_xlsx(path: Path) -> tuple[list[Block], list[tuple[str, Message]]]:
    """The visible worksheets' blocks, and warnings (formulas saved without their results).

    A score workbook `kaohe export` wrote (its mark, :func:`.xlsxmark.carries_mark`, survives a save
    in Excel, WPS or LibreOffice) is refused: it holds results, and read as rules its category rows
    and total row became indicators of one category, with a warning per row.

    The workbook is read with openpyxl in read-only mode, which streams cells and never lays out
    merged ranges (its normal mode makes an object for every cell a merge covers: a 5 KB file
    merging G10:XFD1048576 asks for seventeen billion). The cells' extent, the merges and the
    formulas are read here from each worksheet's XML (:class:`SheetScan`), and a sheet is laid out
    only as far as its cells hold values.
    """
    check_package(path)
    if carries_mark(path):
        raise InputError("import.score-workbook", path=path)
    from openpyxl.reader.excel import ExcelReader  # openpyxl loads only for the commands that import

    try:  # openpyxl.load_workbook, keeping the reader: it knows the worksheets it left out
        reader = ExcelReader(str(path), read_only=True, data_only=True)
        reader.read()
        book = reader.wb
        lost = _lost_sheets(reader)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # whatever openpyxl raises on a file that passed check_package is the file's
        raise library_error(path, exc) from exc
    if lost:
        book.close()
        where = tr("import.where.worksheet", title=lost[0])
        raise unreadable(path, msg("import.reason.sheet-missing", where=where))
    blocks: list[Block] = []
    warnings: list[tuple[str, Message]] = []
    cells = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for sheet in book.worksheets:
                name = tr("import.where.worksheet", title=sheet.title)
                if sheet.sheet_state != "visible":
                    warnings.append((name, msg("import.hidden-sheet")))
                    continue
                # openpyxl keeps the part's name only here; the scan needs the same part
                scan = scan_sheet(path, archive, sheet._worksheet_path, name)
                cells += scan.rows * scan.cols
                if cells > MAX_CELLS:
                    raise too_large(path, scan.far(name), msg("import.limit.extent", limit=MAX_CELLS))
                warnings.extend((_cell_name(name, r, c), msg("import.formula-uncomputed")) for r, c in scan.uncomputed)
                layout = _Layout(sheet.title, _values(path, sheet, scan), scan, book.epoch)
                warnings.extend((name, message) for message in layout.hidden_text())
                blocks.extend(layout.blocks())
    finally:
        book.close()
    return blocks, warnings


def _lost_sheets(reader: Any) -> list[str]:
    """The worksheets the workbook lists whose part is not in the file (a damaged zip, a script that
    left it out): openpyxl skips them without a word, and their tables would be missing from the
    framework while the import said it succeeded."""
    return [sheet.name for sheet, rel in reader.parser.find_sheets() if rel.target not in reader.valid_files]


def _values(path: Path, sheet: Any, scan: SheetScan) -> list[tuple[Any, ...]]:
    """The sheet's values within the scanned extent, row by row (padded to its width)."""
    if not scan.rows:
        return []
    try:
        return list(sheet.iter_rows(max_row=scan.rows, max_col=scan.cols, values_only=True))
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # a value openpyxl cannot read: a string index past the table, "abc" as a number
        raise library_error(path, exc) from exc


def _cell_name(where: str, row: int, col: int) -> str:
    return tr("import.where.cell", where=where, row=row, col=col, ref=f"{get_column_letter(col)}{row}")


@dataclass
class SheetScan:
    """What a worksheet's XML says beyond its values: how far its values reach, its merges and the
    formulas saved without a result (a workbook a script wrote; Excel and LibreOffice save both)."""

    rows: int = 0  # the last row holding a value, 0 when none does
    cols: int = 0  # the last column holding a value
    far_row: tuple[int, int] = (0, 0)  # a cell in that row, a cell in that column: named in a refusal
    far_col: tuple[int, int] = (0, 0)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # top, left, bottom, right (1-based)
    uncomputed: list[tuple[int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # first, last (1-based)

    def column_hidden(self, col: int) -> bool:
        return any(first <= col <= last for first, last in self.hidden_columns)

    def far(self, where: str) -> str:
        """The cells that set the extent, for a refusal: "工作表“表1”第1048576行第1列（A1048576）"."""
        names = [_cell_name(where, *self.far_row)]
        if self.far_col != self.far_row:
            names.append(_cell_name(where, *self.far_col))
        return tr("value.clause-separator").join(names)


class _Scanner:
    """Expat handlers over a worksheet's XML: cells (``c`` with a ``v`` or an inline ``is``), formulas
    (``f``) and merges (``mergeCell``). A row or cell without its ``r`` follows the one before it,
    as openpyxl reads it."""

    def __init__(self) -> None:
        self.scan = SheetScan()
        self.row = 0
        self.col = 0
        self.cell: tuple[int, int] | None = None
        self.value = self.formula = self.in_v = False
        self.rows_hidden_by_default = False  # sheetFormatPr zeroHeight: rows are 0 high unless given a height

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "row":
            self.row = _row_number(attrs["r"]) if "r" in attrs else self.row + 1
            self.col = 0
            if self._row_hidden(attrs):
                self.scan.hidden_rows.add(self.row)
        elif tag == "sheetFormatPr":
            self.rows_hidden_by_default = _true(attrs.get("zeroHeight"))
        elif tag == "col":
            if _true(attrs.get("hidden")) or _zero(attrs.get("width")):
                first = _row_number(attrs.get("min", "1"))
                self.scan.hidden_columns.append((first, _row_number(attrs.get("max", str(first)))))
        elif tag == "c":
            row = self.row
            if "r" in attrs:
                letters, row = coordinate_from_string(attrs["r"])
                self.col = column_index_from_string(letters)
            else:
                self.col += 1
            self.cell = (row, self.col)
            self.value = self.formula = False
        elif tag == "v":
            self.in_v = True
        elif tag == "is":
            self.value = True
        elif tag == "f":
            self.formula = True
        elif tag == "mergeCell":
            left, top, right, bottom = range_boundaries(attrs["ref"])
            self.scan.merges.append((top or 1, left or 1, bottom or 1 << 30, right or 1 << 30))

    def _row_hidden(self, attrs: dict[str, str]) -> bool:
        """Marked hidden, 0 high, or without a height of its own where rows are 0 high by default."""
        if _true(attrs.get("hidden")) or _zero(attrs.get("ht")):
            return True
        return self.rows_hidden_by_default and attrs.get("ht") is None

    def text(self, data: str) -> None:
        if self.in_v and data:
            self.value = True

    def end(self, name: str) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "v":
            self.in_v = False
        elif tag == "c" and self.cell is not None:
            row, col = self.cell
            scan = self.scan
            if self.value:
                if row > scan.rows:
                    scan.rows, scan.far_row = row, self.cell
                if col > scan.cols:
                    scan.cols, scan.far_col = col, self.cell
            elif self.formula:
                scan.uncomputed.append(self.cell)
            self.cell = None


def _true(value: str | None) -> bool:
    """An XML boolean attribute as Excel, WPS and LibreOffice write it."""
    return value in ("1", "true")


def _zero(value: str | None) -> bool:
    """A height or width of 0 ("0", "0.0"): the row or column is not shown. A value that is no
    number is none of kaohe's business here (openpyxl reads the sheet's values, not its sizes)."""
    if value is None:
        return False
    try:
        return Decimal(value) == 0
    except ArithmeticError:  # decimal.InvalidOperation
        return False


def _row_number(text: str) -> int:
    """A row's ``r`` as openpyxl reads it: "5", or "5.0" from some writers."""
    number = Decimal(text)  # InvalidOperation (a ValueError) for what is no number
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(text)
    return int(number)


def scan_sheet(path: Path, archive: zipfile.ZipFile, part: str, where: str) -> SheetScan:
    """Read a worksheet part's cells' extent, merges and uncomputed formulas (:class:`SheetScan`)."""
    scanner = _Scanner()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    try:
        with archive.open(part.lstrip("/")) as source:
            parser.ParseFile(source)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # a bad reference ("1A", "A1:"), a row number that is no number, a missing part
        raise unreadable(path, msg("import.reason.bad-sheet", where=where)) from exc
    scan = scanner.scan
    _check_merges(path, scan, where)
    return scan


def _check_merges(path: Path, scan: SheetScan, where: str) -> None:
    """Merges are laid out only within the values' extent; within it they may not overlap (Excel
    refuses to save overlapping merges), so together they cover at most the extent's cells."""
    covered = 0
    for top, left, bottom, right in scan.merges:
        covered += max(0, min(bottom, scan.rows) - top + 1) * max(0, min(right, scan.cols) - left + 1)
    if covered > scan.rows * scan.cols:
        raise unreadable(path, msg("import.reason.merges-overlap", where=where))


def cell_text(value: Any) -> str:
    """A cell's value as Excel shows it: 10 and 0.3 as people type them, a formula's 0.30000000000000004
    as 0.3 (15 significant digits, then the shortest decimal; never float arithmetic)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return excel_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean(str(value))


#: The dates a number in a workbook is read as when it stands where a date is expected (a
#: completion month): a date cell that lost its format shows its serial, 2011-06-30 as 40724. Only
#: years a rules document can name; 12 is the month, not 1900-01-12.
SERIAL_YEARS = (1980, 2099)


def cell_date(value: Any, epoch: dt.datetime) -> dt.date | None:
    """The date a cell holds: a date cell's, or a whole or fractional number's as an Excel date
    serial counted from the workbook's `epoch` (1900, or 1904 as Excel for Mac saved it) when it
    falls in :data:`SERIAL_YEARS`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    from openpyxl.utils.datetime import from_excel

    low, high = (dt.datetime(SERIAL_YEARS[0], 1, 1), dt.datetime(SERIAL_YEARS[1], 12, 31))
    if not (low - epoch).days <= value <= (high - epoch).days + 1:
        return None
    date = from_excel(value, epoch)
    return date.date() if isinstance(date, dt.datetime) else None


def excel_number(value: float) -> str:
    """A stored number as Excel shows it: its shortest decimal rounded to 15 significant digits."""
    exact = Decimal(repr(value))
    if exact.is_finite() and exact:
        exact = exact.quantize(Decimal(1).scaleb(exact.adjusted() - EXCEL_DIGITS + 1), rounding=ROUND_HALF_UP)
    return format(exact.normalize(), "f")


class _Layout:
    """A worksheet's visible cells as a grid of :class:`Cell`: its hidden rows and columns left out,
    its merges laid out over what is left (the first visible cell of a merge is its own)."""

    def __init__(self, title: str, values: list[tuple[Any, ...]], scan: SheetScan, epoch: dt.datetime) -> None:
        self.title = title
        self.scan = scan
        texts = [[cell_text(v) for v in row[: scan.cols]] for row in values[: scan.rows]]
        texts.extend([] for _ in range(scan.rows - len(texts)))
        for row in texts:
            row.extend("" for _ in range(scan.cols - len(row)))
        self.texts = texts
        self.dates = {
            (r, c): date
            for r, row in enumerate(values[: scan.rows], 1)
            for c, value in enumerate(row[: scan.cols], 1)
            if value is not None and not isinstance(value, str) and (date := cell_date(value, epoch)) is not None
        }
        self.row_numbers = [r for r in range(1, scan.rows + 1) if r not in scan.hidden_rows]
        self.col_numbers = [c for c in range(1, scan.cols + 1) if not scan.column_hidden(c)]
        self.rows = [[self._cell(r, c) for c in self.col_numbers] for r in self.row_numbers]
        for merge in scan.merges:
            self._merge(*merge)

    def _cell(self, row: int, col: int, merged: str | None = None) -> Cell:
        """The cell at worksheet row and column (1-based) with its text and date."""
        return Cell(self.texts[row - 1][col - 1], merged, self.dates.get((row, col)))

    def _merge(self, top: int, left: int, bottom: int, right: int) -> None:
        if top > self.scan.rows or left > self.scan.cols:
            return
        rows = _within(self.row_numbers, top, bottom)
        cols = _within(self.col_numbers, left, right)
        for i in rows:
            for j in cols:
                merged = None if (i, j) == (rows.start, cols.start) else UP if i > rows.start else LEFT
                self.rows[i][j] = self._cell(top, left, merged)  # the top-left's text even where it is hidden

    def hidden_text(self) -> list[Message]:
        """Warnings for the hidden rows and columns that hold text (they are not imported)."""
        rows = [r for r in sorted(self.scan.hidden_rows) if r <= self.scan.rows and any(self.texts[r - 1])]
        cols = [c for c in range(1, self.scan.cols + 1) if self.scan.column_hidden(c)]
        cols = [c for c in cols if any(row[c - 1] for row in self.texts)]
        out = []
        if rows:
            out.append(msg("import.hidden-rows", rows=_spans([str(r) for r in rows], rows)))
        if cols:
            out.append(msg("import.hidden-columns", columns=_spans([get_column_letter(c) for c in cols], cols)))
        return out

    def blocks(self) -> list[Block]:
        rows = self.rows
        blocks: list[Block] = []
        start = 0
        for n in range(len(rows) + 1):
            if n == len(rows) or not any(c.text for c in rows[n]):
                if n > start:
                    blocks.extend(self._region(start, n))
                start = n + 1
        return blocks

    def _row_name(self, n: int) -> str:
        """The name of visible row `n` by its number in the worksheet."""
        return tr("import.where.row", where=tr("import.where.worksheet", title=self.title), n=self.row_numbers[n])

    def _region(self, start: int, end: int) -> list[Block]:
        """Rows start..end-1 (no blank row among them): leading and trailing one-text rows are paragraphs."""
        rows = self.rows
        first, last = start, end
        while first < last and _single(rows[first]) is not None:
            first += 1
        while last > first and _single(rows[last - 1]) is not None:
            last -= 1
        name = tr("import.where.worksheet", title=self.title)
        blocks: list[Block] = [Paragraph(_single(rows[n]) or "", self._row_name(n)) for n in range(start, first)]
        if first < last:
            numbers = self.row_numbers
            blocks.append(
                Grid(
                    [list(r) for r in rows[first:last]],
                    tr("import.where.rows", where=name, first=numbers[first], last=numbers[last - 1]),
                    [self._row_name(n) for n in range(first, last)],
                    caption=self.title,
                    cell_names=lambda n, c: _cell_name(name, numbers[first + n], self.col_numbers[c]),
                )
            )
        blocks.extend(Paragraph(_single(rows[n]) or "", self._row_name(n)) for n in range(last, end))
        return blocks


def _within(numbers: list[int], low: int, high: int) -> range:
    """The indexes of the sorted `numbers` from `low` to `high` (the visible part of a merge)."""
    return range(bisect.bisect_left(numbers, low), bisect.bisect_right(numbers, high))


def _spans(labels: list[str], numbers: list[int]) -> str:
    """ "3、5-7" for rows 3, 5, 6, 7 (or columns C、E-G): runs of consecutive numbers shortened."""
    parts: list[str] = []
    n = 0
    while n < len(numbers):
        end = n
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        parts.append(labels[n] if end == n else f"{labels[n]}-{labels[end]}")
        n = end + 1
    return tr("value.list-separator").join(parts)


def _single(row: list[Cell]) -> str | None:
    """The text of a row that holds one text only (possibly merged across), else None."""
    own = [c for c in row if c.text and c.merged is None]
    if len(own) == 1 and all(not c.text or c.merged in (None, LEFT) for c in row):
        return own[0].text
    return None
