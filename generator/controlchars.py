"""Characters that terminals, line-based files and markdown act on instead of showing them.

Input refuses them in names and titles (:mod:`generator.types`); output shows them as visible
escapes (:func:`one_line`, and the per-medium escapes of :mod:`generator.output.escape`).
"""

from __future__ import annotations

import re
import unicodedata

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


#: First-strong isolate (FSI) and pop directional isolate (PDI): what :func:`isolate` wraps a value in.
FSI = "\u2068"
PDI = "\u2069"
#: Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): what can make a value's own
#: characters, or the text after it, display in another order than stored.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_RTL = frozenset({"R", "AL"})
#: The blocks that hold every character of bidi class R or AL (Hebrew to Arabic Extended, the
#: presentation forms, the historic and African scripts of planes 1, the mark U+200F): a quick
#: search over a page's values before the exact test, which asks unicodedata character by character
#: (tests/test_bidi.py checks the blocks cover every such character of the Unicode version in use).
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")


#: A bidi control or a character of a right-to-left block: what :func:`isolate` has to look at.
_BIDI_OR_RTL = re.compile(f"{BIDI_CONTROLS.pattern}|{_RTL_BLOCKS.pattern}")


def right_to_left(text: str) -> bool:
    """Whether `text` holds a character written right to left (Arabic, Uyghur, Hebrew letters, the
    marks U+200F and U+061C): one that turns the neutral characters and digits next to it around."""
    return any(unicodedata.bidirectional(m.group()) in _RTL for m in _RTL_BLOCKS.finditer(text))


def _balanced(text: str) -> set[int]:
    """The positions of the FSI/PDI pairs in `text` that match each other (every other bidi control
    is shown); an isolate :func:`isolate` made earlier is such a pair, and harmless."""
    kept: set[int] = set()
    open_at: list[int] = []
    for n, char in enumerate(text):
        if char == FSI:
            open_at.append(n)
        elif char == PDI and open_at:
            kept.update((open_at.pop(), n))
    return kept


def bidi_shown(text: str) -> str:
    """`text` with every bidi embedding, override and unmatched isolate written as a visible escape
    (``\\u202e``); matched FSI … PDI pairs are kept. Line breaks and tabs are left: for media where
    they are harmless (an HTML page), or escaped by :func:`one_line` as well."""
    if not BIDI_CONTROLS.search(text):
        return text
    kept = _balanced(text)
    return "".join(c if n in kept or not BIDI_CONTROLS.match(c) else f"\\u{ord(c):04x}" for n, c in enumerate(text))


def isolate(text: str) -> str:
    """`text` as a value that cannot reorder what is printed around it ("Trojan Source").

    Bidi controls are shown (:func:`bidi_shown`); a value holding right-to-left text is then wrapped
    in FSI … PDI (Unicode's first-strong isolate, UAX #9): inside, it reads in its own direction;
    outside, it counts as one neutral character, so "兴仁县\\u202e…：扣0.5分" or an Arabic unit name
    followed by "3.22 → 2.47" keeps the order of what follows. Only such values get the two invisible
    characters: a left-to-right value cannot turn anything after it around in a left-to-right text."""
    if not _BIDI_OR_RTL.search(text):  # nearly every value: one search, nothing to do
        return text
    text = bidi_shown(text)
    return f"{FSI}{text}{PDI}" if right_to_left(_outside_isolates(text)) else text


def _outside_isolates(text: str) -> str:
    """`text` without its matched FSI … PDI pairs and what they hold: a value whose right-to-left
    parts are isolated already ("{unit}2010年度考核评分表" worded with the unit isolated) needs no
    second isolate around it."""
    if FSI not in text:
        return text
    out, depth = [], 0
    kept = _balanced(text)
    for n, char in enumerate(text):
        if n in kept:
            depth += 1 if char == FSI else -1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def one_line_isolated(text: str) -> str:
    """:func:`one_line` that keeps the isolates :func:`isolate` put around values (matched FSI … PDI
    pairs): for a line whose values were isolated before the line was put together."""
    if FSI not in text:
        return one_line(text)
    kept = _balanced(text)
    return "".join(c if n in kept else one_line(c) for n, c in enumerate(text))
