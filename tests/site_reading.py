"""Reading a built page as a reader sees it: its tables' numbers and its main text (for the site tests)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

#: Elements whose content is not reading text: provenance one click away, styles, scripts, SVG.
SKIPPED = {"details", "style", "script", "svg", "title"}
VOID = {"br", "img", "input", "meta", "link", "hr", "col", "wbr", "source"}


def year_folder(site: Path, year: int) -> Path:
    """The folder of `year` in a built site, whichever organization's folder holds it (exactly one does)."""
    found = [p for p in site.glob(f"*/{year}") if p.is_dir()]
    assert len(found) == 1, f"{year} in {site}: {found}"
    return found[0]


def number(text: str) -> Decimal:
    """A cell's number as printed: "−0.2" (a true minus), "12" of "12按年底计" (a tag after it); a cell
    without a number ("", "—", a status word such as 不适用) counts nothing."""
    found = re.match(r"\s*([−-]?\d+(?:\.\d+)?)", text)
    return Decimal(found.group(1).replace("−", "-")) if found else Decimal(0)


@dataclass
class Cell:
    text: str
    attrs: dict[str, str]
    amounts: list[str] = field(default_factory=list)  # the score lines' amounts (.kh-amt): 扣0.2分, 少扣5分


@dataclass
class Row:
    attrs: dict[str, str]
    section: str  # thead | tbody | tfoot
    cells: list[Cell] = field(default_factory=list)

    def col(self, name: str) -> list[Cell]:
        return [c for c in self.cells if c.attrs.get("data-col") == name]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


@dataclass
class Table:
    attrs: dict[str, str]
    rows: list[Row] = field(default_factory=list)

    def body(self) -> list[Row]:
        return [r for r in self.rows if r.section == "tbody" and "kh-hidden-note" not in r.classes()]

    def foot(self, cls: str) -> Row:
        return next(r for r in self.rows if r.section == "tfoot" and cls in r.classes())


class _Tables(HTMLParser):
    """Every table of a page with the text of its cells, as a desktop shows them; the text of `.kh-of`
    ("/12", "of the maximum") is left out of a cell's number, as a reader reads "11.71/12" as 11.71,
    and so are the phone's words for a figure (`.kh-fig-words`: 扣0.4分 where a card has no header)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.stack: list[Table] = []
        self.section = "tbody"
        self.cell: Cell | None = None
        self.skip = 0  # depth inside .kh-of or a skipped element, while in a cell
        self.amount = 0  # depth inside a .kh-amt, while in a cell
        self.depth: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in VOID:
            return
        self.depth.append(tag)
        if tag == "table":
            self.stack.append(Table(a))
            self.tables.append(self.stack[-1])
        elif tag in ("thead", "tbody", "tfoot") and self.stack:
            self.section = tag
        elif tag == "tr" and self.stack:
            self.stack[-1].rows.append(Row(a, self.section))
        elif tag in ("td", "th") and self.stack and self.stack[-1].rows:
            self.cell = Cell("", a)
            self.stack[-1].rows[-1].cells.append(self.cell)
            self.skip = 0
        elif self.cell is not None and (
            self.skip or {"kh-of", "kh-fig-words"} & set(a.get("class", "").split()) or tag in SKIPPED
        ):
            self.skip += 1
        elif self.cell is not None and (self.amount or "kh-amt" in a.get("class", "").split()):
            if not self.amount:
                self.cell.amounts.append("")
            self.amount += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.depth and self.depth[-1] != tag:
            self.depth.pop()
        if self.depth:
            self.depth.pop()
        if self.cell is not None and self.skip and tag not in ("td", "th"):
            self.skip -= 1
        elif self.cell is not None and self.amount and tag not in ("td", "th"):
            self.amount -= 1
        if tag == "table" and self.stack:
            self.stack.pop()
            self.section = "tbody"
        elif tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell.text += data
            if self.amount:
                self.cell.amounts[-1] += data


def tables(html: str) -> list[Table]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


class _Text(HTMLParser):
    """The reading text of the page's article: no attributes, nothing inside SKIPPED elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        cls = dict(attrs).get("class") or ""
        if tag == "article" and "md-content__inner" in cls:
            self.inside += 1
        elif self.inside:
            if self.skip or tag in SKIPPED:
                self.skip += 1
            if tag == "article":
                self.inside += 1

    def handle_endtag(self, tag):
        if tag in VOID or not self.inside:
            return
        if self.skip:
            self.skip -= 1
        elif tag == "article":
            self.inside -= 1

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.parts.append(data)


def main_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))
