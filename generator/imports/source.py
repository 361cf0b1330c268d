"""What a Word document or a workbook holds for the importer: paragraphs and grids, in order.

Both readers produce the same blocks, so the layout rules (which row is the header, which rows
belong to one indicator) are written once. A grid cell remembers whether it continues a merged
cell, because a merge is how these documents say "this text belongs to every row it spans".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..messages import tr

#: How far a cell continues a merge: from the cell above (a vertical merge) or the one to its left.
UP = "up"
LEFT = "left"


@dataclass
class Cell:
    text: str
    merged: str | None = None  # UP, LEFT or None for a cell of its own (the top-left of a merge)
    #: A workbook cell's date: a date cell's, or a number's read as an Excel date serial (a date
    #: whose cell lost its date format shows as 40724); None in Word and for other numbers.
    date: dt.date | None = None

    @property
    def own_text(self) -> str:
        """The cell's text if the cell is its own (not the continuation of a merge)."""
        return "" if self.merged else self.text


@dataclass
class Paragraph:
    text: str
    where: str  # for messages (import.where.*): "paragraph 12", "worksheet 表1 row 3"


@dataclass
class Grid:
    rows: list[list[Cell]]
    where: str  # "table 3", "worksheet 表1"
    row_names: list[str] = field(default_factory=list)  # per row, for messages: "table 3 row 5"
    caption: str = ""  # a title to fall back on when no heading precedes the grid (a worksheet's name)
    #: The name of the cell in row n, column c, for messages (a workbook's "…第5行第5列（E5）")
    cell_names: Callable[[int, int], str] | None = None

    def row_name(self, n: int) -> str:
        return self.row_names[n] if n < len(self.row_names) else tr("import.where.row", where=self.where, n=n + 1)

    def cell_name(self, n: int, c: int) -> str:
        """Row n's cell in column c: a workbook's by its reference, a Word table's by its column."""
        if self.cell_names is not None:
            return self.cell_names(n, c)
        return tr("import.where.column", where=self.row_name(n), n=c + 1)


Block = Paragraph | Grid


#: Word's manual line break (U+000B) and page break (U+000C) and the Unicode separators end a line;
#: other control, bidi and C1 characters (see generator.controlchars) are not text and are dropped.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029\x85]")
_DROPPED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Cell text as written, without the carriage returns and trailing spaces of line ends."""
    lines = _DROPPED.sub("", _BREAKS.sub("\n", text)).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()
