"""Each rule kind at its edges: exactly at and one step short of every `<`/`<=` it uses, halfway
roundings, every option, and every field of every line a score sheet prints.

Expected values are worked out by hand from the rule's wording (quoted beside each test, from the
source documents where they have such a rule, else the framework `text` the test writes); the
arithmetic is in the comments. Lines are compared whole (`builders.Worded`), so a wrong reason,
rule id, source line, evidence link, kind or finding id fails as surely as a wrong amount. Source
lines are counted in the written files by `line_of`, independently of the loader.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import fields

import pytest
from builders import D, Worded, evidence, finding, indicator, line_of, load, make_repo, score, write

from generator.score import score_assessment
from generator.score.results import Line
from generator.source import Source
from generator.types import plain, round_to
from generator.workspace import load_workspace

CAT = "frameworks/t/01-c.toml"
FINDINGS = "evidence/2010/a/f.toml"


def rule_at(root, nth: int = 1) -> Source:
    """Where the nth rule of the category file stands: what its own lines name as their source."""
    return Source(CAT, line_of(root, CAT, "[[indicator.rule]]", nth))


def finding_at(root, nth: int = 1) -> Source:
    return Source(FINDINGS, line_of(root, FINDINGS, "[[finding]]", nth))


def indicator_at(root, nth: int = 1) -> Source:
    return Source(CAT, line_of(root, CAT, "[[indicator]]", nth))


def fill(template: str, extra: str) -> str:
    """The template with its `{extra}` settings line filled in (TOML's braces rule out str.format)."""
    return template.replace("{extra}", extra)


def photo(name: str, indicator_id: str) -> dict[str, str]:
    """An evidence file a finding can link to."""
    return {f"a/{name}": evidence(indicator_id)}


def ev(name: str) -> str:
    return f"evidence/2010/a/{name}"


def test_a_worded_line_compares_every_field_of_a_line():
    # The comparisons below are only as strict as `Worded` is whole: a field `Line` gained and `Worded`
    # lacks (as `item`, the checklist item's key, and a rolled-up line's period, weight and late
    # deadline once were) is never compared, and a rule that dropped it would pass every test here.
    # `Worded` reads the message as its worded `reason`, what the reader sees.
    line = {f.name for f in fields(Line)}
    assert {f.name for f in fields(Worded)} == line - {"message"} | {"reason"}


# -- stepped ----------------------------------------------------------------------------------------

#: Table 五 2.5: "辖区内存在超期使用设备或检验不合格违规使用设备,发现一台扣1分,五台以上扣4分" —
#: with 10 points instead of 4, so that 扣完为止 cannot hide what the step does.
OVERDUE = """
[[indicator]]
id = "tz"
target = "辖区内不得存在超期特种设备"
points = 10

[[indicator.rule]]
id = "overdue"
kind = "stepped"
text = "发现一台扣1分，五台以上扣4分"
amount = 1
steps = [{ at = 5, amount = 4 }]
{extra}
"""


def test_a_step_is_reached_at_exactly_its_count(tmp_path):
    # "五台以上扣4分": 以上 includes five itself. 1 + 4 = 5 devices → 4, not 5; 10 − 4 = 6.
    # The first finding counts one device (no count in its reason), the second four (（4台）).
    make_repo(
        tmp_path,
        fill(OVERDUE, ""),
        evidence=photo("p.md", "tz"),
        findings={
            "a/f.toml": finding("f1", "tz", "overdue", "锅炉超期", evidence='["p.md"]')
            + finding("f2", "tz", "overdue", "气瓶超期", count="4")
        },
    )
    r = indicator(score(tmp_path), "a", "tz")
    rule = rule_at(tmp_path)
    assert r.deductions == [
        Worded(D("1"), "锅炉超期", "overdue", finding_at(tmp_path, 1), evidence=[ev("p.md")], finding="f1"),
        Worded(D("4"), "气瓶超期（4台）", "overdue", finding_at(tmp_path, 2), finding="f2"),
        Worded(D("-1"), "共5台，达5台以上按4分计", "overdue", rule, kind="cap"),  # 4 − (1 + 4)
    ]
    assert r.score == D("6")


def test_one_below_a_step_is_per_item(tmp_path):
    # four devices: below "五台以上" → 4 × 1 = 4 and no step line; 10 − 4 = 6
    make_repo(tmp_path, fill(OVERDUE, ""), findings={"a/f.toml": finding("f1", "tz", "overdue", count="4")})
    r = indicator(score(tmp_path), "a", "tz")
    assert r.deductions == [Worded(D("4"), "理由（4台）", "overdue", finding_at(tmp_path), finding="f1")]
    assert r.score == D("6")


#: A framework's own wording with two steps (the 2010 rules have one): 一处扣1分，三处以上扣2.5分，五处以上扣4分.
HAZARDS = """
[[indicator]]
id = "yh"
target = "辖区内不得存在安全隐患"
points = 10

[[indicator.rule]]
id = "hazard"
kind = "stepped"
text = "发现一处扣1分，三处以上扣2.5分，五处以上扣4分"
amount = 1
unit = "处"
steps = [{ at = 3, amount = 2.5 }, { at = 5, amount = 4 }]
{extra}
"""


@pytest.mark.parametrize(
    ("found", "lost", "step_line"),
    [
        (2, "2", None),  # below both steps: 2 × 1
        (3, "2.5", ("-0.5", "共3处，达3处以上按2.5分计")),  # at the first step: 2.5 − 3
        (4, "2.5", ("-1.5", "共4处，达3处以上按2.5分计")),  # still the first: 2.5 − 4
        (5, "4", ("-1", "共5处，达5处以上按4分计")),  # the highest step reached wins: 4 − 5
        (7, "4", ("-3", "共7处，达5处以上按4分计")),  # 4 − 7
    ],
)
def test_several_steps_the_highest_reached_counts(tmp_path, found, lost, step_line):
    make_repo(tmp_path, fill(HAZARDS, ""), findings={"a/f.toml": finding("f1", "yh", "hazard", count=str(found))})
    r = indicator(score(tmp_path), "a", "yh")
    expected = [Worded(D(found), f"理由（{found}处）", "hazard", finding_at(tmp_path), finding="f1")]
    if step_line:
        expected.append(Worded(D(step_line[0]), step_line[1], "hazard", rule_at(tmp_path), kind="cap"))
    assert r.deductions == expected
    assert r.score == 10 - D(lost)


def test_a_cap_below_the_step_wins_and_says_so(tmp_path):
    # the rule also has "本项最多扣3分" (cap = 3): 6 devices → step 4, cap 3 → the smaller, 3; 10 − 3 = 7
    make_repo(tmp_path, fill(OVERDUE, "cap = 3"), findings={"a/f.toml": finding("f1", "tz", "overdue", count="6")})
    r = indicator(score(tmp_path), "a", "tz")
    assert r.deductions[1:] == [Worded(D("-3"), "本项最多扣3分", "overdue", rule_at(tmp_path), kind="cap")]  # 3 − 6
    assert r.score == D("7")


def test_a_step_below_the_cap_wins_and_says_so(tmp_path):
    # cap 4.5 above the step's 4: 5 devices → min(4.5, 4) = 4 by the step; 10 − 4 = 6
    make_repo(tmp_path, fill(OVERDUE, "cap = 4.5"), findings={"a/f.toml": finding("f1", "tz", "overdue", count="5")})
    r = indicator(score(tmp_path), "a", "tz")
    assert r.deductions[1:] == [Worded(D("-1"), "共5台，达5台以上按4分计", "overdue", rule_at(tmp_path), kind="cap")]
    assert r.score == D("6")


def test_a_cap_equal_to_the_step_is_worded_as_the_cap(tmp_path):
    # cap 4 = the step's 4: either limit gives 4; the rule's own cap comes first and words the line
    make_repo(tmp_path, fill(OVERDUE, "cap = 4"), findings={"a/f.toml": finding("f1", "tz", "overdue", count="5")})
    r = indicator(score(tmp_path), "a", "tz")
    assert r.deductions[1:] == [Worded(D("-1"), "本项最多扣4分", "overdue", rule_at(tmp_path), kind="cap")]


def test_a_cap_met_exactly_adds_no_line(tmp_path):
    # cap 3, exactly 3 devices → 3 = the cap: nothing to take back; 10 − 3 = 7
    make_repo(tmp_path, fill(OVERDUE, "cap = 3"), findings={"a/f.toml": finding("f1", "tz", "overdue", count="3")})
    r = indicator(score(tmp_path), "a", "tz")
    assert [d.kind for d in r.deductions] == ["deduction"]
    assert r.score == D("7")


MITIGATION = """
[[indicator.rule]]
id = "m"
kind = "mitigation"
text = "自查发现的酌情少扣或不扣分"
"""


def test_a_partly_mitigated_item_still_counts_towards_the_step(tmp_path):
    # A 2处 (2) and B 2处 (2); M takes 1 off A: A still stands (2 − 1 = 1 > 0), so 4处 are found →
    # "三处以上扣2.5分": 2 + 2 − 1 = 3 > 2.5 → a step line of 2.5 − 3 = −0.5; 10 − 2.5 = 7.5
    make_repo(
        tmp_path,
        fill(HAZARDS, "") + MITIGATION,
        findings={
            "a/f.toml": finding("A", "yh", "hazard", count="2")
            + finding("B", "yh", "hazard", count="2")
            + finding("M", "yh", "m", "自查发现", mitigates='"A"', amount="1")
        },
    )
    r = indicator(score(tmp_path), "a", "yh")
    assert r.deductions[2:] == [
        Worded(
            D("-1"), "酌情少扣：自查发现", "m", finding_at(tmp_path, 3), kind="mitigation", finding="M", mitigates="A"
        ),
        Worded(D("-0.5"), "共4处，达3处以上按2.5分计", "hazard", rule_at(tmp_path), kind="cap"),
    ]
    assert r.score == D("7.5")


def test_a_fully_waived_item_does_not_count_towards_the_step(tmp_path):
    # A 1处 waived in full (不扣分), B 4处: 4处 stand, not 5 → "三处以上扣2.5分", not "五处以上扣4分":
    # 1 + 4 − 1 = 4 > 2.5 → 2.5 − 4 = −1.5; 10 − 2.5 = 7.5 (counting A would reach 5处 → 4 → 6)
    make_repo(
        tmp_path,
        fill(HAZARDS, "") + MITIGATION,
        findings={
            "a/f.toml": finding("A", "yh", "hazard")
            + finding("B", "yh", "hazard", count="4")
            + finding("M", "yh", "m", "整改到位", mitigates='"A"')
        },
    )
    r = indicator(score(tmp_path), "a", "yh")
    assert [(d.amount, d.reason) for d in r.deductions] == [
        (D("1"), "理由"),
        (D("4"), "理由（4处）"),
        (D("-1"), "酌情少扣：整改到位"),
        (D("-1.5"), "共4处，达3处以上按2.5分计"),
    ]
    assert r.score == D("7.5")


# -- range ------------------------------------------------------------------------------------------

#: Table 七 1: "没有复查工作的资料扣0.1-1分"
RECHECK = """
[[indicator]]
id = "zl"
target = "不合格产品企业后处理"
points = 5

[[indicator.rule]]
id = "recheck"
kind = "range"
text = "没有复查工作的资料扣0.1-1分"
min = {min}
max = 1
"""


@pytest.mark.parametrize("amount", ["0.1", "1"])
def test_range_takes_both_ends(tmp_path, amount):
    # "扣0.1-1分": 0.1 and 1 are both inside the range; 5 − amount
    make_repo(
        tmp_path,
        RECHECK.format(min="0.1"),
        evidence=photo("ledger.md", "zl"),
        findings={"a/f.toml": finding("f1", "zl", "recheck", "无复查资料", amount=amount, evidence='["ledger.md"]')},
    )
    r = indicator(score(tmp_path), "a", "zl")
    assert r.deductions == [
        Worded(D(amount), "无复查资料", "recheck", finding_at(tmp_path), evidence=[ev("ledger.md")], finding="f1")
    ]
    assert r.score == 5 - D(amount)


def test_range_from_zero_may_deduct_nothing(tmp_path):
    # a range "扣0-1分" lets the assessor record the finding and deduct 0: one line of 0, score 5
    make_repo(tmp_path, RECHECK.format(min="0"), findings={"a/f.toml": finding("f1", "zl", "recheck", amount="0")})
    r = indicator(score(tmp_path), "a", "zl")
    assert [(d.amount, d.finding) for d in r.deductions] == [(D("0"), "f1")]
    assert r.score == D("5")


# -- award ------------------------------------------------------------------------------------------

#: 办法第十条: "重点绩效指标，根据工作难度和重要程度赋1.5、1、0.5分" (得分制)
KEY_WORK = """
[[indicator]]
id = "zd"
target = "重点工作"
points = 1.5
method = "earned"

[[indicator.rule]]
id = "done"
kind = "award"
text = "根据工作难度和重要程度赋1.5、1、0.5分"
missing_amount = 1.5
{extra}
"""


def test_award_of_the_full_points_leaves_nothing_unearned(tmp_path):
    # awarded exactly 1.5 of 1.5: no line at all (not a line of 0); score 1.5
    make_repo(tmp_path, fill(KEY_WORK, ""), findings={"a/f.toml": finding("f1", "zd", "done", amount="1.5")})
    r = indicator(score(tmp_path), "a", "zd")
    assert (r.deductions, r.score) == ([], D("1.5"))


def test_award_below_the_points_names_every_finding(tmp_path):
    # two findings 0.5 + 0.3 = 0.8 of 1.5: one line of 1.5 − 0.8 = 0.7 not earned, both reasons, both
    # files, at the first finding's line
    make_repo(
        tmp_path,
        fill(KEY_WORK, ""),
        evidence={**photo("x.md", "zd"), **photo("y.md", "zd")},
        findings={
            "a/f.toml": finding("f1", "zd", "done", "上半年完成", amount="0.5", evidence='["x.md"]')
            + finding("f2", "zd", "done", "下半年完成", amount="0.3", evidence='["y.md"]')
        },
    )
    r = indicator(score(tmp_path), "a", "zd")
    assert r.deductions == [
        Worded(
            D("0.7"),
            "评定得0.8分（满分1.5分）：上半年完成；下半年完成",
            "done",
            finding_at(tmp_path, 1),
            evidence=[ev("x.md"), ev("y.md")],
            finding="f1",
        )
    ]
    assert r.score == D("0.8")


def test_an_award_of_zero_earns_nothing(tmp_path):
    # the assessor judged the work not done: 0 of 1.5 → the whole 1.5 not earned, with the reason
    make_repo(tmp_path, fill(KEY_WORK, ""), findings={"a/f.toml": finding("f1", "zd", "done", "未完成", amount="0")})
    r = indicator(score(tmp_path), "a", "zd")
    assert [(d.amount, d.reason) for d in r.deductions] == [(D("1.5"), "评定得0分（满分1.5分）：未完成")]
    assert r.score == D("0")


def test_awards_above_the_points_in_total_earn_the_points(tmp_path):
    # a rule's max 1 per finding: 1 + 1 = 2 awarded, but the indicator has 1.5 → min(2, 1.5) = 1.5 earned
    make_repo(
        tmp_path,
        fill(KEY_WORK, ""),
        findings={"a/f.toml": finding("f1", "zd", "done", amount="1") + finding("f2", "zd", "done", amount="1")},
    )
    r = indicator(score(tmp_path), "a", "zd")
    assert (r.deductions, r.score) == ([], D("1.5"))


def test_no_award_recorded_earns_nothing_and_points_at_the_rule(tmp_path):
    # no finding: "无评定记录，未得分", the whole 1.5, sourced at the rule
    make_repo(tmp_path, fill(KEY_WORK, ""))
    r = indicator(score(tmp_path), "a", "zd")
    assert r.deductions == [Worded(D("1.5"), "无评定记录，未得分", "done", rule_at(tmp_path), missing="评定")]
    assert r.score == D("0")


def test_no_award_recorded_loses_what_the_rule_says_a_missing_result_costs(tmp_path):
    # missing_amount 1 of the 1.5 points: no finding → "无评定记录，扣1分", 1 lost; 1.5 − 1 = 0.5
    make_repo(tmp_path, fill(KEY_WORK.replace("missing_amount = 1.5", "missing_amount = 1"), ""))
    r = indicator(score(tmp_path), "a", "zd")
    assert r.deductions == [Worded(D("1"), "无评定记录，扣1分", "done", rule_at(tmp_path), missing="评定")]
    assert r.score == D("0.5")


def test_no_award_recorded_where_a_missing_result_costs_nothing_is_no_line(tmp_path):
    # missing_amount 0 ("不扣分写 0"): no finding → nothing lost, and no line of 0 either; 1.5 − 0 = 1.5
    make_repo(tmp_path, fill(KEY_WORK.replace("missing_amount = 1.5", "missing_amount = 0"), ""))
    r = indicator(score(tmp_path), "a", "zd")
    assert (r.deductions, r.score) == ([], D("1.5"))


def test_no_award_recorded_under_a_rule_that_states_no_missing_amount_loses_the_points(tmp_path):
    # `kaohe check` refuses such a rule (framework.award-missing-unstated); scored anyway, as the preview
    # does while the framework is being edited, the whole 1.5 is not earned: "无评定记录，未得分"
    make_repo(tmp_path, fill(KEY_WORK.replace("missing_amount = 1.5\n", ""), ""))
    repo, problems = load(tmp_path)
    assert [p.code for p in problems.errors] == ["framework.award-missing-unstated"]
    r = indicator(score_assessment(repo.assessments[2010]), "a", "zd")  # type: ignore[attr-defined]
    assert r.deductions == [Worded(D("1.5"), "无评定记录，未得分", "done", rule_at(tmp_path), missing="评定")]
    assert r.score == D("0")


#: Two award rules share the 1.5 points: at most 1 for the task, at most 0.5 for its report.
SHARED = """
max = 1

[[indicator.rule]]
id = "report"
kind = "award"
max = 0.5
missing_amount = 0.5
"""


def test_an_award_at_its_rule_max_leaves_nothing_unearned_from_that_rule(tmp_path):
    # "done" awarded exactly its max 1 → no line; "report" has no finding → its max 0.5 is not earned
    # (not the indicator's 1.5), at the report rule's line; 1.5 − 0.5 = 1
    make_repo(tmp_path, fill(KEY_WORK, SHARED), findings={"a/f.toml": finding("f1", "zd", "done", amount="1")})
    r = indicator(score(tmp_path), "a", "zd")
    assert r.deductions == [Worded(D("0.5"), "无评定记录，未得分", "report", rule_at(tmp_path, 2), missing="评定")]
    assert r.score == D("1")


def test_an_award_below_its_rule_max_loses_the_difference_from_that_max(tmp_path):
    # "done" awarded 0.6 of its max 1 → 0.4 not earned; "report" 0.5 of 0.5 → nothing; 1.5 − 0.4 = 1.1
    make_repo(
        tmp_path,
        fill(KEY_WORK, SHARED),
        findings={"a/f.toml": finding("f1", "zd", "done", amount="0.6") + finding("f2", "zd", "report", amount="0.5")},
    )
    r = indicator(score(tmp_path), "a", "zd")
    assert [(d.rule, d.amount, d.reason) for d in r.deductions] == [("done", D("0.4"), "评定得0.6分（满分1分）：理由")]
    assert r.score == D("1.1")


#: 办法第十三条: "创优绩效指标的评分方式为加分"
HONOURS = """
[[indicator]]
id = "cy"
target = "创优绩效"
points = 2
method = "bonus"

[[indicator.rule]]
id = "honour"
kind = "award"
text = "获国家级表彰加1分，省级0.5分"
{extra}
"""


def test_bonus_awards_are_award_lines(tmp_path):
    # 1 (国家级) + 0.5 (省级) = 1.5 of at most 2; each award its own line, kind award
    make_repo(
        tmp_path,
        fill(HONOURS, ""),
        evidence=photo("cert.md", "cy"),
        findings={
            "a/f.toml": finding("f1", "cy", "honour", "国家级表彰", amount="1", evidence='["cert.md"]')
            + finding("f2", "cy", "honour", "省级表彰", amount="0.5")
        },
    )
    r = indicator(score(tmp_path), "a", "cy")
    assert r.awards == [
        Worded(
            D("1"),
            "国家级表彰",
            "honour",
            finding_at(tmp_path, 1),
            evidence=[ev("cert.md")],
            kind="award",
            finding="f1",
        ),
        Worded(D("0.5"), "省级表彰", "honour", finding_at(tmp_path, 2), kind="award", finding="f2"),
    ]
    assert (r.deductions, r.score) == ([], D("1.5"))


def test_a_bonus_award_of_zero_is_a_line_of_zero(tmp_path):
    # a commendation recorded without points: an award line of 0, the score 0
    make_repo(tmp_path, fill(HONOURS, ""), findings={"a/f.toml": finding("f1", "cy", "honour", "通报表扬", amount="0")})
    r = indicator(score(tmp_path), "a", "cy")
    assert ([(a.amount, a.reason, a.kind) for a in r.awards], r.score) == ([(D("0"), "通报表扬", "award")], D("0"))


def test_a_capped_bonus_rule_says_how_much_it_adds_at_most(tmp_path):
    # cap = 1.2 on the rule ("本项最多加1.2分"): 1 + 0.5 = 1.5 → 1.2; the correction reads 加, not 扣
    make_repo(
        tmp_path,
        fill(HONOURS, "cap = 1.2"),
        findings={"a/f.toml": finding("f1", "cy", "honour", amount="1") + finding("f2", "cy", "honour", amount="0.5")},
    )
    r = indicator(score(tmp_path), "a", "cy")
    assert r.awards[2:] == [Worded(D("-0.3"), "本项最多加1.2分", "honour", rule_at(tmp_path), kind="cap")]  # 1.2 − 1.5
    assert r.score == D("1.2")


def test_bonus_awards_at_exactly_the_points_need_no_cap_line(tmp_path):
    # 1 + 1 = 2 = the indicator's 2 points: no "加分最多2分" line
    make_repo(
        tmp_path,
        fill(HONOURS, ""),
        findings={"a/f.toml": finding("f1", "cy", "honour", amount="1") + finding("f2", "cy", "honour", amount="1")},
    )
    r = indicator(score(tmp_path), "a", "cy")
    assert ([a.kind for a in r.awards], r.score) == (["award", "award"], D("2"))


def test_bonus_awards_above_the_points_are_capped_at_the_indicator(tmp_path):
    # 1 + 1 + 0.5 = 2.5 > 2: "加分最多2分", a cap line of 2 − 2.5 = −0.5 at the indicator's line
    make_repo(
        tmp_path,
        fill(HONOURS, ""),
        findings={
            "a/f.toml": finding("f1", "cy", "honour", amount="1")
            + finding("f2", "cy", "honour", amount="1")
            + finding("f3", "cy", "honour", amount="0.5")
        },
    )
    r = indicator(score(tmp_path), "a", "cy")
    assert r.awards[3:] == [Worded(D("-0.5"), "加分最多2分", "cap", indicator_at(tmp_path), kind="cap")]
    assert r.score == D("2")


# -- incident ---------------------------------------------------------------------------------------

#: Table 一 8: "一般工作人员违纪扣0.2分，股级干部扣0.3分，科级干部扣0.4分；严重违纪案件在第一种扣分标准的
#: 基础上加一倍扣分；刑事案件……加两倍"
DISCIPLINE = """
[[indicator]]
id = "df"
target = "严肃查处违纪案件"
points = 5

[[indicator.rule]]
id = "discipline"
kind = "incident"
text = "一般工作人员违纪扣0.2分，股级干部扣0.3分，科级干部扣0.4分；严重违纪加一倍；刑事案件加两倍"
grades = { "一般工作人员" = 0.2, "股级干部" = 0.3, "科级干部" = 0.4 }
severities = { "严重违纪" = 2, "刑事案件" = 3 }
unit = "人"
"""


def test_incident_grade_severity_and_count_all_multiply_and_show(tmp_path):
    # 科级干部 0.4 × 刑事案件 3 ("加两倍") × 2人 = 2.4; the reason names all three
    make_repo(
        tmp_path,
        DISCIPLINE,
        evidence=photo("case.md", "df"),
        findings={
            "a/f.toml": finding(
                "f1",
                "df",
                "discipline",
                "受贿案",
                grade='"科级干部"',
                severity='"刑事案件"',
                count="2",
                evidence='["case.md"]',
            )
        },
    )
    r = indicator(score(tmp_path), "a", "df")
    assert r.deductions == [
        Worded(
            D("2.4"),
            "受贿案（科级干部，刑事案件，2人）",
            "discipline",
            finding_at(tmp_path),
            evidence=[ev("case.md")],
            finding="f1",
        )
    ]
    assert r.score == D("2.6")  # 5 − 2.4


def test_incident_of_one_without_severity_is_the_grade_amount(tmp_path):
    # 股级干部 0.3, no severity (×1), one person: reason shows the grade only; 5 − 0.3 = 4.7
    make_repo(tmp_path, DISCIPLINE, findings={"a/f.toml": finding("f1", "df", "discipline", grade='"股级干部"')})
    r = indicator(score(tmp_path), "a", "df")
    assert r.deductions == [Worded(D("0.3"), "理由（股级干部）", "discipline", finding_at(tmp_path), finding="f1")]


def test_incident_findings_check_refuses_still_score_as_far_as_they_can(tmp_path):
    # the preview scores a finding while it is being written: f1 names no grade (finding.grade-missing) →
    # the rule has no amount of its own: 0; f2 is 一般工作人员 0.2 with a severity the rule does not know
    # (finding.unknown-severity) → × 1, not doubled; 5 − 0 − 0.2 = 4.8
    make_repo(
        tmp_path,
        DISCIPLINE,
        findings={
            "a/f.toml": finding("f1", "df", "discipline", "未写级别")
            + finding("f2", "df", "discipline", "违纪", grade='"一般工作人员"', severity='"很严重"')
        },
    )
    repo, problems = load(tmp_path)
    assert [p.code for p in problems.errors] == ["finding.grade-missing", "finding.unknown-severity"]
    # the missing grade's hint lists the grades the rule has
    assert problems.errors[0].format().endswith("（提示：可选：一般工作人员、科级干部、股级干部）")
    r = indicator(score_assessment(repo.assessments[2010]), "a", "df")  # type: ignore[attr-defined]
    assert [(d.amount, d.finding) for d in r.deductions] == [(D("0"), "f1"), (D("0.2"), "f2")]
    assert r.score == D("4.8")


#: Table 五 1.1: "发生事故死亡1人扣5分" — an amount per occurrence; a framework may add severities to it.
DEATHS = """
[[indicator]]
id = "sg"
target = "全年不超过特种设备事故死亡人数控制指标"
points = 30

[[indicator.rule]]
id = "deaths"
kind = "incident"
text = "发生事故死亡1人扣5分；重大事故加一倍"
amount = {amount}
severities = {{ "重大" = 2 }}
unit = "人"
"""


def test_incident_amount_per_occurrence_with_and_without_severity(tmp_path):
    # f1: 1人, no severity → 5, no detail; f2: 重大 ×2, 2人 → 5 × 2 × 2 = 20; 30 − 25 = 5
    make_repo(
        tmp_path,
        DEATHS.format(amount="5"),
        findings={
            "a/f.toml": finding("f1", "sg", "deaths", "锅炉爆炸")
            + finding("f2", "sg", "deaths", "起重机倒塌", severity='"重大"', count="2")
        },
    )
    r = indicator(score(tmp_path), "a", "sg")
    assert r.deductions == [
        Worded(D("5"), "锅炉爆炸", "deaths", finding_at(tmp_path, 1), finding="f1"),
        Worded(D("20"), "起重机倒塌（重大，2人）", "deaths", finding_at(tmp_path, 2), finding="f2"),
    ]
    assert r.score == D("5")


def test_incident_amount_zero_records_without_deducting(tmp_path):
    # amount = 0 (recorded, not deducted): 0 × 1 = 0; the line is kept, the score stays 30
    make_repo(tmp_path, DEATHS.format(amount="0"), findings={"a/f.toml": finding("f1", "sg", "deaths")})
    r = indicator(score(tmp_path), "a", "sg")
    assert ([d.amount for d in r.deductions], r.score) == ([D("0")], D("30"))


# -- votes ------------------------------------------------------------------------------------------

#: 办法第十二条: "相互评价由各科室之间通过无记名投票的方式实施互评" — 满意 1, 基本满意 0.6, 不满意 0
#: (the framework's values); 不了解 is not a valid vote.
VOTES = """
[[indicator]]
id = "fw"
target = "相互评价"
points = 4
method = "earned"

[[indicator.rule]]
id = "mutual"
kind = "votes"
text = "相互评价由各科室之间通过无记名投票的方式实施互评"
options = { "满意" = 1, "基本满意" = 0.6, "不满意" = 0 }
invalid = ["不了解"]
missing_amount = 4
{extra}
"""


def votes(fid: str, tallies: str, **keys: str) -> str:
    return finding(fid, "fw", "mutual", "无记名投票", tallies=tallies, **keys)


def test_a_vote_score_exactly_halfway_rounds_up(tmp_path):
    # 满意 22, 基本满意 5, 不满意 5: valid 32, worth 22 + 5 × 0.6 = 25 → 4 × 25 / 32 = 3.125 exactly,
    # half-up to the framework's 0.01 → 3.13 (half-even would give 3.12); 4 − 3.13 = 0.87 not earned.
    # rate 25 / 32 = 78.125 % → 78.13 %.
    make_repo(
        tmp_path,
        fill(VOTES, ""),
        evidence=photo("tally.md", "fw"),
        findings={"a/f.toml": votes("f1", '{ "满意" = 22, "基本满意" = 5, "不满意" = 5 }', evidence='["tally.md"]')},
    )
    r = indicator(score(tmp_path), "a", "fw")
    assert r.deductions == [
        Worded(
            D("0.87"),
            "测评得分率78.13%（满意22票，基本满意5票，不满意5票；有效票32张）",
            "mutual",
            finding_at(tmp_path),
            evidence=[ev("tally.md")],
            finding="f1",
        )
    ]
    assert r.score == D("3.13")


def test_vote_tallies_of_several_findings_add_up(tmp_path):
    # two ballot boxes: 满意 3 + 5 = 8, 基本满意 2, 不了解 1 (not valid): valid 10, worth 8 + 1.2 = 9.2
    # → 4 × 9.2 / 10 = 3.68; 0.32 not earned; both files linked; the first finding's line
    make_repo(
        tmp_path,
        fill(VOTES, ""),
        evidence={**photo("box1.md", "fw"), **photo("box2.md", "fw")},
        findings={
            "a/f.toml": votes("f1", '{ "满意" = 3, "不了解" = 1 }', evidence='["box1.md"]')
            + votes("f2", '{ "满意" = 5, "基本满意" = 2 }', evidence='["box2.md"]')
        },
    )
    r = indicator(score(tmp_path), "a", "fw")
    assert r.deductions == [
        Worded(
            D("0.32"),
            "测评得分率92.00%（满意8票，不了解1票，基本满意2票；有效票10张）",
            "mutual",
            finding_at(tmp_path, 1),
            evidence=[ev("box1.md"), ev("box2.md")],
            finding="f1",
        )
    ]
    assert r.score == D("3.68")


def test_unanimous_satisfaction_earns_everything_without_a_line(tmp_path):
    # 满意 5, 不了解 2: 4 × 5 / 5 = 4 = the points → nothing unearned, no line of 0
    make_repo(tmp_path, fill(VOTES, ""), findings={"a/f.toml": votes("f1", '{ "满意" = 5, "不了解" = 2 }')})
    r = indicator(score(tmp_path), "a", "fw")
    assert (r.deductions, r.score) == ([], D("4"))


def test_no_vote_finding_earns_nothing(tmp_path):
    make_repo(tmp_path, fill(VOTES, ""))
    r = indicator(score(tmp_path), "a", "fw")
    assert r.deductions == [Worded(D("4"), "无测评结果，未得分", "mutual", rule_at(tmp_path), missing="测评结果")]


@pytest.mark.parametrize(
    ("missing_amount", "lost", "reason"),
    [
        # what a missing ballot costs, as the framework states it, capped at the ballot's share (4):
        ("1.5", "1.5", "无测评结果，扣1.5分"),  # less than the share: that much, worded as an amount
        ("1", "1", "无测评结果，扣1分"),  # one point: still a line
        ("4", "4", "无测评结果，未得分"),  # exactly the share: nothing earned
        ("5", "4", "无测评结果，未得分"),  # more than the share: the share
    ],
)
def test_a_missing_ballot_costs_what_the_framework_states_up_to_the_share(tmp_path, missing_amount, lost, reason):
    make_repo(tmp_path, fill(VOTES.replace("missing_amount = 4", f"missing_amount = {missing_amount}"), ""))
    r = indicator(score(tmp_path), "a", "fw")
    assert r.deductions == [Worded(D(lost), reason, "mutual", rule_at(tmp_path), missing="测评结果")]
    assert r.score == 4 - D(lost)


def test_a_missing_ballot_stated_to_cost_nothing_leaves_no_line(tmp_path):
    # missing_amount = 0: no line of 0, the 4 points stand
    make_repo(tmp_path, fill(VOTES.replace("missing_amount = 4", "missing_amount = 0"), ""))
    r = indicator(score(tmp_path), "a", "fw")
    assert (r.deductions, r.score) == ([], D("4"))


def test_only_invalid_votes_earn_nothing(tmp_path):
    # 不了解 3 only: 0 valid votes → "有效票0张，不足1张" at the finding's line; 0 earned
    make_repo(tmp_path, fill(VOTES, ""), findings={"a/f.toml": votes("f1", '{ "不了解" = 3 }')})
    r = indicator(score(tmp_path), "a", "fw")
    assert r.deductions == [
        Worded(D("4"), "有效票0张，不足1张，未得分", "mutual", finding_at(tmp_path), missing="测评结果")
    ]


def test_a_quorum_met_exactly_scores(tmp_path):
    # quorum = 10: 满意 8 + 不满意 2 = 10 valid, exactly the quorum → scored: 4 × 8 / 10 = 3.2
    make_repo(tmp_path, fill(VOTES, "quorum = 10"), findings={"a/f.toml": votes("f1", '{ "满意" = 8, "不满意" = 2 }')})
    assert indicator(score(tmp_path), "a", "fw").score == D("3.2")


def test_one_vote_short_of_the_quorum_earns_nothing(tmp_path):
    # quorum = 10: 满意 8 + 不满意 1 = 9 valid (不了解 3 do not count) → "有效票9张，不足10张", 0 earned
    make_repo(
        tmp_path,
        fill(VOTES, "quorum = 10"),
        findings={"a/f.toml": votes("f1", '{ "满意" = 8, "不满意" = 1, "不了解" = 3 }')},
    )
    r = indicator(score(tmp_path), "a", "fw")
    assert r.deductions == [
        Worded(D("4"), "有效票9张，不足10张，未得分", "mutual", finding_at(tmp_path), missing="测评结果")
    ]
    assert r.score == D("0")


def test_two_ballots_share_the_points(tmp_path):
    # share = 2 each (e.g. 领导 and 群众 ballots of one 4-point indicator):
    # mutual 满意 3 + 不满意 1 → 2 × 3 / 4 = 1.5 (0.5 lost); leaders 基本满意 2 → 2 × 0.6 = 1.2 (0.8 lost)
    # → 4 − 0.5 − 0.8 = 2.7; with no finding for a ballot, only its share (2) is lost
    make_repo(
        tmp_path,
        fill(VOTES, "share = 2")
        + """
[[indicator.rule]]
id = "leaders"
kind = "votes"
options = { "满意" = 1, "基本满意" = 0.6, "不满意" = 0 }
share = 2
missing_amount = 2
""",
        units=(("a", "county"), ("b", "county")),
        findings={
            "a/f.toml": votes("f1", '{ "满意" = 3, "不满意" = 1 }')
            + finding("f2", "fw", "leaders", "党组投票", tallies='{ "基本满意" = 2 }'),
            "b/f.toml": votes("g1", '{ "满意" = 4 }'),
        },
    )
    results = score(tmp_path)
    a = indicator(results, "a", "fw")
    assert [(d.rule, d.amount, d.reason) for d in a.deductions] == [
        ("mutual", D("0.5"), "测评得分率75.00%（满意3票，不满意1票；有效票4张）"),
        ("leaders", D("0.8"), "测评得分率60.00%（基本满意2票；有效票2张）"),
    ]
    assert a.score == D("2.7")
    b = indicator(results, "b", "fw")
    assert [(d.rule, d.amount, d.reason) for d in b.deductions] == [("leaders", D("2"), "无测评结果，未得分")]
    assert b.score == D("2")


# -- fixed ------------------------------------------------------------------------------------------

#: Table 四 1: "未细化监管责任，扣0.5分" (once) and Table 七 3: "未按时、保质完成上级交办的任务扣0.5分/次"
FIXED = """
[[indicator]]
id = "sp"
target = "细化监管责任"
points = 3

[[indicator.rule]]
id = "duty"
kind = "fixed"
text = "未细化监管责任，扣0.5分"
amount = 0.5

[[indicator.rule]]
id = "task"
kind = "fixed"
text = "未按时、保质完成上级交办的任务扣0.5分/次"
amount = 0.5
per_occurrence = true
"""


def test_a_once_only_rule_deducts_for_its_first_finding_only(tmp_path):
    # "扣0.5分" once: two findings → one line, the first's; 3 − 0.5 = 2.5
    make_repo(
        tmp_path,
        FIXED,
        evidence=photo("a.md", "sp"),
        findings={
            "a/f.toml": finding("f1", "sp", "duty", "未细化责任", evidence='["a.md"]')
            + finding("f2", "sp", "duty", "仍未细化")
        },
    )
    r = indicator(score(tmp_path), "a", "sp")
    assert r.deductions == [
        Worded(D("0.5"), "未细化责任", "duty", finding_at(tmp_path, 1), evidence=[ev("a.md")], finding="f1")
    ]
    assert r.score == D("2.5")


def test_a_count_on_a_once_only_rule_is_refused_and_never_multiplies(tmp_path):
    # "扣0.5分" once: a finding saying 3次 is refused by `kaohe check` (finding.count-once); scored anyway
    # (the preview scores while a finding is being written) it still deducts 0.5 once, not 3 × 0.5
    make_repo(tmp_path, FIXED, findings={"a/f.toml": finding("f1", "sp", "duty", "未细化责任", count="3")})
    repo, problems = load(tmp_path)
    assert [(p.code, p.line) for p in problems.errors] == [("finding.count-once", line_of(tmp_path, FINDINGS, "count"))]
    r = indicator(score_assessment(repo.assessments[2010]), "a", "sp")  # type: ignore[attr-defined]
    assert [(d.amount, d.reason) for d in r.deductions] == [(D("0.5"), "未细化责任")]
    assert r.score == D("2.5")


def test_a_per_occurrence_rule_multiplies_and_shows_the_count(tmp_path):
    # "扣0.5分/次": f1 once → 0.5 (no count shown); f2 3次 → 1.5 "（3次）"; 3 − 2 = 1
    make_repo(
        tmp_path,
        FIXED,
        findings={"a/f.toml": finding("f1", "sp", "task", "逾期一次") + finding("f2", "sp", "task", "逾期", count="3")},
    )
    r = indicator(score(tmp_path), "a", "sp")
    assert r.deductions == [
        Worded(D("0.5"), "逾期一次", "task", finding_at(tmp_path, 1), finding="f1"),
        Worded(D("1.5"), "逾期（3次）", "task", finding_at(tmp_path, 2), finding="f2"),
    ]
    assert r.score == D("1")


#: Table 一 4: "应谈未谈的，缺一项扣0.1分" (kinds of talk, 项) and Table 四 3: "未按时开展年检工作，扣0.2分；
#: 未开展年检工作，扣0.5分" (tiers of one failing: at most the heavier).
ITEMS = """
[[indicator]]
id = "df"
target = "落实谈话制度"
points = 1

[[indicator.rule]]
id = "talk"
kind = "fixed"
text = "应谈未谈的，缺一项扣0.1分"
amount = 0.1
items = [{ key = "pre", name = "干部任前廉政谈话" }, { key = "warn", name = "诫勉谈话", amount = 0.2 }]

[[indicator.rule]]
id = "annual"
kind = "fixed"
text = "未按时开展年检工作，扣0.2分；未开展年检工作，扣0.5分"
items = [{ key = "late", name = "未按时开展年检工作", amount = 0.2 }, { key = "none", name = "未开展年检工作", amount = 0.5 }]
exclusive = true
{extra}

[[indicator.rule]]
id = "m"
kind = "mitigation"
"""


def test_an_item_deducts_once_from_its_first_finding(tmp_path):
    # pre twice, warn once: pre 0.1 (the rule's amount) from f1 with its evidence, warn 0.2 (its own); 1 − 0.3
    make_repo(
        tmp_path,
        fill(ITEMS, ""),
        evidence=photo("x.md", "df"),
        findings={
            "a/f.toml": finding("f1", "df", "talk", "甲未谈", item='"pre"', evidence='["x.md"]')
            + finding("f2", "df", "talk", "乙未谈", item='"pre"')
            + finding("f3", "df", "talk", "丙未诫勉", item='"warn"')
        },
    )
    r = indicator(score(tmp_path), "a", "df")
    assert r.deductions == [
        Worded(
            D("0.1"), "干部任前廉政谈话：甲未谈", "talk", finding_at(tmp_path, 1), evidence=[ev("x.md")], finding="f1"
        ),
        Worded(D("0.2"), "诫勉谈话：丙未诫勉", "talk", finding_at(tmp_path, 3), finding="f3"),
    ]
    assert r.score == D("0.7")


def test_exclusive_tiers_keep_the_heaviest_and_say_why(tmp_path):
    # both tiers found: 0.2 + 0.5 = 0.7 → the heavier 0.5 stands: a correction of 0.5 − 0.7 = −0.2; 1 − 0.5
    make_repo(
        tmp_path,
        fill(ITEMS, ""),
        findings={
            "a/f.toml": finding("f1", "df", "annual", "7月未开展", item='"late"')
            + finding("f2", "df", "annual", "全年未开展", item='"none"')
        },
    )
    r = indicator(score(tmp_path), "a", "df")
    assert r.deductions[2:] == [
        Worded(
            D("-0.2"),
            "未按时开展年检工作与未开展年检工作互斥，只按最重一项扣0.5分",
            "annual",
            rule_at(tmp_path, 2),
            kind="cap",
        )
    ]
    assert r.score == D("0.5")


@pytest.mark.parametrize(
    ("waived", "heaviest", "correction", "total"),
    [
        # late 0.2, none 0.5 of which M waives 0.4 → none stands at 0.1, late at 0.2 → the heaviest standing
        # is 0.2: lines 0.2 + 0.5 − 0.4 = 0.3 → correction 0.2 − 0.3 = −0.1; 1 − 0.2 = 0.8
        ("0.4", "0.2", "-0.1", "0.8"),
        # M waives 0.1 → none stands at 0.4, still above late's 0.2 → the heaviest standing is 0.4:
        # lines 0.2 + 0.5 − 0.1 = 0.6 → correction 0.4 − 0.6 = −0.2; 1 − 0.4 = 0.6
        ("0.1", "0.4", "-0.2", "0.6"),
    ],
)
def test_a_partly_mitigated_tier_stands_at_what_remains(tmp_path, waived, heaviest, correction, total):
    make_repo(
        tmp_path,
        fill(ITEMS, ""),
        findings={
            "a/f.toml": finding("f1", "df", "annual", item='"late"')
            + finding("f2", "df", "annual", item='"none"')
            + finding("M", "df", "m", "经复核部分开展", mitigates='"f2"', amount=waived)
        },
    )
    r = indicator(score(tmp_path), "a", "df")
    assert [(d.amount, d.reason) for d in r.deductions[2:]] == [
        (-D(waived), "酌情少扣：经复核部分开展"),
        (D(correction), f"未按时开展年检工作与未开展年检工作互斥，只按最重一项扣{heaviest}分"),
    ]
    assert r.score == D(total)


def test_a_cap_equal_to_the_heaviest_tier_is_worded_as_the_cap(tmp_path):
    # cap 0.5 on the tiers, both found: the cap and the heaviest tier both bound the rule at 0.5; the
    # first of equal bounds (the cap) words the correction 0.5 − 0.7 = −0.2; 1 − 0.5
    make_repo(
        tmp_path,
        fill(ITEMS, "cap = 0.5"),
        findings={
            "a/f.toml": finding("f1", "df", "annual", item='"late"') + finding("f2", "df", "annual", item='"none"')
        },
    )
    r = indicator(score(tmp_path), "a", "df")
    assert [(d.amount, d.reason) for d in r.deductions[2:]] == [(D("-0.2"), "本项最多扣0.5分")]
    assert r.score == D("0.5")


def test_a_cap_below_the_heaviest_tier_wins(tmp_path):
    # cap 0.3 on the tiers: both found → min(cap 0.3, heaviest 0.5) = 0.3, worded as the cap; 1 − 0.3
    make_repo(
        tmp_path,
        fill(ITEMS, "cap = 0.3"),
        findings={
            "a/f.toml": finding("f1", "df", "annual", item='"late"') + finding("f2", "df", "annual", item='"none"')
        },
    )
    r = indicator(score(tmp_path), "a", "df")
    assert [(d.amount, d.reason) for d in r.deductions[2:]] == [(D("-0.4"), "本项最多扣0.3分")]  # 0.3 − 0.7
    assert r.score == D("0.7")


def test_one_tier_alone_needs_no_correction(tmp_path):
    # only "late" found: 0.2 is the heaviest standing → no line beyond it; 1 − 0.2
    make_repo(tmp_path, fill(ITEMS, ""), findings={"a/f.toml": finding("f1", "df", "annual", item='"late"')})
    r = indicator(score(tmp_path), "a", "df")
    assert ([d.kind for d in r.deductions], r.score) == (["deduction"], D("0.8"))


# -- mitigation -------------------------------------------------------------------------------------

#: Table 三: "自找案源、自查案件视案件影响情况酌情少扣或不扣分", against a range "扣0.1-1分".
MITIGATED = """
[[indicator]]
id = "zf"
target = "执法办案"
points = 5

[[indicator.rule]]
id = "case"
kind = "range"
min = 0.1
max = 1

[[indicator.rule]]
id = "self"
kind = "mitigation"
text = "自找案源、自查案件视案件影响情况酌情少扣或不扣分"
"""


def test_a_mitigation_of_exactly_the_deduction_waives_it(tmp_path):
    # A 0.6; M takes 0.6 → 0 net; 5 − 0 = 5; the line links M's evidence and names both findings
    make_repo(
        tmp_path,
        MITIGATED,
        evidence=photo("self.md", "zf"),
        findings={
            "a/f.toml": finding("A", "zf", "case", amount="0.6")
            + finding("M", "zf", "self", "自查案件", mitigates='"A"', amount="0.6", evidence='["self.md"]')
        },
    )
    r = indicator(score(tmp_path), "a", "zf")
    assert r.deductions[1:] == [
        Worded(
            D("-0.6"),
            "酌情少扣：自查案件",
            "self",
            finding_at(tmp_path, 2),
            evidence=[ev("self.md")],
            kind="mitigation",
            finding="M",
            mitigates="A",
        )
    ]
    assert r.score == D("5")


def test_a_mitigation_never_gives_back_more_than_was_deducted(tmp_path):
    # A 0.6; M asks 1 → only 0.6 can be taken off; a second M2 finds nothing left → no line at all
    make_repo(
        tmp_path,
        MITIGATED,
        findings={
            "a/f.toml": finding("A", "zf", "case", amount="0.6")
            + finding("M", "zf", "self", mitigates='"A"', amount="1")
            + finding("M2", "zf", "self", mitigates='"A"', amount="0.1")
        },
    )
    r = indicator(score(tmp_path), "a", "zf")
    assert [(d.amount, d.finding) for d in r.deductions] == [(D("0.6"), "A"), (D("-0.6"), "M")]
    assert r.score == D("5")


def test_mitigations_of_one_rule_share_what_remains(tmp_path):
    # A 0.5; M1 0.2 then M2 0.4 of the same rule: M2 finds 0.5 − 0.2 = 0.3 left → −0.3; net 0 → 5
    make_repo(
        tmp_path,
        MITIGATED,
        findings={
            "a/f.toml": finding("A", "zf", "case", amount="0.5")
            + finding("M1", "zf", "self", mitigates='"A"', amount="0.2")
            + finding("M2", "zf", "self", mitigates='"A"', amount="0.4")
        },
    )
    r = indicator(score(tmp_path), "a", "zf")
    assert [(d.amount, d.finding) for d in r.deductions] == [(D("0.5"), "A"), (D("-0.2"), "M1"), (D("-0.3"), "M2")]
    assert r.score == D("5")


def test_a_mitigation_touches_only_the_deduction_it_names(tmp_path):
    # A 0.4 and B 0.7 of the same rule; M (不扣分, no amount) waives A only → 5 − 0.7 = 4.3
    make_repo(
        tmp_path,
        MITIGATED,
        findings={
            "a/f.toml": finding("A", "zf", "case", amount="0.4")
            + finding("B", "zf", "case", amount="0.7")
            + finding("M", "zf", "self", mitigates='"A"')
        },
    )
    r = indicator(score(tmp_path), "a", "zf")
    assert [(d.amount, d.finding) for d in r.deductions] == [(D("0.4"), "A"), (D("0.7"), "B"), (D("-0.4"), "M")]
    assert r.score == D("4.3")


# -- veto -------------------------------------------------------------------------------------------

#: Table 三 4: "自办案件经省局、州局执法评议考核不合格的，本项不得分"
VETOED = """
[[indicator]]
id = "zf"
target = "执法评议"
points = 20

[[indicator.rule]]
id = "case"
kind = "fixed"
amount = 0.5

[[indicator.rule]]
id = "review"
kind = "veto"
text = "自办案件经省局、州局执法评议考核不合格的，本项不得分"

[[indicator.rule]]
id = "accident"
kind = "veto"
text = "发生重大事故，此项不得分"
"""


def test_two_vetoes_on_one_indicator_make_one_line(tmp_path):
    # two findings of one veto rule and one of another: 此项不得分 once, with the first finding's
    # reason and line, every veto finding's evidence of the first rule; the fixed 0.5 is replaced.
    # 20 − 0 → lost 20 in one veto line.
    make_repo(
        tmp_path,
        VETOED,
        evidence={**photo("r1.md", "zf"), **photo("r2.md", "zf"), **photo("acc.md", "zf")},
        findings={
            "a/f.toml": finding("F", "zf", "case")
            + finding("V1", "zf", "review", "省局评议不合格", evidence='["r1.md"]')
            + finding("V2", "zf", "review", "州局评议不合格", evidence='["r2.md"]')
            + finding("V3", "zf", "accident", "重大事故", evidence='["acc.md"]')
        },
    )
    r = indicator(score(tmp_path), "a", "zf")
    assert r.deductions == [
        Worded(
            D("20"),
            "此项不得分：省局评议不合格",
            "review",
            finding_at(tmp_path, 2),
            evidence=[ev("r1.md"), ev("r2.md")],
            kind="veto",
            finding="V1",
        )
    ]
    assert (r.status, r.score, r.max) == ("vetoed", D("0"), D("20"))


def test_a_veto_rule_without_findings_changes_nothing(tmp_path):
    make_repo(tmp_path, VETOED, findings={"a/f.toml": finding("F", "zf", "case")})
    r = indicator(score(tmp_path), "a", "zf")
    assert (r.status, r.score, [d.rule for d in r.deductions]) == ("scored", D("19.5"), ["case"])


# -- late -------------------------------------------------------------------------------------------

#: Liaoyang 第六条: results "于考核结束的下月5日前报" — here a framework's own 逾期报送 rule per file.
LATE = """
[[indicator]]
id = "bg"
target = "按时报送报表"
points = 1
month = 3

[[indicator.rule]]
id = "on-time"
kind = "late"
text = "逾期报送的，每件扣0.05分"
amount = 0.05
"""


def test_each_late_file_deducts_once_in_path_order(tmp_path):
    # due with March: 2010-03-31 + grace 5 days = 2010-04-05. b.md committed 04-06 and a.md 04-30 are
    # late, c.md committed 04-05 (the deadline itself) is not: 2 × 0.05 = 0.1; 1 − 0.1 = 0.9.
    # Lines in path order (a before b), whatever the commit order.
    make_repo(tmp_path, LATE, settings="grace_days = 5")
    units = tmp_path / "evidence/2010/units.toml"
    text = units.read_text(encoding="utf-8").replace('framework = "t"\n', 'framework = "t"\nfiling_deadlines = true\n')
    units.write_text(text, encoding="utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _commit(tmp_path, "framework", "2010-01-02")
    for name, day in (("c.md", "2010-04-05"), ("b.md", "2010-04-06"), ("a.md", "2010-04-30")):
        write(tmp_path / "evidence/2010/a" / name, evidence("bg", "2010-03-30"))
        _commit(tmp_path, name, day)
    workspace = load_workspace(str(tmp_path))
    assert not workspace.problems.errors
    r = indicator(score_assessment(workspace.repo.assessments[2010]), "a", "bg")
    rule = rule_at(tmp_path)
    assert r.deductions == [
        Worded(
            D("0.05"), "逾期报送：a.md于2010-04-30提交，应于2010-04-05前报送", "on-time", rule, evidence=[ev("a.md")]
        ),
        Worded(
            D("0.05"), "逾期报送：b.md于2010-04-06提交，应于2010-04-05前报送", "on-time", rule, evidence=[ev("b.md")]
        ),
    ]
    assert r.score == D("0.9")


def _git(repo, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _commit(repo, message: str, day: str) -> None:
    when = f"{day}T10:00:00+08:00"
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    _git(repo, "add", "-A", env=env)
    _git(repo, "commit", "-q", "-m", message, env=env)


# -- threshold -------------------------------------------------------------------------------------

#: Table 三 2: "达到结案标准案件结案率达不到90%，少一个百分点扣0.1分"
CLOSURE = """
[[indicator]]
id = "zf"
target = "结案率达90%以上"
points = 20
{extra}

[[indicator.rule]]
id = "closure"
kind = "threshold"
text = "结案率达不到90%，少一个百分点扣0.1分"
metric = "closure_rate"
name = "结案率"
threshold = 90
amount = 0.1
missing_amount = 0
{rule}
"""


def closure(root, rate: str, extra: str = "", rule: str = "", path: str = "a/ledger.md"):
    make_repo(
        root,
        CLOSURE.replace("{extra}", extra).replace("{rule}", rule),
        evidence={path: evidence("zf", metrics=f"{{ closure_rate = {rate} }}")},
    )
    return indicator(score(root), "a", "zf")


def test_a_rate_exactly_at_the_threshold_loses_nothing(tmp_path):
    # "达不到90%": 90 % reaches it → no line; 20
    r = closure(tmp_path, "90")
    assert (r.deductions, r.score) == ([], D("20"))


def test_a_rate_one_point_below_the_threshold_loses_one_step(tmp_path):
    # 89 %: 1 point short → 1 × 0.1 = 0.1, the ledger linked, the rule's line; 20 − 0.1 = 19.9
    r = closure(tmp_path, "89")
    assert r.deductions == [
        Worded(D("0.1"), "结案率89%，低于90%，少1个百分点", "closure", rule_at(tmp_path), evidence=[ev("ledger.md")])
    ]
    assert r.score == D("19.9")


@pytest.mark.parametrize(
    ("partial", "lost"),
    [
        ("floor", None),  # 89.9 %: 0.1 point short, no whole point → nothing
        ("ceil", "0.1"),  # a started point counts whole → 1 × 0.1
        ("exact", "0.01"),  # pro rata: 0.1 × 0.1 = 0.01
    ],
)
def test_a_fraction_of_a_step(tmp_path, partial, lost):
    r = closure(tmp_path, "89.9", rule=f'partial = "{partial}"')
    assert [(d.amount, d.reason) for d in r.deductions] == (
        [(D(lost), "结案率89.9%，低于90%，少0.1个百分点")] if lost else []
    )


@pytest.mark.parametrize(
    ("rate", "lost"),
    [
        ("89.75", "0.03"),  # 0.25 short × 0.1 = 0.025: exactly halfway → 0.03 (half-even: 0.02)
        ("89.76", "0.02"),  # 0.024 → 0.02
    ],
)
def test_pro_rata_amounts_round_half_up_to_the_precision(tmp_path, rate, lost):
    r = closure(tmp_path, rate, rule='partial = "exact"')
    assert [d.amount for d in r.deductions] == [D(lost)]


@pytest.mark.parametrize(
    ("rate", "lost"),
    [
        ("89.5", "0.1"),  # 0.5 short × 0.1 = 0.05: halfway to the deduction unit 0.1 → 0.1
        ("89.6", None),  # 0.04 → 0.0: nothing to deduct, no line of 0
    ],
)
def test_pro_rata_amounts_round_to_the_deduction_unit(tmp_path, rate, lost):
    # 办法第十一条 "扣分以0.1分为单位": the indicator's granularity, not the framework's 0.01, is the step
    r = closure(tmp_path, rate, extra="granularity = 0.1", rule='partial = "exact"')
    assert [d.amount for d in r.deductions] == ([D(lost)] if lost else [])


def test_a_step_of_several_units_and_another_suffix(tmp_path):
    # a framework's own "办结件数少于10件，每少2件扣0.5分": 5件 is 5 short → 2 whole steps of 2 → 1; 5 − 1 = 4
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "bj"
        target = "办结件数"
        points = 5

        [[indicator.rule]]
        id = "done"
        kind = "threshold"
        text = "办结件数少于10件，每少2件扣0.5分"
        metric = "closed"
        name = "办结件数"
        threshold = 10
        amount = 0.5
        step = 2
        suffix = "件"
        missing_amount = 0
        """,
        evidence={"a/n.md": evidence("bj", metrics="{ closed = 5 }")},
    )
    r = indicator(score(tmp_path), "a", "bj")
    assert [(d.amount, d.reason) for d in r.deductions] == [(D("1"), "办结件数5件，低于10件，少5件")]
    assert r.score == D("4")


def test_the_latest_report_wins_and_a_same_day_tie_goes_to_the_later_path(tmp_path):
    # two ledgers dated the same day: a.md 80 %, b.md 89 % → b.md (later path) counts: 1 point → 0.1
    make_repo(
        tmp_path,
        CLOSURE.replace("{extra}", "").replace("{rule}", ""),
        evidence={
            "a/b.md": evidence("zf", "2010-11-30", metrics="{ closure_rate = 89 }"),
            "a/a.md": evidence("zf", "2010-11-30", metrics="{ closure_rate = 80 }"),
            "a/old.md": evidence("zf", "2010-06-30", metrics="{ closure_rate = 95 }"),
        },
    )
    r = indicator(score(tmp_path), "a", "zf")
    assert [(d.amount, d.evidence) for d in r.deductions] == [(D("0.1"), [ev("b.md")])]


def test_an_unreported_figure_costs_the_stated_missing_amount(tmp_path):
    make_repo(
        tmp_path,
        CLOSURE.replace("{extra}", "").replace("{rule}", "").replace("missing_amount = 0", "missing_amount = 0.5"),
    )
    r = indicator(score(tmp_path), "a", "zf")
    assert r.deductions == [Worded(D("0.5"), "未报告结案率", "closure", rule_at(tmp_path), missing="结案率")]


# -- count ------------------------------------------------------------------------------------------

#: Table 一 3: "全年反腐倡廉教育少于4次……缺1次扣0.1分"
EDUCATION = """
[[indicator]]
id = "df"
target = "每季度进行一次以上的反腐倡廉教育"
points = 0.6

[[indicator.rule]]
id = "education"
kind = "count"
text = "全年反腐倡廉教育少于4次……缺1次扣0.1分"
key = "education"
name = "反腐倡廉教育"
required = 4
amount = 0.1
"""


@pytest.mark.parametrize(("held", "lost"), [("4", None), ("3", "0.1")])
def test_a_count_met_exactly_loses_nothing_and_one_short_loses_one(tmp_path, held, lost):
    # "少于4次": 4 is not fewer → nothing; 3 → 缺1次 × 0.1
    make_repo(tmp_path, EDUCATION, evidence={"a/e.md": evidence("df", satisfies='"education"', count=held)})
    r = indicator(score(tmp_path), "a", "df")
    expected = [
        Worded(
            D(lost or "0"),
            "反腐倡廉教育应4次，实有3次，缺1次",
            "education",
            rule_at(tmp_path),
            evidence=[ev("e.md")],
            missing="反腐倡廉教育",
        )
    ]
    assert r.deductions == (expected if lost else [])


#: Table 一 9: "新闻信息3篇(条)以上(其中《黔质新风》1篇以上)……缺1篇(条)扣0.2分"
ARTICLES = """
[[indicator]]
id = "xx"
target = "新闻信息3篇以上"
points = 1

[[indicator.rule]]
id = "news"
kind = "count"
key = "article"
name = "新闻信息"
required = 3
amount = 0.2
unit = "篇"
of_which = [{ key = "qzxf", name = "《黔质新风》刊发稿件", required = 1 }]
"""


def test_a_sub_quota_met_exactly_and_the_total_one_short(tmp_path):
    # 1 article in 《黔质新风》 (its quota, exactly) + 1 elsewhere = 2 of 3 → 缺1篇 × 0.2; both files linked
    make_repo(
        tmp_path,
        ARTICLES,
        evidence={
            "a/q.md": evidence("xx", satisfies='"qzxf"'),
            "a/o.md": evidence("xx", satisfies='"article"'),
        },
    )
    r = indicator(score(tmp_path), "a", "xx")
    assert r.deductions == [
        Worded(
            D("0.2"),
            "新闻信息应3篇，实有2篇，其中《黔质新风》刊发稿件应1篇，实有1篇，缺1篇",
            "news",
            rule_at(tmp_path),
            evidence=[ev("o.md"), ev("q.md")],
            missing="新闻信息",
        )
    ]


# -- checklist --------------------------------------------------------------------------------------


def test_a_checklist_item_amount_overrides_the_rules(tmp_path):
    # "3项缺1项扣0.1分" with the annual report weighted 0.2 by the framework: none filed → 0.1 + 0.2; the
    # lines name each missing item at the rule's line, and carry its key (`half`, `annual`): what
    # `kaohe diff` pairs a line by, so that renaming an item is one changed line, not two
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "df"
        target = "有半年和年度工作情况报告"
        points = 0.5

        [[indicator.rule]]
        id = "reports"
        kind = "checklist"
        amount = 0.1
        items = [
          { key = "half", name = "半年工作情况报告" },
          { key = "annual", name = "全年工作情况报告", amount = 0.2 },
        ]
        """,
    )
    r = indicator(score(tmp_path), "a", "df")
    rule = rule_at(tmp_path)
    assert r.deductions == [
        Worded(D("0.1"), "缺半年工作情况报告", "reports", rule, missing="半年工作情况报告", item="half"),
        Worded(D("0.2"), "缺全年工作情况报告", "reports", rule, missing="全年工作情况报告", item="annual"),
    ]
    assert r.score == D("0.2")


# -- exact numbers: rounding half-up to a step, and printing as people write ------------------------


@pytest.mark.parametrize(
    ("value", "step", "rounded"),
    [
        ("3.125", "0.01", "3.13"),  # exactly halfway: up (half-even would keep 3.12)
        ("3.135", "0.01", "3.14"),  # halfway from an odd digit: up as well
        ("3.1249999", "0.01", "3.12"),  # just below halfway: down
        ("-3.125", "0.01", "-3.13"),  # half-up rounds halves away from zero
        ("0.125", "0.05", "0.15"),  # 0.125 / 0.05 = 2.5 → 3 steps of 0.05
        ("3.25", "0.5", "3.5"),  # 3.25 / 0.5 = 6.5 → 7 steps of 0.5
        ("3.2", "0.5", "3.0"),  # 6.4 → 6 steps
    ],
)
def test_round_to_a_step_half_up(value, step, rounded):
    assert round_to(D(value), D(step)) == D(rounded)


@pytest.mark.parametrize(
    ("value", "text"),
    [("0", "0"), ("0.00", "0"), ("-0", "0"), ("1.50", "1.5"), ("1E+2", "100"), ("0.00000000010", "0.0000000001")],
)
def test_plain_prints_decimals_as_people_write_them(value, text):
    assert plain(D(value)) == text
