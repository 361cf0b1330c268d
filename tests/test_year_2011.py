"""The shipped 2011 year of 黔西南: totals, grades under the quota, the unit veto, the appeal decided
变更, the comparison with 2010 and what the 2011 rule changes did. Expected figures are worked out
by hand from evidence/2011/README.md (each unit's losses) and the frameworks' READMEs."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import said

from generator.output.escape import WORD_JOINER
from generator.problems import Problems
from generator.score import score_assessment
from generator.tree import FsTree
from generator.validate import validate_repository
from generator.yearcompare import compare_years

ROOT = Path(__file__).resolve().parent.parent
D = Decimal

#: Maximum 262 where 二.1 applies (册亨、贞丰、晴隆), 257 elsewhere; then each unit's losses.
EXPECTED_2011 = {
    "xingyi": (D("257") - D("0.1") - D("0.4"), "良好"),  # 结案率 93.6 % (1 whole point under 95); 科级 一般违纪
    "ceheng": (D("262") - D("0.4") - D("0.2"), "优秀"),  # 结案率 90.9 % (4 points); 3 of 4 news
    "xingren": (D("257") - D("0.2") - D("0.4"), "良好"),  # 3 of 4 news; 复查 records 0.4
    "zhenfeng": (D("262") - D("0.2") - D("0.5"), "良好"),  # 3 of 4 news; one late task
    "puan": (D("257") - D("1") - D("0.1") - D("0.2") - D("0.1"), "良好"),  # 95 %: 5 × 0.2; 93.3 %; news; 复核 0.4 → 0.1
    "wangmo": (D("257") - D("2"), "良好"),  # two overdue devices, 1 each
    "qinglong": (D("262") - D("2") - D("0.2") - D("0.2"), "良好"),  # two devices; 92.3 % (2 points); news
    "anlong": (D("257") - D("1") - D("0.4") - D("2"), "良好"),  # 85 % (10 points); 2 of 4 news, none in 黔质新风; 92 %
}


@pytest.fixture(scope="module")
def repo():
    from generator.load import load_repository

    problems = Problems()
    loaded = load_repository(FsTree(ROOT), problems, {2010, 2011})
    validate_repository(loaded, problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    return loaded


@pytest.fixture(scope="module")
def results(repo):
    return score_assessment(repo.assessments[2011])


def test_2011_totals_and_grades(results):
    assert {u.id: (u.total, u.grade) for u in results.units} == EXPECTED_2011


def test_2011_ranks_by_rate(results):
    # 256.5/257 = 99.805 % > 261.4/262 = 99.771 % > 256.4/257 = 99.767 % > 261.3/262 = 99.733 % > 255.6/257
    # > 255/257 > 259.6/262 = 99.084 % > 253.6/257 = 98.677 %: no two equal, so no tie-break is needed
    assert [(u.id, u.rank, u.tied, u.tie_broken) for u in results.units] == [
        (uid, n, False, False)
        for n, uid in enumerate(["xingyi", "ceheng", "xingren", "zhenfeng", "puan", "wangmo", "qinglong", "anlong"], 1)
    ]


def test_2011_quota_and_unit_veto(results):
    # 8 bureaus × 15 % = 1.2 → 1 place; xingyi (first) is vetoed, so the place is 册亨's; the candidates are
    # the six others at 99 % or more: 册亨, 兴仁, 贞丰, 普安, 望谟, 晴隆 (安龙 98.68 % does not reach it)
    (quota,) = results.quotas
    assert (quota.limit, quota.formula, quota.candidates, quota.granted) == (1, "8个单位×15%=1.2，向下取整为1名", 6, 1)
    xingyi = results.unit("xingyi")
    assert (xingyi.grade_reached, xingyi.grade, xingyi.commendable) == ("优秀", "良好", False)
    assert [(v.indicator, v.rule, v.finding, v.max_grade) for v in xingyi.vetoes] == [
        ("df-08", "leader-discipline", "xy-2011-02", "良好")
    ]
    # the five others that reach 99 % are left out of the quota, each with a note
    left_out = [u.id for u in results.units if [n.kind for n in u.grade_notes] == ["quota"]]
    assert left_out == ["xingren", "zhenfeng", "puan", "wangmo", "qinglong"]


def test_2011_appeal_decided_change(results):
    zl01 = next(r for r in results.unit("puan").indicators if r.id == "zl-01")
    (line,) = [x for x in zl01.deductions if x.finding == "pa-2011-01"]
    assert (line.original, line.amount) == (D("0.4"), D("0.1"))
    (record,) = line.appeals
    assert (record.kind, record.outcome, record.decided, record.decided_by) == (
        "复核",
        "变更",
        date(2012, 1, 17),
        "州局目标绩效考核办公室",
    )
    assert record.evidence == ["evidence/2011/puan/zl-01-2011-07-08-bannian-zongjie-baosong.md"]
    # 望谟's 复核 was upheld: its 2 points stand, the history is on the line
    tz02 = next(r for r in results.unit("wangmo").indicators if r.id == "tz-02")
    (upheld,) = [x for x in tz02.deductions if x.finding == "wm-2011-01"]
    assert (upheld.amount, upheld.original, upheld.appeals[0].outcome) == (D("2"), None, "维持")


def test_2011_appeals_were_filed_and_decided_in_time(repo):
    # 公示 from 2012-01-09: 复核 within 7 days (by 01-16), decided within 10 days of filing
    from generator.validate_appeals import validate_appeals

    problems = Problems()
    validate_appeals(repo.assessments[2011], problems, date(2030, 1, 1))
    assert list(problems) == []


def test_2011_against_2010(repo, results):
    trend = compare_years(results, score_assessment(repo.assessments[2010]))
    # 2010 (tests/test_shipped_data.py): xingyi 1, ceheng 2, puan 3=, wangmo 3=, xingren 5, zhenfeng 6, qinglong 7, anlong 8
    moved = {uid: c.rank for uid, c in trend.units.items()}
    assert moved == {
        "xingyi": 0,
        "ceheng": 0,
        "xingren": 2,
        "zhenfeng": 2,
        "puan": -2,
        "wangmo": -3,
        "qinglong": 0,
        "anlong": 0,
    }
    xingren = trend.unit("xingren")
    assert xingren.total == D("256.4") - D("251.7")  # +4.7
    # 得分率 256.4/257 − 251.7/257 = 4.7/257 = 1.8287… percentage points → 1.83
    assert xingren.rate_shown == D("1.83")
    # indicator by indicator: xingren's 二.2 工作总结, missing in 2010 (3 of 5), filed in 2011 (5 of 5)
    assert (trend.indicator("xingren", "bz-02").score, D("5")) == (D("3"), D("5"))


def test_kaohe_diff_shows_what_the_2011_rules_did(kaohe):
    run = kaohe("diff", "--repo", str(ROOT), "--year", "2011", "--against-year", "2010", "--format", "json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["rules"] == {
        "changed": ["df-08", "df-09", "tz-01", "zf-04"],  # unit vetoes added to df-08, tz-01; news 4; 结案率 95 %
        "added": [],
        "removed": [],
        "settings": ["grade", "tie_break", "appeal_kind"],
    }
    deltas = {u["id"]: u["delta"] for u in data["years"][0]["units"]}
    # the cost of the new rules per unit: 结案率 under 95 (whole points × 0.1) + news short of 4 (× 0.2)
    assert (
        deltas
        == {
            "xingyi": "-0.1",  # 93.6 %: 1 point; 4 news
            "ceheng": "-0.6",  # 90.9 %: 4 points; 3 news
            "xingren": "-0.2",  # 96.2 %; 3 news
            "zhenfeng": "-0.2",  # 94.1 %: 0 whole points; 3 news
            "puan": "-0.3",  # 93.3 %: 1 point; 3 news
            "wangmo": "0",  # 100 %; 4 news: the new rules cost it nothing
            "qinglong": "-0.4",  # 92.3 %: 2 points; 3 news
            "anlong": "-0.7",  # 85 %: 10 points under 95 (1) against 5 under 90 (0.5); news 2 of 4 (0.4) against 2 of 3 (0.2)
        }
    )
    markdown = kaohe("diff", "--repo", str(ROOT), "--year", "2011", "--against-year", "2010")
    assert "按2010年度细则评分（左）与按2011年度细则评分（右）" in markdown.out
    # a word joiner follows each "%" in the comment (GitLab reads "%95" as a milestone); readers see none
    assert "结案率93.6%，低于95%，少1.4个百分点" in markdown.out.replace(WORD_JOINER, "")


def test_kaohe_diff_against_year_names_the_changes_in_words(kaohe):
    """The comment's opening lines name what the 2011 rules changed as the document does (its table
    and 序号) and the settings in words, not by the framework's keys (df-08, tie_break): JSON keeps
    the ids for scripts."""
    run = kaohe("diff", "--repo", str(ROOT), "--year", "2011", "--against-year", "2010")
    intro = "\n".join(line for line in run.out.splitlines() if line.startswith("> "))
    assert "党风廉政建设工作第8项、党风廉政建设工作第9项、特种设备安全监管工作第1项、执法打假工作第4项" in intro
    assert "等次、并列时的排序、申诉种类和期限" in intro
    for key in ("df-08", "grade", "tie", "appeal"):
        assert key not in intro


def test_kaohe_diff_against_year_needs_a_year(kaohe):
    run = kaohe("diff", "--repo", str(ROOT), "--against-year", "2010")
    assert run.code == 1 and "--year" in run.err
    run = kaohe("diff", "--repo", str(ROOT))
    assert run.code == 1 and "BASE" in run.err


def test_2011_table_prints_each_band_note_once(kaohe):
    # The units reach 优秀 (ceheng) and 良好 (the other seven). 良好's note 拟定示例 (4 characters, ≤ 8)
    # is printed beside the grade in every row (良好（拟定示例）); 优秀's note is a sentence (> 8), too
    # long for the column, so the line under the title gives it once, with its grade. Before, that
    # line listed every note of a grade shown, so 拟定示例 came twice (等次：拟定示例；拟定示例：…).
    run = kaohe("score", "--repo", str(ROOT), "--year", "2011", "--format", "table")
    assert run.code == 0, run.err
    long_note = "拟定示例：得分率99%以上，且在优秀名额之内"
    notes_line = next(line for line in run.out.splitlines() if long_note in line)
    assert notes_line == said(
        "output.table.band-notes", notes=said("output.grade-with-note", grade="优秀", note=long_note)
    )
    assert notes_line.count("拟定示例") == 1
    assert run.out.count("良好（拟定示例）") == 7
