"""Text direction: a value cannot reorder what is printed around it ("Trojan Source").

Values written right to left (a Uyghur unit name, a Hebrew title) are real and accepted; every page,
the terminal table and check's messages isolate them (FSI U+2068 … PDI U+2069). Bidi embeddings and
overrides (U+202A–U+202E) and isolates (U+2066–U+2069) have no honest use in a name, a key or a
file name: `kaohe check` refuses them where they are written, and the outputs show any that reach
them as ``\\u202e``. docs/safety.md ("Text direction") says the same for users.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from bidi_support import HEBREW_REASON, HEBREW_TITLE, UYGHUR, rtl_repo
from render_support import make_site

from generator.controlchars import _RTL_BLOCKS, FSI, PDI, isolate
from generator.messages import msg
from generator.organization import Organization
from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site

RLO = "\u202e"


def _outside_isolates(text: str) -> str:
    """`text` without its FSI … PDI pairs and what they hold (the test's own reading of UAX #9)."""
    out, depth = [], 0
    for char in text:
        if char == FSI:
            depth += 1
        elif char == PDI and depth:
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _rtl(text: str) -> list[str]:
    return [c for c in text if unicodedata.bidirectional(c) in ("R", "AL")]


def test_the_quick_search_covers_every_right_to_left_character():
    """isolate() looks for right-to-left characters in a few blocks before asking unicodedata: every
    character of class R or AL of this Python's Unicode must be in them."""
    missed = [hex(c) for c in range(sys.maxunicode + 1) if _rtl(chr(c)) and not _RTL_BLOCKS.match(chr(c))]
    assert missed == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("兴仁县", "兴仁县"),  # left to right: unchanged, no invisible characters added
        (UYGHUR, FSI + UYGHUR + PDI),
        ("局\u200f", FSI + "局\u200f" + PDI),  # ends in RIGHT-TO-LEFT MARK
        ("兴仁" + RLO + "县", "兴仁\\u202e县"),  # an override is shown, not obeyed
        ("a" + PDI + "b", "a\\u2069b"),  # a stray PDI would close the isolate around it early
        (FSI + UYGHUR + PDI + "局", FSI + UYGHUR + PDI + "局"),  # isolated already: kept, not doubled
    ],
)
def test_isolate(value, shown):
    assert isolate(value) == shown


# -- the site: a real MkDocs build ------------------------------------------------------------------


@pytest.fixture(scope="module")
def rtl_site(tmp_path_factory) -> Path:
    repo = rtl_repo(tmp_path_factory.mktemp("repo") / "mini")
    site = tmp_path_factory.mktemp("out") / "site"
    outcomes = write_site(repo, site, [Version(2010, Provenance())])
    assert [(o.action, o.warnings) for o in outcomes] == [("built", [])]
    return site / "default/2010"


def _text_outside_bodies(html: str) -> str:
    """A page as far as kaohe prints values into it: an evidence body is the author's own document
    (its paragraphs and cells are blocks of their own, which no direction leaves)."""
    return re.sub(r'<article class="kh-evidence-body".*?</article>', "", html, flags=re.S)


def test_every_right_to_left_value_on_every_page_is_isolated(rtl_site: Path):
    """Unit name, evidence title and reason, in the header, the navigation, tables, tooltips, the
    print header and the charts: no right-to-left character is left outside an isolate, where it
    would turn the figures and words after it around."""
    pages = sorted(rtl_site.rglob("*.html"))
    assert len(pages) > 20
    seen = set()
    for page in pages:
        html = _text_outside_bodies(page.read_text(encoding="utf-8"))
        assert _rtl(_outside_isolates(html)) == [], page
        seen.update(word for word in (UYGHUR, HEBREW_TITLE, HEBREW_REASON) if word in html)
    assert seen == {UYGHUR, HEBREW_TITLE, HEBREW_REASON}


def test_the_words_after_an_isolated_unit_name_are_outside_its_isolate(rtl_site: Path):
    html = (rtl_site / "units/xingren.html").read_text(encoding="utf-8")
    # site.unit_sheet "{unit}{year}年度考核评分表": the year follows the isolate, not inside it
    assert f'<h1 class="kh-sheet-title">{FSI}{UYGHUR}{PDI}2010年度考核评分表' in html
    assert f"<title>{FSI}{UYGHUR}{PDI}" in html  # Material's page title, from kaohe's escaped title
    # the finding's reason "{reason}（{detail}）": the detail, whose figures it could reorder, outside
    assert f"{FSI}{HEBREW_REASON}稽查股股长违规收取企业礼金，经查属严重违纪{PDI}（股级干部，严重违纪）" in html


def test_a_message_that_starts_with_a_right_to_left_name_isolates_the_name_alone(rtl_site: Path):
    """A label that starts with the name ("{unit}工作进度", "{name}第{rank}名→第{neutral}名", a chart
    segment's "{name} · {category}：{lost}"), isolated whole, takes the name's direction: the page
    drew "工作进度ئۈرۈمچى…" and "第1名→第2名ئۈرۈمچى…", the words and figures before the name. The
    name alone is isolated; the words after it stay outside."""
    progress = (rtl_site / "progress/xingren.html").read_text(encoding="utf-8")
    assert f"<h1>{FSI}{UYGHUR}{PDI}工作进度</h1>" in progress
    assert f"<title>{FSI}{UYGHUR}{PDI}工作进度 - " in progress  # the page's title, from its nav entry
    # the review's rank changes: xingren 23.02 is first of three; with 一、1 equal for all it is second
    review = (rtl_site / "review.html").read_text(encoding="utf-8")
    assert f">{FSI}{UYGHUR}{PDI}第1名→第2名</a>" in review
    # the overview's chart: xingren lost 1.78 in 党风廉政建设工作 (the tooltip of its segment)
    overview = (rtl_site / "index.html").read_text(encoding="utf-8")
    assert f"<title>{FSI}{UYGHUR}{PDI} · 党风廉政建设工作：1.78</title>" in overview


def test_the_year_after_a_right_to_left_organization_name_stays_after_it():
    """The year's default title "{organization}{year}年度考核结果" with the organization named right to left."""
    site = make_site()
    site.organization = Organization(site.organization.id, UYGHUR)
    assert site.a.title is None or site.a.title == ""  # the default title is the one shown
    assert site.title() == f"{FSI}{UYGHUR}{PDI}2010年度考核结果"


def test_a_bidi_override_that_reaches_a_page_is_shown_not_obeyed():
    """check refuses overrides in every key and text (below); the renderer must still not obey one:
    fed a unit name, evidence title, reason and file name holding U+202E, the page shows
    "\\u202e" and holds no override at all."""
    site = make_site()
    unit = site.results.unit("xingren")
    unit.name = "兴仁" + RLO + "县"
    row = next(r for r in unit.indicators if r.lines)
    line = row.lines[0]
    line.message = msg("score.finding", reason=RLO + "伪造")
    path = next(p for p in site.evidence if p.startswith("evidence/2010/xingren/"))
    site.evidence[path].title = "会议" + RLO + "gpj.exe"
    for spec in site.pages():
        if spec.kind in ("sheet", "overview", "evidence"):
            html = site.render(spec)
            assert RLO not in html, spec
    sheet = site.render(next(s for s in site.pages() if s.kind == "sheet" and s.key == "xingren"))
    assert "兴仁\\u202e县" in sheet and "会议\\u202egpj.exe" in sheet and "\\u202e伪造" in sheet


# -- kaohe check ----------------------------------------------------------------------------------


def _problems(kaohe, root: Path) -> list[tuple[str, int, int, str]]:
    import json

    run = kaohe("--repo", str(root), "check", "--format", "json", "--no-cache")
    return [(p["path"], p["line"], p["col"], p["code"]) for p in json.loads(run.out)]


def test_check_refuses_an_override_in_any_key_or_text_at_its_column(mini, kaohe):
    """A grade's name is a table key and a finding's `grade` a plain text: neither went through the
    name check, and "股级\\u202e干部" reached the sheet beside "扣0.3分". Reported where the
    character is written, so an editor jumps to it."""
    fw = mini / "frameworks/mini/01-dangfeng.toml"
    fw.write_text(fw.read_text(encoding="utf-8").replace('"股级干部" = 0.3', f'"股级{RLO}干部" = 0.3'), "utf-8")
    findings = mini / "evidence/2010/xingren/findings.toml"
    text = findings.read_text(encoding="utf-8").replace('grade = "股级干部"', f'grade = "股级{RLO}干部"')
    findings.write_text(text, encoding="utf-8")
    found = _problems(kaohe, mini)
    # `grades = { "一般工作人员" = 0.2, "股级<U+202E>干部"`: 11 + 8 + 8 characters, the quote, 股, 级: column 31
    # `grade = "股级<U+202E>干部"`: 9 characters, 股, 级: column 12
    assert ("frameworks/mini/01-dangfeng.toml", 65, 31, "text.bidi-control") in found
    assert ("evidence/2010/xingren/findings.toml", 6, 12, "text.bidi-control") in found
    words = kaohe("--repo", str(mini), "check", "--no-cache").out
    assert "“grade”在第 3 个字符处含有双向文本控制字符 U+202E" in words and "提示：删除它" in words


def test_check_refuses_a_file_name_holding_an_override(mini, kaohe):
    unit = mini / "evidence/2010/anlong"
    (unit / f"df-01-会议{RLO}gpj.md").write_text((unit / "df-01-meeting.md").read_text(encoding="utf-8"), "utf-8")
    found = _problems(kaohe, mini)
    assert (f"evidence/2010/anlong/df-01-会议{RLO}gpj.md", 1, 1, "tree.bidi-name") in found  # JSON: as stored
    shown = kaohe("--repo", str(mini), "check", "--no-cache").out
    # "evidence/2010/anlong/" 21 characters, "df-01-" 6, 会, 议: the override is character 30
    assert (
        "evidence/2010/anlong/df-01-会议\\u202egpj.md:1:1: 错误：路径在第 30 个字符处含有双向文本控制字符 U+202E"
        in shown
    )


def test_a_file_of_thousands_of_overrides_is_reported_in_linear_time(tmp_path):
    """Each override was placed by listing every key of the file after its value: the square of the
    count (8,000 keys each holding one took 1.2 s, 30,000 took 39 s of `kaohe check`), so a pull
    request of one 1 MB findings file held CI for minutes."""
    import time

    from generator.load.reading import read_toml
    from generator.problems import Problems
    from generator.tree import FsTree

    keys = 40_000
    (tmp_path / "findings.toml").write_text("".join(f'k{n} = "x{RLO}"\n' for n in range(keys)), encoding="utf-8")
    problems = Problems()
    started = time.monotonic()
    read_toml(FsTree(tmp_path), "findings.toml", problems)
    elapsed = time.monotonic() - started
    found = [(p.line, p.col) for p in problems if p.code == "text.bidi-control"]
    # `k39999 = "x<U+202E>"`: line 40,000; "k39999 = " 9 characters, the quote, x: column 12
    assert len(found) == keys and found[-1] == (keys, 12)
    # linear: under a second here; the square of 40,000 took 30 s
    assert elapsed < 10, f"{elapsed:.1f} s: each override's place looked for among every key of the file"


# -- the terminal ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [("score", "--year", "2010"), ("build", "--site-dir", "out")], ids=["score", "build"]
)
def test_a_refusal_lists_its_problems_with_their_isolates_as_check_does(mini, kaohe, command):
    """Problem lines isolate a right-to-left value as `kaohe check` prints them; refused by `score` or
    `build`, the same lines had their isolates written out, "“\\u2068ئۈرۈمچى\\u2069”" where
    check shows the name."""
    findings = mini / "evidence/2010/xingren/findings.toml"
    text = findings.read_text(encoding="utf-8").replace('indicator = "df-08"', f'indicator = "{UYGHUR}"', 1)
    findings.write_text(text, encoding="utf-8")
    checked = kaohe("--repo", str(mini), "check", "--no-cache")
    line = next(x for x in checked.out.splitlines() if UYGHUR in x)
    assert f"“{FSI}{UYGHUR}{PDI}”" in line
    refused = kaohe("--repo", str(mini), *command)
    assert refused.code == 1, refused.err
    assert line in refused.err.splitlines() and "\\u2068" not in refused.err


def test_score_table_isolates_a_right_to_left_name_and_keeps_the_columns(tmp_path, kaohe):
    """GNOME Terminal and Konsole lay out a line bidirectionally: an Arabic-script name first on a
    line made the columns read right to left. Isolated, and the two invisible characters take no
    column: the totals still line up."""
    repo = rtl_repo(tmp_path / "mini")
    out = kaohe("--repo", str(repo), "score", "--detail").out
    rows = [line for line in out.splitlines() if "质监局" in line or UYGHUR in line]
    assert any(f"{FSI}{UYGHUR}{PDI}" in row for row in rows)
    assert UYGHUR not in _outside_isolates(out)
    visible = [row.replace(FSI, "").replace(PDI, "") for row in rows[:3]]
    # the totals column ends at the same place on every row (CJK counted two columns, isolates none)
    from generator.output.table import width

    ends = {width(row[: row.index("县（市）局")]) for row in visible}
    assert len(ends) == 1, visible
    assert f"{FSI}{HEBREW_REASON}" in out
