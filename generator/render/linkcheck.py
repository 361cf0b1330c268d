"""Walk every internal link of a built site and report the broken ones.

Checks each ``href`` and ``src`` of every HTML page: the target file must exist inside the site
folder and a ``#fragment`` must name an ``id`` on the target page. Links to other hosts are
listed separately (the site must not load anything from them).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append((tag, name, value))


@dataclass
class Report:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)  # "page: link (why)"
    external: list[str] = field(default_factory=list)  # "page: <tag attr> url"


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    return collector


def check_site(root: Path) -> Report:
    """Check every link of every ``*.html`` under `root` (a year folder, or the whole site)."""
    root = root.resolve()
    report = Report()

    @lru_cache(maxsize=4096)
    def ids_of(path: Path) -> frozenset[str]:
        return frozenset(_parse(path).ids)

    for page in sorted(root.rglob("*.html")):
        report.pages += 1
        parsed = _parse(page)
        rel_page = page.relative_to(root).as_posix()
        for tag, attr, value in parsed.links:
            report.links += 1
            parts = urlsplit(value)
            if parts.scheme in ("http", "https") or value.startswith("//"):
                report.external.append(f"{rel_page}: <{tag} {attr}> {value}")
                continue
            if parts.scheme:
                if parts.scheme not in ("mailto", "data"):
                    report.broken.append(f"{rel_page}: {value} (scheme {parts.scheme}:)")
                continue
            target = (
                page
                if not parts.path
                else Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), unquote(parts.path))))
            )
            try:
                target.relative_to(root)
            except ValueError:
                report.broken.append(f"{rel_page}: {value} (outside the site)")
                continue
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                report.broken.append(f"{rel_page}: {value} (no such file)")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in ids_of(target):
                report.broken.append(f"{rel_page}: {value} (no id '{fragment}')")
    return report
