"""Read a Word document (.docx) into paragraphs and grids, in the order they appear.

python-docx opens the package; the body is walked here at the XML level because the importer
needs what its table API hides: which cells continue a merge (``w:vMerge``, ``w:gridSpan``), and
rows with fewer cells than the grid (``w:gridBefore``). Text is read as Word shows the document
with every tracked change accepted: python-docx's ``Paragraph.text`` reads only a paragraph's own
runs and hyperlinks, so a tracked insertion (``w:ins``, ``w:moveTo``), a content control inside a
paragraph (``w:sdt``), a field (``w:fldSimple``) or a smart tag lost its text (a 分值 revised
from 0.3 to 0.4 read as empty); a tracked deletion (``w:del``, ``w:moveFrom``) and a row deleted
with changes tracked are left out. A document with tracked changes is warned about once.

Hidden text (the font's 隐藏 box, ``w:vanish``, set on the text or through its character or
paragraph style) is neither shown nor printed, so it is not read, as Excel's hidden rows are not:
it is warned about once, naming where the first is and how many places hold it.

A span is laid out as one cell per grid column, so spans and rows are held to Word's 63 columns
and the document's tables to :data:`.package.MAX_CELLS` cells: `w:gridSpan w:val="50000000"` in a
5 KB file is refused, not expanded into fifty million cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..messages import Message, msg, tr
from .package import MAX_CELLS, WORD_COLUMNS, check_package, library_error, too_large, unreadable
from .source import LEFT, UP, Block, Cell, Grid, Paragraph, clean


def read_docx(path: Path) -> tuple[list[Block], list[tuple[str, Message]]]:
    """The body's paragraphs and tables, and a warning where the first tracked change is met."""
    import docx

    check_package(path)
    try:  # the styles part too: its relationship may point outside the file (TargetMode="External")
        document = docx.Document(str(path))
        styles = document.styles.element
        body = document.element.body
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # whatever python-docx raises on a file that passed check_package is the file's
        raise library_error(path, exc) from exc
    blocks: list[Block] = []
    counts = {"p": 0, "tbl": 0}
    budget = _Budget(path)
    changes = _Changes(_hidden_styles(styles))
    for element in _body_items(body):
        tag = _local(element.tag)
        counts[tag] += 1
        if tag == "p":
            where = tr("import.where.paragraph", n=counts["p"])
            blocks.append(Paragraph(clean(_paragraph_text(element, changes, where)), where))
        else:
            blocks.append(_grid(element, tr("import.where.table", n=counts["tbl"]), budget, changes))
    warnings = [(changes.first, msg("import.tracked-changes"))] if changes.first else []
    if changes.hidden:
        warnings.append((changes.hidden[0], msg("import.hidden-text", n=len(changes.hidden))))
    return blocks, warnings


#: Tracked changes: an insertion or a move's destination is part of the accepted text, a deletion or
#: a move's source is not.
_CHANGES = frozenset({"ins", "moveTo", "del", "moveFrom"})
#: What holds no text of the accepted document: tracked deletions and properties (a property's
#: ``w:del`` marks a deleted paragraph mark, whose paragraph's own text stays).
_SKIPPED = frozenset({"del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr"})


class _Changes:
    """Where the first tracked change was met (a table row or paragraph), and the places holding
    hidden text, for one warning each; and the styles that hide their text."""

    def __init__(self, hidden_styles: frozenset[str] = frozenset()) -> None:
        self.first = ""
        self.hidden: list[str] = []
        self.hidden_styles = hidden_styles

    def met(self, where: str) -> None:
        self.first = self.first or where

    def hid(self, where: str) -> None:
        if not self.hidden or self.hidden[-1] != where:
            self.hidden.append(where)


#: How a boolean property such as ``w:vanish`` is switched off (present without ``w:val`` is on).
_OFF = frozenset({"0", "false", "off"})


def _switch(rpr: Any) -> bool | None:
    """A run properties element's ``w:vanish``: True, False (switched off), None (not set)."""
    vanish = _child(rpr, "vanish") if rpr is not None else None
    if vanish is None:
        return None
    return _attr(vanish, "val") not in _OFF


def _hidden_styles(styles: Any) -> frozenset[str]:
    """The ids of the styles whose text is hidden, by their own ``w:vanish`` or the style they are
    based on (a chain that loops counts as not hidden)."""
    own: dict[str, tuple[bool | None, str | None]] = {}
    for style in styles:
        if _local(style.tag) != "style":
            continue
        based = _child(style, "basedOn")
        parent = _attr(based, "val") if based is not None else None
        own[_attr(style, "styleId") or ""] = (_switch(_child(style, "rPr")), parent)

    def hidden(style_id: str) -> bool:
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current in own and current not in seen:
            seen.add(current)
            value, current = own[current]
            if value is not None:
                return value
        return False

    return frozenset(s for s in own if hidden(s))


def _style_of(element: Any, props: str, style: str) -> str | None:
    """The style id an element names in its properties (``w:pPr/w:pStyle``, ``w:rPr/w:rStyle``)."""
    named = _child(element, props, style)
    return _attr(named, "val") if named is not None else None


def _run_hidden(run: Any, paragraph_hidden: bool, hidden_styles: frozenset[str]) -> bool:
    """Whether a run's text is hidden: its own ``w:vanish`` wins, then its character style's, then
    its paragraph style's."""
    own = _switch(_child(run, "rPr"))
    if own is not None:
        return own
    style = _style_of(run, "rPr", "rStyle")
    if style is not None and style in hidden_styles:
        return True
    return paragraph_hidden


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


def _paragraph_text(p: Any, changes: _Changes, where: str) -> str:
    """A paragraph's text with its tracked changes accepted (see the module's docstring): the text of
    every run (python-docx's ``CT_R.text``: tabs and breaks included) under it, outside deletions."""
    from docx.oxml.text.run import CT_R

    parts: list[str] = []
    paragraph_hidden = _style_of(p, "pPr", "pStyle") in changes.hidden_styles

    def walk(element: Any) -> None:
        for child in element:
            tag = _local(child.tag)
            if tag in _CHANGES:
                changes.met(where)
            if tag in _SKIPPED:
                continue
            if isinstance(child, CT_R):
                if not _run_hidden(child, paragraph_hidden, changes.hidden_styles):
                    parts.append(child.text)
                elif child.text.strip():
                    changes.hid(where)
            elif tag != "p":  # a text box's paragraphs are not the paragraph's own text
                walk(child)

    walk(p)
    return "".join(parts)


def _cell_text(tc: Any, changes: _Changes, where: str) -> str:
    paragraphs = [el for el in tc.iter() if _local(el.tag) == "p"]
    return clean("\n".join(_paragraph_text(p, changes, where) for p in paragraphs))


def _deleted(xml_row: Any) -> bool:
    """A table row deleted with changes tracked (``w:trPr/w:del``): not in the accepted document."""
    return _child(xml_row, "trPr", "del") is not None


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


def _table_rows(parent: Any) -> list[Any]:
    """A table's rows, looking inside the content controls (a repeating section wraps its rows in
    ``w:sdt``) and custom XML around them, as Word shows them."""
    out = []
    for child in parent:
        tag = _local(child.tag)
        if tag == "tr":
            out.append(child)
        elif tag in ("sdt", "customXml"):
            content = _child(child, "sdtContent") if tag == "sdt" else child
            if content is not None:
                out.extend(_table_rows(content))
    return out


def _grid(tbl: Any, where: str, budget: _Budget, changes: _Changes) -> Grid:
    rows: list[list[Cell]] = []
    names: list[str] = []  # the rows' names by their place in the document, deleted rows counted
    for n, xml_row in enumerate(_table_rows(tbl), 1):
        row: list[Cell] = []
        row_where = tr("import.where.row", where=where, n=n)
        if _deleted(xml_row):
            changes.met(row_where)
            continue
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
                row.append(Cell(_cell_text(tc, changes, row_where)))
            row.extend(Cell(row[column].text, LEFT) for _ in range(span - 1))
        budget.spend(len(row), row_where)
        rows.append(row)
        names.append(row_where)
    width = max((len(r) for r in rows), default=0)
    budget.spend(sum(width - len(row) for row in rows), where)  # the short rows' padding
    for row in rows:
        row.extend(Cell("") for _ in range(width - len(row)))
    return Grid(rows, where, names)
