"""The pre-commit hooks, through the real `pre-commit run` in a data repository of its own.

The hooks are installed by pre-commit from a git snapshot of this checkout (`repo:` a local path,
`rev:` its commit), exactly as a bureau's repository installs them from the internal mirror.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, git, init_git

#: These tests read what messages say of their parameters (a value quoted, a placeholder named): in English.
pytestmark = pytest.mark.usefixtures("english")

PRE_COMMIT = str(Path(sys.executable).parent / "pre-commit")


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory) -> tuple[Path, str]:
    """This checkout, uncommitted edits included, as a git repository pre-commit can clone."""
    target = tmp_path_factory.mktemp("kaohe-src")
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file() and not rel.startswith("tests/"):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    init_git(target)
    return target, git(target, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _config(hooks: tuple[Path, str]) -> str:
    path, rev = hooks
    return (
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: kaohe-check\n      - id: kaohe-codeowners\n"
    )


def _pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([PRE_COMMIT, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture
def data_repo(tmp_path, hooks_repo) -> Path:
    repo = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", repo)
    (repo / ".pre-commit-config.yaml").write_text(_config(hooks_repo), encoding="utf-8")
    return init_git(repo)


def test_a_framework_change_that_breaks_untouched_findings_fails_the_hook(data_repo, pre_commit_home):
    assert _pre_commit(data_repo, pre_commit_home, "run", "--all-files").returncode == 0
    # zf-04's rule "review-failed" is what evidence/2010/anlong/findings.toml applies; rename it
    cat = data_repo / "frameworks/mini/02-zhifa.toml"
    text = cat.read_text(encoding="utf-8")
    assert text.count('id = "review-failed"') == 1
    cat.write_text(text.replace('id = "review-failed"', 'id = "review-fail"'), encoding="utf-8")
    git(data_repo, "add", "frameworks/mini/02-zhifa.toml")
    run = _pre_commit(data_repo, pre_commit_home, "run")  # the staged files only, as on commit
    assert run.returncode == 1, run.stdout
    # the problem is in a file the commit does not touch
    assert "evidence/2010/anlong/findings.toml:" in run.stdout, run.stdout
    assert "review-failed" in run.stdout


def test_an_evidence_change_reports_only_its_own_problems(data_repo, pre_commit_home):
    # a broken file that is not staged stays out of the report of an unrelated evidence commit
    (data_repo / "evidence/2010/cehen/std-01.md").write_text("+++\nindicator = \n+++\n", encoding="utf-8")
    git(data_repo, "add", "evidence/2010/cehen/std-01.md")
    git(data_repo, "commit", "-q", "--no-verify", "-m", "broken")
    note = data_repo / "evidence/2010/xingren/df-01-meeting.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    git(data_repo, "add", str(note.relative_to(data_repo)))
    run = _pre_commit(data_repo, pre_commit_home, "run")
    assert run.returncode == 0, run.stdout
    assert "std-01.md" not in run.stdout


def test_a_new_year_makes_codeowners_stale(data_repo, pre_commit_home, kaohe):
    with (data_repo / "frameworks/mini/framework.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[code_owners]]\ndepartment = "纪检监察室"\nowners = ["@qxn/jijian"]\n')
    assert kaohe("--repo", str(data_repo), "codeowners").code == 0
    git(data_repo, "add", "-A")
    git(data_repo, "commit", "-q", "--no-verify", "-m", "owners")
    assert _pre_commit(data_repo, pre_commit_home, "run", "--all-files").returncode == 0
    year = data_repo / "evidence/2011"
    year.mkdir()
    units = (data_repo / "evidence/2010/units.toml").read_text(encoding="utf-8").replace("2010", "2011")
    (year / "units.toml").write_text(units, encoding="utf-8")
    git(data_repo, "add", "evidence/2011/units.toml")
    run = _pre_commit(data_repo, pre_commit_home, "run")
    assert run.returncode == 1
    assert "CODEOWNERS: out of date" in run.stdout
    assert "CODEOWNERS:" in run.stdout and "is out of date" in run.stdout  # kaohe check says it too


def test_codeowners_hook_passes_on_the_shipped_repository(tmp_path, hooks_repo, pre_commit_home):
    repo = tmp_path / "shipped"
    for rel in ("frameworks", "evidence"):
        shutil.copytree(ROOT / rel, repo / rel)
    shutil.copy(ROOT / "CODEOWNERS", repo / "CODEOWNERS")
    (repo / ".pre-commit-config.yaml").write_text(_config(hooks_repo), encoding="utf-8")
    init_git(repo)
    run = _pre_commit(repo, pre_commit_home, "run", "kaohe-codeowners", "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_codeowners_hook_watches_every_location_servers_read():
    import re

    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    files = re.compile(hooks["kaohe-codeowners"]["files"])
    from generator.codeowners import LOCATIONS

    for location in LOCATIONS:
        assert files.search(location), location
    assert files.search("evidence/2015/units.toml")
    assert files.search("frameworks/qianxinan-qts-2010/framework.toml")
    assert not files.search("evidence/2015/xingren/df-01-x.md")
    check = re.compile(hooks["kaohe-check"]["files"])
    assert check.search("mkdocs.yml") and check.search("evidence/2010/units.toml")
