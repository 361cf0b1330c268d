"""`kaohe import framework` on the files a bureau really hands in: revised, hidden, half-finished.

Each file is the two-row table of ``test_import_files.py`` written by ``office_2010.py``, with one
part of the zip edited as Word, WPS or Excel leave it after a clerk's work on it: changes tracked
in 修订 mode, rows and worksheets hidden, content controls from a template.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import office_2010 as doc2010
from conftest import said
from office_2010 import TWO_ROWS, Table, rezipped

from generator.messages import msg, tr

DOCUMENT = "word/document.xml"


def _edited(tmp_path: Path, kind: str, part: str, edits: list[tuple[bytes, bytes]]) -> Path:
    """The two-row table as a .docx or .xlsx with each (old, new) of `edits` made once in `part`."""
    write = doc2010.write_docx if kind == "docx" else doc2010.write_xlsx
    base = write(tmp_path / f"base.{kind}", [TWO_ROWS], ["某局", "2015年考核细则"])
    return rezipped(base, tmp_path / f"edited.{kind}", part, edits)


def _imported(kaohe: Callable[..., Any], source: Path, repo: Path) -> tuple[Any, list[dict[str, Any]]]:
    """Run the import; the indicators it wrote."""
    repo.mkdir(exist_ok=True)
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
    assert run.code == 0, run.err
    data = tomllib.loads((repo / "frameworks/t/01-c1.toml").read_text(encoding="utf-8"))
    return run, data["indicator"]


# -- Word: changes tracked in 修订 mode ---------------------------------------------------------

_RUN = b"<w:r><w:t>%s</w:t></w:r>"


def _run(text: str) -> bytes:
    return _RUN % text.encode()


def _ins(text: str, n: int) -> bytes:
    return b'<w:ins w:id="%d" w:author="a">%s</w:ins>' % (n, _run(text))


def _del(text: str, n: int) -> bytes:
    return b'<w:del w:id="%d" w:author="a"><w:r><w:delText>%s</w:delText></w:r></w:del>' % (n, text.encode())


def test_tracked_changes_are_read_as_accepted_and_warned_about(tmp_path, kaohe):
    """A clerk revised the table with 修订 on: row 1's 分值 2 → 2.5 (deleted "2", inserted "2.5"),
    row 2's 目标内容 got "（季度）" inserted and its standard "4次" moved as a tracked move, and a
    third row was added and then deleted with changes tracked. Word shows (and prints, after
    "accept all") 2.5, "开展检查（季度）" and no third row; python-docx's Paragraph.text read only
    a paragraph's direct runs, so the 分值 came out empty (the indicator unscored) and the
    insertion was lost."""
    deleted_row = (
        b'<w:tr><w:trPr><w:del w:id="9" w:author="a"/></w:trPr>'
        + b"".join(
            b"<w:tc><w:p>%s</w:p></w:tc>" % _del(t, 10 + k) for k, t in enumerate(["3", "旧", "扣1分", "5", "1"])
        )
        + b"</w:tr>"
    )
    source = _edited(
        tmp_path,
        "docx",
        DOCUMENT,
        [
            (b"<w:p>" + _run("2") + b"</w:p>", b"<w:p>" + _del("2", 1) + _ins("2.5", 2) + b"</w:p>"),
            (_run("开展检查"), _run("开展检查") + _ins("（季度）", 3)),
            (b"</w:tbl>", deleted_row + b"</w:tbl>"),
        ],
    )
    run, indicators = _imported(kaohe, source, tmp_path / "repo")
    assert [i["target"] for i in indicators] == ["报送信息", "开展检查（季度）"]
    assert Decimal(str(indicators[0]["points"])) == Decimal("2.5")
    assert Decimal(str(indicators[1]["points"])) == Decimal("1")
    where = tr("import.where.row", where=tr("import.where.table", n=1), n=2)  # row 1 is the header
    assert tr("import.warning", file=source.name, where=where, message=tr("import.tracked-changes")) in run.err


def test_text_in_content_controls_fields_and_smart_tags_is_read(tmp_path, kaohe):
    """A template's content control inside a paragraph (w:sdt), a field with its result
    (w:fldSimple), a smart tag, and a repeating section's row wrapped in w:sdt: Word shows their
    text as the cell's; none of it is a tracked change, so nothing is warned about."""
    row2 = b"<w:tr><w:tc><w:tcPr><w:tcW"
    source = _edited(
        tmp_path,
        "docx",
        DOCUMENT,
        [
            (
                _run("报送信息"),
                b"<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>%s</w:sdtContent></w:sdt>"
                % _run("报送信息"),
            ),
            (
                b"<w:p>" + _run("12") + b"</w:p>",
                b'<w:p><w:fldSimple w:instr=" =6*2 ">%s</w:fldSimple></w:p>' % _run("12"),
            ),
            (_run("开展检查"), b'<w:smartTag w:uri="u" w:element="e">%s</w:smartTag>' % _run("开展检查")),
        ],
    )
    # the second body row (after the header and row 1) wrapped as a repeating section's item
    import zipfile

    data = zipfile.ZipFile(source).read(DOCUMENT)
    start = data.index(row2, data.index(row2, data.index(row2) + 1) + 1)
    end = data.index(b"</w:tr>", start) + len(b"</w:tr>")
    wrapped = data[:start] + b"<w:sdt><w:sdtContent>" + data[start:end] + b"</w:sdtContent></w:sdt>" + data[end:]
    final = tmp_path / "final.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(final, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, wrapped if item.filename == DOCUMENT else zin.read(item.filename))
    run, indicators = _imported(kaohe, final, tmp_path / "repo")
    assert [(i["target"], i.get("month")) for i in indicators] == [("报送信息", 12), ("开展检查", 6)]
    assert tr("import.tracked-changes") not in run.err


# -- Excel: what is hidden is neither shown nor printed ----------------------------------------


def _workbook_with_hidden_parts(path: Path) -> Path:
    """The table as a clerk keeps it in Excel: last year's row 6 and a 备注 column F hidden rather
    than deleted, a hidden worksheet of last year's table, and 序号 1 merged over rows 4-5, of which
    row 4 (the merge's top, holding its text) is hidden as well."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表1"
    rows = [
        ["一、测试表"],
        ["序号", "目标内容", "考核标准", "分值", "完成月份", "备注"],
        ["1", "报送信息", "未按时报送的，每次扣0.1分。", 2, 12, "旧备注"],
        ["1", "报送信息（旧）", "每次扣0.5分。", 9, 12, ""],
        ["", "报送信息（续）", "", "", "", ""],
        ["2", "旧工作", "扣1分。", 5, 3, ""],
        ["3", "开展检查", "少于4次,缺1次扣0.2分。", 1, 6, ""],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A4:A5")
    sheet.row_dimensions[4].hidden = True
    sheet.row_dimensions[6].hidden = True
    sheet.column_dimensions["F"].hidden = True
    old = book.create_sheet("2014年")
    old.append(["序号", "目标内容", "考核标准", "分值", "完成月份"])
    old.append(["1", "去年的工作", "扣1分。", 3, 12])
    old.sheet_state = "hidden"
    book.save(path)
    return path


def test_hidden_rows_columns_and_worksheets_are_not_imported_and_are_warned_about(tmp_path, kaohe):
    """Before the fix the hidden row 6 became an indicator of 5 points (the framework's maximum
    rose from 3 to 8: 2 + 5 + 1), row 4 a second 序号 1, and the hidden 备注 a note; the hidden
    worksheet was skipped without a word. Now what is hidden is left out and each is named:
    rows 4 and 6, column F, the worksheet 2014年. Row 5 continues 序号 1's merge (its top,
    row 4, is hidden): its text joins indicator 1."""
    source = _workbook_with_hidden_parts(tmp_path / "hidden.xlsx")
    run, indicators = _imported(kaohe, source, tmp_path / "repo")
    assert [(i["seq"], i["target"]) for i in indicators] == [("1", "报送信息\n报送信息（续）"), ("3", "开展检查")]
    assert sum(Decimal(str(i["points"])) for i in indicators) == Decimal("3")  # 2 + 1
    assert not any("旧备注" in i.get("note", "") for i in indicators)
    sheet = tr("import.where.worksheet", title="表1")
    for where, message in [
        (sheet, tr("import.hidden-rows", rows=tr("value.list-separator").join(["4", "6"]))),
        (sheet, tr("import.hidden-columns", columns="F")),
        (tr("import.where.worksheet", title="2014年"), tr("import.hidden-sheet")),
    ]:
        assert tr("import.warning", file=source.name, where=where, message=message) in run.err


def test_rows_and_columns_of_no_height_or_width_are_hidden_too(tmp_path, kaohe):
    """A clerk drags row 4 (last year's item, 5 points) to no height and column F (备注) to no
    width instead of choosing 隐藏: the sheet then holds ht="0" and width="0" without hidden="1"
    (edited into the XML here: openpyxl drops a size of 0), and neither is shown or printed.
    Before the fix both were imported (a third indicator: 2 + 5 + 1 = 8 points, and the 备注 in
    a note). Now they are left out and named as hidden rows and columns are. A worksheet whose
    rows are 0 high by default (zeroHeight) hides every row not given a height of its own."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表1"
    for row in [
        ["一、测试表"],
        ["序号", "目标内容", "考核标准", "分值", "完成月份", "备注"],
        ["1", "报送信息", "未按时报送的，每次扣0.1分。", 2, 12, "旧备注"],
        ["2", "旧工作", "扣1分。", 5, 3, ""],
        ["3", "开展检查", "少于4次,缺1次扣0.2分。", 1, 6, ""],
    ]:
        sheet.append(row)
    written = tmp_path / "written.xlsx"
    book.save(written)
    part = "xl/worksheets/sheet1.xml"
    edits = [
        (b'<row r="4"', b'<row r="4" ht="0" customHeight="1"'),
        (b"<sheetData>", b'<cols><col min="6" max="6" width="0" customWidth="1"/></cols><sheetData>'),
    ]
    source = rezipped(written, tmp_path / "zero.xlsx", part, edits)
    run, indicators = _imported(kaohe, source, tmp_path / "repo")
    assert [(i["seq"], i["target"]) for i in indicators] == [("1", "报送信息"), ("3", "开展检查")]
    assert sum(Decimal(str(i["points"])) for i in indicators) == Decimal("3")  # 2 + 1, not 2 + 5 + 1
    assert not any("旧备注" in i.get("note", "") for i in indicators)
    where = tr("import.where.worksheet", title="表1")
    for message in (tr("import.hidden-rows", rows="4"), tr("import.hidden-columns", columns="F")):
        assert tr("import.warning", file=source.name, where=where, message=message) in run.err, run.err

    edits = [(b"<sheetFormatPr ", b'<sheetFormatPr zeroHeight="1" ')]
    edits += [(b'<row r="%d"' % n, b'<row r="%d" ht="15" customHeight="1"' % n) for n in (1, 2, 3, 5)]
    source = rezipped(written, tmp_path / "zero-default.xlsx", part, edits)
    run, indicators = _imported(kaohe, source, tmp_path / "repo2")
    assert [i["seq"] for i in indicators] == ["1", "3"]
    message = tr("import.hidden-rows", rows="4")
    assert tr("import.warning", file=source.name, where=where, message=message) in run.err, run.err


def test_word_hidden_text_is_not_imported_and_is_warned_about(tmp_path, kaohe):
    """Text formatted 隐藏 (w:vanish) is neither shown nor printed by Word. Here row 1's 目标内容
    carries a hidden "（去年）" set on the text, row 2's a hidden "（旧）" through a character style
    based on a hidden one, and a "（季度）" whose style is hidden but whose own w:vanish w:val="0"
    shows it. Before the fix every hidden word was read into the target; now Word's text is read
    ("报送信息", "开展检查（季度）") and one warning names the first place and counts the two."""
    styles = (
        b'<w:style w:type="character" w:styleId="Old"><w:name w:val="Old"/><w:rPr><w:vanish/></w:rPr></w:style>'
        b'<w:style w:type="character" w:styleId="OldChild"><w:name w:val="OldChild"/>'
        b'<w:basedOn w:val="Old"/></w:style></w:styles>'
    )
    hidden_run = "<w:r><w:rPr><w:vanish/></w:rPr><w:t>（去年）</w:t></w:r>".encode()
    styled_run = '<w:r><w:rPr><w:rStyle w:val="OldChild"/></w:rPr><w:t>（旧）</w:t></w:r>'.encode()
    shown_run = '<w:r><w:rPr><w:rStyle w:val="Old"/><w:vanish w:val="0"/></w:rPr><w:t>（季度）</w:t></w:r>'.encode()
    edited = _edited(
        tmp_path,
        "docx",
        DOCUMENT,
        [
            (_run("报送信息"), _run("报送信息") + hidden_run),
            (_run("开展检查"), _run("开展检查") + styled_run + shown_run),
        ],
    )
    source = rezipped(edited, tmp_path / "hidden.docx", "word/styles.xml", [(b"</w:styles>", styles)])
    run, indicators = _imported(kaohe, source, tmp_path / "repo")
    assert [i["target"] for i in indicators] == ["报送信息", "开展检查（季度）"]
    where = tr("import.where.row", where=tr("import.where.table", n=1), n=2)  # row 1 is the header
    warning = tr("import.warning", file=source.name, where=where, message=tr("import.hidden-text", n=2))
    assert warning in run.err, run.err


# -- files that are no zip: a password to open, the old format under a new name ----------------

OFFICE = Path(__file__).parent / "fixtures" / "office"


def test_a_password_protected_file_is_refused_with_how_to_remove_the_password(tmp_path, kaohe):
    """fixtures/office/password-abc.xlsx is the two-row table encrypted with the password "abc" by
    msoffcrypto-tool (the ECMA-376 agile encryption Excel and WPS write): an OLE2 compound file
    holding the zip as a stream "EncryptedPackage". Before the fix it was "not a Word document or
    Excel workbook, or damaged; save it again as .xlsx", which keeps the password; now the clerk is
    told it has a password and how to remove it. A .docx with a password is the same container."""
    for name in ("报表.xlsx", "报表.docx"):
        source = tmp_path / name
        source.write_bytes((OFFICE / "password-abc.xlsx").read_bytes())
        repo = tmp_path / "repo"
        repo.mkdir(exist_ok=True)
        run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
        assert run.code == 1 and said("import.encrypted", path=source) in run.err, run.err
        assert not (repo / "frameworks").exists()


def test_an_old_format_file_named_xlsx_is_told_apart_from_a_damaged_one(tmp_path, kaohe):
    """fixtures/office/old-format.xls is the two-row table saved by LibreOffice as Excel 97-2003
    (.xls), here named .xlsx as a clerk renames it: the reason says it is the old format."""
    source = tmp_path / "考核细则.xlsx"
    source.write_bytes((OFFICE / "old-format.xls").read_bytes())
    repo = tmp_path / "repo"
    repo.mkdir()
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
    assert run.code == 1 and said("import.unreadable", path=source, reason=msg("import.reason.old-format")) in run.err


# -- completion months written as deadlines and dates ----------------------------------------------


def test_completion_months_written_as_deadlines_or_dates_are_read(tmp_path, kaohe):
    """完成月份 as bureaus write it: "9月底前", "2015年10月", "11月30日前", and "6月30日" typed into
    Excel, which stores it as the date 2015-06-30 (openpyxl writes a date cell the same way).
    Before the fix each was warned about as "not a month 1-12" and left without a month, so the
    indicator fell due at the year's end instead of in its month."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表1"
    sheet.append(["一、测试表"])
    sheet.append(["序号", "目标内容", "考核标准", "分值", "完成月份"])
    for n, printed in enumerate([dt.datetime(2015, 6, 30), "9月底前", "2015年10月", "11月30日前"], 1):
        sheet.append([str(n), f"工作{n}", "未完成扣0.1分。", 1, printed])
    source = tmp_path / "months.xlsx"
    book.save(source)
    run, indicators = _imported(kaohe, source, tmp_path / "repo")
    assert [i.get("month") for i in indicators] == [6, 9, 10, 11]
    assert "import.bad-month" not in run.err and tr("import.bad-month", month="9月底前") not in run.err


# -- a score workbook kaohe exported is no framework ------------------------------------------------


def test_a_score_workbook_kaohe_exported_is_refused_saved_since_or_not(mini, tmp_path, kaohe):
    """A clerk picks the workbook `kaohe export` wrote instead of the 考核细则. Before the fix it
    was read as rules: its category rows (一 党风廉政…) and its 合计 row became indicators of one
    category, with a warning per row (74 lines of warnings for the mini fixture's three units).
    Now it is refused with one message naming the file, exit 1, nothing written: as exported, and
    after a save in another program (openpyxl here: the modified time changes, so `kaohe export`
    no longer counts it as its own, but the comments "kaohe export" stay, as in Excel and WPS)."""
    import openpyxl

    from generator.output.xlsxmark import written_by_kaohe

    exported = tmp_path / "得分.xlsx"
    assert kaohe("export", "--repo", str(mini), "-o", str(exported)).code == 0
    saved = tmp_path / "得分（改）.xlsx"
    book = openpyxl.load_workbook(exported)
    book["汇总"]["A1"] = "改过的标题"
    book.save(saved)
    assert written_by_kaohe(exported) and not written_by_kaohe(saved)
    for source in (exported, saved):
        repo = tmp_path / f"repo-{source.stem}"
        repo.mkdir()
        run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
        assert run.code == 1, run.err
        assert said("import.score-workbook", path=source) in run.err, run.err
        assert len(run.err.strip().splitlines()) == 1, run.err  # one message, no warnings
        assert "Traceback" not in run.err and not (repo / "frameworks").exists()


# -- a filled-in score sheet's marks: one warning per table and column -----------------------------


def test_a_marks_column_is_warned_about_once_per_table_with_its_rows(tmp_path, kaohe):
    """A bureau hands in last year's filled-in table: 得分 written in all three rows, 扣分理由 in
    two. Before the fix the warning that a column is a scoring record repeated on every row (five
    warnings here, hundreds in a real table); now each column is named once for the table, with
    the rows that hold marks: 得分 3 rows, 扣分理由 2 rows (rows 1 and 3)."""
    table = Table(
        "一、测试表",
        ["序号", "目标内容", "考核标准", "分值", "完成月份", "得分", "扣分理由"],
        [
            ["1", "报送信息", "未按时报送的，每次扣0.1分。", "2", "12", "1.9", "迟报一次"],
            ["2", "开展检查", "少于4次,缺1次扣0.2分。", "1", "6", "1", ""],
            ["3", "宣传", "未开展宣传扣0.5分。", "1", "10", "0.5", "未宣传"],
        ],
    )
    source = doc2010.write_docx(tmp_path / "filled.docx", [table], ["某局", "2015年考核细则"])
    run, indicators = _imported(kaohe, source, tmp_path / "repo")
    assert [i["seq"] for i in indicators] == ["1", "2", "3"]
    where = tr("import.where.table", n=1)
    for label, rows in (("得分", 3), ("扣分理由", 2)):  # 得分: 1.9, 1, 0.5; 扣分理由: rows 1 and 3
        warning = tr(
            "import.warning", file=source.name, where=where, message=tr("import.marks-column", label=label, rows=rows)
        )
        assert run.err.count(warning) == 1, run.err
    assert run.err.count("“得分”") == 1 and run.err.count("“扣分理由”") == 1, run.err


def test_a_date_serial_is_a_month_and_a_month_in_another_year_is_warned_about(tmp_path, kaohe):
    """A 2011 framework's 完成月份 column as a clerk's workbook leaves it. 40724 is a date cell whose
    date format was cleared: Excel keeps the serial, days after 1899-12-30 (day 0 of Excel's 1900
    calendar for dates after February 1900): 40724 = 2011-06-30, so month 6; before the fix it was
    "not a month 1-12" and left the indicator due at the year's end. 40513 = 2010-12-01, a date
    cell 2010-12-01 and the text "2010年11月" are months of 2010 in a 2011 framework: each month
    is taken (12, 12, 11) and a warning names its cell; before, the year was never compared. The
    number 12 stays month 12 (as a serial it would be 1900-01-12, no year a rules document names)."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表1"
    for line in ["某局", "2011年考核细则", "一、测试表"]:
        sheet.append([line])
    sheet.append(["序号", "目标内容", "考核标准", "分值", "完成月份"])  # row 4
    months = [40724, dt.datetime(2010, 12, 1), "2010年11月", 12, 40513]  # rows 5-9
    for n, printed in enumerate(months, 1):
        sheet.append([str(n), f"工作{n}", "未完成扣0.1分。", 1, printed])
    source = tmp_path / "months.xlsx"
    book.save(source)
    run, indicators = _imported(kaohe, source, tmp_path / "repo")
    assert [i.get("month") for i in indicators] == [6, 12, 11, 12, 12]
    assert tr("import.bad-month", month="40724") not in run.err, run.err
    framework = tomllib.loads((tmp_path / "repo/frameworks/t/framework.toml").read_text(encoding="utf-8"))
    assert framework["year"] == 2011
    sheet_where = tr("import.where.worksheet", title="表1")
    expected = {
        6: ("2010-12-01", 12),  # the date cell
        7: ("2010年11月", 11),
        9: ("2010-12-01", 12),  # the serial 40513
    }
    for row, (shown, month) in expected.items():
        where = tr("import.where.cell", where=sheet_where, row=row, col=5, ref=f"E{row}")
        message = tr("import.month-other-year", shown=shown, found=2010, year=2011, month=month)
        assert tr("import.warning", file=source.name, where=where, message=message) in run.err, run.err
    for row in (5, 8):  # 2011-06-30 and 12: nothing to warn about
        assert tr("import.where.cell", where=sheet_where, row=row, col=5, ref=f"E{row}") not in run.err, run.err
