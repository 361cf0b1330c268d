"""A build's kept year (generator.render.keptyear) is what loading the files gives, or is not used.

Each test builds the mini repository with a cache (which keeps the year it loaded), changes the
repository, and builds again: the year must be taken from the cache only where the change allows
(counted by wrapping the load from the files), and the site must be the bytes of a clean build.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest
from trees import PROVENANCE, assert_same_tree, edit

from generator import treeanswers
from generator.load import bodies
from generator.render import keptyear
from generator.render.build import BuildFailed, build_year
from generator.render.yearkey import year_digest
from generator.treeanswers import digest

MEETING = "evidence/2010/xingren/df-01-meeting.md"


class Loads:
    """Counts the years loaded from the files (not taken from the cache)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = keptyear.load_from_files

        def counted(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(keptyear, "load_from_files", counted)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Loads:
    return Loads(monkeypatch)


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test count as old at once (else every file, written under 2 s before,
    would be read again on every build and stat data would never vouch for one)."""
    monkeypatch.setattr(treeanswers, "RACY_NS", 0)


def build(repo: Path, out: Path, cache: Path | None):
    if out.exists():
        shutil.rmtree(out)
    return build_year(repo, 2010, out, PROVENANCE, cache=cache, filing_dates=False)


def twice(mini: Path, tmp_path: Path, loads: Loads, change) -> int:
    """Build with a cache, apply `change`, build again with it and without; compare the trees and
    return how many times the second build loaded the year from the files."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    assert loads.count == 1
    change()
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    from_files = loads.count
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")
    return from_files


def test_an_unchanged_repository_takes_the_kept_year(mini: Path, tmp_path: Path, loads: Loads):
    assert twice(mini, tmp_path, loads, lambda: None) == 0


def test_a_file_touched_but_not_changed_takes_the_kept_year(mini: Path, tmp_path: Path, loads: Loads):
    path = mini / MEETING
    assert twice(mini, tmp_path, loads, lambda: os.utime(path)) == 0


def test_an_edited_body_is_read_again_into_the_kept_year(mini: Path, tmp_path: Path, loads: Loads):
    path = mini / MEETING
    assert twice(mini, tmp_path, loads, lambda: edit(path, "传达州局会议精神", "传达州局会议精神并部署")) == 0
    assert "并部署" in (tmp_path / "again/evidence/xingren/df-01-meeting.html").read_text(encoding="utf-8")


def test_an_edited_front_matter_rescores_its_unit_from_the_kept_year(mini: Path, tmp_path: Path, loads: Loads):
    """The meeting report stops satisfying its item: xingren's df-01 score changes on its sheet and
    on the overview; the other units' kept results are ranked with it again."""
    path = mini / MEETING
    sheet = tmp_path / "first/units/xingren.html"
    assert twice(mini, tmp_path, loads, lambda: edit(path, 'satisfies = "meeting"\n', "")) == 0
    assert sheet.read_bytes() != (tmp_path / "again/units/xingren.html").read_bytes()


def test_an_edit_kept_twice_follows_the_second_edit(mini: Path, tmp_path: Path, loads: Loads):
    """The entry written after the first edit holds the edited file's new digest: a second edit is
    seen, and undoing it as well."""
    path = mini / MEETING
    original = path.read_text(encoding="utf-8")
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    for n, text in enumerate([original + "\n第一次。\n", original + "\n第二次。\n", original]):
        path.write_text(text, encoding="utf-8")
        build(mini, tmp_path / f"kept{n}", cache)
        build(mini, tmp_path / f"clean{n}", None)
        assert_same_tree(tmp_path / f"kept{n}", tmp_path / f"clean{n}")
    assert loads.count == 1 + 3  # the first build and the three clean ones


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda m: edit(m / "evidence/2010/xingren/findings.toml", "\n", "\n# 注释\n"), id="findings"),
        pytest.param(lambda m: edit(m / "evidence/2010/units.toml", "兴仁县质监局", "兴仁县市场监管局"), id="units"),
        pytest.param(lambda m: edit(m / "frameworks/mini/01-dangfeng.toml", "\n", "\n# 注释\n"), id="framework"),
        pytest.param(lambda m: shutil.copy(m / MEETING, m / "evidence/2010/xingren/df-01-copy.md"), id="file added"),
        pytest.param(lambda m: (m / "evidence/2010/cehen/std-01.md").unlink(), id="file deleted"),
    ],
)
def test_any_other_change_loads_the_year_from_the_files(mini: Path, tmp_path: Path, loads: Loads, change):
    assert twice(mini, tmp_path, loads, lambda: change(mini)) == 1


def test_an_edit_with_a_problem_loads_the_year_and_reports_it(mini: Path, tmp_path: Path, loads: Loads):
    """A kept year is patched only with files free of problems: a broken edit is refused with the
    message a build without a cache gives."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    edit(mini / MEETING, 'indicator = "df-01"', 'indicator = "df-99"')
    with pytest.raises(BuildFailed) as kept:
        build(mini, tmp_path / "again", cache)
    with pytest.raises(BuildFailed) as clean:
        build(mini, tmp_path / "clean", None)
    assert str(kept.value) == str(clean.value) and "df-99" in str(kept.value)
    assert loads.count == 3


def test_a_patched_year_equals_a_fresh_load(mini: Path, tmp_path: Path, loads: Loads):
    """Compared field by field, not only through the pages: the digest of the assessment and the
    earlier year, the results, each body's digest, first heading and page count, the warnings."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    edit(mini / MEETING, "传达州局会议精神。", "传达州局会议精神。" + "字" * 700)  # 1 公文页 more
    edit(mini / "evidence/2010/xingren/df-03-education.md", "一至三季度", "# 新标题\n\n一至三季度")  # its first heading
    edit(mini / "evidence/2010/anlong/df-01-meeting.md", "date = 2010-", "count = 2\ndate = 2010-")
    loads.count = 0
    kept, _ = keptyear.load(cache, str(mini), 2010, False, None, "zh")
    assert loads.count == 0
    fresh, _ = keptyear.load(None, str(mini), 2010, False, None, "zh")
    (k, k_prev), (f, f_prev) = kept, fresh
    assert year_digest(k.assessment, k_prev) == year_digest(f.assessment, f_prev) is not None
    assert k.results == f.results
    assert k.warnings == f.warnings == [] and k.period_results == f.period_results

    def released(year):
        return [(e.path, bodies.digest(e), bodies.heading(e), bodies.pages(e)) for e in year.assessment.evidence]

    assert released(k) == released(f)
    assert ("evidence/2010/xingren/df-03-education.md", "新标题") in [(p, h) for p, _, h, _ in released(k)]
    assert ("evidence/2010/xingren/df-01-meeting.md", 2) in [(p, n) for p, _, _, n in released(k)]


def _overlay(cache: Path) -> dict:
    _, _, rest = _entry(cache).read_bytes().partition(b"\n")
    return json.loads(rest.partition(b"\n")[0])["overlay"]


def test_a_body_edit_is_laid_over_the_kept_year_without_pickling_it_again(mini: Path, tmp_path: Path, loads: Loads):
    """Only the body changed (front matter, first heading and links as they were): the pickle is
    not written again; the entry's overlay holds the new body's digest, first heading and 公文页,
    and the year taken with it equals a fresh load, the site a clean build (``twice``)."""
    cache = tmp_path / "cache"
    path = mini / MEETING
    pickled = []

    def change() -> None:
        year = _entry(cache).with_suffix(".pickle")
        pickled.append((year.name, year.stat().st_mtime_ns, year.read_bytes()))
        edit(path, "传达州局会议精神。", "传达州局会议精神。" + "字" * 700)  # 616 characters to a 公文页: 2 now

    assert twice(mini, tmp_path, loads, change) == 0
    year = _entry(cache).with_suffix(".pickle")
    assert [(year.name, year.stat().st_mtime_ns, year.read_bytes())] == pickled
    body = path.read_text(encoding="utf-8").split("+++\n", 2)[2]
    assert _overlay(cache) == {MEETING: [bodies.body_digest(body), "贯彻落实全州党风廉政建设工作会议精神情况报告", 2]}
    kept, lineage = keptyear.load(cache, str(mini), 2010, False, None, "zh")
    assert loads.count == 1  # the clean build of twice(): keptyear.load(cache) took the kept year
    fresh, _ = keptyear.load(None, str(mini), 2010, False, None, "zh")
    (k, k_prev), (f, f_prev) = kept, fresh
    assert {e.path: e.released for e in k.assessment.evidence}[MEETING].pages == 2
    assert [(bodies.digest(e), bodies.heading(e), bodies.pages(e)) for e in k.assessment.evidence] == [
        (bodies.digest(e), bodies.heading(e), bodies.pages(e)) for e in f.assessment.evidence
    ]
    assert lineage.content == year_digest(k.assessment, k_prev) == year_digest(f.assessment, f_prev) is not None
    assert k.results == f.results


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("# 贯彻落实", "# 关于贯彻落实", id="first heading"),
        pytest.param("传达州局会议精神。", "传达州局会议精神，见[台账](zf-04-ledger.md)。", id="link added"),
    ],
)
def test_a_body_edit_that_shows_elsewhere_scores_and_pickles_the_year_again(
    mini: Path, tmp_path: Path, loads: Loads, old: str, new: str
):
    """A first heading is the title other pages show, a link is a fact of the file: the year is
    patched in full, pickled again, and its overlay emptied."""
    cache = tmp_path / "cache"
    path = mini / MEETING
    build(mini, tmp_path / "first", cache)
    edit(path, "传达州局会议精神。", "传达州局会议精神。再次传达。")
    build(mini, tmp_path / "body", cache)
    assert list(_overlay(cache)) == [MEETING]
    before = _entry(cache).with_suffix(".pickle").read_bytes()
    edit(path, old, new)
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert loads.count == 0 and _overlay(cache) == {}
    assert _entry(cache).with_suffix(".pickle").read_bytes() != before
    _, lineage = keptyear.load(cache, str(mini), 2010, False, None, "zh")
    fresh, _ = keptyear.load(None, str(mini), 2010, False, None, "zh")
    assert lineage.content == year_digest(fresh[0].assessment, fresh[1]) is not None
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


def test_a_figure_written_otherwise_is_not_taken_for_the_same(mini: Path, tmp_path: Path, loads: Loads):
    """87.5 and 87.50 are equal numbers but not the same text on a page: the year is scored again."""
    cache = tmp_path / "cache"
    path = mini / "evidence/2010/xingren/zf-04-ledger.md"
    build(mini, tmp_path / "first", cache)
    edit(path, "closure_rate = 87.5 ", "closure_rate = 87.50 ")
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert loads.count == 0 and _overlay(cache) == {}
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


@pytest.mark.parametrize(
    "overlay",
    [
        pytest.param({"evidence/2010/xingren/nowhere.md": ["0" * 40, None, 1]}, id="a file not in the year"),
        pytest.param({MEETING: ["../../etc/passwd", None, 1]}, id="not a digest"),
        pytest.param({MEETING: ["0" * 40, None, 0]}, id="no page"),
        pytest.param({MEETING: ["0" * 40, None, True]}, id="pages not a number"),
        pytest.param({MEETING: ["0" * 40, 3, 1]}, id="heading not text"),
        pytest.param({MEETING: ["0" * 40, None]}, id="too short"),
    ],
)
def test_an_overlay_not_as_kaohe_writes_it_is_not_taken(mini: Path, tmp_path: Path, loads: Loads, overlay: dict):
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    _rewrite_head(cache, lambda head: head.update(overlay=overlay))
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert loads.count == 1
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


def test_a_change_outside_the_year_s_evidence_files_is_not_unpickled_for(
    mini: Path, tmp_path: Path, loads: Loads, monkeypatch: pytest.MonkeyPatch
):
    """A findings file changed: the year is loaded from the files, and the kept year is not read
    first only to learn that (0.5 s at 30,000 files)."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    unpickled = []
    real = keptyear._unpickle
    monkeypatch.setattr(keptyear, "_unpickle", lambda *a: unpickled.append(1) or real(*a))
    edit(mini / "evidence/2010/xingren/findings.toml", "\n", "\n# 注释\n")
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert (loads.count, unpickled) == (1, [])
    edit(mini / MEETING, "传达州局会议精神。", "传达州局会议精神。再次传达。")
    build(mini, tmp_path / "body", cache)
    assert (loads.count, unpickled) == (1, [1])  # an evidence file: unpickled and patched


def test_what_a_build_froze_is_let_go_when_it_ends(mini: Path, tmp_path: Path, loads: Loads):
    """A build freezes the kept year and the page cache's index out of the collector's reach
    (generator.gcpause); once it ends they are garbage, and `kaohe build` builds every year in one
    process: nothing stays frozen after a build."""
    import gc

    gc.unfreeze()  # earlier tests call keptyear.load, which freezes, directly; a build that finds
    # something frozen leaves its own objects frozen too (an embedder's: test_build_engine.py)
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    build(mini, tmp_path / "again", cache)  # takes the kept year: unpickled frozen
    assert loads.count == 1
    assert gc.get_freeze_count() == 0


def test_an_overlay_grown_past_its_bound_is_pickled_with_the_year(
    mini: Path, tmp_path: Path, loads: Loads, monkeypatch: pytest.MonkeyPatch
):
    """Body edits of more files than an overlay holds (OVERLAY_MAX, here 1): the year is pickled
    again with those bodies and the overlay emptied; the next build takes it as it is."""
    monkeypatch.setattr(keptyear, "OVERLAY_MAX", 1)
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    pickled = _entry(cache).with_suffix(".pickle").read_bytes()
    edit(mini / MEETING, "传达州局会议精神。", "传达州局会议精神。再次传达。")
    build(mini, tmp_path / "one", cache)
    assert list(_overlay(cache)) == [MEETING]  # one body: within the bound
    assert _entry(cache).with_suffix(".pickle").read_bytes() == pickled
    edit(
        mini / "evidence/2010/anlong/df-01-meeting.md", "传达州局会议精神。", "传达州局会议精神，并部署。"
    )  # its body alone
    build(mini, tmp_path / "two", cache)
    assert _overlay(cache) == {} and _entry(cache).with_suffix(".pickle").read_bytes() != pickled
    build(mini, tmp_path / "three", cache)
    assert loads.count == 1
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "two", tmp_path / "clean")
    assert_same_tree(tmp_path / "three", tmp_path / "clean")


def _entry(cache: Path) -> Path:
    (found,) = (cache / keptyear.FOLDER).glob("*.json")
    return found


def _rewrite_head(cache: Path, change) -> None:
    """Change the entry's head with `change` and write it back with the digest that makes it valid
    (what someone who can write into the cache folder can do)."""
    entry = _entry(cache)
    _, _, rest = entry.read_bytes().partition(b"\n")
    text, _, table = rest.partition(b"\n")
    head = json.loads(text)
    change(head)
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
    entry.write_bytes(b"%s %s\n%s\n%s" % (keptyear.MAGIC, digest(text).encode(), text, table))


class Planted:
    """What a planted pickle calls: it must never run."""

    def __reduce__(self):
        return (os.system, ("touch planted-ran",))


def test_a_planted_year_runs_nothing_and_is_loaded_from_the_files(
    mini: Path, tmp_path: Path, loads: Loads, monkeypatch
):
    """An entry whose digests are right but whose pickle calls os.system (what a pull request
    committing .kaohe-cache/ could plant): refused by the restricted unpickler, never called."""
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    planted = pickle.dumps(Planted(), protocol=5)
    _entry(cache).with_suffix(".pickle").write_bytes(planted)
    _rewrite_head(cache, lambda head: head.update(year=digest(planted)))
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert not (tmp_path / "planted-ran").exists()
    assert loads.count == 1
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


@pytest.mark.parametrize("damage", ["truncated pickle", "edited head", "pickle deleted"])
def test_a_damaged_entry_is_loaded_from_the_files(mini: Path, tmp_path: Path, loads: Loads, damage: str):
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    entry = _entry(cache)
    year = entry.with_suffix(".pickle")
    if damage == "truncated pickle":
        year.write_bytes(year.read_bytes()[:-100])
    elif damage == "edited head":
        entry.write_bytes(entry.read_bytes().replace(b'"stamp":', b'"stamp": ', 1))
    else:
        year.unlink()
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert loads.count == 1
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


def test_the_unpickler_refuses_anything_but_kaohe_s_model(tmp_path: Path):
    """kaohe's model classes and Decimal load; a function, a class of another module, or a dotted name is refused."""
    from decimal import Decimal

    from generator.model import Unit
    from generator.tree import FsTree

    tree = FsTree(tmp_path)
    unit = Unit(id="xingren", name="兴仁县质监局", series="county")
    assert keptyear._Unpickler(pickle.dumps([unit, Decimal("1.5")]), tree).load() == [unit, Decimal("1.5")]
    for refused in (
        b"cos\nsystem\n(S'true'\ntR.",
        b"cbuiltins\neval\n(S'1'\ntR.",
        b"cgenerator.publish.swap\nshutil\n.",
        b"cgenerator.model\nEvidence.__init__\n.",
        b"cgenerator.render.keptyear\nload\n.",
    ):
        with pytest.raises(pickle.UnpicklingError):
            keptyear._Unpickler(refused, tree).load()


def test_an_entry_of_another_day_is_not_taken_where_the_day_counts(mini: Path, tmp_path: Path, loads: Loads):
    """Appeal deadlines are judged against today in China: an entry that records its day (a year
    with appeals) is taken on that day only. The mini year has none, so its entry records no day;
    one recording another day is loaded from the files."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    days = []
    _rewrite_head(cache, lambda head: days.append(head["day"]) or head.update(day="2000-01-01"))
    assert days == [None]
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert loads.count == 1


@pytest.mark.parametrize("how", ["file", "link"])
def test_a_repository_made_private_after_the_kept_year_is_refused(mini: Path, tmp_path: Path, how: str):
    """individual.toml at the top makes the repository private: its results must never become a
    public site, whether or not a kept year is taken. As a link (which loading does not follow, so
    no answer the kept year depends on changes) it is refused all the same, as without a cache."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    settings = mini / "individual.toml"
    if how == "file":
        settings.write_text('owner = "人事科"\n', encoding="utf-8")
    else:
        (tmp_path / "elsewhere.toml").write_text('owner = "人事科"\n', encoding="utf-8")
        settings.symlink_to(tmp_path / "elsewhere.toml")
    with pytest.raises(BuildFailed) as kept:
        build(mini, tmp_path / "again", cache)
    with pytest.raises(BuildFailed) as clean:
        build(mini, tmp_path / "clean", None)
    assert str(kept.value) == str(clean.value)


def test_a_link_read_again_into_the_kept_year_is_checked_again_when_its_target_goes(mini: Path, tmp_path: Path):
    """An edited body links to a file outside the input folders; the kept year records that the
    target exists. Deleting the target later is a change: the cached build refuses the broken
    link as a build without a cache does."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    (mini / "docs").mkdir()
    (mini / "docs/ref.pdf").write_bytes(b"%PDF-1.4 x")
    edit(mini / MEETING, "传达州局会议精神。", "传达州局会议精神。见[附件](../../../docs/ref.pdf)。")
    build(mini, tmp_path / "linked", cache)
    (mini / "docs/ref.pdf").unlink()
    with pytest.raises(BuildFailed) as kept:
        build(mini, tmp_path / "again", cache)
    with pytest.raises(BuildFailed) as clean:
        build(mini, tmp_path / "clean", None)
    assert str(kept.value) == str(clean.value) and "docs/ref.pdf" in str(clean.value)


def test_a_patched_build_keeps_every_parsed_file(mini: Path, tmp_path: Path, loads: Loads):
    """The parsed files (parsed/2010.json) still hold every evidence file after a build that read
    only the edited one again: the next full load parses nothing that did not change."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    parsed_files = cache / "parsed" / "2010.json"
    before = json.loads(parsed_files.read_text(encoding="utf-8"))
    edit(mini / MEETING, "传达州局会议精神", "传达州局会议精神并部署")
    build(mini, tmp_path / "again", cache)
    after = json.loads(parsed_files.read_text(encoding="utf-8"))
    assert len(after["entries"]) == len(before["entries"]) == 8  # the mini year's 8 evidence files


@pytest.mark.parametrize(
    "forged",
    [
        pytest.param(lambda head: head["answers"].update(walks={"evidence": {}}), id="walk without folders"),
        pytest.param(lambda head: head["answers"].update(outside={"exists": []}), id="outside not a table"),
        pytest.param(lambda head: head["answers"].update(paths=[1, 2]), id="paths not names"),
    ],
)
def test_an_entry_of_the_wrong_shape_is_loaded_from_the_files(mini: Path, tmp_path: Path, loads: Loads, forged):
    """A head whose digest is right but whose answers are not what kaohe writes: never a traceback."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    _rewrite_head(cache, forged)
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert loads.count == 1


def test_an_entry_whose_year_is_not_the_files_read_is_not_taken(mini: Path, tmp_path: Path, loads: Loads):
    """A kept year names only evidence files its answers read and vouch for: one whose evidence
    points elsewhere (a path out of the site folder: what a planted entry could hold) is refused."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    kept, _ = keptyear.load(cache, str(mini), 2010, False, None, "zh")
    kept[0].assessment.evidence[0].path = "evidence/2010/xingren/../../../escaped.md"
    year = keptyear._pickled(kept)
    _entry(cache).with_suffix(".pickle").write_bytes(year)
    _rewrite_head(cache, lambda head: head.update(year=digest(year)))
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert loads.count == 1
    assert not (tmp_path / "escaped.html").exists()


def test_a_cache_folder_the_repository_carries_is_never_trusted_for_a_year(mini: Path, tmp_path: Path, loads: Loads):
    """A pull request can commit .kaohe-cache/ with a year in it: a kept year under a folder git
    tracks is neither taken nor written; the build loads from the files."""
    from conftest import git, init_git

    init_git(mini)
    cache = mini / ".kaohe-cache"
    build(mini, tmp_path / "first", cache)
    assert _entry(cache).is_file()
    git(mini, "add", "-f", ".kaohe-cache")
    git(mini, "commit", "-q", "-m", "a cache folder in the repository")
    loads.count = 0
    build(mini, tmp_path / "again", cache)
    assert loads.count == 1


def test_a_killed_build_s_temporary_file_is_removed_later(mini: Path, tmp_path: Path):
    """A build killed while writing its year leaves a temporary file as big as the year: the next
    build that writes an entry removes those older than an hour, and leaves a younger one (another
    build may be writing it)."""
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    folder = cache / keptyear.FOLDER
    old, young = folder / ".entry.old", folder / ".entry.young"
    for temporary in (old, young):
        temporary.write_bytes(b"x" * 1000)
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    edit(mini / MEETING, "传达州局会议精神", "传达州局会议精神并部署")
    build(mini, tmp_path / "again", cache)
    assert not old.exists() and young.exists()


def test_an_earlier_year_passed_over_for_lack_of_history_is_compared_once_history_comes(mini: Path, tmp_path: Path):
    """With filing dates on, an earlier year that judges filing deadlines loads only with git
    history: outside git it is passed over (no 上年 columns). Once the folder is a git repository
    with history the kept year must not keep the old answer: the site is a clean build's."""
    from conftest import init_git

    src, earlier = mini / "evidence/2010", mini / "evidence/2009"
    shutil.copytree(src, earlier)
    for path in earlier.rglob("*"):
        if path.is_file():
            path.write_text(path.read_text(encoding="utf-8").replace("2010", "2009"), encoding="utf-8")
    edit(earlier / "units.toml", 'framework = "mini"\n', 'framework = "mini"\nfiling_deadlines = true\n')
    cache = tmp_path / "cache"

    def build_dated(out: Path, cache: Path | None):
        if out.exists():
            shutil.rmtree(out)
        return build_year(mini, 2010, out, PROVENANCE, cache=cache, filing_dates=True)

    build_dated(tmp_path / "first", cache)
    init_git(mini)
    build_dated(tmp_path / "again", cache)
    build_dated(tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


class Keyed:
    """Counts the pages keyed one by one (the others placed from the last build's page list)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from generator.render import engine

        self.pages: list[str] = []
        real = engine._one_page

        def counted(shared, page, done):
            self.pages.append(page.file.src_uri)
            return real(shared, page, done)

        monkeypatch.setattr(engine, "_one_page", counted)


def test_after_a_body_edit_only_its_page_and_the_review_are_keyed(mini: Path, tmp_path: Path, monkeypatch):
    """With the site key, the year key and the kept year of the last build, every other page keeps
    the key the last build's page list gives and is placed from the cache without being keyed; the
    bytes are a clean build's. A front-matter edit changes the year key: every page is keyed again."""
    keyed = Keyed(monkeypatch)
    cache = tmp_path / "cache"
    first = build(mini, tmp_path / "first", cache)
    assert len(keyed.pages) == first.pages  # no page list yet
    keyed.pages.clear()
    edit(mini / MEETING, "传达州局会议精神", "传达州局会议精神并部署")
    build(mini, tmp_path / "body", cache)
    assert sorted(keyed.pages) == ["evidence/xingren/df-01-meeting.md", "review.md"]
    build(mini, tmp_path / "body-clean", None)
    assert_same_tree(tmp_path / "body", tmp_path / "body-clean")
    keyed.pages.clear()
    edit(mini / MEETING, 'satisfies = "meeting"\n', "")
    again = build(mini, tmp_path / "front", cache)
    assert len(keyed.pages) == again.pages
    build(mini, tmp_path / "front-clean", None)
    assert_same_tree(tmp_path / "front", tmp_path / "front-clean")


@pytest.mark.parametrize("lost", ["kept year", "page list"])
def test_without_the_last_build_s_year_or_page_list_every_page_is_keyed(
    mini: Path, tmp_path: Path, monkeypatch, lost: str
):
    keyed = Keyed(monkeypatch)
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    if lost == "kept year":
        shutil.rmtree(cache / keptyear.FOLDER)
    else:
        (index,) = (cache / "pages").glob("*/index.json")
        data = json.loads(index.read_text(encoding="utf-8"))
        data["last"]["from"] = "another year"
        index.write_text(json.dumps(data), encoding="utf-8")
    keyed.pages.clear()
    edit(mini / MEETING, "传达州局会议精神", "传达州局会议精神并部署")
    again = build(mini, tmp_path / "again", cache)
    assert len(keyed.pages) == again.pages
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


def test_a_page_edited_in_the_site_is_keyed_and_rendered_again(mini: Path, tmp_path: Path, monkeypatch):
    """The site's pages are hard links to the cache's files: one edited through the site no longer
    has the size and time it was stored with, so the page list's key is not taken for it."""
    keyed = Keyed(monkeypatch)
    cache = tmp_path / "cache"
    build(mini, tmp_path / "first", cache)
    sheet = tmp_path / "first/units/anlong.html"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "<!-- 改 -->", encoding="utf-8")
    keyed.pages.clear()
    build(mini, tmp_path / "again", cache)
    assert "units/anlong.md" in keyed.pages
    build(mini, tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")


def test_a_commit_made_while_the_year_loads_is_not_paired_with_what_was_read_before_it(
    mini: Path, tmp_path: Path, loads: Loads, monkeypatch: pytest.MonkeyPatch
):
    """Filing dates come from git history, read while the year loads. A file committed during the
    load (a clerk's merge landing) was read as not yet filed; the kept year must record the history
    as it was before the load, so that the next build sees a new HEAD and loads again, and its site
    is a clean build's. Recording HEAD after the load paired the new commit with the old dates."""
    from conftest import git, init_git

    edit(mini / "evidence/2010/units.toml", 'framework = "mini"\n', 'framework = "mini"\nfiling_deadlines = true\n')
    init_git(mini)
    before = git(mini, "rev-parse", "HEAD").strip()
    late = mini / "evidence/2010/anlong/df-01-second.md"
    late.write_text((mini / "evidence/2010/anlong/df-01-meeting.md").read_text(encoding="utf-8"), encoding="utf-8")
    real = keptyear.load_from_files

    def commit_during_the_load(*args, **kwargs):
        loaded = real(*args, **kwargs)
        git(mini, "add", "-A")
        git(mini, "commit", "-q", "-m", "a merge landing while kaohe reads")
        return loaded

    monkeypatch.setattr(keptyear, "load_from_files", commit_during_the_load)
    cache = tmp_path / "cache"

    def build_dated(out: Path, cache: Path | None):
        return build_year(mini, 2010, out, PROVENANCE, cache=cache, filing_dates=True)

    build_dated(tmp_path / "first", cache)
    head = json.loads(_entry(cache).read_bytes().split(b"\n")[1])
    assert head["history"][-1] == before  # the commit the files were read against, not the one made since
    monkeypatch.setattr(keptyear, "load_from_files", real)
    loads.count = 0
    build_dated(tmp_path / "again", cache)
    assert loads.count == 1  # HEAD moved since the kept year's history: loaded from the files
    build_dated(tmp_path / "clean", None)
    assert_same_tree(tmp_path / "again", tmp_path / "clean")
