"""The appeals fixture: a small framework with appealable rules, a finding, a notice, and appeal files.

Shared by the appeal tests and the review page's appeal counts (tests/test_progress_pages.py).
"""

from __future__ import annotations

from pathlib import Path

from builders import make_repo, write

APPEAL_KINDS = """
[[appeal_kind]]
kind = "复核"
text = "对公示结果有异议的，可在公示之日起10日内申请复核，考核办10日内作出复核决定"
file_within_days = 10
decide_within_days = 10

[[appeal_kind]]
kind = "申诉"
after = "复核"
file_within_days = 15
decide_within_days = 30
"""

#: x: 10 points, discretionary deductions (range), mitigation and a veto; y: a checklist of three
#: reports at 0.1 each (no findings: an appeal names the rule); aq: a unit veto capping the grade.
INDICATORS = """
[[indicator]]
id = "x"
target = "执法"
points = 10
granularity = 0.1

[[indicator.rule]]
id = "r"
kind = "range"
min = 0.1
max = 1

[[indicator.rule]]
id = "m"
kind = "mitigation"

[[indicator.rule]]
id = "v"
kind = "veto"

[[indicator]]
id = "y"
target = "报告"
points = 0.3

[[indicator.rule]]
id = "reports"
kind = "checklist"
amount = 0.1
items = [{ key = "q1", name = "一季度报告" }, { key = "q2", name = "二季度报告" }, { key = "q3", name = "三季度报告" }]

[[indicator]]
id = "aq"
target = "安全生产"

[[indicator.rule]]
id = "cap"
kind = "unit_veto"
max_grade = "良好"
"""

GRADES = '\n[[grade]]\ntitle = "优秀"\nmin_percent = 90\n\n[[grade]]\ntitle = "良好"\nmin_percent = 0\n'

FINDING = """
[[finding]]
id = "a-01"
indicator = "x"
rule = "r"
date = 2010-11-02
reason = "执法文书不规范"
amount = 0.5
"""

NOTICE = '[[stage]]\nstage = "公示"\ndate = 2011-01-05\ndays = 7\n'


def appeal(
    target: str = 'finding = "a-01"',
    filed: str = "2011-01-10",
    decision: str = "",
    kind: str = "",
    id: str = "ap-1",
) -> str:
    text = (
        f'[[appeal]]\nid = "{id}"\n{kind}{target}\nfiled = {filed}\nfiled_by = "a单位"\ngrounds = "文书已按规范补正"\n'
    )
    return text + (f"\n[appeal.decision]\n{decision}\n" if decision else "")


def decided(outcome: str, on: str = "2011-01-18", amount: str = "") -> str:
    extra = f"amount = {amount}\n" if amount else ""
    return f'outcome = "{outcome}"\n{extra}decided_by = "考核办"\ndate = {on}\nreasoning = "经复查"'


def repo(tmp_path: Path, *appeals: str, findings: str = FINDING, stages: str = NOTICE, evidence=None) -> Path:
    files = {"a/x-findings.toml": findings, "a/x-appeal.toml": "\n".join(appeals)} if appeals else {}
    if not appeals:
        files = {"a/x-findings.toml": findings}
    make_repo(tmp_path, INDICATORS, settings=APPEAL_KINDS + GRADES, findings=files, evidence=evidence or {})
    if stages:
        write(tmp_path / "evidence/2010/stages.toml", stages)
    return tmp_path
