"""One evidence file: its facts, the score lines that use it, and its body rendered safely."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ...load import bodies
from .. import urls
from ..evidence_html import render_body
from .base import PageKind

if TYPE_CHECKING:
    from ..pages import PageContext, Site


def _pages(site: Site) -> list[tuple[str, str]]:
    return [(e.path, site.evidence_title(e)) for e in site.evidence.values()]


def _values(page: PageContext, key: str) -> dict[str, Any]:
    e = page.site.evidence[key]
    body = Markup(render_body(e.path, e.text(), page.repo_link))
    return {"e": e, "body": body, "uses": page.site.uses.get(e.path, [])}


def _inputs(page: PageContext, key: str) -> str:
    """The file, the score lines that cite it, and where its links go (names come from the shared inputs).
    The body by its digest: a copy of a body that runs to megabytes is not worth keeping for a key."""
    site = page.site
    e = site.evidence[key]
    uses = [(u.unit.id, u.indicator.id, u.index, u.line) for u in site.uses.get(key, [])]
    links = [(target, page.repo_link(target)) for target in e.links]
    facts = (e.path, e.unit, e.indicator, e.date, e.title, e.satisfies, e.count, sorted(e.metrics.items()), e.author)
    return repr((facts, bodies.digest(e), uses, links))


KIND = PageKind("evidence", "evidence.html", urls.evidence, _pages, _values, inputs=_inputs)
