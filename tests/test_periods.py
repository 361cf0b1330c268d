"""Assessment periods: the Period value, quarters and special assessments, the roll-up into the year,
late assessment, and the shipped 2014 year scored per quarter and for the year.

Every expected figure is computed by hand from the framework's wording, in the comments.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from builders import load, write
from conftest import said
from period_support import FRAMEWORK_HEAD, QUARTERLY, SPECIAL, YEARLY

from generator.period import Period, Schedule, names_a_special, year_of_key
from generator.provenance import Provenance
from generator.render.pagekinds import PageSpec
from generator.render.pages import Site
from generator.score import score_assessment
from generator.score.engine import score_unit
from generator.workspace import open_year

ROOT = Path(__file__).resolve().parents[1]
D = Decimal


# -- the Period value -------------------------------------------------------------------------------


def test_quarters_months_and_the_year_have_their_days_keys_and_titles():
    q3 = Period.quarter(2014, 3)
    assert (q3.first, q3.last, q3.key, q3.title) == (date(2014, 7, 1), date(2014, 9, 30), "2014-Q3", "2014年第三季度")
    assert Period.quarter(2014, 1).last == date(2014, 3, 31)
    feb = Period.month(2012, 2)  # a leap year: 29 days
    assert (feb.last, feb.key, feb.title) == (date(2012, 2, 29), "2012-02", "2012年2月")
    year = Period.whole_year(2014)
    assert (year.first, year.last, year.key, year.title) == (date(2014, 1, 1), date(2014, 12, 31), "2014", "2014年度")
    # boundaries: the first and the last day belong to the period, the days around do not
    assert q3.contains(date(2014, 7, 1)) and q3.contains(date(2014, 9, 30))
    assert not q3.contains(date(2014, 6, 30)) and not q3.contains(date(2014, 10, 1))


def test_results_are_due_by_the_nth_of_the_following_month():
    # 考核结果于考核结束的下月5日前报绩效办: Q3 ends 30 September → 5 October; Q4 → 5 January of the next year
    assert Period.quarter(2014, 3).report_deadline(5) == date(2014, 10, 5)
    assert Period.quarter(2014, 4).report_deadline(5) == date(2015, 1, 5)
    # a special assessment ending mid-month: the month after it ends
    special = Period.special_assessment(2014, "zx", "专项", date(2014, 6, 1), date(2014, 6, 15))
    assert special.report_deadline(5) == date(2014, 7, 5)
    assert Period.month(2014, 1).report_deadline(1) == date(2014, 2, 1)


def test_due_dates_in_the_year_and_in_shorter_periods():
    # in the year an indicator is due at its month's end, without a month always; in a quarter at its end
    year, q2 = Period.whole_year(2014), Period.quarter(2014, 2)
    assert (year.due(6), year.due(None)) == (date(2014, 6, 30), None)
    assert (q2.due(12), q2.due(None)) == (date(2014, 6, 30), date(2014, 6, 30))


def test_period_keys_and_special_ids():
    assert [year_of_key(k) for k in ("2014", "2014-Q3", "2014-07", "2014-zx-1")] == [2014] * 4
    assert [year_of_key(k) for k in ("14-Q3", "2014-.x", "2014-13", "２０１４", "2014-")] == [
        None,
        None,
        None,
        None,
        None,
    ]
    assert names_a_special("zx-anquan")
    assert not names_a_special("Q3") and not names_a_special("07") and not names_a_special("1st")


# -- a framework with quarters, a special assessment and the year --------------------------------------

FRAMEWORK = (
    FRAMEWORK_HEAD
    + """\
[[period]]
kind = "quarter"
title = "季度考核"
categories = ["lz"]
weight = 0.25
report_day = 5

[[period]]
kind = "special"
id = "zx-anquan"
title = "安全生产专项考核"
start = 2014-06-01
end = 2014-06-30
categories = ["zx"]
weight = 1
report_day = 5

[[period]]
kind = "year"
title = "年度考核"
parts = ["zd"]
report_day = 5
"""
)


def finding(fid: str, indicator: str, rule: str, day: str, **extra: str) -> str:
    keys = "".join(f"{k} = {v}\n" for k, v in extra.items())
    return f'[[finding]]\nid = "{fid}"\nindicator = "{indicator}"\nrule = "{rule}"\ndate = {day}\nreason = "理由"\n{keys}\n'


def info(day: str) -> str:
    return f'+++\nindicator = "lz-2"\ndate = {day}\nsatisfies = "info"\n+++\n信息。\n'


def periods_repo(root: Path, findings: str = "", framework: str = FRAMEWORK) -> Path:
    """Year 2014, one unit: table lz assessed each quarter, zx by the special assessment, zd by the year."""
    write(root / "frameworks/t/framework.toml", framework)
    write(root / "frameworks/t/01-lz.toml", QUARTERLY)
    write(root / "frameworks/t/02-zx.toml", SPECIAL)
    write(root / "frameworks/t/03-zd.toml", YEARLY)
    write(
        root / "evidence/2014/units.toml",
        'year = 2014\nframework = "t"\n\n[[unit]]\nid = "a"\nname = "甲科"\nseries = "office"\n',
    )
    for n, day in enumerate(("2014-02-10", "2014-05-10", "2014-08-10")):  # no 信息 in Q4: −0.1 there
        write(root / f"evidence/2014/a/lz-2-{n}.md", info(day))
    if findings:  # an empty findings file is a warning (findings.empty)
        write(root / "evidence/2014/a/findings.toml", findings)
    return root


CLEAN_FINDINGS = (
    finding("q2", "lz-1", "err", "2014-05-20")  # Q2: −0.2
    + finding("q3", "lz-1", "err", "2014-10-04", period='"2014-Q3"', count="2")  # Q3, reported 4 Oct: −0.4
    + finding("zd", "zd-1", "rating", "2014-12-20", amount="2")  # the year: 2 of 3
)


#: The 2014 framework's periods in order: four quarters, the June special, then the year.
PERIODS_2014 = ["2014-Q1", "2014-Q2", "2014-zx-anquan", "2014-Q3", "2014-Q4", "2014"]


def test_each_quarter_scores_its_own_evidence_and_findings_and_the_year_rolls_them_up(tmp_path):
    periods_repo(tmp_path, CLEAN_FINDINGS)
    repo, problems = load(tmp_path)
    assert not problems.errors, [p.format() for p in problems]
    a = repo.assessments[2014]  # type: ignore[attr-defined]
    schedule = Schedule(a.framework, 2014)
    assert [p.key for p in schedule.periods()] == PERIODS_2014

    def total(key: str) -> Decimal:
        period = schedule.find(key)
        return score_assessment(a, period=period).units[0].total

    # the table's points 10 (每项指标无具体得分); 1 信息 required each quarter at 0.1
    # Q1: 信息 on 10 Feb, no finding → 10
    # Q2: 信息 on 10 May, finding q2 −0.2 → 9.8
    # Q3: 信息 on 10 Aug, finding q3 (dated 4 October, naming 2014-Q3) 2 × 0.2 = 0.4 → 9.6
    # Q4: no 信息 → −0.1 → 9.9; q3 does not count here although dated in October
    assert [total(k) for k in ("2014-Q1", "2014-Q2", "2014-Q3", "2014-Q4")] == [D("10"), D("9.8"), D("9.6"), D("9.9")]
    # a quarter's result lists no shorter periods of its own; the year's lists the five it is made of
    assert score_assessment(a, period=schedule.find("2014-Q2")).periods == []
    assert [p.key for p in score_assessment(a).periods] == [
        "2014-Q1",
        "2014-Q2",
        "2014-zx-anquan",
        "2014-Q3",
        "2014-Q4",
    ]
    year = score_assessment(a).units[0]
    # the year: 0.25 × (10 + 9.8 + 9.6 + 9.9) = 0.25 × 39.3 = 9.825; the special, nothing found: 2 × 1;
    # 年度考核 重点 2 of 3 → 9.825 + 2 + 2 = 13.825 of 0.25 × 4 × 10 + 2 + 3 = 15
    assert (year.total, year.max) == (D("13.825"), D("15"))
    assert [(p.period.key, p.total, p.weight) for p in year.periods] == [
        ("2014-Q1", D("10"), D("0.25")),
        ("2014-Q2", D("9.8"), D("0.25")),
        ("2014-zx-anquan", D("2"), D("1")),
        ("2014-Q3", D("9.6"), D("0.25")),
        ("2014-Q4", D("9.9"), D("0.25")),
        ("2014", D("2"), D("1")),
    ]
    # every category field rolled up the same way: 履职 (table points 10 each quarter) 0.25 × 39.3 = 9.825
    # of 0.25 × 40 = 10, its base 0.25 × 4 × 10 = 10; the special 2 of 2; 重点 2 of 3; nothing is weighted
    # inside a category, so raw figures equal the scores
    assert [(c.id, c.score, c.max, c.raw_score, c.raw_max, c.year_max, c.base) for c in year.categories] == [
        ("lz", D("9.825"), D("10"), D("9.825"), D("10"), D("10"), D("10")),
        ("zx", D("2"), D("2"), D("2"), D("2"), D("2"), D("0")),
        ("zd", D("2"), D("3"), D("2"), D("3"), D("3"), D("0")),
    ]
    # each period under its own title; the year's under its declaration's title (年度考核), not 2014年度
    assert [p.title for p in year.periods] == [
        "2014年第一季度",
        "2014年第二季度",
        "安全生产专项考核",
        "2014年第三季度",
        "2014年第四季度",
        "年度考核",
    ]
    # each quarter's line counts in the year × 0.25 and says so: 0.2 → 0.05, 0.4 → 0.1, 0.1 → 0.025
    lines = [(x.period, x.weight, x.amount) for row in year.indicators for x in row.deductions]
    assert lines == [
        ("2014-Q2", D("0.25"), D("0.05")),
        ("2014-Q3", D("0.25"), D("0.1")),
        ("2014-Q4", D("0.25"), D("0.025")),
        (None, None, D("1")),  # 重点: 3 − 2 awarded = 1 not earned, the year's own line
    ]


def test_a_special_assessment_scores_its_dates_only(tmp_path):
    # the quarters name category lz (not the whole part, which zx belongs to too); the special names zx
    periods_repo(
        tmp_path, framework=FRAMEWORK.replace('parts = ["lz"]\nweight = 0.25', 'categories = ["lz"]\nweight = 0.25')
    )
    write(tmp_path / "frameworks/t/02-zx.toml", SPECIAL)
    write(
        tmp_path / "evidence/2014/a/findings.toml",
        finding("s1", "zx-1", "hazard", "2014-06-10")  # in the special's dates: −0.5
        + finding("s2", "zx-1", "hazard", "2014-07-03", period='"2014-zx-anquan"')  # reported 3 July: −0.5
        + finding("zd", "zd-1", "rating", "2014-12-20", amount="3"),
    )
    repo, problems = load(tmp_path)
    assert not problems.errors, [p.format() for p in problems]
    a = repo.assessments[2014]  # type: ignore[attr-defined]
    special = Schedule(a.framework, 2014).find("2014-zx-anquan")
    assert special is not None and (special.first, special.last) == (date(2014, 6, 1), date(2014, 6, 30))
    # 2 points, two hazards found × 0.5 → 1
    assert score_assessment(a, period=special).units[0].total == D("1")
    # the year: quarters 0.25 × (10 + 10 + 10 + 9.9) = 9.975, the special 1 × 1, the year's 重点 3 → 13.975
    year = score_assessment(a).units[0]
    assert year.total == D("13.975")
    # the special's lines count whole in the year (weight 1) and still say which assessment found them
    hazards = [(x.period, x.weight, x.amount) for row in year.indicators if row.id == "zx-1" for x in row.deductions]
    assert hazards == [("2014-zx-anquan", D("1"), D("0.5")), ("2014-zx-anquan", D("1"), D("0.5"))]


def test_as_of_mid_year_counts_what_has_begun_and_keeps_the_year_maximum(tmp_path):
    periods_repo(tmp_path, CLEAN_FINDINGS)
    repo, _ = load(tmp_path)
    a = repo.assessments[2014]  # type: ignore[attr-defined]
    unit = score_assessment(a, as_of=date(2014, 8, 15)).units[0]
    # Q1 10 and Q2 9.8 are due, and the special (June) 2; Q3 has begun but is not due before 30 September;
    # Q4 has not begun; 重点 is due in December. Total 0.25 × (10 + 9.8) + 2 = 6.95 of 0.25 × 20 + 2 = 7
    # due, 15 in the year
    assert (unit.total, unit.max, unit.year_max) == (D("6.95"), D("7"), D("15"))
    # one unit scored alone (the indicator review does) rolls up the same periods as of the same day
    alone = score_unit(a, a.units[0], date(2014, 8, 15))
    assert (alone.total, alone.max, alone.year_max) == (D("6.95"), D("7"), D("15"))
    assert [p.period.key for p in alone.periods] == PERIODS_2014


def test_checks_of_findings_against_periods(tmp_path, kaohe):
    periods_repo(
        tmp_path,
        CLEAN_FINDINGS
        + finding("late", "lz-1", "err", "2014-10-06", period='"2014-Q3"')  # after 5 October: late, a warning
        + finding("early", "lz-1", "err", "2014-06-20", period='"2014-Q3"')  # before Q3 begins
        + finding("nope", "lz-1", "err", "2014-06-20", period='"2014-Q5"')  # no such period
        + finding("yearq", "zd-1", "rating", "2014-06-20", period='"2014-Q2"', amount="1"),  # zd is not quarterly
    )
    run = kaohe("check", "--repo", str(tmp_path), "--format", "json")
    found = {(p["code"], p["line"], p["severity"]) for p in json.loads(run.out)}
    # findings.toml: each finding is [[finding]], id, indicator, rule, date, reason, its extra keys and a
    # blank line: q2 lines 1–7, q3 8–16 (2 extras), zd 17–24, late 25–32, early 33–40, nope 41–48, yearq 49–
    assert found == {
        ("finding.late-assessment", 29, "warning"),  # the date of "late"
        ("finding.period-not-begun", 37, "error"),  # the date of "early"
        ("finding.period-unknown", 47, "error"),  # the period of "nope"
        ("finding.period-unknown", 55, "error"),  # the period of "yearq"
    }
    assert run.code == 1


APPEAL_KIND = '\n[[appeal_kind]]\nkind = "复核"\nfile_within_days = 10\ndecide_within_days = 10\n'


def rule_appeal(aid: str, period: str = "", target: str = 'indicator = "lz-2"\nrule = "info"') -> str:
    """A 复核 of the 信息 count's lines (no finding to name), filed and revoked after the 公示 of 5 January."""
    return (
        f'[[appeal]]\nid = "{aid}"\nkind = "复核"\n{target}\n{period}filed = 2015-01-08\nfiled_by = "甲科"\n'
        'grounds = "信息已报送"\n\n[appeal.decision]\noutcome = "撤销"\ndecided_by = "绩效办"\n'
        'date = 2015-01-12\nreasoning = "经核实"\n\n'
    )


def test_an_appeal_against_a_rule_names_its_period_and_changes_that_period_only(tmp_path, kaohe):
    periods_repo(tmp_path, CLEAN_FINDINGS, framework=FRAMEWORK + APPEAL_KIND)
    write(tmp_path / "evidence/2014/stages.toml", '[[stage]]\nstage = "公示"\ndate = 2015-01-05\ndays = 7\n')
    (tmp_path / "evidence/2014/a/lz-2-0.md").unlink()  # no 信息 in Q1 either: −0.1 in Q1 and in Q4
    write(tmp_path / "evidence/2014/a/lz-2-appeal.toml", rule_appeal("ap-q4", 'period = "2014-Q4"\n'))
    repo, problems = load(tmp_path)
    assert not problems.errors, [p.format() for p in problems]
    a = repo.assessments[2014]  # type: ignore[attr-defined]
    totals = [score_assessment(a, period=Period.quarter(2014, n)).units[0].total for n in (1, 3, 4)]
    # Q4's −0.1 revoked: 10; Q1's stands: 9.9; Q3 keeps its 2 × 0.2 from finding q3: 9.6
    assert totals == [D("9.9"), D("9.6"), D("10")]
    year = score_assessment(a).units[0]
    # 0.25 × (9.9 + 9.8 + 9.6 + 10) = 0.25 × 39.3 = 9.825, the special 2, 重点 2 → 13.825
    assert year.total == D("13.825")
    lines = [(x.period, x.amount, x.original) for row in year.indicators if row.id == "lz-2" for x in row.deductions]
    # the year's lines: Q1 0.1 × 0.25 = 0.025; Q4 0 now, 0.025 struck through
    assert lines == [("2014-Q1", D("0.025"), None), ("2014-Q4", D("0"), D("0.025"))]
    # the year lists the appeal once, as Q4 (the quarter holding what it contests) decided it: 0.1 → 0
    assert [(x.id, x.before, x.after) for x in year.appeals] == [("ap-q4", D("0.1"), D("0"))]

    # without the period, or naming one the indicator is not assessed in, or on a finding: refused
    write(
        tmp_path / "evidence/2014/a/lz-2-appeal.toml",
        rule_appeal("ap-none")
        + rule_appeal("ap-q5", 'period = "2014-Q5"\n')
        + rule_appeal("ap-f", 'period = "2014-Q3"\n', target='finding = "q3"'),
    )
    found = {
        (p["code"], p["line"]) for p in json.loads(kaohe("check", "--repo", str(tmp_path), "--format", "json").out)
    }
    # each appeal is 15 lines with a period (14 without) and a blank: ap-none 1–15 (its rule at line 5),
    # ap-q5 16–31 ([[appeal]], id, kind, indicator, rule, then its period at line 21), ap-f from 32
    # ([[appeal]], id, kind, finding, then its period at line 36)
    assert found == {
        ("appeal.period-missing", 5),
        ("appeal.period-unknown", 21),
        ("appeal.period-unknown", 36),
    }


def test_a_unit_veto_in_one_quarter_holds_for_that_quarter_and_the_year(tmp_path):
    grades = '\n[[grade]]\ntitle = "优秀"\nmin_percent = 90\n\n[[grade]]\ntitle = "良好"\nmin_percent = 0\n'
    periods_repo(
        tmp_path,
        CLEAN_FINDINGS + finding("aq", "lz-3", "cap", "2014-05-12"),  # in Q2
        framework=FRAMEWORK + grades,
    )
    write(
        tmp_path / "frameworks/t/01-lz.toml",
        QUARTERLY + '\n[[indicator]]\nid = "lz-3"\ntarget = "安全生产"\n\n'
        '[[indicator.rule]]\nid = "cap"\nkind = "unit_veto"\nmax_grade = "良好"\n',
    )
    repo, problems = load(tmp_path)
    assert not problems.errors, [p.format() for p in problems]
    a = repo.assessments[2014]  # type: ignore[attr-defined]
    grades_of = {n: score_assessment(a, period=Period.quarter(2014, n)).units[0] for n in (2, 3)}
    # Q2 9.8 of 10 = 98 % reaches 优秀, capped at 良好 by the veto found in May; Q3 9.6 of 10 = 96 %: 优秀
    assert [(u.grade_reached, u.grade) for u in grades_of.values()] == [("优秀", "良好"), ("优秀", "优秀")]
    year = score_assessment(a).units[0]
    # the year 13.825 of 15 = 92.2 % reaches 优秀; the May veto caps it at 良好
    assert (year.total, year.grade_reached, year.grade, [v.finding for v in year.vetoes]) == (
        D("13.825"),
        "优秀",
        "良好",
        ["aq"],
    )


def test_a_unit_veto_the_year_assesses_after_other_rules_and_categories_holds(tmp_path):
    # the veto is the second rule of an indicator in 重点 (zd), the third category: the year's scope skips
    # the quarterly lz and the special zx before it, and the indicator's first rule is no veto
    grades = '\n[[grade]]\ntitle = "优秀"\nmin_percent = 90\n\n[[grade]]\ntitle = "良好"\nmin_percent = 0\n'
    periods_repo(tmp_path, CLEAN_FINDINGS + finding("aq", "zd-2", "cap", "2014-11-01"), framework=FRAMEWORK + grades)
    write(
        tmp_path / "frameworks/t/03-zd.toml",
        YEARLY + '\n[[indicator]]\nid = "zd-2"\ntarget = "安全生产"\npoints = 0\n\n'
        '[[indicator.rule]]\nid = "err"\nkind = "fixed"\namount = 0.1\n\n'
        '[[indicator.rule]]\nid = "cap"\nkind = "unit_veto"\nmax_grade = "良好"\n',
    )
    repo, problems = load(tmp_path)
    assert not problems.errors, [p.format() for p in problems]
    year = score_assessment(repo.assessments[2014]).units[0]  # type: ignore[attr-defined]
    # 13.825 of 15 = 92.2 % reaches 优秀 (as in the quarterly veto's test); the November veto caps it at 良好
    assert ([v.finding for v in year.vetoes], year.grade_reached, year.grade) == (["aq"], "优秀", "良好")


def test_late_assessment_is_a_flag_on_the_line_never_a_deduction(tmp_path):
    periods_repo(tmp_path, finding("late", "lz-1", "err", "2014-10-06", period='"2014-Q3"'))
    repo, problems = load(tmp_path)
    assert [p.code for p in problems] == ["finding.late-assessment"]
    # the warning names the quarter as the clerk does (2014年第三季度), not by the key 2014-Q3
    (said,) = [p.format() for p in problems]
    assert "2014年第三季度的认定结果" in said and "2014-Q3" not in said, said
    a = repo.assessments[2014]  # type: ignore[attr-defined]
    q3 = score_assessment(a, period=Period.quarter(2014, 3)).units[0]
    (line,) = [x for row in q3.indicators for x in row.deductions]
    # the unit loses the finding's 0.2, no more: 10 − 0.2 = 9.8; the line carries the missed deadline
    assert (q3.total, line.amount, line.late_assessment) == (D("9.8"), D("0.2"), date(2014, 10, 5))
    # the year's line keeps the flag: 0.2 × 0.25 = 0.05 lost in the year, nothing more
    year = score_assessment(a)
    (yearly,) = [x for row in year.units[0].indicators for x in row.deductions if x.period == "2014-Q3"]
    assert (yearly.amount, yearly.late_assessment) == (D("0.05"), date(2014, 10, 5))
    # the sheet says it on the line, naming the deadline
    sheet = Site(a, year, Provenance()).render(PageSpec("units/a.md", "sheet", "a", "甲科"))
    assert '<span class="kh-late-assessment">考核结果逾期报送：应于2014-10-05前报绩效办' in sheet
    # a finding dated 5 October is in time (the deadline is inclusive)
    periods_repo(tmp_path, finding("ok", "lz-1", "err", "2014-10-05", period='"2014-Q3"'))
    repo, problems = load(tmp_path)
    assert [p.code for p in problems] == []
    q3 = score_assessment(repo.assessments[2014], period=Period.quarter(2014, 3)).units[0]  # type: ignore[attr-defined]
    (line,) = [x for row in q3.indicators for x in row.deductions]
    assert (line.amount, line.late_assessment) == (D("0.2"), None)  # in time: no flag on the line either


def test_declarations_that_cannot_work_are_refused(tmp_path, kaohe):
    bad = FRAMEWORK.replace('parts = ["zd"]\nreport_day = 5', 'parts = ["zd", "lz", "xx"]\nreport_day = 5').replace(
        'id = "zx-anquan"', 'id = "Q3"'
    )
    periods_repo(tmp_path, framework=bad)
    run = kaohe("check", "--repo", str(tmp_path), "--format", "json")
    codes = sorted(p["code"] for p in json.loads(run.out) if p["path"].endswith("framework.toml"))
    assert codes == [
        "framework.period-category-twice",  # lz: by the quarters and, through part lz, by the year
        "framework.period-category-twice",  # zx: by the special and, through part lz, by the year
        "framework.period-id-ambiguous",  # 2014-Q3 would read as the third quarter
        "framework.period-unknown-part",  # xx
    ]
    assert run.code == 1


def test_a_special_outside_the_year_and_a_category_no_period_assesses(tmp_path, kaohe):
    fw = FRAMEWORK.replace("start = 2014-06-01", "start = 2013-12-01").replace(
        'parts = ["zd"]', 'categories = []\nparts = ["lz-none"]'
    )
    periods_repo(tmp_path, framework=fw)
    run = kaohe("check", "--repo", str(tmp_path), "--format", "json")
    codes = {p["code"] for p in json.loads(run.out)}
    assert {"framework.period-outside-year", "framework.period-category-unassessed"} <= codes


def test_a_finding_cannot_name_a_period_where_the_framework_declares_none(tmp_path, kaohe):
    fw = FRAMEWORK[: FRAMEWORK.index("[[period]]")]
    periods_repo(tmp_path, finding("f", "lz-1", "err", "2014-05-20", period='"2014-Q2"'), framework=fw)
    write(tmp_path / "frameworks/t/03-zd.toml", YEARLY)
    run = kaohe("check", "--repo", str(tmp_path), "--format", "json")
    assert [(p["code"], p["line"]) for p in json.loads(run.out)] == [("finding.period-undeclared", 7)]


def test_votes_and_earned_awards_must_state_what_a_missing_result_costs(tmp_path, kaohe):
    periods_repo(tmp_path)
    write(
        tmp_path / "frameworks/t/03-zd.toml",
        YEARLY.replace("missing_amount = 3\n", "")
        + """
[[indicator]]
id = "zd-2"
target = "测评"
points = 2
month = 12

[[indicator.rule]]
id = "ballot"
kind = "votes"
options = { "满意" = 1 }
""",
    )
    run = kaohe("check", "--repo", str(tmp_path), "--format", "json")
    found = [(p["code"], p["line"]) for p in json.loads(run.out)]
    # the rules' tables: [category] 4 lines and a blank, zd-1's 5 lines and a blank, its rule at line 12;
    # the rule's 3 lines and a blank, zd-2's 5 and a blank, its rule at line 22
    assert found == [("framework.award-missing-unstated", 12), ("framework.votes-missing-unstated", 22)]


# -- the command line ----------------------------------------------------------------------------------


def test_score_period_on_the_command_line(tmp_path, kaohe):
    periods_repo(tmp_path, CLEAN_FINDINGS)
    run = kaohe("score", "--repo", str(tmp_path), "--period", "2014-Q3", "--format", "json")
    data = json.loads(run.out)
    # Q3: 10 − 0.4 = 9.6 of 10; only the quarterly category is scored
    assert (data["period"], data["period_title"], data["as_of"]) == ("2014-Q3", "2014年第三季度", "2014-09-30")
    assert [(u["total"], u["max"], [c["id"] for c in u["categories"]]) for u in data["units"]] == [
        ("9.6", "10", ["lz"])
    ]
    year = json.loads(kaohe("score", "--repo", str(tmp_path), "--format", "json").out)
    assert (year["period"], year["units"][0]["total"]) == ("2014", "13.825")
    assert [p["period"] for p in year["units"][0]["periods"]][-3:] == ["2014-Q3", "2014-Q4", "2014"]
    table = kaohe("score", "--repo", str(tmp_path), "--period", "2014-Q2").out
    assert table.splitlines()[0].startswith("2014年第二季度 测试框架")
    refused = kaohe("score", "--repo", str(tmp_path), "--period", "2014-Q5")
    assert refused.code != 0 and "2014-Q4" in refused.err  # did you mean
    with pytest.raises(SystemExit) as usage:  # not a period key: a usage error before anything is read
        kaohe("score", "--repo", str(tmp_path), "--period", "Q3")
    assert usage.value.code == 2


def test_score_period_where_none_is_declared(kaohe):
    run = kaohe("score", "--repo", str(ROOT), "--period", "2010-Q3", "--no-filing-dates")
    assert run.code != 0 and said("score.period-undeclared", period="2010-Q3", year=2010) in run.err


# -- the shipped 2014 year -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def liaoyang():
    _, a = open_year(str(ROOT), None, 2014, "off")
    return a


def test_shipped_2014_quarter_by_quarter(liaoyang):
    schedule = Schedule(liaoyang.framework, 2014)
    totals = {
        key: {u.id: u.total for u in score_assessment(liaoyang, period=schedule.find(key)).units}
        for key in ("2014-Q1", "2014-Q2", "2014-Q3", "2014-Q4")
    }
    # Tables' points (拟定示例): admin and affiliated 履职 49 + 管理 40 = 89, business 45 + 40 = 85.
    # Each quarter needs 2 政务信息 (0.1 per missing one); business sections report 审单及时率 ≥ 99 %
    # (0.1 per whole point below), 保健中心 时限符合率 ≥ 98 %.
    assert totals["2014-Q1"] == {
        "bgs": D("88.9"),  # 1 document late: 89 − 0.1
        "rsk": D("89"),
        "zhk": D("84.9"),  # 1 document returned: 85 − 0.1
        "jdhk": D("84.9"),  # 1 of 2 政务信息: 85 − 0.1
        "qfk": D("85"),
        "jyk": D("85"),
        "fwzx": D("88.8"),  # 1 complaint: 89 − 0.2
        "bjzx": D("89"),  # 98.6 % ≥ 98 %
    }
    assert totals["2014-Q2"] == {
        "bgs": D("89"),
        "rsk": D("88.8"),  # 1 of 2 政务信息 −0.1, a late return −0.1
        "zhk": D("85"),
        "jdhk": D("85"),
        "qfk": D("84.8"),  # 2 absences × 0.1
        "jyk": D("84.8"),  # 一般差错 0.2 (审单及时率 99.0 % meets 99 %)
        "fwzx": D("89"),
        "bjzx": D("88.8"),  # 一般差错 0.2 under 第十一条's standard, now for every series
    }
    assert totals["2014-Q3"] == {
        "bgs": D("88.8"),  # 管理 一般差错 0.2
        "rsk": D("89"),
        "zhk": D("85"),
        "jdhk": D("84.7"),  # data error 0.2 (found 3 October, for 2014-Q3) + 97.6 % → 1.4 points short → 0.1
        "qfk": D("85"),
        "jyk": D("85"),
        "fwzx": D("88"),  # 一般责任事故 1
        "bjzx": D("89"),
    }
    assert totals["2014-Q4"] == {
        "bgs": D("88.8"),  # 2 documents late × 0.1
        "rsk": D("88.9"),  # results reported late 0.1
        "zhk": D("84.8"),  # 一般差错 0.2
        "jdhk": D("83.8"),  # 一般责任事故 1 + 97.2 % → 1.8 short → 0.1 + 1 of 2 政务信息 0.1 = 1.2
        "qfk": D("85"),
        "jyk": D("84.3"),  # 较大差错 0.5 + a complaint 0.2
        "fwzx": D("88.5"),  # a complaint 0.2 + 3 absences × 0.1
        "bjzx": D("88.9"),  # 96.5 % → 1.5 short → 0.1
    }


def test_shipped_2014_year_rolls_up_the_quarters(liaoyang):
    units = {u.id: u for u in score_assessment(liaoyang).units}
    bgs, qfk = units["bgs"], units["qfk"]
    # 办公室: quarters 0.25 × (88.9 + 89 + 88.8 + 88.8) = 0.25 × 355.5 = 88.875.
    # 年度考核: 重点 0.5 + 1.5 + 0.8 = 2.8 of 3; 相互评价 4 × (20 + 5 × 0.6) / 25 = 3.68; 党组评价
    # 4 × (4 + 0.6) / 5 = 3.68; 创优 信息采用 +0.4 → 2.8 + 7.36 + 0.4 = 10.56. Total 88.875 + 10.56 = 99.435
    assert (bgs.total, bgs.max, bgs.bonus) == (D("99.435"), D("100"), D("0.4"))
    # 轻纺科: quarters 0.25 × (85 + 84.8 + 85 + 85) = 0.25 × 339.8 = 84.95. 重点 3 of 3; 服务: 相互
    # 4 × (23 + 1.2) / 25 = 3.872 → 3.87, 党组 4, 政府 2 × (18 + 1.2) / 20 = 1.92, 企业 2 × (45 + 3) / 50 = 1.92
    # → 11.71; 创优 1 + 0.5 + 0.6 = 2.1, the part adds at most 2 → 3 + 11.71 + 2 = 16.71. 84.95 + 16.71 = 101.66
    assert (qfk.total, qfk.max, qfk.bonus) == (D("101.66"), D("100"), D("2"))
    # above the maximum only through 创优: 101.66 − 2 = 99.66 ≤ 100, and so for every unit
    assert all(u.total - u.bonus <= u.max == D("100") for u in units.values())
    # every series is out of 100 (拟定示例): 89 + 3 + 8 for admin and affiliated, 85 + 3 + 12 for business
    assert {u.id: u.max for u in units.values()} == dict.fromkeys(units, D("100"))


def test_shipped_2014_check_is_clean(kaohe):
    run = kaohe("check", "--repo", str(ROOT))
    assert run.code == 0 and run.out == ""
    before, after = said("check.summary", errors=0, warnings=0, files="FILES", frameworks=3, years=3).split("FILES")
    assert before in run.err and after in run.err


def test_shipped_framework_marks_what_it_chose(liaoyang):
    fw = liaoyang.framework
    assert fw.title == "辽阳出入境检验检疫局绩效管理办法"
    assert [(p.kind, p.weight, sorted(p.interpreted)) for p in fw.period] == [
        ("quarter", D("0.25"), ["parts", "report_day", "weight"]),
        ("year", D("1"), ["parts", "report_day", "weight"]),
    ]
    points = {c.id: (c.points, "拟定示例" in c.interpreted.get("points", "")) for c in fw.categories if c.points}
    assert points == {"lvzhi-xz": (D("49"), True), "lvzhi-yw": (D("45"), True), "guanli": (D("40"), True)}
    for ind in fw.indicators():
        for rule in ind.rule:
            if rule.kind == "votes" or (rule.kind == "award" and ind.method != "bonus"):
                assert "拟定示例" in rule.interpreted["missing_amount"], (ind.id, rule.id)
    # 第十一条: 差错 and 事故 standards in 履职 and 管理 of every series
    incident = {i.id for i in fw.indicators() if any(r.kind == "incident" for r in i.rule)}
    assert {"lz-yw-01", "lz-yw-02", "lz-xz-cc", "lz-xz-sg", "gl-06", "gl-07"} <= incident


def test_grades_say_they_are_invented_in_every_output(liaoyang, kaohe):
    table = kaohe("score", "--repo", str(ROOT), "--year", "2014").out
    assert "优秀（拟定示例）" in table
    data = json.loads(kaohe("score", "--repo", str(ROOT), "--year", "2014", "--format", "json").out)
    assert {(u["grade"], u["band_note"]) for u in data["units"]} == {("优秀", "拟定示例")}
    csv_text = kaohe("score", "--repo", str(ROOT), "--year", "2014", "--format", "csv").out
    header, first = csv_text.splitlines()[:2]
    assert header.endswith(",period,band_note") and first.endswith(",2014,拟定示例")


def test_site_pages_of_each_quarter(liaoyang):
    results = score_assessment(liaoyang)
    schedule = Schedule(liaoyang.framework, 2014)
    periods = {p.key: score_assessment(liaoyang, period=p) for p in results.periods}
    site = Site(liaoyang, results, Provenance(), period_results=periods)
    specs = [s for s in site.pages() if s.kind == "period"]
    assert [(s.src_uri, s.title) for s in specs] == [
        (f"periods/2014-Q{n}.md", f"2014年第{'一二三四'[n - 1]}季度") for n in range(1, 5)
    ]
    q3 = site.render(specs[2])
    assert "2014年第三季度考核结果" in q3 and "9月一批进口铁矿的检验数据录入错误" in q3
    sheet = site.render(PageSpec("units/jdhk.md", "sheet", "jdhk", "机电化矿科"))
    # the sheet lists each period (84.7 in Q3, counted × 0.25 = 21.175) and tags the rolled-up line
    assert "21.175" in sheet and 'href="../periods/2014-Q3.html#unit-jdhk"' in sheet
    assert schedule.find("2014-Q3") is not None


def test_export_one_quarter(tmp_path, kaohe):
    import openpyxl

    out = tmp_path / "q3.xlsx"
    assert kaohe("export", "--repo", str(ROOT), "--period", "2014-Q3", "-o", str(out), "--no-filing-dates").code == 0
    summary = openpyxl.load_workbook(out).worksheets[0]
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0][0].startswith("2014年第三季度")
    # 机关服务中心 in Q3: 89 − 1 (一般责任事故) = 88, graded with its band's note
    (fwzx,) = [r for r in rows if r[1] == "机关服务中心"]
    assert (fwzx[3], fwzx[4], fwzx[7]) == (88, 89, "优秀（拟定示例）")


def test_the_years_workbook_says_which_quarter_each_line_came_from(tmp_path, kaohe):
    import openpyxl

    out = tmp_path / "year.xlsx"
    assert kaohe("export", "--repo", str(ROOT), "--year", "2014", "-o", str(out), "--no-filing-dates").code == 0
    cells = [
        str(c)
        for sheet in openpyxl.load_workbook(out).worksheets[1:]
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c
    ]
    # a unit one 政务信息 short in Q2: 1 × 0.1 in the quarter, × 0.25 = 0.025 in the year; the line
    # names its quarter and weight (every quarter's line reads the same without them)
    assert "2014年第二季度×0.25：政务信息应2篇，实有1篇，缺1篇（−0.025）" in cells


def test_a_category_no_period_names_counts_once_over_the_year(tmp_path):
    # `kaohe check` refuses such a framework (framework.period-category-unassessed); scoring it anyway (the
    # preview keeps scoring while a framework is being edited) counts the category once, over the year,
    # weight 1, titled as the year (2014年度)
    without_year = FRAMEWORK[: FRAMEWORK.index('[[period]]\nkind = "year"')]
    periods_repo(
        tmp_path,
        CLEAN_FINDINGS + finding("zd2", "zd-2", "rating", "2014-09-10", amount="1"),
        framework=without_year,
    )
    write(
        tmp_path / "frameworks/t/03-zd.toml",
        YEARLY + '\n[[indicator]]\nid = "zd-2"\ntarget = "半年工作"\npoints = 1\nmonth = 6\n\n'
        '[[indicator.rule]]\nid = "rating"\nkind = "award"\nmissing_amount = 1\n',
    )
    repo, problems = load(tmp_path)
    assert [p.code for p in problems.errors] == ["framework.period-category-unassessed"]
    a = repo.assessments[2014]  # type: ignore[attr-defined]

    year = score_assessment(a).units[0]
    # quarters 0.25 × (10 + 9.8 + 9.6 + 9.9) = 9.825, the special 2; zd over the year: zd-1 2 of 3, zd-2 1 of 1
    # → 9.825 + 2 + 3 = 14.825 of 0.25 × 40 + 2 + 4 = 16
    assert (year.total, year.max) == (D("14.825"), D("16"))
    assert [(p.period.key, p.total, p.max, p.weight, p.title) for p in year.periods][-1] == (
        "2014",
        D("3"),
        D("4"),
        D("1"),
        "2014年度",
    )

    mid = score_assessment(a, as_of=date(2014, 8, 15)).units[0]
    # as of 15 August: Q1 10 and Q2 9.8 (× 0.25), the special 2; zd-2 (June) is due and its rating, dated
    # 10 September, is not in yet: 0 of 1; zd-1 (December) is not due
    # → 0.25 × 19.8 + 2 + 0 = 6.95 of 0.25 × 20 + 2 + 1 = 8
    assert (mid.total, mid.max) == (D("6.95"), D("8"))


def test_the_years_appeals_are_listed_in_the_order_they_were_filed(tmp_path):
    periods_repo(tmp_path, CLEAN_FINDINGS, framework=FRAMEWORK + APPEAL_KIND)
    write(tmp_path / "evidence/2014/stages.toml", '[[stage]]\nstage = "公示"\ndate = 2015-01-05\ndays = 7\n')
    (tmp_path / "evidence/2014/a/lz-2-0.md").unlink()  # no 信息 in Q1 either: −0.1 in Q1 and in Q4
    write(
        tmp_path / "evidence/2014/a/lz-2-appeal.toml",
        rule_appeal("ap-a", 'period = "2014-Q1"\n').replace("filed = 2015-01-08", "filed = 2015-01-09")
        + rule_appeal("ap-b", 'period = "2014-Q4"\n'),
    )
    repo, problems = load(tmp_path)
    assert not problems.errors, [p.format() for p in problems]
    year = score_assessment(repo.assessments[2014]).units[0]  # type: ignore[attr-defined]
    # both −0.1 revoked: 0.25 × (10 + 9.8 + 9.6 + 10) = 9.85, the special 2, 重点 2 → 13.85
    assert year.total == D("13.85")
    # ap-b filed 8 January, ap-a on the 9th: filing order, not the file's order nor the ids'
    assert [x.id for x in year.appeals] == ["ap-b", "ap-a"]


BONUS = """\
[category]
id = "cy"
title = "创优绩效"
part = "cy"

[[indicator]]
id = "cy-1"
target = "创优"
points = 1

[[indicator.rule]]
id = "honour"
kind = "award"

[[indicator.rule]]
id = "fraud"
kind = "veto"
"""


def test_each_field_of_an_indicator_rolls_up_over_quarters_weighted_other_than_a_quarter(tmp_path):
    # quarters weighted 0.3 (the weights need not add up to 1), so the year's figures differ from any
    # one quarter's; a bonus part cy assessed each quarter beside lz
    framework = FRAMEWORK.replace('categories = ["lz"]\nweight = 0.25', 'categories = ["lz", "cy"]\nweight = 0.3')
    framework = framework.replace(
        '[[period]]\nkind = "quarter"',
        '[[part]]\nid = "cy"\ntitle = "创优绩效"\nmethod = "bonus"\n\n[[period]]\nkind = "quarter"',
    )
    periods_repo(
        tmp_path,
        CLEAN_FINDINGS
        + finding("honour", "cy-1", "honour", "2014-05-20", amount="0.5")  # Q2: +0.5
        + finding("fraud", "cy-1", "fraud", "2014-08-05"),  # Q3: 此项不得分
        framework=framework,
    )
    write(tmp_path / "frameworks/t/04-cy.toml", BONUS)
    repo, problems = load(tmp_path)
    assert not problems.errors, [p.format() for p in problems]
    year = score_assessment(repo.assessments[2014]).units[0]  # type: ignore[attr-defined]
    rows = {row.id: row for row in year.indicators}

    cy = rows["cy-1"]
    # Q1 0, Q2 0.5, Q3 vetoed 0, Q4 0 → 0.3 × 0.5 = 0.15 of 0.3 × 4 × 1 = 1.2; a veto in any quarter shows
    assert (cy.score, cy.max, cy.status) == (D("0.15"), D("1.2"), "vetoed")
    # Q2's award counts × 0.3 in the year (0.5 → 0.15) and names its quarter; Q1 had none
    assert [(x.period, x.weight, x.amount, x.finding) for x in cy.awards] == [
        ("2014-Q2", D("0.3"), D("0.15"), "honour")
    ]
    # the 信息 of Q1, Q2 and Q3 are all the year's evidence of lz-2, not Q1's alone
    assert rows["lz-2"].evidence == [f"evidence/2014/a/lz-2-{n}.md" for n in range(3)]
    # lz: 0.3 × (10 + 9.8 + 9.6 + 9.9) = 0.3 × 39.3 = 11.79 of 0.3 × 4 × 10 = 12; year maximum and base 12 too
    (lz,) = [c for c in year.categories if c.id == "lz"]
    assert (lz.score, lz.max, lz.raw_score, lz.raw_max, lz.year_max, lz.base) == (
        D("11.79"),
        D("12"),
        D("11.79"),
        D("12"),
        D("12"),
        D("12"),
    )
    # lz 11.79 + cy 0.15 + the special 2 + 重点 2 = 15.94
    assert year.total == D("15.94")


def test_an_appeal_against_a_finding_is_listed_once_with_what_its_quarter_decided(tmp_path):
    periods_repo(tmp_path, CLEAN_FINDINGS, framework=FRAMEWORK + APPEAL_KIND)
    write(tmp_path / "evidence/2014/stages.toml", '[[stage]]\nstage = "公示"\ndate = 2015-01-05\ndays = 7\n')
    # a finding's appeal names no period: every quarter's row of lz-1 carries it, Q3 (finding q3) decides it
    write(tmp_path / "evidence/2014/a/lz-1-appeal.toml", rule_appeal("ap-q3", target='finding = "q3"'))
    repo, problems = load(tmp_path)
    assert not problems.errors, [p.format() for p in problems]
    year = score_assessment(repo.assessments[2014]).units[0]  # type: ignore[attr-defined]
    # q3's 2 × 0.2 = 0.4 revoked in Q3: 0.4 before, 0 after; listed once, not once per quarter
    assert [(x.id, x.before, x.after) for x in year.appeals] == [("ap-q3", D("0.4"), D("0"))]
    # the year: 0.25 × (10 + 9.8 + 10 + 9.9) = 0.25 × 39.7 = 9.925, the special 2, 重点 2 → 13.925
    assert year.total == D("13.925")
