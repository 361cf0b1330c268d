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
from browser_support import ARTIFACTS, contrast, edge_colours, require_browser, serve

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


def open_at(page, viewport: dict[str, int], url: str) -> None:
    """`url` in a window of `viewport`'s size, once the page and what it loads have settled."""
    page.set_viewport_size(viewport)
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", PAGES)
def test_a_laptop_shows_the_whole_ranking_and_review_without_scrolling_sideways(served, browser_page, path):
    page, problems = browser_page
    open_at(page, LAPTOP, served + path)
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
    open_at(page, PHONE, served + path)
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
IN_WORDS = r"^(否决·)?(少?[扣加]|未得|未得分少计)\d+(\.\d+)?分$"


@pytest.mark.parametrize(
    ("path", "first", "total"),
    [
        # 安龙 2010: the veto of 三、4 (20分) first; 20 + 2 (五、6) + 0.2 (一、9) = 22.2 lost
        ("qianxinan-qts/2010/units/anlong.html", "否决·扣20分", "合计 扣22.2分"),
        # 普安 2011: 1 + 0.2 + 0.1 + 0.1 (七、1, changed on review from 0.4) = 1.4 lost
        ("qianxinan-qts/2011/units/puan.html", "扣1分", "合计 扣1.4分"),
        # 办公室 2014: 0.32 + 0.32 + 0.2 + 0.025 + 0.05 + 0.05 = 0.965 lost; 六、3 adds 2 × 0.2 = 0.4.
        # 五、1 相互评价 is 服务绩效, 得分制 (第十二条): its 0.32 was not earned (未得), and the sum holds
        # that and 四、3's deduction (扣0.2分), so it says 失 (lost), which is both
        ("liaoyang-ciq/2014/units/bgs.html", "未得0.32分", "合计 失0.965分 加0.4分"),
    ],
)
def test_a_phone_says_in_words_what_each_digest_figure_is(served, browser_page, path, first, total):
    """A phone hides the digest's column headers (扣分 / 加分): each card says 扣0.4分 or 加0.5分, as the
    overview's ranking cards do, never a bare red number; the 合计 card reads on one line, no strip."""
    page, problems = browser_page
    open_at(page, PHONE, served + path)
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


YEARS_SHOWN = [("qianxinan-qts", 2010), ("qianxinan-qts", 2011), ("liaoyang-ciq", 2014)]
# the unit sheets a year's overview links from its ranking
SHEET_LINKS = """() => [...document.querySelectorAll('table.kh-ranking td.kh-unit > a')].map(a => a.href)"""
# every cell of a sheet's headline (总分 … 等次) that shows (a hidden header row has no boxes): [tag, the card's own label (its ::before,
# '' where there is none), its text, left, right, top]
HEADLINE = """() => [...document.querySelectorAll('table.kh-summary th, table.kh-summary td')]
  .filter(c => c.getClientRects().length).map(c => {
    const r = c.getBoundingClientRect(), before = getComputedStyle(c, '::before').content;
    return [c.tagName.toLowerCase(), before === 'none' ? '' : before.replace(/^"|"$/g, ''),
      c.innerText.replace(/\\s+/g, ' ').trim(), r.left, r.right, Math.round(r.top)];
  })"""
# the headline's column headers in the page's source, in order
HEADERS = """() => [...document.querySelectorAll('table.kh-summary thead th')].map(th => th.innerText.trim())"""


def sheets_of(page, served: str, org: str, year: int) -> list[str]:
    page.goto(f"{served}{org}/{year}/index.html")
    page.wait_for_load_state("networkidle")  # the favicon too: leaving earlier aborts its request
    links = page.evaluate(SHEET_LINKS)
    assert links, f"{org} {year}: the overview links no sheet"
    return links


@pytest.mark.parametrize(("org", "year"), YEARS_SHOWN)
def test_a_phone_shows_every_headline_figure_of_every_sheet_as_a_labelled_card(served, browser_page, org, year):
    """On a 390 px phone the headline (总分, 满分, 失分, 加分, 得分率, 排名, 等次) is read without scrolling
    sideways: every figure is a card inside the screen that says what it is (its column's header),
    and 等次, what a leader looks for first, is among them where the framework grades."""
    page, problems = browser_page
    page.set_viewport_size(PHONE)
    for url in sheets_of(page, served, org, year):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        headers = page.evaluate(HEADERS)
        cells = page.evaluate(HEADLINE)
        where = url.rsplit("/", 3)[-3:]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], where
        assert all(left >= 0 and right <= PHONE["width"] for *_, left, right, _ in cells), (where, cells)
        assert [tag for tag, *_ in cells] == ["td"] * len(headers), where  # no header row: the cards say it
        assert [label for _, label, *_ in cells] == headers, where  # each card labelled as its column
        assert len({top for *_, top in cells}) > 1, where  # the cards wrap into rows
        if "等次" in headers:
            grade = cells[headers.index("等次")]
            assert grade[2] and grade[4] <= PHONE["width"], where
    page.screenshot(path=str(ARTIFACTS / f"phone-headline-{org}-{year}-last.png"))
    assert problems == []


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("qianxinan-qts/2011/units/xingyi.html", ["总分", "满分", "失分", "得分率", "县（市）局排名", "等次"]),
        ("liaoyang-ciq/2014/units/bgs.html", ["总分", "满分", "失分", "加分", "行政管理科室排名", "等次"]),
    ],
)
def test_a_laptop_keeps_the_headline_a_table_of_one_row(served, browser_page, path, headers):
    """At 1280 px the headline stays the table it was: the header row above one row of figures, no
    card labels, every cell on the screen."""
    page, problems = browser_page
    open_at(page, LAPTOP, served + path)
    cells = page.evaluate(HEADLINE)
    heads = [c for c in cells if c[0] == "th"]
    figures = [c for c in cells if c[0] == "td"]
    assert [text for _, _, text, *_ in heads] == headers
    assert len(figures) == len(headers) and all(label == "" for _, label, *_ in figures)
    assert len({top for *_, top in heads}) == 1 and len({top for *_, top in figures}) == 1  # one line each
    assert all(abs(h[3] - f[3]) < 1 and abs(h[4] - f[4]) < 1 for h, f in zip(heads, figures, strict=True))  # columns
    assert all(right <= LAPTOP["width"] for *_, right, _ in cells)
    assert page.evaluate("getComputedStyle(document.querySelector('table.kh-summary')).display") == "table"
    page.locator("table.kh-summary").screenshot(path=str(ARTIFACTS / f"laptop-headline-{path.replace('/', '-')}.png"))
    assert problems == []


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_vetoed_digest_line_says_veto_once(served, browser_page, viewport):
    """安龙 2010's 三、4 is vetoed: its digest line says 否决 once, on a phone card (否决·扣20分, no
    badge repeating it on the reason line) as in the table (the badge beside the reason, 20 under 扣分)."""
    page, problems = browser_page
    open_at(page, viewport, served + "qianxinan-qts/2010/units/anlong.html")
    line = page.locator("table.kh-digest tr.kh-kind-veto")
    assert line.count() == 1
    text = line.inner_text()
    assert text.count("否决") == 1, text
    assert "此项不得分" in text
    line.scroll_into_view_if_needed()
    page.locator("table.kh-digest").screenshot(
        path=str(ARTIFACTS / f"{'phone' if viewport is PHONE else 'laptop'}-digest-veto-anlong-2010.png")
    )
    assert problems == []


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_vetoed_row_of_a_category_table_says_veto_once_on_a_phone(served, browser_page, viewport):
    """安龙 2010's 三、4 (zf-04) is vetoed. On a phone its row is a card reading 得分：0 否决 and, just
    below, 否决·扣20分: 否决 twice. The 得分 badge is hidden there, the veto line says it; the laptop
    table keeps the badge in its 得分 column, where no line stands beside it."""
    page, problems = browser_page
    open_at(page, viewport, served + "qianxinan-qts/2010/units/anlong.html")
    row = page.locator("table.kh-sheet tr#ind-zf-04")
    text = row.inner_text()
    assert "否决·扣20分" in text and "此项不得分" in text, text
    badge = row.locator("td.kh-score .kh-badge-vetoed")
    if viewport is PHONE:
        assert text.count("否决") == 1, text
        assert not badge.is_visible()
    else:
        assert badge.is_visible()
    row.scroll_into_view_if_needed()
    row.screenshot(path=str(ARTIFACTS / f"{'phone' if viewport is PHONE else 'laptop'}-sheet-veto-anlong-2010.png"))
    assert problems == []


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_an_appeal_is_not_numbered_with_a_latin_letter(served, browser_page, viewport):
    """普安 2011's 七、1 deduction was appealed (复核, decided 变更). The appeal is a list inside the
    line's list, which Material numbers a., b.: a Chinese sheet read "a. 复核：2012-01-11，…". Each
    appeal says its kind first; the list shows no marker."""
    page, problems = browser_page
    open_at(page, viewport, served + "qianxinan-qts/2011/units/puan.html")
    appeals = page.locator("ol.kh-appeals:not(.kh-appeal-list)")  # under the deduction it contests
    assert appeals.count() >= 1
    assert appeals.evaluate_all("els => els.map(e => getComputedStyle(e).listStyleType)") == ["none"] * appeals.count()
    # the unit's list of its appeals, a list of its own, keeps its 1., 2.
    assert page.locator("ol.kh-appeal-list").evaluate("e => getComputedStyle(e).listStyleType") == "decimal"
    appeal = page.locator("li.kh-appeal").first
    assert appeal.inner_text().startswith("复核：2012-01-11")
    appeal.scroll_into_view_if_needed()
    appeal.screenshot(path=str(ARTIFACTS / f"{'phone' if viewport is PHONE else 'laptop'}-appeal-puan-2011.png"))
    assert problems == []


WHITE = (255, 255, 255)
# a table's scroll state: [its content's width, its visible width, how far it is scrolled]
SCROLL = "t => [t.scrollWidth, t.clientWidth, t.scrollLeft]"
MUTED = "() => getComputedStyle(document.documentElement).getPropertyValue('--kh-muted').trim()"


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("path", "table", "wide"),
    [
        # 2010's framework tables: 477 px of columns in 356 px (measured); no sticky column at the left
        ("qianxinan-qts/2010/framework.html", "table.kh-framework", True),
        # the 分类得分 of 2011: 716 px in 357 px, the unit's name sticky at the left
        ("qianxinan-qts/2011/index.html", "table.kh-matrix", True),
        # a sheet's 分类 table, its four columns inside the screen
        ("qianxinan-qts/2010/units/anlong.html", "table.kh-cats", False),
    ],
)
def test_a_phone_shades_the_edge_beyond_which_a_table_has_columns(served, browser_page, path, table, wide):
    """On a 390 px phone a table wider than the screen scrolls inside itself, and nothing said so: the
    cut column looked like the table's end. The edge with columns beyond it is shaded (a scroll shadow,
    CSS alone), the shade leaves with the last column, and a table that fits has none. The shade is
    light enough that the palest text of a table (--kh-muted) keeps WCAG AA's 4.5:1 on it."""
    page, problems = browser_page
    open_at(page, PHONE, served + path)
    grid = page.locator(table).first
    grid.evaluate("t => { t.scrollIntoView(); scrollBy(0, -80); }")  # under Material's header bar
    content, shown, _ = grid.evaluate(SCROLL)
    assert (content > shown) is wide  # the premise: measured in this browser
    left, right = edge_colours(page, grid)
    assert left == WHITE  # nothing before the first column
    if not wide:
        assert right == WHITE
        assert problems == []
        return
    assert right != WHITE and right[2] >= right[0]  # a shade, blue-grey as the rules, not white
    assert contrast(right, rgb(page.evaluate(MUTED))) >= 4.5
    page.screenshot(path=str(ARTIFACTS / f"phone-scroll-shade-{path.replace('/', '-')}.png"))
    grid.evaluate("t => { t.scrollLeft = t.scrollWidth; }")
    page.wait_for_timeout(100)
    assert grid.evaluate(SCROLL)[2] > 0
    left, right = edge_colours(page, grid)
    assert right == WHITE  # the last column reached: no shade
    if "matrix" not in table:  # (the matrix's sticky unit name covers the left edge)
        assert left != WHITE and contrast(left, rgb(page.evaluate(MUTED))) >= 4.5
    assert problems == []


def test_a_laptop_shows_no_scroll_shade(served, browser_page):
    """The shade is the phone's: at 1280 px the tables keep the background they had (none)."""
    page, problems = browser_page
    open_at(page, LAPTOP, served + "qianxinan-qts/2010/framework.html")
    backgrounds = page.locator("table.kh-table").evaluate_all("ts => ts.map(t => getComputedStyle(t).backgroundImage)")
    assert backgrounds and set(backgrounds) == {"none"}
    assert problems == []


# the 兴义 row of 2011's ranking: [its 等次 cell's text as shown, the veto effect's text, whether it shows, its right edge]
VETO_CARD = """() => { const cell = document.querySelector('tr#unit-xingyi td.kh-grade'), why = cell.querySelector('.kh-veto-effect');
  return [cell.innerText.replace(/\\s+/g, ''), why ? why.textContent : '', !!why && why.getClientRects().length > 0,
    why ? why.getBoundingClientRect().right : 0]; }"""


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_phone_says_beside_the_badge_what_a_unit_veto_does(served, browser_page, viewport):
    """兴义 ranks 1/8 in 2011 with a 一票否决 badge. What the veto does was only in the badge's tooltip
    (title), which a phone shows to nobody: a tap follows the link. The effect comes from the rule
    (frameworks/qianxinan-qts-2011/01-dangfeng.toml, leader-discipline: max_grade = "良好", no
    commendation), in the words of the sheet's veto box; the phone's card says it beside the badge,
    the laptop's table keeps its tooltip and its cell as it was."""
    page, problems = browser_page
    open_at(page, viewport, served + "qianxinan-qts/2011/index.html")
    text, effect, shown, right = page.evaluate(VETO_CARD)
    assert effect == "（最高评为良好，取消评先评优资格）"
    badge = page.locator("tr#unit-xingyi a.kh-badge-unitveto")
    assert badge.get_attribute("href") == "units/xingyi.html#unit-veto"
    if viewport is PHONE:
        assert shown and right <= PHONE["width"]
        assert text == "良好（拟定示例）一票否决（最高评为良好，取消评先评优资格）※"  # after its label 等次：
        page.locator("tr#unit-xingyi").screenshot(path=str(ARTIFACTS / "phone-unit-veto-xingyi-2011.png"))
    else:
        assert not shown
        assert text == "良好（拟定示例）一票否决※"
    assert problems == []
