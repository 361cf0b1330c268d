"""Characters that terminals, line-based files and markdown act on instead of showing them.

Input refuses them in names and titles (:mod:`generator.types`); output shows them as visible
escapes (:func:`one_line`, and the per-medium escapes of :mod:`generator.output.escape`).
"""

from __future__ import annotations

import re

#: C0 controls (ESC starts terminal escape sequences, CR rewrites a line, NUL truncates, LF starts a
#: new line), DEL, C1 controls (U+0085 is a line break to some readers, U+009B a one-byte escape
#: sequence), the bidirectional embeddings, overrides and isolates that display text in another
#: order than it is stored ("Trojan Source", CVE-2021-42574), and the Unicode line and paragraph
#: separators.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

_NAMES = {"\x00": "NUL", "\t": "TAB", "\n": "newline", "\r": "CR", "\x1b": "ESC", "\x7f": "DEL"}
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def describe(char: str) -> str:
    """A character as a reader can find it in an editor: "U+001B (ESC)", "U+202E"."""
    code = f"U+{ord(char):04X}"
    return f"{code} ({_NAMES[char]})" if char in _NAMES else code


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


class Lines(str):
    """Text of several lines each already made safe (problem lines worded by ``Problem.format``): a
    refusal's parameter that keeps its line breaks where every other parameter's are escaped."""


def one_line(text: str) -> str:
    """`text` with every unsafe character written as a visible escape (``\\n``, ``\\x1b``, ``\\u202e``):
    printed, it stays on one line and changes nothing on the screen but its own characters."""
    return UNSAFE.sub(_visible, text)
