"""The versioned folder layout: mike's layout once per organization, and a root that lists them.

``site/<organization>/<year>/`` per year, ``site/<organization>/versions.json`` listing that
organization's years newest first with the alias ``latest`` on its newest final year (Material's
version selector fetches ``../versions.json`` from a year, so it offers the organization's years
only), ``site/<organization>/index.html`` sending readers there, and ``site/index.html``: with one
organization a redirect to its latest year, with several a page listing them by name.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..messages import DEFAULT, tr
from ..model import STAGE_IDS, STAGES

if TYPE_CHECKING:
    from .stamp import Stamp

#: The language of the root pages when the organizations' pages do not all speak one (else theirs,
#: :func:`shared_lang`): never the publisher's terminal's, so that the site is the same bytes whoever
#: publishes it. An organization's versions.json and index.html speak the language of its years'
#: pages (:meth:`Listing.lang`, from their stamps).
SITE = DEFAULT

#: A year folder as the layout sees it: its stamp (draft or final; later fields such as a stage).
Years = Mapping[int, "Stamp"]


@dataclass(frozen=True)
class Listing:
    """One organization of the site: its folder, the name readers see, its years."""

    id: str
    name: str
    years: Years

    def latest(self) -> int | None:
        """The newest final year, else the newest draft: where readers are sent."""
        finals = [y for y, s in self.years.items() if not s.draft]
        return max(finals or self.years, default=None)

    def lang(self) -> str:
        """The language of the version selector: that of the newest year's pages (its stamp's), as the
        selector sits on those pages; a year stamped without one speaks the default (Chinese)."""
        newest = max(self.years, default=None)
        return (self.years[newest].lang if newest is not None else None) or SITE


def version_title(year: int, stamp: Stamp, lang: str = SITE) -> str:
    """What the version selector and the root page say for a year, in `lang`: a draft names its stage
    (2010（公示）, 2010 (public notice)), a filed year says so (2010（备案）)."""
    if stamp.draft:
        stage = stamp.stage if stamp.stage == STAGES[1] else STAGES[0]  # 公示, else 草稿
    elif stamp.stage == STAGES[3]:  # 备案
        stage = stamp.stage
    else:
        return str(year)
    return tr("site.version.staged", lang=lang, year=year, stage=tr(f"site.stage.name.{STAGE_IDS[stage]}", lang=lang))


def versions_json(listing: Listing) -> list[dict[str, Any]]:
    """mike's format, newest first; `latest` names the newest final year (else the newest draft). The
    titles speak the language of the organization's pages (an English site: 2011 (public notice))."""
    latest, lang = listing.latest(), listing.lang()
    return [
        {
            "version": str(y),
            "title": version_title(y, listing.years[y], lang),
            "aliases": ["latest"] if y == latest else [],
        }
        for y in sorted(listing.years, reverse=True)
    ]


def shared_lang(listings: list[Listing]) -> str:
    """The language of the site's root: the one every organization's pages speak, else :data:`SITE`."""
    langs = {li.lang() for li in listings}
    return langs.pop() if len(langs) == 1 else SITE


def redirect_page(target: str, text: str, lang: str = SITE) -> str:
    href = html.escape(target, quote=True)
    title = html.escape(tr("site.redirect.title", lang=lang))
    lang = html.escape(tr("site.html-lang", lang=lang), quote=True)
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<title>{title}</title>\n<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{href}">\n'
        '<link rel="icon" href="data:,">\n</head>\n<body>\n'
        f'<p><a href="{href}">{html.escape(text)}</a></p>\n</body>\n</html>\n'
    )


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.6;"
    "color:#222}h1{font-size:1.6rem}section{border-top:1px solid #ddd;padding:.6rem 0}h2{font-size:1.2rem;"
    "margin:.4rem 0}ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}a{color:#1a5fb4}"
    ".kh-draft{color:#9a6700}"
)


def _year_link(listing: Listing, year: int, lang: str) -> str:
    stamp = listing.years[year]
    label = tr(
        "site.root.year", lang=lang, year=year, stage=version_title(year, stamp, lang).removeprefix(str(year))
    )  # 2011年度（草稿）
    draft = ' class="kh-draft"' if stamp.draft else ""
    return f'<li><a href="{html.escape(listing.id)}/{year}/"{draft}>{html.escape(label)}</a></li>'


def organizations_page(listings: list[Listing], lang: str = SITE) -> str:
    """The root when the site holds several organizations: each by name, its years linked, newest first."""
    sections = "".join(
        f'<section>\n<h2><a href="{html.escape(li.id)}/{li.latest()}/">{html.escape(li.name)}</a></h2>\n'
        f"<ul>{''.join(_year_link(li, y, lang) for y in sorted(li.years, reverse=True))}</ul>\n</section>\n"
        for li in listings
    )
    title, choose = html.escape(tr("site.redirect.title", lang=lang)), html.escape(tr("site.root.choose", lang=lang))
    lang = html.escape(tr("site.html-lang", lang=lang), quote=True)
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{title}</title>\n<link rel="icon" href="data:,">\n<style>{_STYLE}</style>\n</head>\n<body>\n'
        f"<h1>{title}</h1>\n<p>{choose}</p>\n{sections}</body>\n</html>\n"
    )


def site_files(listings: list[Listing]) -> dict[str, str]:
    """Path in the site → text, for every file of the layout (besides the year folders)."""
    listings = sorted((li for li in listings if li.years), key=lambda li: (li.name, li.id))
    files: dict[str, str] = {}
    for listing in listings:
        latest, lang = listing.latest(), listing.lang()
        see = tr("site.redirect.link", lang=lang, organization=listing.name, year=latest)
        files[f"{listing.id}/versions.json"] = json.dumps(versions_json(listing), ensure_ascii=False, indent=2) + "\n"
        files[f"{listing.id}/index.html"] = redirect_page(f"{latest}/", see, lang)
        if len(listings) == 1:  # one organization: the root sends readers straight to its latest year
            files["index.html"] = redirect_page(f"{listing.id}/{latest}/", see, lang)
    if len(listings) > 1:
        files["index.html"] = organizations_page(listings, shared_lang(listings))
    return files


def layout_of(years: Mapping[tuple[str, int], Stamp], names: Mapping[str, str] | None = None) -> dict[str, str]:
    """The layout's files for the year folders `years` ((organization, year) → stamp). Each organization
    is called by the name its newest stamp records, else by `names` (from the data), else by its id."""
    by_organization: dict[str, dict[int, Stamp]] = {}
    for (organization, year), stamp in years.items():
        by_organization.setdefault(organization, {})[year] = stamp
    listings = []
    for organization, stamps in by_organization.items():
        recorded = [stamps[y].organization_name for y in sorted(stamps, reverse=True) if stamps[y].organization_name]
        name = recorded[0] if recorded else (names or {}).get(organization, organization)
        listings.append(Listing(organization, name, stamps))
    return site_files(listings)


def write_atomically(path: Path, text: str) -> None:
    """Write `path` so that readers see the old or the new text, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
