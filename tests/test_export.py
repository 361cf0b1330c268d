"""`kaohe export`: workbooks of both shipped years read back cell by cell against `kaohe score --format json`."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, init_git, said

from generator.messages import msg, tr
from generator.output.xlsx import sheet_names
from generator.render.years import load_year
from generator.types import round_to

SITE = "https://kaohe.example.gov.cn/results"
ORGANIZATION = {2010: "qianxinan-qts", 2014: "liaoyang-ciq"}  # each year's folder in the site: <organization>/<year>
CN = "一二三四五六七八九十"
STATUS = {"not_applicable": "不适用", "not_due": "未到期", "unscored": "不计分"}


def _number(cell) -> Decimal:
    """A numeric cell as a Decimal from its string form (what the issue asks the comparison to use)."""
    assert cell.data_type == "n" and isinstance(cell.value, int | float), (cell.coordinate, cell.value)
    return Decimal(str(cell.value))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[int, tuple[Path, dict]]:
    from generator.cli import main

    out = {}
    base = tmp_path_factory.mktemp("export")
    for year in (2010, 2014):
        path = base / f"{year}.xlsx"
        assert main(["export", "--repo", str(ROOT), "--year", str(year), "-o", str(path), "--site-url", SITE]) == 0
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator.cli",
                "score",
                "--repo",
                str(ROOT),
                "--year",
                str(year),
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        out[year] = (path, json.loads(done.stdout))
    return out


def _precision(year: int) -> Decimal | None:
    from generator.workspace import open_year

    framework = open_year(str(ROOT), None, year)[1].framework
    return None if framework.period else framework.precision


def _same(cell, value: str | None, precision: Decimal | None) -> None:
    """The cell holds the JSON's decimal exactly. A year scored once has it at the framework's precision;
    a year rolled up from periods (2014, `precision` None) keeps the weighted figures (0.25 × 0.1 =
    0.025) unrounded."""
    expected = Decimal(value)
    assert _number(cell) == expected, (cell.coordinate, cell.value, value)
    assert precision is None or round_to(expected, precision) == expected, (cell.coordinate, value)


@pytest.mark.parametrize("year", [2010, 2014])
def test_summary_sheet_matches_score_json(exported, year):
    path, data = exported[year]
    precision = _precision(year)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "汇总"
    sheet = book["汇总"]
    header = [c.value for c in sheet[3]]
    categories = [c["title"] for c in data["units"][0]["categories"]]
    by_rate = data["rank_by"] == "rate"  # 2010: units of one series have different maxima (二.1)
    rate = ["得分率(%)"] if by_rate else []
    assert header == ["名次", "单位", "序列", "总分", "满分", "失分", *rate, "加分", "等次", "否决", *categories]
    rows = list(sheet.iter_rows(min_row=4, max_row=3 + len(data["units"])))
    assert len(rows) == len(data["units"]) and sheet.cell(4 + len(data["units"]), 2).value is None
    for row, unit in zip(rows, data["units"], strict=True):
        assert (row[0].value, row[1].value) == (unit["rank"], unit["name"])
        assert row[0].data_type == "n"
        _same(row[3], unit["total"], precision)
        _same(row[4], unit["max"], precision)
        lost = Decimal(unit["max"]) - (Decimal(unit["total"]) - Decimal(unit["bonus"]))  # 失分 = 满分 − (总分 − 加分)
        assert _number(row[5]) == lost
        if by_rate:
            assert _number(row[6]) == Decimal(unit["rate"])
            row = row[:6] + row[7:]
        _same(row[6], unit["bonus"], precision)
        # a grade prints with its band's short note (优秀（拟定示例）) where the band has one
        note = unit["band_note"] or ""
        assert (row[7].value or None) == (f"{unit['grade']}（{note}）" if 0 < len(note) <= 8 else unit["grade"])
        vetoed = [i for i in unit["indicators"] if i["status"] == "vetoed"]
        assert bool(row[8].value) == bool(vetoed)
        if year == 2010 and unit["id"] == "anlong":  # 三、4 本项不得分, named as the sheet and the site print it
            assert "三、4" in row[8].value and "三.4" not in row[8].value, row[8].value
        for cell, category in zip(row[9:], unit["categories"], strict=True):
            _same(cell, category["score"], precision)
        assert row[1].hyperlink.location.startswith("'") and row[1].hyperlink.location.endswith("'!A1")


@pytest.mark.parametrize("year", [2010, 2014])
def test_every_unit_sheet_matches_score_json(exported, year):
    path, data = exported[year]
    precision = _precision(year)
    book = openpyxl.load_workbook(path)
    names = sheet_names([u["name"] for u in data["units"]])
    assert book.sheetnames == ["汇总", *names]
    earned = _earned_indicators(year)
    bonus_tables, bonus_rows = _bonus(year)
    for unit, name in zip(data["units"], names, strict=True):
        sheet = book[name]
        assert [c.value for c in sheet[3]][:8] == [
            "序号",
            "目标内容",
            "考核标准",
            "分值",
            "完成月份",
            "得分",
            "扣分",
            "扣分理由",
        ]
        rows = iter(sheet.iter_rows(min_row=4))
        indicators = {}
        for ind in unit["indicators"]:
            indicators.setdefault(ind["category"], []).append(ind)
        for n, category in enumerate(unit["categories"]):
            head = next(rows)
            assert (head[0].value, head[1].value) == (CN[n], category["title"])
            _same(head[3], category["raw_max"], precision)
            _same(head[5], category["raw_score"], precision)
            lost = Decimal(category["raw_max"]) - Decimal(category["raw_score"])
            assert _number(head[6]) == (0 if category["id"] in bonus_tables else lost)
            for ind in indicators[category["id"]]:
                row = next(rows)
                assert (row[0].value or "") == ind["seq"], (name, ind["id"])
                if ind["points"] is None:
                    assert row[3].value is None
                else:
                    _same(row[3], ind["points"], precision)
                assert row[4].value == ind["month"]
                if ind["status"] in ("scored", "vetoed"):
                    _same(row[5], ind["score"], precision)
                    lost = Decimal(ind["max"]) - Decimal(ind["score"])
                    assert _number(row[6]) == (0 if ind["id"] in bonus_rows else lost), (name, ind["id"])
                else:
                    assert row[5].value == STATUS[ind["status"]] and row[6].value is None
                lines = [*ind["deductions"], *ind["awards"]]
                text = row[7].value or ""
                assert text.count("\n") == max(len(lines) - 1, 0), (name, ind["id"])
                titles = {p["period"]: p["title"] for p in unit.get("periods") or []}
                for line, printed in zip(lines, text.split("\n"), strict=False):
                    amount = Decimal(line["amount"])
                    sign = "+" if line["kind"] == "award" or amount < 0 else "−"
                    effect = f"{sign}{abs(amount).normalize():f}"
                    if ind["id"] in earned and line["kind"] not in ("award", "veto"):
                        effect = said("site.amount.miss" if amount >= 0 else "site.amount.miss_less", amount=effect[1:])
                    # a line the year took from a quarter names it: 2014年第一季度×0.25：…
                    came_from = f"{titles[line['period']]}×{line['weight']}：" if line.get("period") else ""
                    assert printed == f"{came_from}{line['reason']}（{effect}）"
                _links(row[8], lines, unit["id"], ind["id"], year)
        for adjustment in unit["adjustments"]:
            row = next(rows)
            _same(row[5], adjustment["amount"], precision)
        total = next(rows)
        assert total[1].value == "合计"
        _same(total[3], unit["max"], precision)
        _same(total[5], unit["total"], precision)


def _earned_indicators(year: int) -> set[str]:
    """The ids of the year's 得分制 rows (the JSON contract does not say a row's method)."""
    framework = load_year(ROOT, year).assessment.framework
    return {i.id for c in framework.categories for i in c.indicators if i.method == "earned"}


def _bonus(year: int) -> tuple[set[str], set[str]]:
    """The ids of the year's 加分 tables and rows: a unit not awarded a bonus lost nothing there."""
    framework = load_year(ROOT, year).assessment.framework
    rows = {i.id for c in framework.categories for i in c.indicators if i.method == "bonus"}
    return {c.id for c in framework.categories if c.indicators and all(i.id in rows for i in c.indicators)}, rows


def test_a_bonus_row_not_awarded_lost_nothing_and_the_column_adds_up(exported):
    """The 扣分 column printed an unawarded 加分 row's points (辽阳 创优绩效: 扣分 1 on a row that can
    only add), so the rows' 扣分 added up to more than the 合计 row's 失分 (which leaves bonuses out)
    and disagreed with csv-excel, which prints 0 for such a row."""
    path, data = exported[2014]
    book = openpyxl.load_workbook(path)
    tables, rows = _bonus(2014)
    assert tables and rows
    names = sheet_names([u["name"] for u in data["units"]])
    for unit, name in zip(data["units"], names, strict=True):
        sheet = book[name]
        titles = {c["title"]: c["id"] for c in unit["categories"]}
        lost = Decimal(0)
        for row in sheet.iter_rows(min_row=4):
            if row[1].value == "合计":
                # Σ of the table rows' 扣分 = the unit's 失分 (max − (total − bonus))
                assert lost == _number(row[6]), name
                break
            if row[1].value in titles:
                if titles[row[1].value] in tables:
                    assert _number(row[6]) == 0, (name, row[1].value)
                lost += _number(row[6])


def _links(cell, lines: list[dict], unit: str, indicator: str, year: int) -> None:
    """One evidence file behind a row's lines: its site page; else the row on the site's score sheet."""
    if not lines:
        assert cell.hyperlink is None
        return
    evidence = sorted({p for line in lines for p in line["evidence"]})
    link = cell.hyperlink.target + (f"#{cell.hyperlink.location}" if cell.hyperlink.location else "")
    if len(evidence) == 1:
        page = evidence[0].removeprefix(f"evidence/{year}/")
        assert link == f"{SITE}/{ORGANIZATION[year]}/{year}/evidence/{page[: -len('.md')]}.html"
    else:
        assert link == f"{SITE}/{ORGANIZATION[year]}/{year}/units/{unit}.html#ind-{indicator}"


def test_print_setup(exported):
    path, data = exported[2010]
    book = openpyxl.load_workbook(path)
    for name in book.sheetnames:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9  # A4
        # one page wide (fitToWidth left out means 1 in the file format), as many pages down as needed
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$3:$3" and sheet.freeze_panes == "A4"
        assert "2010年度" in sheet.oddHeader.center.text
    unit = data["units"][0]
    sheet = book[unit["name"]]
    assert unit["name"] in sheet.oddHeader.center.text
    assert sheet.print_area == f"'{unit['name']}'!$A$1:$H${sheet.max_row}"
    assert "考核人（签字）" in str(sheet.cell(sheet.max_row, 2).value)
    widths = {n: d.width for d in sheet.column_dimensions.values() for n in range(d.min, d.max + 1)}
    assert widths[2] >= 40 and widths[3] >= 40 and widths[8] >= 30  # 20 Chinese characters a line, or more
    long_texts = [c for col in "BCH" for c in sheet[col][3:] if isinstance(c.value, str) and len(c.value) > 20]
    assert long_texts and all(c.alignment.wrap_text for c in long_texts if "（签字）" not in c.value)


def test_values_the_document_does_not_print_carry_their_reason(exported):
    """四's rows print no month; the framework reads December and says why: the cell's note says it too."""
    from generator.workspace import open_year

    path, data = exported[2010]
    framework = open_year(str(ROOT), None, 2010)[1].framework
    reason = next(i for i in framework.indicators() if i.id == "sp-01").interpreted["month"]
    sheet = openpyxl.load_workbook(path)[data["units"][0]["name"]]
    notes = {c.value: c.comment.text for row in sheet.iter_rows() for c in row[4:5] if c.comment}
    assert notes and notes[12] == f"解释：{reason}"
    month_one = [c for row in sheet.iter_rows(min_row=4) for c in row[4:5] if c.value == 9]  # 一.2, printed
    assert month_one and all(c.comment is None for c in month_one)


def test_standard_column_holds_the_deduction_principles_too(exported):
    """三's 扣分原则 is a column of its own in the document (`principle`): the sheet prints it under 考核标准."""
    from generator.workspace import open_year

    path, data = exported[2010]
    zf01 = next(i for i in open_year(str(ROOT), None, 2010)[1].framework.indicators() if i.id == "zf-01")
    sheet = openpyxl.load_workbook(path)[data["units"][0]["name"]]
    cells = [r[2].value for r in sheet.iter_rows(min_row=4) if r[2].value and r[2].value.startswith(zf01.standard)]
    assert cells == [f"{zf01.standard}\n扣分原则：{zf01.principle}"]


def test_an_earned_tables_lines_read_not_earned_in_the_workbook(exported):
    """辽阳 2014 第十二条 服务绩效 评分方式为得分制: 机电化矿科's 相互评价 earns (15 + 8 × 0.6) ÷ 25 × 4 =
    3.168 → 3.17 of 4; the workbook printed "（−0.83）" under 扣分理由, a deduction. It now reads
    未得0.83分, and the 服务绩效 header row says its 扣分 column holds points not earned (4 + 4 + 2 + 2 = 12
    points, 0.83 + 0.64 + 0.44 + 0.44 = 2.35 not earned). The 扣分制 tables keep −0.025 and 小计."""
    path, _ = exported[2014]
    sheet = openpyxl.load_workbook(path)["机电化矿科"]
    head = next(row for row in sheet.iter_rows(min_row=4) if row[1].value == "服务绩效")
    assert _number(head[3]) == 12 and _number(head[6]) == Decimal("2.35")
    assert head[7].value == said("xlsx.subtotal.earned", note=said("xlsx.subtotal"))
    texts = [str(row[7].value or "") for row in sheet.iter_rows(min_row=4)]
    line = next(t for t in texts if t.startswith("测评得分率79.20%"))
    assert line.endswith("（未得0.83分）") and "−0.83" not in line
    assert any(t.endswith("（−0.025）") for t in texts)  # 二、3 电子审单 (扣分制), 0.1 × 0.25
    management = next(row for row in sheet.iter_rows(min_row=4) if row[1].value == "管理绩效")
    assert management[7].value == said("xlsx.subtotal")


def test_one_unit_and_no_links_without_a_site(tmp_path, kaohe):
    path = tmp_path / "one.xlsx"
    run = kaohe("export", "--repo", str(ROOT), "--year", "2010", "--unit", "xingren", "-o", str(path))
    assert run.code == 0, run.err
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["汇总", "兴仁县质量技术监督局"]
    assert book["汇总"].max_row == 4
    sheet = book["兴仁县质量技术监督局"]
    assert all(c.hyperlink is None for row in sheet.iter_rows() for c in row)
    assert sheet.max_column == 8  # no 依据 column without a site


def test_the_same_results_give_the_same_bytes(tmp_path, kaohe):
    for name in ("a.xlsx", "b.xlsx"):
        assert kaohe("export", "--repo", str(ROOT), "--year", "2014", "-o", str(tmp_path / name)).code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_text_that_looks_like_a_formula_stays_text(mini, tmp_path, kaohe):
    findings = mini / "evidence/2010/xingren/findings.toml"
    text = findings.read_text(encoding="utf-8").replace(
        'reason = "稽查股股长违规收取企业礼金，经查属严重违纪"',
        'reason = "=HYPERLINK(\\"http://x.invalid\\",\\"点击\\")"',
    )
    findings.write_text(text, encoding="utf-8")
    path = tmp_path / "f.xlsx"
    assert kaohe("export", "--repo", str(mini), "-o", str(path)).code == 0
    sheet = openpyxl.load_workbook(path)["兴仁县质监局"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("=HYPERLINK") for c in cells)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["-o", "x.csv"], "export.not-xlsx"),
        (["-o", "evidence/2010/x.xlsx"], "export.inside-data"),
        (["-o", "nowhere/x.xlsx"], "export.no-folder"),
        (["-o", "x.xlsx", "--site-url", "javascript:alert(1)"], "export.bad-url"),
    ],
)
def test_refusals(mini, monkeypatch, args, code):
    from generator.cli import build_parser
    from generator.problems import InputError

    monkeypatch.chdir(mini)
    parsed = build_parser().parse_args(["export", "--repo", str(mini), *args])
    with pytest.raises(InputError) as caught:
        parsed.run(parsed)
    assert caught.value.code == code
    assert not list(mini.rglob("*.xlsx"))


def test_a_workbook_is_never_written_into_git_s_own_folder(mini, tmp_path, kaohe):
    """git's folder holds the repository's history like evidence/ holds its files: neither `export`
    nor `pdf` writes there (they refused evidence/ and frameworks/ only)."""

    init_git(mini)
    before = sorted(p.name for p in (mini / ".git").iterdir())
    run = kaohe("export", "--repo", str(mini), "-o", str(mini / ".git/x.xlsx"))
    assert run.code == 1 and said("export.inside-data", output=str(mini / ".git/x.xlsx"), folder=".git/") in run.err
    run = kaohe("pdf", "--repo", str(mini), "--year", "2010", "-o", str(mini / ".git/pdf"))
    assert run.code == 1 and ".git/" in run.err
    assert sorted(p.name for p in (mini / ".git").iterdir()) == before


def test_site_url_from_mkdocs_yml(mini, tmp_path, kaohe):
    """Without --site-url the export links to the site that mkdocs.yml names, read without running its tags."""
    (mini / "mkdocs.yml").write_text(
        "INHERIT: " + str(ROOT / "generator/render/mkdocs.yml") + "\nsite_url: https://jx.example/k/\n"
    )
    path = tmp_path / "s.xlsx"
    assert kaohe("export", "--repo", str(mini), "-o", str(path)).code == 0
    links = [
        c.hyperlink.target for r in openpyxl.load_workbook(path)["兴仁县质监局"].iter_rows() for c in r if c.hyperlink
    ]
    assert links and all(t.startswith("https://jx.example/k/default/2010/") for t in links)  # no organization named
    (mini / "mkdocs.yml").write_text("site_url: !!python/object/apply:os.system ['touch pwned']\n")
    run = kaohe("export", "--repo", str(mini), "-o", str(path))
    assert run.code == 1 and not (mini / "pwned").exists() and not Path("pwned").exists()


def test_unknown_unit_is_refused(tmp_path, kaohe):
    run = kaohe("export", "--repo", str(ROOT), "--year", "2010", "--unit", "xingyi2", "-o", str(tmp_path / "x.xlsx"))
    assert run.code == 1 and tr("score.unknown-unit", unit="xingyi2", year=2010) in run.err
    assert not (tmp_path / "x.xlsx").exists()


def test_sheet_names_excel_accepts():
    names = sheet_names(["办公室", "办公室", "a/b:c", "汇总", "x" * 40, "'引号'", "ABC", "abc"])
    assert names == ["办公室", "办公室(2)", "a_b_c", "汇总(2)", "x" * 31, "引号", "ABC", "abc(2)"]
    assert all(len(n) <= 31 for n in names)


def test_sheet_names_count_utf16_units_and_drop_end_apostrophes():
    """Excel (and XlsxWriter) count a name's length in UTF-16 code units: 𠀀 (U+20000, CJK Extension B)
    takes two. An apostrophe is refused at either end, also where the cut leaves one."""
    import xlsxwriter

    ext_b = "\U00020000"
    wanted = ["安" * 29 + ext_b + "局", "安" * 30 + "'龙县质监局", "安" * 30 + "'县", "x" * 30 + ext_b, "'" * 3]
    names = sheet_names(wanted)
    assert names == [
        "安" * 29 + ext_b,  # 29 + 2 = 31 units; 局 would make 32
        "安" * 30,  # cut to 31 units ends in the apostrophe, which is then dropped
        "安" * 28 + "(2)",  # the same name again: 28 + 3 = 31 units
        "x" * 30,  # 30 + 2 = 32 units: 𠀀 does not fit
        "单位",  # nothing left: the column's name
    ]
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    for name in names:
        book.add_worksheet(name)  # raises InvalidWorksheetName for a name Excel refuses
    book.close()


@pytest.mark.parametrize(
    "name",
    ["安" * 29 + "\U00020000" + "局", "安" * 30 + "'龙县质监局"],
    ids=["extension-b-character", "apostrophe-at-the-cut"],
)
def test_export_and_build_with_unit_names_excel_must_cut(mini, tmp_path, kaohe, name):
    units = mini / "evidence/2010/units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace('"安龙县质监局"', f'"{name}"', 1), encoding="utf-8")
    run = kaohe("export", "--repo", str(mini), "-o", str(tmp_path / "x.xlsx"))
    assert run.code == 0, run.err
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert name in [c.value for c in book["汇总"]["B"]]
    assert all(len(n.encode("utf-16-le")) // 2 <= 31 and n.strip("'") == n for n in book.sheetnames)
    init_git(mini)
    run = kaohe("build", "--repo", str(mini), "--site-dir", str(tmp_path / "site"))
    assert run.code == 0, run.err


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) and poppler-utils are not installed; .ci/run installs them",
)
def test_printed_with_libreoffice(exported, tmp_path):
    """Printed to PDF: A4 landscape, the column header and the unit in the header of every page."""
    path, data = exported[2010]
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "2010.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > len(data["units"])
    names = [u["name"] for u in data["units"]]
    for page in range(2, pages + 1):  # page 1 is the 汇总
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "扣分理由" in text, page  # the repeated header row
        assert any(re.search(rf"{n}\s+2010年度考核评分表", text) for n in names), page
        assert re.search(rf"第 {page} 页 / 共 {pages} 页", text), page


def test_a_long_unit_name_is_cut_to_fit_the_page_header(mini, tmp_path, kaohe, recwarn):
    """Excel's page header holds 255 UTF-16 units, its "&C" code included; XlsxWriter drops a longer
    one with an English warning. The unit's name is cut so the rest of the header still prints."""
    name = "安龙县" * 100  # 300 characters: kaohe check accepts it
    units = mini / "evidence/2010/units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace('"安龙县质监局"', f'"{name}"', 1), encoding="utf-8")
    run = kaohe("export", "--repo", str(mini), "-o", str(tmp_path / "x.xlsx"))
    assert run.code == 0 and run.err == "", run.err
    assert not [w for w in recwarn if "Header" in str(w.message)]
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    sheet = next(s for s in book.worksheets if s.title.startswith("安龙县安龙县"))
    # "&C" (2) + name + "…" (1) + "　2010年度考核评分表" (1 + 6 + 5 = 12): 255 − 2 − 1 − 12 = 240 of the name
    assert sheet.oddHeader.center.text == name[:240] + "…　2010年度考核评分表"


def excel_shows(value: float, code: str) -> str:
    """What Excel prints for a number under the formats kaohe writes ("0", "0.00", and
    "0.0;-0.0;\"\"" whose third section is for zero): rounded half away from zero to the zeros
    after the point."""
    sections = code.split(";")
    number = Decimal(str(value))
    if len(sections) == 3 and number == 0:
        return sections[2].strip('"')
    section = sections[1] if len(sections) > 1 and number < 0 else sections[0]
    sign = "-" if section.startswith("-") or (len(sections) == 1 and number < 0) else ""  # one section: Excel adds "-"
    places = len(section.split(".")[1]) if "." in section else 0
    assert re.fullmatch(r"-?0(\.0+)?", section), code  # no "#": a whole number would print as "3."
    step = Decimal(1).scaleb(-places)
    return sign + str(abs(number).quantize(step, rounding="ROUND_HALF_UP"))


def test_no_number_is_shown_with_fewer_decimals_than_it_has(mini, tmp_path, kaohe):
    """The framework rounds totals to 0.1, but a 0.05 deduction leaves the indicator at 0.25 (as JSON
    and the site print it): the sheet must print 0.25, not 0.3. Values the precision covers keep
    its one decimal place (0.3, not 0.30), so the column stays tidy."""
    framework = mini / "frameworks/mini/framework.toml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace('floor = "zero"', 'floor = "zero"\nprecision = 0.1')
    )
    rules = mini / "frameworks/mini/01-dangfeng.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("amount = 0.1", "amount = 0.05", 1), encoding="utf-8")
    assert kaohe("export", "--repo", str(mini), "-o", str(tmp_path / "p.xlsx")).code == 0
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    for sheet in book.worksheets:
        for cell in (c for row in sheet.iter_rows() for c in row if c.data_type == "n" and c.value is not None):
            shown = excel_shows(cell.value, cell.number_format)
            assert shown == "" or Decimal(shown) == Decimal(str(cell.value)), (sheet.title, cell.coordinate)
    sheet = book["兴仁县质监局"]
    df01 = next(r for r in sheet.iter_rows(min_row=4) if r[1].value and r[1].value.startswith("认真贯彻落实"))
    # 分值 0.3; 得分 0.3 − 0.05 (全年工作情况报告 is missing: one item of three) = 0.25; 扣分 0.05
    assert [excel_shows(c.value, c.number_format) for c in df01[3:7:2]] == ["0.3", "0.25"]
    assert excel_shows(df01[6].value, df01[6].number_format) == "0.05"


@pytest.mark.parametrize("year", [2010, 2014])
def test_shipped_years_print_every_decimal_they_hold(exported, year):
    """2014 adds up its quarters by weight (0.25 × 0.1 = 0.025): those figures print whole too."""
    book = openpyxl.load_workbook(exported[year][0])
    for sheet in book.worksheets:
        for cell in (c for row in sheet.iter_rows() for c in row if c.data_type == "n" and c.value is not None):
            shown = excel_shows(cell.value, cell.number_format)
            assert shown == "" or Decimal(shown) == Decimal(str(cell.value)), (sheet.title, cell.coordinate)


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder no file can be made in: read-only for an ordinary user; root writes anywhere but /sys."""
    import os

    if os.geteuid() == 0:
        if not Path("/sys/kernel").is_dir():
            pytest.skip("running as root without /sys")
        return Path("/sys")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


@pytest.mark.parametrize("where", ["existing-folder", "proc", "unwritable"])
def test_a_place_that_cannot_take_the_workbook_is_refused_before_any_work(mini, tmp_path, kaohe, where):
    """A user's mistake in -o (exit 1, said in Chinese), not kaohe's bug (exit 3), and said before the
    year is loaded: --year 1999 does not exist, yet the -o problem is the one reported."""
    if where == "existing-folder":
        output = tmp_path / "out.xlsx"
        output.mkdir()
        expected = said("output.is-folder", option="-o", output=output)
    else:
        if where == "proc" and not Path("/proc/self").is_dir():
            pytest.skip("no /proc")
        output = (Path("/proc") if where == "proc" else _unwritable_folder(tmp_path)) / "a.xlsx"
        why = msg("path.reason.missing" if where == "proc" else "path.reason.denied")  # ENOENT / EACCES
        expected = said("output.cannot-write", option="-o", output=output, reason=why)
    run = kaohe("export", "--repo", str(mini), "--year", "1999", "-o", str(output))
    assert run.code == 1, run.err
    assert expected in run.err and "内部错误" not in run.err
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".kaohe-")]


def test_a_workbook_is_not_written_to_a_terminal(mini):
    """`-o -` on a terminal would print a zip's bytes there; a pipe or a file still gets them."""
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator.cli", "export", "--repo", str(mini), "-o", "-"],
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 1 and said("export.terminal") in done.stderr
    piped = subprocess.run(
        [sys.executable, "-m", "generator.cli", "export", "--repo", str(mini), "-o", "-"],
        capture_output=True,
        timeout=120,
    )
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK")


def _clerks_workbook(path: Path) -> None:
    """A workbook a clerk made in a spreadsheet (here written by openpyxl): notes kaohe never wrote."""
    book = openpyxl.Workbook()
    book.active["A1"] = "各单位自评说明"
    book.save(path)


def _kaohe_export_saved_again(path: Path) -> None:
    """A workbook kaohe wrote, then opened, annotated and saved (openpyxl, like Excel, dates the save)."""
    from generator.cli import main

    assert main(["export", "--repo", str(ROOT), "--year", "2010", "--unit", "xingren", "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["A40"] = "复核意见：已核对"
    book.save(path)


@pytest.mark.parametrize(
    "make",
    [_clerks_workbook, _kaohe_export_saved_again, lambda path: path.write_text("汇报提纲", encoding="utf-8")],
    ids=["clerks-workbook", "kaohe-export-edited", "text-file"],
)
def test_an_existing_file_kaohe_did_not_write_is_never_overwritten(mini, tmp_path, kaohe, make):
    """`-o 2010考核结果.xlsx` where the clerk keeps a file of that name: before the fix the export
    replaced it silently (os.replace); now it is refused (exit 1), the file kept byte for byte."""
    target = tmp_path / "out" / "2010考核结果.xlsx"
    target.parent.mkdir()
    make(target)
    before = target.read_bytes()
    run = kaohe("export", "--repo", str(mini), "-o", str(target))
    assert run.code == 1 and said("export.not-ours", output=str(target)) in run.err
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left


def test_a_pipe_named_as_the_workbook_is_never_replaced(mini, tmp_path, kaohe):
    """A named pipe (or socket) at `-o` is no file kaohe wrote: the rename would have replaced it."""
    target = tmp_path / "out" / "out.xlsx"
    target.parent.mkdir()
    os.mkfifo(target)
    run = kaohe("export", "--repo", str(mini), "-o", str(target))
    assert run.code == 1 and said("export.not-ours", output=str(target)) in run.err
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.xlsx"]  # no temporary file left


@pytest.mark.parametrize("points_to", ["kept.xlsx", "nowhere.xlsx"], ids=["to-kaohe-s-workbook", "dangling"])
def test_a_link_named_as_the_workbook_is_never_replaced(mini, tmp_path, kaohe, points_to):
    """`-o latest.xlsx` where latest.xlsx is a symbolic link the clerk made (to last year's export, or
    to nothing): the workbook is renamed over the path, so the link was replaced by a file, though
    kaohe never wrote the link. Now it is refused (exit 1); the link stays, pointing where it did."""
    out = tmp_path / "out"
    out.mkdir()
    assert kaohe("export", "--repo", str(mini), "-o", str(out / "kept.xlsx")).code == 0
    kept = (out / "kept.xlsx").read_bytes()
    link = out / "latest.xlsx"
    link.symlink_to(points_to)
    run = kaohe("export", "--repo", str(mini), "-o", str(link))
    assert run.code == 1 and said("export.is-link", output=str(link)) in run.err
    assert link.is_symlink() and os.readlink(link) == points_to
    assert (out / "kept.xlsx").read_bytes() == kept
    assert sorted(p.name for p in out.iterdir()) == ["kept.xlsx", "latest.xlsx"]  # no temporary file


def test_a_workbook_kaohe_wrote_is_replaced(mini, tmp_path, kaohe):
    """What kaohe wrote and nobody saved since is kaohe's to replace: exporting again just works."""
    target = tmp_path / "out.xlsx"
    assert kaohe("export", "--repo", str(mini), "-o", str(target)).code == 0
    target.write_bytes(target.read_bytes())  # copied as is (a backup restored): still kaohe's
    assert kaohe("export", "--repo", str(mini), "-o", str(target)).code == 0
    assert openpyxl.load_workbook(target).sheetnames[0] == tr("xlsx.summary")


def test_a_unit_named_history_is_given_a_sheet_name_excel_accepts(mini, tmp_path, kaohe):
    """Excel reserves the worksheet name History (in any case: it holds a shared workbook's change
    history) and refuses or repairs a file with such a sheet. Before the fix a unit named History
    got a sheet "History"; now it is renamed as a name already taken is, with "(2)", and the
    汇总's link leads to it. Three units History, history, HISTORY: (2), (3), (4), since the
    names compare without case and each renamed one takes its own."""
    assert sheet_names(["History", "history", "HISTORY"]) == ["History(2)", "history(3)", "HISTORY(4)"]
    units = mini / "evidence/2010/units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace('"安龙县质监局"', '"History"', 1), encoding="utf-8")
    run = kaohe("export", "--repo", str(mini), "-o", str(tmp_path / "x.xlsx"))
    assert run.code == 0, run.err
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert "History(2)" in book.sheetnames and not any(n.lower() == "history" for n in book.sheetnames)
    links = {c.value: c.hyperlink.location for c in book["汇总"]["B"] if c.hyperlink is not None}
    assert links["History"] == "'History(2)'!A1"
    assert book["History(2)"]["A1"].value.startswith("History")


def test_the_summary_names_the_issuer_once(mini, tmp_path, kaohe):
    """The 汇总's second line is issuer, then title: a title that names the issuer itself read
    "黔西南州质量技术监督局　黔西南州质量技术监督局2010年度…" (the shipped 2010 title does not name it)."""
    framework = mini / "frameworks/mini/framework.toml"
    text = framework.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    named = 'title = "黔西南州质量技术监督局2010年度目标考核细则"'
    framework.write_text(text.replace(title, named), encoding="utf-8")
    path = tmp_path / "named.xlsx"
    assert kaohe("export", "--repo", str(mini), "-o", str(path)).code == 0
    lead = openpyxl.load_workbook(path)["汇总"]["A2"].value
    assert lead.startswith("黔西南州质量技术监督局2010年度目标考核细则　截至 2010-12-31")
    assert lead.count("黔西南州质量技术监督局") == 1
    shipped = tmp_path / "shipped.xlsx"
    assert kaohe("export", "--repo", str(ROOT), "--year", "2010", "-o", str(shipped)).code == 0
    lead = openpyxl.load_workbook(shipped)["汇总"]["A2"].value
    assert lead.startswith("黔西南州质量技术监督局　2010年度目标绩效管理工作考核分细则　截至 2010-12-31")


def test_a_unit_sheet_names_its_veto_and_why_its_grade_differs(tmp_path, kaohe):
    """2011 has a 一票否决 and a quota: only the 汇总 sheet's 否决 column said 一票否决, so the score
    sheet a unit signs never named the veto, its reason, nor why the 等次 is below the band its
    score reached. Each is a line under the 合计 row, worded as the site's sheet words it."""
    path = tmp_path / "2011.xlsx"
    assert kaohe("export", "--repo", str(ROOT), "--year", "2011", "-o", str(path)).code == 0
    data = json.loads(kaohe("score", "--repo", str(ROOT), "--year", "2011", "--format", "json").out)
    book = openpyxl.load_workbook(path)
    names = sheet_names([u["name"] for u in data["units"]])
    vetoed = noted = 0
    for unit, name in zip(data["units"], names, strict=True):
        texts = [str(row[0].value) for row in book[name].iter_rows() if row[0].value]  # merged from column A
        for veto in unit["unit_vetoes"]:
            assert any(t.startswith("一票否决（") and veto["reason"] in t for t in texts), name
            vetoed += 1
        for note in unit["grade_notes"]:
            assert note["text"] in texts, name
            noted += 1
    assert vetoed and noted
