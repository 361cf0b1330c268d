"""Every rule kind, scored against the source documents' own wording, expected values by hand."""

from __future__ import annotations

import pytest
from builders import BELOW_ZERO, D, evidence, finding, indicator, load, make_repo, score

from generator.score.rules.count import CountRule
from generator.score.rules.incident import IncidentRule
from generator.score.rules.stepped import SteppedRule
from generator.source import Source

CHECKLIST = """
[[indicator]]
id = "df-01"
target = "有半年和年度工作情况报告"
points = 0.3
month = 12

[[indicator.rule]]
id = "reports"
kind = "checklist"
text = "3项缺1项扣0.1分"
amount = 0.1
items = [
  { key = "meeting", name = "贯彻会议情况报告" },
  { key = "half-year", name = "半年工作情况报告" },
  { key = "annual", name = "全年工作情况报告" },
]
"""


def test_checklist_deducts_per_missing_item(tmp_path):
    # "3项缺1项扣0.1分": only the meeting report is filed → 2 missing × 0.1 = 0.2; 0.3 − 0.2 = 0.1
    make_repo(tmp_path, CHECKLIST, evidence={"a/m.md": evidence("df-01", satisfies='"meeting"')})
    r = indicator(score(tmp_path), "a", "df-01")
    assert r.score == D("0.1")
    assert [(d.amount, d.missing) for d in r.deductions] == [
        (D("0.1"), "半年工作情况报告"),
        (D("0.1"), "全年工作情况报告"),
    ]
    # lines 1-3 [category] id title, 4-5 blank, 6-10 the indicator, 11 blank, 12 [[indicator.rule]]
    assert r.deductions[0].source == Source("frameworks/t/01-c.toml", 12)
    assert r.deductions[0].reason == "缺半年工作情况报告"


def test_checklist_all_items_filed_loses_nothing(tmp_path):
    # all three reports filed in one file → 0 missing; score = 0.3
    make_repo(
        tmp_path, CHECKLIST, evidence={"a/all.md": evidence("df-01", satisfies='["meeting", "half-year", "annual"]')}
    )
    r = indicator(score(tmp_path), "a", "df-01")
    assert (r.score, r.deductions) == (D("0.3"), [])


def test_earned_checklist_items_carry_their_own_points(tmp_path):
    # Table 二 row 1 (5分): 通过验收 3, 有验收合格结论 1, 有工作总结 1; only 验收 and 总结 → 3 + 1 = 4
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "std-01"
        target = "完成农业标准化示范区建设项目"
        points = 5
        method = "earned"

        [[indicator.rule]]
        id = "acceptance"
        kind = "checklist"
        items = [
          { key = "accepted", name = "农业标准化项目通过验收", amount = 3 },
          { key = "conclusion", name = "验收合格结论", amount = 1 },
          { key = "summary", name = "工作总结", amount = 1 },
        ]
        """,
        evidence={"a/e.md": evidence("std-01", satisfies='["accepted", "summary"]')},
    )
    r = indicator(score(tmp_path), "a", "std-01")
    assert r.score == D("4")
    assert r.deductions[0].reason == "未得分：无验收合格结论"


COUNT = """
[[indicator]]
id = "df-03"
target = "每季度进行一次以上的反腐倡廉教育"
points = 0.6
month = 12

[[indicator.rule]]
id = "education"
kind = "count"
text = "全年反腐倡廉教育少于4次……缺1次扣0.1分"
key = "education"
name = "反腐倡廉教育"
required = 4
amount = 0.1

[[indicator.rule]]
id = "lectures"
kind = "count"
text = "领导讲廉政党课少于2次的，缺1次扣0.1分"
key = "lecture"
name = "领导讲廉政党课"
required = 2
amount = 0.1
"""


def test_count_deducts_per_missing_occurrence(tmp_path):
    # education: 1 + 2 = 3 of 4 → 1 × 0.1; lectures: 1 of 2 → 1 × 0.1; 0.6 − 0.2 = 0.4
    make_repo(
        tmp_path,
        COUNT,
        evidence={
            "a/q1.md": evidence("df-03", "2010-03-30", satisfies='"education"'),
            "a/q23.md": evidence("df-03", "2010-09-30", satisfies='"education"', count="2"),
            "a/l1.md": evidence("df-03", "2010-05-04", satisfies='"lecture"'),
        },
    )
    r = indicator(score(tmp_path), "a", "df-03")
    assert r.score == D("0.4")
    assert [d.reason for d in r.deductions] == [
        "反腐倡廉教育应4次，实有3次，缺1次",
        "领导讲廉政党课应2次，实有1次，缺1次",
    ]
    assert r.deductions[0].evidence == ["evidence/2010/a/q1.md", "evidence/2010/a/q23.md"]


def test_count_beyond_the_requirement_earns_nothing_extra(tmp_path):
    # 减负: 9 education sessions score the same as 4 — the requirement is met, volume is not rewarded.
    # lectures still 0 of 2 → 2 × 0.1 = 0.2; 0.6 − 0.2 = 0.4
    make_repo(tmp_path, COUNT, evidence={"a/many.md": evidence("df-03", satisfies='"education"', count="9")})
    assert indicator(score(tmp_path), "a", "df-03").score == D("0.4")


@pytest.mark.parametrize(("kind", "default"), [(CountRule, "次"), (SteppedRule, "台"), (IncidentRule, "起")])
def test_the_schema_offers_the_old_name_of_the_measure_word_as_deprecated(kind, default):
    # editors read the JSON Schema: `measure` with its default, `unit` (its name before 0.1.0) marked deprecated
    properties = kind.model_json_schema()["properties"]
    assert (properties["measure"]["type"], properties["measure"]["default"]) == ("string", default)
    assert properties["measure"]["description"].startswith("Measure word (量词) for messages: ")
    assert properties["unit"] == {
        "type": "string",
        "deprecated": True,
        "description": "Old name of `measure`, still read in this release: rename it to `measure`.",
    }
    assert kind.renamed_keys() == {"unit": "measure"}


@pytest.mark.parametrize("key", ["measure", "unit"])
def test_count_per_company_of_twenty(tmp_path, key):
    # "与20家以上的企业联系……缺一家扣0.01分": 17 companies → 3 × 0.01 = 0.03; 0.3 − 0.03 = 0.27
    # the measure word (量词) was called `unit` before 0.1.0: the old name still reads, with a warning
    make_repo(
        tmp_path,
        f"""
        [[indicator]]
        id = "df-05"
        target = "与20家以上的企业联系"
        points = 0.3

        [[indicator.rule]]
        id = "contacts"
        kind = "count"
        key = "contact"
        name = "联系企业"
        required = 20
        amount = 0.01
        {key} = "家"
        """,
        evidence={"a/reg.md": evidence("df-05", satisfies='"contact"', count="17")},
    )
    r = indicator(score(tmp_path), "a", "df-05")
    assert r.score == D("0.27")
    assert r.deductions[0].reason == "联系企业应20家，实有17家，缺3家"
    _, problems = load(tmp_path)
    # lines 1-3 [category] id title, 4-5 blank, 6-9 the indicator, 10 blank, 11-17 the rule, `unit` on 18
    expected = [("frameworks/t/01-c.toml", 18, 1, "framework.key-renamed")] if key == "unit" else []
    assert [(p.path, p.line, p.col, p.code) for p in problems] == expected


THRESHOLD = """
[[indicator]]
id = "zf-04"
target = "结案率达90%以上"
points = 20

[[indicator.rule]]
id = "closure"
kind = "threshold"
text = "结案率达不到90%，少一个百分点扣0.1分"
metric = "closure_rate"
name = "结案率"
threshold = 90
amount = 0.1
missing_amount = 0
{extra}
"""


def test_threshold_counts_whole_percentage_points_by_default(tmp_path):
    # 86.5% is 3.5 points under 90%; whole points only → 3 × 0.1 = 0.3; 20 − 0.3 = 19.7
    make_repo(
        tmp_path,
        THRESHOLD.format(extra=""),
        evidence={"a/ledger.md": evidence("zf-04", metrics="{ closure_rate = 86.5 }")},
    )
    r = indicator(score(tmp_path), "a", "zf-04")
    assert r.score == D("19.7")
    assert r.deductions[0].reason == "结案率86.5%，低于90%，少3.5个百分点"


def test_threshold_exact_partial_is_pro_rata(tmp_path):
    # partial = "exact": 3.5 × 0.1 = 0.35; 20 − 0.35 = 19.65
    make_repo(
        tmp_path,
        THRESHOLD.format(extra='partial = "exact"'),
        evidence={"a/ledger.md": evidence("zf-04", metrics="{ closure_rate = 86.5 }")},
    )
    assert indicator(score(tmp_path), "a", "zf-04").score == D("19.65")


@pytest.mark.parametrize(("rate", "expected"), [("95.125", "19.02"), ("95.13", "19.03")])
def test_a_pro_rata_deduction_is_rounded_half_up_to_the_precision(tmp_path, rate, expected):
    # 三.5 "按分值比例扣除": 0.2 a point below 100 %. 95.125 % is 4.875 short: 4.875 × 0.2 = 0.975,
    # half way → 0.98 (precision 0.01); 20 − 0.98 = 19.02. 95.13 %: 4.87 × 0.2 = 0.974 → 0.97 → 19.03
    make_repo(
        tmp_path,
        THRESHOLD.format(extra='partial = "exact"')
        .replace("threshold = 90", "threshold = 100")
        .replace("amount = 0.1", "amount = 0.2"),
        evidence={"a/ledger.md": evidence("zf-04", metrics=f"{{ closure_rate = {rate} }}")},
    )
    assert indicator(score(tmp_path), "a", "zf-04").score == D(expected)


def test_threshold_uses_the_latest_report(tmp_path):
    # June: 80% (would lose 1.0); December: 91% ≥ 90% → nothing lost; the later report counts
    make_repo(
        tmp_path,
        THRESHOLD.format(extra=""),
        evidence={
            "a/june.md": evidence("zf-04", "2010-06-30", metrics="{ closure_rate = 80 }"),
            "a/dec.md": evidence("zf-04", "2010-12-20", metrics="{ closure_rate = 91 }"),
        },
    )
    assert indicator(score(tmp_path), "a", "zf-04").score == D("20")


def test_threshold_unreported_metric_costs_what_the_framework_states(tmp_path):
    # missing_amount = 0: no ledger, nothing reported → nothing deducted, no line at all: 20
    make_repo(tmp_path, THRESHOLD.format(extra=""))
    r = indicator(score(tmp_path), "a", "zf-04")
    assert (r.score, r.deductions) == (D("20"), [])
    # missing_amount = 20: the stated cost, shown as a missing figure: 20 − 20 = 0
    make_repo(tmp_path, THRESHOLD.format(extra="").replace("missing_amount = 0", "missing_amount = 20"))
    r = indicator(score(tmp_path), "a", "zf-04")
    assert (r.score, r.deductions[0].amount, r.deductions[0].missing) == (D("0"), D("20"), "结案率")
    # a reported figure replaces the stated cost: 89.5 % is 0.5 short → 0 whole points → 20
    make_repo(
        tmp_path,
        THRESHOLD.format(extra="").replace("missing_amount = 0", "missing_amount = 20"),
        evidence={"a/ledger.md": evidence("zf-04", metrics="{ closure_rate = 89.5 }")},
    )
    assert indicator(score(tmp_path), "a", "zf-04").score == D("20")


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_threshold_without_a_stated_missing_amount_is_refused(tmp_path, kaohe):
    # no hidden default: a threshold rule must say what a missing figure costs
    make_repo(tmp_path, THRESHOLD.format(extra="").replace("missing_amount = 0\n", ""))
    problems = load(tmp_path)[1]
    (problem,) = [p for p in problems if p.code == "framework.threshold-missing-unstated"]
    rule_line = (
        (tmp_path / "frameworks/t/01-c.toml").read_text(encoding="utf-8").splitlines().index("[[indicator.rule]]")
    )
    assert (problem.path, problem.line, problem.col, problem.severity) == (
        "frameworks/t/01-c.toml",
        rule_line + 1,
        1,
        "error",
    )
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1
    assert f"frameworks/t/01-c.toml:{rule_line + 1}:1: error: threshold rule 'closure'" in run.out


@pytest.mark.parametrize(
    ("value", "refused"),
    [("0", False), ("100", False), ("-0.01", True), ("100.01", True), ("-5", True), ("150", True)],
)
def test_a_rate_outside_0_to_100_percent_is_refused(tmp_path, value, refused):
    # "结案率达不到90%，少一个百分点扣0.1分": 0 % is the worst a rate can be (90 × 0.1 = 9 at most);
    # -5 % scored as 95 points short would have deducted 9.5, more than any real rate can lose
    make_repo(
        tmp_path,
        THRESHOLD.format(extra=""),
        evidence={"a/ledger.md": evidence("zf-04", metrics=f"{{ closure_rate = {value} }}")},
    )
    problems = [p for p in load(tmp_path)[1] if p.code == "evidence.metric-out-of-range"]
    assert len(problems) == refused
    if refused:
        (problem,) = problems
        text = (tmp_path / "evidence/2010/a/ledger.md").read_text(encoding="utf-8").splitlines()
        line = next(n for n, t in enumerate(text, 1) if "closure_rate" in t)
        # at the figure's key, so an editor jumps to what to correct
        assert (problem.path, problem.line, problem.col, problem.severity) == (
            "evidence/2010/a/ledger.md",
            line,
            text[line - 1].index("closure_rate") + 1,
            "error",
        )
        assert problem.kwargs["value"] == value and problem.kwargs["allowed"].params == (
            ("low", "0"),
            ("high", "100"),
            ("suffix", "%"),
        )


def test_a_rate_that_can_pass_100_percent_states_its_own_maximum(tmp_path):
    # a completion rate of 120 % is possible where the framework says so (maximum = 200); a minimum
    # above the maximum is the framework's own mistake
    make_repo(
        tmp_path,
        THRESHOLD.format(extra="maximum = 200"),
        evidence={"a/ledger.md": evidence("zf-04", metrics="{ closure_rate = 120 }")},
    )
    assert not [p for p in load(tmp_path)[1] if p.code == "evidence.metric-out-of-range"]
    assert indicator(score(tmp_path), "a", "zf-04").score == D("20")  # 120 ≥ 90: nothing lost
    make_repo(tmp_path, THRESHOLD.format(extra="minimum = 50\nmaximum = 40"))
    assert "framework.threshold-bounds-reversed" in [p.code for p in load(tmp_path)[1]]


def test_bounds_that_meet_are_not_reversed(tmp_path):
    # minimum = maximum = 100: a figure that can only be 100 is odd but not reversed (100 > 100 is false)
    make_repo(tmp_path, THRESHOLD.format(extra="minimum = 100\nmaximum = 100"))
    assert "framework.threshold-bounds-reversed" not in [p.code for p in load(tmp_path)[1]]


#: A figure in its own unit, not a percentage: 净增户数 can fall below zero and has no upper end.
NET_GROWTH = """
[[indicator]]
id = "zf-05"
target = "市场主体净增10户以上"
points = 20

[[indicator.rule]]
id = "growth"
kind = "threshold"
text = "净增户数达不到10户，少一户扣0.1分"
metric = "net_growth"
name = "净增户数"
threshold = 10
amount = 0.1
suffix = "户"
missing_amount = 0
"""


@pytest.mark.parametrize(("value", "expected"), [("-5", "18.5"), ("150", "20")])
def test_a_figure_that_is_not_a_percentage_has_no_bounds_unless_stated(tmp_path, value, expected):
    # the 0–100 default is for a percentage only (suffix "%"): −5 户 is 10 − (−5) = 15 short → 15 × 0.1 = 1.5
    # → 20 − 1.5 = 18.5; 150 户 is above 10 → nothing lost, 20 (and above 100, which bounds only a rate)
    make_repo(
        tmp_path,
        NET_GROWTH,
        evidence={"a/ledger.md": evidence("zf-05", metrics=f"{{ net_growth = {value} }}")},
    )
    assert not [p for p in load(tmp_path)[1] if p.code == "evidence.metric-out-of-range"]
    assert indicator(score(tmp_path), "a", "zf-05").score == D(expected)


INCIDENT = """
[[indicator]]
id = "df-08"
target = "严肃查处违纪案件"
points = 1.62

[[indicator.rule]]
id = "discipline"
kind = "incident"
text = "一般工作人员违纪扣0.2分，股级干部扣0.3分，科级干部扣0.4分；严重违纪案件加一倍；刑事案件加两倍"
grades = { "一般工作人员" = 0.2, "股级干部" = 0.3, "科级干部" = 0.4 }
severities = { "一般" = 1, "严重违纪" = 2, "刑事案件" = 3 }

[[indicator.rule]]
id = "self-found"
kind = "mitigation"
text = "自找案源、自查案件视案件影响情况酌情少扣或不扣分"
"""


def test_incident_grade_times_severity(tmp_path):
    # 股级干部 0.3 × 严重违纪 2 = 0.6; 科级干部 0.4 × 刑事案件 3 = 1.2; total 1.8 > 1.62 → 扣完为止 at 0
    make_repo(
        tmp_path,
        INCIDENT,
        findings={
            "a/f.toml": finding("f1", "df-08", "discipline", grade='"股级干部"', severity='"严重违纪"')
            + finding("f2", "df-08", "discipline", grade='"科级干部"', severity='"刑事案件"')
        },
    )
    r = indicator(score(tmp_path), "a", "df-08")
    assert [d.amount for d in r.deductions] == [D("0.6"), D("1.2"), D("-0.18")]  # 1.62 − 1.8 = −0.18
    assert r.deductions[-1].kind == "floor"
    assert r.score == D("0")


def test_incident_without_severity_is_the_grade_amount(tmp_path):
    # 一般工作人员违纪 0.2 × 1 = 0.2; 1.62 − 0.2 = 1.42
    make_repo(tmp_path, INCIDENT, findings={"a/f.toml": finding("f1", "df-08", "discipline", grade='"一般工作人员"')})
    assert indicator(score(tmp_path), "a", "df-08").score == D("1.42")


def test_mitigation_reduces_the_named_deduction(tmp_path):
    # 股级 0.3 × 严重 2 = 0.6; 自查 mitigation 0.2 → net 0.4; 1.62 − 0.4 = 1.22
    make_repo(
        tmp_path,
        INCIDENT,
        findings={
            "a/f.toml": finding("f1", "df-08", "discipline", grade='"股级干部"', severity='"严重违纪"')
            + finding("f2", "df-08", "self-found", "自查发现", mitigates='"f1"', amount="0.2")
        },
    )
    r = indicator(score(tmp_path), "a", "df-08")
    assert r.score == D("1.22")
    assert r.deductions[1].amount == D("-0.2")
    assert r.deductions[1].reason == "酌情少扣：自查发现"


def test_mitigation_without_amount_waives_the_whole_deduction(tmp_path):
    # 不扣分: 0.3 deducted, mitigated in full → 1.62
    make_repo(
        tmp_path,
        INCIDENT,
        findings={
            "a/f.toml": finding("f1", "df-08", "discipline", grade='"股级干部"')
            + finding("f2", "df-08", "self-found", mitigates='"f1"')
        },
    )
    assert indicator(score(tmp_path), "a", "df-08").score == D("1.62")


def test_incident_per_death_capped_by_the_sub_item(tmp_path):
    # Table 五 1.1 (5分): "发生事故死亡1人扣5分，扣完为止"; 2 deaths → 10, capped at the sub-item's 5;
    # indicator 10 points → 10 − 5 = 5
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "tz-1"
        target = "全年不超过特种设备事故死亡人数控制指标"
        points = 10

        [[indicator.rule]]
        id = "deaths"
        kind = "incident"
        text = "发生事故死亡1人扣5分，扣完为止"
        amount = 5
        cap = 5
        """,
        findings={"a/f.toml": finding("f1", "tz-1", "deaths", count="2")},
    )
    r = indicator(score(tmp_path), "a", "tz-1")
    assert [d.amount for d in r.deductions] == [D("10"), D("-5")]
    assert r.score == D("5")


STEPPED = """
[[indicator]]
id = "tz-2.5"
target = "辖区内不得存在超期特种设备"
points = 4

[[indicator.rule]]
id = "overdue"
kind = "stepped"
text = "发现一台扣1分，五台以上扣4分"
amount = 1
steps = [{ at = 5, amount = 4 }]
"""


def test_stepped_per_item_below_the_step(tmp_path):
    # 3 units found → 3 × 1 = 3; 4 − 3 = 1
    make_repo(tmp_path, STEPPED, findings={"a/f.toml": finding("f1", "tz-2.5", "overdue", count="3")})
    assert indicator(score(tmp_path), "a", "tz-2.5").score == D("1")


def test_stepped_from_five_items_is_four(tmp_path):
    # 2 + 4 = 6 units ≥ 5 → 4 (not 6); 4 − 4 = 0, shown as 2 + 4 − 2
    make_repo(
        tmp_path,
        STEPPED,
        findings={
            "a/f.toml": finding("f1", "tz-2.5", "overdue", count="2") + finding("f2", "tz-2.5", "overdue", count="4")
        },
    )
    r = indicator(score(tmp_path), "a", "tz-2.5")
    assert [d.amount for d in r.deductions] == [D("2"), D("4"), D("-2")]
    assert r.score == D("0")


def test_fixed_once_and_per_occurrence(tmp_path):
    # "未细化监管责任，扣0.5分" once even if recorded twice: 1 − 0.5 = 0.5
    # "未按时、保质完成上级交办的任务扣0.5分/次": 3 times → 1.5; 2 − 1.5 = 0.5
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "sp-1"
        target = "细化监管责任"
        points = 1

        [[indicator.rule]]
        id = "duty"
        kind = "fixed"
        amount = 0.5

        [[indicator]]
        id = "zl-3"
        target = "按时完成交办的其他工作任务"
        points = 2

        [[indicator.rule]]
        id = "late-task"
        kind = "fixed"
        amount = 0.5
        per_occurrence = true
        """,
        findings={
            "a/f.toml": finding("f1", "sp-1", "duty")
            + finding("f2", "sp-1", "duty")
            + finding("f3", "zl-3", "late-task", count="3")
        },
    )
    results = score(tmp_path)
    assert indicator(results, "a", "sp-1").score == D("0.5")
    assert indicator(results, "a", "zl-3").score == D("0.5")


@pytest.mark.parametrize(
    ("measure", "worded"), [("", "逾期报送年度总结（3次）"), ('measure = "天"', "逾期报送年度总结（3天）")]
)
def test_occurrences_are_counted_in_the_rules_measure(tmp_path, measure, worded):
    """逾期一天扣0.1分, 3 days late: 3 × 0.1 = 0.3 off 1 point, 0.7 left. The line read （3次） for
    three days; a rule that counts days says so (`measure`), one without keeps 次."""
    make_repo(
        tmp_path,
        f"""
        [[indicator]]
        id = "zj"
        target = "报送年度工作总结"
        points = 1

        [[indicator.rule]]
        id = "late"
        kind = "fixed"
        amount = 0.1
        per_occurrence = true
        {measure}
        """,
        findings={"a/f.toml": finding("f1", "zj", "late", "逾期报送年度总结", count="3")},
    )
    row = indicator(score(tmp_path), "a", "zj")
    assert row.score == D("0.7")
    (line,) = row.deductions
    assert str(line.reason) == worded and line.amount == D("0.3")


def test_range_amount_chosen_by_the_assessor(tmp_path):
    # "没有复查工作的资料扣0.1-1分": assessor chooses 0.6; 5 − 0.6 = 4.4
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "zl-1"
        target = "不合格产品企业后处理"
        points = 5

        [[indicator.rule]]
        id = "recheck"
        kind = "range"
        text = "没有复查工作的资料扣0.1-1分"
        min = 0.1
        max = 1
        """,
        findings={"a/f.toml": finding("f1", "zl-1", "recheck", "复查资料缺两家企业", amount="0.6")},
    )
    r = indicator(score(tmp_path), "a", "zl-1")
    assert (r.score, r.deductions[0].reason) == (D("4.4"), "复查资料缺两家企业")


VETO = """
[[indicator]]
id = "sp-1"
target = "不得发生重大食品生产质量安全事故"
points = 1

[[indicator.rule]]
id = "duty"
kind = "fixed"
text = "未细化监管责任，扣0.5分"
amount = 0.5

[[indicator.rule]]
id = "accident"
kind = "veto"
text = "发生重大食品事故，此项不得分"
"""


def test_veto_zeroes_the_indicator_whatever_else(tmp_path):
    # 0.5 deducted, then a major accident: 此项不得分 → 0, status vetoed, one line of the full 1 point
    make_repo(
        tmp_path,
        VETO,
        findings={
            "a/f.toml": finding("f1", "sp-1", "duty") + finding("f2", "sp-1", "accident", "发生重大食品安全事故")
        },
    )
    r = indicator(score(tmp_path), "a", "sp-1")
    assert (r.status, r.score, r.max) == ("vetoed", D("0"), D("1"))
    assert [(d.amount, d.kind, d.reason) for d in r.deductions] == [
        (D("1"), "veto", "此项不得分：发生重大食品安全事故")
    ]


def test_award_in_an_earned_indicator(tmp_path):
    # 重点绩效 weighted 1.5: assessor awards 1 → 1.5 − 1 = 0.5 shown as not earned; no finding → 0
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "zd-1"
        target = "重点工作"
        points = 1.5
        method = "earned"

        [[indicator.rule]]
        id = "done"
        kind = "award"
        missing_amount = 1.5
        """,
        units=(("a", "county"), ("b", "county")),
        findings={"a/f.toml": finding("f1", "zd-1", "done", "基本完成", amount="1")},
    )
    results = score(tmp_path)
    assert indicator(results, "a", "zd-1").score == D("1")
    assert indicator(results, "a", "zd-1").deductions[0].amount == D("0.5")
    assert indicator(results, "b", "zd-1").score == D("0")


def test_bonus_awards_capped_by_indicator_and_part(tmp_path):
    # bonus indicator cap 2: awards 1.5 + 1 = 2.5 → 2; the part caps the unit's bonus at 1.5 → total 1.5
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "cy-1"
        target = "创优绩效"
        points = 2
        method = "bonus"

        [[indicator.rule]]
        id = "honour"
        kind = "award"
        """,
        category='id = "c"\ntitle = "创优"\npart = "cy"',
        parts='[[part]]\nid = "cy"\ntitle = "创优绩效"\ncap = 1.5\n',
        findings={
            "a/f.toml": finding("f1", "cy-1", "honour", "省级表彰", amount="1.5")
            + finding("f2", "cy-1", "honour", "市级表彰", amount="1")
        },
    )
    results = score(tmp_path)
    r = indicator(results, "a", "cy-1")
    assert r.score == D("2")
    assert [a.amount for a in r.awards] == [D("1.5"), D("1"), D("-0.5")]
    # the part's cap shows as a unit-level line: 1.5 − 2 = −0.5
    assert results.unit("a").total == D("1.5")
    assert [(x.amount, x.reason) for x in results.unit("a").adjustments] == [(D("-0.5"), "创优绩效最多1.5分")]


def test_votes_weighted_by_option_values(tmp_path):
    # 相互评价 (4分): 满意 ×1, 基本满意 ×0.6, 不满意 ×0; 不了解 is not a valid vote.
    # tallies 6 / 3 / 1 (+2 不了解): valid 10; worth 6×1 + 3×0.6 + 1×0 = 7.8 → 4 × 7.8 / 10 = 3.12
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "fw-1"
        target = "相互评价"
        points = 4
        method = "earned"

        [[indicator.rule]]
        id = "mutual"
        kind = "votes"
        missing_amount = 4
        options = { "满意" = 1, "基本满意" = 0.6, "不满意" = 0 }
        invalid = ["不了解"]
        """,
        findings={
            "a/f.toml": finding(
                "f1",
                "fw-1",
                "mutual",
                "科室互评无记名投票",
                tallies='{ "满意" = 6, "基本满意" = 3, "不满意" = 1, "不了解" = 2 }',
            )
        },
    )
    r = indicator(score(tmp_path), "a", "fw-1")
    assert r.score == D("3.12")
    assert r.deductions[0].amount == D("0.88")


def test_floor_none_goes_below_zero(tmp_path):
    # 管理绩效 扣分不设下限: 2 points, three 1-point deductions → 2 − 3 = −1
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "gl-1"
        target = "财务管理"
        points = 2
        floor = "none"

        [[indicator.rule]]
        id = "err"
        kind = "fixed"
        amount = 1
        per_occurrence = true
        """,
        findings={"a/f.toml": finding("f1", "gl-1", "err", count="3")},
    )
    assert indicator(score(tmp_path), "a", "gl-1").score == D("-1")


def test_ten_tenths_from_one_is_exactly_zero(tmp_path):
    # ten 0.1 deductions from 1.0 → exactly 0 (a binary float would give 1.3877787807814457e-16)
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "x"
        target = "十项"
        points = 1.0

        [[indicator.rule]]
        id = "items"
        kind = "checklist"
        amount = 0.1
        items = ["""
        + ", ".join(f'{{ key = "k{n}", name = "第{n}项" }}' for n in range(10))
        + "]\n",
    )
    r = indicator(score(tmp_path), "a", "x")
    assert r.score == D("0") and str(r.score) in ("0.0", "0")
    assert len(r.deductions) == 10


# -- how rules interact: mitigation before caps and steps, several mitigations and awards, vetoes --

RANGE_CAPPED = """
[[indicator]]
id = "i"
target = "资料齐全"
points = 1

[[indicator.rule]]
id = "r"
kind = "range"
min = 0.1
max = 0.5
cap = 0.6

[[indicator.rule]]
id = "m1"
kind = "mitigation"

[[indicator.rule]]
id = "m2"
kind = "mitigation"
"""


def test_mitigation_is_taken_off_before_the_cap(tmp_path):
    # A 0.5 + B 0.5 = 1.0 under a cap of 0.6; M waives A in full → B's 0.5 stands, within the cap → 1 − 0.5 = 0.5
    make_repo(
        tmp_path,
        RANGE_CAPPED,
        findings={
            "a/f.toml": finding("A", "i", "r", amount="0.5")
            + finding("B", "i", "r", amount="0.5")
            + finding("M", "i", "m1", "自查发现", mitigates='"A"')
        },
    )
    r = indicator(score(tmp_path), "a", "i")
    assert r.score == D("0.5")
    assert [(d.amount, d.kind) for d in r.deductions] == [
        (D("0.5"), "deduction"),
        (D("0.5"), "deduction"),
        (D("-0.5"), "mitigation"),
    ]
    assert (r.deductions[2].finding, r.deductions[2].mitigates) == ("M", "A")


def test_two_mitigation_rules_both_apply_and_never_exceed_the_deduction(tmp_path):
    # A 0.5; M1 (rule m1) 0.2 and M2 (rule m2) 0.2 → 0.5 − 0.2 − 0.2 = 0.1 stands → 1 − 0.1 = 0.9;
    # a third of 0.3 (rule m2) finds only 0.1 left to waive → 1.0
    findings = (
        finding("A", "i", "r", amount="0.5")
        + finding("M1", "i", "m1", mitigates='"A"', amount="0.2")
        + finding("M2", "i", "m2", mitigates='"A"', amount="0.2")
    )
    make_repo(tmp_path, RANGE_CAPPED, findings={"a/f.toml": findings})
    assert indicator(score(tmp_path), "a", "i").score == D("0.9")
    make_repo(
        tmp_path,
        RANGE_CAPPED,
        findings={"a/f.toml": findings + finding("M3", "i", "m2", mitigates='"A"', amount="0.3")},
    )
    r = indicator(score(tmp_path), "a", "i")
    assert (r.score, r.deductions[-1].amount) == (D("1"), D("-0.1"))


def test_a_waived_item_does_not_count_towards_the_step(tmp_path):
    # 发现一台扣1分，五台以上扣4分 (points 4 + 6 = 10): A 3 units + B 2 units = 5 → step 4;
    # M waives A → 2 units stand, below the step → 2 lost → 10 − 2 = 8
    make_repo(
        tmp_path,
        STEPPED.replace("points = 4", "points = 10")
        + """
[[indicator.rule]]
id = "m"
kind = "mitigation"
""",
        findings={
            "a/f.toml": finding("A", "tz-2.5", "overdue", count="3")
            + finding("B", "tz-2.5", "overdue", count="2")
            + finding("M", "tz-2.5", "m", mitigates='"A"')
        },
    )
    assert indicator(score(tmp_path), "a", "tz-2.5").score == D("8")


def test_several_award_rules_share_the_points(tmp_path):
    # earned, 3 points: two award rules of at most 1.5 each, awarded 1.5 and 1 → 1.5 + 1 = 2.5; 0.5 not earned
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "zd"
        target = "重点工作"
        points = 3
        method = "earned"

        [[indicator.rule]]
        id = "first"
        kind = "award"
        missing_amount = 1.5
        max = 1.5

        [[indicator.rule]]
        id = "second"
        kind = "award"
        missing_amount = 1.5
        max = 1.5
        """,
        findings={"a/f.toml": finding("f1", "zd", "first", amount="1.5") + finding("f2", "zd", "second", amount="1")},
    )
    r = indicator(score(tmp_path), "a", "zd")
    assert (r.score, [d.amount for d in r.deductions]) == (D("2.5"), [D("0.5")])


def test_a_veto_never_lifts_a_score_below_zero(tmp_path):
    # floor none, 1 point, 3 deducted → −2; a veto (此项不得分) must not raise it to 0: it stays −2
    make_repo(
        tmp_path,
        BELOW_ZERO + '[[indicator.rule]]\nid = "veto"\nkind = "veto"\n',
        findings={"a/f.toml": finding("f1", "gl", "err") + finding("f2", "gl", "veto", "重大事故")},
    )
    r = indicator(score(tmp_path), "a", "gl")
    assert (r.status, r.score, [d.amount for d in r.deductions]) == ("vetoed", D("-2"), [D("3")])


def test_precision_is_a_step_not_a_number_of_digits(tmp_path):
    # weight 5, raw 2 of 3 → 3.333…; precision 0.5 rounds to the nearest half point → 3.5 (not 3.3)
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "x"
        target = "三项"
        points = 3

        [[indicator.rule]]
        id = "r"
        kind = "checklist"
        amount = 1
        items = [{ key = "k", name = "一项" }]
        """,
        category='id = "c"\ntitle = "类别"\nweight = 5',
        settings="precision = 0.5",
    )
    assert score(tmp_path).unit("a").total == D("3.5")


# -- kinds (项), exclusive tiers, sub-quotas, interpretation markers ------------------------------

ITEMS = """
[[indicator]]
id = "df-04"
target = "落实好纪检负责人同股级干部谈话、干部任前廉政谈话、诫勉谈话等制度。"
points = 0.3

[[indicator.rule]]
id = "talk"
kind = "fixed"
text = "应谈未谈的,缺一项扣0.1分"
amount = 0.1
items = [
  { key = "staff", name = "纪检负责人同股级干部谈话" },
  { key = "pre", name = "干部任前廉政谈话" },
  { key = "warn", name = "诫勉谈话" },
]

[[indicator]]
id = "sp-03"
target = "在规定时限内对企业100%实施年检并按时上报。"
points = 1.5

[[indicator.rule]]
id = "annual"
kind = "fixed"
text = "未按时开展年检工作,扣0.2分;未开展年检工作,扣0.5分"
items = [{ key = "late", name = "未按时开展年检工作", amount = 0.2 }, { key = "none", name = "未开展年检工作", amount = 0.5 }]
exclusive = true

[[indicator.rule]]
id = "mit"
kind = "mitigation"
"""


def test_fixed_items_deduct_once_per_kind(tmp_path):
    # "缺一项扣0.1分": pre, pre, warn → two kinds → 0.2 (not three findings × 0.1 = 0.3); 0.3 − 0.2 = 0.1
    make_repo(
        tmp_path,
        ITEMS,
        findings={
            "a/f.toml": finding("f1", "df-04", "talk", "甲未谈", item='"pre"')
            + finding("f2", "df-04", "talk", "乙未谈", item='"pre"')
            + finding("f3", "df-04", "talk", "丙应诫勉未谈", item='"warn"')
        },
    )
    r = indicator(score(tmp_path), "a", "df-04")
    assert r.score == D("0.1")
    assert [(d.amount, d.finding, d.reason) for d in r.deductions] == [
        (D("0.1"), "f1", "干部任前廉政谈话：甲未谈"),
        (D("0.1"), "f3", "诫勉谈话：丙应诫勉未谈"),
    ]


def test_exclusive_tiers_take_the_heaviest_standing(tmp_path):
    # late 0.2 and none 0.5 both found: lines 0.2 + 0.5, then a correction of −0.2 → 0.5; 1.5 − 0.5 = 1
    findings = finding("f1", "sp-03", "annual", "7月未开展", item='"late"') + finding(
        "f2", "sp-03", "annual", "全年未开展", item='"none"'
    )
    make_repo(tmp_path, ITEMS, findings={"a/f.toml": findings})
    r = indicator(score(tmp_path), "a", "sp-03")
    assert [d.amount for d in r.deductions] == [D("0.2"), D("0.5"), D("-0.2")]
    assert (r.deductions[-1].kind, r.score) == ("cap", D("1"))
    # the 0.5 waived in full (a mitigation): the 0.2 tier stands alone, no correction: 1.5 − 0.2 = 1.3
    waived = findings + finding("f3", "sp-03", "mit", "经复核已开展", mitigates='"f2"')
    make_repo(tmp_path, ITEMS, findings={"a/f.toml": waived})
    r = indicator(score(tmp_path), "a", "sp-03")
    assert [d.amount for d in r.deductions] == [D("0.2"), D("0.5"), D("-0.5")]
    assert r.score == D("1.3")


@pytest.mark.parametrize(
    ("rule", "code_or_message"),
    [
        ('per_occurrence = true\nitems = [{ key = "x", name = "某项" }]', "do not combine with per_occurrence"),
        ('exclusive = true\nitems = [{ key = "x", name = "某项" }]', "needs at least two items"),
        ("exclusive = true", "needs at least two items"),
        ('items = [{ key = "x", name = "甲" }, { key = "x", name = "乙" }]', "item key 'x' is listed twice"),
    ],
)
@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_fixed_items_that_cannot_be_scored_are_refused(tmp_path, kaohe, rule, code_or_message):
    make_repo(
        tmp_path,
        f'[[indicator]]\nid = "i"\ntarget = "t"\npoints = 1\n\n[[indicator.rule]]\nid = "r"\nkind = "fixed"\namount = 0.1\n{rule}\n',
    )
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1
    assert "frameworks/t/01-c.toml:" in run.out and code_or_message in run.out


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("", "rule 'talk' deducts by item (项): add `item`"),
        ('item = "prev"', "rule 'talk' has no item 'prev' (hint: did you mean 'pre'?)"),
    ],
)
@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_a_finding_must_name_one_of_the_rules_items(tmp_path, kaohe, keys, message):
    extra = dict([keys.split(" = ")]) if keys else {}
    make_repo(tmp_path, ITEMS, findings={"a/f.toml": finding("f1", "df-04", "talk", "未谈", **extra)})
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1
    # a missing key is reported at its table ([[finding]], line 1 col 3 after the test's "\n"), a wrong one at itself
    assert f"evidence/2010/a/f.toml:{'7:1' if keys else '1:3'}: error: {message}" in run.out


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_an_item_on_a_rule_without_items_is_refused(tmp_path, kaohe):
    make_repo(tmp_path, BELOW_ZERO, findings={"a/f.toml": finding("f1", "gl", "err", "差错", item='"x"')})
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1
    assert "evidence/2010/a/f.toml:7:1: error: rule 'err' lists no items (hint: remove `item`)" in run.out


NEWS = """
[[indicator]]
id = "df-09"
target = "新闻信息3篇(条)以上(其中《黔质新风》1篇以上)。"
points = 0.6

[[indicator.rule]]
id = "news"
kind = "count"
text = "查相关资料缺1篇(条)扣0.2分。"
key = "news"
name = "新闻信息"
required = 3
amount = 0.2
measure = "篇"
of_which = [{ key = "qzxf", name = "《黔质新风》稿件", required = 1 }]
"""


def test_count_sub_quota_is_part_of_the_total(tmp_path):
    # two articles, neither in 《黔质新风》: missing = max(3 − 2, 1 − 0) = 1 → 0.2 (not 0.4); 0.6 − 0.2 = 0.4
    make_repo(
        tmp_path,
        NEWS,
        evidence={"a/n1.md": evidence("df-09", satisfies='"news"'), "a/n2.md": evidence("df-09", satisfies='"news"')},
    )
    r = indicator(score(tmp_path), "a", "df-09")
    assert r.score == D("0.4")
    assert r.deductions[0].reason == "新闻信息应3篇，实有2篇，其中《黔质新风》稿件应1篇，实有0篇，缺1篇"
    # a 《黔质新风》 article filed under its own key only counts toward both: n 3, m 1 → nothing missing
    make_repo(
        tmp_path,
        NEWS,
        evidence={
            "a/n1.md": evidence("df-09", satisfies='"news"'),
            "a/n2.md": evidence("df-09", satisfies='"news"'),
            "a/n3.md": evidence("df-09", satisfies='"qzxf"'),
        },
    )
    assert indicator(score(tmp_path), "a", "df-09").deductions == []


@pytest.mark.parametrize(
    ("of_which", "message"),
    [
        ('[{ key = "q", name = "其中", required = 4 }]', "of_which 'q' requires 4, more than the 3 in all"),
        ('[{ key = "news", name = "其中", required = 1 }]', "of_which 'news' needs a key of its own"),
    ],
)
@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_a_sub_quota_that_cannot_be_met_is_refused(tmp_path, kaohe, of_which, message):
    make_repo(tmp_path, NEWS.replace('[{ key = "qzxf", name = "《黔质新风》稿件", required = 1 }]', of_which))
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1 and message in run.out


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_interpretation_markers_name_a_field_that_holds_a_value(tmp_path):
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "i"
        target = "t"
        points = 1
        month = 12

        [indicator.interpreted]
        month = "按年底计：细则未列完成月份，按年底（12月）考核"
        weight = "指标没有这个字段"
        department = "字段存在但未设值"

        [[indicator.rule]]
        id = "r"
        kind = "fixed"
        amount = 0.5
        cap = 0.5

        [indicator.rule.interpreted]
        cap = "小项分值原则"
        text = "规则没有原文，却标了解释"
        """,
    )
    problems = load(tmp_path)[1]
    found = sorted((p.code, p.line, p.message) for p in problems if p.code.startswith("framework.interpreted"))
    # the category header takes lines 1–4, so the indicator's table starts on line 6 and the rule's on 17
    assert found == [
        ("framework.interpreted-unknown-field", 6, "'interpreted.weight' marks a field this table does not have"),
        ("framework.interpreted-unset", 6, "'interpreted.department' marks a value that is not set or is empty"),
        ("framework.interpreted-unset", 17, "'interpreted.text' marks a value that is not set or is empty"),
    ]
    assert not [p for p in problems if p.severity == "error" and not p.code.startswith("framework.interpreted")]


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_an_interpretation_needs_a_reason(tmp_path, kaohe):
    make_repo(
        tmp_path, '[[indicator]]\nid = "i"\ntarget = "t"\npoints = 1\nmonth = 12\ninterpreted = { month = "  " }\n'
    )
    (problem,) = load(tmp_path)[1]
    # the indicator's table starts on line 5 (after the 4 lines of the category header)
    assert (problem.code, problem.line, problem.col, problem.severity) == ("framework.interpreted-blank", 5, 1, "error")
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1 and "frameworks/t/01-c.toml:5:1: error: 'interpreted.month' gives no reason" in run.out
