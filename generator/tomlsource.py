"""TOML parsing that keeps exact decimals and remembers where every key stands.

``tomllib`` gives values but no positions, and reviewers need ``path:line:col`` for every
problem and every deduction. :func:`key_positions` is a structural scanner (it does not
interpret values) that maps each key path, e.g. ``("indicator", 3, "rule", 0, "amount")``, to
its offset; values come from the parser itself with ``parse_float=Decimal`` so that ``0.1`` is
never a binary float.

The parser is ``tomli`` 2.3, the code the standard library's ``tomllib`` was made from, in its
compiled (mypyc) build: the same TOML 1.0, the same values and messages, in about 60 % of the
time (a province's 30,000 front matters: 0.38 s against 0.62 s). Later ``tomli`` reads TOML 1.1,
which outside scripts that read these files with ``tomllib`` would refuse; hence the pin.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import tomli

#: Where a value sits in a TOML document: its keys and array indexes from the top, e.g. ("indicator", 0, "rule", 1).
KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SYNTAX_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_AT_END = "(at end of document)"


#: tomllib's messages, each as a problem code (and the parameter it names): the wording is the
#: catalogue's, in the reader's language. A message not listed is "toml.syntax", quoted as it is.
_SYNTAX_CODES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Invalid value$"), "toml.invalid-value"),
    (re.compile(r"^Invalid date or datetime$"), "toml.invalid-date"),
    (re.compile(r"^Invalid statement$"), "toml.invalid-statement"),
    (re.compile(r"^Expected newline or end of document after a statement$"), "toml.expected-newline"),
    (re.compile(r"^Expected '=' after a key in a key/value pair$"), "toml.expected-equals"),
    (re.compile(r"^Expected '\]\]?' at the end of an? (?:array|table) declaration$"), "toml.unclosed-header"),
    (re.compile(r"^Expected (?P<expected>'.*')$"), "toml.expected"),
    (re.compile(r"^Invalid initial character for a key part$"), "toml.invalid-key"),
    (re.compile(r"^(?:Found invalid|Illegal) character (?P<char>'.*')$"), "toml.invalid-character"),
    (re.compile(r"^Number too long$"), "toml.number-too-long"),
    (re.compile(r"^Date written as (?P<written>.*)$"), "toml.date-format"),
    (re.compile(r"^Number with unit (?P<number>[^|]*)\|(?P<written>.*)$"), "toml.number-with-unit"),
    (re.compile(r"^Unclosed array$"), "toml.unclosed-array"),
    (re.compile(r"^Unclosed inline table$"), "toml.unclosed-inline-table"),
    (re.compile(r"^Unterminated string$"), "toml.unterminated-string"),
    (
        re.compile(
            r"^(?:Unescaped '\\' in a string|Invalid hex value|Escaped character is not a Unicode scalar value)$"
        ),
        "toml.invalid-escape",
    ),
    (
        re.compile(
            r"^(?:Cannot overwrite a value|Cannot declare .* twice|Cannot mutate immutable namespace .*|"
            r"Cannot redefine namespace .*|Duplicate inline table key .*)$"
        ),
        "toml.duplicate-key",
    ),
]


class TomlSyntaxError(Exception):
    """A TOML syntax error at `line`:`col`, as a problem code and its parameters (see :data:`_SYNTAX_CODES`)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message  # tomllib's own words, for the code "toml.syntax" and for developers
        self.line = line
        self.col = col
        self.code, self.params = _classify(message)


def _classify(message: str) -> tuple[str, dict[str, str]]:
    for pattern, code in _SYNTAX_CODES:
        match = pattern.match(message)
        if match:
            return code, match.groupdict()
    return "toml.syntax", {"detail": message}


@dataclass
class TomlDocument:
    """Parsed values plus a lazily built map from key paths to (line, col)."""

    data: dict[str, Any]
    text: str
    line_offset: int = 0  # lines before the TOML text in its file (front matter)
    _positions: dict[KeyPath, int] | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False)
    _offsets: list[int] | None = field(default=None, repr=False)

    def _ensure(self) -> None:
        if self._positions is None:
            self._positions = key_positions(self.text)
            starts = [0]
            starts.extend(m.end() for m in re.finditer("\n", self.text))
            self._line_starts = starts

    def offset_to_line_col(self, offset: int) -> tuple[int, int]:
        self._ensure()
        assert self._line_starts is not None
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1 + self.line_offset, offset - self._line_starts[index] + 1

    def locate(self, path: KeyPath) -> tuple[int, int]:
        """Line and column of the deepest part of ``path`` that exists in the text.

        Validation errors may name keys that are missing (then the enclosing table is the
        right place to point at) or carry extra path elements such as a union's tag, which
        are skipped.
        """
        self._ensure()
        assert self._positions is not None
        best: KeyPath = ()
        current: KeyPath = ()
        for part in path:
            candidate = (*current, part)
            if candidate in self._positions:
                current = candidate
                best = current
        if best:
            return self.offset_to_line_col(self._positions[best])
        return 1 + self.line_offset, 1

    def _sorted_offsets(self) -> list[int]:
        """Where every key of the text starts, in order: the end of a value is the next key's start,
        found by bisection (listing the keys after each value made a file of many such values take
        the square of its size)."""
        self._ensure()
        if self._offsets is None:
            assert self._positions is not None
            self._offsets = sorted(set(self._positions.values()))
        return self._offsets

    def locate_char(self, path: KeyPath, char: str) -> tuple[int, int]:
        """Line and column of `char` written as it is in the value at `path` (a control character
        the value must not hold: the reader's editor can jump to it); the key's own place when the
        value writes it as an escape ("\\u202e") or the key is not in the text."""
        line_col = self.locate(path)
        assert self._positions is not None
        start = self._positions.get(tuple(path))
        if start is None:
            return line_col
        offsets = self._sorted_offsets()
        following = bisect.bisect_right(offsets, start)
        end = offsets[following] if following < len(offsets) else len(self.text)
        found = self.text.find(char, start, end)
        return self.offset_to_line_col(found) if found >= 0 else line_col


#: Deepest nesting of tables and arrays a document may hold (kaohe's formats need four). Python's
#: ``tomllib`` gives up near 300 levels with a RecursionError; the compiled parser reads 1,000,
#: deeper than the code after it should have to walk. Deeper is refused the same way, as too deep.
MAX_NESTING = 64


def _nested_deeper(data: Any, limit: int) -> bool:
    """Whether tables and arrays in `data` nest more than `limit` levels (walked without recursion)."""
    todo: list[tuple[Any, int]] = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if depth > limit:
            return True
        inner = value.values() if isinstance(value, dict) else value
        todo.extend((item, depth + 1) for item in inner if isinstance(item, dict | list))
    return False


def parse(text: str, line_offset: int = 0) -> TomlDocument:
    """The document's values and key positions; RecursionError when it nests more than MAX_NESTING deep."""
    try:
        data = tomli.loads(text, parse_float=Decimal)
        if text.count("[") + text.count("{") >= MAX_NESTING and _nested_deeper(data, MAX_NESTING):
            raise RecursionError(f"tables and arrays nested more than {MAX_NESTING} levels")
    except tomli.TOMLDecodeError as exc:
        message = str(exc)
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        match = _SYNTAX_POS.search(message)
        if match and line is None:
            line, col = int(match.group(1)), int(match.group(2))
        if line is None and _AT_END in message:
            line = text.count("\n") + 1
            col = len(text) - (text.rfind("\n") + 1) + 1
        message = _SYNTAX_POS.sub("", message).replace(_AT_END, "").strip()
        message = getattr(exc, "msg", message) or message
        misdated = _misdated(text, line or 1)
        if misdated is not None:  # 2010/03/12: tomllib stops after "2010", its words would mislead
            message, col = f"{_DATE_FORMAT}{misdated.group('written')}", misdated.start("written") + 1
        impossible = _impossible_date(text, line or 1) if misdated is None else None
        if impossible is not None:  # 2011-13-09, 2011-12-32: tomllib reads "2011", then stops at "-13"
            message, col = _INVALID_DATE, impossible.start("written") + 1
            misdated = impossible
        with_unit = _with_unit(text, line or 1) if misdated is None else None
        if with_unit is not None:  # 0.2分, 92.5%: as misleading
            message, col = (
                f"{_WITH_UNIT}{with_unit.group('number')}|{with_unit.group('written')}",
                with_unit.start("written") + 1,
            )
        raise TomlSyntaxError(message, (line or 1) + line_offset, col or 1) from None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        line, col = _long_number(text)
        raise TomlSyntaxError(_NUMBER_TOO_LONG, line + line_offset, col) from None
    return TomlDocument(data=data, text=text, line_offset=line_offset)


_DATE_FORMAT = "Date written as "
#: A value written as offices write dates (2010/03/12, 2010-3-12, 2010年3月12日), not as TOML does.
_OFFICE_DATE = re.compile(
    r"^[ \t]*[A-Za-z0-9_.\"'-]+[ \t]*=[ \t]*"
    r"(?P<written>[0-9]{4}[ \t]*[-/.\u5e74][ \t]*[0-9]{1,2}[ \t]*[-/.\u6708][ \t]*[0-9]{1,2}\u65e5?)[ \t]*(?:#.*)?$"
)
_TOML_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _misdated(text: str, line: int) -> re.Match[str] | None:
    """The office-style date on `line` that tomllib could not read, if that is what the line holds."""
    lines = text.split("\n", line)
    match = _OFFICE_DATE.match(lines[line - 1]) if len(lines) >= line else None
    return match if match is not None and not _TOML_DATE.match(match.group("written")) else None


_INVALID_DATE = "Invalid date or datetime"


def _impossible_date(text: str, line: int) -> re.Match[str] | None:
    """A date on `line` written as TOML writes dates but naming no day of the calendar (month 13,
    day 32 or 00): tomllib does not take it for a date at all, and its words (a statement should
    end after "2011") would send the clerk looking for a missing line break."""
    lines = text.split("\n", line)
    match = _OFFICE_DATE.match(lines[line - 1]) if len(lines) >= line else None
    if match is None or not _TOML_DATE.match(match.group("written")):
        return None
    try:
        date.fromisoformat(match.group("written"))
    except ValueError:
        return match
    return None


_WITH_UNIT = "Number with unit "
#: A number followed by its unit (0.2分, 3次, 92.5%): TOML takes the number, then finds the unit.
_NUMBER_WITH_UNIT = re.compile(
    r"^[ \t]*[A-Za-z0-9_.\"'-]+[ \t]*=[ \t]*"
    r"(?P<written>(?P<number>[+-]?[0-9]+(?:\.[0-9]+)?)[ \t]*(?:[^\x00-\x7f]{1,4}|%))"
    r"[ \t]*(?:#.*)?$"
)


def _with_unit(text: str, line: int) -> re.Match[str] | None:
    """The number-and-unit value on `line` that tomllib could not read, if that is what the line holds."""
    lines = text.split("\n", line)
    return _NUMBER_WITH_UNIT.match(lines[line - 1]) if len(lines) >= line else None


_NUMBER_TOO_LONG = "Number too long"
#: A run of digits (TOML allows "_" between them) longer than Python converts to an integer.
_LONG_DIGITS = re.compile(r"[0-9](?:_?[0-9]){" + str(sys.get_int_max_str_digits() or 4300) + ",}")


def _long_number(text: str) -> tuple[int, int]:
    """Line and column of the first very long run of digits: where tomllib's ValueError comes from."""
    match = _LONG_DIGITS.search(text)
    if match is None:
        return 1, 1
    start = match.start()
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


class _Scanner:
    """Walks TOML structure (tables, keys, arrays, inline tables) recording key offsets."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.n = len(text)
        self.positions: dict[KeyPath, int] = {}
        self.aot_index: dict[KeyPath, int] = {}

    # -- low level -------------------------------------------------------------------------
    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < self.n else ""

    def skip_ws(self, newlines: bool = False) -> None:
        while self.i < self.n:
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#":
                while self.i < self.n and self.s[self.i] != "\n":
                    self.i += 1
            else:
                break

    def skip_line(self) -> None:
        while self.i < self.n and self.s[self.i] != "\n":
            self.i += 1

    def read_string(self) -> str:
        s, i = self.s, self.i
        if s.startswith('"""', i) or s.startswith("'''", i):
            quote = s[i : i + 3]
            end = s.find(quote, i + 3)
            while quote == '"""' and end > 0 and _escaped(s, end):
                end = s.find(quote, end + 1)
            end = self.n if end < 0 else end
            while end + 3 < self.n and s[end + 3] == quote[0]:
                end += 1
            self.i = end + 3
            return s[i + 3 : end]
        quote = s[i]
        j = i + 1
        while j < self.n and s[j] != quote and s[j] != "\n":
            j += 2 if (quote == '"' and s[j] == "\\") else 1
        self.i = min(j + 1, self.n)
        return s[i + 1 : j]

    def read_key(self) -> list[tuple[str, int]]:
        parts: list[tuple[str, int]] = []
        while self.i < self.n:
            self.skip_ws()
            start = self.i
            c = self.peek()
            if c in "\"'":
                parts.append((_key_text(self.read_string(), c), start))
            else:
                m = _BARE_KEY.match(self.s, self.i)
                if not m:
                    break
                parts.append((m.group(0), start))
                self.i = m.end()
            self.skip_ws()
            if self.peek() == ".":
                self.i += 1
                continue
            break
        return parts

    # -- structure -------------------------------------------------------------------------
    def resolve(self, names: list[str], new_aot: bool) -> KeyPath:
        path: KeyPath = ()
        for k, name in enumerate(names):
            path = (*path, name)
            last = k == len(names) - 1
            if last and new_aot:
                index = self.aot_index.get(path, -1) + 1
                self.aot_index[path] = index
                path = (*path, index)
            elif path in self.aot_index:
                path = (*path, self.aot_index[path])
        return path

    def document(self) -> None:
        table: KeyPath = ()
        while self.i < self.n:
            self.skip_ws(newlines=True)
            if self.i >= self.n:
                break
            if self.peek() == "[":
                aot = self.peek(1) == "["
                self.i += 2 if aot else 1
                parts = self.read_key()
                if not parts:
                    self.skip_line()
                    continue
                table = self.resolve([p for p, _ in parts], aot)
                for depth in range(1, len(table)):
                    self.positions.setdefault(table[:depth], parts[-1][1])
                self.positions[table] = parts[-1][1]
                self.skip_line()
                continue
            parts = self.read_key()
            if not parts or self.peek() != "=":
                self.skip_line()
                continue
            self.i += 1
            path = table
            for name, offset in parts:
                path = (*path, name)
                self.positions.setdefault(path, offset)
            self.value(path)

    def value(self, path: KeyPath) -> None:
        self.skip_ws()
        c = self.peek()
        if c == "[":
            self.i += 1
            index = 0
            while self.i < self.n:
                self.skip_ws(newlines=True)
                if self.peek() == "]":
                    self.i += 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                if not self.peek():
                    return
                self.positions[(*path, index)] = self.i
                self.value((*path, index))
                index += 1
            return
        if c == "{":
            self.i += 1
            while self.i < self.n:
                self.skip_ws()
                if self.peek() in ("}", "\n", ""):
                    self.i += 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                parts = self.read_key()
                if not parts or self.peek() != "=":
                    return
                self.i += 1
                sub = path
                for name, offset in parts:
                    sub = (*sub, name)
                    self.positions.setdefault(sub, offset)
                self.value(sub)
            return
        if c in "\"'":
            self.read_string()
            return
        while self.i < self.n and self.s[self.i] not in ",]}\n#":
            self.i += 1


def _key_text(raw: str, quote: str) -> str:
    """A quoted key as tomllib reads it: a basic string's escapes ("\\n", "\\u001b") decoded."""
    if quote != '"' or "\\" not in raw:
        return raw
    try:
        return tomli.loads(f'k = "{raw}"')["k"]
    except tomli.TOMLDecodeError:
        return raw


def _escaped(s: str, index: int) -> bool:
    backslashes = 0
    j = index - 1
    while j >= 0 and s[j] == "\\":
        backslashes += 1
        j -= 1
    return backslashes % 2 == 1


def key_positions(text: str) -> dict[KeyPath, int]:
    scanner = _Scanner(text)
    scanner.document()
    return scanner.positions
