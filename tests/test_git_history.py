"""Every command that reads git history says, in the clerk's words, why a revision it needs is missing.

Real repositories in tmp folders: a full one with history, a shallow clone of it through a file://
URL (what CI's default checkout makes), one without commits, a folder outside git, and git missing
from PATH. Each refusal exits 1, names the revision the user gave and the fix, and never shows git's
own English ("fatal: Needed a single revision") or a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, Run, git, init_git, said
from repos import two_organizations

from generator.publish.records import RECORD_FILE
from generator.tree import _CORRUPT, GitError
from generator.tree import git as tree_git


def _commit(repo: Path, message: str) -> None:
    """A commit that changes the framework (a comment only: every score stays the same)."""
    with (repo / "frameworks/mini/framework.toml").open("a", encoding="utf-8") as handle:
        handle.write(f"# {message}\n")
    git(repo, "commit", "-q", "-am", message)


def _clone(origin: Path, target: Path, *options: str) -> Path:
    subprocess.run(["git", "clone", "-q", *options, f"file://{origin}", str(target)], check=True)
    return target


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """The mini fixture with three commits on main, the first tagged results-2010."""
    repo = init_git(shutil.copytree(FIXTURES / "mini", tmp_path / "origin"))
    git(repo, "tag", "results-2010")
    _commit(repo, "two")
    _commit(repo, "three")
    return repo


@pytest.fixture
def shallow(origin: Path, tmp_path: Path) -> Path:
    """`git clone --depth 1`: main's last commit only, no tag (results-2010 is two commits back)."""
    return _clone(origin, tmp_path / "shallow", "--depth", "1")


def _refused(run: Run, code: str, **params: object) -> None:
    """Exit 1 with the catalogue's message (and hint) for `code`, none of git's words, no traceback."""
    assert run.code == 1, run.err
    assert said(code, **params) in run.err
    assert "fatal:" not in run.err and "Traceback" not in run.err and "git 报错" not in run.err


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--rev", "HEAD~1"),
        ("score", "--rev", "HEAD~1"),
        ("review", "--since", "HEAD~1"),
        ("diff", "HEAD~1"),
        ("diff", "--exact-base", "HEAD~1"),
        ("diff", "HEAD", "HEAD~1"),
        ("diff", "results-2010"),  # the tag is on a commit the clone did not fetch
    ],
)
def test_a_shallow_clone_says_history_is_missing(shallow, kaohe, args):
    run = kaohe("--repo", str(shallow), *args)
    _refused(run, "git.shallow", rev=args[-1])
    assert "这是浅克隆，缺少历史" in run.err and "git fetch --unshallow" in run.err and "fetch-depth: 0" in run.err


def test_a_shallow_clone_says_so_in_english(shallow, kaohe, english):
    run = kaohe("--repo", str(shallow), "check", "--rev", "HEAD~2")
    _refused(run, "git.shallow", rev="HEAD~2")
    assert "this is a shallow clone, history is missing" in run.err


@pytest.mark.parametrize(
    "args", [("check", "--rev", "no-such"), ("score", "--rev", "no-such"), ("review", "--since", "no-such")]
)
def test_an_unknown_name_says_check_it_or_fetch_the_tags(origin, kaohe, args):
    run = kaohe("--repo", str(origin), *args)
    _refused(run, "git.unknown-revision", rev="no-such")
    assert "git fetch --tags" in run.err


def test_diff_names_the_unknown_head(origin, kaohe):
    _refused(kaohe("--repo", str(origin), "diff", "main", "no-such"), "git.unknown-revision", rev="no-such")


def test_a_missing_commit_id_is_unknown(origin, kaohe):
    missing = "0123456789abcdef0123456789abcdef01234567"  # well-formed, in no repository
    _refused(kaohe("--repo", str(origin), "check", "--rev", missing), "git.unknown-revision", rev=missing)


def test_a_revision_that_is_not_a_commit(origin, kaohe):
    run = kaohe("--repo", str(origin), "check", "--rev", "HEAD:evidence")
    _refused(run, "git.not-a-commit", rev="HEAD:evidence", kind=said("git.kind.tree"))  # a folder, in words


@pytest.mark.parametrize("args", [("check", "--rev", "HEAD"), ("diff", "main"), ("review", "--since", "HEAD")])
def test_a_repository_without_commits(tmp_path, kaohe, args):
    repo = shutil.copytree(FIXTURES / "mini", tmp_path / "fresh")
    git(repo, "init", "-q", "-b", "main")
    _refused(kaohe("--repo", str(repo), *args), "git.no-commits", rev=args[-1])


@pytest.mark.parametrize("args", [("check", "--rev", "HEAD"), ("diff", "main"), ("score", "--rev", "main")])
def test_a_folder_outside_git(tmp_path, kaohe, args):
    folder = shutil.copytree(FIXTURES / "mini", tmp_path / "plain").resolve()
    run = kaohe("--repo", str(folder), *args)
    _refused(run, "git.not-a-repository", rev=args[-1], root=folder)


@pytest.mark.parametrize("args", [("check", "--rev", "HEAD"), ("diff", "main"), ("publish", "--dry-run")])
def test_git_missing_from_path(origin, kaohe, monkeypatch, tmp_path, args):
    empty = tmp_path / "no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    _refused(kaohe("--repo", str(origin), *args), "git.not-installed")  # publish said 内部错误 (exit 3)


@pytest.fixture
def pull_request(origin: Path, tmp_path: Path) -> Path:
    """A pull request's branch off main's second commit, main moved on since, cloned one commit deep
    on every branch: the merge base (main's second commit) is not in the clone."""
    git(origin, "checkout", "-q", "-b", "pr", "HEAD~1")
    with (origin / "evidence/2010/xingren/df-03-education.md").open("a", encoding="utf-8") as handle:
        handle.write("补充说明。\n")
    git(origin, "commit", "-q", "-am", "pr")
    git(origin, "checkout", "-q", "main")
    clone = _clone(origin, tmp_path / "pr-clone", "--depth", "1", "--no-single-branch", "--branch", "pr")
    return clone


def test_diff_in_a_shallow_clone_refuses_a_guessed_base(pull_request, kaohe):
    """Comparing with origin/main itself would show main's third commit as undone by the pull request."""
    run = kaohe("--repo", str(pull_request), "diff", "origin/main")
    _refused(run, "diff.shallow-merge-base", base="origin/main", head="HEAD")
    asked = kaohe("--repo", str(pull_request), "diff", "--exact-base", "origin/main")
    assert asked.code == 0, asked.err


def test_diff_of_unrelated_histories_still_compares_with_base(origin, kaohe, tmp_path):
    """Not shallow: no merge base means unrelated histories, and BASE itself is what there is."""
    git(origin, "checkout", "-q", "--orphan", "other")
    git(origin, "commit", "-q", "-m", "unrelated")
    run = kaohe("--repo", str(origin), "diff", "main")
    assert run.code == 0, run.err


def test_publish_refuses_a_shallow_clone(shallow, kaohe):
    """Before: "没有可发布的内容：没有 results-<年度> 标签": the tag was there, only not fetched."""
    for args in (("publish",), ("publish", "--draft", "2010"), ("publish", "--year", "2010")):
        _refused(kaohe("--repo", str(shallow), *args), "publish.shallow", root=shallow.resolve(), prefix="results-")


def test_build_in_a_shallow_clone_says_once_that_tags_may_be_missing(shallow, kaohe):
    run = kaohe("--repo", str(shallow), "build", "--list-shards")
    assert run.code == 0, run.err
    note = "kaohe build: " + said("publish.shallow-tags", prefix="results-", years="2010")
    assert run.err.count(note) == 1
    full = kaohe("--repo", str(shallow.parent / "origin"), "build", "--list-shards")
    assert "浅克隆" not in full.err


def test_build_in_a_shallow_clone_names_the_years_it_builds_as_drafts(shallow, kaohe):
    """2010's tag is two commits back, not fetched: 2010 is built as a draft, and the note says so."""
    run = kaohe("--repo", str(shallow), "build", "--list-shards")
    assert run.code == 0, run.err
    assert "kaohe build: " + said("publish.shallow-tags", prefix="results-", years="2010") in run.err
    assert "2010 年度没有找到 results-<年度> 标签" in run.err


def test_build_in_a_shallow_clone_with_every_year_tagged_says_nothing_of_tags(origin, kaohe, tmp_path):
    """Before: the note that a year whose tag was not fetched is built as a draft, printed on every
    build of a shallow clone, here where the one year's tag came with the clone's one commit."""
    git(origin, "tag", "-f", "results-2010", "HEAD")
    clone = _clone(origin, tmp_path / "tagged", "--depth", "1")
    assert git(clone, "tag").split() == ["results-2010"]
    run = kaohe("--repo", str(clone), "build", "--list-shards")
    assert run.code == 0, run.err
    assert "浅克隆" not in run.err


def test_build_of_one_organization_names_only_its_own_draft_years(tmp_path, kaohe):
    """黔西南 has 2010 (tagged at the one commit a depth-1 clone fetches: final) and 2011 (a draft); 辽阳
    has 2014 (a draft). `kaohe build --org liaoyang-ciq` builds 2014 alone, so the note names 2014
    alone. Before: it named 2011 and 2014, the drafts of every organization, one of them not built."""
    origin = init_git(two_organizations(tmp_path / "origin"))
    git(origin, "tag", "results-2010")
    clone = _clone(origin, tmp_path / "clone", "--depth", "1")
    run = kaohe("--repo", str(clone), "build", "--org", "liaoyang-ciq", "--list-shards")
    assert run.code == 0, run.err
    assert json.loads(run.out) == [{"org": "liaoyang-ciq", "year": 2014}]
    assert "kaohe build: " + said("publish.shallow-tags", prefix="results-", years="2014") in run.err
    assert "2011" not in run.err


def test_build_names_the_record_whose_commit_the_clone_lacks(origin, kaohe, tmp_path):
    published = kaohe("--repo", str(origin), "publish", "--year", "2010")
    assert published.code == 0, published.err
    git(origin, "add", RECORD_FILE)
    git(origin, "commit", "-q", "-m", "record")
    tagged = git(origin, "rev-parse", "results-2010").strip()
    clone = _clone(origin, tmp_path / "clone", "--depth", "1")
    run = kaohe("--repo", str(clone), "build", "--list-shards")
    assert run.code == 1, run.err
    assert said("git.shallow", rev=tagged) in run.err
    assert f"{RECORD_FILE} [2010]" in run.err and tagged[:10] in run.err
    assert "fatal:" not in run.err and "Traceback" not in run.err


@pytest.mark.parametrize(
    "variables",
    [("GIT_DIR",), ("GIT_DIR", "GIT_WORK_TREE"), ("GIT_OBJECT_DIRECTORY",)],
    ids=["git-dir", "git-dir-and-work-tree", "object-directory"],
)
def test_git_variables_of_the_environment_never_read_another_repository(
    origin, tmp_path, kaohe, monkeypatch, variables
):
    """kaohe finds its repository in the folders (`--repo`, or above the current folder) and reads the
    files there; with GIT_DIR set in the environment (a bare repository of dotfiles, a hook of
    another repository, `git --git-dir` exported by a script) every git command it ran read that
    other repository instead: `kaohe check --rev HEAD` checked the other repository's HEAD, found no
    data and said 0 problems in 0 files, and filing dates came from another history."""
    expected = kaohe("--repo", str(origin), "check", "--rev", "HEAD", "--no-cache")
    assert expected.code == 0 and "0 个文件" not in expected.err + expected.out
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("not kaohe's\n", encoding="utf-8")
    init_git(other)
    places = {"GIT_DIR": other / ".git", "GIT_WORK_TREE": other, "GIT_OBJECT_DIRECTORY": other / ".git/objects"}
    for name in variables:
        monkeypatch.setenv(name, str(places[name]))
    run = kaohe("--repo", str(origin), "check", "--rev", "HEAD", "--no-cache")
    assert (run.code, run.out, run.err) == (expected.code, expected.out, expected.err)


@pytest.mark.parametrize("args", [("check", "--rev", "HEAD"), ("diff", "HEAD"), ("score", "--rev", "HEAD")])
def test_a_damaged_repository_is_said_in_words_with_the_way_out(origin, kaohe, args):
    """Before: "git 报错：error: inflate: data stream error (incorrect header check)\\nerror: unable to
    unpack …\\nfatal: loose object … is corrupt" — three lines of git's English and no way out."""
    folder = git(origin, "rev-parse", "HEAD:evidence").strip()
    damaged = origin / ".git" / "objects" / folder[:2] / folder[2:]
    damaged.chmod(0o644)
    damaged.write_bytes(b"garbage")  # a loose object cut short: what a full disk during a fetch leaves
    run = kaohe("--repo", str(origin), *args)
    assert run.code == 1, run.err
    assert "git 仓库的文件已损坏，读不出其中的内容" in run.err
    assert "git fsck" in run.err and "git clone" in run.err  # the hint: find the damage, clone again
    assert "git 报错" not in run.err and "Traceback" not in run.err
    assert run.err.count("fatal:") == 1 and "inflate" not in run.err  # git's last line only


def _git_said(repo: Path, *args: str) -> list[str]:
    """What git itself prints (in English, as kaohe runs it) for `args` in a damaged `repo`."""
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env={**os.environ, "LC_ALL": "C"})
    assert done.returncode != 0
    return done.stderr.decode().strip().splitlines()


def _damaged_pack_said(folder: Path) -> list[str]:
    """What `git index-pack` (as a fetch runs it) prints for a pack whose first object's compressed
    data is overwritten: 'inflate: data stream error', then 'pack has bad object at offset 12' (its
    first object, after the 12 bytes of the pack's header)."""
    source, target = folder / "source", folder / "target"
    for repo in (source, target):
        repo.mkdir(parents=True)
        git(repo, "init", "-q")
    (source / "a.txt").write_text("甲\n", encoding="utf-8")
    git(source, "add", "a.txt")
    git(source, "-c", "user.name=k", "-c", "user.email=k@example.org", "commit", "-q", "-m", "a")
    git(source, "gc", "-q")
    (pack,) = (source / ".git/objects/pack").glob("*.pack")
    data = bytearray(pack.read_bytes())
    data[14:40] = b"\xff" * 26  # the first object's zlib stream, past its type-and-size bytes
    done = subprocess.run(
        ["git", "-C", str(target), "index-pack", "--stdin"],
        input=bytes(data),
        capture_output=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert done.returncode != 0
    said_lines = done.stderr.decode().strip().splitlines()
    assert said_lines[-1].startswith("fatal: pack has bad object at offset 12:"), said_lines
    return said_lines


def test_each_line_git_prints_for_a_damaged_repository_is_recognised_on_its_own(origin):
    """git prints two or three lines for one damage, and which of them varies with its version and with
    the command: each is recognised alone. A loose object cut short (as above): 'inflate: data stream
    error', 'unable to unpack … header', 'loose object … is corrupt'. An index overwritten with 200
    bytes of 'g': 'bad signature 0x67676767' (the bytes git read for its signature, "gggg"), then
    'index file corrupt'. A pack fetched damaged: 'pack has bad object at offset 12'. Through
    :func:`generator.tree.git`: git.corrupt, with git's last line."""
    folder = git(origin, "rev-parse", "HEAD:evidence").strip()
    damaged = origin / ".git" / "objects" / folder[:2] / folder[2:]
    damaged.chmod(0o644)
    damaged.write_bytes(b"garbage")
    loose = _git_said(origin, "ls-tree", "-r", "HEAD")
    (origin / ".git" / "index").write_bytes(b"g" * 200)
    index = _git_said(origin, "status")
    assert any("inflate: data stream error" in x for x in loose) and "error: bad signature 0x67676767" in index
    for line in loose + index + _damaged_pack_said(origin.parent / "packed"):
        assert _CORRUPT.search(line), line
    with pytest.raises(GitError) as raised:
        tree_git(origin, "status")
    assert raised.value.code == "git.corrupt" and raised.value.params["detail"] == "fatal: index file corrupt"


def test_a_damaged_pack_header_and_a_short_index_are_recognised(tmp_path):
    """Two damages git words otherwise (found by the mutation run of _CORRUPT): a pack whose first
    bytes are not "PACK" ('error: file … is not a GIT packfile', then 'fatal: not a tree object'),
    and an index cut to 20 bytes ('fatal: .git/index: index file smaller than expected'). Before:
    git.failed, git's English after "git 报错"."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "a.txt").write_text("甲\n", encoding="utf-8")
    git(repo, "add", "a.txt")
    git(repo, "-c", "user.name=k", "-c", "user.email=k@example.org", "commit", "-q", "-m", "a")
    index = (repo / ".git/index").read_bytes()
    (repo / ".git/index").write_bytes(index[:20])
    with pytest.raises(GitError) as raised:
        tree_git(repo, "status")
    assert raised.value.code == "git.corrupt", raised.value.params
    (repo / ".git/index").write_bytes(index)
    git(repo, "gc", "-q")
    (pack,) = (repo / ".git/objects/pack").glob("*.pack")
    pack.chmod(0o644)
    pack.write_bytes(b"XXXX" + pack.read_bytes()[4:])
    with pytest.raises(GitError) as raised:
        tree_git(repo, "ls-tree", "-r", "HEAD")
    assert raised.value.code == "git.corrupt", raised.value.params
