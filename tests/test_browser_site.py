"""The built site in headless Chromium: overview → sheet → evidence → back, print, search; offline.

Serves a fresh build of the fixture on 127.0.0.1 and fails on any console error, failed request
or request to another host. Screenshots go to tests/artifacts/ (gitignored) for people to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, require_browser, serve

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site

sync_api = require_browser()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    repo = tmp_path_factory.mktemp("repo") / "mini"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", repo)
    site = tmp_path_factory.mktemp("out") / "site"
    write_site(repo, site, [Version(2010, Provenance())])
    with serve(site) as url:
        yield url


def test_overview_sheet_evidence_and_back(served, browser_page):
    page, problems = browser_page
    page.goto(served)  # the root redirects to the latest year
    page.wait_for_url("**/2010/**")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().strip()
    assert page.locator(".kh-provenance").is_visible() and "草稿" in page.locator(".kh-provenance").inner_text()
    assert page.locator(".kh-chart-wide svg.kh-chart:visible").count() == 2  # the narrow pair is for phones
    assert page.locator(".md-version__current").inner_text().startswith("2010")  # versions.json was read
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

    page.locator(".md-content").get_by_role("link", name="兴仁县质监局").first.click()
    page.wait_for_url("**/units/xingren.html")
    page.wait_for_load_state("networkidle")
    assert "考核评分表" in page.locator("h1").inner_text()
    page.screenshot(path=str(ARTIFACTS / "sheet.png"), full_page=True)

    line = page.locator("li.kh-line:has(a.kh-ev)").first
    line_id = line.get_attribute("id")
    line.locator("a.kh-ev").first.click()
    page.wait_for_url("**/evidence/**")
    page.wait_for_load_state("networkidle")
    assert page.locator(".kh-facts").is_visible()
    page.screenshot(path=str(ARTIFACTS / "evidence.png"), full_page=True)

    page.locator(f'.kh-uses a[href$="#{line_id}"]').first.click()
    page.wait_for_url(f"**/units/xingren.html#{line_id}")
    assert page.locator(f"#{line_id}").is_visible()
    assert problems == []


def test_sheet_prints_on_a4_without_chrome(served, browser_page):
    page, problems = browser_page
    page.goto(served + "default/2010/units/xingren.html")
    page.wait_for_load_state("networkidle")
    assert not page.locator(".kh-signatures").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".md-header").is_hidden() and page.locator(".md-sidebar--primary").is_hidden()
    assert page.locator(".kh-signatures").is_visible()
    assert page.locator("table.kh-evlist").is_hidden()  # the evidence list stays on screen
    assert "考核人" in page.locator(".kh-signatures").inner_text()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    widths = page.evaluate("[...document.querySelectorAll('table.kh-sheet')].map(t => t.scrollWidth - t.clientWidth)")
    assert widths and max(widths) <= 1  # tables fit the page width
    page.screenshot(path=str(ARTIFACTS / "sheet-print.png"), full_page=True)
    page.pdf(path=str(ARTIFACTS / "sheet.pdf"), format="A4", print_background=True)
    assert problems == []


def test_chinese_search_finds_a_unit(served, browser_page):
    page, problems = browser_page
    page.goto(served + "default/2010/index.html")
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    meta = page.locator(".md-search-result__meta")
    # Material indexes in a web worker; type once it says it is ready (键入以开始搜索)
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('初始化')", timeout=30000
    )
    page.locator("input.md-search__input").fill("兴仁")
    page.locator("input.md-search__input").press("End")  # Material searches on key events, not on fill()
    page.locator(".md-search-result__item").first.wait_for(timeout=30000)
    assert "兴仁" in page.locator(".md-search-result").inner_text()
    assert meta.inner_text().strip()
    assert problems == []
