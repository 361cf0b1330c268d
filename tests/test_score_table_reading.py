"""`kaohe score`'s terminal table read as a bureau reads the overview (issue 12): its columns add up
on the line (总分 = 满分 − 失分 + 加分), a tie reads 并列 as on the site and in the diff, and a
framework without grades has no 等次 column of dashes. Figures from the shipped years, worked out by
hand in the comments."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from conftest import said

ROOT = Path(__file__).resolve().parent.parent
D = Decimal


def _rows(out: str) -> tuple[list[str], dict[str, list[str]]]:
    """The header cells and each unit's cells (by unit name) of the table under its dashed rule."""
    lines = out.splitlines()
    rule = next(n for n, line in enumerate(lines) if line.startswith("----"))
    header = lines[rule - 1].split()
    rows = {}
    for line in lines[rule + 1 :]:
        if not line.strip():
            break
        cells = line.split()
        rows[cells[1]] = cells
    return header, rows


def test_2014_table_has_a_bonus_column_and_each_line_adds_up(kaohe):
    run = kaohe("score", "--repo", str(ROOT), "--year", "2014")
    assert run.code == 0, run.err
    header, rows = _rows(run.out)
    assert said("output.col.bonus") in header
    total, top, lost, bonus = (header.index(said(f"output.col.{c}")) for c in ("total", "max", "lost", "bonus"))
    # 轻纺科: 101.66 of 100 with 失分 0.34 did not add up on the line before (100 − 0.34 = 99.66); its
    # 创优 bonus of 2 is what makes it 100 − 0.34 + 2 = 101.66
    qfk = rows["轻纺科"]
    assert (qfk[total], qfk[top], qfk[lost], qfk[bonus]) == ("101.66", "100", "0.34", "2")
    # 办公室: 100 − 0.965 + 0.4 = 99.435
    assert (rows["办公室"][total], rows["办公室"][bonus]) == ("99.435", "0.4")
    for cells in rows.values():
        assert D(cells[top]) - D(cells[lost]) + D(cells[bonus]) == D(cells[total]), cells


def test_2010_table_reads_ties_as_bingle_and_has_no_empty_grade_column(kaohe):
    run = kaohe("score", "--repo", str(ROOT), "--year", "2010")
    assert run.code == 0, run.err
    header, rows = _rows(run.out)
    # 2010 has no grades: no 等次 column of "—"; nobody has bonus: no 加分 column either
    assert said("output.col.grade") not in header and said("output.col.bonus") not in header
    # 普安 and 望谟 both lost 4 of 257 (253 ÷ 257 = 98.44 %): tied third, read "3（并列）", not "3="
    tied = said("output.table.rank-tied", rank=3)
    assert rows["普安县质量技术监督局"][0] == rows["望谟县质量技术监督局"][0] == tied
    assert "3=" not in run.out
    assert rows["兴义市质量技术监督局"][0] == "1"


def test_the_detail_names_rows_by_table_and_seq_and_words_every_deduction(kaohe):
    """`--detail` lists a unit's rows as the sheet does, without ids: 兴仁 2010, table 一 (党风廉政建设工作)
    row 8 (1.62 points) loses 0.6 for a cadre's serious breach and gets 0.2 back by 酌情少扣:
    1.62 − 0.6 + 0.2 = 1.22; table 二 row 2 (5 points) does not earn the 2 of its missing 工作总结:
    5 − 2 = 3. The 2010 rules print that row's items with points of their own ("3、有工作总结。 2") and
    no 扣 (the table is 得分制, 02-biaozhun.toml), so the line reads 未得2分, never 扣2分."""
    run = kaohe("score", "--repo", str(ROOT), "--year", "2010", "--unit", "xingren", "--detail")
    assert run.code == 0, run.err
    detail = run.out.split("\n\n")[-1]
    lines = detail.splitlines()
    assert lines[0] == "兴仁县质量技术监督局"  # the name alone: no (xingren)
    assert "xingren" not in detail and "df-08" not in detail and "bz-02" not in detail
    assert lines[3].strip() == said("output.table.category", title="党风廉政建设工作")
    row8 = next(line for line in lines if line.startswith("8 ") and "收支两条线" in line)
    assert row8.split()[2:5] == [said("status.scored"), "1.22", "1.62"]
    assert "（扣0.6分）" in row8 and "（少扣0.2分）" in row8
    row = next(line for line in lines if "未得分：无工作总结" in line)
    assert row.split()[0] == "2" and "3     5" in row and row.endswith("（未得2分）")


def test_the_detail_marks_a_quarters_line_by_the_quarters_title_not_its_key(kaohe):
    """机电化矿科 2014, 二、3 电子审单和业务数据: the third quarter's 审单及时率 97.6 % is 1.4 points under
    99 %, one whole point × 0.1 = 0.1 in the quarter, × 0.25 in the year = 0.025; the data error
    reported on 10-03 for the third quarter costs 0.2 × 0.25 = 0.05; the fourth quarter's 97.2 % again
    0.1 × 0.25 = 0.025; the row 0 − 0.025 − 0.05 − 0.025 = −0.1. Each line names its quarter as the
    sheet and the workbook do (2014年第三季度×0.25：), never by the key 2014-Q3 the command line takes."""
    run = kaohe("score", "--repo", str(ROOT), "--year", "2014", "--unit", "jdhk", "--detail")
    assert run.code == 0, run.err
    detail = run.out.split("\n\n")[-1]
    assert "2014-Q" not in detail
    row = next(line for line in detail.splitlines() if "电子审单和业务数据" in line)
    assert row.split()[2:5] == [said("status.scored"), "-0.1", "0"]
    third = said("output.line.from-period", period="2014年第三季度", weight="0.25")
    fourth = said("output.line.from-period", period="2014年第四季度", weight="0.25")
    assert f"{third}电子申报审单及时率97.6%" in row and row.count(third) == 2
    assert f"{fourth}电子申报审单及时率97.2%" in row
    assert "（扣0.025分）" in row and "（扣0.05分）" in row


def test_the_detail_words_what_an_earned_row_did_not_earn_as_not_earned(kaohe):
    """辽阳 2014 第十二条: 服务绩效 is 得分制 (评分方式为得分制): a unit earns points, nothing is deducted.
    机电化矿科's 相互评价 (4 points): 满意15、基本满意8、不满意2 of 25 valid votes (不了解1 not valid), worth
    1 / 0.6 / 0: (15 + 8 × 0.6) ÷ 25 = 19.8 ÷ 25 = 79.2 %, earned 4 × 0.792 = 3.168 → 3.17 at 0.01; not
    earned 4 − 3.17 = 0.83: the line reads 未得0.83分, where it read 扣0.83分. 第十条 重点绩效 is 得分制 too:
    固体废物监管 (1.5) rated 1.2, 1.5 − 1.2 = 0.3 未得. The 扣分制 row 二、3 (第十一条) still reads 扣0.025分."""
    run = kaohe("score", "--repo", str(ROOT), "--year", "2014", "--unit", "jdhk", "--detail")
    assert run.code == 0, run.err
    detail = run.out.split("\n\n")[-1].splitlines()
    mutual = next(line for line in detail if "相互评价" in line)
    assert mutual.split()[2:5] == [said("status.scored"), "3.17", "4"]
    assert mutual.endswith(f"（{said('site.amount.miss', amount='0.83')}）") and "扣" not in mutual
    assert "（未得0.83分）" in mutual
    waste = next(line for line in detail if "进口可用作原料的固体废物" in line)
    assert waste.endswith("（未得0.3分）") and "扣" not in waste
    review = next(line for line in detail if "电子审单和业务数据" in line)
    assert "（扣0.025分）" in review and "未得" not in review
