"""`kaohe import framework` on a bureau's 考核细则 kept in Excel: what an adoption walkthrough met.

The workbook is written with xlsxwriter as Excel saves one (a 说明 sheet before the tables, the
扣分原则 in a column of its own beside 考核标准, a 加分 row without 分值), imported with the real
command and read back with the real loader.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from conftest import said

from generator.load import load_repository
from generator.problems import Problems
from generator.tree import FsTree

HEADER = ["序号", "目标内容", "考核标准", "分值", "完成月份", "扣分原则"]
PREFACE = [
    "某市市场监督管理局",
    "2024年度目标绩效考核细则",
    "一、本细则适用于各县（区）市场监督管理局。",
    "二、考核实行百分制，扣分不超过该项分值，扣完为止。",
    "三、等次：优秀90分以上（名额不超过20%）；良好80分至89.99分。",
]


def _imported(kaohe, tmp_path: Path, rows: list[list[object]]):
    """A 说明 sheet, then one table on a sheet of its own; the framework as kaohe loads it, its
    folder and what the import said on stderr."""
    source = tmp_path / "细则.xlsx"
    book = xlsxwriter.Workbook(str(source))
    notes = book.add_worksheet("说明")
    for n, line in enumerate(PREFACE):
        notes.write(n, 0, line)
    sheet = book.add_worksheet("党建工作")
    date = book.add_format({"num_format": "m月d日"})
    sheet.write(0, 0, "一、党建工作")
    for c, label in enumerate(HEADER):
        sheet.write(1, c, label)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):  # a date cell, as Excel stores a typed "6月30日"
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    repo = tmp_path / "repo"
    repo.mkdir()
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
    assert run.code == 0, run.err
    problems = Problems()
    loaded = load_repository(FsTree(repo), problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    return loaded.frameworks["t"], repo, run.err


def test_a_notes_sheet_s_provisions_are_neither_title_nor_issuer(kaohe, tmp_path):
    """The title was "二、考核实行百分制…" (the last line naming 考核) and the issuer every other line of the
    说明 sheet run together; the year was lost with the title. The provisions are kept as comments."""
    framework, repo, _ = _imported(kaohe, tmp_path, [["1", "信息宣传", "刊发信息", "1", "12", "未刊发扣1分"]])
    assert (framework.title, framework.issuer, framework.year) == (
        "2024年度目标绩效考核细则",
        "某市市场监督管理局",
        2024,
    )
    written = (repo / "frameworks/t/framework.toml").read_text(encoding="utf-8")
    assert "# 三、等次：优秀90分以上（名额不超过20%）；良好80分至89.99分。" in written


def test_the_deduction_column_is_read_with_its_standard(kaohe, tmp_path):
    """ "全年…不少于10篇" in 考核标准 and "每少一篇扣0.3分，扣完为止" in 扣分原则 were read apart: a fixed 0.3
    per occurrence with nothing required. Together they are a count of 10 篇 at 0.3 each; a rate to
    reach beside "每低一个百分点扣0.5分" is a threshold of 95 at 0.5 a point."""
    framework, _, _ = _imported(
        kaohe,
        tmp_path,
        [
            ["1", "信息宣传", "全年在市级媒体刊发信息不少于10篇", "3", "12", "每少一篇扣0.3分，扣完为止"],
            ["2", "行政执法", "案件办结率达到95%", "40", "12", "每低一个百分点扣0.5分，扣完为止"],
        ],
    )
    count, rate = (row.rule[0] for row in framework.indicators())
    assert (count.kind, count.required, count.amount, count.measure) == ("count", 10, Decimal("0.3"), "篇")
    assert (rate.kind, rate.threshold, rate.amount) == ("threshold", Decimal(95), Decimal("0.5"))


def test_lateness_per_day_is_per_occurrence(kaohe, tmp_path):
    """ "逾期一天扣0.1分" was one 0.1 however late: 3 days late costs 3 × 0.1 = 0.3, a finding's count."""
    framework, _, _ = _imported(
        kaohe, tmp_path, [["1", "总结", "报送年度工作总结", "1", "12", "按时报送得满分，逾期一天扣0.1分"]]
    )
    [rule] = framework.indicators()[0].rule
    assert (rule.kind, rule.amount, rule.per_occurrence) == ("fixed", Decimal("0.1"), True)
    assert rule.measure == "天"  # three days late reads （3天）, not （3次）


def test_a_unit_veto_keeps_the_grade_it_names(kaohe, tmp_path):
    """ "实行一票否决，不得评为优秀": the rule's text stopped at 一票否决 and its reason said the clause names
    no grade. The text is whole and the reason says which `max_grade` to write once grades exist."""
    framework, _, _ = _imported(
        kaohe,
        tmp_path,
        [["1", "安全生产", "不发生重大责任事故", "15", "12", "出现重大责任事故，实行一票否决，不得评为优秀"]],
    )
    [rule] = framework.indicators()[0].rule
    assert rule.kind == "unit_veto" and rule.text.endswith("实行一票否决,不得评为优秀")
    assert "max_grade" in rule.interpreted["commendation"] and "优秀" in rule.interpreted["commendation"]


def test_a_unit_veto_that_gives_a_grade_says_so(kaohe, tmp_path):
    """ "实行一票否决，年度考核降为不合格" gives a grade whatever the score: `grade`, not `max_grade`."""
    clause = "发生重大事故的，实行一票否决，年度考核降为不合格"
    framework, _, _ = _imported(kaohe, tmp_path, [["1", "安全生产", "不发生重大事故", "15", "12", clause]])
    [rule] = framework.indicators()[0].rule
    assert rule.text.endswith("降为不合格") and 'grade = "不合格"' in rule.interpreted["commendation"]


def test_a_bonus_row_without_points_adds_what_its_clause_says(kaohe, tmp_path):
    """ "排名前三名的加1分" in a row without 分值 was listed, never scored (check: rules without points):
    the bonus the clause promises could not be given. Its points are the 1 it names, with the reason."""
    framework, _, _ = _imported(
        kaohe, tmp_path, [["1", "争先创优", "全省系统综合排名", None, "12", "排名前三名的加1分"]]
    )
    [row] = framework.indicators()
    assert (row.method, row.points, row.rule[0].kind) == ("bonus", Decimal(1), "award")
    assert "加1分" in row.interpreted["points"]


def test_a_sub_item_s_own_month_is_kept_and_warned_about(kaohe, tmp_path):
    """Three rows under one 序号, months "每季度末", 12月31日 and 6月30日 (date cells): only the first row's
    was read, and the June requirement was due in December without a word. It is kept in the note,
    with a warning naming its row."""
    rows = [
        ["1", "党风廉政建设", "召开专题会议，每季度不少于1次", "0.5", "每季度末", "每少一次扣0.2分"],
        [None, None, "报送年度总结", "1", dt.date(2024, 12, 31), "未报送扣1分"],
        [None, None, "开展廉政教育活动不少于2次", "0.5", dt.date(2024, 6, 30), "每少一次扣0.2分"],
    ]
    framework, _, err = _imported(kaohe, tmp_path, rows)
    [row] = framework.indicators()
    assert row.month == 12 and "完成月份：2024-06-30" in row.note and "2024-12-31" not in row.note
    assert said("import.sub-month", shown="2024-06-30", month=12) in err
    # what a clerk reads beside the 12 speaks of the rules, not of the import
    assert row.interpreted["month"] == "按年底计：细则写的完成月份“每季度末”不是某一月份，按年底（12月）考核"
