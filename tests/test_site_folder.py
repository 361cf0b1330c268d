"""The site folder: kaohe never replaces the repository, its data, or a folder it did not write.

Every refusal is checked three ways: the command's exit status, the stable code of the refusal,
and a fingerprint of everything that must survive (the repository with its .git and uncommitted
work, the parent folder and its siblings), byte for byte.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import FIXTURES, git, init_git, said
from safety_support import fingerprint, leftovers, refusal

from generator.problems import InputError


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """A git repository with a final 2010 tag, uncommitted work, and the current folder inside it."""
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", target)
    init_git(target)
    git(target, "tag", "results-2010")
    (target / "evidence/2010/xingren/draft-notes.md").write_text("未提交的工作。\n", encoding="utf-8")
    (tmp_path / "sibling").mkdir()
    (tmp_path / "sibling/keep.txt").write_text("旁边的文件\n", encoding="utf-8")
    monkeypatch.chdir(target)  # relative --site-dir values are read from here
    return target


@pytest.mark.parametrize(
    ("site_dir", "code"),
    [
        (".", "site.contains-repository"),
        ("..", "site.contains-repository"),
        ("evidence", "site.inside-repository-data"),
        ("frameworks", "site.inside-repository-data"),
        (".git", "site.inside-repository-data"),
        ("evidence/2010/site", "site.inside-repository-data"),
        (".git/site", "site.inside-repository-data"),
    ],
)
def test_build_refuses_the_repository_and_its_data(repo: Path, kaohe, site_dir: str, code: str):
    parent = repo.parent
    before = fingerprint(parent)
    result = kaohe("build", "--site-dir", site_dir)
    assert result.code == 1 and "internal error" not in result.err and "Traceback" not in result.err
    assert refusal("build", "--site-dir", site_dir).code == code
    assert fingerprint(parent) == before  # the repository, its .git, the uncommitted file and the sibling


def test_a_link_to_the_evidence_is_refused_like_the_evidence(repo: Path, kaohe):
    (repo.parent / "out").symlink_to(repo / "evidence")
    before = fingerprint(repo.parent)
    assert kaohe("build", "--site-dir", "../out").code == 1
    assert refusal("build", "--site-dir", "../out").code == "site.inside-repository-data"
    assert fingerprint(repo.parent) == before


@pytest.mark.parametrize("command", [["build"], ["publish"]])
@pytest.mark.parametrize("at", ["site", "out/site"])
def test_a_committed_link_on_the_way_to_the_site_is_refused(repo: Path, kaohe, command: list[str], at: str):
    """A pull request committing `site -> /srv/…/site` (where the building machine keeps a published
    site) made `kaohe build` write the pull request's site there, replacing and deleting the one it
    found: the default site folder, or one named inside the repository, is never reached through a link."""
    elsewhere = repo.parent / "served/site"
    assert kaohe("build", "--site-dir", str(elsewhere)).code == 0  # a kaohe site kept outside the repository
    link = repo / at.split("/")[0]
    link.symlink_to(elsewhere if at == "site" else elsewhere.parent)
    git(repo, "add", at.split("/")[0])
    git(repo, "commit", "-q", "-m", "a link")
    before = fingerprint(repo.parent)
    flag = "--site-dir" if command == ["build"] else "--site"
    result = kaohe(*command, flag, at)
    assert result.code == 1, result.err
    caught = refusal(*command, flag, at)
    assert (caught.code, caught.params["link"]) == ("site.link-in-repository", link)
    assert fingerprint(repo.parent) == before
    if at == "site":  # the default too
        assert refusal(*command).code == "site.link-in-repository"


@pytest.mark.parametrize("site", ["evidence", ".", "frameworks/mini"])
def test_publish_refuses_the_repository_and_its_data(repo: Path, kaohe, site: str):
    before = fingerprint(repo.parent)
    result = kaohe("publish", "--site", site)
    assert result.code == 1 and "Traceback" not in result.err
    assert refusal("publish", "--site", site).code in {"site.contains-repository", "site.inside-repository-data"}
    assert fingerprint(repo.parent) == before  # no site, no record, no published- tag


def test_a_folder_holding_files_kaohe_did_not_write_is_refused(repo: Path, kaohe):
    docs = repo.parent / "docs"
    docs.mkdir()
    (docs / "手册.md").write_text("用户的文件\n", encoding="utf-8")
    before = fingerprint(repo.parent)
    assert kaohe("build", "--site-dir", str(docs)).code == 1
    assert refusal("build", "--site-dir", str(docs)).code == "site.not-written-by-kaohe"
    assert refusal("publish", "--site", str(docs)).code == "site.not-written-by-kaohe"
    assert fingerprint(repo.parent) == before


@pytest.mark.parametrize(
    "intruder", ["robots.txt", "2010-old", "link", "default/notes.txt", "default/2009-link", "default/2010/"]
)
def test_a_kaohe_site_with_a_foreign_entry_is_refused(repo: Path, intruder: str):
    site = repo.parent / "site"
    (site / "default").mkdir(parents=True)  # an organization's folder: what it holds is checked too
    (site / ".kaohe-site").write_text("", encoding="utf-8")
    if intruder == "link":
        (site / "2009").symlink_to("/etc")  # a year folder that is really a link out
    elif intruder == "default/2009-link":
        (site / "default/2009").symlink_to("/etc")
    elif intruder == "default/2010/":
        (site / "default/2010/").write_text("a file where a year folder belongs\n", encoding="utf-8")
    else:
        (site / intruder).write_text("不是 kaohe 写的\n", encoding="utf-8")
    before = fingerprint(repo.parent)
    assert refusal("build", "--site-dir", str(site)).code == "site.foreign-file"
    assert fingerprint(repo.parent) == before


def test_a_file_is_not_a_site_folder(repo: Path):
    target = repo.parent / "site"
    target.write_text("x\n", encoding="utf-8")
    assert refusal("build", "--site-dir", str(target)).code == "site.not-a-folder"
    assert target.read_text(encoding="utf-8") == "x\n"


def test_a_second_writer_is_refused_while_the_first_holds_the_site(repo: Path):
    site = repo.parent / "site"
    fd = os.open(site.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running kaohe build holds
        assert refusal("build", "--site-dir", str(site)).code == "site.busy"
    finally:
        os.close(fd)
    assert not site.exists()


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_build_marks_its_site_and_cleans_only_its_own_stale_copies(repo: Path, kaohe):
    site = repo.parent / "site"
    ours_new, ours_old = repo.parent / ".site.new-k1ll3d", repo.parent / ".site.old-k1ll3d"
    for stale in (ours_new, ours_old):  # left by a killed run: marked, with content
        (stale / "2010").mkdir(parents=True)
        (stale / ".kaohe-site").write_text("", encoding="utf-8")
        (stale / "2010/index.html").write_text("旧\n", encoding="utf-8")
    empty = repo.parent / ".site.new-empty1"  # killed between creating the folder and marking it
    empty.mkdir()
    foreign = repo.parent / ".site.new-mine"  # someone else's folder that happens to match the name
    foreign.mkdir()
    (foreign / "data.txt").write_text("别删\n", encoding="utf-8")
    site.mkdir()  # site/ absent: the .site.old- copy would be restored, so give it a site of its own
    result = kaohe("build", "--site-dir", str(site))
    assert result.code == 0, result.err
    assert (site / ".kaohe-site").is_file() and (site / "default/2010/index.html").is_file()
    assert leftovers(site) == [".site.new-mine"]
    assert (foreign / "data.txt").read_text(encoding="utf-8") == "别删\n"
    assert "removed .site.new-k1ll3d" in result.err
    # the site kaohe wrote is its own now: building again replaces it
    again = kaohe("build", "--site-dir", str(site))
    assert again.code == 0, again.err


@pytest.mark.parametrize("target", ["evidence", "..", "docs-of-someone"])
def test_a_plain_mkdocs_build_into_a_folder_keeps_the_same_rules(repo: Path, target: str):
    """`mkdocs build -d FOLDER` empties FOLDER: the plugin refuses what kaohe build refuses."""
    from generator.publish.direct import claim_preview_folder

    folder = repo / target
    if target == "docs-of-someone":
        folder.mkdir()
        (folder / "notes.md").write_text("x\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        claim_preview_folder(repo, folder)
    expected = {"evidence": "site.inside-repository-data", "..": "site.contains-repository"}
    assert caught.value.code == expected.get(target, "site.not-written-by-kaohe")


def test_a_plain_mkdocs_build_never_replaces_a_year_whose_stamp_is_damaged(tmp_path: Path):
    from generator.organization import Organization
    from generator.publish.direct import claim_year_folder

    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    site = repo / "site"
    (site / "default/2010").mkdir(parents=True)
    (site / ".kaohe-site").write_text("", encoding="utf-8")
    stamp = site / "default/2010/kaohe-version.json"
    stamp.write_text('{"year": 2010, "draft": fa', encoding="utf-8")  # truncated
    before = fingerprint(site)
    organization = Organization("default", "黔西南州质量技术监督局")
    with pytest.raises(InputError) as caught:
        claim_year_folder(repo, site, 2010, organization)
    assert caught.value.code == "site.stamp-damaged"
    assert fingerprint(site) == before
    stamp.unlink()
    with pytest.raises(InputError) as caught:  # a year folder without a stamp: kaohe cannot tell either
        claim_year_folder(repo, site, 2010, organization)
    assert caught.value.code == "site.stamp-damaged"


@pytest.mark.parametrize("planted", ["link-to-home", "link-to-file", "pipe"])
def test_a_link_inside_a_kept_year_is_refused_never_followed(repo: Path, kaohe, planted: str):
    """A final year is carried into the new site with hard links: a link inside it (committed in a pull
    request where site/ is in git) would copy what it points to, a home folder with its keys, into the site."""
    site = repo.parent / "site"
    assert kaohe("build", "--site-dir", str(site)).code == 0
    home = repo.parent / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh/id_rsa").write_text("PRIVATE KEY\n", encoding="utf-8")
    kept = site / "default/2010"  # final by its tag: kept, carried over
    assert (kept / "kaohe-version.json").is_file()
    planted_at = kept / "assets/homecopy"
    if planted == "link-to-home":
        planted_at.symlink_to(home)
    elif planted == "link-to-file":
        planted_at.symlink_to(home / ".ssh/id_rsa")
    else:
        os.mkfifo(planted_at)  # never opened: a pipe would wait forever
    before = entries(repo.parent)
    result = kaohe("build", "--site-dir", str(site))
    assert result.code == 1 and "Traceback" not in result.err
    caught = refusal("build", "--site-dir", str(site))
    assert (caught.code, caught.params["path"]) == ("site.not-regular", planted_at)
    assert entries(repo.parent) == before  # the same site (the same inodes), nothing copied, the link left alone


def entries(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry under `folder`, links not followed: its kind and inode (a replaced site has new ones);
    unlike :func:`fingerprint`, never opens a file (a pipe would wait forever)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            status = os.lstat(Path(dirpath) / name)
            out[(Path(dirpath) / name).relative_to(folder).as_posix()] = (stat.S_IFMT(status.st_mode), status.st_ino)
    return out


def test_a_plain_mkdocs_build_refuses_a_link_in_the_year_it_empties(repo: Path, kaohe):
    from generator.organization import Organization
    from generator.publish.direct import claim_year_folder

    git(repo, "tag", "-d", "results-2010")  # a draft year: the one a plain mkdocs build writes
    (repo / "evidence/2010/xingren/draft-notes.md").unlink()  # the fixture's unfinished file would stop the build
    site = repo.parent / "site"
    assert kaohe("build", "--site-dir", str(site)).code == 0
    (site / "default/2010/assets/out").symlink_to(repo.parent / "sibling")
    with pytest.raises(InputError) as caught:
        claim_year_folder(repo, site, 2010, Organization("default", "黔西南州质量技术监督局"))
    assert (caught.value.code, caught.value.params["path"]) == ("site.not-regular", site / "default/2010/assets/out")


@pytest.fixture
def two_years(repo: Path, kaohe) -> Path:
    """The site of a repository with 2010 final (by its tag) and 2011 a draft, built once by kaohe."""
    (repo / "evidence/2010/xingren/draft-notes.md").unlink()  # the fixture's unfinished file would stop the build
    shutil.copytree(repo / "frameworks/mini", repo / "frameworks/mini11")
    framework = repo / "frameworks/mini11/framework.toml"
    text = framework.read_text(encoding="utf-8").replace('id = "mini"', 'id = "mini11"')
    framework.write_text(text.replace("year = 2010", "year = 2011"), encoding="utf-8")
    shutil.copytree(repo / "evidence/2010", repo / "evidence/2011")
    for path in (repo / "evidence/2011").rglob("*.*"):
        text = path.read_text(encoding="utf-8").replace("year = 2010", "year = 2011")
        text = text.replace('framework = "mini"', 'framework = "mini11"').replace("2010-", "2011-")
        path.write_text(text, encoding="utf-8")
    site = repo.parent / "site"
    built = kaohe("build", "--site-dir", str(site))
    assert built.code == 0, built.err
    assert sorted(p.name for p in (site / "default").iterdir() if p.is_dir()) == ["2010", "2011"]
    return site


@pytest.mark.parametrize(
    "intruder", ["2011/汇报.docx", "2011/mine/a.txt", "2011/evidence/xingren/批注.docx", "2010/汇报.docx"]
)
def test_a_file_kaohe_did_not_write_inside_a_year_folder_is_refused_and_kept(two_years: Path, kaohe, intruder: str):
    """A draft year (2011) is replaced whole by the next build: a clerk's file saved into it would be deleted
    without a word; a final year (2010) is carried over: the file would be published with it."""
    site = two_years
    planted = site / "default" / intruder
    planted.parent.mkdir(exist_ok=True)
    planted.write_text("唯一的副本\n", encoding="utf-8")
    before = fingerprint(site)
    assert kaohe("build", "--site-dir", str(site)).code == 1
    caught = refusal("build", "--site-dir", str(site))
    # the file itself, or the folder kaohe did not write that holds it (2011/mine/)
    named = site / "default/2011/mine" if intruder == "2011/mine/a.txt" else planted
    assert (caught.code, caught.params["file"]) == ("site.foreign-file", named)
    assert fingerprint(site) == before
    shutil.rmtree(named) if named.is_dir() else named.unlink()  # moved out: the build goes on as before
    again = kaohe("build", "--site-dir", str(site))
    assert again.code == 0, again.err


def test_a_year_kaohe_wrote_is_rebuilt_and_lists_what_it_holds(two_years: Path, kaohe):
    """The list of what kaohe wrote names every file and folder of the year but itself, so rebuilding a
    year kaohe wrote (or carrying a final one) is never refused."""
    year = two_years / "default/2011"
    listed = json.loads((year / "kaohe-files.json").read_text(encoding="utf-8"))
    on_disk = {"files": set(), "folders": set()}
    for path in year.rglob("*"):
        on_disk["folders" if path.is_dir() else "files"].add(path.relative_to(year).as_posix())
    on_disk["files"].discard("kaohe-files.json")
    assert {kind: set(names) for kind, names in listed.items()} == on_disk
    assert "kaohe-version.json" in listed["files"] and "index.html" in listed["files"]
    for _ in range(2):
        done = kaohe("build", "--site-dir", str(two_years))
        assert done.code == 0, done.err


def test_a_year_written_before_kaohe_kept_its_list_still_builds(two_years: Path, kaohe):
    """A site an older kaohe wrote has no list: its years keep building (only links are refused there),
    and the next build writes the list."""
    for year in ("2010", "2011"):
        (two_years / "default" / year / "kaohe-files.json").unlink()
        stamp = two_years / "default" / year / "kaohe-version.json"  # nor did its stamps name a list
        stamp.write_text(stamp.read_text(encoding="utf-8").replace('  "files": "kaohe-files.json",\n', ""))
    (two_years / "default/2010/.nojekyll").write_text("", encoding="utf-8")  # cannot be told from kaohe's own
    done = kaohe("build", "--site-dir", str(two_years))
    assert done.code == 0, done.err
    assert (two_years / "default/2011/kaohe-files.json").is_file()  # the draft, built again
    assert not (two_years / "default/2010/kaohe-files.json").exists()  # the final year, carried byte for byte


def test_a_year_whose_list_was_removed_is_refused_not_taken_for_an_old_one(two_years: Path, kaohe):
    """Removing kaohe-files.json made a year look like one an older kaohe wrote, and the clerk's
    file beside it was then deleted by the next build. The stamp names the list since it exists."""
    assert '"files": "kaohe-files.json"' in (two_years / "default/2011/kaohe-version.json").read_text()
    (two_years / "default/2011/kaohe-files.json").unlink()
    (two_years / "default/2011/汇报.docx").write_text("唯一的副本\n", encoding="utf-8")
    before = fingerprint(two_years)
    assert kaohe("build", "--site-dir", str(two_years)).code == 1
    caught = refusal("build", "--site-dir", str(two_years))
    assert (caught.code, caught.params["list"]) == (
        "site.file-list-damaged",
        two_years / "default/2011/kaohe-files.json",
    )
    assert fingerprint(two_years) == before  # the clerk's file is still there


@pytest.mark.parametrize("damage", ["{", '{"files": "index.html", "folders": []}'])
def test_a_damaged_list_of_a_year_is_refused(two_years: Path, kaohe, damage: str):
    listing = two_years / "default/2011/kaohe-files.json"
    listing.write_text(damage, encoding="utf-8")
    before = fingerprint(two_years)
    assert kaohe("build", "--site-dir", str(two_years)).code == 1
    caught = refusal("build", "--site-dir", str(two_years))
    assert (caught.code, caught.params["list"]) == ("site.file-list-damaged", listing)
    assert fingerprint(two_years) == before


def test_a_plain_mkdocs_build_refuses_a_foreign_file_in_the_year_it_empties(two_years: Path, repo: Path):
    from generator.organization import Organization
    from generator.publish.direct import claim_year_folder

    (two_years / "default/2011/汇报.docx").write_text("唯一的副本\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        claim_year_folder(repo, two_years, 2011, Organization("default", "黔西南州质量技术监督局"))
    assert (caught.value.code, caught.value.params["file"]) == (
        "site.foreign-file",
        two_years / "default/2011/汇报.docx",
    )


def test_a_file_saved_while_the_site_is_built_is_kept_with_the_replaced_site(
    two_years: Path, kaohe, monkeypatch: pytest.MonkeyPatch
):
    """The site is checked for files kaohe did not write before the build; a clerk who saves one into
    the site during the build's seconds had it deleted with the site the build replaced. The replaced
    site is now kept beside the new one (a name no run deletes), and the build says where."""
    from generator.publish import site as publishing

    real_build = publishing._build

    def saved_meanwhile(*args, **kwargs):
        (two_years / "default/2011/汇报.docx").write_text("唯一的副本\n", encoding="utf-8")
        return real_build(*args, **kwargs)

    monkeypatch.setattr(publishing, "_build", saved_meanwhile)
    run = kaohe("build", "--site-dir", str(two_years))
    assert run.code == 0, run.err
    (kept,) = [p for p in two_years.parent.iterdir() if p.name.startswith("site.kept-")]
    assert (kept / "default/2011/汇报.docx").read_text(encoding="utf-8") == "唯一的副本\n"
    assert said("site.copy-kept", file=kept / "default/2011/汇报.docx", folder=kept) in run.err
    assert not (two_years / "default/2011/汇报.docx").exists()  # the new site is kaohe's alone
    monkeypatch.undo()
    again = kaohe("build", "--site-dir", str(two_years))  # a later run leaves the kept copy alone
    assert again.code == 0 and (kept / "default/2011/汇报.docx").is_file(), again.err


def test_a_build_with_nothing_saved_meanwhile_leaves_no_copy(two_years: Path, kaohe):
    assert kaohe("build", "--site-dir", str(two_years)).code == 0
    assert sorted(p.name for p in two_years.parent.iterdir() if p.name.startswith(("site.", ".site"))) == []


def test_a_replaced_site_a_kill_left_behind_is_kept_when_a_file_was_saved_into_it(two_years: Path, kaohe):
    """Killed between the swap and the check of the replaced site, the next run's recovery deleted
    that copy whole: a file saved into it during the killed build went with it."""
    from generator.publish.swap import staging_prefix

    left = two_years.parent / (staging_prefix(two_years) + "killed")  # the replaced site, as an exchange names it
    shutil.copytree(two_years, left)
    (left / "default/2011/汇报.docx").write_text("唯一的副本\n", encoding="utf-8")
    clean = two_years.parent / (staging_prefix(two_years) + "clean")  # another, holding only kaohe's files
    shutil.copytree(two_years, clean)
    run = kaohe("build", "--site-dir", str(two_years))
    assert run.code == 0, run.err
    (kept,) = [p for p in two_years.parent.iterdir() if p.name.startswith("site.kept-")]
    assert (kept / "default/2011/汇报.docx").read_text(encoding="utf-8") == "唯一的副本\n"
    assert said("site.copy-kept", file=kept / "default/2011/汇报.docx", folder=kept) in run.err
    assert not left.exists() and not clean.exists()  # the clean copy is removed as before
