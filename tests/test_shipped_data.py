"""The shipped frameworks and evidence: clean, scoreable, and scored as the documents' rules say.

Every expected value below is worked out by hand from the rule wording in the source documents
(frameworks/*/README.md) and the evidence and findings under evidence/; the comment beside each
value shows the arithmetic. None is copied from the program's output.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import ROOT, said

UNITS_2010 = ["xingyi", "xingren", "anlong", "zhenfeng", "puan", "qinglong", "ceheng", "wangmo"]
UNITS_2014 = ["bgs", "rsk", "zhk", "jdhk", "qfk", "jyk", "fwzx", "bjzx"]


def scores(kaohe, year: int, *extra: str) -> dict:
    run = kaohe("score", "--repo", str(ROOT), "--year", str(year), "--format", "json", *extra)
    assert run.code == 0, run.err
    return json.loads(run.out)


# Function-scoped on purpose: mutation testing (docs/testing.md) runs, for each mutant, only the tests
# during which the mutated code ran; results scored once per module would credit the first test alone.
@pytest.fixture
def results_2010() -> dict:
    from generator.cli import main

    return _json(main, 2010)


@pytest.fixture
def results_2014() -> dict:
    from generator.cli import main

    return _json(main, 2014)


def _json(main, year: int) -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["score", "--repo", str(ROOT), "--year", str(year), "--format", "json"])
    assert code == 0
    data = json.loads(out.getvalue())
    return {u["id"]: u for u in data["units"]}


def indicator(unit: dict, ind: str) -> dict:
    return next(i for i in unit["indicators"] if i["id"] == ind)


def total(unit: dict) -> Decimal:
    return Decimal(unit["total"])


# -- clean and complete -------------------------------------------------------------------------


def test_check_is_clean_on_the_shipped_repository(kaohe):
    run = kaohe("check", "--repo", str(ROOT))
    assert run.code == 0, run.out
    assert run.out == ""
    # no error, no warning, three frameworks and three years (the count of files aside)
    before, after = said("check.summary", errors=0, warnings=0, files="FILES", frameworks=3, years=3).split("FILES")
    assert before in run.err and after in run.err


def test_score_2010_ranks_every_county_bureau(kaohe):
    run = kaohe("score", "--repo", str(ROOT), "--year", "2010")
    assert run.code == 0, run.err
    for name in ["兴义市", "兴仁县", "安龙县", "贞丰县", "普安县", "晴隆县", "册亨县", "望谟县"]:
        assert f"{name}质量技术监督局" in run.out
    data = scores(kaohe, 2010)
    assert data["framework"] == "qianxinan-qts-2010"
    assert sorted(u["id"] for u in data["units"]) == sorted(UNITS_2010)
    assert all(isinstance(u["rank"], int) and u["rank"] >= 1 for u in data["units"])


def test_score_2014_json_ranks_every_section_within_its_series(kaohe):
    data = scores(kaohe, 2014)
    assert data["framework"] == "liaoyang-ciq-2014"
    assert sorted(u["id"] for u in data["units"]) == sorted(UNITS_2014)
    assert all(isinstance(u["rank"], int) and u["rank"] >= 1 for u in data["units"])
    series = {u["id"]: u["series"] for u in data["units"]}
    assert series == {
        "bgs": "admin",
        "rsk": "admin",
        "zhk": "business",
        "jdhk": "business",
        "qfk": "business",
        "jyk": "business",
        "fwzx": "affiliated",
        "bjzx": "affiliated",
    }


# -- 2010: pinned totals --------------------------------------------------------------------------


def test_2010_maxima(results_2010):
    # tables 一5 + 二(5 + 5) + 三100 + 四10 + 五100 + 六5 + 七22 + 八6 + 九4 = 262 where 二.1 ("该项工作只涉及
    # 册亨、贞丰、晴隆三个县局") applies; the document gives 二 no weight, so elsewhere 262 − 5 = 257
    for uid in UNITS_2010:
        expected = "262" if uid in ("ceheng", "zhenfeng", "qinglong") else "257"
        assert (results_2010[uid]["max"], results_2010[uid]["year_max"]) == (expected, expected), uid
    bz_xingyi, bz_ceheng = results_2010["xingyi"]["categories"][1], results_2010["ceheng"]["categories"][1]
    assert (bz_xingyi["id"], bz_xingyi["max"], bz_xingyi["weight"]) == ("biaozhun", "5", None)
    assert (bz_ceheng["max"], bz_ceheng["weight"]) == ("10", None)


def test_2010_ranks_by_rate(results_2010):
    # rank_by = "rate": total ÷ maximum, compared exactly. By rate:
    #   兴义 256.98/257 = 99.99 %, 册亨 260.4/262 = 99.39 %, 普安 = 望谟 253/257 = 98.44 %,
    #   兴仁 251.7/257 = 97.94 %, 贞丰 256.25/262 = 97.81 %, 晴隆 251.36/262 = 95.94 %, 安龙 234.8/257 = 91.36 %
    ranks = {uid: (results_2010[uid]["rank"], results_2010[uid]["tied"]) for uid in UNITS_2010}
    assert ranks == {
        "xingyi": (1, False),
        "ceheng": (2, False),
        "puan": (3, True),
        "wangmo": (3, True),
        "xingren": (5, False),  # rank 4 is skipped after the tie
        "zhenfeng": (6, False),
        "qinglong": (7, False),
        "anlong": (8, False),
    }
    # by total 贞丰 (256.25) would lead 兴仁 (251.7); by rate 兴仁 leads, exactly:
    # 251.7 × 262 = 65945.4 > 256.25 × 257 = 65856.25, i.e. 251.7/257 > 256.25/262
    assert Decimal(results_2010["zhenfeng"]["total"]) > Decimal(results_2010["xingren"]["total"])
    assert results_2010["xingren"]["rate"] == "97.94" and results_2010["zhenfeng"]["rate"] == "97.81"


def test_2010_near_perfect_xingyi(results_2010):
    # 一.5 "与20家以上的企业联系……缺一家扣0.01分": 18 enterprises → 2 × 0.01 = 0.02
    assert Decimal(indicator(results_2010["xingyi"], "df-05")["score"]) == Decimal("0.28")  # 0.3 − 0.02
    assert total(results_2010["xingyi"]) == Decimal("256.98")  # 257 − 0.02
    assert results_2010["xingyi"]["rank"] == 1  # the near-perfect county leads


def test_2010_xingren_discipline_mitigated_and_summary_missing(results_2010):
    xr = results_2010["xingren"]
    df08 = indicator(xr, "df-08")
    # 股级干部 0.3 × 严重违纪 2 ("加一倍") = 0.6; 自查案件 "酌情少扣" 0.2 → 0.4 lost
    assert [Decimal(d["amount"]) for d in df08["deductions"]] == [Decimal("0.6"), Decimal("-0.2")]
    assert Decimal(df08["score"]) == Decimal("1.22")  # 1.62 − 0.6 + 0.2
    # 结案率 88.5 %: "少一个百分点扣0.1分", 1.5 points short → 1 whole point → 0.1
    assert Decimal(indicator(xr, "zf-04")["score"]) == Decimal("19.9")
    # 二.2 "3、有工作总结" carries 2 points (得分制): no 工作总结 → 5 − 2 = 3, raw, no weight doubling it to 4
    bz02 = indicator(xr, "bz-02")
    assert (Decimal(bz02["score"]), [d["amount"] for d in bz02["deductions"]]) == (Decimal("3"), ["2"])
    assert xr["categories"][1]["score"] == "3" and xr["categories"][1]["max"] == "5"
    # 257 − 0.4 (df-08) − 0.1 (结案率) − 2 × 1 (two overdue devices, 发现一台扣1分)
    #     − 0.3 (复查工作, 扣0.1-1分) − 0.5 (诚信计量, 扣0.1-3分) − 2 (工作总结) = 251.7
    assert total(xr) == Decimal("251.7")


def test_2010_anlong_veto_and_news_sub_quota(results_2010):
    al = results_2010["anlong"]
    zf04 = indicator(al, "zf-04")
    # "自办案件经省局、州局执法评议考核不合格的,本项不得分": 20 → 0, the 结案率 85 % deduction
    # (5 points short × 0.1 = 0.5) is replaced by the veto
    assert zf04["status"] == "vetoed"
    assert Decimal(zf04["score"]) == 0
    assert Decimal(zf04["max"]) == 20
    # 一.9 "3篇(条)以上(其中《黔质新风》1篇以上)……缺1篇(条)扣0.2分": two articles, neither in 《黔质新风》:
    # missing max(3 − 2, 1 − 0) = 1 → 0.2 (not 0.2 + 0.2); 0.6 − 0.2 = 0.4
    df09 = indicator(al, "df-09")
    assert (Decimal(df09["score"]), [d["amount"] for d in df09["deductions"]]) == (Decimal("0.4"), ["0.2"])
    # 257 − 20 (veto) − 0.2 (一.9) − 2 (司炉参训率 92 % < 100 %, 扣2分) = 234.8
    assert total(al) == Decimal("234.8")
    assert al["rank"] == 8


def test_2010_tie_puan_wangmo(results_2010):
    puan, wangmo = results_2010["puan"], results_2010["wangmo"]
    # 普安: 科级干部 0.4 × 一般违纪 1 = 0.4; 执法信息量化考评 85 %: (100 − 85) × 0.2 = 3;
    #       未按时开展年检 0.2; 工作总结 扣0.1-0.5分 → 0.4.   257 − 0.4 − 3 − 0.2 − 0.4 = 253
    assert Decimal(indicator(puan, "df-08")["score"]) == Decimal("1.22")  # 1.62 − 0.4
    assert Decimal(indicator(puan, "zf-05")["score"]) == Decimal("17")  # 20 − 15 × 0.2
    assert Decimal(indicator(puan, "sp-03")["score"]) == Decimal("1.3")  # 1.5 − 0.2 (the lighter tier alone)
    assert total(puan) == Decimal("253")
    # 望谟: 一般工作人员 0.2 × 刑事案件 3 ("加两倍") = 0.6; 未注册登记特种设备 1;
    #       4 of 5 安全大检查, 每少一次扣2分 → 2; 能源计量 扣0.1-3分 → 0.4.   257 − 0.6 − 1 − 2 − 0.4 = 253
    assert Decimal(indicator(wangmo, "df-08")["score"]) == Decimal("1.02")  # 1.62 − 0.6
    assert total(wangmo) == Decimal("253")
    # the same maximum 257: rates 253/257 equal exactly → 并列第三 (兴义 and 册亨 ahead)
    assert puan["rank"] == wangmo["rank"] == 3 and puan["tied"] and wangmo["tied"]


def test_2010_qinglong_caps_steps_talks_and_tiers(results_2010):
    ql = results_2010["qinglong"]
    # 五 1.1 "发生事故死亡1人扣5分,扣完为止" (5分): 2 deaths × 5 = 10, capped at the sub-item's 5
    assert Decimal(indicator(ql, "tz-01")["score"]) == Decimal("5")  # 10 − 5
    # 五 2.5 "发现一台扣1分,五台以上扣4分": 6 devices → 4
    assert Decimal(indicator(ql, "tz-02")["score"]) == Decimal("26")  # 30 − 4
    # 一.7 "有登记,但在规定时限内无办理情况记录的,缺一次扣0.02分": 2 × 0.02 = 0.04
    assert Decimal(indicator(ql, "df-07")["score"]) == Decimal("0.36")
    # 一.4 "应谈未谈的,缺一项扣0.1分": two new 股长 without 任前谈话 are one 项 (a kind of talk): 0.1
    assert Decimal(indicator(ql, "df-04")["score"]) == Decimal("0.2")  # 0.3 − 0.1
    # 四.3 "未按时开展年检工作,扣0.2分;未开展年检工作,扣0.5分": both found, exclusive → the heavier, 0.5:
    # lines 0.2 + 0.5 − 0.2 (correction) = 0.5, never 0.7; 1.5 − 0.5 = 1
    sp03 = indicator(ql, "sp-03")
    assert [d["amount"] for d in sp03["deductions"]] == ["0.2", "0.5", "-0.2"]
    assert sp03["deductions"][-1]["kind"] == "cap"
    assert Decimal(sp03["score"]) == Decimal("1")
    # 262 − 5 − 4 − 1 (unregistered crane, 4.1 扣1分) − 0.04 − 0.1 − 0.5 = 251.36
    assert total(ql) == Decimal("251.36")


def test_2010_ceheng_earned_items_and_threshold(results_2010):
    ch = results_2010["ceheng"]
    # 二.1 earned: 通过验收 3 + 验收合格结论 (none yet) 0 + 工作总结 1 = 4
    assert Decimal(indicator(ch, "bz-01")["score"]) == Decimal("4")
    # 结案率 86.4 %: 3.6 points short → 3 whole points × 0.1 = 0.3
    assert Decimal(indicator(ch, "zf-04")["score"]) == Decimal("19.7")
    # 262 − 1 − 0.3 − 0.1 (3 of 4 反腐倡廉教育, 缺1次扣0.1分) − 0.2 (名牌计划, 扣0.1-1分) = 260.4
    assert total(ch) == Decimal("260.4")
    assert ch["rank"] == 2


def test_2010_zhenfeng_late_and_missing_reports(results_2010):
    zf = results_2010["zhenfeng"]
    # 一.1 "3项缺1项扣0.1分" (no annual report) and 一.10 "缺一次扣0.05分" (2 of 3 returns)
    assert Decimal(indicator(zf, "df-01")["score"]) == Decimal("0.2")
    assert Decimal(indicator(zf, "df-10")["score"]) == Decimal("0.1")
    # 七.3 "未按时、保质完成上级交办的任务扣0.5分/次", twice: 2 − 1 = 1
    assert Decimal(indicator(zf, "zl-03")["score"]) == Decimal("1")
    # 五 7.3 "未按时上报各项工作材料或报表扣2分": the item late-materials, 2, within 7.3's inferred 2 points
    assert Decimal(indicator(zf, "tz-07")["score"]) == Decimal("8")
    # 262 − 0.1 − 0.05 − 2 (动态监管报表迟报) − 2 (材料迟报) − 1 − 0.6 (季度质量情况) = 256.25
    assert total(zf) == Decimal("256.25")


def test_2010_as_of_september_shows_what_is_due_in_the_documents_points(kaohe):
    # As of 2010-09-30 only 一.2 (month 9, 0.2 points) is due; 一.10 (month 10), 一.5/一.6 (11) and every
    # month-12 row are not. 贞丰 filed its self-inspection report on 2010-11-18, so "无自查报告扣0.2分"
    # applies: table 一 is 0 of 0.2 due (5 in the year), never 0 of 5 — the weight 5 scales by the
    # year's 5 raw points (0.2 × 5 ÷ 5 = 0.2), not by the 0.2 due.
    data = scores(kaohe, 2010, "--as-of", "2010-09-30", "--unit", "zhenfeng")
    (zf,) = data["units"]
    assert Decimal(indicator(zf, "df-02")["score"]) == 0  # 0.2 − 0.2
    assert indicator(zf, "df-10")["status"] == "not_due"
    dangfeng = zf["categories"][0]
    assert (dangfeng["id"], dangfeng["score"], dangfeng["max"], dangfeng["year_max"]) == ("dangfeng", "0", "0.2", "5")
    # the unit: 0 of 0.2 due; 262 in the year (贞丰 is one of the three counties 二.1 concerns)
    assert (zf["total"], zf["max"], zf["year_max"], zf["rate"]) == ("0", "0.2", "262", "0")
    assert data["as_of"] == "2010-09-30"


def test_2010_statuses(results_2010):
    assert indicator(results_2010["xingyi"], "bz-01")["status"] == "not_applicable"  # 只涉及册亨、贞丰、晴隆
    assert indicator(results_2010["xingyi"], "bz-03")["status"] == "unscored"  # 科室不确定分值


# -- 2014: pinned totals --------------------------------------------------------------------------


def test_2014_admin(results_2014):
    bgs, rsk = results_2014["bgs"], results_2014["rsk"]
    # Each series is out of 100 (拟定示例): 履职 and 管理 tables 49 + 40 per quarter, weighted 0.25 each;
    # 重点 3 and 服务 8 once a year; 创优 adds.
    # 办公室: quarters 88.9 + 89 + 88.8 + 88.8 = 355.5 × 0.25 = 88.875; 重点 0.5 + 1.5 + 0.8 = 2.8;
    #   相互评价 4 × (20 + 5 × 0.6) / 25 valid (不了解 not valid) = 3.68; 党组 4 × (4 + 0.6) / 5 = 3.68;
    #   创优 2 × 0.2 = 0.4.   88.875 + 2.8 + 3.68 + 3.68 + 0.4 = 99.435
    assert total(bgs) == Decimal("99.435")
    # 人事科: quarters 89 + 88.8 + 89 + 88.9 = 355.7 × 0.25 = 88.925; 重点 3;
    #   相互评价 4 × (18 + 6 × 0.6) / 25 = 3.456 → 3.46; 党组 5 满意 = 4.   88.925 + 3 + 3.46 + 4 = 99.385
    assert Decimal(indicator(rsk, "fw-01")["score"]) == Decimal("3.46")
    assert total(rsk) == Decimal("99.385")
    assert (bgs["rank"], rsk["rank"]) == (1, 2)


def test_2014_bonus_cap(results_2014):
    qfk = results_2014["qfk"]
    # 创优 awards 1 (国家级) + 0.5 (辽宁局推广) + 3 × 0.2 = 2.1, the part adds at most 2
    # 重点 3; 相互评价 4 × (23 + 2 × 0.6) / 25 = 3.872 → 3.87; 党组 4;
    # 地方政府 2 × (18 + 2 × 0.6) / 20 = 1.92; 企业 2 × (45 + 5 × 0.6) / 50 valid = 1.92
    # quarters 85 + 84.8 + 85 + 85 = 339.8 × 0.25 = 84.95; 84.95 + 3 + 3.87 + 4 + 1.92 + 1.92 + 2 = 101.66
    assert Decimal(indicator(qfk, "fw-01")["score"]) == Decimal("3.87")
    assert (total(qfk), Decimal(qfk["bonus"]), qfk["rank"]) == (Decimal("101.66"), Decimal("2"), 1)


def test_2014_business_deductions_below_zero(results_2014):
    jd = results_2014["jdhk"]
    # 履职 "扣分不设下限", points 0, each quarter × 0.25: 审单及时率 97.6 % in Q3 (1.4 short → 1 whole
    # point × 0.1) and a data error 0.2, 97.2 % in Q4 (→ 0.1): 0.25 × (−0.3 − 0.1) = −0.1
    assert Decimal(indicator(jd, "lz-yw-03")["score"]) == Decimal("-0.1")
    # 一般责任事故 −1 in Q4: −0.25; 政务信息 1 of 2 in Q1 and in Q4, 缺1篇扣0.1分: 0.25 × −0.2 = −0.05
    assert Decimal(indicator(jd, "lz-yw-02")["score"]) == Decimal("-0.25")
    assert Decimal(indicator(jd, "gl-01")["score"]) == Decimal("-0.05")
    # 重点 0.5 + 1.2 + 1 = 2.7; 相互评价 4 × (15 + 8 × 0.6) / 25 = 3.168 → 3.17; 党组 4 × (3 + 2 × 0.6) / 5 = 3.36;
    # 地方政府 2 × (12 + 6 × 0.6) / 20 = 1.56; 企业 2 × (30 + 15 × 0.6) / 50 = 1.56 → 12.35 in the year;
    # quarters 84.9 + 85 + 84.7 + 83.8 = 338.4 × 0.25 = 84.6; 84.6 + 12.35 = 96.95
    assert total(jd) == Decimal("96.95")
    # 企业评价 for 综合科: 2 × (40 + 8 × 0.6) / 50 valid (5 不了解 excluded) = 1.792 → 1.79
    assert Decimal(indicator(results_2014["zhk"], "fw-04")["score"]) == Decimal("1.79")


def test_2014_affiliated(results_2014):
    fw = results_2014["fwzx"]
    # 缺席学习 3 人次 × 0.1 in Q4 = −0.3 × 0.25 = −0.075; quarters 88.8 + 89 + 88 + 88.5 = 354.3 × 0.25
    # = 88.575; 重点 3; 相互评价 4 × (17 + 7 × 0.6) / 25 = 3.392 → 3.39; 党组 3.68.
    # 88.575 + 3 + 3.39 + 3.68 = 98.645
    assert Decimal(indicator(fw, "gl-03")["score"]) == Decimal("-0.075")
    assert total(fw) == Decimal("98.645")
    # 企业评价 and 地方政府评价 "只适用于业务管理科室"
    assert indicator(fw, "fw-04")["status"] == "not_applicable"
    # 保健中心: quarters 89 + 88.8 + 89 + 88.9 = 355.7 × 0.25 = 88.925, the year 11.04 → 99.965 > 98.645
    assert results_2014["bjzx"]["rank"] == 1


def test_2014_grade_bands(results_2014, results_2010):
    # bands in framework.toml: 优秀 ≥ 90 %, 良好 ≥ 80 %, 合格 ≥ 60 % of the unit's maximum; the 创优
    # bonus part adds to totals but not to maxima: every series 100 (business 85 + 3 + 12, others 89 + 3 + 8)
    assert {u["max"] for u in results_2014.values()} == {"100"}
    # the lowest, 机电化矿科 96.95 / 100 = 96.95 %, still reaches 90 %: every section is 优秀 (拟定示例)
    assert min(Decimal(u["total"]) for u in results_2014.values()) == Decimal("96.95")
    assert {(u["grade"], u["band_note"]) for u in results_2014.values()} == {("优秀", "拟定示例")}
    # the 2010 rules define no bands: no grade is invented for them
    assert {u["grade"] for u in results_2010.values()} == {None}
