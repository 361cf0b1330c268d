"""`kaohe import framework` on a new bureau's 考核细则: the clauses an adoption walkthrough met.

A 市场监督管理局's Word table (python-docx, through ``office_2010.write_docx``) with the wordings
such documents use beside the 2010 ones: a 一票否决, 加分 with a ceiling, "每季度不少于1次", a
heading that states the table's total, a title followed by the line saying who issued it. Each is
imported with the real command and read back with the real loader.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import office_2010 as doc2010
from conftest import said
from office_2010 import Table

from generator.load import load_repository
from generator.problems import Problems
from generator.tree import FsTree

HEADER = ["序号", "目标内容", "考核标准", "分值", "完成月份"]


def _imported(kaohe, tmp_path: Path, rows: list[list[object]], heading: str = "一、党建工作", title=None):
    """Import one table as a .docx into a new repository; the framework as kaohe loads it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    source = doc2010.write_docx(
        tmp_path / "细则.docx", [Table(heading, HEADER, rows)], title or ["某局", "2024年度考核细则"]
    )
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
    assert run.code == 0, run.err
    problems = Problems()
    loaded = load_repository(FsTree(repo), problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    return loaded.frameworks["t"], repo


def test_a_unit_veto_clause_is_proposed_not_dropped(kaohe, tmp_path):
    """ "发生重大事故的，实行一票否决" names no points, and the row prints none: it was neither a rule nor
    pending, so no warning ever showed that a person must write it. It is a proposed `unit_veto`."""
    framework, repo = _imported(kaohe, tmp_path, [["1", "安全生产", "发生重大事故的，实行一票否决", "", ""]])
    [row] = framework.indicators()
    [rule] = row.rule
    assert (rule.kind, rule.proposed, rule.text) == ("unit_veto", True, "发生重大事故的,实行一票否决")
    # the clause says nothing of the grade: only commendation is lost until a person states one
    assert (rule.max_grade, rule.grade, rule.commendation) == (None, None, False)
    assert "commendation" in rule.interpreted
    assert row.method in (None, "deduction")  # a veto earns nothing: the row is not 得分制
    run = kaohe("check", "--repo", str(repo))
    assert said("framework.rule-proposed", indicator=row.id, rule=rule.id, text=rule.text) in run.out


def test_a_row_with_only_this_item_scores_nothing_stays_a_deduction_row(kaohe, tmp_path):
    """ "发生较大以上事故的，此项不得分" alone made the row 得分制 (method = "earned"), so a veto read
    "否决·未得20分" under a 未得分 heading in a 扣分制 table."""
    framework, _ = _imported(kaohe, tmp_path, [["1", "特种设备安全", "发生较大以上事故的，此项不得分", "20", "12"]])
    [row] = framework.indicators()
    assert [r.kind for r in row.rule] == ["veto"]
    assert row.method in (None, "deduction") and framework.categories[0].method in (None, "deduction")


def test_a_bonus_with_a_ceiling_is_one_award_not_two_earned_amounts(kaohe, tmp_path):
    """ "获得省级表彰加1分，最多加2分" was read as two 得分制 items worth 1 and 2 (3 points to earn);
    "最多加2分" is the ceiling of one bonus: an `award` of at most 2 in a 加分 row."""
    framework, _ = _imported(
        kaohe,
        tmp_path,
        [
            ["1", "争先创优", "获得省级表彰加1分，最多加2分", "2", "12"],
            ["2", "质量强市", "获得国家级表彰加2分，省级加1分，最多加3分", "", "12"],
        ],
    )
    first, second = framework.indicators()
    [rule] = first.rule
    assert (first.method, rule.kind, rule.max, rule.text) == (
        "bonus",
        "award",
        Decimal(2),
        "获得省级表彰加1分,最多加2分",
    )
    [rule] = second.rule
    assert (second.method, rule.kind, rule.max) == ("bonus", "award", Decimal(3))
    assert rule.text == "获得国家级表彰加2分,省级加1分,最多加3分"


def test_a_bonus_among_deductions_stays_pending(kaohe, tmp_path):
    """A 加分 clause beside deductions is not turned into points to earn: it waits for a person."""
    framework, _ = _imported(kaohe, tmp_path, [["1", "信息", "未报送扣0.5分；被省局采用加0.2分", "2", "12"]])
    [row] = framework.indicators()
    assert [r.kind for r in row.rule] == ["fixed"] and row.rule[0].amount == Decimal("0.5")
    assert row.pending == ["被省局采用加0.2分"]
    assert row.method in (None, "deduction")


def test_a_count_per_quarter_is_counted_over_the_year_and_named_without_bu(kaohe, tmp_path):
    """ "每季度不少于1次" was a count named "每季度不" requiring 1; "不少于10篇" named "…信息不".
    A quarter's 1 is 4 in the year (1 × 4 quarters), stated as an interpretation; the name is what
    is counted, the row's target where the clause names nothing else."""
    framework, _ = _imported(
        kaohe,
        tmp_path,
        [
            ["1", "召开党组会议", "每季度不少于1次，缺一次扣0.05分", "1", "12"],
            ["2", "信息宣传", "在市级以上媒体发表信息不少于10篇，少一篇扣0.1分", "1.5", "12"],
            ["3", "学习", "每月不少于2次，缺一次扣0.01分", "1", "12"],
        ],
    )
    quarterly, articles, monthly = (row.rule[0] for row in framework.indicators())
    assert (quarterly.kind, quarterly.name, quarterly.required, quarterly.amount) == (
        "count",
        "召开党组会议",
        4,  # 1 a quarter × 4 quarters
        Decimal("0.05"),
    )
    assert "required" in quarterly.interpreted
    assert (articles.name, articles.required, articles.measure) == ("市级以上媒体发表信息", 10, "篇")
    assert not articles.interpreted
    assert (monthly.name, monthly.required) == ("学习", 24)  # 2 a month × 12 months


def test_a_shared_noun_after_a_verb_is_each_item_s(kaohe, tmp_path):
    """ "报送半年和全年总结，缺一项扣0.2分" listed "报送半年" and "全年总结"."""
    framework, _ = _imported(kaohe, tmp_path, [["1", "总结", "报送半年和全年总结，缺一项扣0.2分", "1", "12"]])
    [rule] = framework.indicators()[0].rule
    assert [i.name for i in rule.items] == ["半年总结", "全年总结"]


def test_the_table_total_in_the_heading_is_the_weight_not_the_title(kaohe, tmp_path):
    """ "一、党建工作（本表共10分）": the menus of `kaohe new` read "党建工作（本表共10分）第6项" and the
    weight docs/adopting.md promises for "本表共N分" was not read from a heading."""
    framework, _ = _imported(
        kaohe, tmp_path, [["1", "报告", "无报告扣0.3分", "5", "12"]], heading="一、党建工作（本表共10分）"
    )
    [category] = framework.categories
    assert (category.title, category.weight) == ("党建工作", Decimal(10))


def test_the_title_is_the_rules_line_not_the_line_after_it(kaohe, tmp_path):
    """A title followed by the line naming who issued it, under an 附件 number: the title is the
    line that names the 细则, the issuer what names the body, and "附件1" is neither."""
    framework, _ = _imported(
        kaohe,
        tmp_path,
        [["1", "报告", "无报告扣0.3分", "5", "12"]],
        title=["附件1", "某市市场监督管理局2024年度目标绩效考核细则", "某市人民政府办公室印发"],
    )
    assert framework.title == "某市市场监督管理局2024年度目标绩效考核细则"
    assert framework.issuer == "某市人民政府办公室印发"
    assert framework.year == 2024


def test_a_bonus_row_among_deductions_gets_a_table_of_its_own(kaohe, tmp_path):
    """A 加分 row at the end of a deduction table (how many 细则 print 获得表彰加分): imported into the
    same table, its 2 points counted in the table's 满分 and a unit not awarded lost them (`kaohe
    check` now refuses that: category.bonus-mixed). It goes to a table of its own after it, 党建工作
    （加分）, whose points stay outside the maximum."""
    framework, repo = _imported(
        kaohe,
        tmp_path,
        [
            ["1", "信息报送", "未按时报送扣0.5分", "3", "12"],
            ["2", "争先创优", "获得省级表彰加1分，最多加2分", "2", "12"],
        ],
    )
    tables = [(c.id, c.title, [i.id for i in c.indicators], c.bonus) for c in framework.categories]
    assert tables == [("c1", "党建工作", ["c1-01"], False), ("c1b", "党建工作（加分）", ["c1b-01"], True)]
    assert sorted(p.name for p in (repo / "frameworks/t").iterdir()) == ["01-c1.toml", "01-c1b.toml", "framework.toml"]


def test_check_refuses_a_bonus_row_beside_rows_that_deduct(kaohe, tmp_path):
    _, repo = _imported(kaohe, tmp_path, [["1", "信息报送", "未按时报送扣0.5分", "3", "12"]])
    path = repo / "frameworks/t/01-c1.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[indicator]]\nid = "cy"\ntarget = "争先创优"\npoints = 2\nmethod = "bonus"\n'
        + '\n[[indicator.rule]]\nid = "award"\nkind = "award"\n',
        encoding="utf-8",
    )
    run = kaohe("check", "--repo", str(repo), "frameworks")
    assert run.code == 1
    assert said("category.bonus-mixed", indicator="cy", category="党建工作") in run.out


def test_the_summary_counts_the_bonus_table_apart_and_every_row_s_rules(kaohe, tmp_path):
    """Four rows: 扣0.5分 (one fixed rule proposed), 有检查方案0.5分 (one earned checklist item
    proposed), 加1分…最多加2分 (one award proposed, its row moved to 党建工作（加分）), and 酌情扣分
    (no amount: nothing proposed, one clause left for a person). The summary counts 2 tables (c1 and
    c1b), 4 indicators, 3 rules proposed and 1 pending; the earned row of the table that also deducts
    states method = "earned" itself (the table is not 得分制)."""
    rows = [
        ["1", "信息报送", "未按时报送扣0.5分", "3", "12"],
        ["2", "检查方案", "有检查方案0.5分", "0.5", "12"],
        ["3", "争先创优", "获得省级表彰加1分，最多加2分", "2", "12"],
        ["4", "作风建设", "工作作风不实的，视情节酌情扣分", "2", "12"],
    ]
    framework, repo = _imported(kaohe, tmp_path, rows)
    assert [(c.id, len(c.indicators)) for c in framework.categories] == [("c1", 3), ("c1b", 1)]
    source = tmp_path / "细则.docx"  # the same file, imported again as another framework: the summary
    run = kaohe("import", "framework", str(source), "--id", "t2", "--repo", str(repo))
    assert run.code == 0, run.err
    assert said("import.wrote", id="t2", categories=2, indicators=4, proposed=3, pending=1) in run.out, run.out
    methods = {i.id: i.method for i in framework.indicators()}
    assert methods["c1-02"] == "earned" and methods["c1-01"] != "earned" and framework.categories[0].method != "earned"
