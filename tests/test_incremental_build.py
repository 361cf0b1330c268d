"""Builds that reuse the page cache write the same bytes as a clean build, whatever changed in between.

Each test builds the mini repository once with a cache (filling it), changes one input, builds
again with the same cache and compares that tree, file by file and byte by byte, with a clean
build (no cache) of the changed repository. A change the cache key missed would show up as a
page that differs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import said
from trees import PROVENANCE, assert_same_tree, edit

from generator.cachedir import cache_folder
from generator.problems import InputError
from generator.render import engine
from generator.render.build import build_year

ROOT = Path(__file__).resolve().parent.parent


def build(repo: Path, out: Path, cache: Path | None, jobs: int = 1):
    if out.exists():
        shutil.rmtree(out)
    return build_year(repo, 2010, out, PROVENANCE, cache=cache, jobs=jobs, filing_dates=False)


def cached_then_clean(mini: Path, tmp_path: Path, change) -> tuple[Path, Path, int, int]:
    """Build with a cache, apply `change`, build again with the cache and without; return both trees
    and (pages rendered, pages) of the cached rebuild."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    change()
    again = build(mini, tmp_path / "cached", cache)
    build(mini, tmp_path / "clean", None)
    return tmp_path / "cached", tmp_path / "clean", again.rendered, again.pages


def test_an_unchanged_repository_renders_nothing_and_writes_the_clean_bytes(mini: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    first = build(mini, tmp_path / "first", cache)
    assert first.rendered == first.pages > 10  # a cold cache renders every kaohe page
    second = build(mini, tmp_path / "second", cache)
    assert second.rendered == 0 and second.pages == first.pages
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "second", tmp_path / "clean")
    assert_same_tree(tmp_path / "first", tmp_path / "clean")
    assert (cache / "CACHEDIR.TAG").is_file() and (cache / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


def test_an_edited_evidence_body_renders_its_page_again(mini: Path, tmp_path: Path):
    page = mini / "evidence/2010/xingren/df-01-meeting.md"
    cached, clean, rendered, pages = cached_then_clean(
        mini, tmp_path, lambda: page.write_text(page.read_text(encoding="utf-8") + "\n补充说明：新增一段。\n")
    )
    assert_same_tree(cached, clean)
    assert "补充说明：新增一段。" in (cached / "evidence/xingren/df-01-meeting.html").read_text(encoding="utf-8")
    assert 1 <= rendered < pages  # the edited page, not the whole site


def test_an_edited_body_whose_heading_and_pages_stay_renders_only_its_own_page(mini: Path, tmp_path: Path):
    """Sheets, indicator pages, the overview and the review are keyed by the year without its bodies
    (generator.render.yearkey): a body shows on its own page only."""
    page = mini / "evidence/2010/xingren/df-01-meeting.md"
    cached, clean, rendered, _ = cached_then_clean(
        mini, tmp_path, lambda: edit(page, "传达州局会议精神", "传达州局会议精神并部署")
    )
    assert_same_tree(cached, clean)
    assert rendered == 1


def test_a_body_s_new_first_heading_reaches_the_pages_that_title_the_file_by_it(mini: Path, tmp_path: Path):
    # df-03-education.md has no front-matter title and no heading: it is listed by its file name
    page = mini / "evidence/2010/xingren/df-03-education.md"
    sheet = "units/xingren.html"
    before = tmp_path / "first" / sheet
    cached, clean, rendered, pages = cached_then_clean(
        mini, tmp_path, lambda: edit(page, "一至三季度", "# 反腐倡廉教育记录\n\n一至三季度")
    )
    assert_same_tree(cached, clean)
    assert "反腐倡廉教育记录" not in before.read_text(encoding="utf-8")
    assert "反腐倡廉教育记录" in (cached / sheet).read_text(encoding="utf-8")
    assert 1 < rendered < pages  # the year's pages again; the other evidence pages from the cache


def test_a_body_grown_by_a_page_reaches_the_review_s_page_count(mini: Path, tmp_path: Path):
    # the body "一至三季度反腐倡廉教育记录（3次）。" is 1 公文页; 616 more characters make it ⌈(17 + 616) / 616⌉ = 2
    page = mini / "evidence/2010/xingren/df-03-education.md"
    review = tmp_path / "first/review.html"
    cached, clean, rendered, _ = cached_then_clean(
        mini, tmp_path, lambda: edit(page, "（3次）。", "（3次）。" + "字" * 616)
    )
    assert_same_tree(cached, clean)
    assert review.read_bytes() != (cached / "review.html").read_bytes()
    assert rendered == 2  # its own page and the review: page counts show nowhere else


def test_a_changed_rule_renders_the_scores_again(mini: Path, tmp_path: Path):
    framework = mini / "frameworks/mini/01-dangfeng.toml"
    text = framework.read_text(encoding="utf-8")
    amount = next(line for line in text.splitlines() if line.startswith("amount = "))
    cached, clean, rendered, pages = cached_then_clean(mini, tmp_path, lambda: edit(framework, amount, "amount = 0.25"))
    assert_same_tree(cached, clean)
    assert rendered == pages  # the framework is every page's input


def test_a_reworded_indicator_reaches_the_evidence_pages_that_name_it(mini: Path, tmp_path: Path):
    framework = mini / "frameworks/mini/01-dangfeng.toml"
    text = framework.read_text(encoding="utf-8")
    target = next(line for line in text.splitlines() if line.startswith("target = "))
    cached, clean, rendered, pages = cached_then_clean(
        mini, tmp_path, lambda: edit(framework, target, 'target = "年度党风廉政建设部署到位"')
    )
    assert_same_tree(cached, clean)
    assert rendered == pages
    assert "年度党风廉政建设部署到位" in (cached / "evidence/xingren/df-01-meeting.html").read_text(encoding="utf-8")


def test_a_renamed_unit_reaches_every_page(mini: Path, tmp_path: Path):
    units = mini / "evidence/2010/units.toml"
    cached, clean, rendered, pages = cached_then_clean(
        mini, tmp_path, lambda: edit(units, 'name = "兴仁县质监局"', 'name = "兴仁县市场监管局"')
    )
    assert_same_tree(cached, clean)
    assert "兴仁县市场监管局" in (cached / "evidence/anlong/df-01-meeting.html").read_text(encoding="utf-8")
    assert rendered == pages


def test_an_edited_finding_renders_the_pages_that_show_it(mini: Path, tmp_path: Path):
    findings = mini / "evidence/2010/xingren/findings.toml"
    text = findings.read_text(encoding="utf-8")
    reason = next(line for line in text.splitlines() if line.startswith("reason = "))
    cached, clean, rendered, pages = cached_then_clean(
        mini, tmp_path, lambda: edit(findings, reason, 'reason = "复查时发现台账缺页"')
    )
    assert_same_tree(cached, clean)
    assert "复查时发现台账缺页" in (cached / "units/xingren.html").read_text(encoding="utf-8")
    assert 1 <= rendered < pages


def test_a_changed_template_of_kaohe_is_never_served_from_the_cache(mini: Path, tmp_path: Path):
    """A copy of kaohe with one template changed, run as its own process against the same cache."""
    source = tmp_path / "src"
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    script = (
        "import sys, generator; from pathlib import Path; assert generator.__file__.startswith(sys.argv[1])\n"
        "from generator.provenance import Provenance; from generator.render.build import build_year\n"
        "p = Provenance(commit='0' * 40, commit_date='2011-01-05T10:00:00+08:00', tag='results-2010', draft=False)\n"
        "cache = Path(sys.argv[4]) if sys.argv[4] != '-' else None\n"
        "r = build_year(Path(sys.argv[2]), 2010, Path(sys.argv[3]), p, cache=cache, filing_dates=False)\n"
        "print(r.rendered, r.pages)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(source)}

    def run(out: str, cache: str) -> list[int]:
        done = subprocess.run(
            [sys.executable, "-c", script, str(source), str(mini), str(tmp_path / out), cache],
            env=env,
            cwd=tmp_path,  # not the checkout, whose generator/ would come first on sys.path
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return [int(n) for n in done.stdout.split()]

    cache = str(tmp_path / "cache")
    run("first", cache)
    template = source / "generator/render/templates/evidence.html"
    edit(template, "<h1>", '<h1 class="kh-changed">')
    rendered, pages = run("cached", cache)
    run("clean", "-")
    assert_same_tree(tmp_path / "cached", tmp_path / "clean")
    assert 'class="kh-changed"' in (tmp_path / "cached/evidence/xingren/df-01-meeting.html").read_text(encoding="utf-8")
    assert rendered == pages


def test_pages_rendered_in_worker_processes_are_the_same_bytes(mini: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(engine, "PARALLEL_FROM", 0)  # fork workers even for the mini repository's few pages
    monkeypatch.setattr(engine, "CHUNK", 3)
    build(mini, tmp_path / "one", None, jobs=1)
    build(mini, tmp_path / "two", None, jobs=2)
    assert_same_tree(tmp_path / "one", tmp_path / "two")
    # and from the cache the workers filled
    cache = tmp_path / "cache"
    build(mini, tmp_path / "fill", cache, jobs=2)
    again = build(mini, tmp_path / "warm", cache, jobs=2)
    assert again.rendered == 0
    assert_same_tree(tmp_path / "warm", tmp_path / "one")


def test_a_warm_build_leaves_the_search_dictionary_to_the_worker_that_renders(mini: Path, tmp_path: Path, monkeypatch):
    """jieba's dictionary costs 1.5 s to load. Before forking, a build loads it once for all workers
    unless the page cache holds most pages under the build's site key: then only the worker that
    renders a page loads it, and the bytes are still a clean build's. A cache whose pages were made
    under another site key (a unit renamed) holds only misses: the dictionary is loaded first."""
    import jieba

    monkeypatch.setattr(engine, "PARALLEL_FROM", 0)
    monkeypatch.setattr(engine, "CHUNK", 3)
    loaded_before_forking: list[str] = []
    real = jieba.initialize
    monkeypatch.setattr(jieba, "initialize", lambda *a, **k: (loaded_before_forking.append("x"), real(*a, **k)))

    def warm(name: str, change) -> bool:
        """Build with the cache after `change`; whether the dictionary was loaded before forking."""
        change()
        monkeypatch.setattr(jieba.dt, "initialized", False)  # as in a new process
        loaded_before_forking.clear()
        build(mini, tmp_path / name, cache, jobs=2)
        loaded = loaded_before_forking == ["x"]
        build(mini, tmp_path / f"{name}-clean", None, jobs=2)
        assert_same_tree(tmp_path / name, tmp_path / f"{name}-clean")
        return loaded

    cache = tmp_path / "cache"
    build(mini, tmp_path / "fill", cache, jobs=2)
    assert loaded_before_forking == ["x"]  # an empty cache: every page renders
    page = mini / "evidence/2010/xingren/df-01-meeting.md"
    assert not warm(
        "edited", lambda: page.write_text(page.read_text(encoding="utf-8") + "\n补记。\n", encoding="utf-8")
    )
    index = json.loads((tmp_path / "edited/search/search_index.json").read_text(encoding="utf-8"))
    text = next(d["text"] for d in index["docs"] if d["location"] == "evidence/xingren/df-01-meeting.html")
    assert "\u200b党风廉政\u200b" in text  # segmented by jieba in the worker that rendered the page
    units = mini / "evidence/2010/units.toml"
    assert warm("renamed", lambda: edit(units, 'name = "兴仁县质监局"', 'name = "兴仁县市场监管局"'))


def test_a_page_whose_searchable_part_is_unchanged_is_indexed_from_the_cache(mini: Path, tmp_path: Path, monkeypatch):
    """An evidence page's search entries come from its title and summary (front matter): after a body
    edit the page is rendered again but indexed with the entries kept for the same searchable part,
    without segmenting Chinese again (jieba's dictionary: 1.5 s); after a title edit it is indexed anew."""
    from material.plugins.search.plugin import SearchIndex

    indexed: list[str] = []
    real = SearchIndex.add_entry_from_context
    monkeypatch.setattr(
        SearchIndex, "add_entry_from_context", lambda self, page: (indexed.append(page.url), real(self, page))[1]
    )
    cache = tmp_path / "cache"
    build(mini, tmp_path / "fill", cache)
    assert "evidence/xingren/df-01-meeting.html" in indexed
    page = mini / "evidence/2010/xingren/df-01-meeting.md"
    for name, change, expected in [
        ("body", lambda: edit(page, "传达州局会议精神", "传达州局会议精神并部署"), []),
        (
            "title",
            lambda: edit(page, 'title = "贯彻落实', 'title = "认真贯彻落实'),
            ["evidence/xingren/df-01-meeting.html"],
        ),
    ]:
        change()
        indexed.clear()
        again = build(mini, tmp_path / name, cache)
        assert again.rendered >= 1
        assert [u for u in indexed if u.startswith("evidence/")] == expected
        build(mini, tmp_path / f"{name}-clean", None)
        assert_same_tree(tmp_path / name, tmp_path / f"{name}-clean")


def test_a_cache_entry_changed_on_disk_is_rendered_again(mini: Path, tmp_path: Path):
    """The site's files are hard links to the cache's: editing a built page must not edit the next build."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    page = tmp_path / "first/evidence/xingren/df-01-meeting.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1", "<h1 data-tampered"), encoding="utf-8")
    again = build(mini, tmp_path / "second", cache)
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "second", tmp_path / "clean")
    assert again.rendered >= 1


def test_a_deleted_cache_folder_only_costs_time(mini: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    shutil.rmtree(cache)
    again = build(mini, tmp_path / "second", cache)
    assert again.rendered == again.pages
    assert_same_tree(tmp_path / "first", tmp_path / "second")


def test_kaohe_build_reuses_the_cache_and_says_so(kaohe, mini: Path, tmp_path: Path):
    first = kaohe("--repo", str(mini), "build", "--site-dir", str(tmp_path / "site"))
    assert first.code == 0, first.err
    assert (mini / ".kaohe-cache/CACHEDIR.TAG").is_file()  # the default place: beside the data
    every = re.escape(said("publish.pages-rendered.all", before="", pages="P")).replace("P", r"\d+", 1)
    assert re.search(every, first.err), first.err  # a cold cache renders every page: not "the rest unchanged"
    second = kaohe("--repo", str(mini), "build", "--site-dir", str(tmp_path / "site"))
    assert second.code == 0, second.err
    worded = re.escape(said("publish.pages-rendered", before="", rendered="R", pages="P"))
    pattern = re.compile(worded.replace("R", r"(\d+)", 1).replace("P", r"(\d+)", 1))
    rendered = pattern.search(second.err)
    assert rendered is not None and rendered[1] == "0" and int(rendered[2]) > 20, second.err
    off = kaohe("--repo", str(mini), "build", "--site-dir", str(tmp_path / "other"), "--no-cache")
    assert off.code == 0 and pattern.search(off.err) is None


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ("evidence/cache", "cache.inside-repository-data"),
        ("frameworks", "cache.inside-repository-data"),
        (".", "cache.contains-repository"),
        ("foreign", "cache.foreign-folder"),
        ("afile", "cache.not-a-folder"),
    ],
)
def test_a_cache_folder_that_is_not_kaohe_s_own_is_refused(mini: Path, where: str, code: str):
    (mini / "foreign").mkdir()
    (mini / "foreign/notes.txt").write_text("mine\n", encoding="utf-8")
    (mini / "afile").write_text("x\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        cache_folder(mini, str(mini / where))
    assert refused.value.code == code
    assert (mini / "foreign/notes.txt").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("link", ["years", "pages/2010", "pages/2010/objects/ab"])
def test_a_cache_folder_holding_a_link_to_a_folder_is_refused(kaohe, mini: Path, tmp_path: Path, link: str):
    """A restored cache whose years/ (or any folder kaohe writes in) is a link elsewhere: kaohe would
    write there and prune that folder's files. The build is refused with the link named, and the
    folder it points to is left as it was; a link in a file's place is no folder of kaohe's."""
    cache, victim = tmp_path / "cache", tmp_path / "victim"
    assert (
        kaohe("--repo", str(mini), "build", "--site-dir", str(tmp_path / "site"), "--cache-dir", str(cache)).code == 0
    )
    victim.mkdir()
    for n in range(6):
        (victim / f"{n}.json").write_text("{}", encoding="utf-8")
    (cache / link).parent.mkdir(parents=True, exist_ok=True)
    if (cache / link).exists():
        shutil.rmtree(cache / link)
    (cache / link).symlink_to(victim, target_is_directory=True)
    if link != "years":
        (cache / "years" / "a-link.json").symlink_to(tmp_path / "nowhere.json")
    refused = kaohe("--repo", str(mini), "build", "--site-dir", str(tmp_path / "site"), "--cache-dir", str(cache))
    assert (
        refused.code != 0
        and said("cache.link-inside", folder=cache.resolve(), link=cache.resolve() / link) in refused.err
    )
    assert sorted(p.name for p in victim.iterdir()) == [f"{n}.json" for n in range(6)]
    (cache / link).unlink()
    assert cache_folder(mini, str(cache)) == cache.resolve()  # a link in a file's place is no folder


def test_the_cache_can_be_moved_or_turned_off_by_the_environment(mini: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KAOHE_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_folder(mini) == (tmp_path / "elsewhere").resolve()
    assert cache_folder(mini, str(tmp_path / "given")) == (tmp_path / "given").resolve()  # the flag wins
    monkeypatch.setenv("KAOHE_CACHE_DIR", "off")
    assert cache_folder(mini) is None
    monkeypatch.delenv("KAOHE_CACHE_DIR")
    assert cache_folder(mini) == (mini / ".kaohe-cache").resolve()
    assert cache_folder(mini, enabled=False) is None


def test_an_index_naming_files_outside_the_cache_neither_links_nor_deletes_them(mini: Path, tmp_path: Path):
    """The cache's index is data anyone who can write into the cache folder chooses: an entry whose
    key is a path (`../../…`) would have the build link that file into the site (the last build's
    page list names keys) and delete it when the entry is pruned. Such entries are left out."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", encoding="utf-8")
    (index,) = (cache / "pages").glob("*/index.json")
    data = json.loads(index.read_text(encoding="utf-8"))
    outside = "../../../secret.txt"  # objects/../<key>: from pages/2010 up to tmp_path
    size, mtime = secret.stat().st_size, secret.stat().st_mtime_ns
    data["pages"][outside] = [size, mtime, -5, "", ""]  # old: pruned at the next save
    data["last"]["pages"] = dict.fromkeys(data["last"]["pages"], outside)
    index.write_text(json.dumps(data), encoding="utf-8")
    build(mini, tmp_path / "again", cache)
    assert secret.read_text(encoding="utf-8") == "机密"
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


def _search_files(cache: Path) -> list[tuple[str, int]]:
    return sorted((p.name, p.stat().st_mtime_ns) for p in (cache / "pages").glob("*/search-*.json"))


def test_search_entries_are_written_again_only_when_a_searchable_part_changed(mini: Path, tmp_path: Path):
    """The search entries live in one file named by its digest: a body edit (its page's title and
    summary as they were) leaves it as it was; a new title writes a new one, and the old one goes."""
    cache = tmp_path / "cache"
    path = mini / "evidence/2010/xingren/df-01-meeting.md"
    build(mini, tmp_path / "first", cache)
    (first,) = _search_files(cache)
    edit(path, "传达州局会议精神。", "传达州局会议精神。再次传达。")
    build(mini, tmp_path / "body", cache)
    assert _search_files(cache) == [first]
    edit(path, 'title = "贯彻落实', 'title = "关于贯彻落实')
    build(mini, tmp_path / "title", cache)
    (second,) = _search_files(cache)
    assert second[0] != first[0]
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "title", tmp_path / "clean")
    index = json.loads(next((cache / "pages").glob("*/index.json")).read_text(encoding="utf-8"))
    assert f"search-{index['search']}.json" == second[0]


def test_a_kept_site_search_index_that_is_not_utf8_is_made_again(mini: Path, tmp_path: Path):
    """The kept search index damaged on disk (size and time as stored, a byte that is not UTF-8):
    made again from the kept entries, as a clean build makes it."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    build(mini, tmp_path / "second", cache)  # taken from the cache: the index kept under the refs
    (kept,) = [p for p in (cache / "pages").glob("*/objects/*/*") if p.read_bytes().startswith(b'{"config"')]
    st = kept.stat()
    kept.write_bytes(b"\xff" + kept.read_bytes()[1:])
    os.utime(kept, ns=(st.st_atime_ns, st.st_mtime_ns))
    edit(mini / "evidence/2010/xingren/df-01-meeting.md", "传达州局会议精神。", "传达州局会议精神。再次传达。")
    build(mini, tmp_path / "again", cache)
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


def test_the_site_search_index_is_kept_and_the_kept_entries_are_not_read_after_a_body_edit(
    mini: Path, tmp_path: Path, monkeypatch
):
    """After a body edit every page's search entries are those kept (refs), so the site's search
    index is the one kept for the same refs in the same order: the kept entries are not parsed
    and the index is not made again, and its bytes are a clean build's. A title edit changes the
    edited page's entries: the index is made again, from the kept entries and the new ones."""
    from material.plugins.search.plugin import SearchIndex

    from generator.render.pagecache import PageCache

    made: list[int] = []
    real_generate = SearchIndex.generate_search_index
    monkeypatch.setattr(
        SearchIndex, "generate_search_index", lambda self, prev: (made.append(1), real_generate(self, prev))[1]
    )
    parsed: list[str] = []
    real_entries = PageCache.search_entries
    monkeypatch.setattr(
        PageCache, "search_entries", lambda self, found: (parsed.append(found), real_entries(self, found))[1]
    )
    cache = tmp_path / "cache"
    path = mini / "evidence/2010/xingren/df-01-meeting.md"
    build(mini, tmp_path / "first", cache)
    assert made == [1]
    for name, change, remade in [
        ("unchanged", lambda: None, False),
        ("body", lambda: edit(path, "传达州局会议精神。", "传达州局会议精神。再次传达。"), False),
        ("title", lambda: edit(path, 'title = "贯彻落实', 'title = "关于贯彻落实'), True),
        ("title again", lambda: None, False),
    ]:
        change()
        made.clear()
        parsed.clear()
        build(mini, tmp_path / name, cache)
        assert made == ([1] if remade else []), name
        assert any(isinstance(f, str) and f for f in parsed) == remade, name  # kept entries read only to remake
        build(mini, tmp_path / f"{name}-clean", None)
        assert_same_tree(tmp_path / name, tmp_path / f"{name}-clean")


def _plant_search_file(search: Path, text: bytes) -> None:
    """A search file holding `text`, named by its digest as kaohe names them, and the index beside
    `search` naming it: what only someone writing into the cache folder makes."""
    planted = search.with_name(f"search-{hashlib.blake2b(text, digest_size=20).hexdigest()}.json")
    planted.write_bytes(text)
    index = search.with_name("index.json")
    data = json.loads(index.read_text(encoding="utf-8"))
    data["search"] = planted.name[7:-5]
    index.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("lost", ["one ref's entries", "not JSON", "nested too deep"])
def test_a_search_file_without_the_entries_it_lists_stops_the_build_and_says_what_to_do(
    kaohe, mini: Path, tmp_path: Path, lost: str
):
    """A search file named by the digest of what it holds, whose first line lists refs its entries
    lack (only someone writing into the cache folder makes one): found when the entries are
    needed, the build stops with the catalogue's message (exit 1, not kaohe's internal error),
    and the site built before is intact."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    first = kaohe("--repo", str(mini), "build", "--site-dir", str(site), "--cache-dir", str(cache))
    assert first.code == 0, first.err
    before = sorted((p.relative_to(site), p.read_bytes()) for p in site.rglob("*") if p.is_file())
    (search,) = (cache / "pages").glob("*/search-*.json")
    listed, _, held = search.read_bytes().partition(b"\n")
    entries = json.loads(held)
    entries.pop(next(iter(entries)))  # one ref listed, its entries gone
    held = {
        "one ref's entries": json.dumps(entries, ensure_ascii=False).encode("utf-8"),
        "not JSON": b"{not json",
        "nested too deep": b"[" * 100_000 + b"]" * 100_000,
    }[lost]
    _plant_search_file(search, listed + b"\n" + held)
    for kept in (cache / "pages").glob("*/objects/*/*"):  # the kept site index too: the entries are needed
        if kept.stat().st_size > 1000 and kept.read_bytes().startswith(b'{"config"'):
            kept.unlink()
    edit(mini / "evidence/2010/xingren/df-01-meeting.md", "传达州局会议精神。", "传达州局会议精神。再次传达。")
    again = kaohe("--repo", str(mini), "build", "--site-dir", str(site), "--cache-dir", str(cache))
    assert again.code == 1
    assert said("cache.search-lost", folder=cache) in again.err
    assert "Traceback" not in again.err
    assert sorted((p.relative_to(site), p.read_bytes()) for p in site.rglob("*") if p.is_file()) == before


@pytest.mark.parametrize("damage", ["edited", "deleted", "named outside", "not a table"])
def test_a_damaged_search_file_costs_only_time(mini: Path, tmp_path: Path, damage: str):
    """A search file whose content is not what its name says, one that is gone, or an index naming
    a path instead of a digest: the pages whose entries it held are rendered again, never indexed
    from it."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    (search,) = (cache / "pages").glob("*/search-*.json")
    if damage == "edited":
        search.write_text(search.read_text(encoding="utf-8").replace("会议", "会仪"), encoding="utf-8")
    elif damage == "deleted":
        search.unlink()
    elif damage == "not a table":  # the right digest for what it holds, but not search entries by page
        _plant_search_file(search, b"[]")
    else:
        index = search.with_name("index.json")
        data = json.loads(index.read_text(encoding="utf-8"))
        planted = tmp_path / "planted.json"
        planted.write_text(search.read_text(encoding="utf-8").replace("会议", "会仪"), encoding="utf-8")
        data["search"] = "../../../planted"
        index.write_text(json.dumps(data), encoding="utf-8")
    again = build(mini, tmp_path / "again", cache)
    assert again.rendered > 0
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


def test_no_more_workers_are_forked_than_there_are_chunks_of_pages(mini: Path, tmp_path: Path, monkeypatch):
    """`kaohe build -j 16` for two chunks of pages forked 16 processes: a process pool started with
    fork starts every worker at once, so a mistyped -j 100000 forked a hundred thousand builds. The
    pool is sized to the chunks (counted through the real pool, which still does the work)."""
    from concurrent.futures import ProcessPoolExecutor

    from generator.render import forked

    sizes: list[int] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs) -> None:
            sizes.append(max_workers)
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr(forked, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(engine, "PARALLEL_FROM", 0)  # fork workers even for the mini repository's few pages
    pages = build(mini, tmp_path / "one", None, jobs=1).pages
    monkeypatch.setattr(engine, "CHUNK", -(-pages // 2))  # the pages in two chunks (ceiling division)
    build(mini, tmp_path / "many", None, jobs=16)
    assert max(sizes) == 2  # the pages' pool (in_child forks pools of 1 for other work)
    assert_same_tree(tmp_path / "one", tmp_path / "many")
