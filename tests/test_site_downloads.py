"""The site offers the workbook on its overview and each unit's on its score sheet; their links resolve."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import openpyxl
import pytest
from conftest import FIXTURES

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site
from generator.render.linkcheck import check_site
from generator.render.siteconfig import PACKAGE_CONFIG

SITE_URL = "https://kaohe.example.gov.cn/jixiao/"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("repo") / "mini"
    shutil.copytree(FIXTURES / "mini", repo)
    config = repo / "mkdocs-site.yml"
    config.write_text(f"INHERIT: {PACKAGE_CONFIG}\nsite_url: {SITE_URL}\n", encoding="utf-8")
    site = tmp_path_factory.mktemp("out") / "site"
    outcomes = write_site(repo, site, [Version(2010, Provenance())], config_file=config)
    assert [(o.action, o.warnings) for o in outcomes] == [("built", [])]
    return site


def _download_links(page: Path) -> list[tuple[str, str]]:
    html = page.read_text(encoding="utf-8")
    return re.findall(r'<a href="([^"]+\.xlsx)" download="([^"]+)">', html)


def test_overview_and_every_sheet_link_their_workbook(built: Path):
    year = built / "default/2010"
    assert _download_links(year / "index.html") == [("downloads/all.xlsx", "2010年度考核结果.xlsx")]
    for unit, name in (("xingren", "兴仁县质监局"), ("anlong", "安龙县质监局"), ("cehen", "册亨县质监局")):
        [(href, save_as)] = _download_links(year / "units" / f"{unit}.html")
        assert (href, save_as) == (f"../downloads/units/{unit}.xlsx", f"{name}2010年度考核评分表.xlsx")
        book = openpyxl.load_workbook(year / "downloads" / "units" / f"{unit}.xlsx")
        assert book.sheetnames == ["汇总", name]
    sheets = openpyxl.load_workbook(year / "downloads/all.xlsx").sheetnames
    assert sheets[0] == "汇总" and sorted(sheets[1:]) == sorted(["兴仁县质监局", "册亨县质监局", "安龙县质监局"])
    assert check_site(built).broken == []


def test_workbook_rows_link_pages_that_exist_in_the_built_site(built: Path):
    """Each link in the workbook, read relative to site_url, names a page of the built year (and its anchor)."""
    book = openpyxl.load_workbook(built / "default/2010/downloads/all.xlsx")
    links = [c.hyperlink for name in book.sheetnames[1:] for row in book[name].iter_rows() for c in row if c.hyperlink]
    assert links
    for link in links:
        assert link.target.startswith(SITE_URL + "default/2010/"), link.target
        path = (
            built
            / "default/2010"
            / unquote(urlsplit(link.target).path).removeprefix(urlsplit(SITE_URL).path + "default/2010/")
        )
        assert path.is_file(), link.target
        if link.location:
            assert f'id="{link.location}"' in path.read_text(encoding="utf-8"), link.location


def test_csv_headers_from_the_framework_are_text_not_formulas(tmp_path: Path):
    """A category's title heads a column of the overview's CSV: it is text from a pull request, and a
    title starting with "=" or "-" must open in Excel as text like every other cell (csv_cell)."""
    from generator.render.downloads import overview_csv, sheet_csv
    from generator.render.pages import PageContext, Site
    from generator.render.years import load_year

    repo = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", repo)
    category = repo / "frameworks/mini/01-dangfeng.toml"
    hostile = '=HYPERLINK("http://evil.example","党风")'
    toml_title = hostile.replace('"', '\\"')
    category.write_text(
        category.read_text(encoding="utf-8").replace('title = "党风廉政建设工作"', f'title = "{toml_title}"'),
        encoding="utf-8",
    )
    loaded = load_year(repo, 2010)
    site = Site(loaded.assessment, loaded.results, Provenance())
    overview = list(csv.reader(io.StringIO(overview_csv(PageContext(site, "index.md")).removeprefix("\ufeff"))))
    assert "'" + hostile in overview[0]  # the column headed by the category, shown as the title
    assert hostile not in overview[0]
    sheet = list(
        csv.reader(io.StringIO(sheet_csv(PageContext(site, "units/anlong.md"), "anlong").removeprefix("\ufeff")))
    )
    assert {row[0] for row in sheet[1:] if row[0].endswith('党风")')} == {"'" + hostile}
