"""Page file names always fit the filesystem and never collide with the site's own pages.

An evidence file may be named with 85 Chinese characters (255 bytes, the most ext4 allows); its
page needs ``.html``, 2 bytes more than ``.md``. An indicator may be called ``index``, the name of
the indicators' own index page. Both build, and every link reaches the right page.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from generator.render import urls
from generator.render.linkcheck import check_site

LONG = "考" * 84  # 252 bytes; with ".md" the file name is 255 bytes, the most a name may have
EVIDENCE = '+++\nindicator = "df-01"\ndate = 2010-12-20\nsatisfies = "annual"\n+++\n# 全年工作情况报告\n\n正文。\n'


def test_names_that_fit_are_kept_and_the_boundary_is_255_bytes_with_html():
    assert urls.page_name("a" * 250) == "a" * 250  # 250 + len(".html") = 255: fits
    short = urls.page_name("a" * 251)  # 256 with .html: shortened
    digest = hashlib.sha256(("a" * 251).encode()).hexdigest()[:12]
    assert short == "a" * (250 - 13) + "-" + digest and len(short.encode()) == 250
    assert urls.page_name("考" * 83) == "考" * 83  # 249 bytes


def test_shortened_names_cut_whole_characters_and_stay_distinct():
    a, b = urls.page_name(LONG + "甲"), urls.page_name(LONG + "乙")
    assert a != b and a[:10] == b[:10]  # same prefix, told apart by the hash of the whole name
    assert len((a + ".html").encode()) <= 255
    assert a.encode().decode("utf-8") == a  # no half character at the cut
    assert urls.page_name(LONG + "甲") == a  # stable: the same name always gets the same page


def test_reserved_names_are_not_taken():
    assert urls.indicator("df-01") == "indicators/df-01.md"
    assert urls.indicator("index") != urls.indicators_index()
    assert re.fullmatch(r"indicators/index-[0-9a-f]{12}\.md", urls.indicator("index"))


@pytest.fixture
def repo(mini: Path) -> Path:
    """The mini fixture with indicator df-03 renamed `index`, and an evidence file with a 255-byte name."""
    for path in [*mini.rglob("*.toml"), *mini.rglob("*.md")]:
        path.write_text(path.read_text(encoding="utf-8").replace("df-03", "index"), encoding="utf-8")
    for path in list(mini.rglob("*df-03*")):
        path.rename(path.with_name(path.name.replace("df-03", "index")))
    (mini / "evidence/2010/xingren" / f"{LONG}.md").write_text(EVIDENCE, encoding="utf-8")
    (mini / "evidence/2010/xingren/df-01-meeting.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2010-03-15\nsatisfies = "meeting"\n+++\n另见[全年报告](<'
        + LONG
        + ".md>)。\n",
        encoding="utf-8",
    )
    return mini


def test_a_255_byte_evidence_name_and_an_indicator_called_index_build(repo: Path, kaohe, tmp_path: Path):
    assert kaohe("check", "--repo", str(repo)).code == 0
    site = tmp_path / "site"
    result = kaohe("build", "--repo", str(repo), "--site-dir", str(site))
    assert result.code == 0, result.err
    year = site / "default/2010"
    long_pages = [p for p in (year / "evidence/xingren").iterdir() if p.name.startswith("考")]
    assert len(long_pages) == 1 and len(long_pages[0].name.encode()) <= 255
    assert "全年工作情况报告" in long_pages[0].read_text(encoding="utf-8")
    index_page = year / urls.dest(urls.indicator("index"))
    assert index_page.is_file() and index_page != year / "indicators/index.html"
    assert "反腐倡廉教育" in index_page.read_text(encoding="utf-8")  # the indicator's own page
    assert 'href="' + urls.href("indicators/index.md", urls.indicator("index")) in (
        year / "indicators/index.html"
    ).read_text(encoding="utf-8")  # the list of indicators links to it
    meeting = (year / "evidence/xingren/df-01-meeting.html").read_text(encoding="utf-8")
    assert (
        urls.href("evidence/xingren/df-01-meeting.md", urls.evidence(f"evidence/2010/xingren/{LONG}.md", 2010))
        in meeting
    )
    report = check_site(site)
    assert report.broken == []
