"""Reading a file: bytes to text (UTF-8, one line-end convention) and text to TOML with positions."""

from __future__ import annotations

import re

from ..problems import Problems
from ..tomlsource import TomlDocument, TomlSyntaxError, parse
from ..tree import Tree

#: Most dotted parts a TOML key or table name may have. kaohe's formats need three
#: (``[[indicator.rule]]`` inside a category, ``metrics.rate``); tomllib and the position scanner
#: both take time that grows with the square of the depth (600 nested tables took 10 s).
MAX_KEY_PARTS = 16
#: A run of MAX_KEY_PARTS dotted key parts. Possessive and anchored at the start of a name, so the
#: scan is linear however long the lines.
_DEEP_KEY = re.compile(
    r"(?<![A-Za-z0-9_\-\"'])(?:(?:[A-Za-z0-9_-]++|\"[^\"\n]*+\"|'[^'\n]*+')[ \t]*+\.[ \t]*+)" + f"{{{MAX_KEY_PARTS}}}"
)


def read_text(tree: Tree, path: str, problems: Problems) -> str | None:
    try:
        raw = tree.read(path)
    except OSError as exc:
        problems.add(path, 1, 1, f"cannot read file: {exc.strerror or exc}", code="file.unreadable")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.add(
            path, 1, 1, "file starts with a byte-order mark (BOM)", "save as UTF-8 without BOM", severity="warning"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            path, line, col, "file is not valid UTF-8", "save it as UTF-8 (GBK/GB2312 files must be converted)"
        )
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        problems.add(
            path, 1, 1, "file contains NUL bytes", "this is not a text file; keep attachments out of .md/.toml files"
        )
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
        line = text.count("\n", 0, deep.start()) + 1 + line_offset
        col = deep.start() - (text.rfind("\n", 0, deep.start()) + 1) + 1
        _too_deep(problems, path, line, col)
        return None
    try:
        return parse(text, line_offset)
    except TomlSyntaxError as exc:
        problems.add(path, exc.line, exc.col, f"TOML syntax error: {exc.message}", _syntax_hint(exc.message))
        return None
    except RecursionError:
        _too_deep(problems, path, _deepest_line(text) + line_offset, 1)
        return None


def _too_deep(problems: Problems, path: str, line: int, col: int) -> None:
    problems.add(
        path,
        line,
        col,
        "TOML nesting is too deep",
        f"flatten the tables: kaohe's files need three levels, and a name may have at most {MAX_KEY_PARTS} dots",
        code="toml.too-deep",
    )


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


def _syntax_hint(message: str) -> str:
    lowered = message.lower()
    if "invalid value" in lowered or "invalid date" in lowered:
        return "check the value: strings need quotes, dates are written 2010-06-30, numbers use ASCII digits"
    if "cannot overwrite" in lowered or "cannot declare" in lowered:
        return "a key or table appears twice; remove or rename one"
    return "see docs/formats.md for the file formats; strings need quotes, dates are written 2010-06-30"


#: Endings of files meant as evidence or findings that kaohe does not read as such.
_MISNAMED = (".markdown", ".mdown", ".mkd", ".mkdn", ".md.txt", ".toml.txt", ".markdown.txt")


def misnamed(path: str) -> bool:
    """A name that looks like an evidence (.md) or findings (.toml) file but is not read as one: .MD, .markdown…"""
    lowered = path.lower()
    return lowered.endswith(_MISNAMED) or (lowered.endswith((".md", ".toml")) and not path.endswith((".md", ".toml")))
