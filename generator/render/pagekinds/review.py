"""指标评估: per indicator, the figures and flags of :mod:`generator.review`, for the 绩效办.

Figures with their definitions, never a verdict; the trend beside them where the same organisation
has an earlier year (:attr:`..pages.Site.previous`). Every year has the page, final ones included:
it is what the office reads when it drafts next year's framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...load import bodies
from ...output.reviewout import ratio, wording_ids
from .. import urls
from .base import NavEntry, PageKind

if TYPE_CHECKING:
    from ...review import AppealCounts
    from ..pages import PageContext, Site


def _pages(site: Site) -> list[tuple[str, str]]:
    return [("", site.t["review"])]


def appeals_text(t: dict[str, str], counts: AppealCounts) -> str:
    """An indicator's appeals in words, the outcomes that occurred only: "3件：维持1、待决2"; "—" for none."""
    if not counts.appealed:
        return "—"
    outcomes = [
        t[f"review.appeals.{outcome}"].format(n=n)
        for outcome, n in (
            ("upheld", counts.upheld),
            ("changed", counts.changed),
            ("revoked", counts.revoked),
            ("open", counts.open),
        )
        if n
    ]
    return t["review.appeals.cell"].format(n=counts.appealed, outcomes=t["review.appeals.sep"].join(outcomes))


def _values(page: PageContext, key: str) -> dict[str, Any]:
    review = page.site.review
    return {
        "appeals_text": lambda counts: appeals_text(page.site.t, counts),
        "review": review,
        "ratio": lambda value: ratio(value) or "—",
        "rank_changed": [i for i in review.indicators if i.rank_changes],
        "has_appeals": any(i.appeals.appealed for i in review.indicators),
        "wording": wording_ids(review),  # 扣分, 未得分 or 失分, by the indicators a definition counts
    }


def _inputs(page: PageContext, key: str) -> str | None:
    """The whole year (:attr:`..pages.Site.year_key`) and the 公文页 of every evidence file, this
    year's and the previous year's: the only page that shows what the bodies amount to."""
    site = page.site
    if site.year_key is None:
        return None
    previous = site.previous.evidence if site.previous is not None else []
    return repr((site.year_key, [bodies.pages(e) for e in site.evidence.values()], [bodies.pages(e) for e in previous]))


KIND = PageKind(
    "review",
    "review.html",
    path=lambda key, year: urls.review(),
    pages=_pages,
    values=_values,
    nav=NavEntry(35),
    inputs=_inputs,
)
