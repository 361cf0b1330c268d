"""Every relative link in README.md and docs/*.md leads to a file that exists, and to a heading there.

A reader follows these links from the repository's web view; a renamed document or heading would
leave a dead link that no other test notices. Links are read as markdown-it reads them (code spans
and fenced blocks hold no links), and a heading's anchor is made as GitHub and GitLab make it:
lowercased, punctuation but `-` and `_` dropped, each space a `-`, repeats numbered `-1`, `-2`.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import ROOT
from markdown_it import MarkdownIt

MARKDOWN = MarkdownIt("commonmark").enable("table")
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: A scheme (`https:`, `mailto:`) makes a link absolute: not this test's business.
ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _slug(heading: str) -> str:
    """The anchor a web view gives a heading, e.g. "kaohe review — the indicator review (指标评估)"."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@cache
def _anchors(document: Path) -> frozenset[str]:
    """The anchors of every heading in `document`, repeats numbered as the web view numbers them."""
    tokens = MARKDOWN.parse(document.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    for opening, inline in pairwise(tokens):
        if opening.type == "heading_open":
            text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
            slug = _slug(text)
            seen[slug] = seen.get(slug, 0) + 1
            if seen[slug] > 1:
                seen[f"{slug}-{seen[slug] - 1}"] = 1
    return frozenset(seen)


def _relative_links(document: Path) -> list[tuple[int, str]]:
    """(line, href) of every link and image in `document` that is not an absolute URL."""
    found = []
    for token in MARKDOWN.parse(document.read_text(encoding="utf-8")):
        if token.type != "inline" or token.map is None:
            continue
        for child in token.children or []:
            href = child.attrs.get("href") if child.type == "link_open" else child.attrs.get("src")
            if child.type in ("link_open", "image") and isinstance(href, str) and not ABSOLUTE.match(href):
                found.append((token.map[0] + 1, href))
    return found


def _dead(document: Path, href: str) -> str | None:
    """Why `href` in `document` leads nowhere, or None when it leads to an existing file and heading."""
    target, _, fragment = href.partition("#")
    destination = (document.parent / unquote(target)).resolve() if target else document
    if not destination.exists():
        return "no such file"
    if fragment and destination.suffix == ".md" and unquote(fragment) not in _anchors(destination):
        return "no such heading"
    return None


def test_the_documents_hold_relative_links_to_check():
    """The test reads links at all: README.md alone links every document under docs/."""
    hrefs = {href for _, href in _relative_links(ROOT / "README.md")}
    assert {f"docs/{d.name}" for d in DOCUMENTS[1:]} - {h.partition("#")[0] for h in hrefs} == set()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(document: Path):
    dead = [
        f"{document.relative_to(ROOT)}:{line}: {href} ({why})"
        for line, href in _relative_links(document)
        if (why := _dead(document, href)) is not None
    ]
    assert dead == []


def test_a_dead_link_and_a_missing_heading_are_found(tmp_path: Path):
    """The checker itself: a link to a missing file and one to a missing heading are both reported."""
    (tmp_path / "a.md").write_text("# Building on several machines\n\nsee [b](b.md), [x](a.md#nowhere)\n")
    page = tmp_path / "a.md"
    assert [(href, _dead(page, href)) for _, href in _relative_links(page)] == [
        ("b.md", "no such file"),
        ("a.md#nowhere", "no such heading"),
    ]
    assert _dead(page, "a.md#building-on-several-machines") is None
