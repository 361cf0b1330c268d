"""Late evidence from git history: reported by `kaohe check`, deducted by a `late` rule.

The fixture's df-01 is due in month 12 of 2010; with grace_days = 5 (the Liaoyang measures'
"results by the 5th of the following month") it is due by 2010-12-31 + 5 days = 2011-01-05.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import git

ANNUAL = """+++
indicator = "df-01"
date = 2010-12-28
satisfies = "annual"
+++
全年工作情况报告。
"""

LATE_RULE = """
[[indicator.rule]]
id = "on-time"
kind = "late"
text = "逾期报送的，每件扣0.05分"
amount = 0.05
"""


def commit(repo, message, when):
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{when}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{when}T10:00:00+08:00"}
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", message], check=True, env=env)


@pytest.fixture
def repo(mini):
    fw = mini / "frameworks/mini/framework.toml"
    fw.write_text(
        fw.read_text(encoding="utf-8").replace('floor = "zero"', 'floor = "zero"\ngrace_days = 5'), encoding="utf-8"
    )
    units = mini / "evidence/2010/units.toml"
    units.write_text(
        units.read_text(encoding="utf-8").replace('framework = "mini"', 'framework = "mini"\nfiling_deadlines = true'),
        encoding="utf-8",
    )
    cat = mini / "frameworks/mini/01-dangfeng.toml"
    text = cat.read_text(encoding="utf-8")
    # the late rule goes into df-01, right after its checklist rule (before [[indicator]] df-03)
    marker = '\n[[indicator]]\nid = "df-03"'
    cat.write_text(text.replace(marker, LATE_RULE + marker), encoding="utf-8")
    git(mini, "init", "-q", "-b", "main")
    git(mini, "config", "user.email", "test@example.invalid")
    git(mini, "config", "user.name", "kaohe tests")
    commit(mini, "evidence filed in time", "2010-12-20")
    return mini


def test_late_file_is_reported_and_deducted(repo, kaohe):
    (repo / "evidence/2010/xingren/df-01-annual.md").write_text(ANNUAL, encoding="utf-8")
    commit(repo, "annual report, one day late", "2011-01-06")
    run = kaohe("--repo", str(repo), "check")
    assert run.code == 0  # lateness is a warning: the file still counts
    assert run.out.splitlines() == [
        "evidence/2010/xingren/df-01-annual.md:2:1: warning: filed late: first committed 2011-01-06, due by "
        "2011-01-05 (indicator 'df-01', month end + 5 days) (hint: late evidence still counts; a `late` rule "
        "in the framework may deduct for it)"
    ]
    data = json.loads(kaohe("--repo", str(repo), "score", "--unit", "xingren", "--format", "json").out)
    unit = data["units"][0]
    df01 = next(i for i in unit["indicators"] if i["id"] == "df-01")
    # meeting, half-year and annual are all there (no checklist deduction); 0.05 for one late file:
    # 0.3 − 0.05 = 0.25
    assert df01["score"] == "0.25"
    (line,) = df01["deductions"]
    assert (line["rule"], line["amount"], line["evidence"]) == (
        "on-time",
        "0.05",
        ["evidence/2010/xingren/df-01-annual.md"],
    )
    assert line["reason"] == "逾期报送：df-01-annual.md于2011-01-06提交，应于2011-01-05前报送"
    # dangfeng raw 0.25 + 0.3 + 1.22 + 0 = 1.77 → 1.77 × 5 / 2.67 = 3.3146… → 3.31; + zf-04 19.8 = 23.11
    assert unit["total"] == "23.11"


def test_on_the_deadline_is_in_time_and_a_rename_keeps_its_date(repo, kaohe):
    (repo / "evidence/2010/xingren/df-01-annual.md").write_text(ANNUAL, encoding="utf-8")
    commit(repo, "on the last day", "2011-01-05")
    git(repo, "mv", "evidence/2010/xingren/df-01-annual.md", "evidence/2010/xingren/df-01-2010-12-28-annual.md")
    commit(repo, "rename after the deadline", "2011-02-01")
    run = kaohe("--repo", str(repo), "check")
    assert (run.code, run.out) == (0, "")


def test_the_diff_shows_the_late_deduction(repo, kaohe):
    git(repo, "branch", "base")
    (repo / "evidence/2010/xingren/df-01-annual.md").write_text(ANNUAL, encoding="utf-8")
    commit(repo, "late", "2011-01-09")
    data = json.loads(kaohe("--repo", str(repo), "diff", "base", "main", "--format", "json").out)
    (unit,) = data["years"][0]["units"]
    (ind,) = unit["indicators"]
    changes = sorted((c["change"], c["rule"]) for c in ind["lines"])
    # the missing annual report (0.1) goes, a late-filing deduction (0.05) comes: 0.2 → 0.25
    assert changes == [("added", "on-time"), ("removed", "reports")]
    assert (ind["old_score"], ind["new_score"]) == ("0.2", "0.25")


def test_years_without_filing_deadlines_never_call_git(mini, kaohe, monkeypatch):
    def no_git(*args, **kwargs):
        raise AssertionError(f"git was called: {args}")

    monkeypatch.setattr("generator.tree.subprocess.run", no_git)
    assert kaohe("--repo", str(mini), "check").code == 0


def test_a_folder_outside_git_says_so(repo, kaohe, tmp_path):
    import shutil

    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    run = kaohe("--repo", str(plain), "check")
    assert run.code == 0
    assert "warning: filing_deadlines is on but this folder is not a git repository" in run.out
