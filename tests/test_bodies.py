"""A build lets evidence bodies go as it loads them and reads each again from its file, refusing one that changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import said

from generator.load import bodies
from generator.problems import InputError
from generator.provenance import Provenance
from generator.render import years
from generator.render.pages import Site
from generator.render.years import load_year

MEETING = "evidence/2010/anlong/df-01-meeting.md"
#: The fixture's body, after its closing `+++` line (tests/fixtures/mini/evidence/2010/anlong/df-01-meeting.md).
MEETING_BODY = "# 贯彻落实全州党风廉政建设工作会议精神情况报告\n\n3月10日召开全局干部职工大会，传达州局会议精神。\n"

UNTITLED = "evidence/2010/anlong/df-01-untitled.md"
UNTITLED_BODY = "开头一段。\n\n## 二季度 学习记录 ##\n\n正文。\n"


def _add_untitled(mini: Path) -> None:
    """An evidence file without a title: its page is named by the body's first heading."""
    text = '+++\nindicator = "df-01"\ndate = 2010-06-30\nsatisfies = "meeting"\n+++\n' + UNTITLED_BODY
    (mini / UNTITLED).write_text(text, encoding="utf-8")


def _evidence(loaded: years.LoadedYear, path: str):
    return next(e for e in loaded.assessment.evidence if e.path == path)


def test_a_loaded_year_keeps_no_body_and_reads_each_again(mini: Path):
    loaded = load_year(mini, 2010, filing_dates=False)
    assert loaded.assessment.evidence and all(e.body is None and e.doc is None for e in loaded.assessment.evidence)
    meeting = _evidence(loaded, MEETING)
    assert (mini / MEETING).read_text(encoding="utf-8").endswith("+++\n" + MEETING_BODY)  # the constant is the file's
    assert meeting.text() == MEETING_BODY
    assert meeting.locate("date") == (1, 1)  # nothing to locate with once the front matter is dropped


def test_heading_and_digest_need_no_file(mini: Path):
    _add_untitled(mini)
    loaded = load_year(mini, 2010, filing_dates=False)
    (mini / UNTITLED).unlink()
    e = _evidence(loaded, UNTITLED)
    # the first ATX heading, its closing #s and spaces left out
    assert bodies.heading(e) == "二季度 学习记录"
    site = Site(loaded.assessment, loaded.results, Provenance(), "zh", None, loaded.period_results)
    assert site.evidence_title(e) == "二季度 学习记录"
    expected = hashlib.blake2b(UNTITLED_BODY.encode("utf-8"), digest_size=20).hexdigest()
    assert bodies.digest(e) == expected


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.write_text(p.read_text(encoding="utf-8") + "补充一行。\n", encoding="utf-8"),
        lambda p: p.write_text(p.read_text(encoding="utf-8").replace("3月10日", "3月11日"), encoding="utf-8"),
        lambda p: p.unlink(),
        lambda p: p.write_text("no front matter any more\n", encoding="utf-8"),
    ],
    ids=["line added", "one character", "removed", "front matter gone"],
)
def test_a_body_changed_since_loading_is_refused(mini: Path, change):
    loaded = load_year(mini, 2010, filing_dates=False)
    change(mini / MEETING)
    with pytest.raises(InputError) as refused:
        _evidence(loaded, MEETING).text()
    assert refused.value.code == "evidence.changed-since-loading"
    assert refused.value.params == {"path": MEETING}


def test_a_front_matter_change_alone_still_reads(mini: Path):
    """Only the body is compared: scores come from the front matter as loaded, the page from the body."""
    loaded = load_year(mini, 2010, filing_dates=False)
    path = mini / MEETING
    path.write_text(path.read_text(encoding="utf-8").replace("2010-03-15", "2010-03-16"), encoding="utf-8")
    assert _evidence(loaded, MEETING).text() == MEETING_BODY


def test_the_build_refuses_a_file_edited_while_it_runs(mini: Path, tmp_path: Path, kaohe, monkeypatch):
    drop = bodies.drop_front_matter

    def loaded_then_edited(evidence):  # called once the year is loaded and validated, before scoring
        drop(evidence)
        (mini / MEETING).write_text((mini / MEETING).read_text(encoding="utf-8") + "补充。\n", encoding="utf-8")

    monkeypatch.setattr(years.bodies, "drop_front_matter", loaded_then_edited)
    site = tmp_path / "site"
    result = kaohe("build", "--repo", str(mini), "--site-dir", str(site), "--no-cache")
    assert result.code != 0
    assert said("evidence.changed-since-loading", path=MEETING) in result.err
    assert "Traceback" not in result.err
    assert not (site / "2010").exists()  # nothing half-written is published
