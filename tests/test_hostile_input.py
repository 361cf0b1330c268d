"""Hostile or merely unusual input files and paths: each gets a clear problem at its place, exit 1.

Built on the base repository of ``tests/test_bad_inputs.py`` (``tests/bad_inputs/base``): every
test lays one unusual file or folder over a copy of it and says exactly what `kaohe check` (or the
command) must report. Never a traceback, never exit 3, never a score that counts what it should not.
"""

from __future__ import annotations

import re
import shutil

import pytest
from bad_input_support import FINDINGS, U_A, U_B, assert_exactly, check, repo_with
from conftest import init_git, said

from generator.messages import msg, tr


def test_a_repo_folder_that_does_not_exist_is_refused_not_taken_for_the_one_around_it(tmp_path, kaohe):
    """`--repo <repo>/typo` scored the repository around the typo, as if it had been asked for."""
    root = repo_with(tmp_path)
    missing = root / "evidenec"
    run = kaohe("score", "--repo", str(missing), "--year", "2010", "--format", "json")
    assert (run.code, run.out) == (1, "")
    assert said("workspace.repo-missing", path=missing) in run.err


def test_a_repo_that_is_a_file_is_refused(tmp_path, kaohe):
    root = repo_with(tmp_path)
    run = kaohe("check", "--repo", str(root / FINDINGS))
    assert (run.code, run.out) == (1, "")
    assert said("workspace.repo-not-folder", path=root / FINDINGS) in run.err


def _replace(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_astronomically_large_amount_is_refused_in_a_few_words(tmp_path, kaohe):
    """`amount = 1e99999999` overflowed Decimal's context (exit 3, 内部错误), and `1e400` was
    printed as a 401-digit number: the value is shown as written when it is that large."""
    root = repo_with(tmp_path)
    _replace(root, FINDINGS, "amount = 0.2", "amount = 1e99999999")  # the base file's line 6
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(FINDINGS, 6, "number.too-large")])
    assert "1E+99999999" in reported[0].message and len(reported[0].message) < 200


def test_a_large_amount_is_printed_as_people_write_it(tmp_path, kaohe):
    root = repo_with(tmp_path)
    _replace(root, FINDINGS, "amount = 0.2", "amount = 12345678901.5")
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(FINDINGS, 6, "number.too-large")])
    assert "12345678901.5" in reported[0].message


def test_an_integer_of_thousands_of_digits_is_refused_at_its_line(tmp_path, kaohe):
    """Python refuses to read an integer of more than 4300 digits (a ValueError from inside tomllib):
    it was an internal error (exit 3)."""
    root = repo_with(tmp_path)
    _replace(root, f"{U_B}/df-01-meeting.md", 'satisfies = ["meeting", "half-year"]', "count = " + "1" * 5000)
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(f"{U_B}/df-01-meeting.md", 4, "toml.number-too-long")])  # after +++, indicator, date


@pytest.mark.parametrize(
    ("written", "kind"),
    [("[0.2]", "value-type.array"), ("{ a = 0.2 }", "value-type.table"), ("2010-09-01", "value-type.date")],
    ids=["array", "table", "date"],
)
def test_a_number_of_the_wrong_type_names_the_type_in_the_readers_words(written, kind, tmp_path, kaohe):
    """ "“amount”应为数字，而不是 list": Python's names for TOML's types reached the clerk."""
    root = repo_with(tmp_path)
    _replace(root, FINDINGS, "amount = 0.2", f"amount = {written}")
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(FINDINGS, 6, "number.type")])
    assert reported[0].message.startswith(tr("number.type", key="amount", type=tr(kind)))
    assert not re.search("[A-Za-z]", reported[0].message.replace("amount", ""))


def test_a_misspelt_key_inside_an_optional_table_gets_a_did_you_mean(tmp_path, kaohe):
    """`applies_to = { unit = […] }` said only "unknown key 'unit'": the keys of a table that may be
    left out (applies_to, a grade's quota, an appeal's decision) were not offered."""
    root = repo_with(tmp_path)
    _replace(root, "frameworks/base/02-guanli.toml", "applies_to = { units", "applies_to = { unit")
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [("frameworks/base/02-guanli.toml", 12, "model.unknown-key")])
    assert tr("hint.did-you-mean", choice="units") in reported[0].message


@pytest.mark.parametrize("written", ["DF-01", "Df-01"])
def test_an_id_in_the_wrong_case_is_offered_the_id_it_spells(written, tmp_path, kaohe):
    """ "DF-01" was offered "gl-01" (as close as "df-01" letter for letter, and later in the alphabet)."""
    root = repo_with(tmp_path)
    _replace(root, f"{U_B}/df-01-meeting.md", 'indicator = "df-01"', f'indicator = "{written}"')
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(f"{U_B}/df-01-meeting.md", 2, "evidence.unknown-indicator")])
    [error] = [r for r in reported if r.severity == "error"]
    assert tr("hint.did-you-mean", choice="df-01") in error.message


@pytest.mark.parametrize("written", ["2010/04/02", "2010-4-2", "2010.04.02", "2010年4月2日", "2010-04-2"])
def test_a_date_written_the_office_way_is_told_how_toml_writes_it(written, tmp_path, kaohe):
    """ "2010/04/02" got "expected a newline after a statement; quote a value with spaces": a hint that
    sends the clerk the wrong way (quoting it makes it text, and a date is still wanted)."""
    root = repo_with(tmp_path)
    _replace(root, f"{U_B}/df-01-meeting.md", "date = 2010-04-02", f"date = {written}")
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(f"{U_B}/df-01-meeting.md", 3, "toml.date-format")])
    assert reported[0].message == said("toml.date-format", written=written)


def test_a_copied_evidence_file_is_reported_not_silently_counted_twice(tmp_path, kaohe):
    """A file copied under another name (same front matter, same text) counted twice toward a
    `count` rule, without a word: in the shipped 2010 year, ceheng's df-03 rose from 0.5 to 0.6
    with a copy of its half-year education record (count = 2: 2 + 2 + 1 = 5 of 4, not 3 of 4)."""
    root = repo_with(tmp_path)
    meeting = root / U_B / "df-01-meeting.md"
    (root / U_B / "df-01-meeting-2.md").write_bytes(meeting.read_bytes())
    code, reported = check(kaohe, root)
    assert code == 0
    # ordered by date, then path: "df-01-meeting-2.md" comes first ("-" sorts before ".")
    assert_exactly(reported, [(f"{U_B}/df-01-meeting.md", 1, "evidence.duplicate")], severity="warning")
    assert reported[0].message == said("evidence.duplicate", first=f"{U_B}/df-01-meeting-2.md")


def test_two_records_of_the_same_day_that_differ_are_both_counted(tmp_path, kaohe):
    root = repo_with(tmp_path)
    meeting = root / U_B / "df-01-meeting.md"
    text = meeting.read_text(encoding="utf-8")
    (root / U_B / "df-01-meeting-2.md").write_text(text.replace("合并上报", "另行上报"), encoding="utf-8")
    assert check(kaohe, root) == (0, [])


def test_a_category_file_that_does_not_parse_is_one_error_not_one_per_evidence_file(tmp_path, kaohe):
    """`points = 0.3分` in a category file also made every evidence file and finding of its
    indicators "unknown indicator" — hundreds of errors in the shipped years, each with a wrong
    did-you-mean ("df-01" → "zf-01"), listed before the one error that matters."""
    root = repo_with(tmp_path)
    _replace(root, "frameworks/base/01-dangfeng.toml", "points = 0.3", "points = 0.3分")
    (root / U_A / "df-08-findings.toml").write_text(
        '[[finding]]\nid = "a-2010-08"\nindicator = "df-08"\nrule = "no-review"\ndate = 2010-09-01\n'
        'amount = 0.2\nreason = "没有复查工作的资料"\n',
        encoding="utf-8",
    )
    code, reported = check(kaohe, root)
    assert code == 1
    # [category] 4 lines, a blank line, then [[indicator]], id, seq, target, points: line 10
    assert_exactly(reported, [("frameworks/base/01-dangfeng.toml", 10, "toml.number-with-unit")])


@pytest.mark.parametrize(("written", "number"), [("0.2分", "0.2"), ("0.2 分", "0.2"), ("3次", "3"), ("92.5%", "92.5")])
def test_a_number_written_with_its_unit_is_told_to_drop_the_unit(written, number, tmp_path, kaohe):
    """`amount = 0.2分` got "expected a newline after a statement; quote a value with spaces"."""
    root = repo_with(tmp_path)
    _replace(root, FINDINGS, "amount = 0.2", f"amount = {written}")
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(FINDINGS, 6, "toml.number-with-unit")])
    assert reported[0].message == said("toml.number-with-unit", written=written, number=number)


def test_files_whose_paths_differ_only_in_case_or_unicode_form_are_refused(tmp_path, kaohe):
    """Git keeps `Df-01-meeting.md` beside `df-01-meeting.md`, and NFD `会议.md` beside NFC `会议.md`;
    on Windows and macOS each pair is one file, so the site and a clerk's working copy lose one."""
    root = repo_with(tmp_path)
    meeting = (root / U_A / "df-01-meeting.md").read_text(encoding="utf-8")
    (root / U_A / "Df-01-meeting.md").write_text(meeting, encoding="utf-8")
    nfc, nfd = "df-01-é.md", "df-01-e\u0301.md"  # é as one code point, and as e + combining accent
    (root / U_A / nfc).write_text(meeting, encoding="utf-8")
    (root / U_A / nfd).write_text(meeting, encoding="utf-8")
    code, reported = check(kaohe, root)
    assert code == 1
    # os.walk order decides which is "first"; either way one of each pair is reported, naming the other
    twins = sorted((r.path.rsplit("/", 1)[1].lower(), r.code) for r in reported if r.code == "tree.case-twin")
    assert [(name.replace("e\u0301", "é"), code) for name, code in twins] == [
        ("df-01-meeting.md", "tree.case-twin"),
        ("df-01-é.md", "tree.case-twin"),
    ]


def test_unit_ids_that_differ_only_in_case_are_refused_at_the_second(tmp_path, kaohe):
    """units/unit-a.html and units/Unit-A.html are one file on Windows and macOS."""
    root = repo_with(tmp_path)
    units = root / "evidence/2010/units.toml"
    units.write_text(
        units.read_text(encoding="utf-8") + '\n[[unit]]\nid = "Unit-A"\nname = "丙县质监局"\nseries = "county"\n',
        encoding="utf-8",
    )
    code, reported = check(kaohe, root)
    assert code == 1
    # units.toml: the base's 12 lines, a blank line 13, [[unit]] on 14, id on 15
    assert_exactly(reported, [("evidence/2010/units.toml", 15, "units.case-twin")])
    assert "“Unit-A”与“unit-a”只差大小写" in next(r.message for r in reported if r.code == "units.case-twin")


@pytest.mark.parametrize("rev", [(), ("--rev", "HEAD")], ids=["working-tree", "revision"])
@pytest.mark.parametrize("folder", ["evidence", "frameworks"])
def test_an_input_folder_that_is_a_file_is_refused(folder, rev, tmp_path, kaohe):
    """A file named `evidence` (a mistaken `git mv`, an unzipped archive) made `kaohe check` say
    "0 个年度" and exit 0: every year of the repository was silently gone."""
    root = repo_with(tmp_path)
    shutil.rmtree(root / folder)
    (root / folder).write_text("x\n", encoding="utf-8")
    init_git(root)
    code, reported = check(kaohe, root, *rev)
    assert code == 1
    assert (folder, 1, "tree.not-a-folder") in [(r.path, r.line, r.code) for r in reported]
    [problem] = [r for r in reported if r.code == "tree.not-a-folder"]
    assert problem.message == said("tree.not-a-folder", name=folder)


@pytest.mark.parametrize(
    ("needed", "moved"),
    [("evidence/2010/units.toml", "evidence/2010/units.toml/units.toml"), ("frameworks/base/framework.toml", None)],
    ids=["units.toml", "framework.toml"],
)
def test_a_units_or_framework_file_that_is_a_folder_is_an_error(needed, moved, tmp_path, kaohe):
    """`evidence/2010/units.toml/` (a folder) got only the warning "no units.toml", and the year
    vanished from every result: the file is there, in the wrong shape."""
    root = repo_with(tmp_path)
    text = (root / needed).read_bytes()
    (root / needed).unlink()
    (root / needed).mkdir()
    if moved is not None:
        (root / moved).write_bytes(text)
    else:
        (root / needed / "README.md").write_text("框架说明\n", encoding="utf-8")
    code, reported = check(kaohe, root)
    assert code == 1
    [problem] = [r for r in reported if r.code == "tree.not-a-file"]
    assert (problem.path, problem.line) == (needed, 1)
    folder, _, name = needed.rpartition("/")
    assert problem.message == said("tree.not-a-file", name=name, folder=f"{folder}/")
    assert "tree.unread-folder" not in [r.code for r in reported]  # one problem, not also "no units.toml"


def test_a_file_where_a_units_folder_should_be_is_an_error_and_a_stray_file_a_warning(tmp_path, kaohe):
    """`evidence/2010/unit-c` (a file, no extension) and `evidence/2010/扫描件.pdf` were not
    reported at all: the first stands where unit-c's folder must be, so none of its evidence can
    be filed; the second is read by nothing (evidence cites files of its own unit's folder only)."""
    root = repo_with(tmp_path)
    units = root / "evidence/2010/units.toml"
    units.write_text(
        units.read_text(encoding="utf-8") + '\n[[unit]]\nid = "unit-c"\nname = "丙县质监局"\nseries = "county"\n',
        encoding="utf-8",
    )
    (root / "evidence/2010/unit-c").write_text("会议记录\n", encoding="utf-8")
    (root / "evidence/2010/扫描件.pdf").write_bytes(b"%PDF-1.4\n")
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [("evidence/2010/unit-c", 1, "year.unit-folder-is-file")])
    assert_exactly(reported, [("evidence/2010/扫描件.pdf", 1, "year.file-unread")], severity="warning")
    messages = {r.code: r.message for r in reported}
    assert messages["year.unit-folder-is-file"] == said("year.unit-folder-is-file", name="unit-c", year=2010)
    assert messages["year.file-unread"] == said("year.file-unread", name="扫描件.pdf")


@pytest.mark.parametrize(
    ("written", "code", "shown"),
    [
        ("1e400", "seq.exponent", "1E+400"),
        ("1e-400", "seq.exponent", "1E-400"),
        ("1" * 30, "model.text-too-long", None),
        ('"' + "一" * 30 + '"', "model.text-too-long", None),
    ],
    ids=["exponent", "negative-exponent", "long-number", "long-text"],
)
def test_a_seq_in_exponent_form_or_of_dozens_of_characters_is_refused(written, code, shown, tmp_path, kaohe):
    """`seq = 1e400` was accepted and printed as a 序号 of 401 digits; `seq` had no length limit."""
    root = repo_with(tmp_path)
    _replace(root, "frameworks/base/01-dangfeng.toml", "seq = 1\n", f"seq = {written}\n")
    code_, reported = check(kaohe, root)
    assert code_ == 1
    # [category] 4 lines, a blank line, then [[indicator]], id, seq: line 8
    assert_exactly(reported, [("frameworks/base/01-dangfeng.toml", 8, code)])
    assert len(reported[0].message) < 200
    if code == "seq.exponent":
        assert reported[0].message == said("seq.exponent", key="seq", value=shown)
    else:
        assert reported[0].message == said(code, key="seq", limit=20)


def test_a_seq_as_printed_is_kept(tmp_path, kaohe):
    root = repo_with(tmp_path)
    _replace(root, "frameworks/base/01-dangfeng.toml", "seq = 1\n", 'seq = "（一）2.1"\n')
    assert check(kaohe, root) == (0, [])


@pytest.mark.parametrize(
    ("written", "kind", "hint"),
    [
        ('["checklist"]', "value-type.array", ("hint.did-you-mean", {"choice": "checklist"})),
        ('{ name = "checklist" }', "value-type.table", None),
        ("1", "value-type.number", None),
        ("true", "value-type.boolean", None),
    ],
    ids=["array", "table", "number", "boolean"],
)
def test_a_rule_kind_of_the_wrong_type_names_the_type_in_the_readers_words(written, kind, hint, tmp_path, kaohe):
    """`kind = ["checklist"]` said 未知的规则类型“['checklist']”: Python's own writing of a list."""
    root = repo_with(tmp_path)
    _replace(root, "frameworks/base/01-dangfeng.toml", 'kind = "checklist"', f"kind = {written}")
    code, reported = check(kaohe, root)
    assert code == 1
    # [category] 4 lines, a blank, the indicator's 6 lines, a blank, [[indicator.rule]], id, kind: line 15
    assert_exactly(reported, [("frameworks/base/01-dangfeng.toml", 15, "model.rule-kind-type")])
    message = reported[0].message
    assert message.startswith(tr("model.rule-kind-type", key="kind", type=tr(kind)))
    assert not re.search(r"[\[\]{}'\"]|\blist\b|\bdict\b|\bint\b|\bbool\b|True", message)
    if hint is not None:
        assert tr(hint[0], **hint[1]) in message


@pytest.mark.parametrize(
    ("written", "position", "char", "why"),
    [
        ("a-2010-01 ", 10, ("id.char-invisible", {"code": "U+0020"}), "id.other-char"),
        ("ａ-2010-01", 1, ("id.char", {"char": "ａ", "code": "U+FF41"}), "id.first-char"),
        ("-a-2010-01", 1, ("id.char", {"char": "-", "code": "U+002D"}), "id.first-char"),
        ("a-2010\u200b-01", 7, ("id.char-invisible", {"code": "U+200B"}), "id.other-char"),
    ],
    ids=["trailing-space", "full-width", "leading-dash", "zero-width"],
)
def test_an_invalid_id_shows_the_value_and_names_the_first_wrong_character(
    written, position, char, why, tmp_path, kaohe
):
    """ "“id”不是有效的标识" did not show the value: a trailing space or a full-width letter could not
    be seen, nor found."""
    root = repo_with(tmp_path)
    _replace(root, FINDINGS, 'id = "a-2010-01"', f'id = "{written}"')
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(FINDINGS, 2, "model.id-invalid")])
    expected = said(
        "model.id-invalid", key="id", value=written, position=position, char=msg(char[0], **char[1]), why=msg(why)
    )
    assert reported[0].message == expected


@pytest.mark.parametrize("text", ["", "\n\n", "# 复查记录待补\n# [[finding]]\n"], ids=["empty", "blank", "comments"])
def test_a_findings_file_that_records_nothing_is_a_warning(text, tmp_path, kaohe):
    """An empty or comment-only findings file was accepted without a word: most likely a finding
    not yet written, or written and lost (commented out, saved empty)."""
    root = repo_with(tmp_path)
    (root / U_A / "df-08-findings.toml").write_text(text, encoding="utf-8")
    code, reported = check(kaohe, root)
    assert code == 0
    assert_exactly(reported, [(f"{U_A}/df-08-findings.toml", 1, "findings.empty")], severity="warning")
    assert reported[0].message == said("findings.empty")
