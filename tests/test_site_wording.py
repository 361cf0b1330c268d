"""Rendered pages read by a leader in Chinese: no row whose label and value say the same word."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import said
from render_support import make_site

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
