"""考核评分表: one unit's score sheet, category by category, with the unit's evidence list."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .. import urls
from ..downloads import sheet_csv
from .base import NavEntry, PageKind

if TYPE_CHECKING:
    from ...score.results import IndicatorResult
    from ..pages import PageContext, Site


def _pages(site: Site) -> list[tuple[str, str]]:
    return [(u.id, u.name) for u in site.results.units]


def _values(page: PageContext, key: str) -> dict[str, Any]:
    site = page.site
    unit = site.results.unit(key)
    assert unit is not None
    by_cat: dict[str, list[IndicatorResult]] = defaultdict(list)
    for row in unit.indicators:
        by_cat[row.category].append(row)
    results = {c.id: c for c in unit.categories}
    return {
        "unit": unit,
        # (category, its result, its rows) in framework order
        "groups": [(cat, results[cat.id], by_cat[cat.id]) for cat in site.framework.categories],
        "unit_evidence": [e for e in site.evidence.values() if e.unit == unit.id],
    }


KIND = PageKind(
    "sheet",
    "sheet.html",
    path=lambda key, year: urls.sheet(key),
    pages=_pages,
    values=_values,
    nav=NavEntry(20, "sheets"),
    download=sheet_csv,
    search_boost=3.0,
)
