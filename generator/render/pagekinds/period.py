"""各期考核: one page per period shorter than the year (a quarter, a special assessment), with its ranking
and every unit's deductions and bonuses in that period; the year's pages add them up by weight."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...score.results import loss_method
from .. import urls
from .base import NavEntry, PageKind

if TYPE_CHECKING:
    from ..pages import PageContext, Site


def _pages(site: Site) -> list[tuple[str, str]]:
    return [(key, results.title) for key, results in site.period_results.items()]


def _values(page: PageContext, key: str) -> dict[str, Any]:
    site = page.site
    pr = site.period_results[key]
    assessed = {c.part or c.id for u in pr.units for c in u.categories}
    parts = [p.title for p in site.framework.part if p.id in assessed]
    weight = next((pt.weight for u in site.results.units for pt in u.periods if pt.period.key == key), None)
    rows = {u.id: [row for row in u.indicators if row.deductions or row.awards] for u in pr.units}
    return {"pr": pr, "parts": parts, "weight": weight, "rows_with_lines": rows, "lines_heading": _heading(page, rows)}


def _heading(page: PageContext, rows: dict[str, list[Any]]) -> str:
    """本期扣分与加分 in the rows' own terms (:func:`...score.results.loss_method`): 本期未得分与加分 where
    the period's lines are all in 得分制 rows (nothing was deducted there), 本期失分与加分 where they are in
    both kinds, 本期扣分与加分 where all deduct (辽阳 2014's quarters: 第十一条 扣分制)."""
    method = loss_method(row for listed in rows.values() for row in listed)
    return page.site.t["period_lines" if method == "deduction" else f"period_lines.{method}"]


KIND = PageKind(
    "period",
    "period.html",
    path=lambda key, year: urls.period(key),
    pages=_pages,
    values=_values,
    nav=NavEntry(15, "periods"),
    search_boost=1.5,
)
