"""A final year is never rebuilt from the working tree, and what was published stays on record.

A real git repository publishes 2010 once (module fixture); each test works on a copy of the
repository and its site. Rebuilt final years are compared byte for byte with the published copy:
rebuilding from the tag reproduces exactly what was published, uncommitted edits included nowhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, git, init_git
from safety_support import assert_usable, fingerprint, refusal

from generator.messages import tr

#: These tests read what messages say of their parameters (a value quoted, a placeholder named): in English.
pytestmark = pytest.mark.usefixtures("english")

EDIT = "\n未经审定的修改。\n"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    from generator.cli import main

    repo = tmp_path_factory.mktemp("published") / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    init_git(repo)
    git(repo, "tag", "results-2010")
    assert main(["publish", "--repo", str(repo)]) == 0
    assert (repo / "published.toml").is_file()  # the record the operator commits
    git(repo, "add", "published.toml")
    git(repo, "commit", "-q", "-m", "公布2010年度考核结果")
    return repo


@pytest.fixture
def repo(published: Path, tmp_path: Path) -> Path:
    """A copy of the published repository (site included), with an unapproved edit in the working tree."""
    target = tmp_path / "repo"
    shutil.copytree(published, target, symlinks=True)
    evidence = target / "evidence/2010/xingren/df-01-halfyear.md"
    evidence.write_text(evidence.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    return target


def pages_text(year: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in year.rglob("*.html"))


def assert_final(repo: Path, year: Path) -> None:
    stamp = json.loads((year / "kaohe-version.json").read_text(encoding="utf-8"))
    assert (stamp["draft"], stamp["tag"], stamp["commit"]) == (
        False,
        "results-2010",
        git(repo, "rev-parse", "results-2010").strip(),
    )
    text = pages_text(year)
    assert "未经审定的修改" not in text and "草稿" not in text


def test_a_missing_final_year_is_rebuilt_from_its_tag_byte_for_byte(repo: Path, kaohe):
    site = repo / "site"
    published_copy = fingerprint(site / "default/2010")
    shutil.rmtree(site / "default/2010")  # e.g. lost in a crash, or a fresh clone's site/
    result = kaohe("build", "--repo", str(repo))
    assert result.code == 0, result.err
    assert "site/default/2010 is absent; building it from results-2010" in result.err
    assert_final(repo, site / "default/2010")
    assert fingerprint(site / "default/2010") == published_copy
    assert_usable(site)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: "",  # emptied
        lambda text: text.replace('"draft": false', '"draft": true'),  # says draft, records say final
        lambda text: text.replace('"year": 2010', '"year": "2010"'),  # wrong type
    ],
    ids=["truncated", "empty", "says-draft", "wrong-type"],
)
def test_a_damaged_stamp_never_turns_a_final_year_into_a_draft(repo: Path, kaohe, damage):
    site = repo / "site"
    published_copy = fingerprint(site / "default/2010")
    stamp = site / "default/2010/kaohe-version.json"
    stamp.write_text(damage(stamp.read_text(encoding="utf-8")), encoding="utf-8")
    result = kaohe("build", "--repo", str(repo))
    assert result.code == 0, result.err
    assert "2010 from results-2010 @" in result.err or "building it from results-2010 @" in result.err
    assert_final(repo, site / "default/2010")
    assert fingerprint(site / "default/2010") == published_copy


def test_without_git_a_damaged_stamp_is_refused_and_left_alone(repo: Path):
    shutil.rmtree(repo / ".git")
    (repo / "published.toml").unlink()  # nothing says 2010 is final: only its stamp did
    stamp = repo / "site/default/2010/kaohe-version.json"
    stamp.write_text(stamp.read_text(encoding="utf-8")[:40], encoding="utf-8")
    before = fingerprint(repo / "site")
    assert refusal("build", "--repo", str(repo)).code == "site.stamp-damaged"
    assert fingerprint(repo / "site") == before


def test_a_tagged_year_is_built_from_its_tag_even_before_it_is_published(tmp_path: Path, kaohe):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    init_git(repo)
    git(repo, "tag", "results-2010")
    evidence = repo / "evidence/2010/xingren/df-01-halfyear.md"
    evidence.write_text(evidence.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    result = kaohe("build", "--repo", str(repo))
    assert result.code == 0, result.err
    assert_final(repo, repo / "site/default/2010")


def test_a_moved_tag_is_refused_after_the_tag_record_and_the_site_are_gone(repo: Path, kaohe):
    first = git(repo, "rev-parse", "results-2010").strip()
    shutil.rmtree(repo / "site")  # a fresh clone has no site/
    git(repo, "commit", "-q", "-am", "2010 改过")
    git(repo, "tag", "-f", "results-2010", "HEAD")  # the approved tag moved …
    git(repo, "tag", "-d", "published-2010")  # … and the tag record was deleted to get past the refusal
    (repo / "published.toml").unlink()  # even the working-tree file: the committed one is read from HEAD
    before = fingerprint(repo)
    error = refusal("publish", "--repo", str(repo))
    assert error.code == "publish.final-moved"
    assert f"from {first[:10]} (HEAD:published.toml [2010])" in str(error)
    assert fingerprint(repo) == before  # refused before anything was built or recorded

    replaced = kaohe("publish", "--repo", str(repo), "--replace", "2010")  # the deliberate way
    assert replaced.code == 0, replaced.err
    moved = git(repo, "rev-parse", "HEAD").strip()
    assert git(repo, "rev-parse", "published-2010").strip() == moved
    assert f'commit = "{moved}"' in (repo / "published.toml").read_text(encoding="utf-8")
    assert "commit it and push the tags" in replaced.err


def test_records_that_disagree_are_refused(repo: Path):
    git(repo, "commit", "-q", "-am", "later")
    git(repo, "tag", "-f", "published-2010", "HEAD")  # someone moved the tag record by hand
    error = refusal("publish", "--repo", str(repo))
    assert error.code == "publish.records-disagree"
    assert refusal("build", "--repo", str(repo)).code == "publish.records-disagree"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[2010]\ncommit = = 'x'\n", "published.toml:2:10"),  # TOML syntax: no value
        ("[2010]\ncommit = 'abc'\n", 'published.toml: ["2010"]'),  # not a commit id
        (f"[2010]\ncommit = '{'a' * 40}'\ntag = \"x\\u001b[31m\"\n", 'published.toml: ["2010"]'),  # not a tag name
    ],
    ids=["syntax", "commit", "tag"],
)
def test_a_damaged_record_file_is_refused(repo: Path, text: str, where: str):
    (repo / "published.toml").write_text(text, encoding="utf-8")
    for command in ("build", "publish"):
        error = refusal(command, "--repo", str(repo))
        assert error.code == "publish.record-invalid" and str(error).startswith(where), str(error)


def test_a_plain_mkdocs_build_never_builds_a_final_year(repo: Path):
    shutil.rmtree(repo / "site")
    shutil.copytree(ROOT / "generator/render", repo / "generator/render")  # what the repository's mkdocs.yml inherits
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=repo, capture_output=True, text=True)
    assert done.returncode != 0
    # mkdocs, run on its own, speaks the default language
    assert tr("site.final-year", lang="zh", year=2010, where="").split("（")[0] in done.stderr
    assert not (repo / "site/default/2010").exists()
