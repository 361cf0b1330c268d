"""The shipped site of both years in headless Chromium: search finds Chinese words, a phone at
390 px never scrolls sideways, the "只看扣分项" switch works without JavaScript, and every printed
page names its unit and year. Screenshots for people to look at go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import ARTIFACTS, require_browser, serve

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site
from generator.render.years import years

sync_api = require_browser()
pypdf = pytest.importorskip("pypdf", reason="the print test reads the PDF with pypdf (pip install pypdf)")

ROOT = Path(__file__).resolve().parent.parent
YEARS = years(ROOT)
pytestmark = pytest.mark.skipif(not {2010, 2014} <= set(YEARS), reason="the shipped years 2010 and 2014 are expected")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = tmp_path_factory.mktemp("reading") / "site"
    write_site(ROOT, site, [Version(y, Provenance()) for y in YEARS])
    with serve(site) as url:
        yield url, site


def search(page, query: str) -> list[tuple[str, str]]:
    """(href, title) of the results Material lists for `query`, typed as a reader types."""
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material searches on key events
    page.wait_for_function(
        "q => { const m = document.querySelector('.md-search-result__meta'); return m && /结果|没有/.test(m.textContent)"
        " && document.querySelector('input.md-search__input').value === q }",
        arg=query,
        timeout=30000,
    )
    page.wait_for_timeout(300)
    return page.locator(".md-search-result__item > a").evaluate_all(
        "els => els.map(e => [e.getAttribute('href'), (e.querySelector('h1, h2') || e).textContent.trim()])"
    )


def test_search_finds_chinese_words_whole_words_first(served, browser_page):
    url, _ = served
    page, problems = browser_page
    page.goto(url + "qianxinan-qts/2010/index.html")
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('初始化')", timeout=30000
    )
    found = search(page, "安龙")
    assert found and "/2010/units/anlong.html" in found[0][0] and found[0][1] == "安龙县质量技术监督局"
    assert all("安龙" in title or "anlong" in href for href, title in found)  # not every 安全 any more
    assert "安全" not in " ".join(t for _, t in found if "安龙" not in t)
    page.screenshot(path=str(ARTIFACTS / "search-anlong.png"))
    vetoes = search(page, "否决")
    assert any("/2010/units/anlong.html" in href for href, _ in vetoes)
    # a deduction's reason is searchable: "参训率92%" is only in 安龙县's 五、6 deduction
    reasons = search(page, "参训率92%")
    assert {href.split("?")[0].rsplit("/2010/", 1)[1] for href, _ in reasons} == {"units/anlong.html"}
    assert problems == []


@pytest.mark.parametrize(
    "path",
    [
        "qianxinan-qts/2010/index.html",
        "qianxinan-qts/2010/units/anlong.html",
        "qianxinan-qts/2010/units/qinglong.html",
        "qianxinan-qts/2010/framework.html",
        "qianxinan-qts/2010/indicators/index.html",
        "qianxinan-qts/2010/indicators/tz-02.html",
        "liaoyang-ciq/2014/index.html",
        "liaoyang-ciq/2014/units/qfk.html",
        "liaoyang-ciq/2014/units/bgs.html",
        "liaoyang-ciq/2014/framework.html",
    ],
)
def test_a_phone_never_scrolls_sideways(served, browser_page, path):
    url, _ = served
    page, problems = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if "/units/" in path:
        # a row is a card: title and score side by side, the standard left to the indicator page
        card = page.locator("tr.kh-row.kh-has-loss").first
        assert card.evaluate("e => getComputedStyle(e).display") == "block"
        assert card.locator("td.kh-standard").is_hidden()
        assert card.locator(".kh-amt").first.is_visible()
    if path.endswith("index.html") and "indicators" not in path:
        # charts drawn for the narrow screen: their 12 px text is drawn at about 12 px, not 6
        chart = page.locator(".kh-chart-narrow svg").first
        assert chart.is_visible() and page.locator(".kh-chart-wide svg").first.is_hidden()
        size = chart.evaluate("s => s.getBoundingClientRect().width / s.viewBox.baseVal.width")
        assert size > 0.85
    if path == "qianxinan-qts/2010/units/anlong.html":
        page.screenshot(path=str(ARTIFACTS / "phone-sheet.png"), full_page=True)
    assert problems == []


def test_only_lost_switch_works_without_javascript(served, tmp_path):
    url, _ = served
    with sync_api.sync_playwright() as p:
        from browser_support import ARGS, CHROMIUM

        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(url + "qianxinan-qts/2010/units/anlong.html")
            rows = page.locator("tr.kh-row")
            kept = page.locator("tr.kh-row.kh-has-loss")
            total, losing = rows.count(), kept.count()
            assert total == 43 and losing == 3  # 安龙县: 一、9, 三、4 (否决), 五、6 among 43 rows
            assert page.locator("tr.kh-row:visible").count() == total
            page.locator("#kh-only-lost").check()
            assert page.locator("tr.kh-row:visible").count() == losing
            assert page.locator("#ind-zf-04").is_visible()
            assert page.locator("tr.kh-hidden-note:visible").count() > 0  # "另有N项没有扣分，未显示"
            # printed as the switch says, and the printout says it is filtered
            page.emulate_media(media="print")
            assert page.locator("tr.kh-row:visible").count() == losing
            assert "只显示有扣分" in page.locator(".kh-switch").inner_text()
            page.emulate_media(media="screen")
            page.locator("#kh-only-lost").uncheck()
            assert page.locator("tr.kh-row:visible").count() == total
        finally:
            browser.close()


def pdf_pages(page, path: Path) -> list[str]:
    page.pdf(path=str(path), format="A4", print_background=True, prefer_css_page_size=True)
    return [p.extract_text() for p in pypdf.PdfReader(str(path)).pages]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("qianxinan-qts/2010/units/anlong.html", "安龙县质量技术监督局 · 2010年度考核评分表"),
        ("liaoyang-ciq/2014/units/qfk.html", "轻纺科 · 2014年度考核评分表"),
        ("qianxinan-qts/2010/index.html", "黔西南州质监系统2010年度目标绩效考核 · 考核总览"),
    ],
)
def test_every_printed_page_names_its_unit_and_year(served, browser_page, tmp_path, path, heading):
    url, _ = served
    page, problems = browser_page
    page.goto(url + path)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    texts = pdf_pages(page, tmp_path / "printed.pdf")
    flat = [" ".join(t.split()).replace(" ", "") for t in texts]
    assert len(texts) > 1
    for n, text in enumerate(flat, 1):
        assert heading.replace(" ", "") in text, (n, text[:80])
        assert f"第{n}页/共{len(texts)}页" in text
    last = flat[-1]
    if "/units/" in path:  # the unit's head signs and stamps beside the assessor and the reviewer
        assert all(w in last for w in ("被考核单位负责人", "单位（盖章）", "考核人", "审核人"))
    else:
        assert "考核人" in last and "审核人" in last
    # no heading is left alone at the foot of a page: each page's last line is not a category title
    for text in texts[:-1]:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert not any(lines[-1].startswith(f"{n}、") for n in "一二三四五六七八九"), lines[-3:]
    if path == "qianxinan-qts/2010/units/anlong.html":
        page.set_viewport_size({"width": 794, "height": 1123})
        page.screenshot(path=str(ARTIFACTS / "printed-sheet.png"), full_page=True)
    assert problems == []


def test_screenshots_for_people_to_look_at(served, browser_page):
    url, _ = served
    page, problems = browser_page
    for path, name in [
        ("qianxinan-qts/2010/index.html", "reading-overview-2010"),
        ("liaoyang-ciq/2014/index.html", "reading-overview-2014"),
        ("qianxinan-qts/2010/units/xingren.html", "reading-sheet-2010"),
        ("qianxinan-qts/2010/units/anlong.html", "reading-vetoed-sheet-2010"),
        ("liaoyang-ciq/2014/units/qfk.html", "reading-sheet-2014"),
    ]:
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.is_visible()
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert problems == []


# Every figure a phone shows without its column header: the 小计 / 折算得分 / 本表分值 lines under a sheet's
# table, the bonus table's 封顶 and 计入总分的加分 lines, an indicator page's unit cards, a period page's rows.
BEFORE = "e => getComputedStyle(e, '::before').content.replace(/^none$/, '').replace(/[\"']/g, '')"
UNLABELLED_FIGURES = f"""sel => [...document.querySelectorAll(sel)]
    .filter(e => e.offsetParent !== null && e.textContent.trim() !== '' && !/\\S/.test(({BEFORE})(e)))
    .map(e => e.closest('tr').textContent.replace(/\\s+/g, ' ').trim())"""
READ_ROW = f"""r => [...r.children].filter(e => e.offsetParent !== null)
    .map(e => (({BEFORE})(e) + e.textContent).replace(/\\s+/g, ' ').trim()).join(' ')"""


@pytest.mark.parametrize(
    ("path", "cells", "row", "expected"),
    [
        # 兴仁 2010 table 二 (得分制): 分值 5, 得分 3, 未得分 2 (二、2 未得2分; 二、1 不适用 and 二、3 不计分 count nothing)
        (
            "qianxinan-qts/2010/units/xingren.html",
            "table.kh-sheet tfoot td.kh-num, tr.kh-base td.kh-num",
            "#cat-biaozhun + p + table tr.kh-subtotal",
            "小计 分值：5 得分：3 未得分：2",
        ),
        # 轻纺科 2014 创优绩效: 加分上限 1 + 1 + 1 = 3, 加分 1 + 0.5 + 0.6 = 2.1, then 封顶 −0.1 (最多2分) and 计入 2
        (
            "liaoyang-ciq/2014/units/qfk.html",
            "table.kh-sheet tfoot td.kh-num, tr.kh-base td.kh-num",
            "#cat-chuangyou + p + table tr.kh-subtotal",
            "小计 加分上限：3 加分：2.1",
        ),
        # 三、1 政务信息报送 (分值 0, 扣分制): 人事科 缺1篇 in 第二季度, 0.1 × 0.25 = 扣0.025
        (
            "liaoyang-ciq/2014/indicators/gl-01.html",
            "table.kh-compare td.kh-num",
            "#unit-rsk",
            "人事科 分值：0 得分：−0.025 扣分：0.025",
        ),
        # 第一季度: 办公室 一、1 公文运转和督查督办 扣0.1 (分值 0) reads 得分 −0.1
        (
            "liaoyang-ciq/2014/periods/2014-Q1.html",
            "#unit-bgs + table td.kh-num",
            "#unit-bgs + table tbody tr",
            "得分：−0.1",
        ),
    ],
    ids=["sheet-2010-earned-subtotal", "sheet-2014-bonus-subtotal", "indicator-2014", "period-2014-Q1"],
)
def test_a_phone_labels_every_figure_it_shows_without_a_header(served, browser_page, path, cells, row, expected):
    """At 390 px a table's header row is hidden and each row is a card: a 小计 line read "小计 5 3 2" and an
    indicator page's unit card "0 / −0.025 / 0.025", figures nobody could tell apart (分值? 得分? 扣分?)."""
    url, _ = served
    page, problems = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(UNLABELLED_FIGURES, cells) == []
    assert expected in page.locator(row).first.evaluate(READ_ROW)
    assert problems == []


def _luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    channels = [c / 255 for c in rgb]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_words_of_a_not_applicable_row_are_readable_on_its_hatching(served, browser_page):
    """A 不适用 / 不计分 / 未到期 row is greyed and hatched (#fafafa and #f1f2f4 stripes): its words were
    #6b717a, 4.4 : 1 on the darker stripe, under the 4.5 : 1 WCAG AA asks of body text."""
    import re

    url, _ = served
    page, problems = browser_page
    page.goto(url + "qianxinan-qts/2010/units/xingren.html")
    page.wait_for_load_state("networkidle")
    cell = page.locator("#ind-bz-01 td.kh-target")  # 二、1: 只涉及册亨、贞丰、晴隆三个县局
    style = cell.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundImage]")
    ink = tuple(int(x) for x in re.findall(r"\d+", style[0])[:3])
    stripes = [tuple(int(x) for x in m) for m in re.findall(r"rgb\((\d+), (\d+), (\d+)\)", style[1])]
    assert stripes, style
    assert min(_contrast(ink, s) for s in stripes) >= 4.5, (style, [round(_contrast(ink, s), 2) for s in stripes])
    assert problems == []
