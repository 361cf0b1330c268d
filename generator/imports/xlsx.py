"""Read a workbook (.xlsx) into paragraphs and grids, worksheet by worksheet.

A worksheet has no paragraphs: a row with one text (a title, a heading merged across the table,
a note under it) is read as a paragraph when it stands before or after a table, so that Word
documents and workbooks reach the layout rules in the same shape. Blank rows separate tables.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..messages import tr
from ..problems import InputError
from .source import LEFT, UP, Block, Cell, Grid, Paragraph, clean


def read_xlsx(path: Path) -> list[Block]:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(str(path), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError("import.unreadable", path=path, error=exc) from exc
    blocks: list[Block] = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        blocks.extend(_sheet_blocks(sheet))
    return blocks


def cell_text(value: Any) -> str:
    """A cell's value as written: 10 and 0.3 as people type them, never 0.30000000000000004."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean(str(value))


def _sheet_blocks(sheet: Any) -> list[Block]:
    height, width = sheet.max_row, sheet.max_column
    rows = [[Cell(cell_text(v)) for v in values] for values in sheet.iter_rows(values_only=True)]
    for row in rows:
        row.extend(Cell("") for _ in range(width - len(row)))
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        for r in range(top, min(merged.max_row, height)):
            for c in range(left, min(merged.max_col, width)):
                if (r, c) != (top, left):
                    rows[r][c] = Cell(rows[top][left].text, UP if r > top else LEFT)
    blocks: list[Block] = []
    start = 0
    for n in range(len(rows) + 1):
        if n == len(rows) or not any(c.text for c in rows[n]):
            if n > start:
                blocks.extend(_region(sheet.title, rows, start, n))
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
