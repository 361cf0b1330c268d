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
    return Site(
        loaded.assessment, loaded.results, Provenance(commit=None, draft=True), period_results=loaded.period_results
    )


def _framework_page() -> str:
    site = _site()
    return site.render(next(p for p in site.pages() if p.kind == "framework"))


def _row_label(html: str, indicator: str) -> str:
    """The 序号 cell of one indicator's row on the framework page (#ind-<indicator>)."""
    return re.search(rf'<tr id="ind-{indicator}">\s*<td class="kh-num">(.*?)</td>', html, re.S).group(1)


def test_the_rounding_the_measures_do_not_state_is_marked_as_the_2010_and_2011_frameworks_mark_it():
    """The measures say nothing of rounding (附件6's 评价方案 is lost). `precision = 0.01` rounds a ballot's
    result (人事科 相互评价 4 × 21.6 / 25 = 3.456 → 3.46) and was not marked, where 2010 and 2011 mark
    theirs; the year total, added up from the quarters by weight, is not rounded (办公室 99.435)."""
    assert _toml("framework.toml")["interpreted"]["precision"].startswith("拟定示例：")
    shown = _text(re.search(r'<tr id="interpreted">(.*?)</tr>', _framework_page(), re.S).group(1))
    assert "按0.01分四舍五入" in shown and "不再取舍" in shown


# -- 第六条: 季度考核、年度考核, 下月5日前 ---------------------------------------------------------


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_framework_page_shows_the_periods_of_article_6_and_marks_their_made_up_weights():
    """第六条: 考核责任部门 "对局内各科室进行季度考核、专项考核和年度考核。并将考核结果于考核结束的下月5日前
    报绩效办". framework.toml declares the quarters and the year, with their parts and weights marked
    拟定示例 (附件1 lost), but the framework page did not show them at all: a reader could not see which
    parts are assessed each quarter, that a quarter counts 0.25 in the year (the made-up average of
    four), nor the deadline. The page lists them in the document's words with each reading tagged;
    a period page and a sheet's 各期得分 tag the weight they print."""
    framework = _framework_page()
    quarter = re.search(r'<tr id="period-quarter">(.*?)</tr>', framework, re.S).group(1)
    words = _text(quarter)
    assert words.startswith("季度考核 履职绩效、管理绩效")
    assert "×0.25" in words and "考核结束的下月5日前" in words
    assert "对局内各科室进行季度考核、专项考核和年度考核。并将考核结果于考核结束的下月5日前报绩效办。" in words
    assert (
        "计入权重：拟定示例：办法未规定季度结果如何计入年度结果，按四个季度平均计（各0.25）" in words
        and "含5日" in words
    )
    assert quarter.count('class="kh-interp"') == 3  # parts, weight, report_day
    year = _text(re.search(r'<tr id="period-year">(.*?)</tr>', framework, re.S).group(1))
    assert year.startswith("年度考核 重点绩效、服务绩效、创优绩效") and "×1" in year

    site = _site()
    period = _text(site.render(next(p for p in site.pages() if p.kind == "period" and p.key == "2014-Q1")))
    assert "本期得分按0.25计入年度总分。" in period and "按四个季度平均计（各0.25）" in period
    sheet = _sheet("jyk")
    periods = re.search(r'<table class="kh-table kh-periods".*?</table>', sheet, re.S).group(0)
    weights = re.findall(r'<td class="kh-num">×(.*?)</td>', periods, re.S)
    assert len(weights) == 5 and all('class="kh-interp"' in w for w in weights)  # 4 quarters and the year


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


# -- 第十三条: 创优绩效 ----------------------------------------------------------------------------


def _year_2014() -> dict:
    """`kaohe score --year 2014 --format json`, units by id."""
    import contextlib
    import io
    import json

    from generator.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["score", "--repo", str(ROOT), "--year", "2014", "--format", "json"]) == 0
    return {u["id"]: u for u in json.loads(out.getvalue())["units"]}


def _front_matter(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return tomllib.loads(text.split("+++")[1])


def test_every_bonus_award_cites_the_document_that_proves_it():
    """第十三条 breaks off at "评分方式为加分"; the framework's 创优 table asks (拟定示例) that 加分须有表彰
    文件或采用文件为凭. 轻纺科's 六、3 (3 articles adopted by 辽宁局《工作信息》, 3 × 0.2 = 加0.6分) cited
    nothing, and neither did 办公室's (2 × 0.2) or 检疫科's (1 × 0.2); 轻纺科's and 综合科's 六、2 (推广, 加0.5分)
    cited their own work reports, not the 推广 notice. Every award line now links, on the sheet and in
    `kaohe score`, to a document filed under its own indicator, as the 六、1 表彰 awards always did."""
    units = _year_2014()
    awards = 0
    for unit in units.values():
        for row in unit["indicators"]:
            if not row["id"].startswith("cy-"):
                continue
            for line in row["awards"]:
                awards += 1
                proofs = [_front_matter(ROOT / path) for path in line["evidence"]]
                assert any(p["indicator"] == row["id"] for p in proofs), (unit["id"], row["id"], line["evidence"])
    # 六、1: 轻纺科, 综合科, 保健中心; 六、2: 轻纺科, 综合科; 六、3: 办公室, 轻纺科, 检疫科
    assert awards == 8


def _sheet(unit: str) -> str:
    site = _site()
    return site.render(next(p for p in site.pages() if p.kind == "sheet" and p.key == unit))


def test_the_bonus_cap_is_marked_made_up_wherever_it_is_shown():
    """第十三条 breaks off at "评分方式为加分": no cap is known. 创优绩效's 2 points were made up, and said so
    only in the part's note: 轻纺科's sheet printed "创优绩效最多2分" (1 + 0.5 + 0.6 = 2.1 → 2, 少加0.1分)
    with no mark, as though the measures set it. The cap is marked (`interpreted`), and the framework
    page's parts table and the sheet's cap lines carry the tag."""
    part = next(p for p in _toml("framework.toml")["part"] if p["id"] == "chuangyou")
    assert part["interpreted"]["cap"].startswith("拟定示例：")
    framework = _framework_page()
    row = re.search(r'<tr id="part-chuangyou">(.*?)</tr>', framework, re.S).group(1)
    assert 'class="kh-interp"' in row and "拟定示例" in row
    sheet = _sheet("qfk")
    caps = re.findall(r'<tr class="kh-adjust"[^>]*>(.*?)</tr>', sheet, re.S)
    assert len(caps) == 2  # the totals table and 创优绩效's own table
    assert all('class="kh-interp"' in cap and "创优绩效最多2分" in cap for cap in caps)
    digest = re.search(r'<table class="kh-table kh-digest".*?</table>', sheet, re.S).group(0)
    (cap,) = [row for row in re.findall(r"<tr[^>]*>(.*?)</tr>", digest, re.S) if 'href="#adj-0"' in row]
    assert 'class="kh-interp"' in cap and "创优绩效最多2分" in cap


# -- a whole year by hand -----------------------------------------------------------------------


def test_the_quarantine_sections_2014_total_worked_by_hand():
    """检疫科 (jyk, 业务管理科室, 第七条2.), from the measures and the example data alone.

    Quarterly (履职 45 + 管理 40 = 85 a quarter, 第十一条 扣分制, 扣分不设下限, 0.1 steps; each quarter
    counts 0.25 in the year, 拟定示例):
      Q1: 政务信息 2-27, 3-31 (2 of 2); 审单及时率 99.2 % ≥ 99 %                         → 85
      Q2: 一般差错 5-27 −0.2; 信息 5-20, 6-26; 及时率 99.0 %, not below 99 % ("低于99%"): 0 → 84.8
      Q3: 信息 8-19, 9-22; 及时率 99.4 %                                                → 85
      Q4: 较大差错 12-4 −0.5; 有效投诉 11-20 −0.2; 信息 11-6, 12-18; 及时率 99.1 %     → 84.3
      (85 + 84.8 + 85 + 84.3) × 0.25 = 339.1 × 0.25 = 84.775
    Yearly (weight 1):
      重点 (第十条 得分制 1.5/1/0.5): 四、1 0.5 + 四、12 1.5 + 四、13 0.6 (of 1)           = 2.6
      服务 (第十二条; 满意 1, 基本满意 0.6, 不满意 0, 不了解 not a valid vote, 拟定示例):
        相互评价 4 × (19 + 5 × 0.6 + 0) / 25 = 3.52; 党组评价 4 × (4 + 0.6) / 5 = 3.68;
        地方政府评价 2 × (16 + 3 × 0.6) / 20 = 1.78; 企业评价 2 × (38 + 10 × 0.6) / 50 = 1.76 = 10.74
      创优 (第十三条 加分): 六、3 1 article × 0.2                                         = 0.2
      2.6 + 10.74 + 0.2 = 13.54
    Total 84.775 + 13.54 = 98.315 of 100 (the bonus is not in the maximum), 0.2 of it bonus;
    business ranking: 轻纺科 101.66, 综合科 100.265, 检疫科 98.315, 机电化矿科 96.95 → third;
    98.315 ≥ 90 % of 100 → 优秀 (拟定示例)."""
    jyk = _year_2014()["jyk"]
    rows = {row["id"]: row for row in jyk["indicators"]}
    assert rows["lz-yw-01"]["score"] == "-0.175"  # 0.25 × (−0.2 − 0.5)
    assert rows["lz-yw-03"]["score"] == "0"  # 99.0 % is not 低于99%
    assert rows["gl-04"]["score"] == "-0.05"  # 0.25 × −0.2
    assert [rows[i]["score"] for i in ("fw-01", "fw-02", "fw-03", "fw-04")] == ["3.52", "3.68", "1.78", "1.76"]
    assert (jyk["total"], jyk["max"], jyk["bonus"], jyk["rank"], jyk["grade"]) == ("98.315", "100", "0.2", 3, "优秀")


# -- the framework's own wording, where the document is silent ------------------------------------


def test_the_readme_names_the_one_section_that_assesses_its_own_duties():
    """第六条 names 办公室、人事科、综合科 as 考核责任部门 but not who assesses what (附件1 lost). The README
    said no section assesses its own 履职 indicators; the business table (lz-yw, 综合科) concerns
    综合科 itself, whose 一般差错 of 11-14 综合科 recorded against itself. It says so now."""
    units = {u["id"]: u for u in tomllib.loads((ROOT / "evidence/2014/units.toml").read_text("utf-8"))["unit"]}
    own = set()
    for name in ("01-lvzhi-xingzheng.toml", "02-lvzhi-yewu.toml"):
        data = _toml(name)
        for ind in data["indicator"]:
            scope = ind.get("applies_to") or data["category"]["applies_to"]
            department = ind.get("department") or data["category"].get("department")
            for unit in units.values():
                concerned = unit["id"] in scope.get("units", []) or unit["series"] in scope.get("series", [])
                if concerned and unit["name"] == department:
                    own.add((unit["id"], ind["id"]))
    assert own == {("zhk", "lz-yw-01"), ("zhk", "lz-yw-02"), ("zhk", "lz-yw-03")}
    readme = (FRAMEWORK / "README.md").read_text(encoding="utf-8")
    assert "with no section assessing its own 履职 indicators" not in readme
    assert "Only 综合科 assesses its own 履职 rows" in readme


def test_each_ballots_standard_says_which_votes_are_not_valid():
    """The four ballots' rules all set 不了解 as not a valid vote (拟定示例, the category note says so);
    党组评价's and 地方政府评价's 考核标准 left it out, so their wording and their rule differed."""
    for ind in _toml("05-fuwu.toml")["indicator"]:
        (rule,) = ind["rule"]
        for option in rule["invalid"]:
            assert f"“{option}”不计入有效票" in ind["standard"], ind["id"]


def test_the_proof_a_bonus_needs_is_marked_as_the_frameworks_own_rule():
    """第十三条 breaks off at "评分方式为加分": that 加分须有表彰文件或采用文件为凭 is the framework's rule
    (拟定示例), not the document's; the 创优 table's note said it after the made-up items, unmarked."""
    note = _toml("06-chuangyou.toml")["category"]["note"]
    assert "和“加分须有表彰文件或采用文件为凭”均为拟定示例" in note
