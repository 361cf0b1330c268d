"""The 2014 framework and its worked example against the source document, the 辽阳出入境检验检疫局
绩效管理办法 (2014年9月25日): what the articles say is encoded as they say it, and what the document
does not say (its attachments are lost, the text breaks off in 第十三条) is marked as made up.

Every expected value is worked out by hand from the document's wording, the framework's marked
readings (frameworks/liaoyang-ciq-2014/README.md) and the example data under evidence/2014/; the
arithmetic is in a comment beside it.
"""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

from generator.provenance import Provenance
from generator.render.pages import Site
from generator.render.years import load_year

FRAMEWORK = ROOT / "frameworks" / "liaoyang-ciq-2014"


def _toml(name: str) -> dict:
    return tomllib.loads((FRAMEWORK / name).read_text(encoding="utf-8"))


def _site() -> Site:
    loaded = load_year(ROOT, 2014)
    return Site(loaded.assessment, loaded.results, Provenance(commit=None, draft=True))


def _framework_page() -> str:
    site = _site()
    return site.render(next(p for p in site.pages() if p.kind == "framework"))


def _row_label(html: str, indicator: str) -> str:
    """The 序号 cell of one indicator's row on the framework page (#ind-<indicator>)."""
    return re.search(rf'<tr id="ind-{indicator}">\s*<td class="kh-num">(.*?)</td>', html, re.S).group(1)


# -- 第十条: 重点绩效 ------------------------------------------------------------------------------


def test_key_indicators_are_numbered_from_one_as_a_printed_table_numbers_its_rows():
    """第十条: 重点绩效指标 "根据工作难度和重要程度赋1.5、1、0.5分". The shared 0.5-point key indicator
    (zd-00, 党的群众路线教育实践活动整改落实: the 0.5-point grade of 第十条, made up like the whole table,
    附件3 being lost) read 四、0 on every page, a row number no table prints. It is the table's first
    row, 四、1; each section's own 1.5- and 1-point indicators follow, 四、2 to 四、17."""
    rows = _toml("04-zhongdian.toml")["indicator"]
    assert [r["seq"] for r in rows] == [str(n) for n in range(1, 18)]
    assert (rows[0]["id"], rows[0]["points"]) == ("zd-00", 0.5)
    html = _framework_page()
    assert (_row_label(html, "zd-00"), _row_label(html, "zd-bgs-1"), _row_label(html, "zd-bjzx-2")) == (
        "四、1",
        "四、2",
        "四、17",
    )
