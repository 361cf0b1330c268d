"""Read a workbook (.xlsx) into paragraphs and grids, worksheet by worksheet.

A worksheet has no paragraphs: a row with one text (a title, a heading merged across the table,
a note under it) is read as a paragraph when it stands before or after a table, so that Word
documents and workbooks reach the layout rules in the same shape. Blank rows separate tables.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter, range_boundaries

from ..messages import Message, msg, tr
from .package import MAX_CELLS, check_package, library_error, too_large, unreadable
from .source import LEFT, UP, Block, Cell, Grid, Paragraph, clean

#: Excel keeps 15 significant digits of a number and shows no more: =0.1+0.2 is saved as
#: 0.30000000000000004 and shown as 0.3.
EXCEL_DIGITS = 15


def read_xlsx(path: Path) -> tuple[list[Block], list[tuple[str, Message]]]:
    """The visible worksheets' blocks, and warnings (formulas saved without their results).

    The workbook is read with openpyxl in read-only mode, which streams cells and never lays out
    merged ranges (its normal mode makes an object for every cell a merge covers: a 5 KB file
    merging G10:XFD1048576 asks for seventeen billion). The cells' extent, the merges and the
    formulas are read here from each worksheet's XML (:class:`SheetScan`), and a sheet is laid out
    only as far as its cells hold values.
    """
    import openpyxl

    check_package(path)
    try:
        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # whatever openpyxl raises on a file that passed check_package is the file's
        raise library_error(path, exc) from exc
    blocks: list[Block] = []
    warnings: list[tuple[str, Message]] = []
    cells = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for sheet in book.worksheets:
                if sheet.sheet_state != "visible":
                    continue
                name = tr("import.where.worksheet", title=sheet.title)
                # openpyxl keeps the part's name only here; the scan needs the same part
                scan = scan_sheet(path, archive, sheet._worksheet_path, name)
                cells += scan.rows * scan.cols
                if cells > MAX_CELLS:
                    raise too_large(path, scan.far(name), msg("import.limit.extent", limit=MAX_CELLS))
                warnings.extend((_cell_name(name, r, c), msg("import.formula-uncomputed")) for r, c in scan.uncomputed)
                blocks.extend(_sheet_blocks(sheet.title, _values(path, sheet, scan), scan))
    finally:
        book.close()
    return blocks, warnings


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

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "row":
            self.row = _row_number(attrs["r"]) if "r" in attrs else self.row + 1
            self.col = 0
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


def excel_number(value: float) -> str:
    """A stored number as Excel shows it: its shortest decimal rounded to 15 significant digits."""
    exact = Decimal(repr(value))
    if exact.is_finite() and exact:
        exact = exact.quantize(Decimal(1).scaleb(exact.adjusted() - EXCEL_DIGITS + 1), rounding=ROUND_HALF_UP)
    return format(exact.normalize(), "f")


def _sheet_blocks(title: str, values: list[tuple[Any, ...]], scan: SheetScan) -> list[Block]:
    rows = [[Cell(cell_text(v)) for v in row[: scan.cols]] for row in values[: scan.rows]]
    rows.extend([] for _ in range(scan.rows - len(rows)))
    for row in rows:
        row.extend(Cell("") for _ in range(scan.cols - len(row)))
    for top, left, bottom, right in scan.merges:
        top, left = top - 1, left - 1
        if top >= scan.rows or left >= scan.cols:
            continue
        for r in range(top, min(bottom, scan.rows)):
            for c in range(left, min(right, scan.cols)):
                if (r, c) != (top, left):
                    rows[r][c] = Cell(rows[top][left].text, UP if r > top else LEFT)
    blocks: list[Block] = []
    start = 0
    for n in range(len(rows) + 1):
        if n == len(rows) or not any(c.text for c in rows[n]):
            if n > start:
                blocks.extend(_region(title, rows, start, n))
            start = n + 1
    return blocks


def _single(row: list[Cell]) -> str | None:
    """The text of a row that holds one text only (possibly merged across), else None."""
    own = [c for c in row if c.text and c.merged is None]
    if len(own) == 1 and all(not c.text or c.merged in (None, LEFT) for c in row):
        return own[0].text
    return None


def _region(title: str, rows: list[list[Cell]], start: int, end: int) -> list[Block]:
    """Rows start..end-1 (no blank row among them): leading and trailing one-text rows are paragraphs."""
    first, last = start, end
    while first < last and _single(rows[first]) is not None:
        first += 1
    while last > first and _single(rows[last - 1]) is not None:
        last -= 1
    name = tr("import.where.worksheet", title=title)
    blocks: list[Block] = [
        Paragraph(_single(rows[n]) or "", tr("import.where.row", where=name, n=n + 1)) for n in range(start, first)
    ]
    if first < last:
        blocks.append(
            Grid(
                [list(r) for r in rows[first:last]],
                tr("import.where.rows", where=name, first=first + 1, last=last),
                [tr("import.where.row", where=name, n=n + 1) for n in range(first, last)],
                caption=title,
            )
        )
    blocks.extend(
        Paragraph(_single(rows[n]) or "", tr("import.where.row", where=name, n=n + 1)) for n in range(last, end)
    )
    return blocks
