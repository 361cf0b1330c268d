"""考核细则: the framework as the document prints it, with every rule and interpretation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import urls
from .base import NavEntry, PageKind

if TYPE_CHECKING:
    from ..pages import Site


def _pages(site: Site) -> list[tuple[str, str]]:
    return [("", site.t["framework"])]


KIND = PageKind("framework", "framework.html", lambda key, year: urls.framework(), _pages, nav=NavEntry(40))
