"""Problems found in user input, reported all at once as ``path:line:col: message``.

Validation never stops at the first problem: a clerk fixing a file wants the whole list in one
run. Every stage appends to a shared :class:`Problems` and the CLI decides the exit code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .controlchars import one_line


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: str = "error"
    #: A stable id of the kind of problem (e.g. "evidence.symlink-outside"): what tests and scripts
    #: match on, and the key under which the message catalogue words it. Empty for older messages.
    code: str = ""

    def format(self) -> str:
        """One line, whatever the path, message or hint hold: a newline in a file name or key must
        not start a forged ``path:line:col: error`` line, nor an escape sequence reach the terminal."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return one_line(text)


@dataclass
class Problems:
    """An ordered, de-duplicated collection of problems."""

    items: list[Problem] = field(default_factory=list)
    #: What `items` holds, for de-duplication: a membership test on the list made a year with
    #: 20,000 warnings take 20 s to collect them (quadratic).
    _seen: set[Problem] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._seen.update(self.items)

    def add(
        self, path: str, line: int, col: int, message: str, hint: str = "", severity: str = "error", code: str = ""
    ) -> None:
        self.extend((Problem(path, max(line, 1), max(col, 1), message, hint, severity, code),))

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            if p not in self._seen:
                self._seen.add(p)
                self.items.append(p)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest valid choice, or listing them when nothing is close."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not options:
        return ""
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"expected one of: {shown}"


class InputError(Exception):
    """Raised for bad input found outside `kaohe check`'s collection (e.g. a bad CLI argument).

    `code` is a stable id of the kind of refusal (e.g. "site.refuse-repository"), as for :class:`Problem`.
    """

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code
