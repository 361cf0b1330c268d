"""`kaohe check --format`: the same problems as the text format, with correct paths and lines."""

from __future__ import annotations

import json

import pytest

#: These tests read what messages say of their parameters (a value quoted, a placeholder named): in English.
pytestmark = pytest.mark.usefixtures("english")

BAD_EVIDENCE = """+++
indicator = "df-99"
date = 2010-05-01
satisfies = "meeting"
+++
正文
"""

BAD_FINDINGS = """[[finding]]
id = "xr-2010-09"
indicator = "df-08"
rule = "discipline"
date = 2010-08-12
grade = "处级干部"
reason = "违纪，含逗号, 冒号: 和百分号 100%"
"""


def _break(mini):
    (mini / "evidence/2010/xingren/df-99-x.md").write_text(BAD_EVIDENCE, encoding="utf-8")
    (mini / "evidence/2010/anlong/more.toml").write_text(BAD_FINDINGS, encoding="utf-8")


def test_text_lists_the_problems(mini, kaohe):
    _break(mini)
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 1
    lines = run.out.splitlines()
    # line 2 col 1 is `indicator = "df-99"` (line 1 is the opening +++)
    assert lines[0].startswith("evidence/2010/anlong/more.toml:6:1: error: unknown grade '处级干部'")
    assert lines[1].startswith("evidence/2010/xingren/df-99-x.md:2:1: error: unknown indicator 'df-99'")
    assert len(lines) == 2


def test_github_workflow_commands(mini, kaohe):
    _break(mini)
    run = kaohe("--repo", str(mini), "check", "--format", "github")
    assert run.code == 1
    lines = run.out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "::error file=evidence/2010/anlong/more.toml,line=6,col=1,title=kaohe check::unknown grade '处级干部'"
    )
    assert lines[1].startswith(
        "::error file=evidence/2010/xingren/df-99-x.md,line=2,col=1,title=kaohe check::unknown indicator 'df-99'"
    )


def test_github_escapes_percent_newlines_and_escape_sequences():
    from generator.problem_formats import github
    from generator.problems import Problem

    # a newline shows as "\n" (as in the text format), an ESC as "\x1b": the command stays one line
    # and the CI log shows the characters instead of acting on them
    params = (("key", "100% done\nnext \x1b[2J"), ("suggestion", ""))
    problem = Problem("a,b:c\n.md", 3, 4, "model.unknown-key", params, "warning")
    out = github([problem])
    assert (
        out
        == "::warning file=a%2Cb%3Ac\\n.md,line=3,col=4,title=kaohe check::unknown key '100%25 done\\nnext \\x1b[2J'\n"
    )


def test_gitlab_code_quality(mini, kaohe):
    _break(mini)
    run = kaohe("--repo", str(mini), "check", "--format", "gitlab")
    assert run.code == 1
    issues = json.loads(run.out)
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["severity"]) for i in issues] == [
        ("evidence/2010/anlong/more.toml", 6, "major"),
        ("evidence/2010/xingren/df-99-x.md", 2, "major"),
    ]
    assert all(i["check_name"] == "kaohe-check" and len(i["fingerprint"]) == 32 for i in issues)
    assert len({i["fingerprint"] for i in issues}) == 2
    assert issues[1]["description"].startswith("unknown indicator 'df-99'")


def test_json_matches_text(mini, kaohe):
    _break(mini)
    text = kaohe("--repo", str(mini), "check").out.splitlines()
    items = json.loads(kaohe("--repo", str(mini), "check", "--format", "json").out)
    rebuilt = [
        f"{i['path']}:{i['line']}:{i['col']}: {i['severity']}: {i['message']}"
        + (f" (hint: {i['hint']})" if i["hint"] else "")
        for i in items
    ]
    assert rebuilt == text


def test_paths_filter_applies_to_every_format(mini, kaohe):
    _break(mini)
    run = kaohe("--repo", str(mini), "check", "--format", "json", "evidence/2010/xingren/df-99-x.md")
    assert [i["path"] for i in json.loads(run.out)] == ["evidence/2010/xingren/df-99-x.md"]


def test_clean_repository_prints_empty_reports(mini, kaohe):
    assert kaohe("--repo", str(mini), "check", "--format", "gitlab").out == "[]\n"
    assert kaohe("--repo", str(mini), "check", "--format", "github").out == ""


def test_gitlab_shows_control_characters_json_keeps_them_and_the_code():
    from generator.problem_formats import as_json, gitlab
    from generator.problems import Problem

    params = (("key", "x\ny\x1b[2J"), ("suggestion", "fix\u2028it"))
    problem = Problem("a\u202e.md", 2, 1, "model.unknown-key", params)
    (issue,) = json.loads(gitlab([problem]))
    assert issue["description"] == "unknown key 'x\\ny\\x1b[2J' (hint: fix\\u2028it)"
    assert issue["location"]["path"] == "a\\u202e.md"
    (item,) = json.loads(as_json([problem]))  # for scripts: the data as it is, escaped by JSON itself
    assert (item["path"], item["message"], item["hint"], item["code"]) == (
        "a\u202e.md",
        "unknown key 'x\ny\x1b[2J'",
        "fix\u2028it",
        "model.unknown-key",
    )
