"""Rendered pages read by a leader in Chinese: no row whose label and value say the same word."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from conftest import said
from period_support import FRAMEWORK_HEAD, QUARTERLY, YEARLY
from render_support import make_site
from site_reading import Table, number, tables

from generator.provenance import Provenance
from generator.render.pages import Site
from generator.render.years import load_year

REPO = Path(__file__).resolve().parent.parent

EVIDENCE = "evidence/2010/xingren/df-03-education.md"


def facts(html: str) -> dict[str, str]:
    """The evidence page's facts table: label → the value's visible text (a closed <details> shows
    its summary only)."""
    table = re.search(r'<table class="kh-table kh-facts">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for label, value in re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", table, re.S):
        shown = re.sub(r"<code>.*?</code>", "", value, flags=re.S)  # inside a closed <details>
        rows[label] = re.sub(r"<[^>]+>", "", shown).strip()
    return rows


def test_an_evidence_page_without_a_web_link_does_not_read_source_source():
    """A working-tree draft has no git web link: the facts row read 来源 | 来源, a word twice."""
    site = make_site(commit=None, draft=True)
    html = site.render(next(p for p in site.pages() if p.key == EVIDENCE))
    rows = facts(html)
    assert all(label != value for label, value in rows.items()), rows
    assert rows["原始文件"] == "查看存放位置"
    # the path is still one click away, for the reviewer who asks where the file is
    assert f"<code>{EVIDENCE}:1</code>" in html


def test_an_evidence_page_with_a_web_link_names_the_original_file():
    site = make_site()
    html = site.render(next(p for p in site.pages() if p.key == EVIDENCE))
    assert facts(html)["原始文件"] == "原始记录"
    assert f"/{EVIDENCE}#L1" in html


def _framework_facts(site) -> dict[str, str]:
    page = next(p for p in site.pages() if p.kind == "framework")
    return facts(site.render(page))


def test_the_2014_framework_page_does_not_say_kou_wan_wei_zhi_where_the_measures_set_each_part():
    """辽阳 2014: the measures give each part its own 评分方式 (第十条 重点绩效 得分制, 第十一条 履职和管理
    绩效 扣分制 with 扣分不设下限, 第十二条 服务绩效 得分制, 第十三条 创优绩效 加分) and framework.toml sets
    no method or floor of its own: the facts row read "扣分制 · 扣完为止", the defaults, which the
    measures never say and 第十一条 contradicts. It now points to the parts' table."""
    loaded = load_year(REPO, 2014)
    site = Site(loaded.assessment, loaded.results, Provenance(commit=None, draft=True))
    method = _framework_facts(site)[said("site.method")]
    assert said("site.floor.zero") not in method and said("site.method.deduction") not in method
    assert method == said("site.method.by_part", parts=said("site.parts"))


def test_the_2010_framework_page_still_states_the_frameworks_own_method():
    """黔西南 2010 has no parts: its rules are 扣分制 and 扣完为止 as its tables write it."""
    method = _framework_facts(make_site())[said("site.method")]
    assert method == f"{said('site.method.deduction')} · {said('site.floor.zero')}"


def _rule_text(html: str, indicator: str, rule: str) -> str:
    """The visible text of one rule's entry on the framework page (#rule-<indicator>-<rule>)."""
    entry = re.search(rf'<li id="rule-{indicator}-{rule}">(.*?)</li>', html, re.S).group(1)
    shown = re.sub(r"<code>.*?</code>", "", entry, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown)).strip()


def test_the_2014_framework_page_names_rules_in_the_measures_words():
    """第十一条 speaks of 业务工作质量差错 and 工作责任事故, graded 一般/较大/严重: the rule read
    "违纪违规事件 … 按职级", words of the 2010 rules' discipline table. 第十条 and 第十二条 score
    重点绩效 and 服务绩效 by 得分制: a missing rating or ballot result leaves the points unearned,
    as the rule's own interpretation says (按未得分计), where the page read "未报告扣分". And the
    flag 规则待确认 is worded only when a rule is awaiting confirmation, not "否" under every rule."""
    loaded = load_year(REPO, 2014)
    site = Site(loaded.assessment, loaded.results, Provenance(commit=None, draft=True))
    html = site.render(next(p for p in site.pages() if p.kind == "framework"))
    for bygone in ("违纪违规事件", "按职级", "未报告扣分：4", "未报告扣分：1.5", "规则待确认"):
        assert bygone not in html, bygone
    error = _rule_text(html, "lz-yw-01", "quality-error")
    assert said("rule.kind.incident") in error and f"{said('rule.param.grades')}：一般差错：0.2" in error
    ballot = _rule_text(html, "fw-01", "ballot")
    assert f"{said('rule.param.missing_amount.votes')}：4" in ballot
    assert f"{said('rule.param.missing_amount.votes')}：拟定示例" in ballot  # the interpretation's title too
    rating = _rule_text(html, "zd-00", "rating")
    assert f"{said('rule.param.missing_amount.award')}：0.5" in rating
    # a threshold's figure that is not reported still reads as the deduction it is (未报告及时率扣0.5分)
    rate = _rule_text(html, "lz-yw-03", "review-rate")
    assert f"{said('rule.param.missing_amount')}：0.5" in rate


def _site_2014() -> Site:
    loaded = load_year(REPO, 2014)
    return Site(loaded.assessment, loaded.results, Provenance(commit=None, draft=True))


def _page(site: Site, kind: str, key: str = "") -> str:
    return site.render(next(p for p in site.pages() if p.kind == kind and p.key == key))


def _row_tables(html: str) -> dict[str, Table]:
    """A sheet's row tables by the title of the section they are in (重点绩效 …)."""
    found = {}
    for section in re.findall(r'<section class="kh-cat">(.*?)</section>', html, re.S):
        title = re.search(r"<h2[^>]*>.*?、(.*?)</h2>", section, re.S).group(1)
        found[title] = next((t for t in tables(section) if "kh-sheet" in t.attrs.get("class", "")), None)
    return found


def _head(table: Table) -> list[str]:
    return [c.text for c in next(r for r in table.rows if r.section == "thead").cells]


def test_a_2014_sheet_words_an_earned_tables_losses_as_points_not_earned():
    """辽阳 2014: 第十条 重点绩效 and 第十二条 服务绩效 are 得分制 (评分方式为得分制), 第十一条 履职、管理绩效
    扣分制, 第十三条 创优绩效 加分. 机电化矿科's 相互评价 (4 points): (15 × 1 + 8 × 0.6 + 2 × 0) ÷ 25 valid votes
    = 79.2 %, earned 4 × 0.792 = 3.168 → 3.17, not earned 4 − 3.17 = 0.83. The sheet read 扣分 /
    扣分理由 over it and 扣0.83分 beside it; the 创优 table's hidden rows were 没有扣分."""
    site = _site_2014()
    html = _page(site, "sheet", "jdhk")
    rows = _row_tables(html)
    for earned in ("重点绩效", "服务绩效"):
        head = _head(rows[earned])
        assert head[-2:] == [said("site.lost.earned"), said("site.reason.earned")] == ["未得分", "未得分理由"]
    for deducted in ("管理绩效",):  # 第十一条 扣分制: unchanged
        assert _head(rows[deducted])[-2:] == [said("site.lost"), said("site.reason")] == ["扣分", "扣分理由"]
    mutual = next(r for r in rows["服务绩效"].body() if r.cells[0].text.strip() == "五、1")  # 相互评价
    assert [a for c in mutual.cells for a in c.amounts] == ["未得0.83分"]
    assert number(mutual.col("lost")[0].text) == Decimal("0.83")
    # 创优绩效 (加分): its 3 rows added nothing for 机电化矿科, and the switch hides them
    bonus = re.search(r'<tr class="kh-hidden-note"><td colspan="7">(.*?)</td>', html).group(1)
    assert bonus == said("site.hidden_rows.bonus", n=3) == "另有3项没有加分，未显示"
    earned_notes = re.findall(r'<tr class="kh-hidden-note"><td colspan="8">(.*?)</td>', html)
    assert "另有16项没有未得分，未显示" in earned_notes  # 重点绩效: 17 rows, one with a line (固体废物监管)


def test_the_2014_overview_and_sheet_download_say_not_earned_for_an_earned_row():
    """The overview's 主要失分 of 机电化矿科 listed "五、1 相互评价 扣0.83分" (4 − 3.17 = 0.83, see above); the
    sheet's CSV download worded the line 扣0.83分 too. Both now read 未得0.83分; a 扣分制 row keeps 扣."""
    from generator.render.downloads import sheet_csv
    from generator.render.pages import PageContext

    site = _site_2014()
    overview = _page(site, "overview")
    assert '相互评价 <span class="kh-loss-amt">未得0.83分</span>' in overview
    assert "扣0.83分" not in overview
    text = sheet_csv(PageContext(site, "units/jdhk.md"), "jdhk")
    head = text.removeprefix("\ufeff").splitlines()[0].split(",")
    assert head[5] == said("site.lost_total") and head[-1] == said("site.reason.mixed")  # 扣分 and 未得分 rows
    mutual = next(line for line in text.splitlines() if "相互评价" in line)
    assert "未得0.83分" in mutual and "扣0.83分" not in mutual
    review = next(line for line in text.splitlines() if "电子审单和业务数据" in line)
    assert "扣0.025分" in review


def test_the_2010_earned_table_reads_not_earned_and_the_deduction_tables_keep_kou():
    """黔西南 2010 table 二 prints each 考核要点 with points of its own ("3、有工作总结。 2") and no 扣:
    02-biaozhun.toml reads it 得分制. 兴仁's row 2 (5 points) lacks the 工作总结: 5 − 2 = 3, 未得2分. Table 一
    (扣分制: "扣0.6分"…) keeps 扣分 / 扣分理由 and 扣0.6分 (row 8: 1.62 − 0.6 + 0.2 = 1.22)."""
    loaded = load_year(REPO, 2010)
    site = Site(loaded.assessment, loaded.results, Provenance(commit=None, draft=True))
    rows = _row_tables(_page(site, "sheet", "xingren"))
    table2 = rows["标准、认证监管工作"]
    assert _head(table2)[-2:] == ["未得分", "未得分理由"]
    row2 = next(r for r in table2.body() if r.cells[0].text.strip() == "二、2")
    assert [a for c in row2.cells for a in c.amounts] == ["未得2分"]
    table1 = rows["党风廉政建设工作"]
    assert _head(table1)[-2:] == ["扣分", "扣分理由"]
    row8 = next(r for r in table1.body() if "收支两条线" in r.cells[1].text)
    assert [a for c in row8.cells for a in c.amounts] == ["扣0.6分", "少扣0.2分"]


PERIOD_FRAMEWORK = (
    FRAMEWORK_HEAD
    + """\
[[period]]
kind = "quarter"
title = "季度考核"
categories = {categories}
weight = 0.25
report_day = 5
{year}"""
)

#: The year assesses the 扣分制 table where the quarters do not (every category is assessed somewhere).
YEAR_PERIOD = '\n[[period]]\nkind = "year"\ntitle = "年度考核"\ncategories = ["lz"]\nreport_day = 5\n'

#: The year's 重点工作 without a 完成月份, so that a quarter assessing it judges it there.
PERIOD_TABLES = {"01-lz.toml": QUARTERLY, "02-zd.toml": YEARLY.replace("month = 12\n", "")}


def _period_heading(root: Path, categories: str, year: str = "") -> str:
    """The 本期… heading of 2014's first quarter page, the quarter assessing `categories` (a TOML list)."""
    from builders import load, write

    from generator.score import score_assessment

    write(root / "frameworks/t/framework.toml", PERIOD_FRAMEWORK.format(categories=categories, year=year))
    for name, text in PERIOD_TABLES.items():
        write(root / "frameworks/t" / name, text)
    write(
        root / "evidence/2014/units.toml",
        'year = 2014\nframework = "t"\n\n[[unit]]\nid = "a"\nname = "甲科"\nseries = "office"\n',
    )
    repo, problems = load(root)
    assert not problems.errors, [p.format() for p in problems]
    assessment = repo.assessments[2014]  # type: ignore[attr-defined]
    results = score_assessment(assessment)
    periods = {p.key: score_assessment(assessment, period=p) for p in results.periods}
    site = Site(assessment, results, Provenance(commit=None, draft=True), period_results=periods)
    html = _page(site, "period", "2014-Q1")
    return re.search(r'<h2 id="lines">(.*?)</h2>', html).group(1)


def test_a_period_page_heads_points_not_earned_as_such(tmp_path):
    """A quarter assessing a 得分制 table only: 重点工作 (3 points) with no rating in Q1 is 3 points not
    earned (missing_amount 3), nothing deducted, so the heading reads 本期未得分与加分; with the 扣分制
    table too (no 信息 in Q1: 扣0.1分) it reads 本期失分与加分."""
    assert (
        _period_heading(tmp_path / "earned", '["zd"]', YEAR_PERIOD)
        == said("site.period_lines.earned")
        == "本期未得分与加分"
    )
    assert _period_heading(tmp_path / "mixed", '["lz", "zd"]') == said("site.period_lines.mixed") == "本期失分与加分"


def test_the_2014_quarters_keep_kou_fen_in_their_heading():
    """辽阳 2014's quarters assess 履职绩效 and 管理绩效, 第十一条 扣分制: 本期扣分与加分 as before."""
    from generator.score import score_assessment

    loaded = load_year(REPO, 2014)
    periods = {p.key: score_assessment(loaded.assessment, period=p) for p in loaded.results.periods}
    site = Site(loaded.assessment, loaded.results, Provenance(commit=None, draft=True), period_results=periods)
    html = _page(site, "period", "2014-Q3")
    assert re.search(r'<h2 id="lines">(.*?)</h2>', html).group(1) == "本期扣分与加分"


def test_a_bonus_indicator_page_heads_its_table_as_bonuses():
    """辽阳 2014 第十三条 创优绩效 is 加分: 获得上级表彰 (cy-01, up to 1 point) read 分值 / 得分 / 扣分 / 扣分理由,
    and a unit not commended lost nothing. Its table now reads as the sheet's 加分 table: 加分上限, 加分,
    加分理由; 轻纺科's 国家级 commendation adds 1 (获国家级表彰加1分)."""
    html = _page(_site_2014(), "indicator", "cy-01")
    table = re.search(r'<h2 id="by-unit">.*?</table>', html, re.S).group(0)
    (compare,) = tables(table)
    assert _head(compare) == ["单位", "加分上限", "加分", "加分理由"]
    assert said("site.lost") not in _head(compare)
    qfk = next(r for r in compare.body() if r.cells[0].text.strip() == "轻纺科")
    assert [c.text.strip() for c in qfk.cells[1:3]] == ["1", "1"]
    # a 扣分制 indicator's page keeps 扣分 / 扣分理由 (黔西南 2010 table 一, row 8)
    compare_2010 = tables(
        re.search(r'<h2 id="by-unit">.*?</table>', _page(make_site(), "indicator", "df-08"), re.S).group(0)
    )
    assert _head(compare_2010[0])[-2:] == ["扣分", "扣分理由"]


def _digest_and_switch(html: str) -> tuple[str, str, str]:
    """A sheet's digest title, its 只看…项 switch and the switch's note."""
    title = re.search(r'<h2 id="digest">(.*?)</h2>', html).group(1)
    switch = re.search(r'<label for="kh-only-lost">(.*?)</label><span class="kh-switch-note">(.*?)</span>', html)
    return title, switch.group(1), switch.group(2)


def test_a_sheet_with_points_not_earned_titles_its_digest_and_switch_by_shi_fen():
    """机电化矿科 2014 lost 0.83 not earned in 相互评价 (服务绩效, 得分制: 4 − 3.17) and 扣0.025分 in 管理绩效
    (扣分制); 兴仁 2010 未得2分 in table 二 (得分制, no 工作总结) and 扣0.6分 in table 一. Their digests and
    switches read 失分, which is both; 安龙 2010 lost by deductions only (一、9, 三、4, 五、6) and keeps
    扣分与加分一览 / 只看扣分项."""
    jdhk = _digest_and_switch(_page(_site_2014(), "sheet", "jdhk"))
    assert jdhk == (said("site.digest.lost"), said("site.only_lost.lost"), said("site.only_lost.lost.note"))
    assert jdhk[:2] == ("失分与加分一览", "只看失分项") and "未得分" in jdhk[2]
    loaded = load_year(REPO, 2010)
    site_2010 = Site(loaded.assessment, loaded.results, Provenance(commit=None, draft=True))
    assert _digest_and_switch(_page(site_2010, "sheet", "xingren"))[:2] == ("失分与加分一览", "只看失分项")
    anlong = _digest_and_switch(_page(site_2010, "sheet", "anlong"))
    assert anlong == ("扣分与加分一览", "只看扣分项", said("site.only_lost.note"))


def test_a_digest_note_names_what_its_rows_lost():
    """The note under the digest's title says what it lists first: 兴仁 2010's rows lost 未得2分 (table
    二, 得分制) and 扣0.6分 (table 一): 先列失分（扣分和未得分）; 安龙's lost by deductions only: 先列扣分."""
    loaded = load_year(REPO, 2010)
    site_2010 = Site(loaded.assessment, loaded.results, Provenance(commit=None, draft=True))

    def note(unit: str) -> str:
        return re.search(r'<p class="kh-digest-note">(.*?)</p>', _page(site_2010, "sheet", unit)).group(1)

    assert note("xingren").startswith("先列失分（扣分和未得分）、再列加分")
    assert note("anlong").startswith("先列扣分、再列加分")


def test_a_quarters_weight_is_kept_apart_from_the_reason_that_follows_it():
    """辽阳 2014: 轻纺科 lost 0.2 in 第二季度 for 三、3 (6月5日 the training it missed), counted × 0.25 = 0.05.
    The line read 第二季度×0.256月5日局组织的… on the sheet: the weight ran into the date (0.256?). The
    indicator page read 第二季度×0.25✗ 政务信息应2篇 the same way. A space parts them, as in the digest."""
    from generator.score import score_assessment

    loaded = load_year(REPO, 2014)
    periods = {p.key: score_assessment(loaded.assessment, period=p) for p in loaded.results.periods}
    site = Site(loaded.assessment, loaded.results, Provenance(commit=None, draft=True), period_results=periods)
    sheet = _page(site, "sheet", "qfk")
    line = re.search(r'<li class="kh-line[^"]*" id="ln-gl-03-0">(.*?)</li>', sheet, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line))
    assert "第二季度×0.25 6月5日局组织的" in text, text
    indicator = _page(site, "indicator", "gl-01")
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", indicator))
    assert "第二季度×0.25 ✗政务信息应2篇" in shown  # ✗ is the reason's own mark (缺：政务信息)
    assert "×0.25✗" not in shown and "×0.256月" not in re.sub(r"<[^>]+>", "", sheet)


def test_a_sheets_category_summary_says_not_applicable_for_a_table_that_does_not_concern_the_unit():
    """辽阳 2014 has two 履职绩效 tables, one for 行政管理科室和直属单位 and one for 业务管理科室: 轻纺科's
    summary listed the first as 满分0 得分0 失分0, figures a leader reads as a table scored and lost
    nothing in. It reads 不适用 and "—", as the table below it (本类6项指标均不涉及本单位) and its rows
    do; 满分 100 = 45 + 40 + 3 + 12 still adds up (— counts nothing)."""
    html = _page(_site_2014(), "sheet", "qfk")
    (cats,) = [t for t in tables(html) if t.attrs.get("data-kh-sum") == "categories"]
    rows = {r.cells[1].text.strip(): [c.text.strip() for c in r.cells[2:5]] for r in cats.body()}
    assert rows["履职绩效（行政管理科室和直属单位）不适用"] == ["—", "—", "—"]
    assert rows["履职绩效（业务管理科室）"] == ["45", "45", "0"]
    assert sum(number(v[0]) for v in rows.values()) == Decimal(100)
