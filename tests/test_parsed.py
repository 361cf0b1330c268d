"""The parsed-file cache (generator.load.parsed): a year loaded from it is the year loaded from the
files, whatever changed between the runs, and a damaged or planted cache file is only a slower run."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
from pathlib import Path

from generator.load import bodies, parsed
from generator.load.walk import load_repository
from generator.problems import Problems
from generator.tree import FsTree

YEAR = 2010


def load(repo: Path, cache: Path | None, letting_go: bool = False):
    """(evidence by path as plain tuples, problems as tuples, the cache's entries used and added)."""
    problems = Problems()
    with parsed.kept_in(cache):
        if letting_go:
            with bodies.letting_go():
                repository = load_repository(FsTree(repo), problems, {YEAR})
        else:
            repository = load_repository(FsTree(repo), problems, {YEAR})
        files = parsed.for_year(YEAR)
        counts = (len(files.used), files.added) if files is not None else (0, 0)
    evidence = {
        e.path: (
            *(getattr(e, f.name) for f in dataclasses.fields(e) if f.name not in ("doc", "released")),
            e.locate("indicator"),
            bodies.pages(e),
            bodies.heading(e),
        )
        for e in repository.assessments[YEAR].evidence
    }
    return evidence, sorted((p.path, p.line, p.col, p.code, p.severity) for p in problems), counts


def test_a_year_from_the_cache_is_the_year_from_the_files(mini: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    plain = load(mini, None)
    first = load(mini, cache)
    second = load(mini, cache)
    assert (cache / "parsed" / f"{YEAR}.json").is_file()
    assert first[:2] == plain[:2] == second[:2]
    files = len(plain[0])
    assert files == 8  # anlong 2, cehen 2, xingren 4
    assert first[2] == (files, files)  # every file parsed and kept
    assert second[2] == (files, 0)  # every file taken from the cache
    # a build lets the bodies go: the page counts kept are the counted ones
    assert load(mini, cache, letting_go=True)[:2] == load(mini, None, letting_go=True)[:2]


def test_an_edited_file_is_parsed_again(mini: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    load(mini, cache)
    page = mini / "evidence/2010/xingren/df-01-meeting.md"
    page.write_text(page.read_text(encoding="utf-8").replace("情况报告", "情况汇报", 1), encoding="utf-8")
    evidence, _, (used, added) = load(mini, cache)
    assert evidence == load(mini, None)[0]
    assert evidence["evidence/2010/xingren/df-01-meeting.md"][4] == "贯彻落实全州党风廉政建设工作会议精神情况汇报"
    assert added == 1 and used == 8


def test_a_file_with_a_problem_is_reported_on_every_run(mini: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    page = mini / "evidence/2010/xingren/df-01-meeting.md"
    page.write_text(page.read_text(encoding="utf-8").replace("+++\n", "+++\nauthr = '张三'\n", 1), encoding="utf-8")
    first = load(mini, cache)
    second = load(mini, cache)
    assert ("evidence/2010/xingren/df-01-meeting.md", 2, 1, "model.unknown-key", "error") in first[1]
    assert second[1] == first[1] == load(mini, None)[1]
    assert second[2] == (7, 0)  # the seven others come from the cache; the file with a problem is parsed, not kept


def test_where_cached_links_point_is_checked_again(mini: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    page = mini / "evidence/2010/xingren/df-01-meeting.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[台账](zf-04-ledger.md)\n", encoding="utf-8")
    first = load(mini, cache)
    assert not [p for p in first[1] if p[3] == "link.missing"]
    (mini / "evidence/2010/xingren/zf-04-ledger.md").unlink()
    second = load(mini, cache)
    assert ("evidence/2010/xingren/df-01-meeting.md", 11, 1, "link.missing", "error") in second[1]
    assert second[1] == load(mini, None)[1]


def test_a_damaged_cache_file_is_read_as_empty(mini: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    load(mini, cache)
    stored = cache / "parsed" / f"{YEAR}.json"
    stored.write_bytes(stored.read_bytes()[:100])
    evidence, _, (used, added) = load(mini, cache)
    assert evidence == load(mini, None)[0]
    assert added == used == 8


class _Planted:
    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def test_a_planted_cache_file_runs_nothing(mini: Path, tmp_path: Path):
    """The cache is JSON, data only: a pickle that would run a command put in its place is not JSON."""
    cache = tmp_path / "cache"
    load(mini, cache)
    stored = cache / "parsed" / f"{YEAR}.json"
    planted = _Planted()
    planted.path = tmp_path / "ran"
    stored.write_bytes(pickle.dumps(planted))
    evidence, _, (_, added) = load(mini, cache)
    assert not (tmp_path / "ran").exists()
    assert evidence == load(mini, None)[0] and added == 8


def test_an_entry_of_the_wrong_shape_is_parsed_again(mini: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    load(mini, cache)
    stored = cache / "parsed" / f"{YEAR}.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    shapes = [[{"indicator": 5}, "x", [], None], [{"date": "2010-13-01"}, 3, [], 1], [1, 2], None]
    data["entries"] = {key: shapes[n % len(shapes)] for n, key in enumerate(data["entries"])}
    stored.write_text(json.dumps(data), encoding="utf-8")
    evidence, problems, (_, added) = load(mini, cache)
    assert (evidence, problems) == load(mini, None)[:2] and added == 8


def test_a_preview_started_from_the_cache_shows_the_same_pages(mini: Path, tmp_path: Path):
    from generator.render.preview import Preview

    cache = tmp_path / "cache"
    pages = ["index.html", "units/xingren.html", "evidence/xingren/df-01-meeting.html", "review.html"]

    def shown(cache: Path | None) -> list[bytes]:
        preview = Preview(mini, 2010, filing_dates=False, cache=cache)
        try:
            return [preview.get(page)[0] for page in pages]
        finally:
            preview.close()

    first = shown(cache)
    stored = cache / "parsed" / f"{YEAR}.json"
    assert len(json.loads(stored.read_text(encoding="utf-8"))["entries"]) == 8
    stored.touch()
    before = stored.stat().st_mtime_ns
    assert shown(cache) == first == shown(None)
    assert stored.stat().st_mtime_ns == before  # every file came from the cache: nothing to write


def test_a_check_after_an_edit_says_what_a_check_without_cache_says(kaohe, mini: Path, tmp_path: Path):
    cache = str(tmp_path / "cache")
    first = kaohe("--repo", str(mini), "check", "--cache-dir", cache, "--format", "json")
    assert (tmp_path / "cache" / "parsed" / f"{YEAR}.json").is_file()
    page = mini / "evidence/2010/xingren/df-01-meeting.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[台账](missing.md)\n", encoding="utf-8")
    again = kaohe("--repo", str(mini), "check", "--cache-dir", cache, "--format", "json")
    cold = kaohe("--repo", str(mini), "check", "--no-cache", "--format", "json")
    assert (again.code, again.out) == (cold.code, cold.out) != (first.code, first.out)
    assert "link.missing" in again.out
