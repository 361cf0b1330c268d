"""考核总览: totals, ranks within each series, category scores and the charts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import charts, urls
from .base import NavEntry, PageKind

if TYPE_CHECKING:
    from ..pages import PageContext, Site


def _pages(site: Site) -> list[tuple[str, str]]:
    return [("", site.t["overview"])]


def _values(page: PageContext, key: str) -> dict[str, Any]:
    site = page.site
    units = site.results.units
    totals = charts.totals_chart([(u.name, u.total, u.max) for u in units], site.t)
    cats = [c for c in site.framework.categories if c.id not in site.bonus_categories]
    kept = {c.id for c in cats}
    lost = charts.lost_chart(
        [(u.name, [c.max - c.score for c in u.categories if c.id in kept]) for u in units],
        [c.title for c in cats],
        site.t,
    )
    return {"charts": {"totals": Markup(totals), "lost": Markup(lost)}}


KIND = PageKind("overview", "overview.html", lambda key, year: urls.overview(), _pages, _values, NavEntry(10))
