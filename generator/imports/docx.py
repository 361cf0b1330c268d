"""Read a Word document (.docx) into paragraphs and grids, in the order they appear.

python-docx opens the package; the body is walked here at the XML level because the importer
needs what its table API hides: which cells continue a merge (``w:vMerge``, ``w:gridSpan``), and
rows with fewer cells than the grid (``w:gridBefore``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..messages import tr
from ..problems import InputError
from .source import LEFT, UP, Block, Cell, Grid, Paragraph, clean


def read_docx(path: Path) -> list[Block]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError("import.unreadable", path=path, error=exc) from exc
    blocks: list[Block] = []
    counts = {"p": 0, "tbl": 0}
    for element in _body_items(document.element.body):
        tag = _local(element.tag)
        counts[tag] += 1
        if tag == "p":
            blocks.append(Paragraph(clean(_paragraph_text(element)), tr("import.where.paragraph", n=counts["p"])))
        else:
            blocks.append(_grid(element, tr("import.where.table", n=counts["tbl"])))
    return blocks


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


def _grid(tbl: Any, where: str) -> Grid:
    rows: list[list[Cell]] = []
    for xml_row in (c for c in tbl if _local(c.tag) == "tr"):
        row: list[Cell] = []
        before = _child(xml_row, "trPr", "gridBefore")
        row.extend(Cell("") for _ in range(int(_attr(before, "val") or 0) if before is not None else 0))
        for tc in (c for c in xml_row if _local(c.tag) in ("tc", "sdt")):
            if _local(tc.tag) == "sdt":  # a cell wrapped in a content control
                tc = _child(tc, "sdtContent", "tc")
                if tc is None:
                    continue
            span_el = _child(tc, "tcPr", "gridSpan")
            span = max(int(_attr(span_el, "val") or 1), 1) if span_el is not None else 1
            vmerge = _child(tc, "tcPr", "vMerge")
            continues = vmerge is not None and _attr(vmerge, "val") in (None, "continue")
            column = len(row)
            if continues and rows and column < len(rows[-1]):
                row.append(Cell(rows[-1][column].text, UP))
            else:
                row.append(Cell(_cell_text(tc)))
            row.extend(Cell(row[column].text, LEFT) for _ in range(span - 1))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        row.extend(Cell("") for _ in range(width - len(row)))
    return Grid(rows, where, [tr("import.where.row", where=where, n=n + 1) for n in range(len(rows))])
