"""Links in evidence bodies, read from the markdown-it token stream that the site renders.

One parser (:data:`MARKDOWN`) and one resolver (:func:`classify`) serve `kaohe check` and the
site's evidence pages, so the two can never disagree: a link inside a code span is no link for
either, ``report(1).md`` and ``<附件 一.pdf>`` are the files they name, ``%E9%99%84…`` is unescaped
once, the same way, before the file is looked up.

Parsing every body whole would make `kaohe check` twenty times slower, so :func:`links_in` gives
the parser only the parts of a body that can hold a link (see :func:`_parts_with_links`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..problems import Problems
from ..tree import Tree

#: Schemes a link may use; images never leave the site.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Every link becomes a token, whatever its scheme: `classify` decides what it is, for check and site
    # alike (markdown-it's own filter would silently turn `javascript:` links into text check never sees).
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


#: The evidence markdown parser: raw HTML off (it shows as text), tables and strikethrough on.
MARKDOWN = _markdown()


@dataclass(frozen=True)
class Target:
    """What a link's destination is, seen from the file it is in."""

    kind: str  # none | anchor | web | mail | scheme | absolute | outside | file
    path: str = ""  # the repository path of a `file`; the scheme of a `scheme`
    fragment: str = ""


def join_inside(folder: str, relative: str) -> str | None:
    """`relative` joined to `folder` with "." and ".." resolved; None when it climbs above the root."""
    parts: list[str] = []
    for part in f"{folder}/{relative}".split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def classify(from_path: str, href: str) -> Target:
    """The destination of the link `href` (as markdown-it gives it) in the file `from_path`."""
    if not href:
        return Target("none")
    if href.startswith("#"):
        return Target("anchor", fragment=href[1:])
    scheme = _SCHEME.match(href)
    if scheme:
        name = scheme.group(1).lower()
        kind = "mail" if name == "mailto" else "web" if name in URL_SCHEMES else "scheme"
        return Target(kind, scheme.group(0) if kind == "scheme" else "")
    file_part, _, fragment = href.partition("#")
    file_part = file_part.split("?", 1)[0]
    if not file_part:
        return Target("none")
    if file_part.startswith("/"):
        return Target("absolute")
    resolved = join_inside(from_path.rpartition("/")[0], unquote(file_part))
    if resolved is None:
        return Target("outside")
    return Target("file", resolved, fragment)


@dataclass(frozen=True)
class Link:
    href: str  # as markdown-it gives it (percent-encoded)
    image: bool
    line: int  # in the file
    col: int


#: A code fence anywhere: the body is then parsed whole (a fence may hold blank lines).
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)
#: A blank line, then a line that starts in column 1: the parser starts afresh there.
_RESTART = re.compile(r"\n[ \t]*\n(?=[^ \t\n])")


def _parts_with_links(body: str) -> tuple[str, list[tuple[int, int]]]:
    """The parts of `body` that can hold a link, joined, and (first line in the joined text, in `body`) of each.

    A link needs a "[" (inline, reference, image) or a "<" (autolink). After a blank line, a line
    that starts in column 1 closes every open block (a paragraph, a list item, a quote, a table, an
    indented code block) except a fenced code block, so the parser's state there is the same as at
    the start of a document; with no fence in the body, the stretches between such lines parse alike
    alone or in the whole. Reference definitions start with "[", so every one is kept, in order.
    """
    if "[" not in body and "<" not in body:
        return "", []
    if _FENCE.search(body):
        return body, [(0, 0)]
    starts = [0, *(m.end() for m in _RESTART.finditer(body)), len(body)]
    kept: list[str] = []
    lines: list[tuple[int, int]] = []
    joined_line = body_line = 0
    for start, end in pairwise(starts):
        part = body[start:end]
        newlines = part.count("\n")
        if "[" in part or "<" in part:
            kept.append(part)
            lines.append((joined_line, body_line))
            joined_line += newlines
        body_line += newlines
    return "".join(kept), lines


def links_in(body: str, body_line: int = 1) -> list[Link]:
    """Every link and image of an evidence body, as the site renders them, at its line in the file."""
    text, lines = _parts_with_links(body)
    if not text:
        return []
    source = body.split("\n")
    joined_starts = [joined for joined, _ in lines]
    found: list[Link] = []
    searched = (-1, 0)  # (line, offset): the next link on the same line is looked for after the last one
    for block in MARKDOWN.parse(text):
        if block.type != "inline" or not block.children or block.map is None:
            continue
        for joined_line, child in _positions(block.map[0], block.children):
            k = bisect.bisect_right(joined_starts, joined_line) - 1
            line = lines[k][1] + joined_line - lines[k][0]  # 0-based, in the body
            href = str(child.attrGet("src" if child.type == "image" else "href") or "")
            after = searched[1] if searched[0] == line else 0
            col, end = _column(source[line] if line < len(source) else "", href, after)
            searched = (line, end)
            found.append(Link(href, child.type == "image", body_line + line, col))
    return found


def _positions(first_line: int, children: list[Token]) -> Iterator[tuple[int, Token]]:
    """(line, token) of each link and image among an inline token's children (line breaks counted)."""
    line = first_line
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type in ("link_open", "image"):
            yield line, child


def _column(line: str, href: str, after: int) -> tuple[int, int]:
    """(column where the link starts, offset after its destination), looking from `after` on its line.

    The link starts at its "[", "![" or "<", found back from its destination; a reference link's
    destination is on another line, and then the first "[" stands for it.
    """
    for needle in (unquote(href), href):
        at = line.find(needle, after) if needle else -1
        if at >= 0:
            return _start(line, at) + 1, at + len(needle)
    at = max(line.find("[", after), 0)
    return at + 1, at + 1


def _start(line: str, destination: int) -> int:
    """The "[" (or "![") that opens the link text before `destination`, brackets balanced; "<" of an autolink."""
    if line[destination - 1 : destination] == "<" and line.rfind("](", 0, destination) != destination - 3:
        return destination - 1
    depth = 0
    for i in range(line.rfind("]", 0, destination), -1, -1):
        if line[i] == "]":
            depth += 1
        elif line[i] == "[":
            depth -= 1
            if depth == 0:
                return i - 1 if line[i - 1 : i] == "!" else i
    return destination


def check_links(tree: Tree, path: str, body: str, body_line: int, problems: Problems) -> list[str]:
    """Report the links `kaohe check` refuses or warns about; return the repository files linked to."""
    targets: list[str] = []
    for link in links_in(body, body_line):
        target = classify(path, link.href)
        shown = unquote(link.href)
        where = (path, link.line, link.col)
        if target.kind == "web":
            problems.add(
                *where,
                f"{'image from' if link.image else 'link to'} another host: '{shown}'",
                "the site leaves it out: commit the image beside this file"
                if link.image
                else "readers on the internal network may not reach it; commit a copy if it is evidence",
                severity="warning",
                code="link.other-host",
            )
        elif target.kind == "scheme":
            problems.add(
                *where,
                f"link uses the '{target.path}' scheme",
                "link to files in the repository or to http(s) pages only",
                code="link.scheme",
            )
        elif target.kind == "absolute":
            problems.add(*where, f"absolute link '{shown}'", "use a path relative to this file", code="link.absolute")
        elif target.kind == "outside":
            problems.add(
                *where,
                f"link '{shown}' points outside the repository",
                "link only to files inside the repository",
                code="link.outside",
            )
        elif target.kind == "file":
            if tree.exists(target.path):
                targets.append(target.path)
            else:
                problems.add(
                    *where,
                    f"link to a file that does not exist: '{shown}'",
                    "check the spelling or commit the file",
                    code="link.missing",
                )
    return targets
