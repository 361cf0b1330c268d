"""Read a Word document (.docx) into paragraphs and grids, in the order they appear.

python-docx opens the package; the body is walked here at the XML level because the importer
needs what its table API hides: which cells continue a merge (``w:vMerge``, ``w:gridSpan``), and
rows with fewer cells than the grid (``w:gridBefore``).

A span is laid out as one cell per grid column, so spans and rows are held to Word's 63 columns
and the document's tables to :data:`.package.MAX_CELLS` cells: `w:gridSpan w:val="50000000"` in a
5 KB file is refused, not expanded into fifty million cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..messages import msg, tr
from .package import MAX_CELLS, WORD_COLUMNS, check_package, library_error, too_large, unreadable
from .source import LEFT, UP, Block, Cell, Grid, Paragraph, clean


def read_docx(path: Path) -> list[Block]:
    import docx

    check_package(path)
    try:
        document = docx.Document(str(path))
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # whatever python-docx raises on a file that passed check_package is the file's
        raise library_error(path, exc) from exc
    blocks: list[Block] = []
    counts = {"p": 0, "tbl": 0}
    budget = _Budget(path)
    for element in _body_items(document.element.body):
        tag = _local(element.tag)
        counts[tag] += 1
        if tag == "p":
            blocks.append(Paragraph(clean(_paragraph_text(element)), tr("import.where.paragraph", n=counts["p"])))
        else:
            blocks.append(_grid(element, tr("import.where.table", n=counts["tbl"]), budget))
    return blocks


class _Budget:
    """The cells laid out so far, against :data:`.package.MAX_CELLS`, and the file to name in a refusal."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cells = 0

    def spend(self, cells: int, where: str) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise too_large(self.path, where, msg("import.limit.cells", limit=MAX_CELLS))

    def columns(self, element: Any, where: str, default: int) -> int:
        """A ``w:val`` count of grid columns (gridSpan, gridBefore): a number up to Word's 63."""
        value = _attr(element, "val") if element is not None else None
        if value is None:
            return default
        try:
            n = int(value)
        except ValueError:
            raise unreadable(self.path, msg("import.reason.bad-span", where=where, value=value)) from None
        if n > WORD_COLUMNS:
            raise too_large(self.path, where, msg("import.limit.columns", n=n, limit=WORD_COLUMNS))
        return max(n, default)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _body_items(parent: Any) -> list[Any]:
    """Paragraphs and tables of the body, looking inside content controls (w:sdt) as Word shows them."""
    out = []
    for child in parent:
        tag = _local(child.tag)
        if tag in ("p", "tbl"):
            out.append(child)
        elif tag == "sdt":
            for content in child:
                if _local(content.tag) == "sdtContent":
                    out.extend(_body_items(content))
    return out


def _paragraph_text(p: Any) -> str:
    from docx.text.paragraph import Paragraph as DocxParagraph

    return DocxParagraph(p, None).text


def _cell_text(tc: Any) -> str:
    paragraphs = [el for el in tc.iter() if _local(el.tag) == "p"]
    return clean("\n".join(_paragraph_text(p) for p in paragraphs))


def _attr(element: Any, name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _child(element: Any, *path: str) -> Any:
    for name in path:
        element = next((c for c in element if _local(c.tag) == name), None)
        if element is None:
            return None
    return element


def _grid(tbl: Any, where: str, budget: _Budget) -> Grid:
    rows: list[list[Cell]] = []
    for xml_row in (c for c in tbl if _local(c.tag) == "tr"):
        row: list[Cell] = []
        row_where = tr("import.where.row", where=where, n=len(rows) + 1)
        before = budget.columns(_child(xml_row, "trPr", "gridBefore"), row_where, 0)
        row.extend(Cell("") for _ in range(before))
        for tc in (c for c in xml_row if _local(c.tag) in ("tc", "sdt")):
            if _local(tc.tag) == "sdt":  # a cell wrapped in a content control
                tc = _child(tc, "sdtContent", "tc")
                if tc is None:
                    continue
            span = budget.columns(_child(tc, "tcPr", "gridSpan"), row_where, 1)
            if len(row) + span > WORD_COLUMNS:
                wide = msg("import.limit.columns", n=len(row) + span, limit=WORD_COLUMNS)
                raise too_large(budget.path, row_where, wide)
            vmerge = _child(tc, "tcPr", "vMerge")
            continues = vmerge is not None and _attr(vmerge, "val") in (None, "continue")
            column = len(row)
            if continues and rows and column < len(rows[-1]):
                row.append(Cell(rows[-1][column].text, UP))
            else:
                row.append(Cell(_cell_text(tc)))
            row.extend(Cell(row[column].text, LEFT) for _ in range(span - 1))
        budget.spend(len(row), row_where)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    budget.spend(sum(width - len(row) for row in rows), where)  # the short rows' padding
    for row in rows:
        row.extend(Cell("") for _ in range(width - len(row)))
    return Grid(rows, where, [tr("import.where.row", where=where, n=n + 1) for n in range(len(rows))])
