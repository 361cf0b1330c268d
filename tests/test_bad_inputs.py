"""A corpus of bad inputs: `kaohe check` names each problem at its `path:line`, and never crashes.

Every case is the valid repository ``tests/bad_inputs/base`` plus the files of
``tests/bad_inputs/cases/<case>/`` laid over it (text cases), or plus files the test writes itself
(bytes that editors mangle, megabytes, symlinks). Each case lists exactly the `(path, line, code)`
of every problem it contains: a problem reported at another line, a problem missing, or an extra
error all fail the test. The lines were counted by hand from the case files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bad_input_support import CASES, FINDINGS, MEETING, U_A, U_B, assert_exactly, check, repo_with
from conftest import init_git

from generator.messages import tr
from generator.problems import Problems


def test_the_base_repository_is_clean(tmp_path, kaohe):
    code, reported = check(kaohe, repo_with(tmp_path))
    assert (code, reported) == (0, [])


# -- text cases, committed under tests/bad_inputs/cases/ ----------------------------------------


TEXT_CASES: dict[str, list[tuple[str, int, str]]] = {
    "malformed-toml": [(f"{U_A}/findings.toml", 7, "toml.invalid-character")],  # a string broken by a newline
    # TOML 1.1 (a later tomli, not Python's tomllib) reads both; outside scripts would refuse them, so must kaohe
    "toml-1-1-syntax": [
        (f"{U_A}/findings.toml", 9, "toml.invalid-key"),  # an inline table across two lines
        (f"{U_B}/df-01-meeting.md", 5, "toml.invalid-escape"),  # the escape \\e
    ],
    "malformed-front-matter": [
        (f"{U_B}/df-01-annual.md", 4, "toml.expected-newline"),  # TOML syntax error
        (f"{U_B}/unclosed.md", 1, "evidence.front-matter-unclosed"),  # front matter is not closed
        (f"{U_B}/yaml.md", 1, "evidence.no-front-matter"),  # no TOML front matter
        ("frameworks/base/03-broken.toml", 5, "toml.unclosed-header"),  # TOML syntax error
    ],
    "wrong-types": [
        (f"{U_B}/findings.toml", 6, "number.not-a-number"),  # 'lots' is not a number
        (f"{U_B}/findings.toml", 15, "model.int"),  # 'count'
        (f"{U_B}/types.md", 3, "model.date"),  # 'date'
        (f"{U_B}/types.md", 4, "model.list"),  # 'satisfies'
        (f"{U_B}/types.md", 5, "model.int"),  # 'count'
        (f"{U_B}/types.md", 6, "model.table"),  # 'metrics'
        ("frameworks/base/03-types.toml", 4, "number.not-a-number"),  # '五' is not a number
        ("frameworks/base/03-types.toml", 9, "number.boolean"),  # got a boolean
        ("frameworks/base/03-types.toml", 10, "model.int"),  # 'month'
        ("frameworks/base/03-types.toml", 21, "model.bool"),  # 'per_occurrence'
    ],
    "full-width-digits": [
        (f"{U_B}/findings.toml", 6, "number.full-width"),  # uses full-width digits; write 0.5
        (f"{U_B}/findings.toml", 14, "number.full-width"),  # uses full-width digits; write 0.3
        (f"{U_B}/rate.md", 4, "toml.invalid-value"),  # TOML syntax error
    ],
    "impossible-dates": [
        (f"{U_B}/findings.toml", 5, "toml.invalid-date"),  # Invalid date
        (f"{U_B}/month13.md", 4, "toml.invalid-date"),  # month 13: no such date (not "expected newline")
        (f"{U_B}/datetime.md", 3, "model.date"),  # 'date'
    ],
    "dates-outside-year": [
        (
            f"{U_A}/findings-late.toml",
            5,
            "finding.date-outside-year",
        ),  # date 2011-01-05 is outside the assessment year 2010
        (f"{U_B}/early.md", 3, "evidence.date-outside-year"),  # date 2009-12-31 is outside the assessment year 2010
    ],
    "deep-nesting": [
        (f"{U_B}/findings.toml", 8, "toml.too-deep"),  # nesting is too deep
        (f"{U_B}/deep.md", 4, "toml.too-deep"),  # nesting is too deep
    ],
    "path-traversal": [
        (f"{U_B}/links.md", 8, "link.outside"),  # link '../../../../etc/passwd' points outside the repository
        (f"{U_B}/links.md", 8, "link.absolute"),  # absolute link '/etc/logo.png'
        (f"{U_B}/links.md", 8, "link.scheme"),  # 'javascript:' scheme
        (f"{U_B}/links.md", 10, "link.missing"),  # does not exist: 'missing.md'
        (f"{U_B}/links.md", 10, "link.outside"),  # '../../../../../../root/.ssh/id_rsa' points outside the repository
        (f"{U_B}/findings.toml", 8, "finding.evidence-outside"),  # '../../../../etc/passwd' leaves the repository
        (f"{U_B}/findings.toml", 8, "finding.evidence-outside"),  # '/etc/shadow' leaves the repository
    ],
    "duplicate-ids": [
        (f"{U_B}/findings.toml", 2, "finding.duplicate-id"),  # duplicate finding id 'a-2010-01'
        ("evidence/2010/units.toml", 15, "units.duplicate-id"),  # duplicate unit id 'unit-a'
        ("frameworks/base/03-dup.toml", 1, "category.duplicate-id"),  # duplicate category id 'dangfeng'
        ("frameworks/base/03-dup.toml", 5, "indicator.duplicate-id"),  # duplicate indicator id 'df-01'
        ("frameworks/base/03-dup.toml", 20, "rule.duplicate-id"),  # duplicate rule id 'r'
    ],
    "unknown-keys": [
        (f"{U_B}/findings.toml", 6, "model.unknown-key"),  # unknown key 'amout'
        (f"{U_B}/annual.md", 4, "model.unknown-key"),  # unknown key 'satisfy'
        ("frameworks/base/03-typos.toml", 8, "model.unknown-key"),  # unknown key 'pionts'
        ("frameworks/base/03-typos.toml", 17, "model.unknown-rule-kind"),  # unknown rule kind 'rnage'
        ("frameworks/base/03-typos.toml", 21, "category.unknown-key"),  # unknown top-level key 'indicators'
    ],
    "amounts": [
        (f"{U_A}/findings.toml", 6, "finding.range-amount-outside"),  # amount 0.7 is outside the rule's range 0.1-0.5
        (
            f"{U_A}/findings.toml",
            14,
            "finding.amount-granularity",
        ),  # amount 0.25 is not a multiple of the deduction unit 0.1
        (f"{U_A}/findings.toml", 22, "number.negative"),  # must not be negative
        (f"{U_A}/findings.toml", 25, "finding.range-amount-missing"),  # add `amount`
        (f"{U_A}/findings.toml", 37, "finding.unknown-grade"),  # unknown grade '处级干部'
        (
            "frameworks/base/03-amounts.toml",
            11,
            "rule.amount-granularity",
        ),  # amount 0.25 (amount) is not a multiple of the deduction unit 0.1
        ("frameworks/base/03-amounts.toml", 21, "rule.range.reversed"),  # `min` (0.5) is larger than `max` (0.1)
    ],
    "missing-reason": [
        (f"{U_A}/findings.toml", 1, "model.missing-key"),  # missing required key 'reason'
        (f"{U_A}/findings.toml", 14, "finding.reason-blank"),  # needs a reason
        (f"{U_A}/findings.toml", 22, "model.text-too-short"),  # 'reason'
    ],
    "units-file": [
        ("evidence/2010/units.toml", 1, "units.year-differs"),  # year 2011 differs from its folder 2010
        ("evidence/2010/units.toml", 12, "units.unknown-series"),  # unknown series 'city'
    ],
    # control, bidi and line-separator characters written as TOML escapes ("\u001b", "\n"): refused
    # in names and titles; reasons and notes may hold newlines and tabs, nothing else
    "control-characters": [
        (f"{U_A}/findings.toml", 7, "text.control-character"),  # 'reason': holds the control character U+0000 (NUL)
        (f"{U_A}/findings.toml", 9, "text.bidi-control"),  # 'assessor': holds the bidi control character U+202E
        (f"{U_B}/df-01-ctl.md", 4, "text.control-character"),  # 'title': holds the control character U+2028
        (
            "frameworks/base/03-ctl.toml",
            3,
            "text.control-character",
        ),  # 'title': holds the control character U+000A (newline)
        ("frameworks/base/03-ctl.toml", 8, "text.control-character"),  # 'target': holds the control character U+009B
    ],
    # a unit name is needed by everything else in the year: the year is not read further
    "control-characters-units": [
        ("evidence/2010/units.toml", 6, "text.control-character"),  # 'name': holds the control character U+001B (ESC)
        (
            "evidence/2010/units.toml",
            11,
            "text.control-character",
        ),  # 'name': holds the control character U+000A (newline)
    ],
    # a refused unit name is reported once, at its place: unit-a's findings (in its folder) and
    # unit-b's (evidence/2010/findings/late.toml, unit = "unit-b") are not also "for no unit" or
    # "for an unknown unit", nor is gl-01's applies_to = ["unit-a"] (a warning: see WARNING_CASES)
    "refused-unit-name": [
        ("evidence/2010/units.toml", 6, "text.bidi-control"),  # 'name': holds U+202E (written \u202E)
        ("evidence/2010/units.toml", 11, "text.control-character"),  # 'name': holds U+0007 (written \u0007)
    ],
    # a refused framework.toml is reported once, at its place: the year naming it is not read, and
    # its units.toml not told that framework "base" is unknown (or "no framework in the repository")
    "refused-framework": [
        ("frameworks/base/framework.toml", 6, "model.interpreted-not-text"),  # tie_break = [] under [interpreted]
    ],
    # a key holding a newline must not split its report line into a forged one for another file
    "forged-report-lines": [(f"{U_A}/findings.toml", 9, "model.unknown-key")],  # see test_a_key_cannot_forge_a_line
    "unknown-references": [
        ("evidence/2010/findings.toml", 3, "finding.unknown-unit"),  # unknown unit 'unit-z'
        ("evidence/2010/findings.toml", 14, "finding.unknown-rule"),  # has no rule 'no-such-rule'
        ("evidence/2010/findings.toml", 21, "finding.unknown-indicator"),  # unknown indicator 'df-77'
        ("evidence/2010/findings.toml", 31, "finding.rule-takes-evidence"),  # scored from evidence, not from findings
        ("evidence/2010/findings.toml", 38, "finding.not-applicable"),  # does not apply to unit 'unit-b'
        (f"{U_B}/unknown-indicator.md", 2, "evidence.unknown-indicator"),  # unknown indicator 'df-99'
        (f"{U_B}/unknown-requirement.md", 4, "evidence.unknown-requirement"),  # has no requirement 'anual'
        (f"{U_B}/unknown-requirement.md", 5, "evidence.unknown-metric"),  # has no metric 'rate'
        (f"{U_B}/other-unit.md", 3, "evidence.unit-differs"),  # unit 'unit-a' differs from the folder 'unit-b'
        (
            "evidence/2010/unit-c/orphan.md",
            1,
            "evidence.unknown-unit-folder",
        ),  # folder 'unit-c' is not a unit of this year
    ],
    # read as the site renders them: not in code spans or fences, `report(1).pdf` and `<附件 一.pdf>`
    # and its percent-encoded spelling are files that exist, brackets in link text nest, a list's
    # continuation line, a table cell and a reference link are links; an unused definition is not
    "link-syntax": [
        (f"{U_B}/links.md", 11, "link.missing"),  # [附件 [1]](missing-3.md)
        (f"{U_B}/links.md", 12, "link.missing"),  # <附件 二.pdf>
        (f"{U_B}/blocks.md", 8, "link.missing"),
        (f"{U_B}/blocks.md", 12, "link.missing"),
        (f"{U_B}/blocks.md", 14, "link.missing"),  # where [链接][r] is used; the definition is on line 16
    ],
    # a finding cites files of its own unit's folder, each once, at most 100
    "evidence-references": [
        (f"{U_B}/findings.toml", 8, "finding.evidence-other-folder"),  # ../../../.git/config
        (f"{U_B}/findings.toml", 8, "finding.evidence-other-folder"),  # ../unit-a/df-01-meeting.md
        (f"{U_B}/findings.toml", 17, "model.too-many"),  # at most 100 items
        ("evidence/2010/findings/reviews.toml", 19, "finding.evidence-other-folder"),
    ],
    "vote-tally": [("evidence/2010/unit-a/py-01-findings.toml", 7, "model.too-large")],  # at most 100000 ballots
}

#: Cases that only warn: files kaohe does not read, said so instead of skipped silently.
WARNING_CASES: dict[str, list[tuple[str, int, str]]] = {
    "refused-unit-name": [],  # not indicator.unknown-unit for gl-01, which applies to the refused unit-a
    "evidence-references": [(f"{U_B}/findings.toml", 8, "finding.evidence-repeated")],
    "unread-files": [
        ("evidence/2010/stray.md", 1, "evidence.beside-units"),  # the README beside it is not reported
        (f"{U_B}/df-01-upper.MD", 1, "file.unread"),
        (f"{U_B}/df-01-long.markdown", 1, "file.unread"),
        (f"{U_B}/df-01-twice.md.txt", 1, "file.unread"),
        (f"{U_B}/findings.TOML", 1, "file.unread"),  # scan.pdf beside them is an attachment: not reported
        ("frameworks/base/03-zhifa.TOML", 1, "framework.unread-file"),  # README.md, source.txt: documentation
        ("frameworks/base/tables/04-nested.toml", 1, "framework.unread-file"),
    ],
}


def test_a_key_cannot_forge_a_line(tmp_path, kaohe):
    """A key holding a newline and an escape sequence is shown escaped, inside its own one-line problem."""
    code, reported = check(kaohe, repo_with(tmp_path, "forged-report-lines"))
    assert code == 1
    [problem] = reported
    key = "x\\nevidence/2010/unit-b/df-01-meeting.md:3:1: error: forged\\x1b[2K"  # as printed: visible escapes
    assert problem.message.startswith(tr("model.unknown-key", key=key))


def test_every_case_folder_has_expectations():
    assert sorted(p.name for p in CASES.iterdir()) == sorted({*TEXT_CASES, *WARNING_CASES, "html-injection"})


@pytest.mark.parametrize("case", sorted(TEXT_CASES))
def test_text_case(case, tmp_path, kaohe):
    code, reported = check(kaohe, repo_with(tmp_path, case))
    assert code == 1
    assert_exactly(reported, TEXT_CASES[case])


@pytest.mark.parametrize("case", sorted(WARNING_CASES))
def test_warning_case(case, tmp_path, kaohe):
    code, reported = check(kaohe, repo_with(tmp_path, case))
    assert code == (1 if case in TEXT_CASES else 0)
    assert_exactly(reported, WARNING_CASES[case], severity="warning")


def test_html_in_evidence_is_accepted_as_text(tmp_path, kaohe):
    """Raw HTML is shown as text on the site, never executed: it is not an input error."""
    code, reported = check(kaohe, repo_with(tmp_path, "html-injection"))
    assert (code, reported) == (0, [])


# -- byte-level cases, written by the tests ------------------------------------------------------


def _edit(root: Path, rel: str, edit) -> None:
    path = root / rel
    path.write_bytes(edit(path.read_bytes()))


def test_invalid_utf8_names_the_line(tmp_path, kaohe):
    root = repo_with(tmp_path)
    text = '+++\nindicator = "df-01"\ndate = 2010-03-15\n+++\n第一行\n'.encode()
    (root / U_A / "gbk.md").write_bytes(text + "党风廉政".encode("gbk") + b"\n")
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(f"{U_A}/gbk.md", 6, "file.not-utf8")])


def test_nul_bytes_are_refused(tmp_path, kaohe):
    root = repo_with(tmp_path)
    (root / U_A / "scan.md").write_bytes(b'+++\nindicator = "df-01"\ndate = 2010-03-15\n+++\nabc\x00def\n')
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(f"{U_A}/scan.md", 1, "file.nul")])


def test_bom_is_a_warning_only(tmp_path, kaohe):
    root = repo_with(tmp_path)
    bommed = [MEETING, FINDINGS, "evidence/2010/units.toml", "frameworks/base/01-dangfeng.toml"]
    for rel in bommed:
        _edit(root, rel, lambda b: b"\xef\xbb\xbf" + b)
    code, reported = check(kaohe, root)
    assert code == 0
    assert_exactly(reported, [])
    assert_exactly(reported, [(rel, 1, "file.bom") for rel in bommed], severity="warning")


def test_bom_does_not_shift_lines(tmp_path, kaohe):
    root = repo_with(tmp_path)
    _edit(root, FINDINGS, lambda b: b"\xef\xbb\xbf" + b.replace(b"2010-09-01", b"2011-09-01"))
    _edit(root, MEETING, lambda b: b"\xef\xbb\xbf" + b.replace(b"2010-04-02", b"2011-04-02"))
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(FINDINGS, 5, "finding.date-outside-year"), (MEETING, 3, "evidence.date-outside-year")])


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_windows_and_old_mac_line_ends_are_accepted(newline, tmp_path, kaohe):
    root = repo_with(tmp_path)
    for rel in (FINDINGS, MEETING, "evidence/2010/units.toml", "frameworks/base/01-dangfeng.toml"):
        _edit(root, rel, lambda b: b.replace(b"\n", newline))
    code, reported = check(kaohe, root)
    assert (code, reported) == (0, [])


def test_crlf_does_not_shift_lines(tmp_path, kaohe):
    root = repo_with(tmp_path)
    _edit(root, FINDINGS, lambda b: b.replace(b"2010-09-01", b"2011-09-01").replace(b"\n", b"\r\n"))
    _edit(root, MEETING, lambda b: b.replace(b"2010-04-02", b"2011-04-02").replace(b"\n", b"\r\n"))
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(FINDINGS, 5, "finding.date-outside-year"), (MEETING, 3, "evidence.date-outside-year")])


@pytest.mark.parametrize(
    "name",
    ["df-01-x\nevidence/2010/unit-b/df-01-meeting.md", "df-01-\x1b[31mred\x1b[0m", "df-01-\u202eexe.md"],
    ids=["newline", "escape-sequence", "bidi-override"],
)
def test_file_names_are_printed_on_one_line_and_inert(name, tmp_path, kaohe):
    """A file name is printed in the problem about it: a newline must not forge a line for another
    file (the parser below fails on any line that is not a problem), nor an ESC reach the terminal."""
    root = repo_with(tmp_path)
    (root / U_A / (name.replace("/", "∕") + ".md")).write_text("没有前置元数据\n", encoding="utf-8")
    shown = (U_A + "/" + name.replace("/", "∕") + ".md").replace("\n", "\\n").replace("\x1b", "\\x1b")
    shown = shown.replace("\u202e", "\\u202e")
    code, reported = check(kaohe, root)
    assert code == 1
    # a bidi override in a name is an error of its own (docs/safety.md, "Text direction")
    named = [(shown, 1, "tree.bidi-name")] if "\u202e" in name else []
    assert_exactly(reported, [(shown, 1, "evidence.no-front-matter"), *named])


def test_huge_evidence_file_reports_the_right_line_in_linear_time(tmp_path, kaohe):
    """About eight megabytes, 100,000 links, one broken link near the end: found at its line, quickly."""
    root = repo_with(tmp_path)
    line = "党风廉政建设工作情况报告，详见[会议记录](df-01-meeting.md)。" * 3 + "\n"
    lines = 33_000
    body = line * lines + "另见[附件](attachment-missing.pdf)。\n"
    (root / U_A / "huge.md").write_text('+++\nindicator = "df-01"\ndate = 2010-03-15\n+++\n' + body, encoding="utf-8")
    assert (root / U_A / "huge.md").stat().st_size > 7_500_000
    started = time.monotonic()
    code, reported = check(kaohe, root)
    elapsed = time.monotonic() - started
    assert code == 1
    assert_exactly(reported, [(f"{U_A}/huge.md", 5 + lines, "link.missing")])
    assert elapsed < 30, f"{elapsed:.1f} s: counting lines from the start for every link is quadratic"


@pytest.mark.parametrize("pattern", ["[a](", "[", "![x]([y]("], ids=["link-opens", "brackets", "nested"])
def test_pathological_link_lines_do_not_hang(pattern, tmp_path, kaohe):
    """A 400 KB line of unclosed link syntax: reading its links must not backtrack for minutes.

    Links are read from the markdown-it tokens the site renders: linear, though markdown-it is slow
    on a line of brackets (10-40 s here, depending on the machine's load; the site's build pays it too).
    """
    root = repo_with(tmp_path)
    body = pattern * (400_000 // len(pattern)) + "。\n[坏链接](../../../../etc/passwd)\n"
    (root / U_A / "long-line.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2010-03-15\n+++\n' + body, encoding="utf-8"
    )
    started = time.monotonic()
    code, reported = check(kaohe, root)
    elapsed = time.monotonic() - started
    assert code == 1
    assert_exactly(reported, [(f"{U_A}/long-line.md", 6, "link.outside")])
    # Backtracking on this line took minutes; a linear scan takes seconds even on a loaded 2-core
    # machine. The bound only separates the two (speed itself is measured in bench/, not here).
    assert elapsed < 120, f"{elapsed:.1f} s"


def test_huge_findings_file(tmp_path, kaohe):
    """Ten thousand findings in one file: every one is read, the one bad one is found at its line."""
    root = repo_with(tmp_path)
    table = (
        '\n[[finding]]\nid = "a-{n}"\nindicator = "gl-01"\nrule = "late"\ndate = 2010-05-01\n'
        'amount = {amount}\nreason = "未按时报送半年工作总结，经核实属实，按规定扣分。"\n'
    )
    text = (root / FINDINGS).read_text(encoding="utf-8")
    text += "".join(table.format(n=n, amount="0.1" if n != 9_000 else "0.9") for n in range(10_000))
    (root / FINDINGS).write_text(text, encoding="utf-8")
    code, reported = check(kaohe, root)
    assert code == 1
    # the base file has 8 lines; each added finding takes 8 lines and its amount is its 7th
    assert_exactly(reported, [(FINDINGS, 8 + 9_000 * 8 + 7, "finding.range-amount-outside")])


def _outside_file(tmp_path: Path, name: str, text: str) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    target = outside / name
    target.write_text(text, encoding="utf-8")
    return target


#: Evidence that links to the attachments the symlink tests plant.
LINKING = '+++\nindicator = "df-01"\ndate = 2010-03-15\n+++\n![扫描件](scan.png)\n[附件](scans/page-1.pdf)\n'


def _plant_symlinks(tmp_path: Path, root: Path) -> list[tuple[str, int, str]]:
    """Links out of the repository, to a system file, into another unit's folder; what check must say."""
    secret = _outside_file(tmp_path, "secret.md", '+++\nindicator = "df-01"\ndate = 2010-03-15\n+++\n机密\n')
    (tmp_path / "outside" / "page-1.pdf").write_bytes(b"%PDF-1.4 secret")
    (root / U_A / "scan.png").symlink_to("/etc/passwd")
    (root / U_A / "env.pdf").symlink_to("/proc/self/environ")
    (root / U_A / "scans").symlink_to(tmp_path / "outside", target_is_directory=True)
    (root / U_A / "secret.md").symlink_to(secret)
    (root / U_A / "linking.md").write_text(LINKING, encoding="utf-8")
    (root / U_B / "df-01-copy.md").symlink_to("../unit-a/df-01-meeting.md")  # another unit's evidence
    (root / "frameworks/base/09-link.toml").symlink_to(secret)
    return [
        (f"{U_A}/scan.png", 1, "tree.symlink"),
        (f"{U_A}/env.pdf", 1, "tree.symlink"),
        (f"{U_A}/scans", 1, "tree.symlink"),
        (f"{U_A}/secret.md", 1, "tree.symlink"),
        (f"{U_B}/df-01-copy.md", 1, "tree.symlink"),
        ("frameworks/base/09-link.toml", 1, "tree.symlink"),
        (f"{U_A}/linking.md", 5, "link.missing"),  # what a link points to is neither listed nor linkable
        (f"{U_A}/linking.md", 6, "link.missing"),
    ]


def test_every_symlink_in_the_input_is_refused(tmp_path, kaohe):
    root = repo_with(tmp_path)
    expected = _plant_symlinks(tmp_path, root)
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, expected)
    assert not [r for r in reported if "机密" in r.message or "root:" in r.message]  # nothing read through a link


def test_a_committed_symlink_is_refused_at_a_revision_as_in_the_working_tree(tmp_path, kaohe):
    """`check --rev` read mode-120000 entries as nothing at all: check and check --rev HEAD disagreed."""
    root = repo_with(tmp_path)
    expected = _plant_symlinks(tmp_path, root)
    init_git(root)
    code, working = check(kaohe, root)
    rev_code, at_head = check(kaohe, root, "--rev", "HEAD")
    assert (code, rev_code) == (1, 1)
    assert_exactly(at_head, expected)
    assert sorted((r.path, r.line, r.code) for r in at_head) == sorted((r.path, r.line, r.code) for r in working)


def test_publishing_a_commit_with_a_symlink_is_refused_before_extraction(tmp_path, kaohe):
    """`git archive` of an absolute link made tarfile raise AbsoluteLinkError: a crash, not a refusal."""
    root = repo_with(tmp_path)
    (root / U_A / "scan.png").symlink_to("/etc/passwd")
    init_git(root)
    run = kaohe("publish", "--repo", str(root), "--draft", "2010", "--rev", "HEAD")
    assert run.code == 1, run.err
    assert "internal error" not in run.err and "Error" not in run.err
    assert f"{U_A}/scan.png" in run.err
    assert not (root / "site" / "2010").exists()


def _git_out(root: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, check=True).stdout


def _tree_with(root: Path, tree: str, folder: str, name: bytes, entry: tuple[bytes, str]) -> str:
    """The id of `tree` with `entry` (mode, id) added as `name` inside `folder`, written by hand as
    `git mktree` would: git's own commands never make a name such as ".." (see generator.tree)."""
    head, _, rest = folder.partition("/")
    listing = [line for line in _git_out(root, "ls-tree", "-z", tree).split(b"\0") if line]
    entries = []
    for line in listing:
        meta, _, entry_name = line.partition(b"\t")
        mode, _, sha = meta.decode().split()
        if folder and entry_name == head.encode():
            sha = _tree_with(root, sha, rest, name, entry)
        entries.append((mode.encode(), entry_name, sha))
    if not folder:
        entries.append((entry[0], name, entry[1]))
    body = b"".join(m + b" " + n + b"\0" + bytes.fromhex(sha) for m, n, sha in sorted(entries, key=lambda e: e[1]))
    return _git_out(root, "hash-object", "-t", "tree", "-w", "--literally", "--stdin", data=body).decode().strip()


def test_a_hand_made_commit_with_a_dotdot_entry_is_refused_at_check_and_publish(tmp_path, kaohe):
    """A tree entry named ".." (`git mktree` makes one): `check --rev` passed it in silence (a name
    starting with "." is skipped as hidden) and `publish` then stopped with "internal error" as
    `git archive` refused the path; extracting it would write outside the snapshot folder."""
    root = repo_with(tmp_path)
    init_git(root)
    blob = _git_out(root, "hash-object", "-w", "--stdin", data=b"escaped\n").decode().strip()
    inner = _tree_with(root, _git_out(root, "mktree", data=b"").decode().strip(), "", b"escaped.md", (b"100644", blob))
    tree = _tree_with(root, _git_out(root, "rev-parse", "HEAD^{tree}").decode().strip(), U_A, b"..", (b"40000", inner))
    commit = _git_out(root, "commit-tree", tree, "-p", "HEAD", "-m", "hand-made").decode().strip()
    code, reported = check(kaohe, root, "--rev", commit)
    assert code == 1
    assert_exactly(reported, [(f"{U_A}/..", 1, "tree.path")])
    run = kaohe("publish", "--repo", str(root), "--draft", "2010", "--rev", commit)
    assert run.code == 1, run.err
    assert "内部错误" not in run.err and f"{U_A}/.." in run.err
    assert not list(tmp_path.rglob("escaped.md"))


def test_a_named_pipe_is_reported_and_never_opened(tmp_path):
    """A FIFO under evidence/ made `kaohe check` wait forever for a writer; it runs in a child to time it out."""
    root = repo_with(tmp_path)
    os.mkfifo(root / U_A / "df-01-pipe.md")
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", "--repo", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 1, done.stderr
    assert [(i["path"], i["line"], i["code"]) for i in json.loads(done.stdout)] == [
        (f"{U_A}/df-01-pipe.md", 1, "tree.special")
    ]


@pytest.mark.parametrize("at_revision", [False, True], ids=["working-tree", "revision"])
def test_a_file_name_that_is_not_utf8_is_reported(at_revision, tmp_path, kaohe):
    """A GBK-encoded file name (saved by a Windows tool) crashed printing and the site build."""
    root = repo_with(tmp_path)
    name = "党风廉政.md".encode("gbk")
    text = (root / U_A / "df-01-meeting.md").read_bytes()
    with open(os.path.join(os.fsencode(root / U_A), name), "wb") as f:
        f.write(text)
    if at_revision:
        init_git(root)
    code, reported = check(kaohe, root, *(["--rev", "HEAD"] if at_revision else []))
    assert code == 1
    shown = f"{U_A}/" + name.decode("utf-8", "backslashreplace")  # evidence/2010/unit-a/\xb5\xb3…
    assert_exactly(reported, [(shown, 1, "tree.name")])


def test_six_hundred_nested_tables_are_refused_quickly_at_their_line(tmp_path, kaohe):
    """[a], [a.a], [a.a.a] … 600 deep took 10 s (tomllib and the position scanner grow with depth squared)."""
    root = repo_with(tmp_path)
    headers = "".join("[" + ".".join(["a"] * k) + "]\n" for k in range(1, 601))
    (root / U_A / "deep.toml").write_text(headers, encoding="utf-8")
    started = time.monotonic()
    code, reported = check(kaohe, root)
    elapsed = time.monotonic() - started
    assert code == 1
    # the first name with 16 dots is [a.a.… 17 parts], on line 17
    assert_exactly(reported, [(f"{U_A}/deep.toml", 17, "toml.too-deep")])
    assert elapsed < 5, f"{elapsed:.1f} s"


@pytest.mark.parametrize(("brackets", "refused"), [(61, False), (62, True)])
def test_nesting_deeper_than_sixty_four_levels_is_refused(tmp_path, kaohe, brackets, refused):
    """The compiled parser reads 1,000 levels of arrays; kaohe stops at MAX_NESTING = 64.

    `tallies = [[…]]` with n brackets, in the last [[finding]], nests n + 3 levels: the file's table,
    the `finding` array, the finding's table, then the n arrays. 61 brackets are 64 levels (the most
    allowed: only the wrong type is reported), 62 brackets are 65.
    """
    root = repo_with(tmp_path)
    nested = "[" * brackets + "]" * brackets
    _edit(root, FINDINGS, lambda b: b + f"tallies = {nested}\n".encode())
    code, reported = check(kaohe, root)
    assert code == 1
    # line 9: the base file has 8 lines; too deep is reported where the nesting is deepest
    codes = [(r.path, r.line, r.code) for r in reported if r.severity == "error"]
    assert ((FINDINGS, 9, "toml.too-deep") in codes) is refused, codes


def test_seventeen_dotted_numbers_inside_a_string_are_not_a_deep_key(tmp_path, kaohe):
    """The dotted-key bound looks where a key can stand; a reason quoting 第1.2.…17条 is text (it was
    refused as too deep)."""
    root = repo_with(tmp_path)
    dotted = ".".join(str(n) for n in range(1, 18))  # 17 parts, 16 dots: as many as a too-deep key
    _edit(root, FINDINGS, lambda b: b.replace("未按时报送半年工作总结".encode(), f"见第{dotted}条".encode()))
    code, reported = check(kaohe, root)
    assert (code, reported) == (0, [])


def test_dotted_keys_are_bounded_too(tmp_path, kaohe):
    root = repo_with(tmp_path)
    key = ".".join(["a"] * 5000)
    _edit(root, FINDINGS, lambda b: b + f"\n[[finding]]\n{key} = 1\n".encode())
    started = time.monotonic()
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(FINDINGS, 11, "toml.too-deep")])  # the base file has 8 lines, then a blank line
    assert time.monotonic() - started < 5


def test_a_finding_citing_one_file_fifty_thousand_times_is_refused(tmp_path, kaohe):
    root = repo_with(tmp_path)
    refs = ", ".join(['"df-01-meeting.md"'] * 50_000)
    _edit(root, FINDINGS, lambda b: b.replace(b'evidence = ["df-01-meeting.md"]', f"evidence = [{refs}]".encode()))
    started = time.monotonic()
    code, reported = check(kaohe, root)
    assert code == 1
    assert_exactly(reported, [(FINDINGS, 8, "model.too-many")])
    assert time.monotonic() - started < 10


def test_many_problems_are_collected_in_linear_time():
    """A year where every one of 50,000 files has a problem: collecting them must not be quadratic.

    (De-duplicating by a list membership test took 20 s for 20,000 problems, ~8 minutes for 100,000.)
    """
    problems = Problems()
    started = time.monotonic()
    for n in range(50_000):
        problems.report(f"{U_A}/e{n}.md", 3, 1, "evidence.date-outside-year", severity="warning", date="2011-01-05")
    problems.report(f"{U_A}/e7.md", 3, 1, "evidence.date-outside-year", severity="warning", date="2011-01-05")
    assert len(problems) == 50_000  # the repeat is dropped
    assert time.monotonic() - started < 10


def test_score_refusing_input_lists_each_error_on_its_own_line(tmp_path, kaohe):
    """The refusal quotes the first errors one per line, as `kaohe check` prints them (it printed
    them joined by a literal backslash-n on one line)."""
    run = kaohe("score", "--repo", str(repo_with(tmp_path, "wrong-types")))
    assert run.code == 1
    lines = run.err.splitlines()
    assert "\\n" not in run.err
    assert any(line.startswith(f"{U_B}/findings.toml:6:1: ") for line in lines), run.err
    assert any(line.startswith(f"{U_B}/types.md:3:1: ") for line in lines), run.err


# -- a hint with every value a clerk can get out of range ---------------------------------------

#: The problems a clerk's typo produces (a count of 0, a negative amount, an empty title, shares
#: that do not add up) that printed what is wrong but not how to put it right.
CLERK_VALUE_CODES = [
    "model.too-small",
    "model.too-large",
    "model.not-above",
    "model.not-below",
    "model.text-too-short",
    "model.text-too-long",
    "model.too-few",
    "model.too-many",
    "number.negative",
    "number.not-positive",
    "number.not-finite",
    "number.boolean",
    "individual.shares-not-100",
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", CLERK_VALUE_CODES)
def test_a_value_out_of_range_says_how_to_fix_it(code, lang):
    from generator.messages import has

    assert has(code + ".hint"), code
    params = {"key": "count", "limit": 1, "value": -1, "monthly": 70, "yearly": 20, "total": 90}
    assert tr(code + ".hint", lang=lang, **params).strip()


def test_a_count_of_0_is_reported_with_its_hint(tmp_path, kaohe):
    """`count = 0` in evidence: "“count”不能小于 1" alone left the clerk to guess; the hint says what
    to write (and that an item that did not happen is simply not filed)."""
    root = repo_with(tmp_path)
    meeting = root / U_B / "df-01-meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("+++\n", "+++\ncount = 0\n", 1), encoding="utf-8")
    run = kaohe("check", "--repo", str(root))
    assert run.code == 1
    line = next(x for x in run.out.splitlines() if x.startswith(f"{U_B}/df-01-meeting.md:2:"))
    assert (
        " 错误：“count”不能小于 1（提示：写一个不小于 1 的值；若这是次数（count）而一次也没有，删去这条记录即可" in line
    ), line
