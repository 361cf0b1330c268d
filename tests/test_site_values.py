"""Values from a pull request printed by the built site: shown exactly as written, wherever printed.

MkDocs and Material print the site's name and the pages' titles into their own templates, some of
them through Jinja's `e` filter and some not; kaohe hands them over escaped once. Each test builds
the small fixture with a hostile value and reads the output as a browser parses it.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site

#: Markup, a quote of each kind and an entity: shown as text, each character as written.
HOSTILE = "'\"><img src=x onerror=alert(1)>&amp;"


class Attributes(HTMLParser):
    """The decoded attributes of every start tag, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def attributes(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Attributes()
    parser.feed(html)
    return parser.tags


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("repo") / "mini"
    shutil.copytree(FIXTURES / "mini", repo)
    # the year's title (units.toml's `title`) is the site's name in every page's header
    toml = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    _replace(repo / "evidence/2010/units.toml", 'framework = "mini"\n', f'framework = "mini"\ntitle = "{toml}2010"\n')
    site = tmp_path_factory.mktemp("out") / "site"
    outcomes = write_site(repo, site, [Version(2010, Provenance())])
    assert [(o.action, o.warnings) for o in outcomes] == [("built", [])]
    return site / "default/2010"


def test_the_site_name_reads_as_written_in_the_header_title_and_label(built: Path):
    """Material prints the site's name into the logo link's `title` through `| e` and into its
    `aria-label` without: escaped once by kaohe, the tooltip showed "&#39;&#34;&gt;…" to readers."""
    for page in ("index.html", "units/anlong.html", "framework.html"):
        logos = [
            a for tag, a in attributes((built / page).read_text(encoding="utf-8")) if "md-logo" in a.get("class", "")
        ]
        assert logos, page
        for logo in logos:
            assert logo["title"] == HOSTILE + "2010", (page, logo["title"])
            assert logo["aria-label"] == HOSTILE + "2010"
