"""`kaohe import framework` proposes `[[grade]]` bands from a document's grade provisions.

The Word document and the workbook are built here (python-docx, xlsxwriter) as bureaus write them:
the grade lines numbered above the table, or unnumbered on a 说明 sheet. Each is imported with the
real command, `kaohe check` is run on the result, and units are scored with `kaohe score` from
real findings files, so the bands are judged by the grades units get.
"""

from __future__ import annotations

import json
import time
import tomllib
from pathlib import Path

import office_2010 as doc2010
import pytest
import xlsxwriter
from conftest import said

from generator.messages import msg

#: One table of 100 points whose one rule is a discretionary range: each unit's total is 100 minus
#: what its finding deducts.
TABLE = doc2010.Table(
    "一、业务工作",
    ["序号", "目标内容", "考核标准", "分值", "完成月份"],
    [["1", "完成年度业务工作任务", "未按要求完成的，视情扣0.1-50分。", "100", "12"]],
)
HEAD = ["某市市场监督管理局", "2024年度目标绩效考核细则", "一、本细则适用于各县（区）市场监督管理局。"]
#: Grade lines as separate numbered provisions (the wording the defect report quotes).
NUMBERED = ["二、优秀90分以上（名额不超过20%）", "三、良好80-89分", "四、合格60分以上", "五、60分以下为不合格"]
#: The same bands with their scores in Chinese numerals (八十至八十九分): before, no band was read and
#: nothing was said; with one line in digits (60分以下为不合格) the warning said no band stood above it.
CHINESE = [
    "二、优秀九十分以上（名额不超过20%）",
    "三、良好八十至八十九分",
    "四、合格六十分以上",
    "五、六十分以下为不合格",
]
#: The same bands in one unnumbered sentence, with 含/不含 spelt out, and the quota on a line of its own.
SENTENCE = [
    "考核结果分为优秀、良好、合格、不合格四个等次：90分（含）以上为优秀，80分（含）至90分（不含）为良好，"
    "60分（含）至80分（不含）为合格，60分以下为不合格。",
    "优秀等次不超过参评单位总数的20%。",
]
#: The bands in one clause, each score in brackets after its title (before: only a warning, the
#: clause not read). By hand: 优秀（90分以上） from 90, 以上 including 90; 良好（80-89分） from 80, its
#: 89 meeting 90 (89.x is 良好, as 80-89分 reads on a line of its own); 合格（60-79分） from 60, 79 meeting
#: 80; 不合格（60分以下） the lowest band, below 60; the quota of 20 % from the second line.
BRACKETED = [
    "考核结果分为优秀（90分以上）、良好（80-89分）、合格（60-79分）、不合格（60分以下）四个等次。",
    "优秀等次不超过参评单位总数的20%。",
]

#: Unit → points deducted, so total = 100 − deduction.
DEDUCTED = {"a": "5", "b": "10", "c": "10.1", "d": "20", "e": "20.1", "f": "40", "g": "40.1"}


def _docx(path: Path, lines: list[str]) -> Path:
    return doc2010.write_docx(path, [TABLE], HEAD + lines)


def _xlsx(path: Path, lines: list[str]) -> Path:
    """The title on a 说明 sheet with the grade lines under it, then the table on a sheet of its own."""
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("说明")
    for n, line in enumerate(HEAD + lines):
        notes.write(n, 0, line)
    sheet = book.add_worksheet("业务工作")
    sheet.write(0, 0, TABLE.heading)
    for r, row in enumerate([TABLE.header, *TABLE.rows], start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return path


WRITERS = {"docx": _docx, "xlsx": _xlsx}


def _import(kaohe, tmp_path: Path, kind: str, lines: list[str]):
    source = WRITERS[kind](tmp_path / f"细则.{kind}", lines)
    repo = tmp_path / "repo"
    repo.mkdir()
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
    assert run.code == 0, run.err
    return repo, run.err


def _units_and_findings(repo: Path) -> None:
    year = repo / "evidence" / "2024"
    year.mkdir(parents=True)
    units = ['year = 2024\nframework = "t"\n']
    findings = []
    for unit, amount in DEDUCTED.items():
        units.append(f'\n[[unit]]\nid = "{unit}"\nname = "{unit}县局"\nseries = "units"\n')
        findings.append(
            f'\n[[finding]]\nid = "f-{unit}"\nunit = "{unit}"\nindicator = "c1-01"\nrule = "range"\n'
            f'date = 2024-11-30\nreason = "年度业务工作任务未按要求完成"\namount = {amount}\n'
        )
    (year / "units.toml").write_text("".join(units), encoding="utf-8")
    (year / "findings.toml").write_text("".join(findings), encoding="utf-8")


def _assert_units_graded(kaohe, repo: Path) -> None:
    """`kaohe check` passes with each band flagged as proposed, and `kaohe score` grades the seven units
    as worked out in test_grade_lines_become_proposed_bands_that_grade_units."""
    _units_and_findings(repo)
    check = kaohe("check", "--repo", str(repo))
    assert check.code == 0, check.out + check.err
    for band in ("优秀", "良好", "合格", "不合格"):  # proposed, as rules are: check says so until confirmed
        assert f"等次“{band}”是按文件拟定的" in check.out + check.err

    score = kaohe("score", "--repo", str(repo), "--year", "2024", "--format", "json")
    assert score.code == 0, score.err
    units = {u["id"]: u for u in json.loads(score.out)["units"]}
    got = {u: (units[u]["total"], units[u]["grade_reached"], units[u]["grade"]) for u in DEDUCTED}
    assert got == {
        "a": ("95", "优秀", "优秀"),
        "b": ("90", "优秀", "良好"),
        "c": ("89.9", "良好", "良好"),
        "d": ("80", "良好", "良好"),
        "e": ("79.9", "合格", "合格"),
        "f": ("60", "合格", "合格"),
        "g": ("59.9", "不合格", "不合格"),
    }


@pytest.mark.parametrize(
    ("kind", "lines"),
    [
        ("docx", NUMBERED),
        ("xlsx", SENTENCE),
        ("xlsx", NUMBERED),
        ("docx", CHINESE),
        ("docx", BRACKETED),
        ("xlsx", BRACKETED),
    ],
)
def test_grade_lines_become_proposed_bands_that_grade_units(kaohe, tmp_path, kind, lines):
    """Before, the lines were only comments and no unit had a grade. By hand, from the lines:
    优秀 from 90 (以上 includes 90) with at most 20 % of the units, 良好 from 80, 合格 from 60, 不合格 the rest.
    Seven units: 7 × 20% = 1.4, rounded down (the import's reading of 不超过) → 1 优秀.
      a 100 − 5    = 95   → reaches 优秀, ranks first → 优秀
      b 100 − 10   = 90   → reaches 优秀 (90 is 90分以上), but the one place is a's → 良好
      c 100 − 10.1 = 89.9 → 良好 (below 90)
      d 100 − 20   = 80   → 良好
      e 100 − 20.1 = 79.9 → 合格
      f 100 − 40   = 60   → 合格 (60分以上 includes 60; 60分以下 is what lies below it)
      g 100 − 40.1 = 59.9 → 不合格"""
    repo, _ = _import(kaohe, tmp_path, kind, lines)
    framework = tomllib.loads((repo / "frameworks/t/framework.toml").read_text(encoding="utf-8"))
    bands = [(g["title"], g.get("min_total"), g.get("min_percent"), g["proposed"]) for g in framework["grade"]]
    assert bands == [
        ("优秀", 90, None, True),
        ("良好", 80, None, True),
        ("合格", 60, None, True),
        ("不合格", None, 0, True),
    ]
    quota = framework["grade"][0]["quota"]
    assert (quota["percent"], quota["rounding"], quota["ties"]) == (20, "floor", "none")
    assert set(quota["interpreted"]) == {"rounding", "ties"}  # the document states neither
    written = (repo / "frameworks/t/framework.toml").read_text(encoding="utf-8")
    for line in lines:  # quoted above the bands, as written
        assert f"# {line}\n" in written
    assert "文件中的说明（未导入）" in written and "# 一、本细则适用于各县（区）市场监督管理局。" in written

    _assert_units_graded(kaohe, repo)


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        # 超过 / 不含 exclude 90 itself: a band can only state a minimum that is reached
        (
            ["二、90分以上（不含90分）为优秀，80-89分为良好"],
            msg("import.grades.excluded", clause="90分以上（不含90分）为优秀"),
        ),
        (["二、得分超过90分的为优秀"], msg("import.grades.excluded", clause="得分超过90分的为优秀")),
        # 86 … 89.x would be in no band
        (
            ["二、优秀90分以上", "三、良好80-85分"],
            msg("import.grades.gap", a="优秀", b="良好", low=90, high=85, unit="分"),
        ),
        # 60 would be in both
        (
            ["二、合格60分以上", "三、60分（含）以下为不合格"],
            msg("import.grades.overlap", a="合格", b="不合格", low=60, high=60, unit="分"),
        ),
        (["二、前3名为优秀"], msg("import.grades.unparsed", clause="前3名为优秀")),
        # 九十九点五 is no count: its 五 before 分 is not read as 5 points
        (
            ["二、优秀九十九点五分以上", "三、80分以下为一般"],
            msg("import.grades.unparsed", clause="优秀九十九点五分以上"),
        ),
        # as the only band it would take every unit, 100 points too
        (["二、60分以下为不合格"], msg("import.grades.lowest-alone", grade="不合格", clause="60分以下为不合格")),
    ],
)
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_grade_lines_not_read_unambiguously_stay_comments_with_the_reason(kaohe, tmp_path, kind, lines, reason):
    repo, err = _import(kaohe, tmp_path, kind, lines)
    framework = tomllib.loads((repo / "frameworks/t/framework.toml").read_text(encoding="utf-8"))
    assert "grade" not in framework  # all or none: a band left out would give its units the next one down
    written = (repo / "frameworks/t/framework.toml").read_text(encoding="utf-8")
    for line in lines:
        assert f"# {line}\n" in written
    line = lines[-1] if "gap" in reason.id or "overlap" in reason.id else lines[0]
    assert said("import.grades-unread", text=line, reason=reason) in err


#: A quota of 5000 digits: int() refuses more than 4300 digits (Python's guard against slow conversion).
HUGE_QUOTA = "9" * 5000


@pytest.mark.parametrize(
    ("lines", "clause"),
    [
        # before: 内部错误 (exit 3), int() refusing the 5000 digits
        (["二、优秀90分以上，名额不超过" + HUGE_QUOTA + "个", "三、良好90分以下"], "名额不超过" + HUGE_QUOTA + "个"),
        # before: the whole import refused (exit 1, "未通过 kaohe check") naming a file it never wrote:
        # 1,000,000,001 is more than a number in a framework may be (1,000,000,000) …
        (["二、优秀1000000001分以上", "三、良好1000000001分以下"], "优秀1000000001分以上"),
        # … 11 decimals are more than its 10 …
        (["二、优秀90.00000000001分以上", "三、良好90分以下"], "优秀90.00000000001分以上"),
        (["二、优秀90分以上（名额不超过20.12345678901%）", "三、良好90分以下"], "名额不超过20.12345678901%"),
        # … and 100001 units more than a quota may name (100000)
        (["二、优秀90分以上，名额不超过100001个", "三、良好90分以下"], "名额不超过100001个"),
    ],
    ids=["5000-digit-quota", "too-large", "too-precise", "too-precise-percent", "quota-over-100000"],
)
def test_a_number_no_grade_can_hold_keeps_the_lines_comments_with_the_reason(kaohe, tmp_path, lines, clause):
    """The table is imported; the grade lines stay comments, and the warning names the clause."""
    repo, err = _import(kaohe, tmp_path, "docx", lines)
    framework = tomllib.loads((repo / "frameworks/t/framework.toml").read_text(encoding="utf-8"))
    assert "grade" not in framework
    assert (repo / "frameworks/t/01-c1.toml").is_file()
    reason = msg("import.grades.number", clause=clause, largest="1,000,000,000", places=10, most=100000)
    assert said("import.grades-unread", text=lines[0], reason=reason) in err, err[:600]
    assert kaohe("check", "--repo", str(repo)).code == 0


def test_a_long_line_of_digits_and_grade_words_is_read_in_seconds(kaohe, tmp_path):
    """A pasted cell of 60000 digits and 100000 等次 beside a grade title took minutes (about 80 s and
    18 s on the author's machine): every search started inside the run of digits, and the words before
    the bands were looked for by trying every 等次 and scanning to the line's end. It is no band: the
    line stays a comment with the warning. The bound only separates linear from quadratic."""
    line = "二、优秀以上" + "9" * 60000 + "等次" * 100000 + "名额"
    started = time.monotonic()
    repo, err = _import(kaohe, tmp_path, "docx", [line])
    elapsed = time.monotonic() - started
    assert "等次条文未写成 [[grade]]" in err
    assert "grade" not in tomllib.loads((repo / "frameworks/t/framework.toml").read_text(encoding="utf-8"))
    assert elapsed < 30, f"{elapsed:.1f} s"


def test_a_right_to_left_mark_in_a_grade_line_is_isolated_in_the_warning(kaohe, tmp_path):
    """A right-to-left mark (U+200F, pasted from a web page) keeps 优秀‏90分以上 from being read: the
    line stays a comment, and the warning that quotes it isolates the quote (U+2068 … U+2069), as a
    problem's values are, so the mark cannot turn the wording after it around. It was printed bare."""
    clause = "优秀\u200f90分以上"
    _, err = _import(kaohe, tmp_path, "docx", ["二、" + clause, "三、良好90分以下"])
    assert f"“\u2068{clause}\u2069”的分数界限或名额" in err, ascii(err)
    assert f"条文：\u2068二、{clause}\u2069\n" in err, ascii(err)


#: The grade lines printed under the last table, as many 细则 end (考核等次, 考核结果运用), after its note.
AFTER_TABLE = [
    "二、优秀90分以上（名额不超过20%）",
    "三、良好80-89分",
    "四、合格60分以上",
    "五、60分以下为不合格",
]
TABLE_NOTE = "注：本表共100分。"
USE = "六、考核结果作为评先评优的依据。"


@pytest.mark.parametrize("writer", [doc2010.write_docx, doc2010.write_xlsx], ids=["docx", "xlsx"])
def test_grade_lines_after_the_last_table_become_proposed_bands(kaohe, tmp_path, writer):
    """Before, the lines under the last table were only that table's `note` and no band was proposed.
    They are read as the same lines above the tables are (NUMBERED): by hand, 优秀 from 90 (以上
    includes 90) with at most 20 %, 良好 from 80 (89 meets 90), 合格 from 60, 不合格 below 60; the units
    then get the grades of test_grade_lines_become_proposed_bands_that_grade_units. The note keeps
    what is no grade line: 本表共100分 (the table's weight, 100) and 考核结果运用."""
    table = doc2010.Table(TABLE.heading, TABLE.header, TABLE.rows, [TABLE_NOTE, *AFTER_TABLE, USE])
    source = writer(tmp_path / ("细则.docx" if writer is doc2010.write_docx else "细则.xlsx"), [table], HEAD)
    repo = tmp_path / "repo"
    repo.mkdir()
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
    assert run.code == 0, run.err
    framework = tomllib.loads((repo / "frameworks/t/framework.toml").read_text(encoding="utf-8"))
    bands = [(g["title"], g.get("min_total"), g.get("min_percent")) for g in framework["grade"]]
    assert bands == [("优秀", 90, None), ("良好", 80, None), ("合格", 60, None), ("不合格", None, 0)]
    assert framework["grade"][0]["quota"]["percent"] == 20
    written = (repo / "frameworks/t/framework.toml").read_text(encoding="utf-8")
    for line in AFTER_TABLE:  # quoted above the bands, as the lines above the tables are
        assert f"# {line}\n" in written
    category = tomllib.loads((repo / "frameworks/t/01-c1.toml").read_text(encoding="utf-8"))["category"]
    assert (category["note"], category["weight"]) == (f"{TABLE_NOTE}\n{USE}", 100)
    _assert_units_graded(kaohe, repo)
