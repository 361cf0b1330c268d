"""The key of the pages made from the whole year (generator.render.yearkey): the same for the same
year in any process, different when anything but an evidence body changes."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from generator.load import bodies
from generator.render.yearkey import year_digest
from generator.render.years import load_year

ROOT = Path(__file__).resolve().parent.parent


def digest_of(repo: Path) -> str | None:
    loaded = load_year(repo, 2010, filing_dates=False)
    return year_digest(loaded.assessment, None, None)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_same_year_has_the_same_key_in_every_process(mini: Path):
    """Sets and hashing differ between processes (PYTHONHASHSEED); the key must not."""
    script = (
        "import sys; from pathlib import Path; from generator.render.years import load_year\n"
        "from generator.render.yearkey import year_digest\n"
        "print(year_digest(load_year(Path(sys.argv[1]), 2010, filing_dates=False).assessment, None, None))\n"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", script, str(mini)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1
    (key,) = keys
    assert len(key) == 40 and key == digest_of(mini)


def test_a_body_changes_the_key_only_through_its_first_heading(mini: Path):
    """Its 公文页 count is the review page's own input (tests/test_incremental_build.py)."""
    page = mini / "evidence/2010/xingren/df-03-education.md"
    first = digest_of(mini)
    edit(page, "（3次）。", "（3次），另有补充。" + "字" * 616)  # a second 公文页
    assert digest_of(mini) == first
    edit(page, "一至三季度", "# 教育记录\n\n一至三季度")
    assert digest_of(mini) != first


def test_what_pages_show_of_a_finding_changes_the_key(mini: Path):
    findings = mini / "evidence/2010/xingren/findings.toml"
    first = digest_of(mini)
    findings.write_text("# 复查记录\n" + findings.read_text(encoding="utf-8"), encoding="utf-8")
    moved = digest_of(mini)
    assert moved != first  # the same findings one line down: their source links change
    reason = next(line for line in findings.read_text(encoding="utf-8").splitlines() if line.startswith("reason = "))
    edit(findings, reason, 'reason = "复查时发现台账缺页"')
    assert digest_of(mini) not in (first, moved)


def test_the_day_a_year_is_as_of_and_its_filing_dates_are_part_of_the_key(mini: Path):
    from datetime import date

    a = load_year(mini, 2010, filing_dates=False).assessment
    key = year_digest(a, None, date(2010, 6, 30))
    assert year_digest(a, None, date(2010, 7, 1)) != key
    a.evidence[0].filed = date(2010, 4, 1)
    assert year_digest(a, None, date(2010, 6, 30)) != key


def test_indexes_made_from_the_rest_are_left_out(mini: Path):
    a = load_year(mini, 2010, filing_dates=False).assessment
    key = year_digest(a)
    assert year_digest(dataclasses.replace(a, evidence_by={}, findings_by={}, appeals_by={})) == key


def test_an_object_the_walk_does_not_know_makes_the_year_unkeyable(mini: Path):
    a = load_year(mini, 2010, filing_dates=False).assessment
    assert year_digest(a, object()) is None
    assert year_digest(a, True) != year_digest(a, 1)  # a flag is not a number
    assert year_digest(a, {"b", "a"}) == year_digest(a, {"a", "b"})


def test_a_released_body_keeps_what_the_key_needs(mini: Path):
    """The key is made in builds, which let the bodies go: heading and page count come from what is kept."""
    a = load_year(mini, 2010, filing_dates=False).assessment
    e = next(e for e in a.evidence if e.path.endswith("df-01-meeting.md") and "/xingren/" in e.path)
    assert e.body is None and e.released is not None
    assert bodies.heading(e) == "贯彻落实全州党风廉政建设工作会议精神情况报告"
    assert bodies.pages(e) == 1


def test_the_key_does_not_depend_on_how_the_walk_is_cut_into_batches(mini: Path, monkeypatch):
    """The walk hashes what it wrote down a batch at a time (bounded memory at province scale)."""
    from generator.render import yearkey

    a = load_year(mini, 2010, filing_dates=False).assessment
    whole = year_digest(a, None, None)
    for batch in (1, 2, 7, 1000):
        monkeypatch.setattr(yearkey._Walk, "BATCH", batch)
        assert year_digest(a, None, None) == whole
