"""The progress board, a unit's progress page and the indicator review in headless Chromium, on a
desktop and on a 390 px phone. Screenshots for people to look at go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import ARTIFACTS, require_browser, serve

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site

sync_api = require_browser()

ROOT = Path(__file__).resolve().parent.parent
ORG = "qianxinan-qts/"  # the organization of the 2010 and 2011 frameworks: their folder in the site
SEPT_30 = "1285848000"  # 2010-09-30T12:00:00Z: the draft's build date


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = tmp_path_factory.mktemp("progress") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SEPT_30)
        write_site(ROOT, site, [Version(2010, Provenance()), Version(2011, Provenance())])
    with serve(site) as url:
        yield url


def background(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).backgroundColor")


def test_board_on_a_desktop_is_a_grid_of_months_readable_without_colour(served, browser_page):
    page, problems = browser_page
    page.goto(served + ORG + "2010/index.html")
    page.get_by_role("link", name="工作进度").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/2010/progress/index.html")
    assert page.locator(".kh-asof strong").inner_text() == "截至 2010-09-30"
    board = page.locator("table.kh-board")
    assert board.evaluate("e => getComputedStyle(e).display") == "table"
    headers = board.locator("thead th").all_inner_texts()
    assert [h.split("\n")[0] for h in headers[1:5]] == ["9月", "10月", "11月", "12月"]
    row = page.locator("#unit-zhenfeng")
    overdue, met = row.locator("td.kh-ps-overdue"), page.locator("#unit-xingren td.kh-ps-met").first
    # the symbol and the count are text; the colour only repeats them
    assert overdue.inner_text().strip() == "!1" and met.inner_text().strip() == "√1"
    assert background(overdue) != background(met)
    assert page.locator("ul.kh-ps-legend li").count() == 6
    page.screenshot(path=str(ARTIFACTS / "progress-board-desktop.png"), full_page=True)
    # a cell leads to the unit's page, the page to the sheet's row
    overdue.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "贞丰县质量技术监督局工作进度"
    first = page.locator("tr.kh-ps-row").first
    assert "kh-ps-overdue" in first.get_attribute("class")
    page.screenshot(path=str(ARTIFACTS / "progress-unit-desktop.png"))
    first.locator("td.kh-ps-ind a").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/2010/units/zhenfeng.html#ind-df-02")
    assert problems == []


def test_review_on_a_desktop_fits_beside_the_earlier_years_columns(served, browser_page):
    """2011 has the most columns: appeals (two decided in the shipped data) and 2010's three."""
    page, problems = browser_page
    page.goto(served + ORG + "2011/review.html")
    page.wait_for_load_state("networkidle")
    table = page.locator("table.kh-review")
    wrap = page.locator(".kh-table-wrap:has(> table.kh-review)")
    assert table.evaluate("e => e.scrollWidth") <= wrap.evaluate("e => e.clientWidth")
    assert page.locator("thead th", has_text="上年对照：2010年度").is_visible()
    appealed = page.locator('td[data-label="申诉"]', has_text="件：")
    assert appealed.count() == 2
    # headers wrap to fit, but never inside a two-character word: 分值 is one line
    lines = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    assert page.locator("thead th", has_text="分值").first.evaluate(lines) == 1
    page.screenshot(path=str(ARTIFACTS / "review-2011-desktop.png"), full_page=True)
    assert problems == []


@pytest.mark.parametrize("path", ["2010/progress/index.html", "2010/progress/zhenfeng.html", "2010/review.html"])
def test_a_phone_reads_the_new_pages_without_sideways_scrolling(served, browser_page, path):
    page, problems = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(served + ORG + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    name = path.removeprefix("2010/").replace("/", "-").removesuffix(".html")
    if path.endswith("progress/index.html"):
        # a card per unit: its name, then a chip per month that has something due
        row = page.locator("#unit-zhenfeng")
        assert row.evaluate("e => getComputedStyle(e).display") == "flex"
        assert page.locator("table.kh-board thead").is_hidden()
        chip = row.locator("td.kh-ps-overdue")
        assert chip.is_visible()
        assert chip.evaluate("e => getComputedStyle(e, '::before').content") == '"9月"'
        box = row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    if path.endswith("zhenfeng.html"):
        card = page.locator("tr.kh-ps-row").first
        assert card.evaluate("e => getComputedStyle(e).display") == "block"
        assert page.locator("table.kh-progress thead").first.is_hidden()
    if path.endswith("review.html"):
        card = page.locator("tr.kh-review-row").first
        assert card.evaluate("e => getComputedStyle(e).display") == "block"
        assert card.bounding_box()["width"] <= 390
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=path.endswith("index.html"))
    assert problems == []


def test_a_progress_pages_indicator_looks_like_the_link_to_the_sheets_row_it_is(served, browser_page):
    """A unit's progress page names each requirement's indicator and links it to the sheet's row, but
    the link took the cell's own ink (color: inherit, no underline): a clerk could not tell it led
    anywhere. It reads in the site's link colour, as the 考核评分表 link above the table does."""
    page, problems = browser_page
    page.goto(served + ORG + "2010/progress/zhenfeng.html")
    page.wait_for_load_state("networkidle")
    link = page.locator("td.kh-ps-ind a").first
    colour = "e => getComputedStyle(e).color"
    assert link.evaluate(colour) != page.locator("td.kh-ps-ind").first.evaluate(colour)
    assert link.evaluate(colour) == page.locator("article a[href$='units/zhenfeng.html']").first.evaluate(colour)
    assert problems == []
