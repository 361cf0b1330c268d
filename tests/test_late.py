"""Late evidence from git history: reported by `kaohe check`, deducted by a `late` rule.

The fixture's df-01 is due in month 12 of 2010; with grace_days = 5 (the Liaoyang measures'
"results by the 5th of the following month") it is due by 2010-12-31 + 5 days = 2011-01-05.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from generator import messages
from tests.conftest import git, said

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


def judging_deadlines(mini):
    """The mini fixture with filing_deadlines on for 2010, 5 days' grace and a `late` rule in df-01."""
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
    return mini


@pytest.fixture
def repo(mini):
    judging_deadlines(mini)
    commit(mini, "evidence filed in time", "2010-12-20")
    return mini


def _said_once(text: str, prefix: str, code: str, **params) -> None:
    """`text` holds `code`'s message (and hint) on exactly one line, which starts with `prefix`."""
    lines = [line for line in text.splitlines() if said(code, **params) in line]
    assert len(lines) == 1 and lines[0].startswith(prefix), text
    assert "Traceback" not in text


def test_a_repository_without_commits_says_once_that_deadlines_wait_for_the_commit(mini, kaohe):
    """A year with filing_deadlines in a repository with no commit yet: no evidence has a filing date,
    and every deadline judgement was skipped without a word (check clean, score as if all on time).
    Now check and score say it once, as a warning at the first file, with how to fix it. The mini
    fixture's 2010 has 8 evidence files (anlong 2 + cehen 2 + xingren 4 = 8; findings.toml are findings),
    all uncommitted; anlong/df-01-meeting.md is the first by path."""
    judging_deadlines(mini)
    first = "evidence/2010/anlong/df-01-meeting.md:1:1: "
    check = kaohe("--repo", str(mini), "check")
    assert check.code == 0, check.out + check.err  # a warning, not an error
    _said_once(check.out, first, "dates.uncommitted", count=8, years=[2010])
    assert "尚未提交" in check.out and "git commit" in check.out  # Chinese by default, with the fix
    score = kaohe("--repo", str(mini), "score", "--format", "json")
    assert score.code == 0, score.err
    assert json.loads(score.out)["year"] == 2010
    _said_once(score.err, f"kaohe score: {first}", "dates.uncommitted", count=8, years=[2010])
    english = kaohe("--lang", "en", "--repo", str(mini), "check")
    expected = messages.worded("dates.uncommitted", {"count": 8, "years": [2010]}, "en")
    assert english.code == 0 and expected in english.out and "not committed" in english.out


def test_uncommitted_evidence_in_a_repository_with_commits_is_said_the_same_way(repo, kaohe):
    """The same gap after the first commit: a file added and not committed has no filing date either.
    Said once, for that file alone (count 1); committed a day late, it becomes a late file instead."""
    (repo / "evidence/2010/xingren/df-01-annual.md").write_text(ANNUAL, encoding="utf-8")
    first = "evidence/2010/xingren/df-01-annual.md:1:1: "
    check = kaohe("--repo", str(repo), "check")
    assert check.code == 0
    _said_once(check.out, first, "dates.uncommitted", count=1, years=[2010])
    assert len(check.out.splitlines()) == 1
    for command in ("score", "todo", "review"):
        run = kaohe("--repo", str(repo), command)
        assert run.code == 0, run.err
        _said_once(run.err, f"kaohe {command}: {first}", "dates.uncommitted", count=1, years=[2010])
    commit(repo, "annual report, one day late", "2011-01-06")
    after = kaohe("--repo", str(repo), "check")
    assert after.code == 0 and "dates.uncommitted" not in after.out
    assert said("dates.uncommitted", count=1, years=[2010]) not in after.out
    assert (
        said("evidence.filed-late", filed="2011-01-06", deadline="2011-01-05", indicator="df-01", grace_days=5)[:20]
        in after.out
    )
    assert kaohe("--repo", str(repo), "score").err == ""


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_late_file_is_reported_and_deducted(repo, kaohe):
    (repo / "evidence/2010/xingren/df-01-annual.md").write_text(ANNUAL, encoding="utf-8")
    commit(repo, "annual report, one day late", "2011-01-06")
    run = kaohe("--repo", str(repo), "check")
    assert run.code == 0  # lateness is a warning: the file still counts
    assert run.out.splitlines() == [
        "evidence/2010/xingren/df-01-annual.md:2:1: warning: filed late: reached the branch on 2011-01-06, due by "
        "2011-01-05 (indicator 'df-01', month end + 5 days) (hint: late evidence still counts; a `late` rule "
        "in the framework may deduct for it)"
    ]
    data = json.loads(kaohe("--lang", "zh", "--repo", str(repo), "score", "--unit", "xingren", "--format", "json").out)
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


# -- the date a file reached the branch -----------------------------------------------------------
# Expected scores: without the annual report df-01 loses 0.1 (0.2, total 23.02); filed in time it is
# complete (0.3: dangfeng raw 0.3 + 0.3 + 1.22 + 0 = 1.82 → 1.82 × 5 / 2.67 = 3.4082… → 3.41, total
# 3.41 + 19.8 = 23.21); filed late it is complete less 0.05 (0.25, total 23.11, as above).

ANNUAL_PATH = "evidence/2010/xingren/df-01-annual.md"


def run_git(repo, *args, author=None, committer=None):
    """git with the author and committer dates given as full ISO 8601 times (default: git's own)."""
    env = dict(os.environ)
    if author:
        env["GIT_AUTHOR_DATE"] = author
    if committer:
        env["GIT_COMMITTER_DATE"] = committer
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True, text=True)
    return done.stdout


def add_annual(repo, author, committer):
    (repo / ANNUAL_PATH).write_text(ANNUAL, encoding="utf-8")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "-m", "annual report", author=author, committer=committer)


def df01(kaohe, repo, *args):
    run = kaohe("--repo", str(repo), "score", "--unit", "xingren", "--format", "json", *args)
    assert run.code == 0, run.err
    unit = json.loads(run.out)["units"][0]
    return unit["total"], next(i for i in unit["indicators"] if i["id"] == "df-01")


def late_warnings(kaohe, repo):
    run = kaohe("--repo", str(repo), "check", "--format", "json")
    return [(p["path"], p["code"], p["message"]) for p in json.loads(run.out) if p["code"] == "evidence.filed-late"]


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_a_backdated_author_date_does_not_make_a_late_file_on_time(repo, kaohe):
    # `git commit --date=2010-09-15`: the author date is whatever the clerk typed; the commit
    # reached main on 9 January, four days after the deadline.
    add_annual(repo, author="2010-09-15T10:00:00+08:00", committer="2011-01-09T10:00:00+08:00")
    total, ind = df01(kaohe, repo)
    assert (total, ind["score"], [d["amount"] for d in ind["deductions"]]) == ("23.11", "0.25", ["0.05"])
    ((path, _, message),) = late_warnings(kaohe, repo)
    assert path == ANNUAL_PATH and "reached the branch on 2011-01-09, due by 2011-01-05" in message


def merge(repo, method, day):
    """Merge branch `pr` into main as a git server does on `day` (10:00 China time)."""
    when = f"{day}T10:00:00+08:00"
    run_git(repo, "checkout", "-q", "main")
    if method == "merge":
        run_git(repo, "merge", "-q", "--no-ff", "-m", "Merge pr", "pr", author=when, committer=when)
    elif method == "squash":
        run_git(repo, "merge", "-q", "--squash", "pr")
        run_git(repo, "commit", "-q", "-m", "annual report (#1)", author=when, committer=when)
    else:  # rebase: the branch's commits made anew on main (they keep their author dates)
        run_git(repo, "checkout", "-q", "pr")
        run_git(repo, "rebase", "-q", "--force-rebase", "main", committer=when)
        run_git(repo, "checkout", "-q", "main")
        run_git(repo, "merge", "-q", "--ff-only", "pr")


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
@pytest.mark.parametrize(
    ("day", "total", "score"),
    [("2011-01-10", "23.11", "0.25"), ("2011-01-05", "23.21", "0.3")],
    ids=["merged-late", "merged-on-the-deadline"],
)
def test_every_merge_method_files_on_the_day_the_change_reached_main(repo, kaohe, method, day, total, score):
    """Committed on the branch on 20 December, in time; what counts is when main received it.

    (Read from author dates, a merge commit or a rebase merge after the deadline was on time,
    while a squash merge of the same branch was late.)
    """
    run_git(repo, "checkout", "-q", "-b", "pr")
    add_annual(repo, author="2010-12-20T10:00:00+08:00", committer="2010-12-20T10:00:00+08:00")
    merge(repo, method, day)
    assert df01(kaohe, repo)[0] == total
    assert df01(kaohe, repo)[1]["score"] == score


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_a_fast_forward_cannot_file_before_the_branch_it_joins(repo, kaohe):
    # main moved on 8 January; a commit on top of it claims (committer date) 20 December and main is
    # fast-forwarded to it: it cannot have reached main before the commit under it did.
    (repo / "evidence/2010/xingren/notes.txt").write_text("x", encoding="utf-8")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "-m", "other", committer="2011-01-08T10:00:00+08:00")
    add_annual(repo, author="2010-12-20T10:00:00+08:00", committer="2010-12-20T10:00:00+08:00")
    ((_, _, message),) = late_warnings(kaohe, repo)
    assert "reached the branch on 2011-01-08" in message
    assert df01(kaohe, repo)[0] == "23.11"


@pytest.mark.parametrize(
    ("merged", "total"),
    [("2011-01-05T15:59:59+00:00", "23.21"), ("2011-01-05T16:00:00+00:00", "23.11")],
    ids=["23:59:59-china-time", "00:00-china-time"],
)
def test_days_are_counted_in_china_time_whatever_zone_the_server_records(repo, kaohe, merged, total):
    # a server recording UTC: 15:59:59 UTC on the 5th is 23:59:59 on the 5th in China (in time);
    # 16:00 UTC is midnight on the 6th in China (late), though the commit itself says the 5th
    add_annual(repo, author=merged, committer=merged)
    assert df01(kaohe, repo)[0] == total


# -- impossible dates: crafted commit objects ---------------------------------------------------


def commit_with_timestamp(repo, stamp):
    """Commit the annual report with a committer line git would never write itself."""
    (repo / ANNUAL_PATH).write_text(ANNUAL, encoding="utf-8")
    run_git(repo, "add", "-A")
    tree = run_git(repo, "write-tree").strip()
    parent = run_git(repo, "rev-parse", "HEAD").strip()
    body = (
        f"tree {tree}\nparent {parent}\nauthor a <a@example.invalid> 1293760800 +0800\n"
        f"committer a <a@example.invalid> {stamp} +0800\n\nannual report\n"
    )
    done = subprocess.run(
        ["git", "-C", str(repo), "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
        input=body,
        capture_output=True,
        text=True,
        check=True,
    )
    run_git(repo, "update-ref", "HEAD", done.stdout.strip())


@pytest.mark.parametrize(
    ("stamp", "why"),
    [
        ("99999999999999999999", "past the year 9999"),  # git itself shows 1970-01-01
        ("253402300800", "past the year 9999"),  # 10000-01-01: git shows a five-digit year
        ("1104537600", "2005-01-01 is before git existed"),
        ("4102444800", "2100-01-01 is in the future"),
        ("-5", "git cannot read it"),
    ],
)
@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_impossible_commit_dates_are_errors(repo, kaohe, stamp, why):
    commit_with_timestamp(repo, stamp)
    run = kaohe("--repo", str(repo), "check", "--format", "json")
    assert run.code == 1
    (problem,) = json.loads(run.out)
    assert (problem["path"], problem["line"], problem["col"], problem["code"]) == (
        ANNUAL_PATH,
        1,
        1,
        "evidence.impossible-filing-date",
    )
    assert why in problem["message"]
    scored = kaohe("--repo", str(repo), "score")
    assert scored.code == 1 and f"{ANNUAL_PATH}:1:1: error: cannot tell when this file was filed" in scored.err


# -- no history: refuse, unless told ------------------------------------------------------------


@pytest.fixture
def late_repo(repo, kaohe):
    add_annual(repo, author="2011-01-06T10:00:00+08:00", committer="2011-01-06T10:00:00+08:00")
    assert df01(kaohe, repo)[0] == "23.11"  # with the full history: one day late
    return repo


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_a_shallow_clone_refuses_to_score_unless_told(late_repo, kaohe, tmp_path):
    git(late_repo, "commit", "-q", "--allow-empty", "-m", "later")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{late_repo}", str(shallow)], check=True)
    run = kaohe("--repo", str(shallow), "score")
    assert run.code == 1
    assert "evidence/2010/units.toml: filing_deadlines is on (2010), but late filing cannot be judged" in run.err
    assert "shallow clone" in run.err and "--no-filing-dates" in run.err
    # told: scored without late filing (the annual report counts, undated: 23.21)
    assert df01(kaohe, shallow, "--no-filing-dates")[0] == "23.21"
    diff = kaohe("--repo", str(shallow), "diff", "HEAD", "HEAD")
    assert diff.code == 1 and "shallow clone" in diff.err
    assert kaohe("--repo", str(shallow), "diff", "HEAD", "HEAD", "--no-filing-dates").code == 0
    # check reads files, not scores: it warns and goes on
    checked = kaohe("--repo", str(shallow), "check", "--format", "json")
    assert checked.code == 0
    assert [(p["path"], p["severity"], p["code"]) for p in json.loads(checked.out)] == [
        ("evidence/2010/units.toml", "warning", "dates.no-history")
    ]


@pytest.fixture
def plain_copy(late_repo, tmp_path):
    import shutil

    plain = tmp_path / "plain"
    shutil.copytree(late_repo, plain, ignore=shutil.ignore_patterns(".git"))
    return plain


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_a_folder_outside_git_refuses_to_score_unless_told(plain_copy, kaohe):
    from generator.gitdates import load_dates
    from generator.problems import InputError, Problems
    from generator.workspace import load_workspace

    run = kaohe("--repo", str(plain_copy), "score")
    assert run.code == 1 and "is not in a git repository" in run.err
    assert df01(kaohe, plain_copy, "--no-filing-dates")[0] == "23.21"
    ws = load_workspace(str(plain_copy))
    with pytest.raises(InputError) as refused:
        load_dates(ws.repo, plain_copy, None, Problems(), "required")
    assert refused.value.code == "dates.no-history"
    checked = kaohe("--repo", str(plain_copy), "check")
    assert checked.code == 0
    # the problem itself, from check's JSON:
    found = json.loads(kaohe("--repo", str(plain_copy), "check", "--format", "json").out)
    assert [(p["path"], p["line"], p["severity"], p["code"]) for p in found] == [
        ("evidence/2010/units.toml", 1, "warning", "dates.no-history")
    ]
    assert checked.out.startswith("evidence/2010/units.toml:1:1: ")


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_build_refuses_without_history_and_builds_when_told(plain_copy, kaohe):
    run = kaohe("--repo", str(plain_copy), "build")
    assert run.code == 1
    assert "late filing cannot be judged" in run.err and "--no-filing-dates" in run.err
    assert not (plain_copy / "site").exists()
    told = kaohe("--repo", str(plain_copy), "build", "--no-filing-dates")
    assert told.code == 0, told.err
    sheet = (plain_copy / "site/default/2010/units/xingren.html").read_text(encoding="utf-8")
    assert "逾期报送" not in sheet


def test_publish_dates_evidence_from_the_repository_not_its_snapshot(late_repo, kaohe):
    """`kaohe publish` builds from a copy outside git: the late deduction must still be there."""
    git(late_repo, "tag", "results-2010")
    run = kaohe("publish", "--repo", str(late_repo))
    assert run.code == 0, run.err
    sheet = (late_repo / "site/default/2010/units/xingren.html").read_text(encoding="utf-8")
    assert "逾期报送：df-01-annual.md于2011-01-06提交，应于2011-01-05前报送" in sheet


# -- periods: a quarter's evidence is due at the quarter's end ------------------------------------

QUARTER_INFO = """+++
indicator = "gl-01"
date = {day}
title = "政务信息：{title}"
satisfies = "info"
+++
政务信息。
"""


@pytest.fixture
def quarterly(tmp_path):
    """The shipped 2014 year (quarterly 管理绩效) with filing deadlines kept and 5 days' grace, all of
    it committed on 2 January 2014."""
    import shutil

    from tests.conftest import ROOT

    repo = tmp_path / "liaoyang"
    shutil.copytree(ROOT / "frameworks/liaoyang-ciq-2014", repo / "frameworks/liaoyang-ciq-2014")
    shutil.copytree(ROOT / "evidence/2014", repo / "evidence/2014")
    fw = repo / "frameworks/liaoyang-ciq-2014/framework.toml"
    fw.write_text(fw.read_text(encoding="utf-8").replace("year = 2014\n", "year = 2014\ngrace_days = 5\n"))
    units = repo / "evidence/2014/units.toml"
    units.write_text("filing_deadlines = true\n" + units.read_text(encoding="utf-8"), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.invalid")
    git(repo, "config", "user.name", "kaohe tests")
    commit(repo, "the year's data", "2014-01-02")
    return repo


def test_quarterly_evidence_is_due_at_its_quarters_end_plus_grace(quarterly, kaohe):
    """gl-01 (政务信息) has no completion month and is assessed per quarter: the first quarter's
    items are due on 31 March + 5 days = 5 April. (Read from the year's month alone, a quarter's
    evidence had no deadline at all and was never late.)"""
    folder = quarterly / "evidence/2014/bgs"
    (folder / "gl-01-2014-03-26-ontime.md").write_text(QUARTER_INFO.format(day="2014-03-26", title="甲"), "utf-8")
    commit(quarterly, "on the last day of grace", "2014-04-05")
    (folder / "gl-01-2014-03-27-late.md").write_text(QUARTER_INFO.format(day="2014-03-27", title="乙"), "utf-8")
    commit(quarterly, "a day after it", "2014-04-06")
    # the fourth quarter's grace runs into the next year: 31 December + 5 days = 5 January 2015
    (folder / "gl-01-2014-12-30-q4.md").write_text(QUARTER_INFO.format(day="2014-12-30", title="丙"), "utf-8")
    commit(quarterly, "fourth quarter, in time", "2015-01-05")
    found = json.loads(kaohe("--repo", str(quarterly), "check", "--format", "json").out)
    late = [(p["path"], p["params"]["deadline"]) for p in found if p["code"] == "evidence.filed-late"]
    assert late == [("evidence/2014/bgs/gl-01-2014-03-27-late.md", "2014-04-05")]
