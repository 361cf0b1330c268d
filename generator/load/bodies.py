"""Evidence bodies after loading: let go by a build, read again from their file when a page needs one.

A build held every evidence body from loading to its last page: at 100,000 files that was a
quarter of the parent's heap, and each forked render worker inherited it. After loading, a body
is needed for three things only: its own page, its first heading (the title of a file that has
none) and the review's 公文页 count. So a build keeps each body's digest, first heading and page
count (:func:`release`) and reads the body again from the same file when its page asks for it
(:meth:`generator.model.Evidence.text`). A file whose body changed since loading is refused,
never shown beside scores computed from its earlier text.

Inside :func:`letting_go`, loading lets each body go as soon as the file's links are read, so the
bodies are never all alive at once; the parsed front matter kept to locate problems goes once
validation has reported them (:func:`drop_front_matter`).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from ..model import Evidence
from ..problems import InputError, Problems
from ..tree import Tree
from .frontmatter import split_front_matter
from .reading import read_text

#: A markdown ATX heading line (``## 标题``), as CommonMark reads it.
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
#: One 公文页: GB/T 9704-2012 (党政机关公文格式) sets 22 lines of 28 characters on a page.
PAGE_CHARS = 22 * 28
#: What a page counts: runs of characters that are neither white space nor markdown marks.
_TEXT = re.compile(r"[^\s#*_`>|=~-]+")
#: Characters of a body counted at a time: the runs found are copies, so a 50 MB body is counted
#: a slice at a time.
_COUNTED_AT_ONCE = 1 << 20


def first_heading(body: str) -> str | None:
    """The text of the body's first heading, or None."""
    found = _HEADING.search(body)
    return found.group(1).strip() if found else None


def page_count(body: str) -> int:
    """公文页 of a body: its characters (white space, markdown marks left out) ÷ 616, rounded up; at least 1."""
    chars = sum(
        sum(map(len, _TEXT.findall(body, start, start + _COUNTED_AT_ONCE)))
        for start in range(0, len(body), _COUNTED_AT_ONCE)
    )
    return max(1, math.ceil(chars / PAGE_CHARS))


def body_digest(body: str) -> str:
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


@dataclass(frozen=True)
class Released:
    """What stays of a body a build let go: where to read it again, what it must still be, and
    what pages other than its own show of it (its first heading, its 公文页 count)."""

    tree: Tree
    digest: str
    heading: str | None
    pages: int

    def read(self, path: str) -> str:
        problems = Problems()
        text = read_text(self.tree, path, problems)
        parts = split_front_matter(text) if text is not None else None
        if parts is None or body_digest(parts[1]) != self.digest:
            raise InputError("evidence.changed-since-loading", path=path)
        return parts[1]


_LETTING_GO: ContextVar[bool] = ContextVar("letting_go", default=False)


@contextlib.contextmanager
def letting_go() -> Iterator[None]:
    """Evidence loaded inside the block keeps no body (see :func:`release`)."""
    token = _LETTING_GO.set(True)
    try:
        yield
    finally:
        _LETTING_GO.reset(token)


def lets_go() -> bool:
    """Whether loading runs inside :func:`letting_go`."""
    return _LETTING_GO.get()


def loaded(e: Evidence, tree: Tree, pages: int | None = None) -> None:
    """Called by loading once a file's links are read: let the body go inside :func:`letting_go`
    (`pages`: its 公文页, when they are known already)."""
    if _LETTING_GO.get():
        release(e, tree, pages)


def release(e: Evidence, tree: Tree, pages: int | None = None) -> None:
    """Keep only the body's digest, first heading and page count; `tree` is the one the file was loaded from."""
    if e.body is not None:
        counted = page_count(e.body) if pages is None else pages
        e.released = Released(tree, body_digest(e.body), first_heading(e.body), counted)
        e.body = None


def drop_front_matter(evidence: Iterable[Evidence]) -> None:
    """Let go of the parsed front matter kept to locate problems, once they are all reported."""
    for e in evidence:
        e.doc = None


def digest(e: Evidence) -> str:
    """The body's digest, without reading a body that was let go."""
    return e.released.digest if e.released is not None else body_digest(e.text())


def heading(e: Evidence) -> str | None:
    """The body's first heading, without reading a body that was let go."""
    return e.released.heading if e.released is not None else first_heading(e.text())


def pages(e: Evidence) -> int:
    """The body's 公文页 (:func:`page_count`), without reading a body that was let go."""
    return e.released.pages if e.released is not None else page_count(e.text())
