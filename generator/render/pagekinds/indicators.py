"""指标一览: every indicator by category, linking to its page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import urls
from .base import NavEntry, PageKind

if TYPE_CHECKING:
    from ..pages import Site


def _pages(site: Site) -> list[tuple[str, str]]:
    return [("", site.t["indicators"])]


KIND = PageKind("indicators", "indicators.html", lambda key, year: urls.indicators_index(), _pages, nav=NavEntry(30))
