"""Values from a pull request printed by the built site: shown exactly as written, wherever printed.

MkDocs and Material print the site's name and the pages' titles into their own templates, some of
them through Jinja's `e` filter and some not; kaohe hands them over escaped once. Each test builds
the small fixture with a hostile value and reads the output as a browser parses it.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import FIXTURES

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site
from generator.render.linkcheck import check_site

# the smallest valid PNG: a 1×1 transparent pixel
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
EVIDENCE = '+++\nindicator = "df-01"\ndate = 2010-03-20\nsatisfies = "meeting"\n+++\n'

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


@pytest.fixture(scope="module")
def folder_site(tmp_path_factory) -> Path:
    """The fixture with a folder named like a page beside the evidence file of that name (a clerk's
    "会议.html" folder of scans)."""
    repo = tmp_path_factory.mktemp("repo") / "mini"
    shutil.copytree(FIXTURES / "mini", repo)
    unit = repo / "evidence/2010/anlong"
    (unit / "会议.md").write_text(EVIDENCE + "见[纪要](会议.html/纪要.md)。\n", encoding="utf-8")
    (unit / "会议.html").mkdir()
    (unit / "会议.html/纪要.md").write_text(EVIDENCE + "![扫描件](scan.png)\n", encoding="utf-8")
    (unit / "会议.html/scan.png").write_bytes(PNG)
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


def test_an_evidence_folder_named_like_a_page_gets_a_folder_of_its_own(folder_site: Path):
    """evidence/2010/anlong/会议.md is the page 会议.html; the folder 会议.html/ beside it held the
    page of 纪要.md: both were the same path, and the build stopped with an internal error."""
    folder = folder_site / "evidence/anlong"
    assert (folder / "会议.html").is_file()
    [moved] = [p for p in folder.iterdir() if p.is_dir()]
    assert moved.name.startswith("会议.html-")
    assert (moved / "纪要.html").is_file() and (moved / "scan.png").read_bytes() == PNG
    # the link from 会议's page to 纪要's and 纪要's image follow the folder
    assert check_site(folder_site.parent.parent).broken == []
    assert f'{quote(moved.name)}/{quote("纪要.html")}"' in (folder / "会议.html").read_text(encoding="utf-8")
    assert 'src="scan.png"' in (moved / "纪要.html").read_text(encoding="utf-8")
