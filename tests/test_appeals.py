"""Appeals (复核/申诉) as records: what they contest, how decisions apply, their deadlines, the sheet.

Deadlines in these tests: 公示 starts 2011-01-05 for 7 days; a 复核 is filed within 10 days of it
(the start day not counted: by 2011-01-15) and decided within 10 days of filing; a 申诉 is filed
within 15 days of the 复核 decision and decided within 30 days.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from appeal_support import APPEAL_KINDS, FINDING, GRADES, INDICATORS, NOTICE, appeal, decided, repo
from builders import D, load, make_repo, score, write
from conftest import git, init_git

from generator.provenance import Provenance
from generator.render.pages import Site
from generator.review import build_review
from generator.score import score_assessment
from generator.score.results import AppealRecord
from generator.source import Source
from generator.validate_appeals import validate_appeals


def x_of(results, unit: str = "a"):
    return next(i for i in results.unit(unit).indicators if i.id == "x")


# -- decisions applied -------------------------------------------------------------------------------------


def test_a_change_replaces_the_amount_and_keeps_the_original(tmp_path):
    repo(tmp_path, appeal(kind='kind = "复核"\n', decision=decided("变更", amount="0.2")))
    x = x_of(score(tmp_path))
    # 10 − 0.2 (the decision) = 9.8, not 10 − 0.5
    assert x.score == D("9.8")
    (line,) = x.deductions
    assert (line.amount, line.original, line.finding) == (D("0.2"), D("0.5"), "a-01")
    (record,) = line.appeals
    assert (record.id, record.outcome, record.before, record.after) == ("ap-1", "变更", D("0.5"), D("0.2"))
    assert (record.decided, record.decided_by) == (date(2011, 1, 18), "考核办")
    # the finding itself is untouched: its file still deducts 0.5
    assert "amount = 0.5" in (tmp_path / "evidence/2010/a/x-findings.toml").read_text(encoding="utf-8")


def test_a_revocation_takes_the_deduction_to_zero(tmp_path):
    repo(tmp_path, appeal(kind='kind = "复核"\n', decision=decided("撤销")))
    x = x_of(score(tmp_path))
    assert (x.score, x.deductions[0].amount, x.deductions[0].original) == (D("10"), D("0"), D("0.5"))


def test_an_upheld_or_undecided_appeal_changes_nothing(tmp_path):
    repo(tmp_path, appeal(kind='kind = "复核"\n', decision=decided("维持")))
    x = x_of(score(tmp_path))
    assert (x.score, x.deductions[0].original) == (D("9.5"), None)
    assert (x.deductions[0].appeals[0].before, x.deductions[0].appeals[0].after) == (D("0.5"), D("0.5"))
    repo(tmp_path, appeal(kind='kind = "复核"\n'))
    x = x_of(score(tmp_path))
    (record,) = x.deductions[0].appeals
    # undecided: decision due 10 days after filing on 2011-01-10 → 2011-01-20
    assert (x.score, record.open, record.decide_by) == (D("9.5"), True, date(2011, 1, 20))


def test_a_later_appeal_has_the_last_word(tmp_path):
    # 复核 upheld on 01-18, then 申诉 (within 15 days of 01-18) changed to 0.1: 10 − 0.1 = 9.9
    repo(
        tmp_path,
        appeal(kind='kind = "复核"\n', decision=decided("维持")),
        appeal(id="ap-2", kind='kind = "申诉"\n', filed="2011-01-25", decision=decided("变更", "2011-02-10", "0.1")),
    )
    (line,) = x_of(score(tmp_path)).deductions
    assert (line.amount, line.original, [x.id for x in line.appeals]) == (D("0.1"), D("0.5"), ["ap-1", "ap-2"])
    assert [(x.before, x.after) for x in line.appeals] == [(D("0.5"), D("0.5")), (D("0.5"), D("0.1"))]


def test_a_decision_stands_for_what_was_found_and_a_mitigation_still_applies(tmp_path):
    # finding 0.5 mitigated by 0.2; the 复核 changes the finding to 0.3: 10 − 0.3 + 0.2 = 9.9
    mitigation = '\n[[finding]]\nid = "a-02"\nindicator = "x"\nrule = "m"\ndate = 2010-11-20\nreason = "自查自纠"\nmitigates = "a-01"\namount = 0.2\n'
    repo(
        tmp_path, appeal(kind='kind = "复核"\n', decision=decided("变更", amount="0.3")), findings=FINDING + mitigation
    )
    x = x_of(score(tmp_path))
    assert x.score == D("9.9")
    assert [(line.kind, line.amount) for line in x.deductions] == [("deduction", D("0.3")), ("mitigation", D("-0.2"))]


def test_an_appeal_against_an_evidence_rule_changes_its_lines(tmp_path):
    # y: q1 filed, q2 and q3 missing (0.1 each = 0.2); changed to 0.1 → 0.3 − 0.1 = 0.2
    repo(
        tmp_path,
        appeal(
            target='indicator = "y"\nrule = "reports"', kind='kind = "复核"\n', decision=decided("变更", amount="0.1")
        ),
        evidence={"a/y-q1.md": '+++\nindicator = "y"\ndate = 2010-04-01\nsatisfies = "q1"\n+++\n一季度。\n'},
    )
    y = next(i for i in score(tmp_path).unit("a").indicators if i.id == "y")
    assert y.score == D("0.2")
    assert [(line.amount, line.original) for line in y.deductions] == [(D("0.1"), D("0.1")), (D("0"), D("0.1"))]


def test_a_revoked_veto_is_shown_and_no_longer_applied(tmp_path):
    veto = '\n[[finding]]\nid = "a-03"\nindicator = "x"\nrule = "v"\ndate = 2010-12-01\nreason = "评议考核不合格"\n'
    repo(
        tmp_path,
        appeal(target='finding = "a-03"', kind='kind = "复核"\n', decision=decided("撤销")),
        findings=FINDING + veto,
    )
    x = x_of(score(tmp_path))
    # without the veto: 10 − 0.5 = 9.5; the revoked veto stays on the sheet at 0, its 10 struck through
    assert (x.status, x.score) == ("scored", D("9.5"))
    assert [(line.kind, line.amount, line.original) for line in x.deductions] == [
        ("deduction", D("0.5"), None),
        ("veto", D("0"), D("10")),
    ]


def test_a_revoked_unit_veto_no_longer_caps_the_grade(tmp_path):
    unit_veto = '[[finding]]\nid = "a-04"\nindicator = "aq"\nrule = "cap"\ndate = 2010-10-01\nreason = "较大事故"\n'
    make_repo(
        tmp_path,
        INDICATORS,
        settings=APPEAL_KINDS + GRADES,
        findings={
            "a/aq-f.toml": unit_veto,
            "a/aq-appeal.toml": appeal(target='finding = "a-04"', kind='kind = "复核"\n', decision=decided("撤销")),
        },
    )
    write(tmp_path / "evidence/2010/stages.toml", NOTICE)
    u = score(tmp_path).unit("a")
    # 9.7 of 10.3 (y: nothing filed, 0.3 lost) = 94 % → 优秀, the veto being revoked
    assert (u.grade, u.commendable, u.vetoes[0].revoked) == ("优秀", True, True)


def test_an_appeal_applies_whatever_the_scoring_date(tmp_path):
    # the decision (2011) comes after the year; scored as of 2010-12-31 it applies to what is scored then
    repo(tmp_path, appeal(kind='kind = "复核"\n', decision=decided("变更", amount="0.2")))
    assert x_of(score(tmp_path, "2010-12-31")).score == D("9.8")
    # as of 2010-10-31 the finding (2010-11-02) is not counted: nothing to appeal, but the appeal is listed
    results = score(tmp_path, "2010-10-31")
    assert x_of(results).score == D("10")
    assert [(x.id, x.before) for x in results.unit("a").appeals] == [("ap-1", None)]


def test_an_appeal_with_nothing_scored_to_contest_does_not_stop_the_next(tmp_path):
    # a-05 (June, 0.3) and a-01 (2 November, 0.5), each revoked by its own 复核: ap-1 (a-01) filed on the
    # 10th, ap-2 (a-05) on the 11th. As of 2010-10-31 a-01 is not counted yet, so ap-1 has nothing to
    # apply to; ap-2 still revokes a-05: 10 − 0 = 10 (not 10 − 0.3 = 9.7)
    june = '\n[[finding]]\nid = "a-05"\nindicator = "x"\nrule = "r"\ndate = 2010-06-01\nreason = "案卷缺页"\namount = 0.3\n'
    repo(
        tmp_path,
        appeal(kind='kind = "复核"\n', decision=decided("撤销")),
        appeal(
            target='finding = "a-05"', id="ap-2", filed="2011-01-11", kind='kind = "复核"\n', decision=decided("撤销")
        ),
        findings=FINDING + june,
    )
    x = x_of(score(tmp_path, "2010-10-31"))
    assert [(line.finding, line.amount, line.original) for line in x.deductions] == [("a-05", D("0"), D("0.3"))]
    assert x.score == D("10")


def test_every_field_of_the_record_decided_and_undecided(tmp_path):
    # one decided 复核 (with a file of its own) and, on y's checklist, one undecided 申诉 naming the rule
    with_file = appeal(kind='kind = "复核"\n', decision=decided("变更", amount="0.2")).replace(
        'grounds = "文书已按规范补正"', 'grounds = "文书已按规范补正"\nevidence = ["补正.pdf"]'
    )
    open_one = appeal(id="ap-2", target='indicator = "y"\nrule = "reports"', kind='kind = "复核"\n', filed="2011-01-08")
    repo(tmp_path, with_file, open_one)
    write(tmp_path / "evidence/2010/a/补正.pdf", "补正后的文书。")
    unit = score(tmp_path).unit("a")
    undecided, decided_one = unit.appeals  # in filing order (01-08 on y, then 01-10 on x), not the framework's
    assert decided_one == AppealRecord(
        id="ap-1",
        kind="复核",
        unit="a",
        indicator="x",
        target="a-01",
        filed=date(2011, 1, 10),
        filed_by="a单位",
        grounds="文书已按规范补正",
        evidence=["evidence/2010/a/补正.pdf"],
        source=Source(APPEAL_FILE, 1, 1),  # the [[appeal]] header, first line of the file
        outcome="变更",
        amount=D("0.2"),
        decided_by="考核办",
        decided=date(2011, 1, 18),
        reasoning="经复查",
        decide_by=date(2011, 1, 20),  # filed 01-10, 10 days to decide
        before=D("0.5"),
        after=D("0.2"),
    )
    # y: nothing filed, 3 × 0.1 missing = 0.3 contested, still open; filed 01-08, to be decided by 01-18
    assert (undecided.id, undecided.kind, undecided.indicator, undecided.target) == ("ap-2", "复核", "y", "y/reports")
    assert (undecided.filed, undecided.decide_by) == (date(2011, 1, 8), date(2011, 1, 18))
    assert (undecided.outcome, undecided.amount, undecided.decided_by, undecided.decided, undecided.reasoning) == (
        None,
        None,
        "",
        None,
        "",
    )
    assert (undecided.evidence, undecided.before, undecided.after, undecided.open) == ([], D("0.3"), D("0.3"), True)
    assert unit.open_appeals == 1


# -- what check says -------------------------------------------------------------------------------------


def problems_of(root: Path, on: date = date(2011, 1, 16)) -> list[tuple[str, str, str]]:
    repository, problems = load(root)
    a = repository.assessments[2010]
    for_appeals = type(problems)()
    validate_appeals(a, for_appeals, on)
    return [(f"{p.path}:{p.line}:{p.col}", p.code, p.severity) for p in for_appeals]


APPEAL_FILE = "evidence/2010/a/x-appeal.toml"


@pytest.mark.parametrize(("filed", "late"), [("2011-01-15", False), ("2011-01-16", True)])
def test_filed_on_the_last_day_or_one_day_late(tmp_path, filed, late):
    # 公示 from 2011-01-05, 10 days, the start not counted: the last day is 2011-01-15
    repo(tmp_path, appeal(kind='kind = "复核"\n', filed=filed))
    expected = [(f"{APPEAL_FILE}:5:1", "appeal.filed-late", "error")] if late else []  # line 5: `filed`
    assert problems_of(tmp_path) == expected


def test_a_late_appeal_recorded_as_rejected_is_only_a_warning(tmp_path):
    repo(tmp_path, appeal(kind='kind = "复核"\n', filed="2011-01-16", decision=decided("维持", "2011-01-20")))
    assert problems_of(tmp_path) == [(f"{APPEAL_FILE}:5:1", "appeal.filed-late", "warning")]


@pytest.mark.parametrize(("on", "overdue"), [(date(2011, 1, 20), False), (date(2011, 1, 21), True)])
def test_undecided_past_its_deadline(tmp_path, on, overdue):
    # filed 2011-01-10, 10 days to decide: due by 2011-01-20; on the 21st it is overdue
    repo(tmp_path, appeal(kind='kind = "复核"\n'))
    expected = [(f"{APPEAL_FILE}:1:3", "appeal.overdue", "warning")] if overdue else []  # at [[appeal]]
    assert problems_of(tmp_path, on) == expected


def test_decided_after_its_deadline(tmp_path):
    repo(tmp_path, appeal(kind='kind = "复核"\n', decision=decided("维持", "2011-01-21")))
    assert problems_of(tmp_path) == [(f"{APPEAL_FILE}:9:9", "appeal.decided-late", "warning")]  # [appeal.decision]


def test_a_second_appeal_counts_from_the_first_decision(tmp_path):
    # 复核 decided 2011-01-18; 申诉 within 15 days: by 2011-02-02. Filed 02-03: late.
    first = appeal(kind='kind = "复核"\n', decision=decided("维持"))
    repo(tmp_path, first, appeal(id="ap-2", kind='kind = "申诉"\n', filed="2011-02-02"))
    assert problems_of(tmp_path, date(2011, 2, 3)) == []
    repo(tmp_path, first, appeal(id="ap-2", kind='kind = "申诉"\n', filed="2011-02-03"))
    assert [c for _, c, _ in problems_of(tmp_path, date(2011, 2, 3))] == ["appeal.filed-late"]


def test_a_second_appeal_without_a_decided_first_one(tmp_path):
    repo(tmp_path, appeal(kind='kind = "申诉"\n'))
    assert problems_of(tmp_path) == [(f"{APPEAL_FILE}:3:1", "appeal.no-earlier-decision", "error")]  # `kind`


def test_a_second_appeal_filed_before_the_first_is_decided(tmp_path):
    # "申诉 within 15 days of the 复核 decision": a 申诉 filed on 2011-01-12 against a 复核 decided on
    # 2011-01-18 contests a decision that did not exist yet; filed on the day of the decision, it may
    first = appeal(kind='kind = "复核"\n', decision=decided("维持", "2011-01-18"))
    repo(tmp_path, first, appeal(id="ap-2", kind='kind = "申诉"\n', filed="2011-01-12"))
    assert problems_of(tmp_path, date(2011, 1, 20)) == [
        (f"{APPEAL_FILE}:17:1", "appeal.before-earlier-decision", "error")  # line 17: the second `kind`
    ]
    repo(tmp_path, first, appeal(id="ap-2", kind='kind = "申诉"\n', filed="2011-01-18"))
    assert problems_of(tmp_path, date(2011, 1, 20)) == []


def test_without_a_notice_the_deadline_cannot_be_checked(tmp_path):
    repo(tmp_path, appeal(kind='kind = "复核"\n'), stages="")
    assert problems_of(tmp_path) == [(f"{APPEAL_FILE}:1:3", "appeal.no-notice", "warning")]


@pytest.mark.parametrize(("filed", "early"), [("2011-01-04", True), ("2011-01-05", False)])
def test_filed_the_day_before_the_notice_or_on_its_first_day(tmp_path, filed, early):
    # NOTICE: 公示 from 2011-01-05 for 7 days (to 2011-01-12). 2011-01-04 is the day before it starts:
    # the results were not published yet. 2011-01-05 is its first day: published, so in time.
    # Judged on 2011-01-14 so that neither is overdue: a 复核 is decided within 10 days of filing, the
    # start not counted (2011-01-04 + 10 = 2011-01-14; 2011-01-05 + 10 = 2011-01-15).
    repo(tmp_path, appeal(kind='kind = "复核"\n', filed=filed))
    expected = [(f"{APPEAL_FILE}:5:1", "appeal.before-notice", "error")] if early else []  # line 5: `filed`
    assert problems_of(tmp_path, date(2011, 1, 14)) == expected


def test_an_appeal_history_dated_before_the_notice_is_an_error_on_each_appeal(tmp_path):
    # A 复核 and its 申诉 dated January 2010 (2011 mistyped, or the 2009 results' appeals in the 2010
    # folder): both before 公示 starts on 2011-01-05. Among themselves they are in order (the 申诉 on
    # 2010-01-25, within 15 days of the 复核 decided on 2010-01-18; each decided within its days), so
    # before this check nothing was reported. Upheld (维持), they are still errors: unlike a late
    # appeal, which happens and is rejected, an appeal before the results were published cannot.
    first = appeal(kind='kind = "复核"\n', filed="2010-01-10", decision=decided("维持", "2010-01-18"))
    second = appeal(id="ap-2", kind='kind = "申诉"\n', filed="2010-01-25", decision=decided("维持", "2010-02-01"))
    repo(tmp_path, first, second)
    # lines: the first table 1-13 (`filed` on 5, [appeal.decision] on 9), a blank line, the second from 15
    # (`filed` on 19)
    assert problems_of(tmp_path) == [
        (f"{APPEAL_FILE}:5:1", "appeal.before-notice", "error"),
        (f"{APPEAL_FILE}:19:1", "appeal.before-notice", "error"),
    ]


def test_an_appeal_before_the_notice_of_an_unknown_kind_reports_both(tmp_path):
    repo(tmp_path, appeal(kind='kind = "复议"\n', filed="2011-01-04"))
    assert problems_of(tmp_path, date(2011, 1, 14)) == [  # in the file's order: `kind` on 3, `filed` on 5
        (f"{APPEAL_FILE}:3:1", "appeal.kind-unknown", "error"),
        (f"{APPEAL_FILE}:5:1", "appeal.before-notice", "error"),
    ]


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        # lines: 1 [[appeal]], 2 id, 3 kind, 4 the target (finding, or indicator and rule on 4 and 5) …,
        # then [appeal.decision] after a blank line (line 9, column 9: its name)
        (appeal(kind='kind = "复议"\n'), "3:1", "appeal.kind-unknown"),
        # no kind: the default 申诉, which this framework counts from a decided 复核 (at the table)
        (appeal(), "1:3", "appeal.no-earlier-decision"),
        (appeal(target='finding = "a-99"', kind='kind = "复核"\n'), "4:1", "appeal.unknown-finding"),
        (appeal(target='indicator = "z"\nrule = "r"', kind='kind = "复核"\n'), "4:1", "appeal.unknown-indicator"),
        (appeal(target='indicator = "y"\nrule = "nope"', kind='kind = "复核"\n'), "5:1", "appeal.unknown-rule"),
        (appeal(target='indicator = "x"\nrule = "r"', kind='kind = "复核"\n'), "5:1", "appeal.rule-takes-findings"),
        (appeal(kind='kind = "复核"\n', decision=decided("变更", amount="0.25")), "9:9", "appeal.granularity"),
        # the finding's rule deducts 0.1-1 (扣0.1-1分): a decision cannot deduct 3, or 1.1, for it either
        (appeal(kind='kind = "复核"\n', decision=decided("变更", amount="3")), "9:9", "appeal.range-amount-outside"),
        (appeal(kind='kind = "复核"\n', decision=decided("变更", amount="1.1")), "9:9", "appeal.range-amount-outside"),
        (appeal(kind='kind = "复核"\n', decision=decided("维持", "2011-01-09")), "9:9", "appeal.decided-before-filed"),
    ],
)
def test_what_an_appeal_names_is_checked(tmp_path, text, where, code):
    repo(tmp_path, text)
    assert problems_of(tmp_path) == [(f"{APPEAL_FILE}:{where}", code, "error")]


def test_two_appeals_with_one_id_are_an_error_not_a_crash(tmp_path):
    """Found by fuzzing (an [[appeal]] block copied): the duplicate id was an internal error, exit 3,
    because the message's parameter `appeal` collided with the reporting helper's own argument.
    Lines: the first appeal's 7 lines, the blank line the two are joined by (8), then the second's
    [[appeal]] on 9 and its id on 10."""
    repo(tmp_path, appeal(kind='kind = "复核"\n'), appeal(kind='kind = "复核"\n'))
    assert problems_of(tmp_path) == [(f"{APPEAL_FILE}:10:1", "appeal.duplicate-id", "error")]


@pytest.mark.parametrize("amount", ["0", "0.1", "1"])
def test_a_changed_amount_at_either_end_of_the_range_or_zero_is_accepted(tmp_path, amount):
    # 扣0.1-1分: 0.1 and 1 are inside (≤, not <); 0 takes the deduction away, as 撤销 would
    repo(tmp_path, appeal(kind='kind = "复核"\n', decision=decided("变更", amount=amount)))
    assert problems_of(tmp_path) == []


def test_an_appeal_against_a_mitigation_or_another_units_finding(tmp_path):
    mitigation = '\n[[finding]]\nid = "a-02"\nindicator = "x"\nrule = "m"\ndate = 2010-11-20\nreason = "自查"\nmitigates = "a-01"\namount = 0.2\n'
    repo(tmp_path, appeal(target='finding = "a-02"', kind='kind = "复核"\n'), findings=FINDING + mitigation)
    assert [c for _, c, _ in problems_of(tmp_path)] == ["appeal.contests-mitigation"]
    other = tmp_path / "other"
    make_repo(
        other,
        INDICATORS,
        settings=APPEAL_KINDS + GRADES,
        units=(("a", "county"), ("b", "county")),
        findings={"a/x-findings.toml": FINDING, "b/x-appeal.toml": appeal(kind='kind = "复核"\n')},
    )
    write(other / "evidence/2010/stages.toml", NOTICE)
    assert [c for _, c, _ in problems_of(other)] == ["appeal.other-unit"]


def test_a_veto_is_upheld_or_revoked_not_changed(tmp_path):
    veto = '\n[[finding]]\nid = "a-03"\nindicator = "x"\nrule = "v"\ndate = 2010-12-01\nreason = "不合格"\n'
    repo(
        tmp_path,
        appeal(target='finding = "a-03"', kind='kind = "复核"\n', decision=decided("变更", amount="1")),
        findings=FINDING + veto,
    )
    assert [c for _, c, _ in problems_of(tmp_path)] == ["appeal.change-of-veto"]
    # scored anyway (the preview scores while the decision is being written): the 变更 does not apply to a
    # veto, which stands: 此项不得分, 0 of 10, the veto line unchanged (nothing struck)
    x = x_of(score_assessment(load(tmp_path)[0].assessments[2010]))  # type: ignore[attr-defined]
    assert (x.status, x.score) == ("vetoed", D("0"))
    assert [(line.kind, line.original) for line in x.deductions] == [("veto", None)]


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        (decided("变更"), "appeal.change-without-amount"),
        (decided("维持", amount="0.2"), "appeal.amount-without-change"),
        ('outcome = "改判"\ndecided_by = "考核办"\ndate = 2011-01-18\nreasoning = "经复查"', "model.choice"),
        ('outcome = "维持"\ndecided_by = "考核办"\ndate = 2011-01-18\nreasoning = "  "', "appeal.reason-blank"),
    ],
)
def test_a_decision_is_complete(tmp_path, decision, code):
    repo(tmp_path, appeal(kind='kind = "复核"\n', decision=decision))
    errors = [p for p in load(tmp_path)[1].errors if p.path == APPEAL_FILE]
    assert [p.code for p in errors] == [code]


def test_an_appeal_lives_in_the_units_folder_and_adds_only_its_files(tmp_path):
    repo(tmp_path)
    write(tmp_path / "evidence/2010/findings/appeals.toml", appeal(kind='kind = "复核"\n'))
    codes = [(p.path, p.code) for p in load(tmp_path)[1].errors]
    assert codes == [("evidence/2010/findings/appeals.toml", "appeal.outside-unit")]
    write(tmp_path / "evidence/2010/findings/appeals.toml", "")
    text = appeal(kind='kind = "复核"\n').replace(
        'grounds = "文书已按规范补正"', 'grounds = "补正"\nevidence = ["../b.md", "none.md"]'
    )
    write(tmp_path / "evidence/2010/a/x-appeal.toml", text)
    write(tmp_path / "evidence/2010/b.md", "不是单位的文件")
    codes = [(p.path, p.line, p.code) for p in load(tmp_path)[1].errors]
    # line 8: evidence (after id, kind, finding, filed, filed_by, grounds)
    assert codes == [(APPEAL_FILE, 8, "appeal.evidence-other-folder"), (APPEAL_FILE, 8, "appeal.evidence-missing")]


def test_check_reports_an_overdue_appeal_as_of_today(tmp_path, kaohe):
    filed = date.today() - timedelta(days=30)  # 10 days to decide: overdue by any clock
    repo(
        tmp_path,
        appeal(kind='kind = "复核"\n', filed=filed.isoformat()),
        stages=NOTICE.replace("2011-01-05", (filed - timedelta(days=1)).isoformat()),
    )
    run = kaohe("check", "--repo", str(tmp_path), "--format", "json")
    found = [(p["path"], p["line"], p["code"], p["severity"]) for p in json.loads(run.out)]
    assert found == [(APPEAL_FILE, 1, "appeal.overdue", "warning")]
    assert run.code == 0  # a warning: a late decision still counts


def test_an_appeal_before_the_notice_fails_check_and_is_never_applied(tmp_path, kaohe):
    # The reviewers' case: 公示 recorded from 2030-01-05, a 复核 filed on 2010-06-01 and decided 撤销,
    # which would lift a's deduction of 0.5 if applied.
    repo(
        tmp_path,
        appeal(kind='kind = "复核"\n', filed="2010-06-01", decision=decided("撤销", "2010-06-08")),
        stages=NOTICE.replace("2011-01-05", "2030-01-05"),
    )
    run = kaohe("check", "--repo", str(tmp_path), "--format", "json")
    (problem,) = json.loads(run.out)
    assert run.code == 1
    assert (problem["path"], problem["line"], problem["col"], problem["code"], problem["severity"]) == (
        APPEAL_FILE,
        5,
        1,
        "appeal.before-notice",
        "error",
    )
    assert problem["message"] == (
        "复核于 2010-06-01 提出，早于公示开始的日期 2030-01-05：复核针对已经公示的结果，不能在公示之前提出"
    )
    # 7 days from 2030-01-05, the start not counted: to 2030-01-12
    assert problem["hint"].startswith("本年度公示自 2030-01-05 起 7 天，至 2030-01-12 止：请把 `filed` 改为")
    # what would apply it refuses instead: scoring, and publishing the year for 公示 from its tag
    assert kaohe("score", "--repo", str(tmp_path), "--format", "json").code == 1
    init_git(tmp_path)
    git(tmp_path, "tag", "results-2010-gongshi")
    run = kaohe("publish", "--repo", str(tmp_path))
    assert run.code == 1 and f"{APPEAL_FILE}:5:1" in run.err and not (tmp_path / "site").exists()


# -- outputs ---------------------------------------------------------------------------------------------


def test_json_carries_the_history(tmp_path, kaohe):
    repo(tmp_path, appeal(kind='kind = "复核"\n', decision=decided("变更", amount="0.2")))
    run = kaohe("score", "--repo", str(tmp_path), "--format", "json")
    unit = json.loads(run.out)["units"][0]
    line = next(i for i in unit["indicators"] if i["id"] == "x")["deductions"][0]
    assert (line["amount"], line["original_amount"]) == ("0.2", "0.5")
    (history,) = line["appeals"]
    assert history["decision"] == {
        "outcome": "变更",
        "amount": "0.2",
        "decided_by": "考核办",
        "date": "2011-01-18",
        "reasoning": "经复查",
    }
    assert (history["filed"], history["before"], history["after"], history["source"]) == (
        "2011-01-10",
        "0.5",
        "0.2",
        f"{APPEAL_FILE}:1",
    )
    assert unit["open_appeals"] == 0 and [x["id"] for x in unit["appeals"]] == ["ap-1"]


def test_the_sheet_strikes_the_original_and_shows_the_decision(tmp_path):
    repo(
        tmp_path,
        appeal(kind='kind = "复核"\n', decision=decided("变更", amount="0.2")),
        appeal(id="ap-2", target='indicator = "y"\nrule = "reports"', kind='kind = "复核"\n'),
    )
    repository, _ = load(tmp_path)
    a = repository.assessments[2010]
    site = Site(a, score_assessment(a), Provenance(commit=None, source_url=None, draft=True, tag=None))
    sheet = site.render(next(p for p in site.pages() if p.kind == "sheet"))
    assert '<del class="kh-amt-original" title="原扣分">扣0.5分</del>' in sheet
    assert "变更（2011-01-18，考核办）</strong>：变更为0.2分（0.5分 → 0.2分）" in sheet
    assert "复核：2011-01-10，a单位" in sheet and "理由：文书已按规范补正" in sheet
    assert "待决定</strong>（应于2011-01-20前决定）" in sheet  # ap-2 against y's missing reports
    overview = site.render(next(p for p in site.pages() if p.kind == "overview"))
    assert "复核与申诉共2件，其中待决定1件。" in overview


def test_review_counts_appeals_by_outcome(tmp_path):
    repo(
        tmp_path,
        appeal(kind='kind = "复核"\n', decision=decided("变更", amount="0.2")),
        appeal(id="ap-2", target='indicator = "y"\nrule = "reports"', kind='kind = "复核"\n'),
    )
    repository, _ = load(tmp_path)
    review = {i.id: i for i in build_review(repository.assessments[2010]).indicators}
    x, y = review["x"].appeals, review["y"].appeals
    assert (x.appealed, x.changed, x.overturned, x.open) == (1, 1, 1, 0)
    assert (y.appealed, y.open, y.decided) == (1, 1, 0)
    assert "mostly_overturned" in review["x"].flags  # 1 of 1 decided appeals lowered the deduction
