"""The shipped site read on a 1280 × 800 laptop and a 390 × 844 phone, in headless Chromium.

A leader reads the overview and the 指标评估 page on a laptop: the ranking (unit, total, rank,
grade) and the review's figures must be on the screen without scrolling sideways. On a phone the
wide tables that stay tables (分类得分, the periods) scroll, and the unit's name stays in view while
they do. Screenshots for people to look at go to tests/artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, open_page, require_browser, serve

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site
from generator.render.years import years

sync_api = require_browser()

ROOT = Path(__file__).resolve().parent.parent
YEARS = years(ROOT)
pytestmark = pytest.mark.skipif(
    not {2010, 2011, 2014} <= set(YEARS), reason="the shipped years 2010, 2011 and 2014 are expected"
)
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PAGES = [
    f"{org}/{year}/{name}"
    for org, year in [("qianxinan-qts", 2010), ("qianxinan-qts", 2011), ("liaoyang-ciq", 2014)]
    for name in ("index.html", "review.html")
]

# every table wrapper of the article: [class of its table, its content's width, its visible width]
WRAPS = """() => [...document.querySelectorAll('article .kh-table-wrap')].map(w =>
  [w.querySelector('table').className, w.scrollWidth, w.clientWidth])"""
# the right edge of the cells a leader reads first, in every ranking row
KEY_CELLS = """() => [...document.querySelectorAll('table.kh-ranking tbody tr')].flatMap(r =>
  [r.cells[0], r.querySelector('td.kh-unit'), r.querySelector('[data-col=total]'), r.querySelector('td.kh-grade')]
  .filter(Boolean).map(c => [r.id, c.className, c.getBoundingClientRect().right]))"""
# header cells that wrap with one Chinese character alone on a line (改变名 over 次): the lines of
# each header, grouped by the top of every character
ORPHANS = """() => [...document.querySelectorAll('table.kh-ranking thead th, table.kh-review thead th')].flatMap(th => {
  const lines = new Map();
  const walk = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) for (let i = 0; i < n.data.length; i++) {
    if (!n.data[i].trim()) continue;
    const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
    const top = Math.round(r.getBoundingClientRect().top);
    lines.set(top, (lines.get(top) || '') + n.data[i]);
  }
  const all = [...lines.values()];
  return all.length > 1 && all.some(l => /^[\u4e00-\u9fff]$/.test(l)) ? [all.join('/')] : [];
})"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = tmp_path_factory.mktemp("fit") / "site"
    write_site(ROOT, site, [Version(y, Provenance()) for y in YEARS])
    with serve(site) as url:
        yield url


@pytest.fixture
def browser_page(served):
    with open_page(sync_api) as opened:
        yield opened


@pytest.mark.parametrize("path", PAGES)
def test_a_laptop_shows_the_whole_ranking_and_review_without_scrolling_sideways(served, browser_page, path):
    page, problems = browser_page
    page.set_viewport_size(LAPTOP)
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    wide = [(cls, content, shown) for cls, content, shown in page.evaluate(WRAPS) if content > shown]
    assert wide == []  # no table of the page hides columns behind a sideways scroll
    assert page.evaluate(ORPHANS) == []
    if path.endswith("index.html"):
        cells = page.evaluate(KEY_CELLS)
        assert cells and all(right <= LAPTOP["width"] for _, _, right in cells)
    page.screenshot(path=str(ARTIFACTS / f"laptop-{path.replace('/', '-')}.png"), full_page=True)
    assert problems == []


@pytest.mark.parametrize(
    ("path", "table"),
    [
        ("qianxinan-qts/2011/index.html", "table.kh-matrix"),
        ("liaoyang-ciq/2014/index.html", "table.kh-matrix"),
        ("liaoyang-ciq/2014/index.html", "table.kh-periods"),
    ],
)
def test_a_phone_keeps_the_unit_in_view_while_a_wide_table_scrolls(served, browser_page, path, table):
    page, problems = browser_page
    page.set_viewport_size(PHONE)
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    grid = page.locator(table).first
    grid.scroll_into_view_if_needed()
    # scrolled to its last column (the total) ...
    scroller = grid.evaluate_handle(
        "t => { let e = t; while (e && !(e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX !== 'visible'))"
        " e = e.parentElement; return e || t; }"
    )
    scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    page.wait_for_timeout(100)
    box = scroller.evaluate("e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }")
    unit = grid.locator("tbody tr").first.locator("td.kh-unit")
    left, right = unit.evaluate("e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }")
    # ... the unit's name is still inside the visible part of the table, and leaves room for figures
    assert box[0] - 1 <= left and right <= box[1]
    assert right - left <= PHONE["width"] * 0.45
    total = grid.locator("tbody tr").first.locator("td[data-col=total], td.kh-strong").last
    t_left, t_right = total.evaluate("e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }")
    assert right <= t_left + 1 and t_right <= box[1] + 1  # the total shows beside it, not under it
    page.screenshot(path=str(ARTIFACTS / f"phone-{path.replace('/', '-')}-{table.split('.')[-1]}.png"))
    assert problems == []


# every card of a sheet's digest as a phone shows it: [section, text of each figure cell shown, the
# card's text as it reads (cells in the order they are laid out), [top, background] of each cell shown]
DIGEST_CARDS = """() => [...document.querySelectorAll('table.kh-digest tbody tr, table.kh-digest tfoot tr')].map(r => {
  const shown = [...r.cells].filter(c => getComputedStyle(c).display !== 'none');
  return [r.parentElement.tagName.toLowerCase(),
    shown.filter(c => c.classList.contains('kh-num')).map(c => c.innerText.trim()),
    shown.map(c => [c.getBoundingClientRect(), c.innerText.replace(/\\s+/g, ' ').trim()])
      .sort((a, b) => a[0].top - b[0].top || a[0].left - b[0].left).map(x => x[1]).join(' '),
    shown.map(c => [Math.round(c.getBoundingClientRect().top), getComputedStyle(c).backgroundColor])];
})"""
IN_WORDS = r"^(否决·)?少?[扣加]\d+(\.\d+)?分$"


@pytest.mark.parametrize(
    ("path", "first", "total"),
    [
        # 安龙 2010: the veto of 三、4 (20分) first; 20 + 2 (五、6) + 0.2 (一、9) = 22.2 lost
        ("qianxinan-qts/2010/units/anlong.html", "否决·扣20分", "合计 扣22.2分"),
        # 普安 2011: 1 + 0.2 + 0.1 + 0.1 (七、1, changed on review from 0.4) = 1.4 lost
        ("qianxinan-qts/2011/units/puan.html", "扣1分", "合计 扣1.4分"),
        # 办公室 2014: 0.32 + 0.32 + 0.2 + 0.025 + 0.05 + 0.05 = 0.965 lost; 六、3 adds 2 × 0.2 = 0.4
        ("liaoyang-ciq/2014/units/bgs.html", "扣0.32分", "合计 扣0.965分 加0.4分"),
    ],
)
def test_a_phone_says_in_words_what_each_digest_figure_is(served, browser_page, path, first, total):
    """A phone hides the digest's column headers (扣分 / 加分): each card says 扣0.4分 or 加0.5分, as the
    overview's ranking cards do, never a bare red number; the 合计 card reads on one line, no strip."""
    page, problems = browser_page
    page.set_viewport_size(PHONE)
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    cards = page.evaluate(DIGEST_CARDS)
    body = [c for c in cards if c[0] == "tbody"]
    (foot,) = [c for c in cards if c[0] == "tfoot"]
    assert body and all(figures and all(re.match(IN_WORDS, f) for f in figures) for _, figures, _, _ in body)
    assert body[0][1] == [first]
    assert foot[2] == total
    tops = {top for top, _ in foot[3]}
    backgrounds = {background for _, background in foot[3]}
    assert len(tops) == 1  # 合计 and its figures on one line
    assert backgrounds == {"rgba(0, 0, 0, 0)"}  # the card's own background: no grey strip across it
    page.locator("table.kh-digest").scroll_into_view_if_needed()
    page.locator("table.kh-digest").screenshot(path=str(ARTIFACTS / f"phone-digest-{path.replace('/', '-')}.png"))
    assert problems == []
