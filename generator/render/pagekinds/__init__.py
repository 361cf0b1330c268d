"""The pages of a year's results site: one module each, registered here once.

To add a page, write a module here that defines ``KIND = PageKind(name, template, path, pages,
values, nav)`` (see :mod:`.base`) and a template in ``templates/``, and list the kind in
``PAGE_KINDS`` below: the site builds its pages, the navigation lists it when it has a ``nav``
entry, and templates link to it with ``page.to(name, key)``. Its interface words go in
:mod:`..labels`. The order below is the order pages are built in.
"""

from __future__ import annotations

from . import evidence, framework, indicator, indicators, overview, period, progress, review, sheet
from .base import NavEntry, PageKind, PageSpec

PAGE_KINDS: dict[str, PageKind] = {
    k.name: k
    for k in (
        overview.KIND,
        period.KIND,
        framework.KIND,
        indicators.KIND,
        progress.BOARD,
        review.KIND,
        sheet.KIND,
        progress.UNIT,
        indicator.KIND,
        evidence.KIND,
    )
}

__all__ = ["PAGE_KINDS", "NavEntry", "PageKind", "PageSpec"]
