"""A site built on several machines: one shard per organization's year (`kaohe build --org O --year
Y --site-dir PART`), joined by `kaohe assemble`, is byte for byte the site one machine builds.

Real repositories (git, a final tag), real MkDocs builds, real symbolic links.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, Run, git, init_git, said
from repos import add_liaoyang, add_year_2011, name_organization
from safety_support import assert_usable, fingerprint, kaohe_process, leftovers, refusal

from generator.cli import main
from generator.publish.stamp import FILE_LIST, MAX_STAMP_BYTES, STAMP
from generator.publish.yearfiles import MAX_DEPTH

CI = ROOT / "docs/ci"


def add_third_organization(repo: Path) -> None:
    """兴义 (a copy of the fixture's framework under another organization) with its year 2012."""
    source, target = repo / "frameworks/mini", repo / "frameworks/xingyi"
    shutil.copytree(source, target)
    text = (target / "framework.toml").read_text(encoding="utf-8")
    text = text.replace('id = "mini"', 'id = "xingyi"', 1).replace("黔西南州质量技术监督局", "兴义市质量技术监督局")
    text = text.replace('organization = "qianxinan-qts"', 'organization = "xingyi-qts"')
    (target / "framework.toml").write_text(text.replace("year = 2010\n", "year = 2012\n", 1), encoding="utf-8")
    year = repo / "evidence/2012"
    shutil.copytree(repo / "evidence/2011", year)
    units = (year / "units.toml").read_text(encoding="utf-8")
    (year / "units.toml").write_text(units.replace("year = 2011", "year = 2012").replace('"mini"', '"xingyi"'))
    (year / "xingren/df-01-meeting.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2012-03-15\nsatisfies = "meeting"\n+++\n2012年贯彻会议情况报告。\n',
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """黔西南 2010 (final, tagged) and 2011 (draft), 辽阳 2014, 兴义 2012: three organizations."""
    repo = tmp_path_factory.mktemp("shards") / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    name_organization(repo)
    init_git(repo)
    git(repo, "tag", "results-2010")
    add_year_2011(repo)
    add_liaoyang(repo)
    add_third_organization(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2011, 辽阳 2014, 兴义 2012")
    return repo


def shards_of(repo: Path) -> list[dict]:
    listed = kaohe("build", "--repo", str(repo), "--list-shards")
    assert listed.code == 0, listed.err
    return json.loads(listed.out)


def build_part(repo: Path, organization: str, year: int, part: Path) -> None:
    site = ["--site-dir", str(part), "--no-cache"]  # as CI builds it: nothing reused from another build
    done = kaohe("build", "--repo", str(repo), "--org", organization, "--year", str(year), *site)
    assert done.code == 0, done.err


def differences(a: Path, b: Path) -> list[str]:
    left, right = fingerprint(a), fingerprint(b)
    return sorted(
        f"{path}: {'only in ' + a.name if path not in right else 'only in ' + b.name if path not in left else 'differs'}"
        for path in set(left) | set(right)
        if left.get(path) != right.get(path)
    )


def kaohe(*args: str) -> Run:
    """Run `kaohe ARGS…` in-process (as conftest's `kaohe` fixture does, usable by module fixtures too)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def built(three: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(the whole site, the folder of parts, the assembled site), built once for the module."""
    work = tmp_path_factory.mktemp("sites")
    whole, parts, assembled = work / "whole", work / "parts", work / "assembled"
    done = kaohe("build", "--repo", str(three), "--site-dir", str(whole), "--no-cache")
    assert done.code == 0, done.err
    shards = shards_of(three)
    for shard in shards:
        build_part(three, shard["org"], shard["year"], parts / f"{shard['org']}-{shard['year']}")
    joined = kaohe("assemble", "--repo", str(three), *sorted(map(str, parts.iterdir())), "--site-dir", str(assembled))
    assert joined.code == 0, joined.err
    return whole, parts, assembled


def test_the_list_of_shards_names_every_organizations_year(three: Path):
    assert shards_of(three) == [
        {"org": "qianxinan-qts", "year": 2010},
        {"org": "qianxinan-qts", "year": 2011},
        {"org": "xingyi-qts", "year": 2012},
        {"org": "liaoyang-ciq", "year": 2014},
    ]
    one = kaohe("build", "--repo", str(three), "--org", "qianxinan-qts", "--list-shards")
    assert json.loads(one.out) == [{"org": "qianxinan-qts", "year": 2010}, {"org": "qianxinan-qts", "year": 2011}]
    assert not (three / "site").exists()  # listing builds nothing


def test_a_shard_holds_its_organizations_year_alone(built):
    _, parts, _ = built
    part = parts / "qianxinan-qts-2011"
    # the final 2010 of the same organization is not part of the 2011 shard: it is its own shard
    assert sorted(p.relative_to(part).as_posix() for p in part.glob("*/*") if p.is_dir()) == ["qianxinan-qts/2011"]
    listed = json.loads((part / "qianxinan-qts/versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in listed] == ["2011"]


def test_the_assembled_site_is_byte_for_byte_the_whole_build(built):
    whole, _, assembled = built
    assert differences(whole, assembled) == []
    stamps = assert_usable(assembled)
    assert sorted(stamps) == ["2010", "2011", "2012", "2014"]
    assert stamps["2010"]["draft"] is False and stamps["2010"]["tag"] == "results-2010"  # built from its tag
    root = (assembled / "index.html").read_text(encoding="utf-8")
    for organization, year, name in [
        ("qianxinan-qts", 2010, "黔西南州质量技术监督局"),  # the newest final year, not the 2011 draft
        ("xingyi-qts", 2012, "兴义市质量技术监督局"),
        ("liaoyang-ciq", 2014, "辽阳出入境检验检疫局"),
    ]:
        assert f'href="{organization}/{year}/">{name}<' in root
    listed = json.loads((assembled / "qianxinan-qts/versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["aliases"]) for v in listed] == [("2011", []), ("2010", ["latest"])]
    # search is per year: each year's index lies in its own folder, and the assembled site has them all
    assert len(list(assembled.glob("*/*/search/search_index.json"))) == 4


def test_assembling_says_it_places_the_final_years_it_builds_nothing(three: Path, built, tmp_path: Path):
    """Assembling into an empty site said "site/qianxinan-qts/2010不存在；从 results-2010 @ … 构建":
    a build's words, though assembling builds nothing; it puts each part's year in place."""
    _, parts, _ = built
    done = kaohe(
        "assemble", "--repo", str(three), *sorted(map(str, parts.iterdir())), "--site-dir", str(tmp_path / "s")
    )
    assert done.code == 0, done.err
    placed = [line for line in done.err.splitlines() if "results-2010" in line]
    assert placed and all("放入" in line and "构建" not in line for line in placed), done.err


def test_assembling_again_onto_the_site_changes_nothing(built, tmp_path: Path):
    whole, parts, _ = built
    site = tmp_path / "site"
    shutil.copytree(whole, site)
    before = fingerprint(site)
    done = kaohe("assemble", "--repo", str(ROOT), str(parts / "liaoyang-ciq-2014"), "--site-dir", str(site))
    assert done.code == 0, done.err
    assert fingerprint(site) == before  # the other years kept, the layout the same


# -- what assembling refuses -------------------------------------------------------------------------


@pytest.fixture
def part(built, tmp_path: Path) -> Path:
    """A writable copy of one shard (黔西南 2011)."""
    _, parts, _ = built
    copy = tmp_path / "part"
    shutil.copytree(parts / "qianxinan-qts-2011", copy)
    return copy


def refused(*argv: str) -> str:
    return refusal("assemble", "--repo", str(ROOT), *argv).code


def test_a_folder_kaohe_did_not_build_is_refused(part: Path, tmp_path: Path):
    (part / ".kaohe-site").unlink()
    assert refused(str(part), "--site-dir", str(tmp_path / "site")) == "assemble.not-a-site"


def test_a_part_that_does_not_exist_is_named_as_missing(tmp_path: Path):
    """docs/publishing.md's shard commands run on one machine: `kaohe assemble parts/*` with no
    `parts/` folder gets the pattern itself from the shell. Saying "not a site kaohe built (its
    marker file .kaohe-site is missing)" sends the clerk looking for a marker; the part is missing."""
    missing = tmp_path / "parts" / "*"
    run = kaohe("assemble", "--repo", str(ROOT), str(missing), "--site-dir", str(tmp_path / "site"))
    assert run.code == 1
    assert said("assemble.part-missing", part=missing) in run.err
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("emptied", [".", "qianxinan-qts"])
def test_a_part_holding_no_year_is_refused(part: Path, tmp_path: Path, emptied: str):
    """A marked part with no <organization>/<year>/ folder (only the marker, or an organization's folder
    emptied) was assembled without a word: the site then lacked that shard's year, or, assembled alone
    into an empty folder, held the marker and nothing else (no root page)."""
    shutil.rmtree(part / "qianxinan-qts")
    (part / "index.html").unlink()
    if emptied != ".":
        (part / emptied).mkdir()
    site = tmp_path / "site"
    caught = refusal("assemble", "--repo", str(ROOT), str(part), "--site-dir", str(site))
    assert (caught.code, caught.params["part"]) == ("assemble.no-year", part)
    assert not site.exists()


def test_the_same_organizations_year_from_two_parts_is_refused(part: Path, tmp_path: Path):
    twin = tmp_path / "twin"
    shutil.copytree(part, twin)
    assert refused(str(part), str(twin), "--site-dir", str(tmp_path / "site")) == "assemble.twice"
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("where", ["qianxinan-qts/2011/units/leak.html", "qianxinan-qts/2011/leak"])
def test_a_symbolic_link_in_a_part_is_refused_and_never_followed(part: Path, tmp_path: Path, where: str):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.txt").write_text("x", encoding="utf-8")
    (part / where).symlink_to(secret if where.endswith("leak") else secret / "passwords.txt")
    site = tmp_path / "site"
    assert refused(str(part), "--site-dir", str(site)) == "assemble.not-regular"
    assert not site.exists()


def test_a_foreign_file_in_a_part_is_refused(part: Path, tmp_path: Path):
    (part / "notes.txt").write_text("x", encoding="utf-8")
    assert refused(str(part), "--site-dir", str(tmp_path / "site")) == "assemble.not-regular"


def test_a_file_name_holding_a_newline_in_a_part_starts_no_line_of_its_own(part: Path, tmp_path: Path):
    """A part from CI can hold any name: one holding a newline printed as it is made a second line that
    reads like kaohe's own ("kaohe assemble: 已把 4 个部分合并…"), a forged success in the CI log."""
    forged = "x\nkaohe assemble: 已把 4 个部分合并到 site"
    (part / "qianxinan-qts/2011" / forged).write_text("x", encoding="utf-8")
    done = kaohe("assemble", "--repo", str(ROOT), str(part), "--site-dir", str(tmp_path / "site"))
    assert done.code == 1
    assert done.err.count("\n") == 1  # the refusal, on one line
    assert "x\\nkaohe assemble: 已把" in done.err  # the name shown with its newline escaped
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("where", ["qianxinan-qts/2011/汇报.docx", "qianxinan-qts/2011/units/notes.txt"])
def test_a_file_kaohe_did_not_write_in_a_parts_year_is_refused(part: Path, tmp_path: Path, where: str):
    """Inside a year folder too: the year's list of what kaohe wrote (kaohe-files.json) does not name it."""
    (part / where).write_text("x", encoding="utf-8")
    site = tmp_path / "site"
    assert refused(str(part), "--site-dir", str(site)) == "assemble.not-regular"
    assert not site.exists()


def test_a_file_kaohe_did_not_write_in_a_year_of_the_target_is_refused_and_kept(built, tmp_path: Path):
    """Assembling drops a year of the target a part brings again: a clerk's file in it would be lost."""
    whole, parts, _ = built
    site = tmp_path / "site"
    shutil.copytree(whole, site)
    (site / "liaoyang-ciq/2014/汇报.docx").write_text("唯一的副本", encoding="utf-8")
    before = fingerprint(site)
    caught = refusal("assemble", "--repo", str(ROOT), str(parts / "liaoyang-ciq-2014"), "--site-dir", str(site))
    assert (caught.code, caught.params["file"]) == ("site.foreign-file", site / "liaoyang-ciq/2014/汇报.docx")
    assert fingerprint(site) == before


def test_a_part_with_a_damaged_stamp_is_refused(part: Path, tmp_path: Path):
    (part / "qianxinan-qts/2011/kaohe-version.json").write_text("{", encoding="utf-8")
    assert refused(str(part), "--site-dir", str(tmp_path / "site")) == "site.stamp-damaged"


@pytest.mark.parametrize(("name", "code"), [(STAMP, "site.stamp-damaged"), (FILE_LIST, "site.file-list-damaged")])
def test_a_part_whose_json_is_nested_past_what_python_parses_is_refused(
    part: Path, tmp_path: Path, name: str, code: str
):
    """20,000 nested arrays (40 KB) make json.loads raise RecursionError: a refusal naming the file, not "内部错误"."""
    forged = part / "qianxinan-qts/2011" / name
    forged.write_text("[" * 20_000 + "]" * 20_000, encoding="utf-8")
    caught = refusal("assemble", "--repo", str(ROOT), str(part), "--site-dir", str(tmp_path / "site"))
    named, why = (
        (caught.params["stamp"], caught.params["reason"])
        if name == STAMP
        else (caught.params["list"], caught.params["error"])
    )
    assert (caught.code, named, why.id) == (code, forged, "stamp.too-deep")
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("how", ["pipe", "link to a pipe outside"])
def test_a_stamp_that_is_a_pipe_or_a_link_is_never_opened(part: Path, tmp_path: Path, how: str):
    """With the year's list gone, kaohe reads the stamp to learn whether the list was lost: a named pipe
    opened for reading waits for a writer forever (a CI job hung until its timeout), and a link would
    be followed out of the part. The walk refuses the entry instead, naming it."""
    year = part / "qianxinan-qts/2011"
    (year / FILE_LIST).unlink()
    (year / STAMP).unlink()
    if how == "pipe":
        os.mkfifo(year / STAMP)
    else:
        os.mkfifo(tmp_path / "outside")
        (year / STAMP).symlink_to(tmp_path / "outside")
    site = tmp_path / "site"
    run = kaohe_process("assemble", "--repo", str(ROOT), str(part), "--site-dir", str(site), cwd=tmp_path)
    try:
        _, err = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        run.kill()
        run.communicate()
        pytest.fail("kaohe assemble hung on a named pipe")
    assert run.returncode == 1, err
    assert str(year / STAMP) in err
    assert not site.exists()


def test_a_stamp_larger_than_any_kaohe_writes_is_refused_unread(part: Path, tmp_path: Path):
    """A stamp is a few hundred bytes; one padded past MAX_STAMP_BYTES (still valid JSON) is not read whole."""
    stamp = part / "qianxinan-qts/2011" / STAMP
    stamp.write_text(stamp.read_text(encoding="utf-8") + " " * MAX_STAMP_BYTES, encoding="utf-8")
    caught = refusal("assemble", "--repo", str(ROOT), str(part), "--site-dir", str(tmp_path / "site"))
    assert (caught.code, caught.params["reason"].id) == ("site.stamp-damaged", "stamp.too-large")
    assert not (tmp_path / "site").exists()


def nest(year: Path, levels: int) -> Path:
    """`levels` folders one inside the other in `year` (d/d/d/…), each named on the year's list as kaohe
    would name what it wrote (a forged list); the folder at the depth kaohe stops walking is returned."""
    written = json.loads((year / FILE_LIST).read_text(encoding="utf-8"))
    folder, relative = year, []
    for _ in range(levels):
        folder, relative = folder / "d", [*relative, "d"]
        folder.mkdir()
        written["folders"].append("/".join(relative))
    (year / FILE_LIST).write_text(json.dumps(written), encoding="utf-8")
    return year.joinpath(*["d"] * (MAX_DEPTH + 1))


def unnest(year: Path, levels: int) -> None:
    """Remove what :func:`nest` made, deepest first (os.walk and shutil.rmtree recurse past Python's limit)."""
    for level in range(levels, 0, -1):
        year.joinpath(*["d"] * level).rmdir()


def test_a_part_nested_a_thousand_folders_deep_is_refused(part: Path, tmp_path: Path):
    """1,100 nested folders exhausted Python's recursion in the walk ("内部错误"); kaohe writes a few."""
    deepest = nest(part / "qianxinan-qts/2011", 1_100)
    try:
        caught = refusal("assemble", "--repo", str(ROOT), str(part), "--site-dir", str(tmp_path / "site"))
        assert (caught.code, caught.params["path"]) == ("assemble.too-deep", deepest)
        assert not (tmp_path / "site").exists()
    finally:
        unnest(part / "qianxinan-qts/2011", 1_100)


def test_a_target_year_nested_a_thousand_folders_deep_is_refused_and_kept(built, tmp_path: Path):
    whole, parts, _ = built
    site = tmp_path / "site"
    shutil.copytree(whole, site)
    deepest = nest(site / "liaoyang-ciq/2014", 1_100)
    written = (site / "liaoyang-ciq/2014" / FILE_LIST).read_bytes()
    try:
        caught = refusal("assemble", "--repo", str(ROOT), str(parts / "liaoyang-ciq-2014"), "--site-dir", str(site))
        assert (caught.code, caught.params["path"]) == ("site.too-deep", deepest)
        assert (site / "liaoyang-ciq/2014" / FILE_LIST).read_bytes() == written and deepest.is_dir()
        assert leftovers(site) == []
    finally:
        unnest(site / "liaoyang-ciq/2014", 1_100)


def test_a_part_inside_the_site_is_refused(part: Path, tmp_path: Path):
    assert refused(str(part), "--site-dir", str(part.parent)) == "assemble.part-in-site"
    assert refused(str(part), "--site-dir", str(part / "qianxinan-qts")) == "assemble.part-in-site"


@pytest.mark.parametrize("name", [".site.new-part", ".site.old-part", ".site.new-x/part"])
def test_a_part_named_as_the_sites_staging_copy_is_refused_and_kept(part: Path, tmp_path: Path, name: str):
    """Recovery deletes marked .site.new-*/.site.old-* folders beside the site (copies a killed run left):
    a part downloaded under such a name was deleted, then carrying it failed ("内部错误")."""
    placed = tmp_path / name
    placed.parent.mkdir(parents=True, exist_ok=True)
    if placed.parent != tmp_path:  # a marked folder holding the part: recovery deletes what it holds
        shutil.copy(part / ".kaohe-site", placed.parent)
    part.rename(placed)
    before = fingerprint(placed)
    caught = refusal("assemble", "--repo", str(ROOT), str(placed), "--site-dir", str(tmp_path / "site"))
    assert (caught.code, caught.params["part"]) == ("assemble.part-named-as-copy", placed)
    assert fingerprint(placed) == before
    assert not (tmp_path / "site").exists()


def test_a_site_holding_foreign_files_is_refused_and_kept(part: Path, tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "report.docx").write_text("x", encoding="utf-8")
    assert refused(str(part), "--site-dir", str(site)) == "site.not-written-by-kaohe"
    assert (site / "report.docx").read_text(encoding="utf-8") == "x"


def test_a_final_year_is_never_replaced_by_a_part_from_another_commit(built, three: Path, tmp_path: Path):
    whole, _, _ = built
    site = tmp_path / "site"
    shutil.copytree(whole, site)
    before = fingerprint(site)
    moved = tmp_path / "moved"
    shutil.copytree(three, moved)
    (moved / "evidence/2010/xingren/df-01-meeting.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2010-03-15\nsatisfies = "meeting"\n+++\n改过的报告。\n', encoding="utf-8"
    )
    git(moved, "commit", "-q", "-am", "changes 2010 after its results were final")
    git(moved, "tag", "-f", "results-2010")
    build_part(moved, "qianxinan-qts", 2010, tmp_path / "part-2010")
    assert refused(str(tmp_path / "part-2010"), "--site-dir", str(site)) == "publish.final-moved"
    assert fingerprint(site) == before


def test_a_draft_part_never_replaces_a_final_year(built, three: Path, tmp_path: Path):
    whole, _, _ = built
    site = tmp_path / "site"
    shutil.copytree(whole, site)
    before = fingerprint(site)
    untagged = tmp_path / "untagged"
    shutil.copytree(three, untagged)
    git(untagged, "tag", "-d", "results-2010")
    build_part(untagged, "qianxinan-qts", 2010, tmp_path / "draft-2010")
    assert json.loads((tmp_path / "draft-2010/qianxinan-qts/2010/kaohe-version.json").read_text())["draft"] is True
    done = kaohe("assemble", "--repo", str(ROOT), str(tmp_path / "draft-2010"), "--site-dir", str(site))
    assert done.code == 0, done.err
    assert fingerprint(site) == before  # the final 2010 kept byte for byte, and said so
    assert "2010" in done.err and "results-2010" in done.err


# -- the CI examples ---------------------------------------------------------------------------------


def test_the_github_fan_out_builds_one_shard_per_job_and_assembles_after_all():
    workflow = yaml.safe_load((CI / "github-actions-shards.yml").read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" not in workflow[True]  # nothing a pull request builds feeds the publication
    assert "kaohe build --list-shards" in " ".join(s.get("run", "") for s in jobs["list"]["steps"])
    matrix = jobs["shard"]["strategy"]["matrix"]
    assert matrix["shard"] == "${{ fromJSON(needs.list.outputs.shards) }}"
    assert jobs["shard"]["needs"] == "list"
    runs = " ".join(s.get("run", "") for s in jobs["shard"]["steps"])
    assert jobs["shard"]["env"] == {"ORG": "${{ matrix.shard.org }}", "YEAR": "${{ matrix.shard.year }}"}
    assert '--org "$ORG" --year "$YEAR"' in runs  # values through the environment, never spliced into the script
    upload = next(s for s in jobs["shard"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["include-hidden-files"] is True  # else the marker .kaohe-site is left out of the part
    assert jobs["assemble"]["needs"] == ["shard"]
    assert "kaohe assemble" in " ".join(s.get("run", "") for s in jobs["assemble"]["steps"])
    uses = [s["uses"] for job in jobs.values() for s in job["steps"] if "uses" in s]
    assert uses and all("@" in u for u in uses)  # every action pinned


def test_the_gitlab_fan_out_spreads_the_shards_over_parallel_jobs_and_assembles_after_all():
    pipeline = yaml.safe_load((CI / "gitlab-ci-shards.yml").read_text(encoding="utf-8"))
    shard, assemble = pipeline["shard"], pipeline["site"]
    assert isinstance(shard["parallel"], int) and 2 <= shard["parallel"] <= 200  # GitLab's limit
    script = " ".join(shard["script"])
    assert "kaohe build --list-shards" in script and "CI_NODE_INDEX" in script and "CI_NODE_TOTAL" in script
    assert '--org "$org" --year "$year"' in script
    assert assemble["needs"] == [{"job": "shard", "artifacts": True}]
    assert "kaohe assemble" in " ".join(assemble["script"])
    for job in (shard, assemble):  # the default branch only: a merge request never feeds the publication
        assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert "cache" not in pipeline["default"] and "cache" not in shard and "cache" not in assemble
    assert pipeline["variables"]["KAOHE_REF"] == pipeline["variables"]["KAOHE_REF"].strip()


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run([str(tool), "--builtin-schema", schema, str(path)], capture_output=True, text=True)


def test_the_fan_out_examples_are_valid_for_their_ci():
    """check-jsonschema's vendored schemas of GitHub workflows and GitLab CI (no network)."""
    done = _check_jsonschema("vendor.github-workflows", CI / "github-actions-shards.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _check_jsonschema("vendor.gitlab-ci", CI / "gitlab-ci-shards.yml")
    assert done.returncode == 0, done.stdout + done.stderr
