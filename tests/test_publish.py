"""Versioned publishing from git: immutable final years, drafts, byte-identical rebuilds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, git, init_git, said
from repos import add_year_2011
from safety_support import refusal

from generator.messages import msg

#: These tests read what messages say of their parameters (a value quoted, a placeholder named): in English.
pytestmark = pytest.mark.usefixtures("english")


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", target)
    init_git(target)
    git(target, "tag", "results-2010")
    return target


def test_publishing_a_second_year_leaves_the_first_byte_identical(repo: Path, kaohe):
    first = kaohe("publish", "--repo", str(repo))
    assert first.code == 0, first.err
    site = repo / "site"
    before = tree_hashes(site / "default/2010")
    assert "kaohe-version.json" in before and "index.html" in before
    stamp = json.loads((site / "default/2010/kaohe-version.json").read_text(encoding="utf-8"))
    assert (stamp["tag"], stamp["draft"], stamp["commit"]) == (
        "results-2010",
        False,
        git(repo, "rev-parse", "HEAD").strip(),
    )
    assert stamp["framework"] == "mini"  # named by the year's units.toml, filled in by the build

    # next year: new evidence, and a typo fixed in the framework the 2010 tag does not include
    add_year_2011(repo)
    framework = repo / "frameworks/mini/01-dangfeng.toml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("党风廉政建设工作", "党风廉政建设"), encoding="utf-8"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2011")
    git(repo, "tag", "results-2011")
    second = kaohe("publish", "--repo", str(repo))
    assert second.code == 0, second.err
    assert "2010\tkept" in second.out and "2011\tbuilt" in second.out
    assert tree_hashes(site / "default/2010") == before
    versions = json.loads((site / "default/versions.json").read_text(encoding="utf-8"))
    assert versions == [
        {"version": "2011", "title": "2011", "aliases": ["latest"]},
        {"version": "2010", "title": "2010", "aliases": []},
    ]
    assert 'url=default/2011/"' in (site / "index.html").read_text(encoding="utf-8")
    assert 'url=2011/"' in (site / "default/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "zh", None], ids=["english", "chinese", "no-configuration"])
def test_a_year_built_from_its_tag_speaks_the_language_of_its_site(repo: Path, kaohe, tmp_path: Path, lang):
    """A commit's snapshot is built with kaohe's own configuration: a year built from its tag spoke
    Chinese (banner, tables, <html lang>) on a site whose mkdocs.yml says `lang: en`, and its stamp
    said nothing of a language, while the same commit built from the working tree spoke English.
    The language is that of mkdocs.yml at the tag (none: Chinese), for `build` and `publish` alike."""
    from generator.messages import tr
    from generator.render.labels import THEME_LANGUAGE

    if lang is not None:
        config = f"INHERIT: kaohe\nplugins:\n  - kaohe:\n      lang: {lang}\n  - search\n"
        (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "site language")
        git(repo, "tag", "-f", "results-2010")
    spoken = lang or "zh"
    other = "zh" if spoken == "en" else "en"
    for command in (
        ["build", "--site-dir", str(tmp_path / "built")],
        ["publish", "--site", str(tmp_path / "published")],
    ):
        run = kaohe(command[0], "--repo", str(repo), *command[1:])
        assert run.code == 0, run.err
        year = Path(command[2]) / "default/2010"
        stamp = json.loads((year / "kaohe-version.json").read_text(encoding="utf-8"))
        assert (stamp["tag"], stamp["draft"]) == ("results-2010", False)
        assert stamp.get("lang") == ("en" if spoken == "en" else None)  # Chinese, the default, is not written
        sheet = (year / "units/xingren.html").read_text(encoding="utf-8")
        assert f'<html lang="{THEME_LANGUAGE[spoken]}"' in sheet
        # the banner: 正式结果 / Final results, and the tag it was built from
        assert tr("site.provenance.final", lang=spoken) in sheet and "results-2010" in sheet
        assert tr("site.provenance.final", lang=other) not in sheet


def test_a_language_kaohe_does_not_speak_at_the_tag_is_refused(repo: Path, kaohe, tmp_path: Path):
    """`lang: fr` at the tag: refused naming the tag's file, as a working-tree build refuses it (the
    year was built in Chinese without a word)."""
    from generator.messages import joined

    (repo / "mkdocs.yml").write_text("INHERIT: kaohe\nplugins:\n  - kaohe:\n      lang: fr\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "site language")
    git(repo, "tag", "-f", "results-2010")
    run = kaohe("build", "--repo", str(repo), "--site-dir", str(tmp_path / "built"))
    assert run.code == 1
    why = msg("site.config-value.lang", languages=joined("value.list-separator", ["zh", "en"]))
    assert said("site.config-value", name="lang", why=why) in run.err
    assert "results-2010:mkdocs.yml" in run.err and not (tmp_path / "built/default/2010").exists()


def test_rebuilding_a_tag_reproduces_identical_files(repo: Path, kaohe):
    assert kaohe("publish", "--repo", str(repo), "--site", "a").code == 0
    assert kaohe("publish", "--repo", str(repo), "--site", "b").code == 0
    a, b = tree_hashes(repo / "a"), tree_hashes(repo / "b")
    assert len(a) > 10
    assert a == b


def test_publishing_never_touches_the_working_tree(repo: Path, kaohe):
    # an uncommitted edit must neither reach the published version nor be disturbed
    evidence = repo / "evidence/2010/xingren/df-01-halfyear.md"
    evidence.write_text(evidence.read_text(encoding="utf-8") + "\n未提交的修改。\n", encoding="utf-8")
    status_before = git(repo, "status", "--porcelain")
    assert kaohe("publish", "--repo", str(repo)).code == 0
    # the only new file beside the site is the record of what was published, which the operator commits
    assert git(repo, "status", "--porcelain").replace("?? site/\n", "") == status_before + "?? published.toml\n"
    published = "".join(p.read_text(encoding="utf-8") for p in (repo / "site/default/2010").rglob("*.html"))
    assert "未提交的修改" not in published


def test_draft_is_marked_and_a_moved_tag_is_refused(repo: Path, kaohe):
    add_year_2011(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2011 so far")
    draft = kaohe("publish", "--repo", str(repo), "--draft", "2011")
    assert draft.code == 0, draft.err
    stamp = json.loads((repo / "site/default/2011/kaohe-version.json").read_text(encoding="utf-8"))
    assert (stamp["draft"], stamp["tag"]) == (True, None)
    pages = "".join(p.read_text(encoding="utf-8") for p in (repo / "site/default/2011").rglob("*.html"))
    assert "草稿" in pages
    versions = json.loads((repo / "site/default/versions.json").read_text(encoding="utf-8"))
    assert versions[0] == {"version": "2011", "title": "2011（草稿）", "aliases": []}
    assert versions[1]["aliases"] == ["latest"]  # the newest final year stays the default

    git(repo, "tag", "-f", "results-2010", "HEAD")  # the 2010 tag moved after publishing
    moved = kaohe("publish", "--repo", str(repo))
    assert moved.code == 1 and "published years are immutable" in moved.err and "--replace 2010" in moved.err


def test_dry_run_lists_changes_and_writes_nothing(repo: Path, kaohe):
    run = kaohe("publish", "--repo", str(repo), "--dry-run")
    assert run.code == 0, run.err
    assert "2010\twould build" in run.out
    assert "  + default/2010/" in run.out  # the first changed files are listed (sorted: assets/ before index.html)
    assert not (repo / "site").exists()


def test_publish_without_tags_says_what_to_do(tmp_path: Path, kaohe):
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", target)
    init_git(target)
    run = kaohe("publish", "--repo", str(target))
    assert run.code == 1 and "git tag results-2010" in run.err


def test_working_tree_build_keeps_published_final_years(repo: Path, kaohe):
    assert kaohe("publish", "--repo", str(repo)).code == 0
    before = tree_hashes(repo / "site/default/2010")
    add_year_2011(repo)  # uncommitted: `kaohe build` previews the working tree
    build = kaohe("build", "--repo", str(repo))
    assert build.code == 0, build.err
    assert "2010 is published as final (results-2010); kept as published" in build.err
    assert tree_hashes(repo / "site/default/2010") == before
    stamp = json.loads((repo / "site/default/2011/kaohe-version.json").read_text(encoding="utf-8"))
    assert (stamp["draft"], stamp["commit"]) == (True, None)
    assert stamp["framework"] == "mini"
    versions = json.loads((repo / "site/default/versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2011", []), ("2010", ["latest"])]


def test_a_moved_tag_is_refused_even_without_the_old_site(repo: Path, kaohe):
    assert kaohe("publish", "--repo", str(repo)).code == 0
    first = git(repo, "rev-parse", "results-2010").strip()
    assert git(repo, "rev-parse", "published-2010").strip() == first  # the publication is recorded in git
    shutil.rmtree(repo / "site")  # a fresh CI checkout has no site/
    add_year_2011(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "later")
    git(repo, "tag", "-f", "results-2010", "HEAD")
    moved = kaohe("publish", "--repo", str(repo))
    # the committed record names the commit the tag no longer does
    assert (
        moved.code == 1
        and f"published from {first[:10]} (published.toml [2010]); published years are immutable" in moved.err
    )
    assert not (repo / "site").exists()  # refused before anything was built
    replaced = kaohe("publish", "--repo", str(repo), "--replace", "2010")
    assert replaced.code == 0, replaced.err
    assert git(repo, "rev-parse", "published-2010").strip() == git(repo, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize(
    "lookalike",
    [
        "results-２０１０",  # full-width digits
        "results-٢٠١٠",  # Arabic-Indic digits: int() reads them as 2010
        "results-２０１０-gongshi",  # a notice tag, full-width
        "ｒｅｓｕｌｔｓ-2010",  # full-width letters: NFKC reads them as results-2010
        "results-2010\u3000",  # a full-width space typed by a Chinese input method: read as a tag "results-2010"
    ],
)
def test_a_lookalike_tag_is_ignored_and_named(repo: Path, kaohe, lookalike: str):
    """The approved commit is tagged results-2010; a look-alike tag on another commit must not win over
    it (\\d{4} took "２０１０" for 2010, and published.toml then could not be read back)."""
    approved = git(repo, "rev-parse", "results-2010^{commit}").strip()
    meeting = repo / "evidence/2010/anlong/df-01-meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\n篡改。\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "tamper")
    git(repo, "tag", "-a", lookalike, "-m", "x")
    done = kaohe("publish", "--repo", str(repo))
    assert done.code == 0, done.err
    stamp = json.loads((repo / "site/default/2010/kaohe-version.json").read_text(encoding="utf-8"))
    assert (stamp["commit"], stamp["tag"], stamp["draft"]) == (approved, "results-2010", False)
    records = (repo / "published.toml").read_text(encoding="utf-8")
    assert f'commit = "{approved}"' in records and 'tag = "results-2010"' in records
    like = "results-2010-gongshi" if lookalike.endswith("gongshi") else "results-2010"
    warning = said("publish.tag-lookalike", tag=lookalike, like=like)
    assert warning in done.err
    again = kaohe("publish", "--repo", str(repo), "--dry-run")  # the record reads back
    assert again.code == 0, again.err
    build = kaohe("build", "--repo", str(repo))
    assert build.code == 0 and warning in build.err


@pytest.mark.parametrize("stray", ["results-0010", "results-9999", "results-0010-gongshi", "published-0010"])
def test_a_tag_whose_four_digits_are_no_year_is_ignored_and_named(repo: Path, kaohe, tmp_path: Path, stray: str):
    """results-0010 was read as the tag of the year 10: `publish` refused everything (no commit has
    evidence/10/units.toml) and `build` could not tell which organization 10 belongs to. A year is
    1900 to 2200 (units.toml's range): the tag is ignored, as a look-alike tag is, and named."""
    git(repo, "tag", stray)
    warning = said("publish.tag-no-year", tag=stray, first=1900, last=2200)
    done = kaohe("publish", "--repo", str(repo))
    assert done.code == 0, done.err
    assert warning in done.err
    assert sorted(p.name for p in (repo / "site/default").iterdir() if p.is_dir()) == ["2010"]
    stamp = json.loads((repo / "site/default/2010/kaohe-version.json").read_text(encoding="utf-8"))
    assert (stamp["tag"], stamp["draft"]) == ("results-2010", False)
    built = tmp_path / "built"
    build = kaohe("build", "--repo", str(repo), "--site-dir", str(built))
    assert build.code == 0 and warning in build.err
    assert sorted(p.name for p in (built / "default").iterdir() if p.is_dir()) == ["2010"]


# "\udcff" is passed to git as the byte 0xFF: a tag name git takes, which is not UTF-8
@pytest.mark.parametrize(
    "tag", ["published-2011\u2028", "results-2011\x85x", "results-2011\u3000", "published-2011\udcff"]
)
def test_a_tag_name_holding_a_line_or_word_break_is_one_name(repo: Path, kaohe, tag: str):
    """Tag names were read from git's list with str.split() and splitlines(), which also break at
    U+2028, U+0085 and U+3000: `published-2011<U+2028>` made every build an internal error (exit 3,
    a line of the record tags without its commit), and `results-2011　` a tag "results-2011" that
    no commit has (找不到版本“results-2011”, the site not built). A name that is not UTF-8 made
    reading the record tags an internal error too (UnicodeDecodeError)."""
    git(repo, "tag", tag)
    build = kaohe("build", "--repo", str(repo))
    assert build.code == 0, build.err
    stamp = json.loads((repo / "site/default/2010/kaohe-version.json").read_text(encoding="utf-8"))
    assert (stamp["tag"], stamp["draft"]) == ("results-2010", False)  # the real tag still counts


def test_a_lookalike_tag_is_no_year_of_its_own(repo: Path, kaohe):
    """results-٢٠١١ (Arabic-Indic digits) was read as 2011: a year nobody tagged."""
    git(repo, "tag", "-a", "results-٢٠١١", "-m", "y")
    caught = refusal("publish", "--repo", str(repo), "--year", "2011")
    # no tag names 2011 (before: taken as 2011's tag, and refused only for the evidence it lacks)
    assert (caught.code, caught.params["tag"]) == ("publish.no-tag", "results-2011")
    assert not (repo / "site").exists()


def test_a_committed_gitattributes_changes_nothing_that_is_published(repo: Path, kaohe):
    """`git archive` obeyed the commit's .gitattributes: `export-ignore` on a findings file published
    兴仁's year without its deductions while `score --rev results-2010` (and the pull request's diff)
    counted them; `export-subst` rewrote evidence text with commit data."""
    (repo / ".gitattributes").write_text(
        "evidence/2010/xingren/findings.toml export-ignore\n*.md export-subst\n", encoding="utf-8"
    )
    meeting = repo / "evidence/2010/xingren/df-01-meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\n原文 $Format:%H$ 不变。\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "attributes")
    git(repo, "tag", "-f", "results-2010")
    scored = kaohe("score", "--repo", str(repo), "--year", "2010", "--rev", "results-2010", "--format", "json")
    assert scored.code == 0, scored.err
    totals = {u["name"]: u["total"] for u in json.loads(scored.out)["units"]}
    assert totals["兴仁县质监局"] == "23.02"  # 25 points, 1.98 lost, the findings included
    assert kaohe("publish", "--repo", str(repo)).code == 0
    sheet = (repo / "site/default/2010/index.csv").read_text(encoding="utf-8-sig").splitlines()
    row = next(line.split(",") for line in sheet if "兴仁县质监局" in line)
    assert row[4] == totals["兴仁县质监局"]
    pages = "".join(p.read_text(encoding="utf-8") for p in (repo / "site/default/2010").rglob("*.html"))
    assert "$Format:%H$" in pages


def _stamp(repo: Path) -> dict:
    (stamp,) = (repo / "site").rglob("kaohe-version.json")
    return json.loads(stamp.read_text(encoding="utf-8"))


def test_a_year_known_only_by_its_published_tag_is_rebuilt_final_from_it(repo: Path, kaohe):
    """results-2010 deleted, published.toml never committed and gone, site/ gone: the published-2010
    tag still records the year. It was rebuilt as a draft, announced "从 None @ …", and the next
    build refused the folder it had just written."""
    assert kaohe("publish", "--repo", str(repo)).code == 0
    first = git(repo, "rev-parse", "published-2010").strip()
    (repo / "published.toml").unlink()
    git(repo, "tag", "-d", "results-2010")
    shutil.rmtree(repo / "site")
    built = kaohe("build", "--repo", str(repo), "--year", "2010")
    assert built.code == 0, built.err
    assert "None" not in built.err
    stamp = _stamp(repo)
    assert (stamp["draft"], stamp["commit"], stamp["tag"]) == (False, first, "published-2010")
    again = kaohe("build", "--repo", str(repo))  # the year it wrote is kept, not refused
    assert again.code == 0, again.err
    assert _stamp(repo)["tag"] == "published-2010"


def test_a_recorded_year_without_any_tag_is_refused_naming_the_record(repo: Path, kaohe):
    """published.toml may name a commit without a tag; with results-2010 and published-2010 both
    gone there is no tag to stamp the final year with, and kaohe says what to write."""
    commit = git(repo, "rev-parse", "HEAD").strip()
    (repo / "published.toml").write_text(f'[2010]\ncommit = "{commit}"\n', encoding="utf-8")
    git(repo, "tag", "-d", "results-2010")
    run = kaohe("build", "--repo", str(repo), "--year", "2010")
    assert run.code == 1
    assert said("publish.record-without-tag", year=2010, where="published.toml [2010]", prefix="results-") in run.err
    assert not (repo / "site").exists()


def test_published_sheets_link_source_lines_by_the_site_configuration(repo: Path, kaohe):
    """README and docs/site.md: `source_url` under `plugins: - kaohe:` in mkdocs.yml is the link
    template for source lines, and links appear in builds from a commit. `kaohe publish` read the
    template from --source-url only, so a site configured as documented showed `file:line` as text
    on every published sheet. The finding in the mini fixture is on line 1 of
    evidence/2010/xingren/findings.toml, so its link ends in that path and #L1."""
    template = "https://git.example/org/kaohe/src/commit/{commit}/{path}#L{line}"
    (repo / "mkdocs.yml").write_text(
        f"INHERIT: kaohe\nplugins:\n  - kaohe:\n      source_url: '{template}'\n  - search\n", encoding="utf-8"
    )
    git(repo, "add", "mkdocs.yml")
    git(repo, "commit", "-q", "-m", "source links")
    git(repo, "tag", "-f", "results-2010")
    commit = git(repo, "rev-parse", "HEAD").strip()
    published = kaohe("publish", "--repo", str(repo))
    assert published.code == 0, published.err
    sheet = (repo / "site/default/2010/units/xingren.html").read_text(encoding="utf-8")
    link = f"https://git.example/org/kaohe/src/commit/{commit}/evidence/2010/xingren/findings.toml#L1"
    assert f'href="{link}"' in sheet
    # recorded with the year, so the year rebuilt from its tag later links the same way
    assert f"source_url = {json.dumps(template)}" in (repo / "published.toml").read_text(encoding="utf-8")


def _configure_source_url(repo: Path, template: str) -> None:
    """mkdocs.yml in the working tree naming `template` as the link template for source lines."""
    (repo / "mkdocs.yml").write_text(
        f"INHERIT: kaohe\nplugins:\n  - kaohe:\n      source_url: '{template}'\n  - search\n", encoding="utf-8"
    )


def _source_link(template: str, commit: str) -> str:
    """The mini fixture's one finding is line 1 of evidence/2010/xingren/findings.toml."""
    return (
        template.replace("{commit}", commit)
        .replace("{path}", "evidence/2010/xingren/findings.toml")
        .replace("{line}", "1")
    )


TAGGED = "https://git.tagged.example/org/kaohe/src/commit/{commit}/{path}#L{line}"
LATER = "https://git.later.example/org/kaohe/-/blob/{commit}/{path}#L{line}"


def test_a_year_tagged_but_never_published_links_source_lines_as_at_its_tag(repo: Path, kaohe):
    """A year tagged results-2010 and not published yet, rebuilt by `kaohe build` from its tag, showed
    every deduction's `file:line` as plain text: the build from a commit used kaohe's own
    configuration, and only `kaohe publish` read `source_url` (from the working tree). Both now take
    the template from mkdocs.yml at the tagged commit (what was true when the results were tagged),
    so a forge address changed later in the working tree does not reach the tagged year, and the
    build and the publication of the year are the same pages."""
    _configure_source_url(repo, TAGGED)
    git(repo, "add", "mkdocs.yml")
    git(repo, "commit", "-q", "-m", "source links")
    git(repo, "tag", "-f", "results-2010")
    commit = git(repo, "rev-parse", "HEAD").strip()
    _configure_source_url(repo, LATER)  # the forge moved after the tag, not yet committed
    built = kaohe("build", "--repo", str(repo))
    assert built.code == 0, built.err
    sheet = (repo / "site/default/2010/units/xingren.html").read_text(encoding="utf-8")
    assert f'href="{_source_link(TAGGED, commit)}"' in sheet
    assert "git.later.example" not in sheet
    published = kaohe("publish", "--repo", str(repo), "--site", "published")
    assert published.code == 0, published.err
    assert (repo / "published/default/2010/units/xingren.html").read_text(encoding="utf-8") == sheet
    assert f"source_url = {json.dumps(TAGGED)}" in (repo / "published.toml").read_text(encoding="utf-8")


def test_the_tagged_configuration_inherits_what_it_named_at_its_tag(repo: Path, kaohe):
    """mkdocs.yml at the tag INHERITs conf/base.yml, which sets the link template. Since the tag,
    conf/ became a link to another folder of the repository (conf-new/, another template). Before:
    the INHERIT path was resolved through the working tree's folders, so the tagged year was built
    with conf-new/base.yml's template, and `kaohe check --rev` read conf-new/ too."""
    (repo / "conf").mkdir()
    (repo / "conf/base.yml").write_text(
        f"INHERIT: kaohe\nplugins:\n  - kaohe:\n      source_url: '{TAGGED}'\n  - search\n", encoding="utf-8"
    )
    (repo / "mkdocs.yml").write_text("INHERIT: conf/base.yml\n", encoding="utf-8")
    git(repo, "add", "mkdocs.yml", "conf")
    git(repo, "commit", "-q", "-m", "source links in conf/")
    git(repo, "tag", "-f", "results-2010")
    commit = git(repo, "rev-parse", "HEAD").strip()
    (repo / "conf-new").mkdir()  # later, not committed: conf/ made a link to conf-new/
    (repo / "conf-new/base.yml").write_text(
        f"INHERIT: kaohe\nplugins:\n  - kaohe:\n      source_url: '{LATER}'\n  - search\n"
        "theme:\n  font:\n    text: Noto\n",  # refused: every page would load the font from the internet
        encoding="utf-8",
    )
    shutil.rmtree(repo / "conf")
    (repo / "conf").symlink_to("conf-new", target_is_directory=True)
    checked = kaohe("check", "--repo", str(repo), "--rev", "results-2010")
    assert checked.code == 0, checked.out + checked.err  # the tagged configuration is sound
    built = kaohe("build", "--repo", str(repo), "--year", "2010")
    sheet = (repo / "site/default/2010/units/xingren.html").read_text(encoding="utf-8")
    assert f'href="{_source_link(TAGGED, commit)}"' in sheet
    assert "git.later.example" not in sheet, built.err
    assert built.code == 0, built.err


def test_a_refusal_in_the_tagged_configuration_names_the_file_at_its_tag(repo: Path, kaohe):
    """The tag's conf/base.yml loads a font from the internet (refused, line 4, column 5: `text`);
    since the tag, conf/ became a link to conf-new/, whose base.yml is sound. Before: the refusal was
    placed through the working tree's link, at conf-new/base.yml, a file the tag does not even hold."""
    (repo / "conf").mkdir()
    (repo / "conf/base.yml").write_text("INHERIT: kaohe\ntheme:\n  font:\n    text: Noto\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text("INHERIT: conf/base.yml\n", encoding="utf-8")
    git(repo, "add", "mkdocs.yml", "conf")
    git(repo, "commit", "-q", "-m", "a font in conf/")
    git(repo, "tag", "-f", "results-2010")
    (repo / "conf-new").mkdir()  # later, not committed: conf/ made a link to conf-new/
    (repo / "conf-new/base.yml").write_text("INHERIT: kaohe\n", encoding="utf-8")
    shutil.rmtree(repo / "conf")
    (repo / "conf").symlink_to("conf-new", target_is_directory=True)
    checked = kaohe("check", "--repo", str(repo), "--rev", "results-2010")
    assert checked.code == 1
    assert checked.out.startswith("conf/base.yml:4:5: ") and "conf-new" not in checked.out, checked.out
    built = kaohe("build", "--repo", str(repo), "--year", "2010")
    assert "results-2010:conf/base.yml:4:5" in built.err and "conf-new" not in built.err, built.err


def test_a_tag_without_a_link_template_takes_the_working_tree_s(repo: Path, kaohe):
    """The tagged commit has no mkdocs.yml (the fixture's tag): the template set since, in the working
    tree, links the tagged year's source lines in `kaohe build` as `kaohe publish` always did; the
    links still name the tagged commit."""
    commit = git(repo, "rev-parse", "results-2010").strip()
    _configure_source_url(repo, LATER)
    built = kaohe("build", "--repo", str(repo))
    assert built.code == 0, built.err
    sheet = (repo / "site/default/2010/units/xingren.html").read_text(encoding="utf-8")
    assert f'href="{_source_link(LATER, commit)}"' in sheet
    published = kaohe("publish", "--repo", str(repo), "--site", "published")
    assert published.code == 0, published.err
    assert (repo / "published/default/2010/units/xingren.html").read_text(encoding="utf-8") == sheet


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("https://git.example/{nope}", "unknown placeholder {nope}"),
        ("javascript:alert(1)//{commit}", "must start with https:// or http://"),
        ('https://git.example/{commit}"><script>alert(1)</script>', "'\"'"),
    ],
)
def test_a_bad_link_template_at_the_tag_is_refused_naming_the_tag(repo: Path, kaohe, template: str, fragment: str):
    """A tagged mkdocs.yml's `source_url` is checked as the working tree's is: refused before anything
    is built, naming the tag and the setting, never written into a page."""
    (repo / "mkdocs.yml").write_text(
        f"INHERIT: kaohe\nplugins:\n  - kaohe:\n      source_url: {json.dumps(template)}\n  - search\n",
        encoding="utf-8",
    )
    git(repo, "add", "mkdocs.yml")
    git(repo, "commit", "-q", "-m", "source links")
    git(repo, "tag", "-f", "results-2010")
    (repo / "mkdocs.yml").unlink()  # only the tag has it
    for command in ("build", "publish"):
        run = kaohe(command, "--repo", str(repo))
        assert run.code == 1, run.err
        assert "results-2010:mkdocs.yml, plugins: kaohe: source_url: " in run.err and fragment in run.err
        assert not (repo / "site").exists()


def test_a_linked_mkdocs_yml_at_the_tag_is_refused_and_never_followed(repo: Path, tmp_path: Path, kaohe):
    """mkdocs.yml committed as a symbolic link to a file outside the repository: reading the tagged
    configuration would follow it out of the repository; it is refused, naming the tag, and the
    file it points to is never read into the site."""
    outside = tmp_path / "outside.yml"
    outside.write_text("plugins:\n  - kaohe:\n      source_url: 'https://outside.example/{commit}'\n")
    (repo / "mkdocs.yml").symlink_to(outside)
    git(repo, "add", "mkdocs.yml")
    git(repo, "commit", "-q", "-m", "linked configuration")
    git(repo, "tag", "-f", "results-2010")
    (repo / "mkdocs.yml").unlink()
    assert refusal("build", "--repo", str(repo)).code == "site.config-link"
    run = kaohe("build", "--repo", str(repo))
    assert run.code == 1 and "results-2010:mkdocs.yml" in run.err
    assert not (repo / "site").exists()


def test_a_named_pipe_for_mkdocs_yml_is_refused_by_publish_as_by_build(repo: Path, kaohe):
    """`kaohe check` and `kaohe build` refuse a pipe at mkdocs.yml (site.config-unreadable); publish,
    reading the file for its `source_url`, took the pipe for no configuration and published every
    sheet without source links."""
    os.mkfifo(repo / "mkdocs.yml")
    assert refusal("publish", "--repo", str(repo)).code == "site.config-unreadable"
    assert kaohe("publish", "--repo", str(repo)).code == 1
    assert not (repo / "site").exists()


def test_a_repository_whose_path_is_not_utf8_publishes_and_builds(tmp_path: Path, kaohe):
    """Git prints the repository's own path in bytes; read strictly, a folder named with byte 0xFF
    (a Linux name from another encoding) made publish and build exit 3, "internal error"."""
    repo = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"repo-\xff")))
    shutil.copytree(FIXTURES / "mini", repo)
    init_git(repo)
    git(repo, "tag", "results-2010")
    published = kaohe("publish", "--repo", str(repo))
    assert published.code == 0, published.err
    assert _stamp(repo)["tag"] == "results-2010"
    assert kaohe("build", "--repo", str(repo)).code == 0


# -- published.toml as an editor, a merge or a careless script leaves it (found by fuzzing) -------

_RECORD = '[2010]\ncommit = "{commit}"\n'


@pytest.mark.parametrize(
    ("content", "where", "why"),
    [
        # saved by a Windows editor as GBK: “发布” is b"\xb7\xa2\xb2\xbc", not UTF-8 at its first byte
        ("# 发布\n".encode("gbk") + _RECORD.encode(), "published.toml:1:3", ("file.not-utf8", {})),
        # a merge that kept both sides' [2010]: tomllib's "Cannot declare ('2010',) twice" was printed as is
        ((_RECORD + _RECORD).encode(), "published.toml:3:6", ("toml.duplicate-key", {})),
    ],
    ids=["gbk", "duplicate-table"],
)
def test_a_record_file_that_is_not_utf8_toml_is_refused_in_chinese_at_its_place(repo: Path, kaohe, content, where, why):
    """A published.toml that is not UTF-8 ended in 内部错误 (UnicodeDecodeError, exit 3), and a TOML
    syntax error was refused with tomllib's English ("TOML 语法错误：Cannot declare …"). Both are now
    worded as `kaohe check` words the same fault, with the line and column."""
    commit = git(repo, "rev-parse", "HEAD").strip()
    (repo / "published.toml").write_bytes(content.replace(b"{commit}", commit.encode()))
    run = kaohe("--repo", str(repo), "publish")
    assert run.code == 1, run.err
    code, params = why
    reason = msg(code, **params) if code == "file.not-utf8" else msg("publish.record-syntax", error=msg(code, **params))
    assert run.err == f"kaohe publish: {said('publish.record-invalid', where=where, why=reason)}\n"
    assert not (repo / "site").exists()


@pytest.mark.parametrize("kind", ["folder", "link-outside"])
def test_a_record_file_that_is_no_regular_file_is_refused_before_any_year_is_built(
    repo: Path, tmp_path: Path, kaohe, kind
):
    """published.toml as a folder: every year was built, then writing the record raised
    IsADirectoryError (内部错误, exit 3). As a link to a file outside the repository it was followed
    and read. Both are refused at once, nothing built, the link's target untouched."""
    record = repo / "published.toml"
    outside = tmp_path / "outside.toml"
    outside.write_text("", encoding="utf-8")
    if kind == "folder":
        record.mkdir()
    else:
        record.symlink_to(outside)
    run = kaohe("--repo", str(repo), "publish")
    assert run.code == 1, run.err
    assert run.err == f"kaohe publish: {said('publish.record-not-regular', where='published.toml')}\n"
    assert not (repo / "site").exists()
    assert outside.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize("prefix", ["-l", "--format=%(objectname)", "*", "标签-", "a b"])
def test_a_tag_prefix_that_cannot_start_a_tag_name_is_refused(repo: Path, kaohe, prefix: str):
    """--tag-prefix "-" reached `git tag --list -*` as an option: git printed its English usage and
    the clerk read that. A prefix that cannot start a tag name is refused before git is asked."""
    run = kaohe("--repo", str(repo), "publish", f"--tag-prefix={prefix}")
    assert run.code == 1, run.err
    assert run.err == f"kaohe publish: {said('publish.bad-tag-prefix', prefix=prefix, default='results-')}\n"
    assert "usage" not in run.err and not (repo / "site").exists()
