"""Problems found in user input, reported all at once as ``path:line:col: message``.

Validation never stops at the first problem: a clerk fixing a file wants the whole list in one
run. Every stage appends to a shared :class:`Problems` and the CLI decides the exit code.

A problem is a stable code and its parameters (``evidence.symlink``, ``target='…'``); its
message and hint are worded by the catalogue (:mod:`generator.messages`) in the reader's
language when shown, so tests and scripts match codes and parameters, never wording.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .controlchars import one_line, one_line_isolated
from .messages import Message, MessageError, freeze, has, isolating, msg, tr


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    col: int
    #: A stable id of the kind of problem (e.g. "evidence.symlink"): what tests and scripts match
    #: on, and the key under which the message catalogue words it (its hint: "<code>.hint").
    code: str
    params: tuple[tuple[str, Any], ...] = ()
    severity: str = "error"

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.params)

    @property
    def message(self) -> str:
        return tr(self.code, **self.kwargs)

    @property
    def hint(self) -> str:
        """The catalogue's hint for the code, if it has one ("" when a hint's parameters leave it empty)."""
        hint_id = self.code + ".hint"
        return tr(hint_id, **self.kwargs).strip() if has(hint_id) else ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.code, repr(self.params))

    def format(self) -> str:
        """``path:line:col: 错误：…（提示：…）``, on one line whatever the path, message or hint hold: a
        newline in a file name or key must not start a forged problem line, nor an escape sequence
        reach the terminal."""
        return f"{one_line(self.path)}:{self.line}:{self.col}: {self.text()}"

    def text(self) -> str:
        """What follows `path:line:col: `: the severity, the message and its hint, on one line; each
        value in it isolated (:func:`.messages.isolating`), so a key or title in Arabic script, or
        holding a bidi override, cannot turn the wording after it around in a terminal that lays
        lines out bidirectionally."""
        with isolating():
            hint = self.hint
            text = tr("problem.format", severity=tr(f"severity.{self.severity}"), message=self.message)
            return one_line_isolated(text + (tr("problem.hint", hint=hint) if hint else ""))


@dataclass
class Problems:
    """An ordered, de-duplicated collection of problems."""

    items: list[Problem] = field(default_factory=list)
    #: What `items` holds, for de-duplication: a membership test on the list made a year with
    #: 20,000 warnings take 20 s to collect them (quadratic).
    _seen: set[Problem] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._seen.update(self.items)

    def report(self, path: str, line: int, col: int, code: str, /, *, severity: str = "error", **params: Any) -> None:
        """Report the problem `code` at `path:line:col`; `params` fill in its message and hint."""
        frozen = tuple((k, freeze(v)) for k, v in params.items())
        self.extend((Problem(path, max(line, 1), max(col, 1), code, frozen, severity),))

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            if p not in self._seen:
                self._seen.add(p)
                self.items.append(p)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items, key=Problem.sort_key))

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def did_you_mean(word: str, choices: Iterable[str]) -> Message | str:
    """A hint naming the closest valid choice, or listing them when nothing is close ("" when there are none)."""
    options = sorted(set(choices))
    same = [o for o in options if _folded(o) == _folded(word)]
    close = same[:1] or difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return msg("hint.did-you-mean", choice=close[0])
    if not options:
        return ""
    if len(options) > 12:
        return msg("hint.one-of-more", choices=options[:12])
    return msg("hint.one-of", choices=options)


def _folded(word: str) -> str:
    """A word as it reads, whatever its case or width: "DF-01" and "ｄｆ－01" spell df-01."""
    return unicodedata.normalize("NFKC", word).casefold()


class InputError(MessageError):
    """Bad input found outside `kaohe check`'s collection (a bad CLI argument, a refused folder).

    ``code`` is a stable id of the kind of refusal (e.g. "site.refuse-repository"), as for
    :class:`Problem`; ``str(error)`` words it through the catalogue.
    """
