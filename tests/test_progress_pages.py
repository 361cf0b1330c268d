"""The 进度 pages (board and one per unit, drafts only) and the 指标评估 page, rendered without MkDocs.

The board of the shipped 2010 data is compared cell by cell with `kaohe todo --format json` for the
same date; the review page's figures with the ones computed by hand in tests/test_review.py.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, said
from progress_support import missing_evidence

from generator.provenance import Provenance
from generator.render import urls
from generator.render.pagekinds.progress import build_date
from generator.render.pages import Site
from generator.render.years import load_year
from generator.workspace import open_year
from generator.yearcompare import previous_year

PROGRESS = FIXTURES / "progress"
DRAFT = Provenance()
FINAL = Provenance(
    commit="0123456789abcdef0123456789abcdef01234567",
    commit_date="2011-01-20T10:00:00+08:00",
    tag="results-2010",
    draft=False,
)


def site_for(root: Path, year: int, provenance: Provenance = DRAFT, **kwargs) -> Site:
    loaded = load_year(root, year)
    return Site(loaded.assessment, loaded.results, provenance, **kwargs)


def page(site: Site, kind: str, key: str = "") -> str:
    return site.render(next(p for p in site.pages() if p.kind == kind and p.key == key))


class Cells(HTMLParser):
    """Per board row (its id), the attributes of its month cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[dict[str, str]]] = {}
        self.row = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and "kh-board-row" in a.get("class", ""):
            self.row = a["id"].removeprefix("unit-")
            self.rows[self.row] = []
        elif tag == "td" and "kh-board-cell" in a.get("class", ""):
            self.rows[self.row].append(a)


def board_cells(html: str) -> dict[str, list[dict[str, str]]]:
    parser = Cells()
    parser.feed(html)
    return parser.rows


def reading_text(html: str) -> str:
    """What a reader sees: the text outside tags and attributes, without the 来源 details."""
    html = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


# --- the board ------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2010-09-30", "2010-11-15", "2010-12-31"])
def test_board_cells_of_a_county_match_kaohe_todo(kaohe, as_of):
    day = date.fromisoformat(as_of)
    html = page(site_for(ROOT, 2010, built=day), "board")
    run = kaohe("--repo", str(ROOT), "todo", "--as-of", as_of, "--unit", "zhenfeng", "--format", "json")
    [unit] = json.loads(run.out)["units"]
    expected: dict[str, Counter] = {}
    for ind in unit["indicators"]:
        for req in ind["requirements"]:
            expected.setdefault(str(ind["month"] or ""), Counter())[req["status"]] += 1
    shown = {}
    for cell in board_cells(html)["zhenfeng"]:
        if "data-counts" in cell:
            counts = dict(pair.split(":") for pair in cell["data-counts"].split())
            shown[cell["data-month"]] = Counter({status: int(n) for status, n in counts.items()})
    assert shown == expected
    assert f"截至 {as_of}" in html


@pytest.mark.parametrize(
    "year, as_of",
    [(2010, "2010-09-30"), (2010, "2010-11-15"), (2010, "2010-12-31"), (2011, "2011-10-31"), (2014, "2014-12-31")],
)
def test_board_deducted_column_sums_to_what_score_as_of_deducts_for_missing_evidence(kaohe, year, as_of):
    """逾期扣分, unit by unit and summed over the board, is what `kaohe score --as-of` deducts that day
    for missing evidence (the definition in tests/test_todo.py:missing_evidence)."""
    html = page(site_for(ROOT, year, built=date.fromisoformat(as_of)), "board")
    rows = re.findall(r'<tr class="kh-board-row" id="unit-([^"]+)">(.*?)</tr>', html, re.S)
    # the column reads 逾期失分 where the board lists 扣分制 and 得分制 rows (2010 and 2011 tables 二, 六,
    # 九), 逾期扣分 where all deduct (2014's quarters: 第十一条 扣分制)
    label = "逾期扣分" if year == 2014 else "逾期失分"
    shown = {unit: Decimal(re.search(rf'data-label="{label}">([\d.]+)</td>', row).group(1)) for unit, row in rows}
    _, a = open_year(str(ROOT), None, year)
    # 2014 is assessed per quarter: the board is the quarter holding the day, so is the score compared
    # (the year weights each quarter 0.25), as in tests/test_todo.py
    quarter = ["--period", f"{year}-Q{(date.fromisoformat(as_of).month - 1) // 3 + 1}"] if a.framework.period else []
    run = kaohe("--repo", str(ROOT), "score", "--year", str(year), "--as-of", as_of, *quarter, "--format", "json")
    deducted = missing_evidence(json.loads(run.out), a)
    assert shown == deducted
    assert sum(shown.values()) == sum(deducted.values()) > 0  # not a comparison of zeros


def test_board_orders_a_cell_most_urgent_first_and_says_it_in_words():
    html = page(site_for(ROOT, 2010, built=date(2010, 9, 30)), "board")
    cells = {c["data-month"]: c for c in board_cells(html)["zhenfeng"] if "data-month" in c}
    # 30 September: 贞丰's self-inspection report (一.2, due in September) is not filed — 已逾期
    september = cells["9"]
    assert september["data-counts"] == "overdue:1" and "kh-ps-overdue" in september["class"]
    assert september["title"] == "9月：已逾期1项"
    # December holds not-due and met requirements: the cell takes the more urgent one's colour
    december = cells["12"]
    assert december["data-counts"].startswith("not_due:") and " met:" in december["data-counts"]
    assert "kh-ps-not_due" in december["class"]
    # the symbol and the count are in the cell's text, not only in its colour
    row = re.search(r'<tr class="kh-board-row" id="unit-zhenfeng">.*?</tr>', html, re.S).group(0)
    assert '<span class="kh-ps-sym">!</span>1' in row
    # 逾期失分 (the board lists 扣分制 and 得分制 rows): the overdue report's 0.2 (一.2: 无自查报告扣0.2分),
    # what `score --as-of` deducts for it
    assert re.search(r'kh-lostcell" data-label="逾期失分">0\.2</td>', row)
    # the legend names every symbol in words
    for symbol, word in (
        ("×", "缺"),
        ("!", "已逾期"),
        ("▽", "未达标"),
        ("△", "即将到期"),
        ("○", "未到期"),
        ("√", "已满足"),
    ):
        assert f'aria-hidden="true">{symbol}</span>{word}</span>' in html


def test_board_columns_are_the_months_something_falls_due_and_mark_the_as_of_month():
    html = page(site_for(ROOT, 2010, built=date(2010, 11, 15)), "board")
    head = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    # the 2010 rules' completion months are September to December
    assert re.findall(r"<th[^>]*>(\d+)月", head) == ["9", "10", "11", "12"]
    assert '<th class="kh-this-month">11月<span class="kh-this-month-tag">本月</span></th>' in head


def test_a_build_date_outside_the_year_is_held_inside_it_and_says_so():
    late = page(site_for(ROOT, 2010, built=date(2026, 5, 1)), "board")
    assert "截至 2010-12-31" in late and "构建日期 2026-05-01 已过本年度，按年底计。" in late
    early = page(site_for(ROOT, 2010, built=date(2009, 12, 31)), "board")
    assert "截至 2010-01-01" in early and "构建日期 2009-12-31 尚未到本年度，按年初计。" in early
    inside = page(site_for(ROOT, 2010, built=date(2010, 3, 1)), "board")
    assert "截至 2010-03-01" in inside and "构建日期" not in inside


def test_build_date_is_the_commit_date_else_source_date_epoch_else_today():
    # the commit's own calendar day, as the banner's 提交日期 shows it (UTC would say 1 July)
    committed = Provenance(commit="a" * 40, commit_date="2010-07-02T07:30:00+08:00")
    assert build_date(committed, {"SOURCE_DATE_EPOCH": "0"}) == date(2010, 7, 2)
    # 1285848000 = 2010-09-30T12:00:00Z
    assert build_date(DRAFT, {"SOURCE_DATE_EPOCH": "1285848000"}, today=date(2026, 1, 1)) == date(2010, 9, 30)
    assert build_date(DRAFT, {"SOURCE_DATE_EPOCH": "not a number"}, today=date(2026, 1, 1)) == date(2026, 1, 1)
    assert build_date(DRAFT, {}, today=date(2026, 1, 1)) == date(2026, 1, 1)


# --- a unit's progress page -----------------------------------------------------------------------


def test_unit_page_lists_every_requirement_with_due_status_points_and_links(kaohe):
    site = site_for(ROOT, 2010, built=date(2010, 9, 30))
    html = page(site, "progress", "zhenfeng")
    run = kaohe("--repo", str(ROOT), "todo", "--as-of", "2010-09-30", "--unit", "zhenfeng", "--format", "json")
    [unit] = json.loads(run.out)["units"]
    reqs = [(i, r) for i in unit["indicators"] for r in i["requirements"]]
    rows = re.findall(r'<tr class="kh-ps-row kh-ps-(\w+)">(.*?)</tr>', html, re.S)
    assert Counter(s for s, _ in rows) == Counter(r["status"] for _, r in reqs)
    # most urgent first: the overdue report heads the page, linking the sheet's row and naming its due day
    status, first = rows[0]
    assert status == "overdue"
    assert 'href="../units/zhenfeng.html#ind-df-02"' in first
    assert "9月30日，截至日当天到期" in first and 'data-label="可能扣分">0.2</td>' in first
    assert "未报材料" in first
    # every file filed for a requirement links to its evidence page
    src = urls.progress("zhenfeng")
    for _, req in reqs:
        for filed in req["filed"]:
            assert f'href="{urls.href(src, urls.evidence(filed["path"], 2010))}"' in html
    # the points at stake per status add up to the CLI's summary
    summary = re.findall(r'href="#status-(\w+)".*?<td class="kh-num">\d+项</td><td class="kh-num">([\d.]+)</td>', html)
    assert {s: v for s, v in summary} == {s: v["at_stake"] for s, v in unit["summary"].items() if v["count"]}
    # the sheet links back to the unit's progress page
    assert 'href="../progress/zhenfeng.html"' in page(site, "sheet", "zhenfeng")


def test_progress_columns_say_not_earned_for_earned_rows_and_lost_for_both():
    """兴仁 on 31 December 2010: its one missing requirement is table 二 row 2's 工作总结 (得分制: 3、有工作
    总结。 2), 2 points not earned, never deducted: that table's column reads 可能未得分. Its 未达标 row is
    table 三 row 4's 结案率 (扣分制: 88.5 %, 1.5 points short of 90 → 0.1 deducted) and keeps 可能扣分;
    the summary and the legend count both kinds: 可能失分. The board lists both: 逾期失分."""
    site = site_for(ROOT, 2010, built=date(2010, 12, 31))
    html = page(site, "progress", "xingren")
    heads = dict(re.findall(r'<h2 id="status-(\w+)">.*?<thead><tr>(?:<th>[^<]*</th>){3}<th>([^<]*)</th>', html, re.S))
    assert heads["missing"] == said("site.progress.at_stake.earned") == "可能未得分"
    assert heads["below"] == said("site.progress.at_stake") == "可能扣分"
    assert 'data-label="可能未得分">2</td>' in html and 'data-label="可能扣分">0.1</td>' in html
    summary = re.search(r'<table class="kh-table kh-ps-summary">\s*<thead>(.*?)</thead>', html).group(1)
    assert summary.endswith("<th>可能失分</th></tr>")
    assert '<p class="kh-legend">可能失分：' in html
    board = page(site, "board")
    assert '<th title="' + said("site.progress.deducted.mixed.note") + '">逾期失分</th>' in board
    # 辽阳 2014's quarters are 扣分制 (第十一条): 逾期扣分 as before
    assert '">逾期扣分</th>' in page(site_for(ROOT, 2014, built=date(2014, 12, 31)), "board")
    # the legend of 缺 says what a missing requirement costs for either kind: 失分, not 扣分 alone
    assert "到年底仍未满足：年终评分失分（扣分，得分制的为未得分）" in html


def test_an_earned_rows_bound_says_not_earned_on_the_unit_page(tmp_path):
    """The fixture's u1 a-06 (0.2 points), its one 情况通报 worth 0.5 missing on 30 June 2020, read 得分制
    (method = "earned"): min(0.5, 0.2) = 0.2 not earned at most. The page's note ended "至多失0.2分"
    where the row's column says 可能未得分: it says 未得, in both catalogues."""
    repo = tmp_path / "progress"
    shutil.copytree(PROGRESS, repo)
    table = repo / "frameworks/p/01-baogao.toml"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("points = 0.2\nmonth = 6\n", 'points = 0.2\nmonth = 6\nmethod = "earned"\n', 1))
    assert 'method = "earned"' in table.read_text(encoding="utf-8")
    html = page(site_for(repo, 2020, built=date(2020, 6, 30)), "progress", "u1")
    assert "本项得分制，至多全项未得：本项各要求合计至多未得0.2分" in html and "至多失" not in html
    english = page(site_for(repo, 2020, lang="en", built=date(2020, 6, 30)), "progress", "u1")
    assert "requirements together leave at most 0.2 points not earned" in english
    assert "lose at most" not in english


def test_todo_help_says_points_lost_not_only_deducted(capsys):
    """kaohe todo's description: a missing file costs its rule's points, deducted or not earned."""
    from generator.cli import main

    with pytest.raises(SystemExit):
        main(["todo", "--help"])
    out = "".join(capsys.readouterr().out.split())  # argparse wraps the description to the terminal
    assert "按其规则会失去的分（扣分，得分制的为未得分）" in out and "要扣的分" not in out


def test_reading_text_has_no_ids_keys_or_paths():
    site = site_for(ROOT, 2010, built=date(2010, 9, 30))
    ids = {i.id for i in site.framework.indicators()}
    keys = {k for i in site.framework.indicators() for r in i.rule for k in r.requirement_keys()}
    for kind, key in (("board", ""), ("progress", "zhenfeng"), ("review", "")):
        text = reading_text(page(site, kind, key))
        words = set(re.findall(r"[A-Za-z0-9_.-]+", text))
        assert not words & ids, kind
        assert not words & (keys - {"ccc"}), kind  # "CCC" is a word of the framework's own wording
        assert "evidence/" not in text and ".md" not in text, kind


def test_a_vetoed_indicator_says_filing_changes_nothing():
    site = site_for(ROOT, 2010, built=date(2010, 12, 31))
    board = site.board
    vetoed = [(u.id, i) for u in board.units for i in u.indicators if i.vetoed]
    assert vetoed, "the shipped 2010 data has a vetoed indicator with requirements (安龙)"
    unit, ind = vetoed[0]
    html = page(site, "progress", unit)
    row = next(r for r in re.findall(r"<tr class=\"kh-ps-row.*?</tr>", html, re.S) if f"#ind-{ind.id}" in r)
    assert "本项已否决（不得分），补报材料不改变得分" in row and 'data-label="可能扣分">0</td>' in row


# --- final years ----------------------------------------------------------------------------------


def test_a_final_year_has_no_progress_pages_and_no_links_to_them():
    site = site_for(ROOT, 2010, FINAL, built=date(2010, 9, 30))
    assert site.board is None
    kinds = {p.kind for p in site.pages()}
    assert "board" not in kinds and "progress" not in kinds
    assert "review" in kinds  # the review is for every year
    overview = page(site, "overview")
    assert "progress/" not in overview and "工作进度" not in overview
    assert 'href="review.html"' in overview
    assert "progress/" not in page(site, "sheet", "zhenfeng")


def test_a_draft_overview_links_the_board_and_the_review():
    overview = page(site_for(ROOT, 2010, built=date(2010, 9, 30)), "overview")
    assert '<a href="progress/index.html">工作进度</a>' in overview and '<a href="review.html">指标评估</a>' in overview


# --- the indicator review -------------------------------------------------------------------------


def review_rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr class="kh-review-row" id="ind-([^"]+)"[^>]*>(.*?)</tr>', html, re.S))


def cell(row: str, label: str) -> str:
    return re.search(rf'data-label="{re.escape(label)}">(.*?)</td>', row, re.S).group(1)


def test_review_page_shows_the_figures_by_hand_and_their_definitions():
    html = page(site_for(PROGRESS, 2020), "review")
    a01 = review_rows(html)["a-01"]
    # a-01 (tests/test_review.py): 4 units, none lost; 1 / 1 / 1; 6 files, 6 pages; 6 ÷ (1 × 4) = 1.5
    got = [
        cell(a01, label) for label in ("适用单位", "失分单位", "最低", "中位", "最高", "材料件数", "公文页", "件/分")
    ]
    assert got == ["4", "0", "1", "1", "1", "6", "6", "1.5"]
    assert "不区分" in cell(a01, "标记") and "材料最多" in cell(a01, "标记")
    # a-02: 5 files ÷ (2 × 4) = 0.625, printed half up
    assert cell(review_rows(html)["a-02"], "件/分") == "0.63"
    for definition in ("适用单位：", "失分单位：", "公文页：", "改变名次：", "不区分：", "材料最多："):
        assert f"<li>{definition}" in html
    assert "多被改判" not in html  # needs --since: never shown on the site
    assert "无可对照的上年度" in html and "复核与申诉：本年度没有记录。" in html


def test_review_page_shows_the_trend_against_the_same_organisations_earlier_year():
    _, earlier = open_year(str(PROGRESS), None, 2020)
    html = page(site_for(PROGRESS, 2021, previous=earlier), "review")
    assert "上年对照：2020年度" in html
    rows = review_rows(html)
    # a-03 lost points at three units in 2020 and at none in 2021; a-06 had 3.75 files per point
    assert cell(rows["a-03"], "失分单位") == "0" and cell(rows["a-03"], "2020 失分单位") == "3"
    assert cell(rows["a-06"], "2020 件/分") == "3.75"
    # a-06 is the one whose neutralisation changes a rank (u2 from 2 to a shared 1)
    assert '<a href="#changes-a-06">是（1个单位）</a>' in rows["a-06"]
    assert re.search(r'<li id="changes-a-06">.*?第2名→第1名</a></span></li>', html, re.S)


def test_review_page_counts_appeals_by_outcome_in_words(tmp_path):
    from appeal_support import appeal, decided, repo
    from builders import load

    from generator.score import score_assessment

    # the fixture of tests/test_appeals.py: x's 0.5 deduction changed to 0.2; y's missing reports appealed, open
    repo(
        tmp_path,
        appeal(kind='kind = "复核"\n', decision=decided("变更", amount="0.2")),
        appeal(id="ap-2", target='indicator = "y"\nrule = "reports"', kind='kind = "复核"\n'),
    )
    a = load(tmp_path)[0].assessments[2010]
    html = page(Site(a, score_assessment(a), DRAFT), "review")
    rows = review_rows(html)
    assert cell(rows["x"], "申诉") == "1件：变更1" and cell(rows["y"], "申诉") == "1件：待决1"
    # x: 1 of 1 decided appeals lowered the deduction, more than half; y has none decided
    assert "多被改判" in cell(rows["x"], "标记") and "多被改判" not in cell(rows["y"], "标记")
    assert "<li>多被改判：" in html and "<li>申诉：" in html
    assert "本年度没有记录" not in html


def test_the_earlier_year_is_found_only_for_the_same_organisation():
    _, a2021 = open_year(str(PROGRESS), None, 2021)
    assert previous_year(PROGRESS, a2021).year == 2020
    _, a2020 = open_year(str(PROGRESS), None, 2020)
    assert previous_year(PROGRESS, a2020) is None
    # the shipped 2014 (辽阳) and 2010 (黔西南) are two different organisations
    _, a2014 = open_year(str(ROOT), None, 2014)
    assert previous_year(ROOT, a2014) is None


def test_a_first_year_looks_for_no_earlier_one_in_the_whole_tree(monkeypatch):
    """Only a folder named like an earlier year can hold one: without it the tree is not walked."""
    import generator.workspace

    _, a2020 = open_year(str(PROGRESS), None, 2020)
    _, a2021 = open_year(str(PROGRESS), None, 2021)
    walks = []
    real = generator.workspace.years_in
    monkeypatch.setattr(generator.workspace, "years_in", lambda tree: walks.append(tree) or real(tree))
    assert previous_year(PROGRESS, a2020) is None and walks == []  # 2020 is the first: nothing walked
    assert previous_year(PROGRESS, a2021).year == 2020 and len(walks) >= 1


def test_english_interface_of_the_new_pages():
    site = site_for(ROOT, 2010, lang="en", built=date(2010, 9, 30))
    assert "As of 2010-09-30" in page(site, "board")
    assert "Indicator review" in page(site, "review")
    assert "overdue" in page(site, "progress", "zhenfeng")


# --- real MkDocs builds ---------------------------------------------------------------------------

MINI = FIXTURES / "mini"
SEPT_30 = "1285848000"  # 2010-09-30T12:00:00Z


def test_real_builds_draft_as_of_its_date_final_without_progress(tmp_path, monkeypatch):
    from generator.render.build import build_year

    monkeypatch.setenv("SOURCE_DATE_EPOCH", SEPT_30)
    # a working-tree draft keeps the SOURCE_DATE_EPOCH its caller set (a nightly build's date)
    draft = tmp_path / "draft"
    assert build_year(MINI, 2010, draft, DRAFT).warnings == []
    board = (draft / "progress/index.html").read_text(encoding="utf-8")
    assert "截至 2010-09-30" in board
    assert (draft / "progress/xingren.html").is_file()
    overview = (draft / "index.html").read_text(encoding="utf-8")
    nav = set(re.findall(r'<a href="([^"]+)" class="md-nav__link', overview))
    assert {"progress/index.html", "review.html", "units/xingren.html"} <= nav
    assert not {link for link in nav if link.startswith("progress/") and link != "progress/index.html"}
    # search: the progress pages' titles, not their tables
    index = json.loads((draft / "search/search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: d for d in index["docs"] if d["location"].startswith("progress/xingren.html")}
    assert docs and "工作进度" in docs["progress/xingren.html"]["title"].replace("\u200b", "")
    assert not any("未报材料" in d["text"].replace("\u200b", "") for d in docs.values())
    # a draft of a commit is as of the commit's date, whatever the environment says
    committed = tmp_path / "committed"
    provenance = Provenance(commit="1" * 40, commit_date="2010-11-05T09:00:00+08:00")
    assert build_year(MINI, 2010, committed, provenance).warnings == []
    assert "截至 2010-11-05" in (committed / "progress/index.html").read_text(encoding="utf-8")
    # a final year: no progress pages, no link to them; the review stays
    final = tmp_path / "final"
    assert build_year(MINI, 2010, final, FINAL).warnings == []
    assert not (final / "progress").exists()
    assert (final / "review.html").is_file()
    assert not any("progress/" in p.read_text(encoding="utf-8") for p in final.rglob("*.html"))
    assert "progress/" not in (final / "sitemap.xml").read_text(encoding="utf-8")
