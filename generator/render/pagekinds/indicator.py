"""One indicator across all units: its wording, rules and every unit's row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import urls
from .base import PageKind

if TYPE_CHECKING:
    from ..pages import PageContext, Site


def _pages(site: Site) -> list[tuple[str, str]]:
    return [(i.id, site.indicator_title(i)) for i in site.framework.indicators()]


def _values(page: PageContext, key: str) -> dict[str, Any]:
    site = page.site
    return {"ind": site.indicators[key], "rows": [(u, site.rows[u.id][key]) for u in site.results.units]}


KIND = PageKind(
    "indicator",
    "indicator.html",
    path=lambda key, year: urls.indicator(key),
    pages=_pages,
    values=_values,
    search_boost=1.5,
)
