"""kill -9 at any instant of a build or a publish leaves a usable site, final years intact, and the
next run recovers.

Real processes, real SIGKILL. Some kills land at chosen instants (the process is paused there by
patching the step it is about to take, then killed); others at random moments of a whole build.
After each kill: ``site/`` is whole (each organization's versions.json lists exactly its year folders,
each with its pages and stamp), the final 2010 is byte for byte what was published, and the next run
cleans up.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, git, init_git
from safety_support import assert_usable, fingerprint, kaohe_process, leftovers

#: These tests read what messages say of their parameters (a value quoted, a placeholder named): in English.
pytestmark = pytest.mark.usefixtures("english")

PAUSE = """
import time
from pathlib import Path
def pause(where):
    print("PAUSED " + where, flush=True)
    time.sleep(600)
"""

#: Patches that stop the process at one instant of replacing the site.
POINTS = {
    # the new site is complete beside the old one; nothing is replaced yet
    "before-swap": """
from generator.publish import swap
real = swap._put_in_place
def _put_in_place(staging, site):
    pause("before-swap")
swap._put_in_place = _put_in_place
""",
    # the two folders have traded names; the old site waits under the staging name to be deleted
    "after-exchange": """
from generator.publish import swap
real = swap.exchange
def exchange(a, b):
    assert real(a, b)
    pause("after-exchange")
swap.exchange = exchange
""",
    # half of the old site is deleted
    "while-deleting-old": """
import shutil, types
from generator.publish import swap
def rmtree(path, *args, **kwargs):
    shutil.rmtree(path, *args, **kwargs)
    pause("while-deleting-old")
swap.shutil = types.SimpleNamespace(rmtree=rmtree)
""",
    # a system that cannot exchange: the old site is renamed away and the new one not yet in place
    "between-renames": """
import os, types
from generator.publish import swap
swap.exchange = lambda a, b: False
def rename(a, b):
    os.rename(a, b)
    if Path(b).name.startswith(".site.old-"):
        pause("between-renames")
swap.os = types.SimpleNamespace(**{**{k: getattr(os, k) for k in dir(os) if not k.startswith("__")}, "rename": rename})
""",
}


def add_year_2011(repo: Path) -> None:
    year = repo / "evidence/2011"
    (year / "xingren").mkdir(parents=True)
    units = (repo / "evidence/2010/units.toml").read_text(encoding="utf-8").replace("year = 2010", "year = 2011")
    (year / "units.toml").write_text(units, encoding="utf-8")
    (year / "xingren/df-01-meeting.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2011-03-15\nsatisfies = "meeting"\n+++\n2011年贯彻会议情况报告。\n',
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """2010 published as final, 2011 in the working tree; and the fingerprint of the published 2010."""
    from generator.cli import main

    repo = tmp_path_factory.mktemp("kill") / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    init_git(repo)
    git(repo, "tag", "results-2010")
    assert main(["publish", "--repo", str(repo)]) == 0
    add_year_2011(repo)
    assert main(["build", "--repo", str(repo)]) == 0
    return repo, fingerprint(repo / "site/default/2010")


@pytest.fixture
def repo(published, tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(published[0], target, symlinks=True)
    return target


def run_until_paused(patch: str, *argv: str, cwd: Path) -> None:
    """Start `kaohe ARGV…` patched to pause at a point, wait until it is there, and kill -9 it."""
    process = kaohe_process(*argv, cwd=cwd, patch=PAUSE + patch)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 600)
        line = process.stdout.readline() if ready else ""  # type: ignore[union-attr]
        if not line.startswith("PAUSED"):
            process.kill()
            raise AssertionError(f"never paused: {line!r}\n{process.stderr.read()}")  # type: ignore[union-attr]
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def assert_final_2010_intact(site: Path, published_2010: dict[str, str]) -> None:
    stamps = assert_usable(site)
    assert stamps["2010"]["draft"] is False
    assert fingerprint(site / "default/2010") == published_2010


def recovered(kaohe, repo: Path, published_2010: dict[str, str]) -> str:
    """The next `kaohe build` succeeds, leaves no copy behind, and keeps the final year as it was."""
    result = kaohe("build", "--repo", str(repo))
    assert result.code == 0, result.err
    site = repo / "site"
    assert leftovers(site) == []
    assert_final_2010_intact(site, published_2010)
    assert json.loads((site / "default/2011/kaohe-version.json").read_text(encoding="utf-8"))["draft"] is True
    return result.err


@pytest.mark.parametrize("point", ["before-swap", "after-exchange", "while-deleting-old"])
def test_kill_while_replacing_the_site(published, repo: Path, kaohe, point: str):
    (repo / "evidence/2011/xingren/df-01-meeting.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2011-03-16\nsatisfies = "meeting"\n+++\n改过。\n', encoding="utf-8"
    )
    run_until_paused(POINTS[point], "build", "--repo", str(repo), cwd=repo)
    site = repo / "site"
    assert_final_2010_intact(site, published[1])  # usable at the instant of the kill
    assert leftovers(site)  # the staged or the old copy is still there …
    err = recovered(kaohe, repo, published[1])  # … and the next run removes it
    assert "left by an interrupted run" in err


def test_kill_between_two_renames_where_the_system_cannot_exchange(published, repo: Path, kaohe):
    run_until_paused(POINTS["between-renames"], "build", "--repo", str(repo), cwd=repo)
    site = repo / "site"
    assert not site.exists()  # the one window of the fallback: site/ is absent until the next run …
    names = leftovers(site)
    assert [n.split("-")[0] for n in names] == [".site.new", ".site.old"]
    assert names[0].split("-", 1)[1] == names[1].split("-", 1)[1]  # … which the pair of names describes
    err = recovered(kaohe, repo, published[1])
    assert "finished replacing" in err


def test_kill_a_replacing_publish_before_and_after_the_swap(published, repo: Path, kaohe):
    """`publish --replace` killed at either side of the swap: versions.json never lists a missing year,
    and the next build never deletes the only copy of the final year."""
    git(repo, "add", "evidence", "published.toml")  # not site/: it is not committed here
    git(repo, "commit", "-q", "-m", "申诉后改正")
    git(repo, "tag", "-f", "results-2010", "HEAD")
    moved = git(repo, "rev-parse", "HEAD").strip()

    run_until_paused(POINTS["before-swap"], "publish", "--repo", str(repo), "--replace", "2010", cwd=repo)
    assert_final_2010_intact(repo / "site", published[1])
    recovered(kaohe, repo, published[1])  # the old final is kept: it is still what was published

    after_swap = "from generator.publish import publisher\npublisher.write_records = lambda *a: pause('swapped')\n"
    run_until_paused(after_swap, "publish", "--repo", str(repo), "--replace", "2010", cwd=repo)
    site = repo / "site"
    stamps = assert_usable(site)
    assert (stamps["2010"]["commit"], stamps["2010"]["draft"]) == (moved, False)  # the new final, whole
    replaced = fingerprint(site / "default/2010")
    build = kaohe("build", "--repo", str(repo))  # the records still name the old commit: refused, nothing deleted
    assert build.code == 1 and "--replace 2010" in build.err
    assert fingerprint(site / "default/2010") == replaced
    finish = kaohe("publish", "--repo", str(repo), "--replace", "2010")
    assert finish.code == 0, finish.err
    assert git(repo, "rev-parse", "published-2010").strip() == moved
    assert fingerprint(site / "default/2010") == replaced  # rebuilt from the same commit: the same bytes


def test_kill_at_random_moments_of_a_build(published, repo: Path, kaohe):
    (repo / "evidence/2011/xingren/df-01-meeting.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2011-03-17\nsatisfies = "meeting"\n+++\n再改。\n', encoding="utf-8"
    )
    started = time.monotonic()
    whole = kaohe_process("build", "--repo", str(repo), cwd=repo)
    assert whole.wait() == 0, whole.stderr.read()  # type: ignore[union-attr]
    duration = time.monotonic() - started
    chance = random.Random(20101231)
    site = repo / "site"
    for n in range(5):
        delay = chance.uniform(0.2, duration * 1.1)
        process = kaohe_process("build", "--repo", str(repo), cwd=repo)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        try:
            assert_final_2010_intact(site, published[1])
        except AssertionError as exc:
            raise AssertionError(f"kill {n} after {delay:.2f} s of a {duration:.1f} s build") from exc
    recovered(kaohe, repo, published[1])
