"""A warm `kaohe check` prints what a cold one would, after every kind of change to what it reads.

Each test primes the cache (a cold run that stores its outcome), changes one input, and compares
the next cached run with `kaohe check --no-cache` (exit code, stdout and stderr, whole). Every
change is one the output shows (a problem appears or goes, a count moves), so an entry wrongly
replayed fails the comparison; the counter of cold runs tells a hit from a miss.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from appeal_support import appeal
from appeal_support import repo as appeals_repo

from generator import checkcache, lifecycle, treeanswers
from generator.commands import check as check_command
from generator.tree import FsTree
from tests.conftest import git

LATE_ANNUAL = '+++\nindicator = "df-01"\ndate = 2010-12-28\nsatisfies = "annual"\n+++\n全年工作情况报告。\n'


def commit(repo: Path, message: str, when: str, *extra: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{when}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{when}T10:00:00+08:00"}
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", message, *extra], check=True, env=env)


@pytest.fixture
def repo(mini: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini fixture in a git repository whose year judges filing deadlines (5 days' grace)."""
    fw = mini / "frameworks/mini/framework.toml"
    fw.write_text(fw.read_text(encoding="utf-8").replace('floor = "zero"', 'floor = "zero"\ngrace_days = 5'))
    units = mini / "evidence/2010/units.toml"
    units.write_text(
        units.read_text(encoding="utf-8").replace('framework = "mini"', 'framework = "mini"\nfiling_deadlines = true')
    )
    git(mini, "init", "-q", "-b", "main")
    git(mini, "config", "user.email", "test@example.invalid")
    git(mini, "config", "user.name", "kaohe tests")
    commit(mini, "evidence filed in time", "2010-12-20")
    # the racy rule's margin is for coarse file-system clocks; with none, a file written before a
    # run is old to it, so the tests below see the fast path (stat data vouching for content)
    monkeypatch.setattr(treeanswers, "RACY_NS", 0)
    time.sleep(0.05)
    return mini


class Checks:
    """`kaohe check` on one repository, cached (in a cache folder of the test's) or cold."""

    def __init__(self, kaohe, repo: Path, cache: Path) -> None:
        self.kaohe, self.repo, self.cache = kaohe, repo, cache
        self.cold_runs = 0

    def cached(self, *args: str):
        return self.kaohe("--repo", str(self.repo), "check", *args, "--cache-dir", str(self.cache))

    def cold(self, *args: str):
        return self.kaohe("--repo", str(self.repo), "check", *args, "--no-cache")

    def warm_equals_cold(self, *args: str):
        """The cached run, after asserting it says exactly what a cold run says."""
        warm = self.cached(*args)
        cold = self.cold(*args)
        assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err)
        return warm


@pytest.fixture
def checks(kaohe, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Checks:
    runs = Checks(kaohe, repo, tmp_path / "cache")
    cold = check_command.run

    def counted(args):
        runs.cold_runs += 1
        return cold(args)

    monkeypatch.setattr(check_command, "run", counted)
    return runs


def test_nothing_changed_is_a_hit_that_prints_the_cold_output(checks: Checks) -> None:
    first = checks.cached()
    assert checks.cold_runs == 1
    again = checks.cached()
    assert checks.cold_runs == 1  # printed from the entry
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)
    assert first.err.startswith("kaohe check: ")
    assert checks.cold() == first
    assert checks.cold_runs == 2  # --no-cache ran cold


def test_each_format_is_its_own_entry(checks: Checks) -> None:
    (checks.repo / "evidence/2010/xingren/bad.md").write_text('+++\nindicator = "zz-99"\n+++\n正文\n')
    text, json_ = checks.cached(), checks.cached("--format", "json")
    assert checks.cold_runs == 2
    assert json_.out.lstrip().startswith("[") and not text.out.startswith("[")
    assert checks.warm_equals_cold("--format", "json") == json_
    assert checks.warm_equals_cold() == text
    assert checks.cold_runs == 2 + 2  # the two --no-cache runs only


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def body_link(repo: Path) -> None:  # a link to a file that is not there: a problem in the body
    path = repo / "evidence/2010/xingren/df-01-meeting.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n见[附件](missing-attachment.pdf)。\n", encoding="utf-8")


def front_matter(repo: Path) -> None:  # an indicator that does not exist
    edit(repo / "evidence/2010/cehen/df-01-meeting.md", 'indicator = "df-01"', 'indicator = "df-77"')


def findings(repo: Path) -> None:  # a finding under a rule its indicator does not have
    edit(repo / "evidence/2010/xingren/findings.toml", 'rule = "discipline"', 'rule = "no-such-rule"')


def framework_rule(repo: Path) -> None:  # the checklist's rule gets a kind kaohe does not know
    edit(repo / "frameworks/mini/01-dangfeng.toml", 'kind = "checklist"', 'kind = "checklists"')


def units(repo: Path) -> None:  # a unit removed: its evidence belongs to nobody
    edit(repo / "evidence/2010/units.toml", 'id = "cehen"', 'id = "cehen-gone"')


def file_added(repo: Path) -> None:
    write(repo / "evidence/2010/anlong/df-01-extra.md", '+++\nindicator = "df-99"\n+++\n多出的一份材料。\n')


def file_deleted(repo: Path) -> None:
    (repo / "evidence/2010/anlong/zf-04-ledger.md").unlink()


def symlink_added(repo: Path) -> None:
    (repo / "evidence/2010/anlong/linked.md").symlink_to("zf-04-ledger.md")


def site_config_linked(repo: Path) -> None:  # mkdocs.yml committed as a link: refused, never read
    outside = repo.parent / "secrets.yml"
    outside.write_text("site_name: t\n", encoding="utf-8")
    (repo / "mkdocs.yml").symlink_to(outside)


def site_config_setting(repo: Path) -> None:  # a setting a repository may not set
    from generator.render.siteconfig import PACKAGE_CONFIG

    write(repo / "mkdocs.yml", f"INHERIT: {PACKAGE_CONFIG}\nextra_javascript: [x.js]\n")


def unread_folder(repo: Path) -> None:  # a year folder without units.toml: warned about, not read
    write(repo / "evidence/2099/xingren/df-01-meeting.md", '+++\nindicator = "df-01"\n+++\n正文\n')


def same_size_old_mtime(repo: Path) -> None:
    """An edit of the same size, given its old modification time back: only ctime tells."""
    path = repo / "evidence/2010/cehen/df-01-meeting.md"
    before = path.stat()
    edit(path, 'indicator = "df-01"', 'indicator = "df-09"')
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


CHANGES = [
    body_link,
    front_matter,
    findings,
    framework_rule,
    units,
    file_added,
    file_deleted,
    symlink_added,
    site_config_linked,
    site_config_setting,
    unread_folder,
    same_size_old_mtime,
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_a_change_is_a_miss_and_the_warm_run_matches_a_cold_one(checks: Checks, change) -> None:
    before = checks.cached()
    assert checks.cached() == before and checks.cold_runs == 1  # primed: a hit
    change(checks.repo)
    after = checks.warm_equals_cold()
    assert checks.cold_runs == 1 + 2  # the cached run missed, then --no-cache
    assert (after.out, after.err) != (before.out, before.err), "the change must show in the output"
    assert checks.warm_equals_cold() == after  # and the new outcome is the one kept
    assert checks.cold_runs == 3 + 1


def test_a_new_commit_that_changes_filing_dates(checks: Checks) -> None:
    """The same files, another history: the annual report's commit moved past its deadline."""
    write(checks.repo / "evidence/2010/xingren/df-01-annual.md", LATE_ANNUAL)
    commit(checks.repo, "annual report in time", "2011-01-04")
    before = checks.cached()
    assert checks.cached() == before and checks.cold_runs == 1
    # 2010-12-31 + 5 days of grace = 2011-01-05: the amended commit of 2011-01-06 is a day late
    commit(checks.repo, "annual report, a day late", "2011-01-06", "--amend", "--no-edit")
    after = checks.warm_equals_cold()
    assert "evidence.filed-late" not in before.out
    assert after.out != before.out and "df-01-annual.md" in after.out
    assert checks.cold_runs == 3


def test_a_commit_made_while_a_check_reads_is_not_paired_with_what_it_read(
    checks: Checks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge can land while a cold check reads the files and the history. The outcome must be
    kept against the history the check started from: the next check sees HEAD moved and checks
    again, instead of replaying dates read before the commit as if they were the new commit's."""
    from generator import workspace

    write(checks.repo / "evidence/2010/xingren/df-01-annual.md", LATE_ANNUAL)
    commit(checks.repo, "annual report in time", "2011-01-04")
    real = workspace.load_tree

    def amended_while_reading(*args, **kwargs):
        loaded = real(*args, **kwargs)
        # 2010-12-31 + 5 days of grace = 2011-01-05: the amended commit of 2011-01-06 is a day late
        commit(checks.repo, "annual report, a day late", "2011-01-06", "--amend", "--no-edit")
        return loaded

    monkeypatch.setattr(workspace, "load_tree", amended_while_reading)
    during = checks.cached()
    monkeypatch.setattr(workspace, "load_tree", real)
    assert "evidence.filed-late" not in during.out  # read before the amended commit
    after = checks.warm_equals_cold()
    assert "df-01-annual.md" in after.out  # the late filing, which a replayed outcome would lack
    assert checks.cold_runs == 1 + 2  # the check after the commit ran cold, then --no-cache


def test_another_language_is_its_own_entry(checks: Checks) -> None:
    front_matter(checks.repo)
    chinese = checks.cached("--lang", "zh")
    english = checks.warm_equals_cold("--lang", "en")
    assert english.out != chinese.out
    assert checks.cold_runs == 3
    assert checks.cached("--lang", "zh") == chinese
    assert checks.cached("--lang", "en") == english
    assert checks.cold_runs == 3


def entries(cache: Path) -> list[Path]:
    return sorted((cache / checkcache.FOLDER).glob("*.json"))


@pytest.mark.parametrize("damage", ["flip-output", "truncate", "empty", "table"])
def test_a_damaged_entry_is_rebuilt_never_trusted(checks: Checks, damage: str) -> None:
    front_matter(checks.repo)
    before = checks.cached()
    (entry,) = entries(checks.cache)
    data = entry.read_bytes()
    if damage == "flip-output":  # what the check printed, altered in place: the head's digest fails
        assert b"df-77" in data
        data = data.replace(b"df-77", b"df-78", 1)
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "empty":
        data = b""
    else:  # the table of reads, needed once a file is touched: its digest fails
        data = data[:-10] + b"0123456789"
        os.utime(checks.repo / "evidence/2010/cehen/df-01-meeting.md")  # touched, not changed
    entry.write_bytes(data)
    assert checks.warm_equals_cold() == before
    assert checks.cold_runs == 1 + 2  # the damaged entry was not used
    assert checks.cached() == before and checks.cold_runs == 3  # the rebuilt one is


def test_the_cache_folder_deleted(checks: Checks) -> None:
    before = checks.cached()
    shutil.rmtree(checks.cache)
    assert checks.warm_equals_cold() == before
    assert checks.cold_runs == 3
    assert (checks.cache / "CACHEDIR.TAG").is_file()


def test_a_hit_reads_no_file_and_a_touched_file_is_read_once(checks: Checks, monkeypatch) -> None:
    reads: list[str] = []
    real = FsTree.read_with_stat  # what FsTree.read and the cache's recorder read through

    def counted(self, path):
        reads.append(path)
        return real(self, path)

    monkeypatch.setattr(FsTree, "read_with_stat", counted)
    checks.cached()
    files = len(reads)
    assert files > 10  # the cold run read every input
    reads.clear()
    checks.cached()
    assert reads == [] and checks.cold_runs == 1
    touched = checks.repo / "evidence/2010/anlong/zf-04-ledger.md"
    os.utime(touched, ns=(time.time_ns(), time.time_ns()))  # new stat data, same content
    time.sleep(0.05)
    checks.cached()
    assert reads == ["evidence/2010/anlong/zf-04-ledger.md"] and checks.cold_runs == 1  # hashed again, still a hit
    reads.clear()
    checks.cached()
    assert reads == [] and checks.cold_runs == 1  # its new stat data was kept


def test_a_file_changed_as_it_was_looked_at_is_hashed_until_it_is_old(checks: Checks, monkeypatch) -> None:
    """Git's racy rule: stat data no older than the run that took it (less the margin) vouches for nothing."""
    monkeypatch.setattr(treeanswers, "RACY_NS", 3_600 * 10**9)  # an hour: every file is "just changed"
    reads: list[str] = []
    real = FsTree.read_with_stat  # what FsTree.read and the cache's recorder read through
    monkeypatch.setattr(FsTree, "read_with_stat", lambda self, path: reads.append(path) or real(self, path))
    checks.cached()
    files = sorted(set(reads))
    reads.clear()
    checks.cached()
    assert checks.cold_runs == 1 and sorted(reads) == files  # a hit, but every file hashed again


def test_rev_is_keyed_by_the_commit(checks: Checks) -> None:
    front_matter(checks.repo)
    commit(checks.repo, "bad indicator", "2010-12-21")
    bad = checks.cached("--rev", "HEAD")
    assert checks.cached("--rev", "HEAD") == bad and checks.cold_runs == 1
    edit(checks.repo / "evidence/2010/cehen/df-01-meeting.md", 'indicator = "df-77"', 'indicator = "df-01"')
    assert checks.cached("--rev", "HEAD") == bad and checks.cold_runs == 1  # the working tree is not read
    commit(checks.repo, "fixed", "2010-12-22")
    fixed = checks.warm_equals_cold("--rev", "HEAD")
    assert fixed.out != bad.out and checks.cold_runs == 3


def test_china_day_is_the_day_deadlines_are_judged_on() -> None:
    assert treeanswers.china_day() == lifecycle.today().isoformat()
    assert treeanswers.CHINA.utcoffset(datetime.now()) == lifecycle.datetime.now(treeanswers.CHINA).utcoffset()


def test_a_warm_process_is_byte_identical_and_loads_no_model(repo: Path, tmp_path: Path) -> None:
    """Real processes: the same bytes and exit code as a cold one, in text and JSON, and the warm
    one imports neither pydantic nor markdown-it nor MkDocs."""
    front_matter(repo)
    cache = tmp_path / "process-cache"

    def run(*args: str, importtime: bool = False) -> subprocess.CompletedProcess[bytes]:
        flags = ["-X", "importtime"] if importtime else []
        argv = [sys.executable, *flags, "-m", "generator.cli", "check", "--repo", str(repo), *args]
        return subprocess.run(argv, capture_output=True, check=False)

    for fmt in ("text", "json"):
        cold = run("--format", fmt, "--no-cache")
        assert cold.returncode == 1  # the unknown indicator
        run("--format", fmt, "--cache-dir", str(cache))
        warm = run("--format", fmt, "--cache-dir", str(cache))
        assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    traced = run("--cache-dir", str(cache), importtime=True)
    imported = {line.split("|")[-1].strip() for line in traced.stderr.decode().splitlines() if "|" in line}
    assert "generator.checkcache" in imported  # the trace is there, and the warm path was taken
    assert not {m for m in imported if m.split(".")[0] in ("pydantic", "markdown_it", "mkdocs", "generator.model")}
    assert "generator.model" not in imported and "generator.load" not in imported


def test_appeals_make_today_an_input(kaohe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An undecided appeal is overdue from a day on: the entry holds the day it was judged on."""
    repo = tmp_path / "appeals"
    repo.mkdir()
    # filed 2011-01-10, 10 days to decide: due by 2011-01-20, overdue on the 21st
    appeals_repo(repo, appeal(kind='kind = "复核"\n'))
    runs = Checks(kaohe, repo, tmp_path / "cache")
    cold = check_command.run
    monkeypatch.setattr(check_command, "run", lambda args: setattr(runs, "cold_runs", runs.cold_runs + 1) or cold(args))

    def on(day: date) -> None:
        monkeypatch.setattr("generator.validate_appeals.today", lambda: day)
        monkeypatch.setattr(checkcache, "china_day", day.isoformat)

    on(date(2011, 1, 20))
    in_time = runs.cached()
    assert runs.cached() == in_time and runs.cold_runs == 1
    on(date(2011, 1, 21))
    overdue = runs.warm_equals_cold()
    assert runs.cold_runs == 3
    assert overdue.out != in_time.out
