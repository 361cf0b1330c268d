"""`kaohe score --format csv-excel | csv-wide`: CSV that Excel opens in Chinese; the plain csv unchanged."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from conftest import FIXTURES, ROOT

BOM = "\ufeff".encode()


def _score(capsysbinary, *args: str) -> bytes:
    from generator.cli import main

    assert main(["score", "--repo", str(ROOT), *args]) == 0
    return capsysbinary.readouterr().out


def _rows(data: bytes) -> list[list[str]]:
    """Excel decodes a CSV as UTF-8 only when it starts with the byte-order mark (else as GBK: mojibake)."""
    assert data.startswith(BOM)
    text = data[len(BOM) :].decode("utf-8")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("year", [2010, 2014])
def test_long_form_for_excel(capsysbinary, year):
    units = json.loads(_score(capsysbinary, "--year", str(year), "--format", "json"))["units"]
    rows = _rows(_score(capsysbinary, "--year", str(year), "--format", "csv-excel"))
    assert rows[0][:9] == ["年度", "单位代码", "单位", "序列", "名次", "并列", "总分", "满分", "等次"]
    # both years list 扣分制 rows and 得分制 rows (2010 tables 二, 六, 九; 辽阳 第十条, 第十二条): 失分, and
    # reasons of both kinds (a 扣分制-only year keeps 扣分 / 扣分理由: test_headers_follow_the_rows_listed)
    assert rows[0][9:] == ["类别", "序号", "指标代码", "指标", "状态", "分值", "得分", "失分", "扣分或未得分理由"]
    expected = [(u, i) for u in units for i in u["indicators"]]
    assert len(rows) - 1 == len(expected)
    for row, (unit, ind) in zip(rows[1:], expected, strict=True):
        record = dict(zip(rows[0], row, strict=True))
        assert (record["单位代码"], record["指标代码"], record["序号"]) == (unit["id"], ind["id"], ind["seq"])
        assert Decimal(record["总分"]) == Decimal(unit["total"])
        if ind["status"] in ("scored", "vetoed"):
            assert Decimal(record["得分"]) == Decimal(ind["score"])
            # 创优绩效 (第十三条) is 加分: a unit not awarded a bonus lost nothing
            lost = Decimal(0) if record["类别"] == "六、创优绩效" else Decimal(ind["max"]) - Decimal(ind["score"])
            assert Decimal(record["失分"]) == lost
        else:
            assert record["得分"] == record["失分"] == ""
        for line in ind["deductions"]:
            assert line["reason"] in record["扣分或未得分理由"]


def test_headers_follow_the_rows_listed(capsysbinary):
    """The progress fixture's rows all deduct (扣分制): 扣分 / 扣分理由 as before. 辽阳 2014's 获得上级表彰
    (创优绩效, 加分 up to 1): 办公室 was awarded nothing and lost nothing, 0 (it read 1 = 1 − 0)."""
    from generator.cli import main

    assert main(["score", "--repo", str(FIXTURES / "progress"), "--year", "2020", "--format", "csv-excel"]) == 0
    rows = _rows(capsysbinary.readouterr().out)
    assert rows[0][-2:] == ["扣分", "扣分理由"]
    rows = _rows(_score(capsysbinary, "--year", "2014", "--format", "csv-excel"))
    record = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[1] == "bgs" and r[11] == "cy-01")
    assert (record["分值"], record["得分"], record["失分"]) == ("1", "0", "0")


@pytest.mark.parametrize("year", [2010, 2014])
def test_wide_form_one_row_per_unit(capsysbinary, year):
    units = json.loads(_score(capsysbinary, "--year", str(year), "--format", "json"))["units"]
    rows = _rows(_score(capsysbinary, "--year", str(year), "--format", "csv-wide"))
    header = rows[0]
    categories = [c["title"] for c in units[0]["categories"]]
    assert header[:9] == ["名次", "单位代码", "单位", "序列", "总分", "满分", "失分", "加分", "等次"]
    assert [h.split("、", 1)[1] for h in header[9 : 9 + len(categories)]] == categories
    assert len(header) == 9 + len(categories) + len(units[0]["indicators"])
    assert [r[1] for r in rows[1:]] == [u["id"] for u in units]
    for row, unit in zip(rows[1:], units, strict=True):
        assert Decimal(row[4]) == Decimal(unit["total"])
        assert [Decimal(v) for v in row[9 : 9 + len(categories)]] == [Decimal(c["score"]) for c in unit["categories"]]


def test_plain_csv_is_unchanged_for_scripts(capsysbinary):
    data = _score(capsysbinary, "--year", "2010", "--format", "csv")
    assert not data.startswith(BOM)
    assert data.decode("utf-8").splitlines()[0].startswith("year,unit,name,series,rank")


def test_formula_like_text_stays_text(mini, capsysbinary):
    from generator.cli import main

    findings = mini / "evidence/2010/xingren/findings.toml"
    findings.write_text(
        findings.read_text(encoding="utf-8").replace("稽查股股长违规收取企业礼金，经查属严重违纪", "=1+1"),
        encoding="utf-8",
    )
    assert main(["score", "--repo", str(mini), "--format", "csv-excel"]) == 0
    rows = _rows(capsysbinary.readouterr().out)
    reasons = [r[-1] for r in rows[1:] if "1+1" in r[-1]]
    assert reasons and all(not r.startswith("=") for r in reasons)


@pytest.mark.parametrize("form", ["csv-excel", "csv-wide"])
def test_the_series_column_names_the_series_as_the_workbook_does(capsysbinary, form):
    """序列 is read in Excel by the 绩效办: the series' title from framework.toml (县（市）局), as the
    exported workbook and the site print it, never its id (county); 单位代码 is the one id column."""
    rows = _rows(_score(capsysbinary, "--year", "2010", "--format", form))
    column = rows[0].index("序列")
    assert {row[column] for row in rows[1:]} == {"县（市）局"}
    rows = _rows(_score(capsysbinary, "--year", "2014", "--format", form))
    assert {row[column] for row in rows[1:]} == {"行政管理科室", "业务管理科室", "直属单位"}


def test_the_score_table_names_the_series(capsys):
    """The terminal table a leader reads names the series (县（市）局), not its id (county)."""
    from generator.cli import main

    assert main(["score", "--repo", str(ROOT), "--year", "2010"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rule = next(n for n, line in enumerate(lines) if line.startswith("----"))
    # a tie's rank (3（并列）) fills its column, so a row need not start with a space
    rows = [line for line in lines[rule + 1 :] if line.lstrip()[:1].isdigit()]
    assert len(rows) == 8  # the eight county bureaus, each on a line starting with its rank
    assert all("县（市）局" in row and "county" not in row for row in rows)


@pytest.mark.parametrize("form", ["csv-excel", "csv-wide"])
def test_an_invented_grade_says_so_as_in_the_table_and_site(capsysbinary, form):
    """Issue 11: the 2014 grade bands are invented (拟定示例 in framework.toml), so every grade a
    person reads says so. The terminal table, the workbook and the site's CSV printed 优秀（拟定示例）;
    the CSV for Excel printed a bare 优秀. 2011's 良好 (note 拟定示例, 4 characters) reads
    良好（拟定示例）; its 优秀's note is a sentence (拟定示例：得分率99%以上…) whose lead before "："
    is printed beside it, 优秀（拟定示例）, as in the table (it was printed bare)."""
    rows = _rows(_score(capsysbinary, "--year", "2014", "--format", form))
    column = rows[0].index("等次")
    # all eight 2014 units reach 优秀 (办公室 99.435 % … 机电化矿科 96.95 %, band 拟定示例)
    assert {row[column] for row in rows[1:]} == {"优秀（拟定示例）"}
    rows = _rows(_score(capsysbinary, "--year", "2011", "--format", form))
    assert {row[column] for row in rows[1:]} == {"优秀（拟定示例）", "良好（拟定示例）"}
