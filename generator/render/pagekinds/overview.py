"""考核总览: totals, ranks within each series, category scores and the charts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import charts, urls
from ..downloads import overview_csv
from .base import NavEntry, PageKind

if TYPE_CHECKING:
    from ..pages import PageContext, Site


def _pages(site: Site) -> list[tuple[str, str]]:
    return [("", site.t["overview"])]


def _values(page: PageContext, key: str) -> dict[str, Any]:
    site = page.site
    units = site.results.units
    cats = [c for c in site.framework.categories if c.id not in site.bonus_categories]
    kept = {c.id for c in cats}
    totals = [(u.name, u.total, u.max) for u in units]
    lost = [(u.name, [c.max - c.score for c in u.categories if c.id in kept]) for u in units]
    titles = [c.title for c in cats]

    def both(draw) -> Markup:  # the wide chart for screens and paper, the narrow one for phones
        wide, narrow = draw(charts.WIDE), draw(charts.NARROW)
        return Markup(f'<div class="kh-chart-wide">{wide}</div><div class="kh-chart-narrow">{narrow}</div>')

    return {
        "charts": {
            "totals": both(lambda layout: charts.totals_chart(totals, site.t, layout)),
            "lost": both(lambda layout: charts.lost_chart(lost, titles, site.t, layout)),
        }
    }


KIND = PageKind(
    "overview",
    "overview.html",
    path=lambda key, year: urls.overview(),
    pages=_pages,
    values=_values,
    nav=NavEntry(10),
    download=overview_csv,
    search_boost=2.0,
)
