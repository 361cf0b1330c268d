"""The shipped site built in English (`lang: en` under `plugins: - kaohe:`) read on a 390 × 844 phone.

Data stays as written (unit names, the framework's words, an appeal kind such as 复核); what kaohe
writes around it is English, punctuation included. The pages put Chinese punctuation of their own
between English labels and values ("Organization：", "Points：0.3" on a phone card, "Legend：",
"（1）"), wrote 决定 after an appeal kind ("within 15 days of the 复核决定") and 考核结果 after a
period's title. Screenshots for people to look at go to tests/artifacts/english-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import ARTIFACTS, contrast, edge_colours, require_browser, serve

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site
from generator.render.siteconfig import PACKAGE_CONFIG
from generator.render.years import years

sync_api = require_browser()

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    not {2011, 2014} <= set(years(ROOT)), reason="the shipped years 2011 and 2014 are expected"
)
PHONE = {"width": 390, "height": 844}
#: Chinese punctuation kaohe itself used to put between its words and values.
OWN_PUNCTUATION = "：；（）。"

# the text of every ::before label of a phone card (sheet rows, the ranking, the progress board)
CARD_LABELS = """() => [...document.querySelectorAll(
  'table.kh-sheet td.kh-num[data-label], table.kh-ranking td[data-label], table.kh-board td.kh-num[data-label]')]
  .filter(td => td.offsetParent).map(td => getComputedStyle(td, '::before').content)"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("english")
    config = folder / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {PACKAGE_CONFIG}\nplugins:\n  - kaohe:\n      lang: en\n  - search\n", encoding="utf-8"
    )
    site = folder / "site"
    write_site(ROOT, site, [Version(y, Provenance()) for y in (2011, 2014)], config_file=config)
    with serve(site) as url:
        yield url


def open_phone(page, url: str, shot: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / f"english-{shot}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize(
    "path",
    [
        "qianxinan-qts/2011/units/puan.html",  # sheet rows as cards
        "qianxinan-qts/2011/index.html",  # the ranking as cards
        "qianxinan-qts/2011/progress/index.html",  # the board
        "liaoyang-ciq/2014/units/bgs.html",
    ],
)
def test_a_phone_card_labels_its_figures_with_english_punctuation(served, browser_page, path):
    """Each card's figure is labelled by CSS (`content: attr(data-label) …`), which wrote a
    full-width colon in every language: "Points：0.3". The page's language picks it: "Points: 0.3"."""
    page, problems = browser_page
    open_phone(page, served + path, path.replace("/", "-").removesuffix(".html"))
    labels = page.evaluate(CARD_LABELS)
    assert labels, "no card label on the page"
    assert all(label.endswith(': "') for label in labels), sorted(set(labels))[:5]
    assert problems == []


@pytest.mark.parametrize(
    "path",
    [
        "qianxinan-qts/2011/index.html",
        "qianxinan-qts/2011/units/puan.html",
        "qianxinan-qts/2011/indicators/df-01.html",
        "qianxinan-qts/2011/evidence/xingyi/df-01-2011-12-15-niandu-baogao.html",
        "qianxinan-qts/2011/review.html",
        "qianxinan-qts/2011/progress/puan.html",
    ],
)
def test_an_english_page_writes_english_around_the_data(served, browser_page, path):
    """The banner's facts ("Organization: 黔西南州质量技术监督局"), the public notice's appeal periods
    (the data's kind 复核, then "decision", not 决定) and the sheet's notes read as English."""
    page, problems = browser_page
    open_phone(page, served + path, path.replace("/", "-").removesuffix(".html") + "-text")
    facts = page.locator(".kh-prov-facts span").all_inner_texts()
    assert facts and all(": " in fact and "：" not in fact.split(": ", 1)[0] for fact in facts), facts
    notice = page.locator(".kh-provenance p").all_inner_texts()
    kinds = next(line for line in notice if "within" in line and "days" in line)
    assert "复核 decision" in kinds and "决定" not in kinds and not any(c in kinds for c in "；。"), kinds
    if path.endswith("units/puan.html"):
        legend = page.locator("p.kh-legend").first.inner_text()
        assert legend.startswith("Legend: ") and not any(c in legend for c in OWN_PUNCTUATION), legend
        about = page.locator("#grade-notes p").first.inner_text()
        assert "(Band reached: " in about and not any(c in about for c in OWN_PUNCTUATION), about
    if path.endswith("2011/index.html"):
        appeals = page.locator("a[href$='#appeals']").all_inner_texts()
        assert appeals and all(name.endswith(" (1)") for name in appeals), appeals
    assert problems == []


def test_a_period_page_is_titled_in_english(served, browser_page):
    """A quarter's page was titled "2014 Q1考核结果": its title, then 考核结果 from the template."""
    page, problems = browser_page
    open_phone(page, served + "liaoyang-ciq/2014/periods/2014-Q1.html", "period")
    assert page.locator("article h1").first.inner_text().startswith("2014 Q1 results")
    assert problems == []


# every table of the article: its right edge, the width of its content and of its box, and the right
# edge of the article's content box (the inner box, padding and border off)
TABLE_FIT = """() => {
  const box = document.querySelector('.md-content__inner');
  const style = getComputedStyle(box);
  const right = box.getBoundingClientRect().right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
  return [...box.querySelectorAll('table')].map(t =>
    ({right: t.getBoundingClientRect().right, content: t.scrollWidth, shown: t.clientWidth, box: right}));
}"""


@pytest.mark.parametrize(
    "path", ["qianxinan-qts/2011/indicators/index.html", "liaoyang-ciq/2014/indicators/index.html"]
)
def test_the_indicator_list_fits_a_phone(served, browser_page, path):
    """The indicator list's headers (No., Indicator, Points, Month due, Assessing department) stayed on one
    line each: 2011's first table was 473 px of content in a 356 px box, "Assessing department" cut off
    with nothing to say the table scrolls. On a 390 px phone every table now fits its box and the box the
    page's content box, and the page does not scroll sideways."""
    page, problems = browser_page
    open_phone(page, served + path, path.replace("/", "-").removesuffix(".html") + "-fit")
    tables = page.evaluate(TABLE_FIT)
    assert tables, "no table on the page"
    assert [t for t in tables if t["right"] > t["box"] + 0.5 or t["content"] > t["shown"]] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth")
    assert problems == []


@pytest.mark.parametrize(
    ("path", "titles"),
    [
        # 2011 is put up for 公示 (evidence/2011/stages.toml records the notice), 2014 is a draft;
        # the site holds one year of each organization, so each selector lists that one
        ("qianxinan-qts/2011/index.html", ["2011 (public notice)"]),
        ("liaoyang-ciq/2014/index.html", ["2014 (draft)"]),
    ],
)
def test_the_version_selector_names_the_stage_in_english(served, browser_page, path, titles):
    """versions.json was written in Chinese whatever the site's language: the English site's selector
    read 2011（公示）. The Chinese site's still reads 2011（公示） (test_site_shipped, test_browser_organizations)."""
    page, problems = browser_page
    open_phone(page, served + path, path.replace("/", "-").removesuffix(".html") + "-versions")
    assert page.locator(".md-version__current").inner_text().strip() == titles[0]
    page.locator(".md-version").hover()  # the list opens on hover, as a reader's mouse does
    assert [t.strip() for t in page.locator(".md-version__link").all_inner_texts()] == titles
    page.screenshot(path=str(ARTIFACTS / f"english-{path.split('/')[0]}-versions-open.png"))
    assert problems == []


def test_a_phone_shades_the_edge_of_a_framework_table_wider_than_the_screen(served, browser_page):
    """The English framework tables are the widest of the site on a phone (2011's first: 534 px of
    columns in 356 px, measured), and their Rules column was cut with nothing to say the table
    scrolls: its right edge is shaded, in a grey on which muted text keeps 4.5:1."""
    page, problems = browser_page
    open_phone(page, served + "qianxinan-qts/2011/framework.html", "framework")
    grid = page.locator("table.kh-framework").first
    grid.evaluate("t => { t.scrollIntoView(); scrollBy(0, -80); }")
    assert grid.evaluate("t => t.scrollWidth > t.clientWidth")
    left, right = edge_colours(page, grid)
    assert left == (255, 255, 255) and right != (255, 255, 255)
    assert contrast(right, (0x5F, 0x66, 0x70)) >= 4.5  # --kh-muted, a table's palest text
    page.screenshot(path=str(ARTIFACTS / "english-framework-scroll-shade.png"))
    assert problems == []


def test_a_phone_says_what_a_unit_veto_does_in_english(served, browser_page):
    """兴义's Unit veto badge on the 2011 overview is followed, on a phone, by the rule's effect in
    English around the data's grade (the sheet's veto box words it alike)."""
    page, problems = browser_page
    open_phone(page, served + "qianxinan-qts/2011/index.html", "unit-veto")
    effect = page.locator("tr#unit-xingyi .kh-veto-effect")
    assert effect.is_visible()
    assert effect.inner_text().strip() == "(at best 良好, not eligible for commendation)"
    assert problems == []
