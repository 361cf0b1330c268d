"""One organization per series of years: the data says whose a year is, the site keeps each
organization's years together, and its root lists the organizations.

Real repositories (git, tags, kaohe publish and build), real MkDocs builds; the browser side is in
test_browser_organizations.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from builders import load, make_repo, write
from conftest import FIXTURES, ROOT, git, init_git, said
from repos import add_liaoyang, add_year_2011, name_organization, two_organizations
from safety_support import assert_usable, fingerprint, refusal

from generator.organization import Organization, of_year
from generator.publish.layout import Listing, site_files
from generator.publish.stamp import DamagedStamp, Stamp, read_stamp
from generator.tree import FsTree

QIANXINAN = Organization("qianxinan-qts", "黔西南州质量技术监督局")
LIAOYANG = Organization("liaoyang-ciq", "辽阳出入境检验检疫局")


# -- the data ------------------------------------------------------------------------------------


def test_the_shipped_years_belong_to_their_organizations():
    assert of_year(FsTree(ROOT), 2010) == QIANXINAN
    assert of_year(FsTree(ROOT), 2014) == LIAOYANG


def test_a_framework_without_organization_belongs_to_the_default_one():
    assert of_year(FsTree(FIXTURES / "mini"), 2010) == Organization("default", "黔西南州质量技术监督局")


@pytest.mark.parametrize(
    "value", ["Qianxinan", "2010", "qx_n", "-qx", "黔西南", "a" * 41, r"evil\n", r"qianxinan-qts\n"]
)
def test_an_organization_that_cannot_name_a_folder_is_an_error(tmp_path: Path, value: str):
    make_repo(tmp_path, "", settings=f'issuer = "黔西南州质量技术监督局"\norganization = "{value}"')
    _, problems = load(tmp_path)
    found = [(p.path, p.line, p.col, p.code) for p in problems.errors if p.path.startswith("frameworks/")]
    # framework.toml as make_repo writes it: 1 id, 2 title, 3 issuer, 4 organization
    assert found == [("frameworks/t/framework.toml", 4, 1, "framework.organization-invalid")]
    # the clerk reads which value is wrong and what a good one looks like, in Chinese
    (problem,) = [p for p in problems.errors if p.path.startswith("frameworks/")]
    assert problem.format() == (
        f"frameworks/t/framework.toml:4:1: 错误：组织标识“{value}”不能用作网站的文件夹名（提示：只用小写英文字母、"
        '数字和“-”，以字母开头，最多40个字符，例如 organization = "qianxinan-qts"）'
    )


@pytest.mark.parametrize("value", ["qianxinan-qts", "a", "q2010", "a" * 40])
def test_an_organization_of_letters_digits_and_hyphens_is_accepted(tmp_path: Path, value: str):
    make_repo(tmp_path, "", settings=f'organization = "{value}"')
    repo, problems = load(tmp_path)
    assert not problems.errors
    assert repo.frameworks["t"].organization == value  # type: ignore[attr-defined]


def second_framework(root: Path, *, issuer: str, organization: str | None) -> None:
    key = f'organization = "{organization}"\n' if organization else ""
    write(
        root / "frameworks/t2/framework.toml",
        f'id = "t2"\ntitle = "2011年度细则"\nissuer = "{issuer}"\n{key}\n[[series]]\nid = "county"\ntitle = "县局"\n',
    )


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_one_issuer_split_across_organizations_is_warned_about(tmp_path: Path):
    # a 2011 framework added without the organization its 2010 framework names
    make_repo(tmp_path, "", settings='issuer = "黔西南州质量技术监督局"\norganization = "qianxinan-qts"')
    second_framework(tmp_path, issuer="黔西南州质量技术监督局", organization=None)
    _, problems = load(tmp_path)
    assert not problems.errors
    warned = {(p.path, p.line, p.col, p.code, p.hint) for p in problems if p.severity == "warning"}
    assert warned == {
        (
            "frameworks/t/framework.toml",
            4,  # organization = …
            1,
            "framework.organization-split",
            "give the frameworks of one organization the same `organization`",
        ),
        ("frameworks/t2/framework.toml", 1, 1, "framework.organization-split", 'add organization = "qianxinan-qts"'),
    }


def test_frameworks_of_two_issuers_without_organizations_are_warned_about(tmp_path: Path):
    # what the shipped data was before organizations: 黔西南 and 辽阳 in one version selector
    make_repo(tmp_path, "", settings='issuer = "黔西南州质量技术监督局"')
    second_framework(tmp_path, issuer="辽阳出入境检验检疫局", organization=None)
    _, problems = load(tmp_path)
    warned = sorted((p.path, p.line, p.code) for p in problems if p.severity == "warning")
    assert warned == [
        ("frameworks/t/framework.toml", 3, "framework.organization-unnamed"),  # at issuer = …
        ("frameworks/t2/framework.toml", 3, "framework.organization-unnamed"),
    ]
    second_framework(tmp_path, issuer="辽阳出入境检验检疫局", organization="liaoyang-ciq")  # named: no warning
    _, problems = load(tmp_path)
    assert [p for p in problems if p.severity == "warning"] == []


# -- the layout ----------------------------------------------------------------------------------


def stamp(year: int, draft: bool, organization: Organization | None = None) -> Stamp:
    commit, tag = (None, None) if draft else ("1" * 40, f"results-{year}")
    return Stamp(year, "f", commit, None, tag, draft, *((organization.id, organization.name) if organization else ()))


def test_one_organization_keeps_the_root_redirect_to_its_latest_final_year():
    years = {2010: stamp(2010, False), 2011: stamp(2011, False), 2012: stamp(2012, True)}
    files = site_files([Listing("qianxinan-qts", QIANXINAN.name, years)])
    assert sorted(files) == ["index.html", "qianxinan-qts/index.html", "qianxinan-qts/versions.json"]
    assert 'url=qianxinan-qts/2011/"' in files["index.html"]  # the newest final year, not the newer draft
    assert 'url=2011/"' in files["qianxinan-qts/index.html"]
    assert json.loads(files["qianxinan-qts/versions.json"]) == [
        {"version": "2012", "title": "2012（草稿）", "aliases": []},
        {"version": "2011", "title": "2011", "aliases": ["latest"]},
        {"version": "2010", "title": "2010", "aliases": []},
    ]


def test_several_organizations_are_listed_by_name_each_with_its_own_years():
    files = site_files(
        [
            Listing("qianxinan-qts", QIANXINAN.name, {2010: stamp(2010, False), 2011: stamp(2011, True)}),
            Listing("liaoyang-ciq", "辽阳<出入境>检验检疫局", {2014: stamp(2014, True)}),
        ]
    )
    root = files["index.html"]
    assert "http-equiv" not in root  # a page to choose from, not a redirect
    assert '<h2><a href="qianxinan-qts/2010/">黔西南州质量技术监督局</a></h2>' in root  # its newest final year
    assert '<a href="qianxinan-qts/2011/" class="kh-draft">2011年度（草稿）</a>' in root
    assert '<h2><a href="liaoyang-ciq/2014/">辽阳&lt;出入境&gt;检验检疫局</a></h2>' in root  # names are escaped
    assert "qianxinan-qts</" not in root and ">liaoyang-ciq" not in root  # ids only in addresses
    assert [v["version"] for v in json.loads(files["liaoyang-ciq/versions.json"])] == ["2014"]
    assert [v["version"] for v in json.loads(files["qianxinan-qts/versions.json"])] == ["2011", "2010"]


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_a_stamp_names_an_organization_kaohe_could_write(tmp_path: Path):
    folder = tmp_path / "liaoyang-ciq/2010"
    folder.mkdir(parents=True)
    text = {"year": 2010, "framework": "f", "commit": None, "commit_date": None, "tag": None, "draft": True}
    for organization, name, problem in [
        ("../x", "辽阳", "not an organization id"),
        ("liaoyang-ciq", "辽阳\n<script>", "not a one-line name"),
        (None, "辽阳", "'organization_name' without 'organization'"),
    ]:
        stamp = {**text, "organization": organization, "organization_name": name}
        (folder / "kaohe-version.json").write_text(json.dumps(stamp), encoding="utf-8")
        with pytest.raises(DamagedStamp, match=problem):
            read_stamp(folder)
    (folder / "kaohe-version.json").write_text(json.dumps(text), encoding="utf-8")  # before organizations
    assert read_stamp(folder).organization is None


# -- publishing and building ---------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """黔西南 2010 published as final; 辽阳 2014 and 黔西南 2011 not yet in the repository."""
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", target)
    name_organization(target)
    init_git(target)
    git(target, "tag", "results-2010")
    return target


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_adding_a_second_organization_keeps_the_first_ones_final_year_byte_for_byte(repo: Path, kaohe):
    assert kaohe("publish", "--repo", str(repo)).code == 0
    site = repo / "site"
    published = fingerprint(site / "qianxinan-qts/2010")
    assert 'url=qianxinan-qts/2010/"' in (site / "index.html").read_text(encoding="utf-8")  # one: a redirect

    add_liaoyang(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "辽阳 2014")
    git(repo, "tag", "results-2014")
    second = kaohe("publish", "--repo", str(repo))
    assert second.code == 0, second.err
    assert "2010\tkept" in second.out and "2014\tbuilt" in second.out
    assert fingerprint(site / "qianxinan-qts/2010") == published
    stamps = assert_usable(site)
    assert stamps["2014"]["organization_name"] == "辽阳出入境检验检疫局"
    assert [v["version"] for v in json.loads((site / "qianxinan-qts/versions.json").read_text())] == ["2010"]
    assert [v["version"] for v in json.loads((site / "liaoyang-ciq/versions.json").read_text())] == ["2014"]
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="qianxinan-qts/2010/">黔西南州质量技术监督局<' in root
    assert 'href="liaoyang-ciq/2014/">辽阳出入境检验检疫局<' in root
    banner = (site / "liaoyang-ciq/2014/index.html").read_text(encoding="utf-8")
    assert "<span>考核机关：辽阳出入境检验检疫局</span>" in banner


def test_build_of_one_organization_keeps_the_others_as_they_are(repo: Path, kaohe):
    add_liaoyang(repo)
    add_year_2011(repo)
    first = kaohe("build", "--repo", str(repo))
    assert first.code == 0, first.err
    site = repo / "site"
    liaoyang = fingerprint(site / "liaoyang-ciq")
    assert sorted(assert_usable(site)) == ["2010", "2011", "2014"]

    (repo / "evidence/2011/xingren/df-01-meeting.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2011-03-16\nsatisfies = "meeting"\n+++\n改过的报告。\n', encoding="utf-8"
    )
    only = kaohe("build", "--repo", str(repo), "--org", "qianxinan-qts")
    assert only.code == 0, only.err
    assert "2014" not in only.err  # not built, not mentioned
    assert fingerprint(site / "liaoyang-ciq") == liaoyang  # the other organization, untouched
    assert "改过的报告" in (site / "qianxinan-qts/2011/evidence/xingren/df-01-meeting.html").read_text(encoding="utf-8")
    assert sorted(assert_usable(site)) == ["2010", "2011", "2014"]
    assert "<h2>" in (site / "index.html").read_text(encoding="utf-8")  # still lists both

    assert refusal("build", "--repo", str(repo), "--org", "qianxinan").code == "site.unknown-organization"
    error = refusal("build", "--repo", str(repo), "--org", "qianxinan-qts", "--year", "2014")
    assert error.code == "site.year-not-in-organization" and "liaoyang-ciq" in str(error)


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_publish_of_one_organization(repo: Path, kaohe):
    add_liaoyang(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "辽阳 2014")
    git(repo, "tag", "results-2014")
    run = kaohe("publish", "--repo", str(repo), "--org", "liaoyang-ciq")
    assert run.code == 0, run.err
    assert [line.split("\t")[:2] for line in run.out.splitlines()] == [["2014", "built"]]
    assert sorted(p.name for p in (repo / "site").iterdir()) == [".kaohe-site", "index.html", "liaoyang-ciq"]


def test_a_year_whose_framework_changes_organization_moves_with_it(repo: Path, kaohe):
    assert kaohe("build", "--repo", str(repo)).code == 0  # 2010 final in qianxinan-qts
    add_year_2011(repo)
    assert kaohe("build", "--repo", str(repo)).code == 0
    name_organization_again = repo / "frameworks/mini/framework.toml"
    text = name_organization_again.read_text(encoding="utf-8")
    name_organization_again.write_text(text.replace('"qianxinan-qts"', '"qxn"'), encoding="utf-8")
    run = kaohe("build", "--repo", str(repo))  # the draft 2011 follows; the final 2010 stays with its commit
    assert run.code == 0, run.err
    site = repo / "site"
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == ["qianxinan-qts", "qxn"]
    assert (site / "qxn/2011/index.html").is_file() and (site / "qianxinan-qts/2010/index.html").is_file()
    assert not (site / "qianxinan-qts/2011").exists()


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_a_year_published_before_its_framework_named_an_organization_joins_it(tmp_path: Path, kaohe):
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", target)  # no organization: the default one
    init_git(target)
    git(target, "tag", "results-2010")
    assert kaohe("publish", "--repo", str(target)).code == 0
    site = target / "site"
    published = fingerprint(site / "default/2010")

    name_organization(target)  # then the bureau names its organization, and a year follows
    add_year_2011(target)
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "organization; 2011")
    run = kaohe("publish", "--repo", str(target), "--draft", "2011")
    assert run.code == 0, run.err
    assert "2010\tkept" in run.out
    assert said("site.moved", before="site/default/2010/", after="site/qianxinan-qts/2010/") in run.err
    assert fingerprint(site / "qianxinan-qts/2010") == published  # the final year, stamp and all
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == ["qianxinan-qts"]
    versions = json.loads((site / "qianxinan-qts/versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2011", []), ("2010", ["latest"])]


# -- the layout before organizations -------------------------------------------------------------


def old_layout(site: Path) -> None:
    """Turn a site into what kaohe wrote before organizations: site/<year>/, site/versions.json, stamps
    without organization."""
    for organization in [p for p in site.iterdir() if p.is_dir()]:
        for year in [p for p in organization.iterdir() if p.is_dir()]:
            stamp_file = year / "kaohe-version.json"
            data = json.loads(stamp_file.read_text(encoding="utf-8"))
            del data["organization"], data["organization_name"]
            stamp_file.write_text(
                json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )
            year.rename(site / year.name)
        (organization / "versions.json").rename(site / "versions.json")
        (organization / "index.html").unlink()
        organization.rmdir()


def test_a_site_of_the_old_layout_is_refused_then_moved_on_request_losing_nothing(repo: Path, kaohe):
    assert kaohe("publish", "--repo", str(repo)).code == 0
    add_year_2011(repo)
    assert kaohe("build", "--repo", str(repo)).code == 0
    site = repo / "site"
    old_layout(site)
    final_2010, draft_2011 = fingerprint(site / "2010"), fingerprint(site / "2011")
    before = fingerprint(site)

    for command in ("build", "publish"):
        error = refusal(command, "--repo", str(repo))
        assert error.code == "site.old-layout" and f"kaohe {command} --migrate-layout" in str(error)
    assert fingerprint(site) == before

    # migrate while building 2010 only: the draft 2011 is carried over too, placed by its framework
    run = kaohe("build", "--repo", str(repo), "--year", "2010", "--migrate-layout")
    assert run.code == 0, run.err
    assert said("site.moved", before="site/2010/", after="site/qianxinan-qts/2010/") in run.err
    assert said("site.moved", before="site/2011/", after="site/qianxinan-qts/2011/") in run.err
    assert fingerprint(site / "qianxinan-qts/2010") == final_2010  # the final year, stamp and all
    assert fingerprint(site / "qianxinan-qts/2011") == draft_2011
    assert sorted(p.name for p in site.iterdir()) == [".kaohe-site", "index.html", "qianxinan-qts"]
    versions = json.loads((site / "qianxinan-qts/versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2011", []), ("2010", ["latest"])]
    assert 'url=qianxinan-qts/2010/"' in (site / "index.html").read_text(encoding="utf-8")
    assert kaohe("build", "--repo", str(repo)).code == 0  # the new layout needs no flag


def test_a_plain_mkdocs_build_refuses_the_old_layout_and_writes_the_new_one(tmp_path: Path):
    import subprocess
    import sys

    repo = two_organizations(tmp_path / "repo")
    (repo / "generator").mkdir()
    shutil.copytree(ROOT / "generator/render", repo / "generator/render")  # what mkdocs.yml inherits
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    site = repo / "site"
    (site / "2010").mkdir(parents=True)  # a site of the layout before organizations
    (site / ".kaohe-site").write_text("", encoding="utf-8")
    before = fingerprint(site)
    mkdocs = [sys.executable, "-m", "mkdocs", "build"]
    done = subprocess.run(mkdocs, cwd=repo, capture_output=True, text=True)
    assert done.returncode != 0 and "kaohe build --migrate-layout" in done.stderr
    assert fingerprint(site) == before
    shutil.rmtree(site)
    done = subprocess.run(mkdocs, cwd=repo, capture_output=True, text=True)  # the latest year: 辽阳 2014
    assert done.returncode == 0, done.stderr
    assert (site / "liaoyang-ciq/2014/index.html").is_file()
    assert 'url=liaoyang-ciq/2014/"' in (site / "index.html").read_text(encoding="utf-8")
    assert json.loads((site / "liaoyang-ciq/2014/kaohe-version.json").read_text())["organization"] == "liaoyang-ciq"


def draft_year(folder: Path, organization: str | None) -> None:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<p>草稿</p>\n", encoding="utf-8")
    stamp = {"year": int(folder.name), "framework": "mini", "commit": None, "commit_date": None, "tag": None}
    if organization:
        stamp |= {"organization": organization, "organization_name": "黔西南州质量技术监督局"}
    (folder / "kaohe-version.json").write_text(json.dumps({**stamp, "draft": True}), encoding="utf-8")


def test_a_year_in_two_folders_is_refused_untouched(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    site = repo / "site"
    draft_year(site / "default/2010", "default")
    draft_year(site / "qxn/2010", "qxn")  # copied in by hand, say
    (site / ".kaohe-site").write_text("", encoding="utf-8")
    before = fingerprint(site)
    error = refusal("build", "--repo", str(repo))
    assert error.code == "site.year-twice" and "default/2010" in str(error) and "qxn/2010" in str(error)
    assert fingerprint(site) == before


def test_a_plain_mkdocs_build_refuses_a_year_lying_in_another_organization(tmp_path: Path):
    from generator.problems import InputError
    from generator.publish.direct import claim_year_folder

    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    site = repo / "site"
    draft_year(site / "qxn/2010", "qxn")
    (site / ".kaohe-site").write_text("", encoding="utf-8")
    before = fingerprint(site)
    with pytest.raises(InputError) as caught:
        claim_year_folder(repo, site, 2010, Organization("default", "黔西南州质量技术监督局"))
    assert caught.value.code == "site.year-moved"
    assert fingerprint(site) == before
    assert claim_year_folder(repo, site, 2010, Organization("qxn", "黔西南州质量技术监督局")) == site / "qxn/2010"
