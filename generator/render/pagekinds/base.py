"""What a kind of site page is: the one seam through which every page of the results site is added."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..pages import PageContext, Site


@dataclass(frozen=True)
class PageSpec:
    """One page to build: where it goes, what it shows."""

    src_uri: str
    kind: str  # the name of its PageKind
    key: str  # unit id, indicator id or evidence path; "" for single pages
    title: str


@dataclass(frozen=True)
class NavEntry:
    """Where the navigation lists a kind: by `order`; under the section `group` (a label key), or each page directly."""

    order: int
    group: str | None = None


def no_values(page: PageContext, key: str) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class PageKind:
    """A kind of page: its address, which pages of it a year has, and what its template is given.

    `path(key, year)` is the page's source path (see :mod:`..urls`); `pages(site)` lists the
    (key, title) of every page of the kind; `values(page, key)` are the template's values beyond
    those every page gets (:meth:`..pages.PageContext.render`). Pages without `nav` are reached by
    links only (the navigation is rendered into every page: keep it short). `download(page, key)`,
    when given, is the CSV of the page's table, written beside the page (:func:`..urls.table_file`).
    `search_boost` ranks the kind's pages among equal search matches (score sheets first).
    `inputs(page, key)`, when given, is everything the page shows beyond what every page of the year
    shares (:meth:`..pages.Site.shared_inputs`), as text (None: render the page to key it by its
    HTML): the page cache then finds an unchanged page without rendering it. Leave a value out and
    an incremental build serves a stale page: ``tests/test_incremental_build.py`` checks it.
    Without it the page is keyed by everything the year was loaded into but the evidence bodies
    (:mod:`..yearkey`): right for a page made from the results, which any change to the year may
    move; a kind that shows what a body says, or how long it is, needs `inputs`.
    """

    name: str
    template: str
    path: Callable[[str, int], str]
    pages: Callable[[Site], Iterable[tuple[str, str]]]
    values: Callable[[PageContext, str], dict[str, Any]] = no_values
    nav: NavEntry | None = None
    download: Callable[[PageContext, str], str] | None = None
    search_boost: float = 1.0
    inputs: Callable[[PageContext, str], str | None] | None = None
