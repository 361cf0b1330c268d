"""What `kaohe build` and `kaohe score` say when a year's input has problems: the problems, each on
its own line as `kaohe check` prints them. Before, two problems read as one line joined by a visible
\\n, and `build` wrapped them in MkDocs' "stopped" and its own refusal twice over."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import said

MEETING = "evidence/2010/xingren/df-01-meeting.md"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_year_with_problems_is_refused_with_each_problem_on_its_own_line(mini: Path, tmp_path: Path, kaohe):
    _edit(mini / MEETING, 'indicator = "df-01"', 'indicator = "df-99"')
    os.mkfifo(mini / "evidence/2010/xingren/pipe.md")  # a second problem: a FIFO is never read
    run = kaohe("build", "--repo", str(mini), "--site-dir", str(tmp_path / "site"), "--no-cache")
    assert run.code == 1
    lines = run.err.splitlines()
    # before: "kaohe build: 构建 2010 年度失败：构建中出错，已停止\n错误：kaohe：2010 年度的输入有 2 个错误…
    # \nevidence/…" — one line, MkDocs' "stopped" and kaohe's refusal twice over, the breaks shown as \n
    assert "\\n" not in run.err
    assert said("build.aborted-error") not in run.err
    refused = max(n for n, line in enumerate(lines) if line.startswith("kaohe build: "))  # after the progress
    assert "2010" in lines[refused]
    problems = lines[refused + 1 :]
    assert len(problems) == 2, problems
    assert any(p.startswith(MEETING + ":") and "df-99" in p for p in problems)
    assert any(p.startswith("evidence/2010/xingren/pipe.md:1:1:") for p in problems)


def test_a_hostile_file_name_in_a_refused_year_stays_on_its_line(mini: Path, tmp_path: Path, kaohe):
    """The refusal keeps its own line breaks, never a value's: a file name holding a newline cannot
    forge a problem line of another file."""
    forged = "df-01-x\nframeworks:1:1: 错误：forged\x1b[31m.md"
    text = (mini / MEETING).read_text(encoding="utf-8").replace('indicator = "df-01"', 'indicator = "df-99"')
    (mini / "evidence/2010/xingren" / forged).write_text(text, encoding="utf-8")
    run = kaohe("build", "--repo", str(mini), "--site-dir", str(tmp_path / "site"), "--no-cache")
    assert run.code == 1
    assert "\x1b" not in run.err
    assert not any(line.startswith("frameworks:1:1:") for line in run.err.splitlines())
    assert "df-01-x\\nframeworks:1:1:" in run.err


def test_score_prints_two_problems_on_two_lines(mini: Path, kaohe):
    _edit(mini / MEETING, 'indicator = "df-01"', 'indicator = "df-99"')
    os.mkfifo(mini / "evidence/2010/xingren/pipe.md")
    run = kaohe("score", "--repo", str(mini))
    assert run.code == 1 and "\\n" not in run.err
    lines = run.err.splitlines()
    assert lines[0].startswith("kaohe score: ")
    assert [line.split(":")[0] for line in lines[1:]] == ["evidence/2010/xingren/pipe.md", MEETING]
