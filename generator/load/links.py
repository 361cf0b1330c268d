"""Links in evidence bodies, read from the markdown-it token stream that the site renders.

One parser (:func:`markdown`), one resolver (:func:`classify`) and one rule for which repository
files a year's site publishes (:func:`on_site`) serve `kaohe check` and the site's evidence pages,
so the two can never disagree: a link check passes without a word is a link on the page, and a
link the page shows as bare words is one check reports. A link inside a code span is no link for
either, ``report(1).md`` and ``<附件 一.pdf>`` are the files they name, ``%E9%99%84…`` is unescaped
once, the same way, before the file is looked up.

Parsing every body whole would make `kaohe check` twenty times slower, so :func:`links_in` gives
the parser only the parts of a body that can hold a link (:func:`_parts`), and reads the links of
a part that is plain text and inline links only without it (:func:`_plain_links`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote

from ..messages import msg
from ..problems import Problems
from ..tree import Tree

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: Schemes a link may use; images never leave the site.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Attachments copied into the site and linkable from evidence (never HTML or SVG: they can run script).
ATTACHMENT_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


@cache
def markdown() -> MarkdownIt:
    """The evidence markdown parser: raw HTML off (it shows as text), tables and strikethrough on.

    Made on first use: most checks read every link without it (see :func:`_plain_links`), and
    importing markdown-it is a good part of a small check's time.
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Every link becomes a token, whatever its scheme: `classify` decides what it is, for check and site
    # alike (markdown-it's own filter would silently turn `javascript:` links into text check never sees).
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


class Target(NamedTuple):
    """What a link's destination is, seen from the file it is in."""

    kind: str  # none | anchor | web | mail | scheme | absolute | outside | file
    path: str = ""  # the repository path of a `file`; the scheme of a `scheme`
    fragment: str = ""


def join_inside(folder: str, relative: str) -> str | None:
    """`relative` joined to `folder` with "." and ".." resolved; None when it climbs above the root."""
    if "/" not in relative and relative not in ("", ".", ".."):
        return f"{folder}/{relative}" if folder else relative  # a file beside this one: most links
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
    scheme = _SCHEME.match(href) if ":" in href else None
    if scheme:
        name = scheme.group(1).lower()
        kind = "mail" if name == "mailto" else "web" if name in URL_SCHEMES else "scheme"
        return Target(kind, scheme.group(0) if kind == "scheme" else "")
    file_part, _, fragment = href.partition("#")
    if "?" in file_part:
        file_part = file_part.split("?", 1)[0]
    if not file_part:
        return Target("none")
    if file_part.startswith("/"):
        return Target("absolute")
    resolved = join_inside(from_path.rpartition("/")[0], unquote(file_part))
    if resolved is None:
        return Target("outside")
    return Target("file", resolved, fragment)


def year_folder(evidence_path: str) -> str:
    """The year folder ("evidence/2010/") of a file inside one, else ""."""
    parts = evidence_path.split("/")
    return f"evidence/{parts[1]}/" if len(parts) > 2 and parts[0] == "evidence" else ""


def on_site(from_path: str, target: str, is_dir: bool = False) -> str:
    """What the year's site makes of a link in `from_path` to the repository file (or folder) `target`.

    "page" (another evidence file of the year: its page) and "attachment" (an image or PDF in the
    year's evidence folder: copied into the site) keep the link. Everything else is not published,
    and the page shows the link's words alone; the answer says why: "git" (git's own folder),
    "folder", "other-year" (the site of a year holds that year's files only), "type" (a file of the
    year that is neither evidence nor an attachment type), "elsewhere" (frameworks, units.toml, …).
    """
    if ".git" in target.split("/"):
        return "git"
    if is_dir:
        return "folder"
    year = year_folder(from_path)
    if not year or not target.startswith(year):
        return "other-year" if target.startswith("evidence/") and year_folder(target) else "elsewhere"
    if target.lower().endswith(ATTACHMENT_TYPES):
        return "attachment"
    if "/" not in target[len(year) :]:
        return "elsewhere"  # units.toml, a README beside it: not evidence (see load.years)
    return "page" if target.endswith(".md") else "type"


#: :func:`on_site`'s answers that keep the link on the page.
PUBLISHED = frozenset({"page", "attachment"})


class Link(NamedTuple):
    href: str  # as markdown-it gives it (percent-encoded)
    image: bool
    line: int  # in the file
    col: int


#: A code fence anywhere: the body is then parsed whole (a fence may hold blank lines).
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)
#: A blank line, then a line that starts in column 1: the parser starts afresh there.
_RESTART = re.compile(r"\n[ \t]*\n(?=[^ \t\n])")

#: An inline link in plain text: no brackets, backslashes, code, HTML, entities or pipes around it.
_PLAIN_LINK = re.compile(r"!?\[[^\[\]\\`<>|&\n]*\]\(([^\x00-\x20\x7f()<>\[\]\\&`|\"']+)\)")
#: A line that holds nothing but plain text and such links, and starts in column 1.
_PLAIN_LINE = re.compile(r"(?![ \t])(?:[^\[\]\\`<>|&\n]++|" + _PLAIN_LINK.pattern + r")*+")
#: A destination markdown-it's normalizeLink leaves as it is.
_SAFE_DESTINATION = re.compile(r"[A-Za-z0-9._~/-]+")


def _parts(body: str, marker: str, at: int) -> Iterator[tuple[int, str]]:
    """(first line, text) of the parts of an unfenced `body` that can hold a link, each where the parser starts afresh.

    A part holds a `marker` or a "<" (see :func:`_next`), the first at `at`. After a blank line, a
    line that starts in column 1 closes every open block (a paragraph, a list item, a quote, a
    table, an indented code block) except a fenced code block, so the parser's state there is the
    same as at the start of a document; with no fence in the body, the stretches between such lines
    parse alike alone or in the whole.
    """
    while at >= 0:
        start = _restart_before(body, at)
        after = _RESTART.search(body, at)
        end = after.end() if after else len(body)
        yield body.count("\n", 0, start), body[start:end]
        at = _next(body, marker, end)


def _next(body: str, marker: str, start: int) -> int:
    """Where the next link can start from `start` on: its `marker`, or "<" (an autolink); -1 if nowhere.

    A link needs "](" (inline links and images) or "<" (autolinks), and "[" (reference links)
    when the body defines a reference ("]:", which every definition holds).
    """
    link, autolink = body.find(marker, start), body.find("<", start)
    return min(link, autolink) if link >= 0 and autolink >= 0 else max(link, autolink)


def _restart_before(body: str, at: int) -> int:
    """The start of the line at or before `at` where the parser starts afresh (see :func:`_parts`)."""
    line = body.rfind("\n", 0, at) + 1
    while line > 0:
        previous = body.rfind("\n", 0, line - 1) + 1
        if body[line] not in " \t\n" and not body[previous : line - 1].strip(" \t"):
            return line
        line = previous
    return 0


def _plain_links(first_line: int, part: str) -> list[tuple[int, int, str, bool]] | None:
    """(line, column, href, image) of the links of a part made of plain lines only, else None.

    In a line of plain text, nothing binds tighter than an inline link (code spans, autolinks,
    HTML, escapes and entities are excluded) and no block can turn it into code (it starts in
    column 1 and the body has no fence), so its links are exactly what markdown-it finds; the
    property tests in tests/test_links.py compare the two. This spares the parser nearly every
    body: markdown-it costs some 150 µs for a paragraph with one link.
    """
    found = []
    for n, text in enumerate(part.split("\n")):
        if not _PLAIN_LINE.fullmatch(text):
            if text.strip(" \t"):
                return None
            continue  # a blank line
        for match in _PLAIN_LINK.finditer(text) if "[" in text else ():
            destination = match.group(1)
            href = destination if _SAFE_DESTINATION.fullmatch(destination) else markdown().normalizeLink(destination)
            found.append((first_line + n, match.start() + 1, href, text[match.start()] == "!"))
    return found


def links_in(body: str, body_line: int = 1) -> list[Link]:
    """Every link and image of an evidence body, as the site renders them, at its line in the file."""
    marker = "[" if "]:" in body else "]("
    first = _next(body, marker, 0)
    if first < 0:
        return []
    if ("```" in body or "~~~" in body) and _FENCE.search(body):  # a fence may hold blank lines: parse it whole
        found = _parsed_links(body, body, [(0, 0)])
        return [Link(href, image, body_line + line, col) for line, col, href, image in found]
    found = []
    parsed: list[str] = []  # parts for markdown-it, parsed together: a reference may be defined in another
    starts: list[tuple[int, int]] = []  # (first line in the joined text, in the body) of each
    joined_line = 0
    for first_line, part in _parts(body, marker, first):
        plain = _plain_links(first_line, part)
        if plain is not None:
            found += plain
        else:
            parsed.append(part)
            starts.append((joined_line, first_line))
            joined_line += part.count("\n")
    if parsed:
        found += _parsed_links(body, "".join(parsed), starts)
        found.sort(key=lambda link: link[0])  # parts in body order; within a line the order found
    return [Link(href, image, body_line + line, col) for line, col, href, image in found]


def _parsed_links(body: str, text: str, starts: list[tuple[int, int]]) -> list[tuple[int, int, str, bool]]:
    """(line in the body, column, href, image) of the links markdown-it finds in the joined parts."""
    source = body.split("\n")
    joined_starts = [joined for joined, _ in starts]
    found = []
    searched = (-1, 0)  # (line, offset): the next link on the same line is looked for after the last one
    for block in markdown().parse(text):
        if block.type != "inline" or not block.children or block.map is None:
            continue
        for joined_line, child in _positions(block.map[0], block.children):
            k = bisect.bisect_right(joined_starts, joined_line) - 1
            line = starts[k][1] + joined_line - starts[k][0]  # 0-based, in the body
            href = str(child.attrGet("src" if child.type == "image" else "href") or "")
            after = searched[1] if searched[0] == line else 0
            col, end = _column(source[line] if line < len(source) else "", href, after)
            searched = (line, end)
            found.append((line, col, href, child.type == "image"))
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
    return check_found(tree, path, links_in(body, body_line), problems)


def check_found(tree: Tree, path: str, links: list[Link], problems: Problems) -> list[str]:
    """:func:`check_links` of the links found in a body already (they may come from the parsed-file cache).

    Every existing file linked to is returned, published or not: a preview reads the file again
    when one of them goes.
    """
    targets: list[str] = []
    for link in links:
        target = classify(path, link.href)
        shown = unquote(link.href)
        where = (path, link.line, link.col)
        if target.kind == "file" and tree.exists(target.path):
            targets.append(target.path)
            _check_published(tree, path, target.path, shown, where, problems)
            continue
        if target.kind == "web":
            # one code, two wordings: an image from elsewhere is left out of the site, a link is kept
            what = "image" if link.image else "link"
            problems.report(
                *where,
                "link.other-host",
                severity="warning",
                href=shown,
                what=msg(f"link.other-host.{what}"),
                advice=msg(f"link.other-host.advice.{what}"),
            )
        elif target.kind == "scheme":
            problems.report(*where, "link.scheme", scheme=target.path)
        elif target.kind == "absolute":
            problems.report(*where, "link.absolute", href=shown)
        elif target.kind == "outside":
            problems.report(*where, "link.outside", href=shown)
        elif target.kind == "file":
            problems.report(*where, "link.missing", href=shown)
    return targets


def _check_published(
    tree: Tree, path: str, target: str, shown: str, where: tuple[str, int, int], problems: Problems
) -> None:
    """Report a link to a repository file the site does not publish: the page would show bare words.

    A link into git's own folder is an error (no record lives there, and its files can hold
    credentials); any other unpublished file is a warning, as the page loses only the link.
    """
    answer = on_site(path, target, tree.is_dir(target))
    if answer in PUBLISHED:
        return
    if answer == "git":
        problems.report(*where, "link.git", href=shown)
        return
    folder = year_folder(path)
    why: dict[str, object] = {"folder": folder} if answer in ("other-year", "elsewhere") else {}
    if answer == "type":
        why = {"types": [suffix[1:].upper() for suffix in ATTACHMENT_TYPES]}
    problems.report(
        *where,
        "link.not-published",
        severity="warning",
        href=shown,
        why=msg(f"link.not-published.{answer}", **why),
        advice=msg(f"link.not-published.advice.{answer}", **({} if answer == "folder" else {"folder": folder})),
    )
