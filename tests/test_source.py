"""Sources travel as `Source(path, line, col)`: a ":" in a file name is part of the name everywhere."""

from __future__ import annotations

import json

from builders import BELOW_ZERO, make_repo, score, write

from generator.diff import FileChange, compare_results
from generator.output.diffout import Links, Revision, markdown
from generator.source import Source

FINDING = """
[[finding]]
id = "f1"
indicator = "gl"
rule = "err"
date = 2010-05-01
reason = "台账缺失"
evidence = ["scan:3"]
"""


def _repo(tmp_path):
    make_repo(tmp_path, BELOW_ZERO, findings={"a/gl-review:2.toml": FINDING})
    write(tmp_path / "evidence/2010/a/scan:3", "扫描件")
    return tmp_path


def test_the_json_prints_path_and_line_of_a_file_named_with_colons(tmp_path, kaohe):
    run = kaohe("--repo", str(_repo(tmp_path)), "score", "--format", "json")
    assert run.code == 0, run.err
    row = json.loads(run.out)["units"][0]["indicators"][0]
    # [[finding]] is the file's first line; the cited file keeps its whole name
    assert [(d["source"], d["evidence"]) for d in row["deductions"]] == [
        ("evidence/2010/a/gl-review:2.toml:1", ["evidence/2010/a/scan:3"])
    ]


def test_results_carry_the_position_not_text_to_parse(tmp_path):
    line = score(_repo(tmp_path)).units[0].indicators[0].deductions[0]
    assert line.source == Source("evidence/2010/a/gl-review:2.toml", 1, 1)
    assert str(line.source) == "evidence/2010/a/gl-review:2.toml:1"


def test_the_diff_links_a_cited_file_named_like_a_line_to_the_file(tmp_path):
    """`scan:3` is a file, not line 3 of `scan`; the finding's file is found as the line's source."""
    new = score(_repo(tmp_path))
    changed = [FileChange("evidence/2010/a/gl-review:2.toml", "added"), FileChange("evidence/2010/a/scan:3", "added")]
    diff = compare_results(None, new, changed)
    # the findings file is the line's source; the scan is cited by the line (not evidence of the indicator)
    assert [(f.subjects, f.effect) for f in diff.files] == [([("a", "gl")], True), ([], True)]
    links = Links("https://git.example/r/-/blob/{commit}/{path}#L{line}")
    comment = markdown([diff], Revision("main", "0" * 40), Revision("pr", "1" * 40), links)
    blob = "https://git.example/r/-/blob/" + "1" * 40
    assert f"({blob}/evidence/2010/a/scan%3A3#L1)" in comment
    assert f"({blob}/evidence/2010/a/gl-review%3A2.toml#L1)" in comment
    assert "/evidence/2010/a/scan#L3" not in comment
