"""Where something stands in the repository: a file, a line and a column.

Rules, indicators, findings and the result lines they produce remember where they were read, so
that every deduction leads back to its line. The position travels as one value and is printed as
``path:line`` only at the edge (the JSON contract's ``"source"``, a link's title): nothing parses
that text back, so a file name holding ":" is just a name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Source:
    path: str  # repository-relative, with forward slashes
    line: int = 1
    col: int = 1  # a table's source is the start of its header line: column 1

    def __str__(self) -> str:
        """``path:line``, as the JSON contract and the pages print a source."""
        return f"{self.path}:{self.line}"
