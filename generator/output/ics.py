"""iCalendar (RFC 5545) text: escaping, line folding and the calendar envelope.

Values come from pull requests, so every TEXT value is made printable first
(:func:`~generator.controlchars.one_line`: a newline or an escape sequence inside a title becomes
visible ``\\n`` / ``\\x1b``) and then escaped as RFC 5545 §3.3.11 asks (backslash, semicolon,
comma, line break): a value can neither end its property nor start one of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..controlchars import one_line

#: RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
LINE_OCTETS = 75


def text(*paragraphs: str) -> str:
    """A TEXT value: each paragraph made one printable line, escaped, joined by escaped line breaks."""
    return "\\n".join(_escape(one_line(p)) for p in paragraphs)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def fold(line: str) -> str:
    """`line` folded into pieces of at most 75 octets, never inside a UTF-8 character (§3.1)."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1  # a continuation starts with a space
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def calendar(prodid: str, components: Iterable[tuple[str, list[tuple[str, str]]]]) -> str:
    """A VCALENDAR of `components`, each (name, [(property with its parameters, formatted value)])."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", "CALSCALE:GREGORIAN"]
    for name, properties in components:
        lines.append(f"BEGIN:{name}")
        lines += [f"{prop}:{value}" for prop, value in properties]
        lines.append(f"END:{name}")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
