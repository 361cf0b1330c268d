"""Shortcuts taken for speed give what the general path gives: a finding's line, the command imported."""

from __future__ import annotations

import pytest

from generator.cli import command_named
from generator.load.findings import load_findings
from generator.problems import Problems
from generator.tree import FsTree

FINDING = 'id = "{id}"\nindicator = "i1"\nrule = "r"\ndate = 2020-01-01\nreason = {reason}\n'


def _lines(tmp_path, text: str) -> list[int]:
    path = "evidence/2020/u1/findings.toml"
    (tmp_path / "evidence/2020/u1").mkdir(parents=True)
    (tmp_path / path).write_text(text, encoding="utf-8")
    problems = Problems()
    findings = load_findings(FsTree(tmp_path), path, "u1", problems)
    assert not problems.errors
    return [f.source.line for f in findings]


def test_finding_lines_from_header_lines(tmp_path):
    text = "# comment\n\n[[finding]]\n" + FINDING.format(id="a", reason='"x"') + "\n[[finding]]\n"
    text += FINDING.format(id="b", reason='"y"')
    # headers on lines 3 and 3 + 1 + 5 (keys) + 1 (blank) = 10
    assert _lines(tmp_path, text) == [3, 10]


@pytest.mark.parametrize(
    "second_header",
    ["[[finding]]  # the second", "[[ finding ]]", '[["finding"]]'],
    ids=["comment", "spaces", "quoted"],
)
def test_finding_lines_of_headers_written_otherwise(tmp_path, second_header):
    text = "[[finding]]\n" + FINDING.format(id="a", reason='"x"') + second_header + "\n"
    text += FINDING.format(id="b", reason='"y"')
    # the second header follows the first (line 1) and its five keys: line 7
    assert _lines(tmp_path, text) == [1, 7]


def test_a_header_line_inside_a_multiline_string_is_not_a_finding(tmp_path):
    reason = '"""\n[[finding]]\n"""'  # three lines of text, one of them looking like a header
    # the real second header written otherwise: as many `[[finding]]` lines as findings, one in the string
    text = "[[finding]]\n" + FINDING.format(id="a", reason=reason) + "[[ finding ]]\n"
    text += FINDING.format(id="b", reason='"y"')
    # line 1, then five keys of which the reason spans three lines: the second header is line 9
    assert _lines(tmp_path, text) == [1, 9]


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["check"], "check"),
        (["--repo", "score", "check"], "check"),  # a repository named like a command
        (["--rep", "score", "check"], "check"),  # argparse's abbreviation of --repo
        (["--lang=en", "import", "x.docx"], "import_"),
        (["--lang", "en", "todo"], "todo"),
        (["--help", "check"], None),
        (["--ver"], None),
        (["chek"], None),  # unknown: every command is loaded, so argparse lists them all
        ([], None),
    ],
)
def test_the_command_to_import(argv, module):
    assert command_named(argv) == module
