"""Reading a file: bytes to text (UTF-8, one line-end convention) and text to TOML with positions."""

from __future__ import annotations

import re
from typing import Any

from ..controlchars import BIDI_CONTROLS, describe
from ..problems import Problems
from ..tomlsource import KeyPath, TomlDocument, TomlSyntaxError, parse
from ..tree import Tree

#: Most dotted parts a TOML key or table name may have. kaohe's formats need three
#: (``[[indicator.rule]]`` inside a category, ``metrics.rate``); tomllib and the position scanner
#: both take time that grows with the square of the depth (600 nested tables took 10 s).
MAX_KEY_PARTS = 16
#: A run of MAX_KEY_PARTS dotted key parts where a key can stand: at the start of a line (a key, or a
#: table's name after "[" or "[["), or after "{" or "," (inline tables); not "第1.2.3…17条" inside a
#: string. Possessive and anchored at the start of a name, so the scan is linear however long the lines.
_DEEP_KEY = re.compile(
    r"(?:^[ \t]*+\[{0,2}+|[{,])[ \t]*+"
    r"(?P<key>(?:(?:[A-Za-z0-9_-]++|\"[^\"\n]*+\"|'[^'\n]*+')[ \t]*+\.[ \t]*+)" + f"{{{MAX_KEY_PARTS}}})",
    re.MULTILINE,
)


def read_text(tree: Tree, path: str, problems: Problems) -> str | None:
    try:
        raw = tree.read(path)
    except OSError as exc:
        problems.report(path, 1, 1, "file.unreadable", error=exc.strerror or str(exc))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.report(path, 1, 1, "file.bom", severity="warning")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.report(path, line, col, "file.not-utf8")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        problems.report(path, 1, 1, "file.nul")
        return None
    return text


def read_toml(
    tree: Tree, path: str, problems: Problems, text: str | None = None, line_offset: int = 0
) -> TomlDocument | None:
    if text is None:
        text = read_text(tree, path, problems)
        if text is None:
            return None
    deep = _DEEP_KEY.search(text) if text.count(".") >= MAX_KEY_PARTS else None
    if deep is not None:
        at = deep.start("key")
        line = text.count("\n", 0, at) + 1 + line_offset
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        _too_deep(problems, path, line, col)
        return None
    try:
        doc = parse(text, line_offset)
    except TomlSyntaxError as exc:
        problems.report(path, exc.line, exc.col, exc.code, **exc.params)
        return None
    except RecursionError:
        _too_deep(problems, path, _deepest_line(text) + line_offset, 1)
        return None
    if BIDI_CONTROLS.search(text) or "\\u" in text or "\\U" in text:  # written as is, or as an escape
        _report_bidi(doc, doc.data, (), path, problems)
    return doc


def _report_bidi(doc: TomlDocument, value: Any, keys: KeyPath, path: str, problems: Problems) -> None:
    """A bidi embedding, override or isolate in any key or text of the file: an error
    (``text.bidi-control``), whatever the field. Names, titles and reasons refuse them as they are
    validated; this covers the rest (a grade's name, a severity, a key of a table), which a page
    prints all the same: "股级\\u202e干部" would turn "扣0.3分" printed after it around."""
    if isinstance(value, str):
        _report_bidi_text(doc, value, keys, path, problems)
    elif isinstance(value, dict):
        for key, item in value.items():
            _report_bidi_text(doc, key, (*keys, key), path, problems)
            _report_bidi(doc, item, (*keys, key), path, problems)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _report_bidi(doc, item, (*keys, n), path, problems)


def _report_bidi_text(doc: TomlDocument, text: str, keys: KeyPath, path: str, problems: Problems) -> None:
    found = BIDI_CONTROLS.search(text)
    if found is None:
        return
    name = next((str(k) for k in reversed(keys) if isinstance(k, str)), "")
    line, col = doc.locate_char(keys, found.group())
    problems.report(
        path, line, col, "text.bidi-control", key=name, char=describe(found.group()), position=found.start() + 1
    )


def _too_deep(problems: Problems, path: str, line: int, col: int) -> None:
    problems.report(path, line, col, "toml.too-deep", dots=MAX_KEY_PARTS)


def _deepest_line(text: str) -> int:
    """The line where brackets and braces first reach their deepest nesting (strings and comments skipped)."""
    depth = deepest = 0
    line = best = 1
    quote = ""
    escaped = False
    for c in text:
        if escaped:
            escaped = False
        elif c == "\n":
            line += 1
            quote = "" if quote == "#" else quote
        elif quote:
            escaped = c == "\\" and quote == '"'
            quote = "" if c == quote else quote
        elif c in "\"'#":
            quote = c
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest, best = depth, line
        elif c in "]}":
            depth -= 1
    return best


#: Endings of files meant as evidence or findings that kaohe does not read as such.
_MISNAMED = (".markdown", ".mdown", ".mkd", ".mkdn", ".md.txt", ".toml.txt", ".markdown.txt")


def misnamed(path: str) -> bool:
    """A name that looks like an evidence (.md) or findings (.toml) file but is not read as one: .MD, .markdown…"""
    lowered = path.lower()
    return lowered.endswith(_MISNAMED) or (lowered.endswith((".md", ".toml")) and not path.endswith((".md", ".toml")))
