"""`kaohe import framework` on files no bureau means to hand in: damaged, hostile or script-written.

Each file is a valid two-row table written by ``office_2010.py`` with one part of the zip swapped
for a damaged or hostile one, as a broken download, a careless script or an attacker would leave
it. Whatever the file holds, the clerk gets exit 1 and a Chinese reason (never exit 3, "内部错误 …
这是 kaohe 的缺陷", nor a library's English text), and a few kilobytes never take gigabytes.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import office_2010 as doc2010
import pytest
from conftest import said
from office_2010 import TWO_ROWS

import generator
from generator.messages import msg, tr
from generator.problems import InputError

DOCUMENT = "word/document.xml"
SHEET = "xl/worksheets/sheet1.xml"


def _mutated(tmp_path: Path, kind: str, part: str, change: Callable[[bytes], bytes], name: str = "") -> Path:
    """The two-row table as a .docx or .xlsx, with `part` replaced by change(part)."""
    write = doc2010.write_docx if kind == "docx" else doc2010.write_xlsx
    base = write(tmp_path / f"base.{kind}", [TWO_ROWS], ["某局", "2015年考核细则"])
    out = tmp_path / f"{name or 'mutated'}.{kind}"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, change(data) if item.filename == part else data)
    return out


def _refusal(tmp_path: Path, source: Path) -> InputError:
    from generator.commands import import_

    repo = tmp_path / "repo"
    repo.mkdir(exist_ok=True)
    args = type("Args", (), {"file": source, "id": "t", "repo": str(repo)})()
    with pytest.raises(InputError) as caught:
        import_.run(args)
    assert not (repo / "frameworks").exists()
    return caught.value


def _first(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert old in data
        return data.replace(old, new, 1)

    return change


# -- 1. a few kilobytes that asked for gigabytes -------------------------------------------

_CAP = 1 << 30  # 1 GiB of address space: the import of a small file needs a fraction of it


def _import_capped(source: Path, repo: Path) -> subprocess.CompletedProcess[str]:
    """`kaohe import` in a child whose memory is capped: before the fix each of these files grew
    until the cap (MemoryError, exit 3) or the 60 s timeout."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (_CAP, _CAP))

    repo.mkdir(exist_ok=True)
    argv = [sys.executable, "-m", "generator.cli", "--lang=zh", "import", "framework", str(source), "--id", "t"]
    env = {**os.environ, "PYTHONPATH": str(Path(generator.__file__).parent.parent)}  # the code under test
    return subprocess.run(
        [*argv, "--repo", str(repo)], capture_output=True, text=True, timeout=60, preexec_fn=cap, env=env
    )


def _row_where(row: int) -> str:
    return tr("import.where.row", lang="zh", where=tr("import.where.table", lang="zh", n=1), n=row)


@pytest.mark.parametrize(
    ("part", "old", "new", "where", "reason"),
    [
        # a cell spanning fifty million grid columns: Word's tables have at most 63
        (
            DOCUMENT,
            b"<w:tcPr>",
            b'<w:tcPr><w:gridSpan w:val="50000000"/>',
            1,
            msg("import.limit.columns", n=50000000, limit=63),
        ),
        # a row starting fifty million columns in (w:gridBefore)
        (
            DOCUMENT,
            b"<w:tr>",
            b'<w:tr><w:trPr><w:gridBefore w:val="50000000"/></w:trPr>',
            1,
            msg("import.limit.columns", n=50000000, limit=63),
        ),
        # 60 empty columns before the header row's 5 cells: its 4th cell is the 64th column
        (
            DOCUMENT,
            b"<w:tr>",
            b'<w:tr><w:trPr><w:gridBefore w:val="60"/></w:trPr>',
            1,
            msg("import.limit.columns", n=64, limit=63),
        ),
    ],
    ids=["gridSpan", "gridBefore", "wider-than-word"],
)
def test_a_word_span_past_63_columns_is_refused(tmp_path, part, old, new, where, reason):
    source = _mutated(tmp_path, "docx", part, _first(old, new))
    run = _import_capped(source, tmp_path / "repo")
    expected = _said_zh("import.too-large", source, _row_where(where), reason)
    assert (run.returncode, run.stderr) == (1, f"kaohe import: {expected}\n")
    assert not (tmp_path / "repo/frameworks").exists()


def _said_zh(code: str, path: Path, where: str, reason: object) -> str:
    """What the import says, in Chinese; a refusal for size advises what Word's or Excel's user can do."""
    from generator import messages

    params = {"path": path, "where": where, "reason": reason}
    if code == "import.too-large":
        params["advice"] = messages.msg(f"import.too-large.{path.suffix[1:]}")
    return messages.worded(code, params, lang="zh")


def test_a_word_table_of_more_cells_than_any_rules_document_is_refused(tmp_path):
    """20,000 rows of 63 columns (gridBefore 62 and one cell) in 1.4 MB of XML: 1,260,000 cells > 1,000,000."""
    rows = b'<w:tr><w:trPr><w:gridBefore w:val="62"/></w:trPr><w:tc><w:p/></w:tc></w:tr>' * 20000
    source = _mutated(tmp_path, "docx", DOCUMENT, _first(b"</w:tbl>", rows + b"</w:tbl>"))
    run = _import_capped(source, tmp_path / "repo")
    # the header and the 2 rows hold 3 × 5 = 15 cells; each appended row 62 + 1 = 63. 15 + 63 × 15,872
    # = 999,951 fits in 1,000,000; the 15,873rd appended row passes it (1,000,014): table row 3 + 15,873
    reason = msg("import.limit.cells", limit=1_000_000)
    expected = _said_zh("import.too-large", source, _row_where(15876), reason)
    assert (run.returncode, run.stderr) == (1, f"kaohe import: {expected}\n")


def test_a_value_in_the_last_cell_of_a_worksheet_is_refused(tmp_path):
    """One cell at XFD1048576: the grid from A1 to it would hold 17 billion cells."""
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    source = _mutated(tmp_path, "xlsx", SHEET, _first(b"</sheetData>", far))
    run = _import_capped(source, tmp_path / "repo")
    where = tr(
        "import.where.cell",
        lang="zh",
        where=tr("import.where.worksheet", lang="zh", title="表1"),
        row=1048576,
        col=16384,
        ref="XFD1048576",
    )  # the cell both in the last row and the last column: named once
    reason = msg("import.limit.extent", limit=1_000_000)
    assert (run.returncode, run.stderr) == (1, f"kaohe import: {_said_zh('import.too-large', source, where, reason)}\n")


def test_a_merge_to_the_last_cell_of_a_worksheet_is_read_only_where_values_are(tmp_path):
    """G10:XFD1048576 merged (openpyxl made an object for each of its 17 billion cells): the merge
    covers no value, so the table reads as without it."""
    merge = _first(b'<mergeCell ref="A3:E3"/>', b'<mergeCell ref="A3:E3"/><mergeCell ref="G10:XFD1048576"/>')
    source = _mutated(tmp_path, "xlsx", SHEET, merge)
    run = _import_capped(source, tmp_path / "repo")
    assert run.returncode == 0, run.stderr
    data = tomllib.loads((tmp_path / "repo/frameworks/t/01-c1.toml").read_text(encoding="utf-8"))
    assert [(i["seq"], i["points"]) for i in data["indicator"]] == [("1", 2), ("2", 1)]


def test_a_title_merged_across_the_whole_row_is_read_as_far_as_the_values_go(tmp_path):
    """A3 (the table's heading) merged to XFD3: its text continues to E, the last column holding a
    value, and the row stays the one-text heading of the table."""
    source = _mutated(tmp_path, "xlsx", SHEET, _first(b'<mergeCell ref="A3:E3"/>', b'<mergeCell ref="A3:XFD3"/>'))
    run = _import_capped(source, tmp_path / "repo")
    assert run.returncode == 0, run.stderr
    data = tomllib.loads((tmp_path / "repo/frameworks/t/01-c1.toml").read_text(encoding="utf-8"))
    assert data["category"]["title"] == "测试表"


# -- 2. damaged and hostile files: exit 1 with the reason in Chinese ---------------------------

#: ten times ten times … the ten a's of &a;: &h; would be 10^7 characters, and a longer chain 10^9
_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY %c "%s">' % (name, b"&%c;" % prev * 10) for prev, name in zip(b"abcefg", b"bcefgh", strict=True)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    ("kind", "part", "change", "reason"),
    [
        # a download cut short: the part's XML ends in the middle
        ("docx", DOCUMENT, lambda d: d[: len(d) // 2], "import.reason.bad-xml"),
        ("xlsx", SHEET, lambda d: d[: len(d) // 2], "import.reason.bad-xml"),
        # a span that is no number
        ("docx", DOCUMENT, _first(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="x1"/>'), "import.reason.bad-span"),
        # an external entity (the file's contents would be read into a cell) and nested ones (billion laughs)
        (
            "xlsx",
            SHEET,
            lambda d: b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + d,
            "import.reason.dtd",
        ),
        ("xlsx", SHEET, lambda d: _LAUGHS + d.replace(b"<t>&#25253;", b"<t>&h;&#25253;", 1), "import.reason.dtd"),
        ("docx", DOCUMENT, lambda d: _LAUGHS + d, "import.reason.dtd"),
        # a cell reference that is no reference
        ("xlsx", SHEET, _first(b'r="A5"', b'r="5A"'), "import.reason.bad-sheet"),
        # two merges over the same cells (Excel does not save them)
        (
            "xlsx",
            SHEET,
            _first(b'<mergeCell ref="A3:E3"/>', b'<mergeCell ref="A3:E6"/><mergeCell ref="A4:E6"/>'),
            "import.reason.merges-overlap",
        ),
    ],
    ids=["docx-truncated", "xlsx-truncated", "span-x1", "xxe", "laughs", "docx-laughs", "bad-ref", "overlap"],
)
def test_a_damaged_or_hostile_file_is_unreadable_with_a_reason(tmp_path, kaohe, kind, part, change, reason):
    source = _mutated(tmp_path, kind, part, change)
    refusal = _refusal(tmp_path, source)
    assert (refusal.code, refusal.params["reason"].id) == ("import.unreadable", reason)
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(tmp_path / "repo"))
    assert (run.code, run.err) == (1, f"kaohe import: {refusal}\n")


def test_the_reason_names_the_part_and_where_its_xml_breaks(tmp_path):
    def cut(data: bytes) -> bytes:  # the sheet ends right after <sheetData>: every element left open
        return data[: data.index(b"<sheetData>") + len(b"<sheetData>")]

    source = _mutated(tmp_path, "xlsx", SHEET, cut)
    with zipfile.ZipFile(source) as archive:
        length = len(archive.read(SHEET))  # all ASCII, on one line
    reason = _refusal(tmp_path, source).params["reason"]
    # expat finds the end of the input where an element was expected: line 1, the column after the last
    assert reason == msg("import.reason.bad-xml", part=SHEET, line=1, col=length + 1)


def test_a_span_that_is_no_number_names_its_row(tmp_path):
    source = _mutated(tmp_path, "docx", DOCUMENT, _first(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="x1"/>'))
    reason = _refusal(tmp_path, source).params["reason"]
    where = tr("import.where.row", where=tr("import.where.table", n=1), n=1)  # the header row's first cell
    assert reason == msg("import.reason.bad-span", where=where, value="x1")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("x.docx", b"hello\n", "import.reason.not-package"),  # python-docx: "Package not found at …"
        ("x.xlsx", b"hello\n", "import.reason.not-package"),  # zipfile: "File is not a zip file"
        ("x.xlsx", None, "import.reason.missing-part"),  # openpyxl: "File contains no valid workbook part"
        ("x.docx", None, "import.reason.missing-part"),  # python-docx: KeyError, no [Content_Types].xml
    ],
)
def test_what_the_libraries_said_in_english_is_worded_in_chinese(tmp_path, kaohe, name, content, reason):
    path = tmp_path / name
    if content is None:  # a zip holding no Office part
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("a.txt", "x")
    else:
        path.write_bytes(content)
    refusal = _refusal(tmp_path, path)
    assert (refusal.code, refusal.params["reason"].id) == ("import.unreadable", reason)
    run = kaohe("--lang=zh", "import", "framework", str(path), "--id", "t", "--repo", str(tmp_path / "repo"))
    assert run.code == 1
    assert run.err == f"kaohe import: {said('import.unreadable', path=path, reason=msg(reason))}\n"
    for english in ("Package not found", "not a zip", "no valid workbook", "Error", "KeyError"):
        assert english not in run.err


# -- 3. formulas in the 分值 column ---------------------------------------------------------


def _import(kaohe: Callable[..., Any], source: Path, repo: Path) -> Any:
    repo.mkdir(exist_ok=True)
    return kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))


def _points_cell(tmp_path: Path, cell: bytes) -> Path:
    return _mutated(tmp_path, "xlsx", SHEET, _first(b'<c r="D5" t="n"><v>2</v></c>', cell))


def test_a_formula_s_float_result_is_read_as_excel_shows_it(tmp_path, kaohe):
    """=0.1+0.2 as Excel saves it: the stored double 0.30000000000000004, shown as 0.3 (15 digits)."""
    source = _points_cell(tmp_path, b'<c r="D5"><f>0.1+0.2</f><v>0.30000000000000004</v></c>')
    run = _import(kaohe, source, tmp_path / "repo")
    assert run.code == 0, run.err
    data = tomllib.loads((tmp_path / "repo/frameworks/t/01-c1.toml").read_text(encoding="utf-8"))
    assert Decimal(str(data["indicator"][0]["points"])) == Decimal("0.3")


def test_a_formula_without_its_result_is_warned_about_with_its_cell(tmp_path, kaohe):
    """=0.5+0.5 written by a script that computes nothing: no <v>. The cell reads as empty (the
    indicator has no points) and the clerk is told which cell, and to save the file in Excel."""
    source = _points_cell(tmp_path, b'<c r="D5"><f>0.5+0.5</f></c>')
    run = _import(kaohe, source, tmp_path / "repo")
    assert run.code == 0, run.err
    sheet = tr("import.where.worksheet", title="表1")
    where = tr("import.where.cell", where=sheet, row=5, col=4, ref="D5")  # D is the 4th column
    warning = tr("import.warning", file=source.name, where=where, message=tr("import.formula-uncomputed"))
    assert warning in run.err
    data = tomllib.loads((tmp_path / "repo/frameworks/t/01-c1.toml").read_text(encoding="utf-8"))
    assert "points" not in data["indicator"][0]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (0.1 + 0.2, "0.3"),  # 0.30000000000000004 → 0.300000000000000 (15 digits) → 0.3
        (1 / 3, "0.333333333333333"),  # 0.3333333333333333: 16 threes, the 16th rounds off
        (2 / 3, "0.666666666666667"),  # 0.6666666666666666: the 16th 6 rounds the 15th up
        (123456789.12345679, "123456789.123457"),  # 15 digits: 123456789 and 123457 (…4|5679 rounds up)
        (2.675, "2.675"),  # the double is 2.67499999999999982236431605997495353221893310546875; repr is 2.675
        (1e-07, "0.0000001"),
        (0.0, "0"),
        (10.0, "10"),
    ],
)
def test_numbers_are_read_as_excel_shows_them(stored, shown):
    from generator.imports.xlsx import cell_text

    assert cell_text(stored) == shown


# -- found while writing these tests -------------------------------------------------------


def test_a_repo_folder_that_does_not_exist_is_refused(tmp_path, kaohe):
    """--repo naming no folder ended in exit 3 (FileNotFoundError making the staging folder)."""
    source = doc2010.write_docx(tmp_path / "t.docx", [TWO_ROWS], ["某局", "2015年考核细则"])
    missing = tmp_path / "no-such-folder"
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(missing))
    assert (run.code, run.err) == (1, f"kaohe import: {said('import.no-folder', folder=missing)}\n")
    assert not missing.exists()


def _renamed(source: Path, out: Path, old: str, new: str, change: Callable[[bytes], bytes]) -> Path:
    """`source` with the part `old` stored as `new` (and changed), every reference to it following."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == old:
                zout.writestr(new, change(data))
                continue
            if item.filename.endswith(".rels") or item.filename == "[Content_Types].xml":
                data = data.replace(old.rpartition("/")[2].encode(), new.rpartition("/")[2].encode())
            zout.writestr(item.filename, data)
    return out


def test_a_part_is_checked_as_xml_whatever_its_name(tmp_path):
    """openpyxl finds the worksheet through the workbook's relationships, whatever it is called: named
    sheet1.bin, a sheet with nested entities got past a check of the parts named .xml (a second
    review expanded them into the framework, and 6 KB into a 27 MB file)."""
    base = _mutated(tmp_path, "xlsx", SHEET, lambda d: d, name="base-copy")
    laughs = _renamed(base, tmp_path / "bin.xlsx", SHEET, "xl/worksheets/sheet1.bin", lambda d: _LAUGHS + d)
    refusal = _refusal(tmp_path, laughs)
    assert (refusal.code, refusal.params["reason"].id) == ("import.unreadable", "import.reason.dtd")
    # the same sheet, renamed but harmless, still imports: only what reads as XML is checked as XML
    plain = _renamed(base, tmp_path / "plain.xlsx", SHEET, "xl/worksheets/sheet1.bin", lambda d: d)
    from generator.imports.package import check_package

    check_package(plain)


def test_a_legacy_drawing_that_is_not_well_formed_is_left_alone_but_not_a_dtd(tmp_path):
    """VML drawings (comments' boxes) are HTML-like and often not well-formed; no reader parses them."""
    from generator.imports.package import check_package

    base = _mutated(tmp_path, "xlsx", SHEET, lambda d: d, name="base-copy")
    loose = tmp_path / "vml.xlsx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(loose, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        zout.writestr("xl/drawings/vmlDrawing1.vml", b"<xml><o:shapelayout v:ext='edit'><br></xml>")
    check_package(loose)
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(tmp_path / "vml-dtd.xlsx", "w") as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        zout.writestr("xl/drawings/vmlDrawing1.vml", _LAUGHS + b"<xml>&h;</xml>")
    refusal = _refusal(tmp_path, tmp_path / "vml-dtd.xlsx")
    assert refusal.params["reason"].id == "import.reason.dtd"


# -- 5. what the fuzzing of `kaohe import` found ----------------------------------------------


def _without_part(source: Path, out: Path, part: str) -> Path:
    """`source` with the zip member `part` left out, everything that refers to it kept."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != part:
                zout.writestr(item.filename, zin.read(item.filename))
    return out


@pytest.mark.parametrize("damage", ["part-left-out", "target-outside-the-file"])
def test_a_worksheet_the_workbook_lists_but_the_file_lacks_is_refused_not_left_out(tmp_path, kaohe, damage):
    """Two tables, the second worksheet's part gone (a damaged download) or its relationship pointing
    outside the zip: openpyxl skipped it without a word, and the import wrote one category where the
    document has two, exit 0. The file is refused, naming the worksheet."""
    base = doc2010.write_xlsx(tmp_path / "base.xlsx", [TWO_ROWS, TWO_ROWS], ["某局", "2015年考核细则"])
    if damage == "part-left-out":
        source = _without_part(base, tmp_path / "damaged.xlsx", "xl/worksheets/sheet2.xml")
    else:
        rels = "xl/_rels/workbook.xml.rels"
        source = _mutated_part(base, tmp_path / "damaged.xlsx", rels, b'"/xl/worksheets/sheet2.xml"', b'"../../x.xml"')
    refusal = _refusal(tmp_path, source)
    assert (refusal.code, refusal.params["reason"].id) == ("import.unreadable", "import.reason.sheet-missing")
    run = _import(kaohe, source, tmp_path / "cli")
    assert run.code == 1
    where = tr("import.where.worksheet", title="表2")
    reason = msg("import.reason.sheet-missing", where=where)
    assert run.err == f"kaohe import: {said('import.unreadable', path=source, reason=reason)}\n"
    assert not (tmp_path / "cli/frameworks").exists()


def _mutated_part(source: Path, out: Path, part: str, old: bytes, new: bytes) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, _first(old, new)(data) if item.filename == part else data)
    return out


def test_a_word_styles_part_outside_the_file_is_unreadable_not_an_internal_error(tmp_path, kaohe):
    """The document's styles relationship marked TargetMode="External" (a link to a web address):
    python-docx raised ValueError ("target_part property … is undefined when target mode is
    External") when kaohe read the styles, after the guarded open, and the clerk read 内部错误, exit 3."""
    external = b'Target="http://example.invalid/styles.xml" TargetMode="External"'
    source = _mutated(tmp_path, "docx", "word/_rels/document.xml.rels", _first(b'Target="styles.xml"', external))
    refusal = _refusal(tmp_path, source)
    assert (refusal.code, refusal.params["reason"].id) == ("import.unreadable", "import.reason.damaged")
    run = _import(kaohe, source, tmp_path / "cli")
    assert run.code == 1, run.err
    assert "ValueError" not in run.err and "内部错误" not in run.err


def test_a_warning_prints_the_file_s_name_escaped(tmp_path, kaohe):
    """A warning names the file as the clerk gave it; an escape sequence or a right-to-left override
    in that name reached the terminal as it was (colouring or reordering what followed), where every
    other message of kaohe's shows them as visible escapes."""
    formula = _points_cell(tmp_path, b'<c r="D5"><f>0.5+0.5</f></c>')  # warned about: no saved result
    source = formula.rename(tmp_path / "rules\x1b[31m\u202e.xlsx")
    run = _import(kaohe, source, tmp_path / "repo")
    assert run.code == 0, run.err
    assert "\x1b" not in run.err and "\u202e" not in run.err
    assert "rules\\x1b[31m\\u202e.xlsx：" in run.err


@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_a_folder_or_pipe_named_like_a_workbook_is_not_a_file_rather_than_missing(tmp_path, kaohe, kind):
    """A folder (or a named pipe) called rules.xlsx was reported as “没有这个文件”, which sent the
    clerk looking for a typo in a name that is right; it is there, and is no file."""
    source = tmp_path / "rules.xlsx"
    if kind == "folder":
        source.mkdir()
    else:
        os.mkfifo(source)
    run = _import(kaohe, source, tmp_path / "repo")
    assert run.code == 1
    assert run.err == f"kaohe import: {said('import.not-a-file', path=source)}\n"
    missing = _import(kaohe, tmp_path / "missing.xlsx", tmp_path / "repo")
    assert missing.err == f"kaohe import: {said('import.not-found', path=tmp_path / 'missing.xlsx')}\n"


def test_an_import_failing_its_own_check_lists_each_problem_on_a_line_of_its_own(kaohe, tmp_path):
    """Two rows of 1,000,000,001 and 1,000,000,002 points, more than a framework may hold (1,000,000,000):
    the imported framework fails `kaohe check`, nothing is written, and the refusal lists the two problems
    one per line. Before, they were joined by a literal backslash and n, escaped as a value is."""
    rows = [
        ["1", "完成年度业务工作任务", "未按要求完成的，扣1分。", "1000000001", "12"],
        ["2", "完成年度信息报送任务", "未按要求完成的，扣1分。", "1000000002", "12"],
    ]
    table = doc2010.Table("一、业务工作", ["序号", "目标内容", "考核标准", "分值", "完成月份"], rows)
    source = doc2010.write_docx(tmp_path / "细则.docx", [table], ["某局", "2024年度考核细则"])
    repo = tmp_path / "repo"
    repo.mkdir()
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
    assert run.code == 1, run.err
    assert not (repo / "frameworks" / "t").exists()
    assert "\\n" not in run.err, run.err
    lines = run.err.splitlines()
    assert lines[0].endswith("未写入任何文件："), run.err
    assert [line.split("：")[0] for line in lines[1:3]] == [
        "frameworks/t/01-c1.toml:14:1: 错误",
        "frameworks/t/01-c1.toml:29:1: 错误",
    ], run.err
    assert "1000000001 太大" in lines[1] and "1000000002 太大" in lines[2], run.err
