"""The engine at its edges: the as-of day itself, due months, floors, vetoes, grade bands, bonus parts.

Expected values by hand from the documents' wording (quoted beside each test) with the arithmetic
in the comments. Results are compared whole where a reader sees every field (a line, an indicator
row, a unit's adjustments); source lines are counted in the written files by `line_of`.
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import D, Worded, evidence, finding, indicator, line_of, load, make_repo, score, write

from generator.load import load_repository
from generator.problems import Problems
from generator.score import score_assessment
from generator.score.results import IndicatorResult, Results, UnitResult, rate_places
from generator.source import Source
from generator.tree import FsTree

CAT = "frameworks/t/01-c.toml"
FW = "frameworks/t/framework.toml"


#: Table 一 2: "半年工作情况报告" due with June (完成月份 6); "缺1项扣0.1分".
HALF_YEAR = """
[[indicator]]
id = "df-02"
seq = "1.2"
title = "半年报告"
target = "按时报送半年工作情况报告"
standard = "缺1项扣0.1分"
points = 0.1
month = {month}
department = "办公室"

[[indicator.rule]]
id = "report"
kind = "checklist"
amount = 0.1
items = [{{ key = "half", name = "半年工作情况报告" }}]
"""


def test_evidence_dated_on_the_as_of_day_counts(tmp_path):
    # the report is dated 2010-06-30 and scored as of 2010-06-30 ("as things stood at the end of" that day):
    # it counts → 0.1 of 0.1; the indicator row carries every field of the framework's row
    make_repo(
        tmp_path,
        HALF_YEAR.format(month=6),
        evidence={"a/half.md": evidence("df-02", "2010-06-30", satisfies='"half"')},
    )
    r = indicator(score(tmp_path, "2010-06-30"), "a", "df-02")
    assert r == IndicatorResult(
        id="df-02",
        category="c",
        seq="1.2",
        title="半年报告",
        standard="缺1项扣0.1分",
        points=D("0.1"),
        month=6,
        department="办公室",
        score=D("0.1"),
        max=D("0.1"),
        status="scored",
        evidence=["evidence/2010/a/half.md"],
        source=Source(CAT, line_of(tmp_path, CAT, "[[indicator]]")),
    )


def test_evidence_dated_the_day_after_does_not_count(tmp_path):
    # dated 2010-07-01, scored as of 2010-06-30: not yet there → 缺半年工作情况报告, 0.1 − 0.1 = 0
    make_repo(
        tmp_path,
        HALF_YEAR.format(month=6),
        evidence={"a/half.md": evidence("df-02", "2010-07-01", satisfies='"half"')},
    )
    r = indicator(score(tmp_path, "2010-06-30"), "a", "df-02")
    assert (r.score, r.evidence, [d.missing for d in r.deductions]) == (D("0"), [], ["半年工作情况报告"])


@pytest.mark.parametrize(
    ("month", "as_of", "status"),
    [
        (6, "2010-06-30", "scored"),  # June has ended at the end of 30 June
        (6, "2010-06-29", "not_due"),  # one day before the month's last day
        (2, "2010-02-28", "scored"),  # 2010 is not a leap year: February ends on the 28th
        (2, "2010-02-27", "not_due"),
    ],
)
def test_an_indicator_is_due_from_the_last_day_of_its_month(tmp_path, month, as_of, status):
    make_repo(tmp_path, HALF_YEAR.format(month=month))
    r = indicator(score(tmp_path, as_of), "a", "df-02")
    assert (r.status, r.max) == (status, D("0.1") if status == "scored" else D("0"))


def test_the_default_as_of_is_the_last_day_of_the_year(tmp_path):
    # evidence dated 2010-12-31 counts without --as-of; the results say what day they are as of
    make_repo(
        tmp_path, HALF_YEAR.format(month=12), evidence={"a/h.md": evidence("df-02", "2010-12-31", satisfies='"half"')}
    )
    results = score(tmp_path)
    assert (results.year, results.framework, results.framework_title, results.as_of) == (
        2010,
        "t",
        "测试框架",
        date(2010, 12, 31),
    )
    assert indicator(results, "a", "df-02").score == D("0.1")


FIXED = """
[[indicator]]
id = "sp"
target = "细化监管责任"
points = 1
{floor}

[[indicator.rule]]
id = "duty"
kind = "fixed"
amount = {amount}
per_occurrence = true

[[indicator.rule]]
id = "accident"
kind = "veto"
text = "发生重大食品事故，此项不得分"
"""


@pytest.mark.parametrize(("on", "counted"), [("2010-08-01", True), ("2010-07-31", False)])
def test_a_finding_dated_on_the_as_of_day_counts(tmp_path, on, counted):
    # the finding is dated 2010-08-01: as of that day it deducts 0.4 (1 − 0.4 = 0.6), the day before not
    make_repo(
        tmp_path,
        FIXED.format(floor="", amount="0.4"),
        findings={"a/f.toml": finding("f1", "sp", "duty")},
    )
    r = indicator(score(tmp_path, on), "a", "sp")
    assert r.score == (D("0.6") if counted else D("1"))


def test_deductions_of_exactly_the_points_need_no_floor_line(tmp_path):
    # 扣完为止: 2 × 0.5 = 1 = the points → 0, nothing beyond to take back
    make_repo(
        tmp_path, FIXED.format(floor="", amount="0.5"), findings={"a/f.toml": finding("f1", "sp", "duty", count="2")}
    )
    r = indicator(score(tmp_path), "a", "sp")
    assert ([d.kind for d in r.deductions], r.score) == (["deduction"], D("0"))


def test_deductions_beyond_the_points_stop_at_zero_with_a_line(tmp_path):
    # 扣完为止: 3 × 0.5 = 1.5 > 1 → a floor line of 1 − 1.5 = −0.5 at the indicator's line; score 0
    make_repo(
        tmp_path, FIXED.format(floor="", amount="0.5"), findings={"a/f.toml": finding("f1", "sp", "duty", count="3")}
    )
    r = indicator(score(tmp_path), "a", "sp")
    assert r.deductions[1:] == [
        Worded(
            D("-0.5"),
            "扣完为止（超出部分不扣）",
            "floor",
            Source(CAT, line_of(tmp_path, CAT, "[[indicator]]")),
            kind="floor",
        )
    ]
    assert r.score == D("0")


def test_a_veto_after_small_deductions_without_a_floor_is_zero(tmp_path):
    # 扣分不设下限 but only 0.4 deducted (1 − 0.4 = 0.6 ≥ 0): 此项不得分 takes it to 0, one line of the full 1
    make_repo(
        tmp_path,
        FIXED.format(floor='floor = "none"', amount="0.4"),
        findings={"a/f.toml": finding("f1", "sp", "duty") + finding("v", "sp", "accident", "重大事故")},
    )
    r = indicator(score(tmp_path), "a", "sp")
    assert (r.status, r.score, [(d.amount, d.kind) for d in r.deductions]) == ("vetoed", D("0"), [(D("1"), "veto")])


def test_a_veto_after_deductions_beyond_the_points_is_zero_not_below(tmp_path):
    # 扣完为止 (floor zero): 3 × 0.5 = 1.5 deducted from 1 point would be −0.5, but the floor holds at 0;
    # 此项不得分 then takes the whole 1 point, once: score 0, one veto line of 1; no department → ""
    make_repo(
        tmp_path,
        FIXED.format(floor="", amount="0.5"),
        findings={"a/f.toml": finding("f1", "sp", "duty", count="3") + finding("v", "sp", "accident", "重大事故")},
    )
    r = indicator(score(tmp_path), "a", "sp")
    assert (r.status, r.score, [(d.amount, d.kind) for d in r.deductions]) == ("vetoed", D("0"), [(D("1"), "veto")])
    assert (r.department, r.seq, r.month) == ("", "", None)


# -- grade bands (考核等次) ----------------------------------------------------------------------------

GRADES = """
[[grade]]
title = "优秀"
min_percent = 90

[[grade]]
title = "良好"
min_percent = 80
"""
LOWEST = '\n[[grade]]\ntitle = "不合格"\nmin_percent = 0\n'

RANGE = """
[[indicator]]
id = "x"
target = "工作"
points = 10
floor = "none"

[[indicator.rule]]
id = "r"
kind = "range"
min = 0
max = 20
"""


@pytest.mark.parametrize(
    ("lost", "grade"),
    [
        ("1", "优秀"),  # 9 of 10 = 90 % exactly: reaches "≥ 90 %"
        ("1.01", "良好"),  # 8.99 of 10 = 89.9 %
        ("2", "良好"),  # 80 % exactly
        ("2.01", "不合格"),  # 79.9 %: the band from 0 % takes the rest
        ("12", "不合格"),  # −2 of 10 (扣分不设下限): below 0 %, still the band from 0 %
    ],
)
def test_grade_band_edges(tmp_path, lost, grade):
    make_repo(tmp_path, RANGE, settings=GRADES + LOWEST, findings={"a/f.toml": finding("f1", "x", "r", amount=lost)})
    assert score(tmp_path).unit("a").grade == grade


def test_below_every_band_without_a_band_from_zero_is_no_grade(tmp_path):
    # bands 90 % and 80 % only: 7 of 10 = 70 % reaches neither
    make_repo(tmp_path, RANGE, settings=GRADES, findings={"a/f.toml": finding("f1", "x", "r", amount="3")})
    assert score(tmp_path).unit("a").grade is None


def test_a_unit_with_nothing_to_score_gets_no_grade(tmp_path):
    # the indicator applies to unit a only: b has a maximum of 0, no percentage, no grade (and no crash)
    make_repo(
        tmp_path,
        RANGE.replace('floor = "none"', 'floor = "none"\napplies_to = { units = ["a"] }'),
        settings=GRADES + LOWEST,
        units=(("a", "county"), ("b", "county")),
    )
    results = score(tmp_path)
    assert (results.unit("a").grade, results.unit("b").max, results.unit("b").grade) == ("优秀", D("0"), None)


# -- the unit: bonus parts, 失分, order and selection ---------------------------------------------------

BONUS_CATEGORY = """[category]
id = "cy"
title = "创优绩效"
part = "cy"

[[indicator]]
id = "cy-1"
target = "创优"
points = 2
method = "bonus"

[[indicator.rule]]
id = "honour"
kind = "award"
"""


def test_a_capped_bonus_part_counts_in_the_total_and_the_bonus_not_in_the_maximum(tmp_path):
    # 办法第十三条 创优绩效 "加分"; the framework caps the part at 1.5 ("加分最多1.5分").
    # main 10 − 2 = 8; bonus awards 1.5 + 0.5 = 2 → part cap 1.5 → a unit-level line of 1.5 − 2 = −0.5.
    # total 8 + 2 − 0.5 = 9.5; maximum 10 (a bonus is not a point a unit can lose); bonus 2 − 0.5 = 1.5;
    # 失分 = 10 − (9.5 − 1.5) = 2
    make_repo(
        tmp_path,
        RANGE,
        # a part without a cap comes first: it is passed over, not the end of the parts
        parts='\n[[part]]\nid = "lz"\ntitle = "履职绩效"\n\n[[part]]\nid = "cy"\ntitle = "创优绩效"\ncap = 1.5\n',
        findings={
            "a/f.toml": finding("f1", "x", "r", amount="2")
            + finding("b1", "cy-1", "honour", "省级表彰", amount="1.5")
            + finding("b2", "cy-1", "honour", "市级表彰", amount="0.5")
        },
    )
    write(tmp_path / "frameworks/t/02-cy.toml", BONUS_CATEGORY)
    unit = score(tmp_path).unit("a")
    assert unit.adjustments == [
        Worded(D("-0.5"), "创优绩效最多1.5分", "cap", Source(FW, line_of(tmp_path, FW, "[[part]]", 2)), kind="cap")
    ]
    assert (unit.total, unit.max, unit.bonus, unit.lost) == (D("9.5"), D("10"), D("1.5"), D("2"))
    assert [(c.id, c.score, c.max, c.bonus) for c in unit.categories] == [
        ("c", D("8"), D("10"), False),
        ("cy", D("2"), D("2"), True),
    ]


def test_a_bonus_part_at_exactly_its_cap_needs_no_line(tmp_path):
    # 1 + 0.5 = 1.5 = the cap: no adjustment; total 10 + 1.5 = 11.5, bonus 1.5, 失分 0
    make_repo(
        tmp_path,
        RANGE,
        parts='\n[[part]]\nid = "cy"\ntitle = "创优绩效"\ncap = 1.5\n',
        findings={
            "a/f.toml": finding("b1", "cy-1", "honour", amount="1") + finding("b2", "cy-1", "honour", amount="0.5")
        },
    )
    write(tmp_path / "frameworks/t/02-cy.toml", BONUS_CATEGORY)
    unit = score(tmp_path).unit("a")
    assert (unit.adjustments, unit.total, unit.bonus, unit.lost) == ([], D("11.5"), D("1.5"), D("0"))


def test_a_cap_on_a_part_that_is_not_bonus_is_refused(tmp_path):
    # a cap is "the most a bonus part adds" (创优绩效加分最多1分). On category c (10 points to lose)
    # it would score a unit of 10 as 3 and print bonus 3 − 10 = −7: refused at the part, by name
    make_repo(
        tmp_path,
        RANGE,
        category='id = "c"\ntitle = "履职类别"\npart = "lz"',
        parts='\n[[part]]\nid = "cy"\ntitle = "创优绩效"\ncap = 1.5\n\n[[part]]\nid = "lz"\ntitle = "履职绩效"\ncap = 3\n',
    )
    write(tmp_path / "frameworks/t/02-cy.toml", BONUS_CATEGORY)  # the bonus part's cap stays allowed
    _, problems = load(tmp_path)
    found = [(p.path, p.line, p.code, p.severity) for p in problems]
    assert found == [(FW, line_of(tmp_path, FW, "[[part]]", 2), "framework.part-cap-not-bonus", "error")]
    assert "“履职绩效”设了加分上限 cap，但其中的“履职类别”不是加分类别" in problems.errors[0].format()


def test_units_come_in_series_order_then_rank_and_can_be_chosen(tmp_path):
    # the framework lists series county before office; units.toml lists the office first.
    # county: b 10 − 1 = 9 before a 10 − 3 = 7; office x 10.
    units = (("x", "office"), ("a", "county"), ("b", "county"))
    make_repo(
        tmp_path,
        RANGE,
        units=units,
        findings={"a/f.toml": finding("f1", "x", "r", amount="3"), "b/f.toml": finding("f2", "x", "r", amount="1")},
    )
    results = score(tmp_path)
    assert [(u.id, u.series, u.rank, u.total) for u in results.units] == [
        ("b", "county", 1, D("9")),
        ("a", "county", 2, D("7")),
        ("x", "office", 1, D("10")),
    ]
    repo = load_repository(FsTree(tmp_path), Problems())
    chosen = score_assessment(repo.assessments[2010], units=["a"])
    assert [(u.id, u.rank) for u in chosen.units] == [("a", 2)]  # ranked among all, then chosen


# -- weights and rates: halfway roundings ------------------------------------------------------------

WEIGHTED = """
[[indicator]]
id = "june"
target = "半年工作"
points = 1
month = 6

[[indicator.rule]]
id = "r"
kind = "range"
min = 0
max = 1

[[indicator]]
id = "dec"
target = "全年工作"
points = 7
month = 12

[[indicator.rule]]
id = "r"
kind = "range"
min = 0
max = 7
"""


def test_a_weighted_score_exactly_halfway_rounds_up(tmp_path):
    # 本表共1分 (weight 1) over 1 + 7 = 8 raw points; 7 lost in December → raw 1 of 8:
    # 1 × 1 / 8 = 0.125 → half-up to 0.01 → 0.13 (half-even: 0.12), of the whole weight 1
    make_repo(
        tmp_path,
        WEIGHTED,
        category='id = "c"\ntitle = "类别"\nweight = 1',
        findings={"a/f.toml": finding("f1", "dec", "r", amount="7")},
    )
    cat = score(tmp_path).unit("a").categories[0]
    assert (cat.raw_score, cat.raw_max, cat.score, cat.max, cat.year_max) == (D("1"), D("8"), D("0.13"), D("1"), D("1"))
    assert (cat.id, cat.title, cat.part, cat.weight, cat.bonus) == ("c", "类别", None, D("1"), False)


def test_a_weighted_maximum_due_mid_year_rounds_half_up(tmp_path):
    # as of 2010-06-30 only June's 1 raw point is due, of 8 in the year: due maximum 1 × 1 / 8 = 0.125 →
    # 0.13; June's point kept → score 1 × 1 / 8 = 0.125 → 0.13; the year's maximum stays the weight 1
    make_repo(tmp_path, WEIGHTED, category='id = "c"\ntitle = "类别"\nweight = 1')
    unit = score(tmp_path, "2010-06-30").unit("a")
    cat = unit.categories[0]
    assert (cat.raw_score, cat.raw_max, cat.score, cat.max, cat.year_max) == (
        D("1"),
        D("1"),
        D("0.13"),
        D("0.13"),
        D("1"),
    )
    assert (unit.total, unit.max, unit.year_max) == (D("0.13"), D("0.13"), D("1"))


def test_a_weight_finer_than_the_precision_is_refused(tmp_path, english):
    # 本表共1.125分 with the default precision 0.01: a full score 8 × 1.125 / 8 = 1.125 rounds to 1.13, above
    # the table's 1.125, so check refuses the weight; 1.13 (a multiple of 0.01) is accepted
    make_repo(tmp_path, WEIGHTED, category='id = "c"\ntitle = "类别"\nweight = 1.125')
    _, problems = load(tmp_path)
    assert [p.format() for p in problems.errors] == [
        "frameworks/t/01-c.toml:1:1: error: the table's weight 1.125 is finer than the framework's precision 0.01: "
        "a scaled score could exceed it (hint: make weight a multiple of 0.01, or a finer precision in framework.toml)"
    ]
    make_repo(tmp_path, WEIGHTED, category='id = "c"\ntitle = "类别"\nweight = 1.13')
    assert not load(tmp_path)[1].errors


def test_a_weighted_category_with_nothing_applicable_is_zero_of_zero(tmp_path):
    make_repo(
        tmp_path,
        WEIGHTED.replace("month = 6", 'month = 6\napplies_to = { units = ["b"] }').replace(
            "month = 12", 'month = 12\napplies_to = { units = ["b"] }'
        ),
        category='id = "c"\ntitle = "类别"\nweight = 1',
        units=(("a", "county"), ("b", "county")),
    )
    cat = score(tmp_path).unit("a").categories[0]
    assert (cat.score, cat.max, cat.year_max) == (D("0"), D("0"), D("0"))


def test_a_rate_exactly_halfway_prints_rounded_up(tmp_path):
    # 得分率 for display: 8 points, 0.03 lost → 7.97 / 8 = 99.625 % → half-up 99.63 (half-even: 99.62)
    make_repo(
        tmp_path,
        WEIGHTED,
        findings={"a/f.toml": finding("f1", "dec", "r", amount="0.03")},
    )
    unit = score(tmp_path).unit("a")
    assert (unit.total, unit.max, unit.rate) == (D("7.97"), D("8"), D("99.63"))


def test_what_each_status_loses_and_is_worth_in_the_year(tmp_path):
    # as of 2010-08-01 (the findings' date): "june" scored (1, 0.4 lost), "dec" not due (7 in the year, nothing lost yet),
    # "tea" not applicable to a (nothing), "lab" unscored (不确定分值: nothing), "veto" vetoed (2, all lost)
    make_repo(
        tmp_path,
        WEIGHTED
        + """
[[indicator]]
id = "tea"
target = "茶产业标准化"
points = 5
applies_to = { units = ["b"] }

[[indicator]]
id = "lab"
target = "实验室整顿工作"

[[indicator]]
id = "veto"
target = "不得发生重大事故"
points = 2

[[indicator.rule]]
id = "accident"
kind = "veto"
""",
        units=(("a", "county"), ("b", "county")),
        findings={"a/f.toml": finding("f1", "june", "r", amount="0.4") + finding("f2", "veto", "accident", "重大事故")},
    )
    unit = score(tmp_path, "2010-08-01").unit("a")
    rows = {i.id: (i.status, i.max, i.lost, i.year_max) for i in unit.indicators}
    assert rows == {
        "june": ("scored", D("1"), D("0.4"), D("1")),
        "dec": ("not_due", D("0"), D("0"), D("7")),
        "tea": ("not_applicable", D("0"), D("0"), D("0")),
        "lab": ("unscored", D("0"), D("0"), D("0")),
        "veto": ("vetoed", D("2"), D("2"), D("2")),
    }
    # the unit: 0.6 of the 1 + 2 = 3 due; 1 + 7 + 2 = 10 in the year; 失分 3 − 0.6 = 2.4; 20 %
    assert (unit.total, unit.max, unit.year_max, unit.lost, unit.rate) == (D("0.6"), D("3"), D("10"), D("2.4"), D("20"))


def test_looking_up_a_unit_that_was_not_scored_finds_none(tmp_path):
    make_repo(tmp_path, WEIGHTED)
    assert score(tmp_path).unit("nobody") is None


# -- the results model: what every output prints beside a score -------------------------------------


def _results(**fields: object) -> Results:
    """Results of no unit, with only the fields under test set."""
    return Results(2010, "t", "测试", date(2010, 12, 31), [], **fields)  # type: ignore[arg-type]


def test_equal_rates_need_no_more_places_and_near_ones_get_them():
    def unit(total: str, maximum: str) -> UnitResult:
        return UnitResult("u" + total, "单位", "county", D(total), D(maximum), [], [])

    # 131 ÷ 262 = 128.5 ÷ 257 = 50% exactly: equal rates tie and print alike at two places
    assert rate_places([unit("131", "262"), unit("128.5", "257")]) == 2
    # 200 ÷ 300 = 66.6666…% and 200.01 ÷ 300 = 66.67%: 66.67 at two, 66.667 and 66.670 at three
    assert rate_places([unit("200", "300"), unit("200.01", "300")]) == 3
    # 1 ÷ 3 = 33.33333…% and 1.000001 ÷ 3 = 33.33336…%: both 33.333 at three, 33.3333 and 33.3334 at four
    assert rate_places([unit("1", "3"), unit("1.000001", "3")]) == 4
    # nothing due (maximum 0): no rate, nothing to tell apart
    assert rate_places([unit("0", "0"), unit("1", "2")]) == 2


#: Band notes of 13, 8, 9, 13 and 1 characters: up to 8 (SHORT_BAND_NOTE) print in brackets after the
#: grade wherever it is shown; longer ones are sentences, listed once under the table.
BAND_NOTES = {
    "优秀": "拟定示例：得分率99%以上",  # 4 + 1 + 3 + 3 + 2 = 13: long
    "良好": "拟定示例仅供参考",  # 8: short, the longest that is
    "合格": "拟定示例，仅供参考",  # 9: long, the shortest that is
    "基本合格": "拟定示例：得分率70%以上",  # 13: long, but no unit has this grade
    "不合格": "暂",  # 1: short
}


def test_a_band_note_of_up_to_eight_characters_is_printed_beside_the_grade():
    results = _results(band_notes=BAND_NOTES)
    assert results.grade_label("良好") == "良好（拟定示例仅供参考）"  # 8 characters: beside it
    assert results.grade_label("不合格") == "不合格（暂）"  # 1 character: beside it
    assert results.grade_label("合格") == "合格"  # 9 characters: listed under the table instead
    # 13 characters, but its lead before "：" is 4: that lead beside it, the sentence under the table
    assert results.grade_label("优秀") == "优秀（拟定示例）"
    # the same lead before an ASCII colon, as a note typed without a Chinese input method has it
    typed = _results(band_notes={"优秀": "拟定示例:得分率99%以上"})
    assert typed.grade_label("优秀") == "优秀（拟定示例）"
    assert results.grade_label("较差") == "较差"  # a band without a note
    assert results.grade_label(None) == ""


def test_a_band_note_s_lead_before_its_colon_is_printed_only_when_short():
    """The lead before "：" goes beside the grade under the same limit as a whole note, 8 characters:
    拟定示例仅供参考 (8) is printed, 拟定示例仅供参考一 (9) is not (the sentence is listed under the
    table), and nothing before the colon prints no empty brackets."""
    eight = _results(band_notes={"优秀": "拟定示例仅供参考：得分率99%以上"})
    assert eight.grade_label("优秀") == "优秀（拟定示例仅供参考）"
    nine = _results(band_notes={"优秀": "拟定示例仅供参考一：得分率99%以上"})
    assert nine.grade_label("优秀") == "优秀"
    bare = _results(band_notes={"优秀": "：得分率99%以上，拟定示例"})
    assert bare.grade_label("优秀") == "优秀"


def test_long_band_notes_are_listed_once_in_band_order_for_the_grades_shown():
    # grades shown: 合格 (twice), 优秀, 良好, 不合格 and no grade. Long notes among them: 优秀's (13)
    # and 合格's (9), in the framework's band order (优秀 before 合格) and each once; 良好's (8) and
    # 不合格's (1) are short and already beside the grade; 基本合格's is long but no unit has it.
    results = _results(band_notes=BAND_NOTES)
    grades = ["合格", "优秀", None, "良好", "不合格", "合格"]
    assert results.long_band_notes(grades) == ["优秀（拟定示例：得分率99%以上）", "合格（拟定示例，仅供参考）"]
    assert results.long_band_notes([None]) == []


def test_a_series_prints_as_its_title_or_its_id_without_one():
    results = _results(series_titles={"county": "县（市）局", "city": ""})
    assert results.series_label("county") == "县（市）局"
    assert results.series_label("city") == "city"  # an empty title: the id, never a blank 序列 cell
    assert results.series_label("town") == "town"  # a series the framework gives no title


def test_the_results_carry_the_framework_s_series_titles(tmp_path):
    # the test framework declares 县局 (county) and 科室 (office): what the 序列 column prints
    make_repo(tmp_path, WEIGHTED, units=(("a", "county"), ("b", "office")))
    results = score(tmp_path)
    assert results.series_titles == {"county": "县局", "office": "科室"}
    assert [results.series_label(u.series) for u in results.units] == ["县局", "科室"]
