"""Headless Chromium reads a sheet whose unit name is in Uyghur (Arabic script): the words and
figures printed after the name keep their place. Not isolated, "2010" after the name joined its
right-to-left run and was drawn to its left ("2010ئۈرۈمچى…年度考核评分表")."""

from __future__ import annotations

import pytest
from bidi_support import HEBREW_REASON, UYGHUR, rtl_repo
from browser_support import ARTIFACTS, open_page, require_browser, serve

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site

sync_api = require_browser()

#: The left and right edges of the first occurrence of a text in an element, as drawn.
_EDGES = """([selector, text]) => {
  const el = document.querySelector(selector);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    const box = range.getBoundingClientRect();
    return [box.left, box.right];
  }
  return null;
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    repo = rtl_repo(tmp_path_factory.mktemp("repo") / "mini")
    site = tmp_path_factory.mktemp("out") / "site"
    write_site(repo, site, [Version(2010, Provenance())])
    with serve(site) as url:
        yield url


def test_the_words_after_a_right_to_left_unit_name_stay_after_it(served):
    with open_page(sync_api) as (page, problems):
        page.goto(served + "default/2010/units/xingren.html")
        name = page.evaluate(_EDGES, ["h1.kh-sheet-title", UYGHUR])
        year = page.evaluate(_EDGES, ["h1.kh-sheet-title", "2010年度考核评分表"])
        page.screenshot(path=str(ARTIFACTS / "bidi-sheet.png"))
        # the page is left to right: what is printed after the name is drawn to its right
        assert name is not None and year is not None
        assert year[0] >= name[1] - 1, (name, year)
        # the digest's first row, xr-2010-01 (股级干部 0.3 × 2 for 严重违纪 = 0.6): its reason starts in
        # Hebrew, and the detail printed after the reason, "（股级干部，严重违纪）", is drawn to its right
        cell = "table.kh-digest tbody tr:first-child td:nth-child(3)"
        reason = page.evaluate(_EDGES, [cell, HEBREW_REASON])
        detail = page.evaluate(_EDGES, [cell, "（股级干部"])
        assert reason is not None and detail is not None
        assert detail[0] >= reason[1] - 1, (reason, detail)
        assert page.locator("table.kh-digest tbody tr:first-child td").first.inner_text().strip() == "0.6"
        assert problems == []
